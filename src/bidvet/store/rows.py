"""Small row helpers shared by the store's modules."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection


def insert_id(conn: Connection, table: sa.Table, **values: Any) -> int:
    """Insert one row into ``table`` and return its new integer primary key."""
    key = conn.execute(table.insert().values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])
