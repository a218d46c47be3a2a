"""A content digest of the store: every row of every table, in primary-key order.

Two stores with the same digest hold the same facts, snapshots, ids and schema revision. Backup
writes it next to a backup and restore checks it; the fault-injection tests compare it before and
after a killed load. Values are read through the schema's types, so a date is a date on both
backends, and written in one canonical text form (JSON, sorted keys).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.store import schema as s

#: columns that say when a file was loaded rather than what it holds
LOAD_TIME_COLUMNS = frozenset({"snapshots.imported_at"})


def _value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def knowledge_tables() -> list[sa.Table]:
    """The tables that hold knowledge (what an assessment may read), in dependency order.

    Operational tables (workspace accounts and sessions, the audit log, watches and alerts,
    download state) carry ``info={"knowledge": False}``: a login or an alert must not change the
    data snapshot a report cites.
    """
    return [t for t in s.metadata.sorted_tables if t.info.get("knowledge", True)]


def content_digest(conn: Connection, *, include_load_times: bool = True) -> str:
    """SHA-256 over the schema revision and every row of every table of the store.

    ``include_load_times=False`` leaves out :data:`LOAD_TIME_COLUMNS`, so that two loads of the
    same files at different times compare equal.
    """
    digest = hashlib.sha256()
    revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    digest.update(f"revision {revision}\n".encode())
    for table in sorted(knowledge_tables(), key=lambda t: t.name):
        columns = [
            c
            for c in table.columns
            if include_load_times or f"{table.name}.{c.name}" not in LOAD_TIME_COLUMNS
        ]
        digest.update(f"table {table.name} {','.join(c.name for c in columns)}\n".encode())
        query = sa.select(*columns).order_by(*table.primary_key.columns)
        for row in conn.execute(query):
            line = json.dumps([_value(v) for v in row], sort_keys=True, ensure_ascii=False)
            digest.update(line.encode())
            digest.update(b"\n")
    return digest.hexdigest()


def row_count(conn: Connection) -> int:
    """How many rows the store's tables hold (0: an empty, freshly migrated store)."""
    total = 0
    for table in knowledge_tables():
        total += int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)
    return total
