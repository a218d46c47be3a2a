"""``bidvet xref``: identifier links recorded, name candidates with evidence, judged pairs
skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bidvet.cli.app import cli
from bidvet.resolution.config import load_resolution_config
from bidvet.resolution.xref import Record, _evidence, identifier_links, propose, xref
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.resolution.helpers import load_cases


def test_xref_links_on_lei_and_proposes_names_with_evidence(sqlite_store: Store) -> None:
    load_cases(sqlite_store)
    result = xref(sqlite_store)
    assert [p.pair for p in result.links] == [("rl-tamsin", "rx-lei-a")]
    assert result.links[0].identifiers_agree == ["lei 5493001KJTIIGC8Y1R12"]
    with sqlite_store.view() as view:
        (link,) = view.judgements(["rx-lei-a"])
    assert (link.judgement, link.source, link.by) == ("positive", "identifier", "bidvet xref")
    pairs = {p.pair: p for p in result.proposals}
    pellucid = pairs[("rl-pellucid", "rx-parent")]
    assert pellucid.name_score > 0.9 and pellucid.countries_agree == ["gb"]
    assert pellucid.identifiers_agree == [] and not pellucid.linked
    # linked pairs are not proposed again, and neither are judged ones
    again = xref(sqlite_store)
    assert again.links == [] and ("rl-tamsin", "rx-lei-a") not in {p.pair for p in again.proposals}


def test_disagreeing_strong_identifier_lowers_the_score() -> None:
    cfg = load_resolution_config().xref
    left = [Record("a-1", "a", (("Quillfeather Optics AB", "primary"),), ("se",), (("lei", "X1"),))]
    same = Record("b-1", "b", (("Quillfeather Optics AB", "primary"),), ("se",), (("lei", "X2"),))
    plain = Record("b-2", "b", (("Quillfeather Optics AB", "primary"),), ("se",))
    result = propose(left, [same, plain], config=cfg)
    scores = {p.right.entity_id: p for p in result.proposals}
    assert scores["b-1"].identifiers_disagree == ["lei X1 ≠ X2"]
    expected = scores["b-2"].score - cfg.identifier_disagreement_penalty
    assert abs(scores["b-1"].score - expected) < 1e-9


def test_cli_xref_json(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    load_cases(Store(db))
    out = CliRunner().invoke(
        cli,
        [
            "--db",
            db,
            "xref",
            "--dataset",
            "test-resolution-registry",
            "--dataset",
            "test-resolution-lists",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert [x["left"]["entity_id"] for x in data["linked"]] == ["rx-lei-a"]
    first = data["proposals"][0]
    assert (first["left"]["entity_id"], first["right"]["entity_id"]) == ("rx-parent", "rl-pellucid")
    assert set(first) >= {"score", "name_score", "identifiers", "countries", "explanation"}


def _org(eid: str, dataset: str, countries: tuple[str, ...], *ids: tuple[str, str]) -> Record:
    return Record(eid, dataset, (("Quillfeather Engine Works", "primary"),), countries, ids)


def test_registry_numbers_link_only_with_a_shared_country_and_nothing_against() -> None:
    # the schemes are those the importers write (regno, ogrn, tax); tax numbers agreeing are
    # evidence, not a link: the lists give a subsidiary its parent's
    cfg = load_resolution_config().xref
    left = _org("a-1", "a", ("ru",), ("regno", "1107746081717"), ("tax", "7731644035"))
    cases = {
        "same-country": _org("b-1", "b", ("ru",), ("regno", "1107746081717")),
        "other-country": _org("b-2", "b", ("kz",), ("regno", "1107746081717")),
        "tax-clash": _org("b-3", "b", ("ru",), ("regno", "1107746081717"), ("tax", "3307000983")),
        "tax-only": _org("b-4", "b", ("ru",), ("tax", "7731644035")),
        "ogrn": _org("b-5", "b", ("ru",), ("ogrn", "1027700159497")),
    }
    left_ogrn = _org("a-2", "a", ("ru",), ("ogrn", "1027700159497"))
    links = {
        (p.left.entity_id, p.right.entity_id)
        for p in identifier_links([left, left_ogrn], list(cases.values()), cfg)
    }
    assert links == {("a-1", "b-1"), ("a-2", "b-5")}
    clash = _evidence(left, cases["tax-clash"], 0.9, "x", "y", (), cfg)
    assert not clash.linked
    assert clash.identifiers_agree == ["regno 1107746081717"]
    assert clash.identifiers_disagree == ["tax 7731644035 ≠ 3307000983"]
    assert abs(clash.score - (0.9 - cfg.identifier_disagreement_penalty)) < 1e-9
    # numbers of different countries' registers say nothing against each other
    abroad = _org("b-6", "b", ("kz",), ("tax", "3307000983"))
    assert _evidence(left, abroad, 0.9, "x", "y", (), cfg).identifiers_disagree == []


@pytest.mark.shared_data
def test_real_lists_link_on_a_registry_number(sqlite_store: Store, shared_data: Path) -> None:
    # OFAC's non-SDN list and the EU list name United Engine Corporation differently (a
    # transliteration against a translation, name score near 0) and carry the same OGRN
    for name in ("consolidated.xml", "eu_fsf_20240513-FULL-1_1.xml"):
        load_file(sqlite_store, shared_data / "official-lists-2024" / name)
    result = xref(sqlite_store, ["us-ofac-consolidated", "eu-fsf"], link=False)
    linked = {p.pair: p for p in result.links}
    uec = linked[("eu-fsf-139120", "ofac-18819")]  # a pair is named in sorted order
    assert "regno 1107746081717" in uec.identifiers_agree
    assert uec.explanation == ["same regno 1107746081717 on both records"]


@pytest.mark.shared_data
def test_a_csl_row_republished_from_ofac_is_linked_to_the_ofac_entry(
    sqlite_store: Store, shared_data: Path
) -> None:
    # the CSL keeps OFAC's entry number as the _id of the rows it takes from OFAC's lists
    load_file(sqlite_store, shared_data / "official-lists-2024" / "consolidated.xml")
    load_file(sqlite_store, shared_data / "us-csl-2023" / "csl.csv")
    result = xref(sqlite_store, ["us-csl", "us-ofac-consolidated"], link=False)
    linked = {p.pair: p for p in result.links}
    hikvision = linked[("csl-30946", "ofac-30946")]
    assert hikvision.explanation == ["same ofac-entry OFAC30946 on both records"]
    # an Entity List row (a Commerce list) has no OFAC entry number
    assert not any(p.left.entity_id.startswith("csl-e0") for p in result.links)
