"""Migration 0003: a store loaded before ``listing_presence`` keeps its history, and a later
load of an older publication rebuilds it from publication dates."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command

from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, ListingRecord, NameRecord
from bidvet.store import schema as s
from bidvet.store.db import Store, _alembic_config
from bidvet.store.writer import write_batch

V1, V2 = dt.date(2024, 1, 10), dt.date(2024, 3, 5)
NOW = dt.datetime(2026, 1, 1)


def _snapshot(conn: sa.Connection, sha: str, published: dt.date) -> int:
    key = conn.execute(
        s.snapshots.insert().values(
            dataset="test-list",
            format="test",
            file_name=f"{sha}.xml",
            sha256=sha,
            published=published,
            imported_at=NOW,
            records=2,
            complete_list=True,
        )
    ).inserted_primary_key
    assert key is not None
    return int(key[0])


def _listing(eid: str, first: int, last: int, seen: tuple[dt.date, dt.date]) -> dict[str, object]:
    return {
        "entity_id": eid,
        "list_id": "test-list",
        "list_name": "Test List",
        "program": "P1",
        "first_seen": seen[0],
        "last_seen": seen[1],
        "dataset": "test-list",
        "first_snapshot_id": first,
        "last_snapshot_id": last,
    }


def test_upgrade_backfills_presence_and_older_loads_then_follow_dates(store: Store) -> None:
    with store.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0002")  # type: ignore[arg-type]
    with store.engine.begin() as conn:
        v1 = _snapshot(conn, "v1", V1)
        v2 = _snapshot(conn, "v2", V2)
        for eid, name in (("t-alder", "Aldermoor Fictional"), ("t-brack", "Brackwater Fictional")):
            conn.execute(
                s.entities.insert().values(
                    id=eid,
                    schema="Company",
                    caption=name,
                    dataset="test-list",
                    properties={},
                    first_snapshot_id=v1,
                    last_snapshot_id=v2,
                )
            )
        brack = _listing("t-brack", v1, v1, (V1, V1)) | {"delisted": V2}
        conn.execute(s.listings.insert(), [_listing("t-alder", v1, v2, (V1, V2)), brack])
    store.migrate()
    p = s.listing_presence.c
    with store.read() as conn:
        presence = sorted(conn.execute(sa.select(p.entity_id, p.snapshot_id)).all())
    assert [tuple(r) for r in presence] == [("t-alder", v1), ("t-alder", v2), ("t-brack", v1)]

    older = ImportBatch(
        dataset="test-list",
        format="test",
        quality=QualityLog("v0.xml"),
        published=dt.date(2023, 12, 1),
        complete_list=True,
        entities=[EntityRecord("t-alder", "Company", [NameRecord("Aldermoor Fictional")])],
        listings=[ListingRecord("t-alder", "test-list", "Test List", program="P1")],
        imported=1,
    )
    with store.transaction() as conn:
        write_batch(conn, older, file_name="v0.xml", sha256="v0", now=NOW)
    with store.view() as view:
        got = view.listings(["t-alder", "t-brack"])
    assert [(f.first_seen, f.delisted) for f in got["t-alder"]] == [(dt.date(2023, 12, 1), None)]
    assert [(f.first_seen, f.delisted) for f in got["t-brack"]] == [(V1, V2)]
