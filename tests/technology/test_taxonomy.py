from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bidvet.errors import ConfigError
from bidvet.technology.taxonomy import (
    REQUIRED_SITES,
    TAXONOMY_PATH,
    load_taxonomy,
    load_taxonomy_file,
)


def _write(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_bundled_taxonomy_loads_with_every_site_and_tier() -> None:
    tax = load_taxonomy()
    assert set(REQUIRED_SITES) <= set(tax.sites)
    assert [t.tier for t in tax.taxonomy.tiers.thresholds] == [
        "low",
        "elevated",
        "high",
        "critical",
    ]
    assert len(tax.features) >= 30


def test_every_feature_explains_itself_and_data_features_cite_sources() -> None:
    tax = load_taxonomy()
    for feat in tax.features.values():
        assert feat.description.strip(), feat.id
        assert feat.cues or feat.codes.cpv or feat.codes.unspsc, f"{feat.id} can never be found"
        if feat.weight > 0:
            assert feat.controls, f"{feat.id} names no control that lowers it"
    cited = {ref for f in tax.features.values() for ref in f.references}
    assert {"cccs-itsap-10-071", "asd-cyber-supply-chain", "aspi-nuctech-2020"} <= cited


@pytest.mark.parametrize(
    ("alias", "site"),
    [
        ("embassy", "diplomatic-mission"),
        ("Border Crossing", "border-crossing"),
        ("port", "seaport"),
        ("correctional", "prison"),
        ("office", "office"),
    ],
)
def test_site_aliases(alias: str, site: str) -> None:
    found = load_taxonomy().site(alias)
    assert found is not None and found.id == site


def test_unknown_site_names_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"unknown site type 'moon-base'.*diplomatic-mission"):
        load_taxonomy().site("moon-base")


def test_misspelt_key_fails_naming_file_record_and_fix(tmp_path: Path) -> None:
    def typo(data: dict[str, Any]) -> None:
        data["features"][0]["wieght"] = 2

    path = _write(tmp_path, typo)
    with pytest.raises(ConfigError) as err:
        load_taxonomy_file(path)
    message = str(err.value)
    assert str(path) in message and "wieght" in message and "remove or rename" in message, message


def test_unknown_control_reference_is_rejected(tmp_path: Path) -> None:
    def bad(data: dict[str, Any]) -> None:
        data["features"][0]["controls"] = ["wishful-thinking"]

    with pytest.raises(ConfigError, match="unknown id 'wishful-thinking'"):
        load_taxonomy_file(_write(tmp_path, bad))


def test_invalid_regex_is_rejected_with_its_place(tmp_path: Path) -> None:
    def bad(data: dict[str, Any]) -> None:
        data["features"][0]["cues"] = ["(unclosed"]

    with pytest.raises(ConfigError, match=r"features\[0\].*cues\[0\].*invalid regular expression"):
        load_taxonomy_file(_write(tmp_path, bad))


def test_missing_site_type_is_rejected(tmp_path: Path) -> None:
    def bad(data: dict[str, Any]) -> None:
        data["sites"] = [s for s in data["sites"] if s["id"] != "court"]

    with pytest.raises(ConfigError, match="site types missing: court"):
        load_taxonomy_file(_write(tmp_path, bad))
