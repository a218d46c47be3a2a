"""Monitoring's questions and writes: watches, alerts, deliveries, the watermark, and what the
snapshots loaded since the watermark changed.

The only SQL of :mod:`bidvet.monitor`. Rows come back as plain typed records; nothing here
decides whether a change matters (that is :mod:`bidvet.monitor.reassess`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from bidvet.errors import InputError
from bidvet.store import audit
from bidvet.store import schema as s
from bidvet.store.db import Store
from bidvet.store.rows import insert_id

WATERMARK = "reassessed_snapshot"


@dataclass(frozen=True)
class WatchRow:
    id: int
    kind: str
    label: str
    tender_path: str | None
    tender_yaml: str | None
    tender_sha256: str | None
    ocid: str | None
    awarded_to: str | None
    award_date: dt.date | None
    decision: dict[str, Any]
    decision_as_of: dt.date
    snapshot_digest: str
    framework_id: str
    framework_hash: str
    state: dict[str, Any]
    state_as_of: dt.date
    created_at: dt.datetime


@dataclass(frozen=True)
class AlertRow:
    id: int
    watch_id: int
    key: str
    raised_at: dt.datetime
    as_of: dt.date
    summary: str
    body: dict[str, Any]
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    note: str | None


@dataclass(frozen=True)
class DeliveryRow:
    alert_id: int
    channel: str
    status: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class ListingChange:
    """An entry a snapshot added, removed or changed against the dataset's previous snapshot."""

    entity_id: str
    change: str  # added | removed | changed
    list_id: str
    list_name: str
    program: str
    start_date: dt.date | None
    reason: str | None
    source_url: str | None
    snapshot_id: int
    dataset: str
    file_name: str
    published: dt.date | None


@dataclass(frozen=True)
class Changes:
    """What the snapshots after a watermark changed, by entity."""

    snapshots: tuple[int, ...]
    listings: tuple[ListingChange, ...]
    ownership: tuple[tuple[str, str, int], ...]  # owner_id, asset_id, snapshot id
    events: tuple[tuple[str, int], ...]  # entity_id, snapshot id

    def entity_ids(self) -> set[str]:
        out = {c.entity_id for c in self.listings}
        out.update(o for o, _, _ in self.ownership)
        out.update(a for _, a, _ in self.ownership)
        out.update(e for e, _ in self.events)
        return out


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _watch(m: Any) -> WatchRow:
    return WatchRow(**{c.name: m[c.name] for c in s.watches.columns})


def _alert(m: Any) -> AlertRow:
    return AlertRow(**{c.name: m[c.name] for c in s.alerts.columns})


# -- watches ----------------------------------------------------------------------------------
def insert_watch(store: Store, values: dict[str, Any], *, actor: str) -> int:
    """Store a new watch; its state starts as the decision it was awarded on. The audit log
    records who added it, in the same transaction. Returns its id."""
    row = {**values, "created_at": values.get("created_at") or _now()}
    row.setdefault("state", row["decision"])
    row.setdefault("state_as_of", row["decision_as_of"])
    with store.transaction() as conn:
        watch_id = insert_id(conn, s.watches, **row)
        outcomes = {k: v.get("outcome") for k, v in row["decision"].get("subjects", {}).items()}
        audit.append(
            conn,
            actor=actor,
            action="watch-add",
            object_type="watch",
            object_id=watch_id,
            details={
                "kind": row["kind"],
                "label": row["label"],
                "ocid": row.get("ocid"),
                "tender_sha256": row.get("tender_sha256"),
                "awarded_to": row.get("awarded_to"),
                "award_date": str(row["award_date"]) if row.get("award_date") else None,
                "decision_as_of": str(row["decision_as_of"]),
                "outcomes": outcomes,
                "snapshot": row["snapshot_digest"],
            },
        )
    return watch_id


def watches(store: Store) -> list[WatchRow]:
    with store.read() as conn:
        rows = conn.execute(sa.select(s.watches).order_by(s.watches.c.id)).mappings()
        return [_watch(r) for r in rows]


def watch(store: Store, watch_id: int) -> WatchRow:
    with store.read() as conn:
        row = (
            conn.execute(sa.select(s.watches).where(s.watches.c.id == watch_id)).mappings().first()
        )
    if row is None:
        raise InputError(None, f"no watch {watch_id}", fix="`bidvet watch list` shows the ids")
    return _watch(row)


