"""The one place that writes imported records into the store.

Called inside a single transaction by :func:`bidvet.sources.loader.load_file`; any exception
rolls the whole file back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.model.records import (
    EntityRow,
    ImportBatch,
    ImportStream,
    ListingRecord,
    OwnershipRecord,
    StreamRestart,
    WriteStats,
    entity_row,
)
from bidvet.store import schema as s
from bidvet.store.history import (
    ATTRS,
    active_keys,
    listing_key,
    presence_rows,
    rebuild_listings,
)
from bidvet.store.scratch import SeenKeys

CHUNK = 500
_T = TypeVar("_T")


def _json_encoder() -> Callable[[Any], str]:
    """``json.dumps`` with its default settings, its C encoder made once instead of once a
    value (the same text; half the time for the small objects of a bulk load)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without the C accelerator
        return json.dumps
    encode = make(
        None,  # no check for circular references: rows hold plain values
        json.JSONEncoder().default,  # what cannot be encoded is the same TypeError
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )

    def dumps(value: Any) -> str:
        return "".join(encode(value, 0))

    return dumps


#: ``json.dumps(value)``, faster (see :func:`_json_encoder`)
json_text = _json_encoder()


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


def _open_snapshot(
    conn: Connection,
    header: ImportBatch | ImportStream,
    *,
    file_name: str,
    sha256: str,
    now: dt.datetime,
) -> tuple[WriteStats, int, dt.date | None]:
    """The snapshot row of a publication (stats, its id) and the latest publication date held
    before it.

    A file already loaded (same dataset and SHA-256) is not written again: the stats say
    ``already_loaded`` and name its snapshot.
    """
    stats = WriteStats()
    existing = find_snapshot(conn, header.dataset, sha256)
    if existing is not None:
        stats.snapshot_id = existing
        stats.already_loaded = True
        return stats, existing, None
    latest_published = conn.execute(
        sa.select(sa.func.max(s.snapshots.c.published)).where(
            s.snapshots.c.dataset == header.dataset
        )
    ).scalar()
    inserted = conn.execute(
        s.snapshots.insert().values(
            dataset=header.dataset,
            format=header.format,
            file_name=file_name,
            sha256=sha256,
            published=header.published,
            imported_at=now,
            records=header.imported,
            rejected=header.quality.rejected,
            complete_list=header.complete_list,
            # the column's server default is false; naming it only when true keeps the writer
            # usable on stores at earlier revisions (the migration tests write through it)
            **({"fictional": True} if header.fictional else {}),
        )
    ).inserted_primary_key
    assert inserted is not None
    stats.snapshot_id = snap_id = int(inserted[0])
    return stats, snap_id, latest_published


def write_batch(
    conn: Connection, batch: ImportBatch, *, file_name: str, sha256: str, now: dt.datetime
) -> WriteStats:
    stats, snap_id, latest_published = _open_snapshot(
        conn, batch, file_name=file_name, sha256=sha256, now=now
    )
    if stats.already_loaded:
        return stats
    # first/last seen are publication dates; a file that is not a dated publication (curated
    # facts, a CSL export) says nothing about when an entry was listed.
    seen_date = batch.published
    _write_entities(conn, batch, stats)
    is_newest = latest_published is None or (
        batch.published is not None and batch.published >= latest_published
    )
    presence = presence_rows(snap_id, batch.listings)
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


def _confirmed_listing(
    lst: ListingRecord, row: Any, snap: int | None, seen_date: dt.date | None, is_newest: bool
) -> dict[str, Any]:
    """The update of a listing already held that a publication confirms: its last snapshot,
    and when the publication is the newest, its current wording, source and dates (a date
    the publication leaves out keeps the one held)."""
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
    return values


