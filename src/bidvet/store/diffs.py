"""The queries behind ``bidvet diff``: what each snapshot of a dataset carried.

List entries come from ``listing_presence`` (one row per entry of each snapshot, kept for every
snapshot). Names, ownership edges and events are stored once: names with the snapshot that first
gave them, edges and events with the snapshot that last wrote them, so for those only what a
snapshot added or last wrote can be told, never what it no longer carried (``bidvet.monitor.diff``
says so in its output).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from bidvet.model.facts import SnapshotInfo
from bidvet.store import schema as s
from bidvet.store.db import Store

CHUNK = 500


@dataclass(frozen=True)
class PresenceRow:
    """One entry of one snapshot."""

    entity_id: str
    caption: str
    list_id: str
    list_name: str
    program: str
    start_date: dt.date | None
    end_date: dt.date | None
    reason: str | None


def dataset_snapshots(store: Store, dataset: str) -> list[SnapshotInfo]:
    """The snapshots of ``dataset`` in publication order; undated ones by import date, as the
    list history orders them, and snapshots of one day in the order they were loaded."""
    with store.view() as view:
        snaps = [snap for snap in view.snapshots() if snap.dataset == dataset]
    return sorted(
        snaps,
        key=lambda snap: (snap.published or snap.imported_at.date(), snap.imported_at, snap.id),
    )


def datasets(store: Store) -> list[str]:
    with store.read() as conn:
        return sorted(conn.execute(sa.select(s.snapshots.c.dataset).distinct()).scalars())


def presence(store: Store, snapshot_id: int) -> list[PresenceRow]:
    """Every list entry the snapshot carried, with its entity's caption."""
    p, e = s.listing_presence.c, s.entities.c
    query = (
        sa.select(
            p.entity_id,
            e.caption,
            p.list_id,
            p.list_name,
            p.program,
            p.start_date,
            p.end_date,
            p.reason,
        )
        .join_from(s.listing_presence, s.entities, e.id == p.entity_id)
        .where(p.snapshot_id == snapshot_id)
        .order_by(p.list_id, p.entity_id, p.program)
    )
    with store.read() as conn:
        return [PresenceRow(*row) for row in conn.execute(query).all()]


def names_first_given_by(
    store: Store, snapshot_ids: Iterable[int], entity_ids: Iterable[str]
) -> dict[str, list[str]]:
    """Names of these entities first stored from one of ``snapshot_ids``, by entity."""
    t = s.entity_names.c
    ids = sorted(set(entity_ids))
    snaps = sorted(set(snapshot_ids))
    out: dict[str, list[str]] = {}
    with store.read() as conn:
        for i in range(0, len(ids), CHUNK):
            rows = conn.execute(
                sa.select(t.entity_id, t.name)
                .where(t.snapshot_id.in_(snaps), t.entity_id.in_(ids[i : i + CHUNK]))
                .order_by(t.entity_id, t.name)
            ).all()
            for entity_id, name in rows:
                out.setdefault(entity_id, []).append(name)
    return out


def keyed_rows(store: Store, table: str, dataset: str, snapshot_ids: Iterable[int]) -> list[Any]:
    """Ownership edges or events (``table``) of ``dataset`` last written by these snapshots."""
    t = {"ownership": s.ownership, "events": s.events}[table]
    query = (
        sa.select(t)
        .where(t.c.dataset == dataset, t.c.snapshot_id.in_(sorted(set(snapshot_ids))))
        .order_by(t.c.key)
    )
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def count_keyed(store: Store, table: str, dataset: str) -> int:
    t = {"ownership": s.ownership, "events": s.events}[table]
    with store.read() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).where(t.c.dataset == dataset)).scalar() or 0
        )
