"""Rows per table of a store, for tests that check a failed load wrote nothing."""

from __future__ import annotations

import sqlalchemy as sa

from bidvet.store import schema as s
from bidvet.store.db import Store


def table_counts(store: Store) -> dict[str, int]:
    """Each table's number of rows."""
    with store.read() as conn:
        return {
            t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() or 0)
            for t in s.metadata.sorted_tables
        }