def _active_listings(conn: Connection, dataset: str) -> dict[tuple[str, str, str], Any]:
    """The dataset's listings not delisted, by listing key (id, key columns and last seen)."""
    t = s.listings
    return {
        listing_key(r.entity_id, r.list_id, r.program): r
        for r in conn.execute(
            sa.select(t.c.id, t.c.entity_id, t.c.list_id, t.c.program, t.c.last_seen).where(
                t.c.dataset == dataset, t.c.delisted.is_(None)
            )
        ).all()
    }


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
    active = _active_listings(conn, batch.dataset)
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
        values = _confirmed_listing(lst, row, snap, seen_date, is_newest)
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


# --- Streaming writes: an ImportStream consumed in chunks, in the caller's one transaction ------

STREAM_CHUNK = 5000
SQLITE_CACHE_KIB = 64 * 1024


def _batched(items: Iterable[_T]) -> Iterator[list[_T]]:
    size = STREAM_CHUNK
    chunk: list[_T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Inserter:
    """Bulk inserts of plain tuples, with the few conversions the column types would make
    (JSON text; dates as ISO text on SQLite).

    SQLite: one prepared ``INSERT`` reused through the driver's ``executemany``. PostgreSQL:
    ``COPY … FROM STDIN`` through psycopg's copy API, on the transaction's own connection.
    ``consts`` are columns with one value for every row (the snapshot id, the dataset): on SQLite
    they are written into the statement once instead of into each row.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.quote = conn.dialect.identifier_preparer.quote
        self._sql: dict[tuple[Any, ...], str] = {}
        self._converters: dict[tuple[str, tuple[str, ...]], list[tuple[int, Any]]] = {}

    def _convert(self, table: sa.Table, cols: tuple[str, ...]) -> list[tuple[int, Any]]:
        key = (table.name, cols)
        found = self._converters.get(key)
        if found is None:
            found = []
            for i, name in enumerate(cols):
                kind = table.c[name].type
                if isinstance(kind, sa.JSON):
                    found.append((i, json_text))
                elif self.sqlite and isinstance(kind, sa.Date):
                    found.append((i, _date_sqlite))
            self._converters[key] = found
        return found

    def _statement(
        self,
        table: sa.Table,
        cols: tuple[str, ...],
        consts: tuple[Any, ...],
        conflict: str | None = None,
    ) -> str:
        names = [name for name, _ in consts]
        key = (table.name, cols, conflict, *names, *(value for _, value in consts))
        sql = self._sql.get(key)
        if sql is None:
            columns = ", ".join(self.quote(c) for c in (*cols, *names))
            if self.sqlite:
                marks = ["?"] * len(cols) + [_sqlite_literal(v) for _, v in consts]
                sql = (
                    f"INSERT INTO {self.quote(table.name)} ({columns}) VALUES ({', '.join(marks)})"
                )
                if conflict is not None:
                    updated = ", ".join(
                        f"{q} = excluded.{q}"
                        for q in map(self.quote, (*cols, *names))
                        if q != self.quote(conflict)
                    )
                    sql += f" ON CONFLICT ({self.quote(conflict)}) DO UPDATE SET {updated}"
            else:
                sql = f"COPY {self.quote(table.name)} ({columns}) FROM STDIN"
            self._sql[key] = sql
        return sql

    def insert(
        self,
        table: sa.Table,
        cols: tuple[str, ...],
        rows: list[tuple[Any, ...]],
        consts: tuple[tuple[str, Any], ...] = (),
        *,
        converted: bool = False,
        conflict: str | None = None,
    ) -> None:
        """``rows`` of ``cols``; ``converted``: the caller made the conversions already.
        ``conflict`` (SQLite only): a row whose value in that unique column is held already
        updates the held row (its id kept) with every other column instead."""
        if not rows:
            return
        assert conflict is None or self.sqlite
        sql = self._statement(table, cols, consts, conflict)
        convert = () if converted else self._convert(table, cols)
        if convert:
            out: list[list[Any]] = []
            for row in rows:
                values = list(row)
                for i, f in convert:
                    if values[i] is not None:
                        values[i] = f(values[i])
                out.append(values)
            rows = out  # type: ignore[assignment]
        cursor = self.conn.connection.cursor()
        try:
            if self.sqlite:
                cursor.executemany(sql, rows)
            else:
                tail = tuple(value for _, value in consts)
                with cursor.copy(sql) as copy:
                    write = copy.write_row
                    if tail:
                        for row in rows:
                            write((*row, *tail))
                    else:
                        for row in rows:
                            write(row)
        finally:
            cursor.close()


def _sqlite_literal(value: Any) -> str:
    """A constant column's value written into a SQLite statement."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQLite literal for {type(value).__name__}")


def _date_sqlite(value: dt.date) -> str:
    return value.isoformat()


def write_stream(
    conn: Connection, stream: ImportStream, *, file_name: str, sha256: str, now: dt.datetime
) -> WriteStats:
    """:func:`write_batch` for an :class:`ImportStream`: the same rows in the same order,
    written in chunks of :data:`STREAM_CHUNK` records with multi-row inserts; what is kept
    between chunks is keys (entity ids, listing and edge keys), never records."""
    stats, snap, latest_published = _open_snapshot(
        conn, stream, file_name=file_name, sha256=sha256, now=now
    )
    if stats.already_loaded:
        return stats
    ins = _Inserter(conn)
    if ins.sqlite:  # a fixed page cache for the bulk load: index pages stay in memory
        conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    fresh = conn.execute(sa.select(s.entities.c.id).limit(1)).first() is None
    rows = stream.entity_rows() if stream.entity_rows is not None else None
    if rows is None:
        rows = map(entity_row, stream.entity_records())
    for chunk in _batched(rows):
        _stream_entities(conn, ins, chunk, stream.dataset, snap, stats, fresh=fresh)
    is_newest = latest_published is None or (
        stream.published is not None and stream.published >= latest_published
    )
    _stream_listings(conn, ins, stream, stats, is_newest=is_newest)
    keyed = _KeyedWriter(conn, ins, s.ownership, _OWNERSHIP_COLS, stream.dataset, snap)
    ownership_values = attrgetter(*_OWNERSHIP_COLS)
    for o_chunk in _batched(stream.ownership_records()):
        keyed.write([ownership_values(o) for o in o_chunk])
        stats.ownerships += len(o_chunk)
    keyed = _KeyedWriter(conn, ins, s.events, _EVENT_COLS, stream.dataset, snap)
    for e_chunk in _batched(stream.event_records()):
        keyed.write(
            [
                (
                    *(getattr(e, c) for c in _EVENT_COLS[:-1]),
                    e.date_precision if e.date is not None else None,
                )
                for e in e_chunk
            ]
        )
        stats.events += len(e_chunk)
    _write_issues(ins, stream, file_name, snap)
    return stats


def write_chunks(
    conn: Connection,
    stream: ImportStream,
    chunks: Iterable[tuple[str, list[Any]]],
    *,
    file_name: str,
    sha256: str,
    now: dt.datetime,
) -> WriteStats:
    """:func:`write_stream` for records written while the file is still being read (by another
    process): ``chunks`` gives ``("entities", [EntityRow …])`` and ``("ownership", [tuples of
    OwnershipRecord fields …])`` in file order, and completes ``stream``'s header (counts,
    publication date, quality log) when it ends. The snapshot row is written first and its
    counts when the records have all been written, in the same transaction.

    The rows are those :func:`write_stream` writes, in its order, as long as no entity id comes
    twice: an id given again would have to take its first place with its last content, which
    only a write of the whole file can do, so :class:`StreamRestart` is raised (as it is for a
    publication already held) and the caller rolls back and loads the file the ordinary way.
    Files with listings or events are not written this way."""
    stats = WriteStats()
    if find_snapshot(conn, stream.dataset, sha256) is not None:
        raise StreamRestart("publication already held")
    inserted = conn.execute(
        s.snapshots.insert().values(
            dataset=stream.dataset,
            format=stream.format,
            file_name=file_name,
            sha256=sha256,
            imported_at=now,
            records=0,
            rejected=0,
            complete_list=stream.complete_list,
            **({"fictional": True} if stream.fictional else {}),
        )
    ).inserted_primary_key
    assert inserted is not None
    stats.snapshot_id = snap = int(inserted[0])
    ins = _Inserter(conn)
    if ins.sqlite:
        conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    fresh = conn.execute(sa.select(s.entities.c.id).limit(1)).first() is None
    keyed = _KeyedWriter(conn, ins, s.ownership, _OWNERSHIP_COLS, stream.dataset, snap)
    ownership_values = attrgetter(*_OWNERSHIP_COLS)
    dbapi = conn.dialect.dbapi
    assert dbapi is not None
    for kind, rows in chunks:
        if kind == "entities":
            if len({row[0] for row in rows}) != len(rows):
                raise StreamRestart("an entity id given twice")
            try:
                _stream_entities(
                    conn, ins, rows, stream.dataset, snap, stats, fresh=fresh, once=True
                )
            except dbapi.IntegrityError as exc:  # an id written before in this load
                raise StreamRestart("an entity id given twice") from exc
        elif kind == "ownership":
            keyed.write([ownership_values(OwnershipRecord(*row)) for row in rows])
            stats.ownerships += len(rows)
        else:
            raise ValueError(f"unknown kind of chunk {kind!r}")
    conn.execute(
        s.snapshots.update()
        .where(s.snapshots.c.id == snap)
        .values(
            records=stream.imported,
            rejected=stream.quality.rejected,
            published=stream.published,
        )
    )
    _write_issues(ins, stream, file_name, snap)
    return stats


def _write_issues(ins: _Inserter, stream: ImportStream, file_name: str, snap: int) -> None:
    """The quality log read once, in order, and written ``STREAM_CHUNK`` issues at a time: the
    log keeps most of a large file's issues on disk and is never made into one list."""
    rows = ((i.record, i.field, i.value, i.action, i.reason) for i in stream.quality.issues)
    for chunk in _batched(rows):
        ins.insert(
            s.quality_log,
            ("record", "field", "value", "action", "reason"),
            chunk,
            (("snapshot_id", snap), ("file_name", file_name)),
        )


_ENTITY_COLS = ("id", "schema", "caption", "properties", "source_url")
_MULTI: tuple[tuple[sa.Table, tuple[str, ...]], ...] = (
    (s.entity_names, ("name", "kind", "lang")),
    (s.entity_identifiers, ("scheme", "value", "raw")),
    (s.entity_countries, ("country", "role")),
    (s.entity_topics, ("topic",)),
)
_OWNERSHIP_COLS = (
    "key",
    "owner_id",
    "asset_id",
    "share",
    "share_min",
    "share_max",
    "kind",
    "acting_jointly",
    "role",
    "start_date",
    "end_date",
    "source",
    "source_url",
    "source_published",
)
_EVENT_COLS = (
    "key",
    "entity_id",
    "kind",
    "date",
    "summary",
    "source",
    "source_url",
    "source_published",
    "date_precision",
)


def _stream_entities(
    conn: Connection,
    ins: _Inserter,
    chunk: list[EntityRow],
    dataset: str,
    snap: int,
    stats: WriteStats,
    *,
    fresh: bool,
    once: bool = False,
) -> None:
    """One chunk of entities (ids unique across the stream), as :func:`_write_entities`.

    ``once``: ids are not known to be unique across the stream; one written earlier in this
    snapshot raises :class:`StreamRestart` (see :func:`write_chunks`)."""
    known: dict[str, str] = {}
    if not fresh:
        found = _existing(
            conn,
            s.entities.c.id,
            [e[0] for e in chunk],
            s.entities.c.id,
            s.entities.c.dataset,
            s.entities.c.last_snapshot_id,
        )
        if once and any(row.last_snapshot_id == snap for row in found):
            raise StreamRestart("an entity id given twice")
        known = {row.id: row.dataset for row in found}
    new_rows = []
    updates = []
    names: list[tuple[Any, ...]] = []
    identifiers: list[tuple[Any, ...]] = []
    countries: list[tuple[Any, ...]] = []
    topics: list[tuple[Any, ...]] = []
    for (
        eid,
        schema,
        caption,
        properties,
        source_url,
        e_names,
        e_ids,
        e_countries,
        e_topics,
    ) in chunk:
        owner = known.get(eid) if known else None
        if owner is None:
            new_rows.append((eid, schema, caption, json_text(properties), source_url))
        elif owner == dataset:
            updates.append(
                {
                    "b_id": eid,
                    "schema": schema,
                    "caption": caption,
                    "properties": properties,
                    "source_url": source_url,
                    "last_snapshot_id": snap,
                }
            )
        # each entity's facts without repeats: ids are unique in a chunk, so these are the
        # chunk's rows without repeats, in the same order
        if e_names:
            names.extend(_once([(eid, *n) for n in e_names]))
        if e_ids:
            identifiers.extend(_once([(eid, *i) for i in e_ids]))
        if e_countries:
            countries.extend(_once([(eid, *c) for c in e_countries]))
        if e_topics:
            topics.extend(_once([(eid, t) for t in e_topics]))
    ins.insert(
        s.entities,
        _ENTITY_COLS,
        new_rows,
        (("dataset", dataset), ("first_snapshot_id", snap), ("last_snapshot_id", snap)),
        converted=True,  # properties as JSON text above; no other column is converted
    )
    if updates:
        conn.execute(s.entities.update().where(s.entities.c.id == sa.bindparam("b_id")), updates)
    stats.entities_created += len(new_rows)
    stats.entities_updated += len(updates)
    for (table, fields), rows in zip(_MULTI, (names, identifiers, countries, topics), strict=True):
        have: set[tuple[Any, ...]] = set()
        if known:
            cols = [table.c.entity_id, *(table.c[f] for f in fields)]
            have = {tuple(r) for r in _existing(conn, table.c.entity_id, list(known), *cols)}
        ins.insert(
            table,
            ("entity_id", *fields),
            [v for v in rows if v not in have] if have else rows,
            (("snapshot_id", snap),),
        )


def _once(rows: list[_T]) -> Iterable[_T]:
    """``rows`` without repeats, in order (one row needs no look)."""
    return dict.fromkeys(rows) if len(rows) > 1 else rows


_LISTING_COLS = (
    "entity_id",
    "list_id",
    "list_name",
    "program",
    "authority",
    "start_date",
    "end_date",
    "first_seen",
    "last_seen",
    "source_url",
    "source_title",
    "source_published",
    "reason",
)
_PRESENCE_COLS = ("entity_id", "list_id", "program", *ATTRS)


def _stream_listings(
    conn: Connection, ins: _Inserter, stream: ImportStream, stats: WriteStats, *, is_newest: bool
) -> None:
    """``listing_presence`` rows and listings, as :func:`write_batch` writes them."""
    snap = stats.snapshot_id
    assert snap is not None
    seen = SeenKeys()  # digests of the keys written (_key_digest), on disk past a bound
    try:
        t = s.listings
        active = {} if stream.complete_list else _active_listings(conn, stream.dataset)
        before = active_keys(conn, stream.dataset) if stream.complete_list else set()
        seen_date = stream.published
        for chunk in _batched(stream.listing_records()):
            first: list[ListingRecord] = []
            for lst in chunk:
                key = listing_key(lst.entity_id, lst.list_id, lst.program)
                if seen.add(_key_digest(key)):
                    first.append(lst)
            ins.insert(
                s.listing_presence,
                _PRESENCE_COLS,
                [
                    (
                        r.entity_id,
                        r.list_id,
                        r.program,
                        r.list_name,
                        r.authority,
                        r.start_date,
                        r.end_date,
                        r.source_url,
                        r.source_title,
                        r.source_published,
                        r.reason,
                    )
                    for r in first
                ],
                (("snapshot_id", snap),),
            )
            if stream.complete_list:
                continue
            new_rows = []
            updates = []
            for lst in first:
                row = active.get(listing_key(lst.entity_id, lst.list_id, lst.program))
                if row is None:
                    new_rows.append(
                        (
                            lst.entity_id,
                            lst.list_id,
                            lst.list_name,
                            lst.program,
                            lst.authority,
                            lst.start_date,
                            lst.end_date,
                            seen_date,
                            seen_date,
                            lst.source_url,
                            lst.source_title,
                            lst.source_published,
                            lst.reason,
                        )
                    )
                    continue
                stats.listings_confirmed += 1
                updates.append((row.id, _confirmed_listing(lst, row, snap, seen_date, is_newest)))
            for row_id, values in updates:  # confirmations of listings already held
                conn.execute(t.update().where(t.c.id == row_id).values(**values))
            ins.insert(
                t,
                _LISTING_COLS,
                new_rows,
                (
                    ("dataset", stream.dataset),
                    ("first_snapshot_id", snap),
                    ("last_snapshot_id", snap),
                ),
            )
            stats.listings_created += len(new_rows)
        if stream.complete_list:
            rebuild_listings(conn, stream.dataset)
            after = active_keys(conn, stream.dataset)
            held = {_key_digest(key) for key in before}
            stats.listings_confirmed = sum(1 for digest in held if digest in seen)
            stats.listings_created = len(seen) - stats.listings_confirmed
            stats.listings_delisted = len(before - after)
    finally:
        seen.close()


def _key_digest(key: tuple[str, ...]) -> bytes:
    """A 128-bit digest standing for a listing key in memory (a collision is not to be met)."""
    text = "".join(f"{len(part)}:{part}" for part in key)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class _KeyedWriter:
    """:func:`_write_keyed` over chunks: a key's row is inserted where the key first appears
    and carries the values of its last record, as when the whole file is held. Which keys the
    store holds (from earlier loads, or from earlier chunks of this one: the transaction sees
    its own rows) is left to the store, chunk by chunk, so no key is kept in memory: on SQLite
    each row is an insert that updates the row of a key held instead (``ON CONFLICT``), on
    PostgreSQL (rows copied in bulk) the held keys are looked up first."""

    def __init__(
        self,
        conn: Connection,
        ins: _Inserter,
        table: sa.Table,
        cols: tuple[str, ...],
        dataset: str,
        snap: int,
    ) -> None:
        self.conn, self.ins, self.table, self.cols = conn, ins, table, cols
        self.dataset, self.snap = dataset, snap
        self.analysed = False

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        table = self.table
        by_key: dict[str, tuple[Any, ...]] = {}
        for row in rows:
            by_key[row[0]] = row
        consts = (("dataset", self.dataset), ("snapshot_id", self.snap))
        if self.ins.sqlite:
            # the same rows without asking which keys are held: a key held (from an earlier
            # load or chunk) updates its row in place, a new one is inserted, in this order
            self.ins.insert(table, self.cols, list(by_key.values()), consts, conflict="key")
            return
        held = {
            r.key: r.id
            for r in _existing(self.conn, table.c.key, list(by_key), table.c.key, table.c.id)
        }
        new = []
        for key, row in by_key.items():
            row_id = held.get(key)
            if row_id is None:
                new.append(row)
                continue
            values = dict(zip(self.cols, row, strict=True))
            values.update(dataset=self.dataset, snapshot_id=self.snap)
            self.conn.execute(table.update().where(table.c.id == row_id).values(**values))
        self.ins.insert(table, self.cols, new, consts)
        if new and not self.analysed:
            # PostgreSQL plans the key lookups above from the table's statistics: without
            # fresh ones a table filled in this transaction looks empty and each lookup scans
            # it whole (a load of n keys then costs n²); ANALYZE sees the transaction's rows
            self.conn.exec_driver_sql(f"ANALYZE {self.ins.quote(table.name)}")
            self.analysed = True
