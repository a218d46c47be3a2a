"""The taxonomy's CPV and UNSPSC prefixes stand for codes that exist in the official lists."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bidvet.errors import ConfigError
from bidvet.technology.taxonomy import TAXONOMY_PATH, load_taxonomy, load_taxonomy_file

CPV_EXCERPT = Path(__file__).resolve().parents[1] / "fixtures" / "cpv" / "cpv-2008-excerpt.csv"


def _prefixes(scheme: str) -> Iterator[tuple[str, str]]:
    """Every prefix of ``scheme`` in the bundled taxonomy, with where it is written."""
    tax = load_taxonomy().taxonomy
    for feat in tax.features:
        yield from ((p, f"features ({feat.id})") for p in getattr(feat.codes, scheme))
    for entry in tax.data_free:
        yield from ((p, f"data_free ({entry.id})") for p in getattr(entry.codes, scheme))
    yield from ((p, "non_technology") for p in getattr(tax.non_technology.codes, scheme))
    yield from (
        (p, "generic_technology_codes") for p in getattr(tax.generic_technology_codes, scheme)
    )


def _excerpt() -> dict[str, str]:
    with CPV_EXCERPT.open(encoding="utf-8", newline="") as fh:
        return {row["code"]: row["label"] for row in csv.DictReader(fh)}


def test_every_cpv_prefix_is_an_official_cpv_2008_code() -> None:
    official = _excerpt()
    missing = [(p, where) for p, where in _prefixes("cpv") if p.ljust(8, "0") not in official]
    assert not missing, f"CPV prefixes with no CPV 2008 code (see {CPV_EXCERPT.parent}): {missing}"


def test_the_excerpt_holds_only_well_formed_codes_the_taxonomy_uses() -> None:
    official = _excerpt()
    assert official, CPV_EXCERPT
    for code, label in official.items():
        assert len(code) == 8 and code.isdigit() and label.strip(), (code, label)
    used = {p.ljust(8, "0") for p, _ in _prefixes("cpv")}
    assert set(official) == used, sorted(set(official) ^ used)


def test_office_supplies_and_furniture_codes_say_what_they_are() -> None:
    official = _excerpt()
    assert official["30192000"] == "Office supplies"
    assert official["39100000"] == "Furniture"
    assert official["42417310"] == "Conveyor belts"
    assert official["38581000"] == "Baggage-scanning equipment"


@pytest.mark.parametrize("scheme", ["cpv", "unspsc"])
def test_prefixes_are_digits_at_a_level_of_the_code_list(scheme: str) -> None:
    # CPV levels: division (2 digits) to the full 8; UNSPSC: segment, family, class,
    # commodity, two digits each.
    for prefix, where in _prefixes(scheme):
        assert prefix.isdigit() and 2 <= len(prefix) <= 8, (prefix, where)
        if scheme == "unspsc":
            assert len(prefix) % 2 == 0, (prefix, where)


def test_the_code_list_versions_are_recorded() -> None:
    lists = load_taxonomy().taxonomy.code_lists
    assert "CPV 2008" in lists.cpv.version and "213/2008" in lists.cpv.version
    assert lists.unspsc.version.startswith("UNSPSC ")
    assert lists.cpv.checked and lists.unspsc.checked


def test_a_code_list_citing_an_unknown_reference_is_rejected(tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))
    data["code_lists"]["cpv"]["reference"] = "cpv-1999"
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"code_lists\.cpv\.reference.*unknown id 'cpv-1999'"):
        load_taxonomy_file(path)
