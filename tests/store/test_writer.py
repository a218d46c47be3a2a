"""The writer's list-versioning rules, exercised with hand-made batches of fictional entries."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, ListingRecord, NameRecord
from bidvet.store import schema as s
from bidvet.store.db import Store
from bidvet.store.writer import write_batch

NOW = dt.datetime(2026, 11, 25, 12, 0, 0)


def _batch(published: dt.date, names: list[str]) -> ImportBatch:
    batch = ImportBatch(
        dataset="test-list",
        format="test",
        quality=QualityLog("list.xml"),
        published=published,
        complete_list=True,
    )
    for name in names:
        eid = "test-" + name.lower().replace(" ", "-")
        batch.entities.append(EntityRecord(eid, "Company", [NameRecord(name)]))
        batch.listings.append(ListingRecord(eid, "test-list", "Test List", program="P1"))
    batch.imported = len(names)
    return batch


def _write(store: Store, batch: ImportBatch, sha: str) -> None:
    with store.transaction() as conn:
        write_batch(conn, batch, file_name="list.xml", sha256=sha, now=NOW)


def _listings(store: Store) -> dict[str, sa.RowMapping]:
    with store.read() as conn:
        rows = conn.execute(sa.select(s.listings)).mappings().all()
    return {row["entity_id"]: row for row in rows}


def test_newer_publication_dates_delistings_and_keeps_the_old_snapshot(store: Store) -> None:
    _write(store, _batch(dt.date(2024, 1, 1), ["Aldermoor Trading", "Brackwater Shipping"]), "a")
    _write(store, _batch(dt.date(2024, 6, 1), ["Aldermoor Trading", "Cindervale Metals"]), "b")
    rows = _listings(store)
    assert rows["test-brackwater-shipping"]["delisted"] == dt.date(2024, 6, 1)
    assert rows["test-aldermoor-trading"]["delisted"] is None
    assert rows["test-aldermoor-trading"]["first_seen"] == dt.date(2024, 1, 1)
    assert rows["test-aldermoor-trading"]["last_seen"] == dt.date(2024, 6, 1)
    assert rows["test-cindervale-metals"]["first_seen"] == dt.date(2024, 6, 1)
    with store.read() as conn:
        snaps = conn.execute(sa.select(s.snapshots.c.published)).scalars().all()
    assert sorted(snaps) == [dt.date(2024, 1, 1), dt.date(2024, 6, 1)]


def test_loading_an_older_publication_afterwards_delists_nothing(store: Store) -> None:
    _write(store, _batch(dt.date(2024, 6, 1), ["Aldermoor Trading"]), "b")
    _write(store, _batch(dt.date(2024, 1, 1), ["Brackwater Shipping"]), "a")
    rows = _listings(store)
    assert rows["test-aldermoor-trading"]["delisted"] is None
    assert rows["test-aldermoor-trading"]["last_seen"] == dt.date(2024, 6, 1)


def test_same_file_twice_is_a_no_op(store: Store) -> None:
    batch = _batch(dt.date(2024, 1, 1), ["Aldermoor Trading"])
    _write(store, batch, "a")
    with store.transaction() as conn:
        stats = write_batch(conn, batch, file_name="list.xml", sha256="a", now=NOW)
    assert stats.already_loaded
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(s.listings)).scalar() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(s.entity_names)).scalar() == 1


def test_relisting_after_delisting_opens_a_new_listing(store: Store) -> None:
    _write(store, _batch(dt.date(2024, 1, 1), ["Aldermoor Trading"]), "a")
    _write(store, _batch(dt.date(2024, 6, 1), []), "b")
    _write(store, _batch(dt.date(2025, 1, 1), ["Aldermoor Trading"]), "c")
    with store.read() as conn:
        rows = conn.execute(
            sa.select(s.listings.c.first_seen, s.listings.c.delisted).order_by(s.listings.c.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        (dt.date(2024, 1, 1), dt.date(2024, 6, 1)),
        (dt.date(2025, 1, 1), None),
    ]
