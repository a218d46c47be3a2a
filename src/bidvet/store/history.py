"""A list's history derived from the snapshots held, in publication order, never load order.

Each snapshot records which entries it carried (``listing_presence``). For a dataset published as
complete lists, :func:`rebuild_listings` derives every ``listings`` row of the dataset from those
records: walking the snapshots by publication date, an entry's listing opens at the first snapshot
that carries it (``first_seen``), stays open while later snapshots carry it (``last_seen``) and
ends at the first later *complete* snapshot that lacks it (``delisted`` on that publication date).
An entry that comes back opens a new listing. The attributes of a listing (name, reason, source,
authority) are those of the latest snapshot of its run; its published start and end dates are the
latest ones given in the run.

Loading ``v2`` then the older ``v1`` therefore gives the same rows as ``v1`` then ``v2``. Snapshots
without a publication date sort by their import date, the only date they have.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.model.records import ListingRecord
from bidvet.store import schema as s

CHUNK = 500

Key = tuple[str, str, str]

#: listing attributes recorded per snapshot
ATTRS = (
    "list_name",
    "authority",
    "start_date",
    "end_date",
    "source_url",
    "source_title",
    "source_published",
    "reason",
)


def listing_key(entity_id: str, list_id: str, program: str) -> Key:
    return (entity_id, list_id, program)


def presence_rows(snapshot_id: int, listings: Iterable[ListingRecord]) -> list[dict[str, Any]]:
    """The ``listing_presence`` rows of one snapshot: one per entry (first record of a key)."""
    rows: dict[Key, dict[str, Any]] = {}
    for lst in listings:
        rows.setdefault(
            listing_key(lst.entity_id, lst.list_id, lst.program),
            {
                "snapshot_id": snapshot_id,
                "entity_id": lst.entity_id,
                "list_id": lst.list_id,
                "program": lst.program,
                **{name: getattr(lst, name) for name in ATTRS},
            },
        )
    return list(rows.values())


@dataclass(frozen=True)
class _Snap:
    id: int
    date: dt.date | None
    complete: bool
    order: tuple[Any, ...]


@dataclass
class _Run:
    first: _Snap
    last: _Snap
    attrs: dict[str, Any] = field(default_factory=dict)
    delisted: dt.date | None = None


def _snapshots(conn: Connection, dataset: str) -> list[_Snap]:
    c = s.snapshots.c
    rows = conn.execute(
        sa.select(c.id, c.published, c.imported_at, c.sha256, c.complete_list).where(
            c.dataset == dataset
        )
    ).all()
    snaps = [
        _Snap(
            id=row.id,
            date=row.published,
            complete=bool(row.complete_list),
            order=(row.published or row.imported_at.date(), row.sha256),
        )
        for row in rows
    ]
    return sorted(snaps, key=lambda snap: snap.order)


def _runs(snaps: Sequence[_Snap], present: dict[int, dict[str, Any]]) -> list[_Run]:
    runs: list[_Run] = []
    run: _Run | None = None
    for snap in snaps:
        attrs = present.get(snap.id)
        if attrs is not None:
            if run is None:
                run = _Run(first=snap, last=snap)
            run.last = snap
            merged = {**run.attrs, **attrs}
            for name in ("start_date", "end_date"):  # a later snapshot without one keeps it
                if attrs[name] is None:
                    merged[name] = run.attrs.get(name)
            run.attrs = merged
        elif run is not None and snap.complete:
            run.delisted = snap.date or snap.order[0]
            runs.append(run)
            run = None
    if run is not None:
        runs.append(run)
    return runs


def rebuild_listings(conn: Connection, dataset: str) -> None:
    """Replace the dataset's ``listings`` rows by those derived from its snapshots (see above)."""
    snaps = _snapshots(conn, dataset)
    p = s.listing_presence.c
    by_key: dict[Key, dict[int, dict[str, Any]]] = defaultdict(dict)
    query = sa.select(s.listing_presence).where(
        p.snapshot_id.in_(sa.select(s.snapshots.c.id).where(s.snapshots.c.dataset == dataset))
    )
    for row in conn.execute(query).mappings():
        key = listing_key(row["entity_id"], row["list_id"], row["program"])
        by_key[key][row["snapshot_id"]] = {name: row[name] for name in ATTRS}
    rows = []
    for key in sorted(by_key):
        entity_id, list_id, program = key
        for run in _runs(snaps, by_key[key]):
            rows.append(
                {
                    "entity_id": entity_id,
                    "list_id": list_id,
                    "program": program,
                    **run.attrs,
                    "first_seen": run.first.date,
                    "last_seen": run.last.date,
                    "delisted": run.delisted,
                    "dataset": dataset,
                    "first_snapshot_id": run.first.id,
                    "last_snapshot_id": run.last.id,
                }
            )
    conn.execute(s.listings.delete().where(s.listings.c.dataset == dataset))
    for i in range(0, len(rows), CHUNK):
        conn.execute(s.listings.insert(), rows[i : i + CHUNK])


def active_keys(conn: Connection, dataset: str) -> set[Key]:
    """Entries of the dataset whose latest listing has not been delisted."""
    t = s.listings.c
    rows = conn.execute(
        sa.select(t.entity_id, t.list_id, t.program).where(
            t.dataset == dataset, t.delisted.is_(None)
        )
    ).all()
    return {listing_key(*row) for row in rows}
