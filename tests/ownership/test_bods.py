"""BODS 0.4: the shared fixtures' expected outcomes, share bounds, and all-or-nothing loads."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from bidvet.errors import InputError
from bidvet.ownership.report import owners
from bidvet.sources.loader import load_file
from bidvet.store import schema as s
from bidvet.store.db import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ownership"
DAY = dt.date(2026, 11, 25)


def _counts(path: Path) -> tuple[int, int]:
    """Relationship statements and the ownership edges they should give (one per interest,
    one for a relationship whose interested party is a declared unknown)."""
    statements = json.loads(path.read_text(encoding="utf-8"))
    rels = [st for st in statements if st["recordType"] == "relationship"]
    edges = sum(max(1, len(r["recordDetails"].get("interests") or [])) for r in rels)
    return len(rels), edges


def _table_count(store: Store, table: sa.Table) -> int:
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


@pytest.mark.parametrize(
    "name",
    [
        "core/01-direct-ownership.json",
        "edge-cases/10-circular-ownership.json",
        "edge-cases/11-anonymous-person.json",
    ],
)
def test_bods_fixtures_load_every_relationship(
    shared_data: Path, sqlite_store: Store, name: str
) -> None:
    path = shared_data / "bods-v04-fixtures" / name
    relationships, edges = _counts(path)
    summary = load_file(sqlite_store, path)
    assert summary.format == "bods-0.4"
    assert summary.extra["statements"]["relationship"] == relationships
    assert _table_count(sqlite_store, s.ownership) == edges


def test_direct_ownership_75_percent_single_hop(shared_data: Path, store: Store) -> None:
    load_file(store, shared_data / "bods-v04-fixtures" / "core" / "01-direct-ownership.json")
    data = owners(store, "bods-rec-acme-holdings-ltd", DAY).to_json()
    assert [(o["id"], o["effective_share"], o["path"]) for o in data["owners"]] == [
        (
            "bods-rec-jane-smith-1975",
            0.75,
            ["bods-rec-jane-smith-1975", "bods-rec-acme-holdings-ltd"],
        )
    ]
    # Both interests are kept, not collapsed.
    assert data["owners"][0]["kinds"] == ["shares+votes"]
    assert [c["id"] for c in data["ultimate_controllers"]] == ["bods-rec-jane-smith-1975"]
    # The interests start on 2010-01-01: before that there is no owner.
    assert owners(store, "bods-rec-acme-holdings-ltd", dt.date(2009, 12, 31)).owners == []


def test_circular_ownership_terminates_and_is_flagged(shared_data: Path, store: Store) -> None:
    load_file(
        store, shared_data / "bods-v04-fixtures" / "edge-cases" / "10-circular-ownership.json"
    )
    for subject, other in (("bods-rec-alpha-corp", "bods-rec-beta-corp"),
                           ("bods-rec-beta-corp", "bods-rec-alpha-corp")):  # fmt: skip
        data = owners(store, subject, DAY).to_json()
        # Not 200 %; the subject is never its own owner or controller.
        assert [(o["id"], o["effective_share"]) for o in data["owners"]] == [(other, 1.0)]
        assert data["cycles"], "the cycle is flagged"
        assert [(c["id"], c["in_cycle"]) for c in data["ultimate_controllers"]] == [(other, True)]
        assert all(c["id"] != subject for c in data["ultimate_controllers"])


def test_declared_unknown_owner_is_kept_with_its_reason(shared_data: Path, store: Store) -> None:
    path = shared_data / "bods-v04-fixtures" / "edge-cases" / "11-anonymous-person.json"
    load_file(store, path)
    data = owners(store, "bods-rec-opaque-holdings-sa", DAY).to_json()
    assert data["owners"] == []
    [unknown] = data["unknown_owners"]
    assert unknown["reason"] == "subjectUnableToConfirmOrIdentifyBeneficialOwner"
    assert "unable to identify" in unknown["description"]
    # No placeholder person was made up.
    with store.read() as conn:
        schemata = conn.execute(sa.select(s.entities.c.schema)).scalars().all()
    assert "Person" not in schemata


def test_ranges_and_anonymous_persons(sqlite_store: Store) -> None:
    load_file(sqlite_store, FIXTURES / "bods-ranges.json")
    data = owners(sqlite_store, "bods-borealis", DAY).to_json()
    by_id = {o["id"]: o for o in data["owners"]}
    anon = by_id["bods-anon-1"]
    assert anon["name"] == "bods-anon-1"  # no name invented
    assert (anon["min_share"], anon["max_share"], anon["effective_share"]) == (0.25, 0.375, None)
    tarn = by_id["bods-tarn"]
    assert (tarn["min_share"], tarn["max_share"]) == (0.5, 0.75)
    # Indirect interest (a shortcut over its components) is not counted twice.
    top = by_id["bods-anon-1"]
    assert top["paths"] == 1
    with sqlite_store.read() as conn:
        props = conn.execute(
            sa.select(s.entities.c.properties).where(s.entities.c.id == "bods-anon-1")
        ).scalar_one()
    assert props["personType"] == ["anonymousPerson"]


@pytest.mark.parametrize(("share", "message"), [(150, "outside 0–100"), (-5, "outside 0–100")])
def test_share_out_of_range_fails_and_leaves_store_unchanged(
    tmp_path: Path, store: Store, share: int, message: str
) -> None:
    load_file(store, FIXTURES / "bods-ranges.json")
    before = [_table_count(store, t) for t in (s.snapshots, s.entities, s.ownership)]
    bad = json.loads((FIXTURES / "bods-ranges.json").read_text(encoding="utf-8"))
    bad[-1]["recordDetails"]["interests"][0]["share"] = {"exact": share}
    bad[0]["recordDetails"]["name"] = "Borealis Scanning Oy (renamed)"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        load_file(store, path)
    assert "bad.json" in str(err.value) and "rel-" in str(err.value)
    assert [_table_count(store, t) for t in (s.snapshots, s.entities, s.ownership)] == before
    with store.read() as conn:
        name = conn.execute(
            sa.select(s.entities.c.caption).where(s.entities.c.id == "bods-borealis")
        ).scalar_one()
    assert name == "Borealis Scanning Oy"
