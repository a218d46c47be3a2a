"""One rule for "in force on a date", the same in Python and in SQL on both backends."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import sqlalchemy as sa

from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, NameRecord
from bidvet.store import schema as s
from bidvet.store.db import Store
from bidvet.store.validity import listing_in_force, listing_in_force_clause
from bidvet.store.writer import write_batch

D = dt.date
AS_OF = D(2021, 1, 1)


@pytest.mark.parametrize(
    ("start", "first_seen", "end", "delisted", "expected", "why"),
    [
        (D(2020, 12, 18), None, None, None, True, "started before"),
        (D(2021, 1, 1), None, None, None, True, "starts that day"),
        (D(2021, 6, 1), None, None, None, False, "not yet listed"),
        (None, D(2021, 6, 1), None, None, False, "first seen later, list gives no date"),
        (None, None, None, None, True, "undated entries count"),
        (D(2015, 1, 1), None, D(2020, 1, 1), None, False, "ended"),
        (D(2015, 1, 1), None, D(2021, 1, 1), None, True, "end date is the last day in force"),
        (D(2015, 1, 1), None, None, D(2021, 1, 1), False, "delisted that day"),
        (D(2015, 1, 1), None, D(2022, 1, 1), None, True, "ends later"),
    ],
)
def test_listing_in_force(
    start: dt.date | None,
    first_seen: dt.date | None,
    end: dt.date | None,
    delisted: dt.date | None,
    expected: bool,
    why: str,
) -> None:
    assert listing_in_force(start, first_seen, end, delisted, AS_OF) is expected, why


def test_sql_clause_agrees_with_python_rule(store: Store) -> None:
    dates = [None, D(2020, 12, 31), D(2021, 1, 1), D(2021, 1, 2)]
    combos = list(itertools.product(dates, dates, dates, dates))
    batch = ImportBatch("t", "test", QualityLog("t"), published=None)
    batch.entities.append(EntityRecord("t-1", "Company", [NameRecord("Quillon Testing Oy")]))
    with store.transaction() as conn:
        write_batch(conn, batch, file_name="t", sha256="x", now=dt.datetime(2026, 1, 1))
        snap = conn.execute(sa.select(s.snapshots.c.id)).scalar()
        conn.execute(
            s.listings.insert(),
            [
                {
                    "entity_id": "t-1",
                    "list_id": f"l{i}",
                    "list_name": "L",
                    "program": "",
                    "start_date": st,
                    "first_seen": fs,
                    "end_date": en,
                    "delisted": de,
                    "dataset": "t",
                    "first_snapshot_id": snap,
                    "last_snapshot_id": snap,
                }
                for i, (st, fs, en, de) in enumerate(combos)
            ],
        )
        in_sql = set(
            conn.execute(
                sa.select(s.listings.c.list_id).where(listing_in_force_clause(s.listings, AS_OF))
            ).scalars()
        )
    in_python = {f"l{i}" for i, c in enumerate(combos) if listing_in_force(*c, AS_OF)}
    assert in_sql == in_python