def has_watches(store: Store) -> bool:
    with store.read() as conn:
        return conn.execute(sa.select(s.watches.c.id).limit(1)).first() is not None


def remove_watch(store: Store, watch_id: int, *, actor: str) -> None:
    """Delete a watch with its alerts and their delivery state; the audit log records who
    removed it, in the same transaction."""
    gone = watch(store, watch_id)
    with store.transaction() as conn:
        ids = sa.select(s.alerts.c.id).where(s.alerts.c.watch_id == watch_id)
        alert_count = conn.execute(
            sa.select(sa.func.count()).select_from(s.alerts).where(s.alerts.c.watch_id == watch_id)
        ).scalar()
        audit.append(
            conn,
            actor=actor,
            action="watch-remove",
            object_type="watch",
            object_id=watch_id,
            details={"label": gone.label, "ocid": gone.ocid, "alerts_removed": alert_count},
        )
        conn.execute(s.alert_deliveries.delete().where(s.alert_deliveries.c.alert_id.in_(ids)))
        conn.execute(s.alerts.delete().where(s.alerts.c.watch_id == watch_id))
        conn.execute(s.watches.delete().where(s.watches.c.id == watch_id))


# -- alerts -----------------------------------------------------------------------------------
def raise_alert(
    store: Store,
    *,
    watch_id: int,
    key: str,
    as_of: dt.date,
    summary: str,
    body: dict[str, Any],
    state: dict[str, Any] | None,
    channels: Iterable[str],
) -> int | None:
    """In one transaction: store the alert (unless one with ``key`` exists: then ``None``),
    queue its deliveries, and move the watch's state to the assessment that raised it (an
    alert that is no assessment, such as a stale source, passes ``state=None``)."""
    now = _now()
    with store.transaction() as conn:
        a = s.alerts.c
        if conn.execute(sa.select(a.id).where(a.key == key)).first() is not None:
            return None
        alert_id = insert_id(
            conn,
            s.alerts,
            watch_id=watch_id,
            key=key,
            raised_at=now,
            as_of=as_of,
            summary=summary,
            body=body,
        )
        for channel in sorted(set(channels)):
            conn.execute(
                s.alert_deliveries.insert().values(
                    alert_id=alert_id, channel=channel, status="pending", attempts=0, updated_at=now
                )
            )
        if state is not None:
            conn.execute(
                s.watches.update()
                .where(s.watches.c.id == watch_id)
                .values(state=state, state_as_of=as_of)
            )
    return alert_id


def set_state(store: Store, watch_id: int, state: dict[str, Any], as_of: dt.date) -> None:
    with store.transaction() as conn:
        conn.execute(
            s.watches.update()
            .where(s.watches.c.id == watch_id)
            .values(state=state, state_as_of=as_of)
        )


def alerts(store: Store, *, include_acknowledged: bool = False) -> list[AlertRow]:
    query = sa.select(s.alerts).order_by(s.alerts.c.id)
    if not include_acknowledged:
        query = query.where(s.alerts.c.acknowledged_at.is_(None))
    with store.read() as conn:
        return [_alert(r) for r in conn.execute(query).mappings()]


def alert(store: Store, alert_id: int) -> AlertRow:
    with store.read() as conn:
        row = conn.execute(sa.select(s.alerts).where(s.alerts.c.id == alert_id)).mappings().first()
    if row is None:
        raise InputError(None, f"no alert {alert_id}", fix="`bidvet alerts --all` shows the ids")
    return _alert(row)


