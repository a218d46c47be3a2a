"""The one place that writes imported records into the store.

Called inside a single transaction by :func:`bidvet.sources.loader.load_file`; any exception
rolls the whole file back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.model.records import ImportBatch, ListingRecord, WriteStats
from bidvet.store import schema as s
from bidvet.store.history import active_keys, listing_key, presence_rows, rebuild_listings

CHUNK = 500
_T = TypeVar("_T")


def _chunks(items: Sequence[_T], size: int = CHUNK) -> Iterable[Sequence[_T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _existing(
    conn: Connection, column: sa.Column[Any], values: Sequence[Any], *select: sa.Column[Any]
) -> list[sa.Row[Any]]:
    rows: list[sa.Row[Any]] = []
    for chunk in _chunks(sorted(set(values))):
        rows.extend(conn.execute(sa.select(*select).where(column.in_(chunk))).all())
    return rows


def find_snapshot(conn: Connection, dataset: str, sha256: str) -> int | None:
    return conn.execute(
        sa.select(s.snapshots.c.id).where(
            s.snapshots.c.dataset == dataset, s.snapshots.c.sha256 == sha256
        )
    ).scalar()


def write_batch(
    conn: Connection, batch: ImportBatch, *, file_name: str, sha256: str, now: dt.datetime
) -> WriteStats:
    stats = WriteStats()
    existing = find_snapshot(conn, batch.dataset, sha256)
    if existing is not None:
        stats.snapshot_id = existing
        stats.already_loaded = True
        return stats
    latest_published = conn.execute(
        sa.select(sa.func.max(s.snapshots.c.published)).where(
            s.snapshots.c.dataset == batch.dataset
        )
    ).scalar()
    inserted = conn.execute(
        s.snapshots.insert().values(
            dataset=batch.dataset,
            format=batch.format,
            file_name=file_name,
            sha256=sha256,
            published=batch.published,
            imported_at=now,
            records=batch.imported,
            rejected=batch.quality.rejected,
            complete_list=batch.complete_list,
            # the column's server default is false; naming it only when true keeps the writer
            # usable on stores at earlier revisions (the migration tests write through it)
            **({"fictional": True} if batch.fictional else {}),
        )
    ).inserted_primary_key
    assert inserted is not None
    snap_id = inserted[0]
    stats.snapshot_id = int(snap_id)
    # first/last seen are publication dates; a file that is not a dated publication (curated
    # facts, a CSL export) says nothing about when an entry was listed.
    seen_date = batch.published
    _write_entities(conn, batch, stats)
    is_newest = latest_published is None or (
        batch.published is not None and batch.published >= latest_published
    )
    presence = presence_rows(stats.snapshot_id, batch.listings)
    for chunk in _chunks(presence):
        conn.execute(s.listing_presence.insert(), list(chunk))
    if batch.complete_list:
        _rebuild_listings(conn, batch, stats)
    else:
        _write_listings(conn, batch, stats, seen_date=seen_date, is_newest=is_newest)
    _write_keyed(
        conn,
        s.ownership,
        [
            {
                "key": o.key,
                "owner_id": o.owner_id,
                "asset_id": o.asset_id,
                "share": o.share,
                "share_min": o.share_min,
                "share_max": o.share_max,
                "kind": o.kind,
                "acting_jointly": o.acting_jointly,
                "role": o.role,
                "start_date": o.start_date,
                "end_date": o.end_date,
                "source": o.source,
                "source_url": o.source_url,
                "source_published": o.source_published,
            }
            for o in batch.ownerships
        ],
        batch.dataset,
        stats.snapshot_id,
    )
    stats.ownerships = len(batch.ownerships)
    _write_keyed(
        conn,
        s.events,
        [
            {
                "key": e.key,
                "entity_id": e.entity_id,
                "kind": e.kind,
                "date": e.date,
                "summary": e.summary,
                "source": e.source,
                "source_url": e.source_url,
                "source_published": e.source_published,
                "date_precision": e.date_precision if e.date is not None else None,
            }
            for e in batch.events
        ],
        batch.dataset,
        stats.snapshot_id,
    )
    stats.events = len(batch.events)
    if batch.contracts:
        from bidvet.store.contracts import write_contracts

        write_contracts(conn, batch, stats.snapshot_id)
    rows = [
        {
            "snapshot_id": stats.snapshot_id,
            "file_name": file_name,
            "record": i.record,
            "field": i.field,
            "value": i.value,
            "action": i.action,
            "reason": i.reason,
        }
        for i in batch.quality.issues
    ]
    for chunk in _chunks(rows):
        conn.execute(s.quality_log.insert(), list(chunk))
    return stats


def _write_entities(conn: Connection, batch: ImportBatch, stats: WriteStats) -> None:
    snap = stats.snapshot_id
    by_id = {}
    for ent in batch.entities:
        by_id[ent.id] = ent  # a later record with the same id wins (importers merge first)
    ids = list(by_id)
    known = {
        row.id: row.dataset
        for row in _existing(conn, s.entities.c.id, ids, s.entities.c.id, s.entities.c.dataset)
    }
    new_rows = []
    for eid, ent in by_id.items():
        if eid not in known:
            new_rows.append(
                {
                    "id": eid,
                    "schema": ent.schema,
                    "caption": ent.caption,
                    "dataset": batch.dataset,
                    "properties": ent.properties,
                    "source_url": ent.source_url,
                    "first_snapshot_id": snap,
                    "last_snapshot_id": snap,
                }
            )
        elif known[eid] == batch.dataset:
            conn.execute(
                s.entities.update()
                .where(s.entities.c.id == eid)
                .values(
                    schema=ent.schema,
                    caption=ent.caption,
                    properties=ent.properties,
                    source_url=ent.source_url,
                    last_snapshot_id=snap,
                )
            )
            stats.entities_updated += 1
    for chunk in _chunks(new_rows):
        conn.execute(s.entities.insert(), list(chunk))
    stats.entities_created = len(new_rows)
    _write_multi(
        conn,
        s.entity_names,
        ids,
        ("name", "kind", "lang"),
        snap,
        [(eid, n.name, n.kind, n.lang) for eid, e in by_id.items() for n in e.names],
    )
    _write_multi(
        conn,
        s.entity_identifiers,
        ids,
        ("scheme", "value", "raw"),
        snap,
        [(eid, i.scheme, i.value, i.raw) for eid, e in by_id.items() for i in e.identifiers],
    )
    _write_multi(
        conn,
        s.entity_countries,
        ids,
        ("country", "role"),
        snap,
        [(eid, c, r) for eid, e in by_id.items() for c, r in e.countries],
    )
    _write_multi(
        conn,
        s.entity_topics,
        ids,
        ("topic",),
        snap,
        [(eid, t) for eid, e in by_id.items() for t in e.topics],
    )


def _write_multi(
    conn: Connection,
    table: sa.Table,
    ids: Sequence[str],
    fields: tuple[str, ...],
    snap: int | None,
    values: list[tuple[Any, ...]],
) -> None:
    """Add the (entity_id, *fields) tuples not already stored; facts accumulate over snapshots."""
    cols = [table.c.entity_id, *(table.c[f] for f in fields)]
    have = {tuple(row) for row in _existing(conn, table.c.entity_id, ids, *cols)}
    rows = []
    for value in dict.fromkeys(values):
        if value in have:
            continue
        row = dict(zip(("entity_id", *fields), value, strict=True))
        row["snapshot_id"] = snap
        rows.append(row)
    for chunk in _chunks(rows):
        conn.execute(table.insert(), list(chunk))


def _rebuild_listings(conn: Connection, batch: ImportBatch, stats: WriteStats) -> None:
    """A complete publication: derive the dataset's listings from every snapshot held, in
    publication order (:mod:`bidvet.store.history`), and count what changed."""
    before = active_keys(conn, batch.dataset)
    rebuild_listings(conn, batch.dataset)
    after = active_keys(conn, batch.dataset)
    incoming = {listing_key(r.entity_id, r.list_id, r.program) for r in batch.listings}
    stats.listings_confirmed = len(incoming & before)
    stats.listings_created = len(incoming - before)
    stats.listings_delisted = len(before - after)


def _write_listings(
    conn: Connection,
    batch: ImportBatch,
    stats: WriteStats,
    *,
    seen_date: dt.date | None,
    is_newest: bool,
) -> None:
    """A partial publication (curated facts, a list export): add new entries and confirm known
    ones; nothing is delisted."""
    t = s.listings
    snap = stats.snapshot_id
    active = {
        listing_key(r.entity_id, r.list_id, r.program): r
        for r in conn.execute(
            sa.select(t.c.id, t.c.entity_id, t.c.list_id, t.c.program, t.c.last_seen).where(
                t.c.dataset == batch.dataset, t.c.delisted.is_(None)
            )
        ).all()
    }
    incoming: dict[tuple[str, str, str], ListingRecord] = {}
    for lst in batch.listings:
        incoming.setdefault(listing_key(lst.entity_id, lst.list_id, lst.program), lst)
    new_rows = []
    for key, lst in incoming.items():
        row = active.get(key)
        if row is None:
            new_rows.append(
                {
                    "entity_id": lst.entity_id,
                    "list_id": lst.list_id,
                    "list_name": lst.list_name,
                    "program": lst.program,
                    "authority": lst.authority,
                    "start_date": lst.start_date,
                    "end_date": lst.end_date,
                    "first_seen": seen_date,
                    "last_seen": seen_date,
                    "source_url": lst.source_url,
                    "source_title": lst.source_title,
                    "source_published": lst.source_published,
                    "reason": lst.reason,
                    "dataset": batch.dataset,
                    "first_snapshot_id": snap,
                    "last_snapshot_id": snap,
                }
            )
            continue
        stats.listings_confirmed += 1
        values: dict[str, Any] = {"last_snapshot_id": snap}
        if is_newest:
            values.update(
                last_seen=seen_date or row.last_seen,
                list_name=lst.list_name,
                reason=lst.reason,
                authority=lst.authority,
                source_url=lst.source_url,
                source_title=lst.source_title,
                source_published=lst.source_published,
            )
            if lst.start_date is not None:
                values["start_date"] = lst.start_date
            if lst.end_date is not None:
                values["end_date"] = lst.end_date
        conn.execute(t.update().where(t.c.id == row.id).values(**values))
    for chunk in _chunks(new_rows):
        conn.execute(t.insert(), list(chunk))
    stats.listings_created = len(new_rows)


def _write_keyed(
    conn: Connection, table: sa.Table, rows: list[dict[str, Any]], dataset: str, snap: int | None
) -> None:
    """Insert or update rows identified by their source ``key``."""
    if not rows:
        return
    rows = list({r["key"]: r for r in rows}.values())  # last record for a key wins
    have = {
        r.key: r.id
        for r in _existing(conn, table.c.key, [r["key"] for r in rows], table.c.key, table.c.id)
    }
    new = []
    for row in rows:
        row = {**row, "dataset": dataset, "snapshot_id": snap}
        if row["key"] in have:
            conn.execute(table.update().where(table.c.id == have[row["key"]]).values(**row))
        else:
            new.append(row)
    for chunk in _chunks(new):
        conn.execute(table.insert(), list(chunk))
