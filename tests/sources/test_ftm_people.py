"""FtM people and their ties: Person entities, Directorship, Employment, Family, Associate and
Representation records stored as ties; Address skipped with a note.

The data is ``tests/fixtures/ties/people.ftm.json`` (fictional people and companies).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bidvet.model.facts import TIE_KINDS
from bidvet.ownership.report import owners
from bidvet.sources.ftm import TIES
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.conftest import FIXTURES

PEOPLE = FIXTURES / "ties" / "people.ftm.json"
COMPANY = "ft-co-harrowgate"


@pytest.fixture
def loaded(sqlite_store: Store) -> tuple[Store, Any]:
    summary = load_file(sqlite_store, PEOPLE)
    return sqlite_store, summary


def test_every_ftm_tie_schema_maps_to_a_stored_tie_kind() -> None:
    assert {kind for kind, *_ in TIES.values()} == set(TIE_KINDS)


def test_people_are_stored_with_topics_and_names(loaded: tuple[Store, Any]) -> None:
    store, _ = loaded
    with store.view() as view:
        corin = view.entity("ft-p-corin")
        lia = view.entity("ft-p-lia")
    assert corin is not None and lia is not None
    assert (corin.schema, corin.topics, corin.countries) == ("Person", ("role.pep",), ("gb",))
    assert "Lia Ashdale-Brandt" in lia.names


def test_each_tie_schema_is_stored_with_its_role_dates_and_source(
    loaded: tuple[Store, Any],
) -> None:
    store, summary = loaded
    with store.view() as view:
        ties = {t.key.rsplit(":", 1)[1]: t for t in view.ties(["ft-p-lia", "ft-p-rune"], None)}
        corin = view.ties(["ft-p-corin"], None)
    got = {
        key: (t.kind, t.owner_id, t.asset_id, t.role, t.start_date, t.end_date)
        for key, t in ties.items()
    }
    assert got == {
        "ft-dir-1": (
            "directorship",
            "ft-p-lia",
            COMPANY,
            "Managing Director",
            dt.date(2017, 3, 1),
            None,
        ),
        # "2019" is a partial date: stored as unknown, with a note
        "ft-dir-2": ("directorship", "ft-p-rune", COMPANY, "Secretary", None, dt.date(2021, 6, 30)),
        "ft-fam-1": ("family", "ft-p-lia", "ft-p-corin", "father", None, None),
        "ft-assoc-1": ("associate", "ft-p-rune", "ft-p-lia", "business associate", None, None),
        "ft-rep-1": (
            "representation",
            "ft-p-rune",
            COMPANY,
            "Authorised representative",
            None,
            None,
        ),
    }
    lia_dir = ties["ft-dir-1"].citation
    assert (lia_dir.title, lia_dir.url) == (
        "Fictional Companies Registry",
        "https://example.invalid/harrowgate/officers",
    )
    assert ties["ft-fam-1"].citation.title == "ftm-people"  # no publisher: the dataset
    assert {(t.kind, t.asset_id, t.role) for t in corin if t.owner_id == "ft-p-corin"} == {
        ("employment", "ft-pb-ministry", "Minister")
    }
    assert summary.extra["ties"] == 6


def test_bad_tie_partial_date_and_address_are_in_the_quality_log(
    loaded: tuple[Store, Any],
) -> None:
    _, summary = loaded
    issues = {(i["record"], i["action"]): i for i in summary.issues}
    assert issues[("ft-dir-bad", "rejected")]["reason"] == (
        "Directorship without director or organization"
    )
    assert issues[("ft-dir-2", "normalised")]["value"] == "2019"
    assert "addresses are not used" in issues[("ft-addr-1", "skipped")]["reason"]
    assert summary.rejected == 1


def test_ties_are_not_owners(loaded: tuple[Store, Any]) -> None:
    store, _ = loaded
    report = owners(store, COMPANY, dt.date(2020, 1, 1)).to_json()
    # Lia owns 75 % (an Ownership record) and directs the company (a Directorship): one owner
    assert [(o["id"], o["effective_share"], o["kinds"]) for o in report["owners"]] == [
        ("ft-p-lia", 0.75, ["shares"])
    ]
    assert report["ultimate_controllers"] == [
        {
            "id": "ft-p-lia",
            "name": "Lia Ashdale",
            "path": ["ft-p-lia", COMPANY],
            "in_cycle": False,
            "state": False,
        }
    ]
    people = {(p["id"], p["kind"], p["role"]) for p in report["people"]}
    assert people == {
        ("ft-p-lia", "directorship", "Managing Director"),
        ("ft-p-rune", "directorship", "Secretary"),
        ("ft-p-rune", "representation", "Authorised representative"),
    }
    # the employment at the ministry makes nobody state-linked: it is not control
    ministry = owners(store, "ft-pb-ministry", dt.date(2014, 1, 1)).to_json()
    assert ministry["owners"] == [] and ministry["people"][0]["role"] == "Minister"