def acknowledge(store: Store, alert_id: int, *, by: str, note: str) -> AlertRow:
    """Mark an alert acknowledged by ``by`` with ``note`` (now) and append it to the audit log
    in the same transaction; returns the alert as stored. An alert already acknowledged is an
    error (its first acknowledgement stands)."""
    found = alert(store, alert_id)
    if found.acknowledged_at is not None:
        raise InputError(
            None,
            f"alert {alert_id} was already acknowledged by {found.acknowledged_by} "
            f"at {found.acknowledged_at}",
            fix="`bidvet alerts --all` shows it with its note",
        )
    with store.transaction() as conn:
        done = conn.execute(
            s.alerts.update()
            .where(s.alerts.c.id == alert_id, s.alerts.c.acknowledged_at.is_(None))
            .values(acknowledged_at=_now(), acknowledged_by=by, note=note)
        )
        if done.rowcount != 1:  # acknowledged meanwhile by someone else
            raise InputError(
                None, f"alert {alert_id} was already acknowledged", fix="reload the alerts"
            )
        audit.append(
            conn,
            actor=by,
            action="alert-acknowledge",
            object_type="alert",
            object_id=alert_id,
            details={
                "watch": found.watch_id,
                "kind": found.body.get("kind", "reassessment"),
                "summary": found.summary,
                "note": note,
            },
        )
    return alert(store, alert_id)


# -- deliveries -------------------------------------------------------------------------------
def pending_deliveries(store: Store) -> list[DeliveryRow]:
    d = s.alert_deliveries.c
    query = sa.select(d.alert_id, d.channel, d.status, d.attempts, d.last_error).where(
        d.status == "pending"
    )
    with store.read() as conn:
        return [DeliveryRow(*r) for r in conn.execute(query.order_by(d.alert_id, d.channel))]


def deliveries(store: Store, alert_id: int) -> list[DeliveryRow]:
    d = s.alert_deliveries.c
    query = sa.select(d.alert_id, d.channel, d.status, d.attempts, d.last_error).where(
        d.alert_id == alert_id
    )
    with store.read() as conn:
        return [DeliveryRow(*r) for r in conn.execute(query.order_by(d.channel))]


def record_delivery(
    store: Store, alert_id: int, channel: str, *, status: str, attempts: int, error: str | None
) -> None:
    d = s.alert_deliveries.c
    with store.transaction() as conn:
        conn.execute(
            s.alert_deliveries.update()
            .where(d.alert_id == alert_id, d.channel == channel)
            .values(status=status, attempts=attempts, last_error=error, updated_at=_now())
        )


# -- watermark and changes --------------------------------------------------------------------
def watermark(store: Store) -> int | None:
    """The last snapshot id re-assessment has seen (``None``: it never ran)."""
    with store.read() as conn:
        value = conn.execute(
            sa.select(s.monitor_state.c.value).where(s.monitor_state.c.key == WATERMARK)
        ).scalar()
    return int(value) if value is not None else None


def latest_snapshot(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.max(s.snapshots.c.id))).scalar() or 0)


def set_watermark(store: Store, snapshot_id: int) -> None:
    with store.transaction() as conn:
        conn.execute(s.monitor_state.delete().where(s.monitor_state.c.key == WATERMARK))
        conn.execute(s.monitor_state.insert().values(key=WATERMARK, value=str(snapshot_id)))


_PRESENCE = ("list_id", "list_name", "program", "start_date", "end_date", "reason", "source_url")


def changes_since(store: Store, after: int) -> Changes:
    """What the snapshots with an id above ``after`` changed: list entries added, removed or
    changed against the previous snapshot of the same dataset, ownership edges and events they
    wrote."""
    snap, p = s.snapshots.c, s.listing_presence.c
    with store.read() as conn:
        new = conn.execute(
            sa.select(snap.id, snap.dataset, snap.file_name, snap.published)
            .where(snap.id > after)
            .order_by(snap.id)
        ).all()
        listing_changes: list[ListingChange] = []
        for snap_id, dataset, file_name, published in new:
            prev = conn.execute(
                sa.select(sa.func.max(snap.id)).where(snap.dataset == dataset, snap.id < snap_id)
            ).scalar()

            def entries(sid: int | None) -> dict[tuple[str, str, str], dict[str, Any]]:
                if sid is None:
                    return {}
                rows = conn.execute(
                    sa.select(p.entity_id, *(p[c] for c in _PRESENCE)).where(p.snapshot_id == sid)
                ).mappings()
                return {(r["entity_id"], r["list_id"], r["program"]): dict(r) for r in rows}

            before, after_rows = entries(prev), entries(snap_id)
            for key in sorted(set(before) | set(after_rows)):
                old, cur = before.get(key), after_rows.get(key)
                if old == cur:
                    continue
                kind = "added" if old is None else "removed" if cur is None else "changed"
                row = cur or old
                assert row is not None
                listing_changes.append(
                    ListingChange(
                        entity_id=row["entity_id"],
                        change=kind,
                        list_id=row["list_id"],
                        list_name=row["list_name"],
                        program=row["program"],
                        start_date=row["start_date"],
                        reason=row["reason"],
                        source_url=row["source_url"],
                        snapshot_id=snap_id,
                        dataset=dataset,
                        file_name=file_name,
                        published=published,
                    )
                )
        ids = [r[0] for r in new]
        o, e = s.ownership.c, s.events.c
        edges = conn.execute(
            sa.select(o.owner_id, o.asset_id, o.snapshot_id).where(o.snapshot_id.in_(ids))
        ).all()
        events = conn.execute(sa.select(e.entity_id, e.snapshot_id).where(e.snapshot_id.in_(ids)))
        return Changes(
            tuple(ids),
            tuple(listing_changes),
            tuple((a, b, int(c)) for a, b, c in edges),
            tuple((a, int(b)) for a, b in events),
        )


