"""The resolver takes a name match as the bidder only when nothing splits the evidence: records
judged one legal person are one subject, not rivals, and a record whose countries are all
other than the bidder's is a possible match, not the bidder (fictional records)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bidvet.resolution.config import load_resolution_config
from bidvet.resolution.judgements import judge
from bidvet.resolution.resolver import Resolver, Subject
from bidvet.store.db import Store
from tests.resolution.helpers import load_cases


@pytest.fixture
def cases(sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    return load_cases(sqlite_store)


def test_records_of_one_legal_person_are_one_subject_not_rivals(cases: Store) -> None:
    """The register's ``Pellucid Holdings Ltd`` and the list's ``PELLUCID HOLDINGS LIMITED``
    match the bidder equally well: two candidates until a person judges them one."""
    bidder = Subject("Pellucid Holdings Ltd", "gb")
    before = Resolver(cases).resolve(bidder)
    assert before.status == "ambiguous"
    assert {c.entity_id for c in before.candidates} == {"rx-parent", "rl-pellucid"}
    judge(cases, "rx-parent", "rl-pellucid", "positive", reason="same register", by="analyst")
    after = Resolver(cases).resolve(bidder)
    assert after.status == "resolved" and after.method == "screening", after
    assert after.entity_id in {"rx-parent", "rl-pellucid"}


def test_a_name_match_in_other_countries_only_is_a_possible_match(cases: Store) -> None:
    """``Ormsby Quarrel Holdings Ltd`` is listed in GB: a bidder of that name in France is not
    taken as it, and the resolution says why; in GB, or with no country given, it is."""
    found = Resolver(cases).resolve(Subject("Ormsby Quarrel Holdings Ltd", "fr"))
    assert found.status == "unresolved" and not found.entity_ids
    assert [c.entity_id for c in found.possible][:1] == ["rl-ormsby-owner"]
    assert "the bidder's country fr is none of the record's countries (gb)" in found.explanation
    for country in ("gb", "GB", None):
        taken = Resolver(cases).resolve(Subject("Ormsby Quarrel Holdings Ltd", country))
        assert taken.entity_ids == ("rl-ormsby-owner",), (country, taken)


def test_the_country_rule_can_be_turned_off(cases: Store) -> None:
    config = load_resolution_config().model_copy(update={"country_must_agree": False})
    found = Resolver(cases, config=config).resolve(Subject("Ormsby Quarrel Holdings Ltd", "fr"))
    assert found.entity_ids == ("rl-ormsby-owner",)


def test_a_cluster_member_naming_the_bidders_country_agrees(cases: Store) -> None:
    """Countries are read over the records judged one legal person: the list's record names
    GB only; judged (for this test) one with a register record in Sweden, a bidder in Sweden
    agrees with the cluster."""
    judge(cases, "rl-ormsby-owner", "rx-lei-a", "positive", reason="test link", by="analyst")
    found = Resolver(cases).resolve(Subject("Ormsby Quarrel Holdings Ltd", "se"))
    assert found.status == "resolved", found
