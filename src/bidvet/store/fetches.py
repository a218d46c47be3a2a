"""Download state of the official sources (``source_fetches``), for ``bidvet update``.

One row per source: what its last successful fetch received (ETag, Last-Modified, SHA-256, size,
the snapshot it loaded) and how the last attempt ended. A failed attempt keeps the validators of
the last success, so the next conditional request still asks "changed since what we hold?".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from bidvet.store import schema as s
from bidvet.store.db import Store


@dataclass(frozen=True)
class FetchState:
    source: str
    url: str | None
    etag: str | None
    last_modified: str | None
    sha256: str | None
    size: int | None
    fetched_at: dt.datetime | None
    snapshot_id: int | None
    checked_at: dt.datetime
    status: str
    message: str


def fetch_state(store: Store, source: str) -> FetchState | None:
    """The stored state of ``source``; ``None`` when it was never fetched."""
    with store.read() as conn:
        row = (
            conn.execute(sa.select(s.source_fetches).where(s.source_fetches.c.source == source))
            .mappings()
            .first()
        )
    return None if row is None else FetchState(**dict(row))


def all_fetch_states(store: Store) -> list[FetchState]:
    """Every stored state, by source id."""
    with store.read() as conn:
        rows = conn.execute(
            sa.select(s.source_fetches).order_by(s.source_fetches.c.source)
        ).mappings()
        return [FetchState(**dict(row)) for row in rows]


def record_success(
    store: Store,
    source: str,
    *,
    url: str | None,
    etag: str | None,
    last_modified: str | None,
    sha256: str | None,
    size: int | None,
    snapshot_id: int | None,
    status: str,
    message: str,
    now: dt.datetime,
) -> None:
    """Record a fetch that ended loaded or unchanged: its validators become the stored ones."""
    values = {
        "url": url,
        "etag": etag,
        "last_modified": last_modified,
        "sha256": sha256,
        "size": size,
        "fetched_at": now,
        "snapshot_id": snapshot_id,
        "checked_at": now,
        "status": status,
        "message": message,
    }
    _upsert(store, source, values)


def record_failure(store: Store, source: str, *, message: str, now: dt.datetime) -> None:
    """Record a failed attempt; the validators of the last success are kept."""
    _upsert(store, source, {"checked_at": now, "status": "failed", "message": message})


def _upsert(store: Store, source: str, values: Mapping[str, object]) -> None:
    t = s.source_fetches
    with store.transaction() as conn:
        found = conn.execute(sa.select(t.c.source).where(t.c.source == source)).first()
        if found is None:
            conn.execute(t.insert().values(source=source, **values))
        else:
            conn.execute(t.update().where(t.c.source == source).values(**values))