def neighbours(store: Store, ids: Iterable[str]) -> set[str]:
    """``ids`` and every entity above and below them in the ownership graph (any date)."""
    o = s.ownership.c
    seen = set(ids)
    for near, far in ((o.asset_id, o.owner_id), (o.owner_id, o.asset_id)):
        frontier = set(ids)
        with store.read() as conn:
            while frontier:
                found: set[str] = set()
                items = sorted(frontier)
                for i in range(0, len(items), 500):
                    chunk = items[i : i + 500]
                    found.update(
                        conn.execute(sa.select(far).where(near.in_(chunk)).distinct()).scalars()
                    )
                frontier = found - seen
                seen |= found
    return seen


def entity_properties(store: Store, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The source properties (``federal_register_notice``, ``remarks`` …) of these entities."""
    e = s.entities.c
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    items = sorted(set(ids))
    with store.read() as conn:
        for i in range(0, len(items), 500):
            query = sa.select(e.id, e.properties).where(e.id.in_(items[i : i + 500]))
            for eid, props in conn.execute(query):
                out[eid] = dict(props or {})
    return dict(out)


@dataclass(frozen=True)
class DatedChange:
    """A fact already in the store that comes into force (or ends) on ``date``: a list entry's
    start or end, an ownership edge's start or end, an event."""

    entity_id: str
    kind: str  # listing-start | listing-end | ownership-start | ownership-end | event
    date: dt.date
    what: str
    snapshot_id: int
    other_id: str | None = None  # the other end of an ownership edge


def dated_changes(store: Store, after: dt.date, until: dt.date) -> list[DatedChange]:
    """Facts of the store dated after ``after`` and on or before ``until`` (the window in which
    time alone changes an assessment), oldest first."""
    if until <= after:
        return []
    p, o, e = s.listing_presence.c, s.ownership.c, s.events.c
    out: set[DatedChange] = set()

    def window(col: Any) -> Any:
        return sa.and_(col > after, col <= until)

    with store.read() as conn:
        for col, kind in ((p.start_date, "listing-start"), (p.end_date, "listing-end")):
            query = sa.select(p.entity_id, col, p.list_name, p.program, p.snapshot_id).where(
                window(col)
            )
            for eid, day, list_name, program, sid in conn.execute(query):
                label = f"{list_name}" + (f" ({program})" if program else "")
                out.add(DatedChange(eid, kind, day, label, int(sid)))
        for col, kind in ((o.start_date, "ownership-start"), (o.end_date, "ownership-end")):
            query = sa.select(o.owner_id, o.asset_id, col, o.kind, o.snapshot_id).where(window(col))
            for owner, asset, day, what, sid in conn.execute(query):
                out.add(DatedChange(asset, kind, day, f"{what} by {owner}", int(sid), owner))
        query = sa.select(e.entity_id, e.date, e.summary, e.snapshot_id).where(window(e.date))
        for row in conn.execute(query):
            out.add(DatedChange(row[0], "event", row[1], str(row[2]), int(row[3])))
    return sorted(out, key=lambda c: (c.date, c.entity_id, c.kind, c.what, c.snapshot_id))
