"""The workspace's tamper-evident audit log: an append-only, SHA-256 hash-chained table.

Every state-changing action of the workspace (and any other feature that wants it) is appended
with :func:`append` inside the transaction that makes the change, so an action and its entry are
committed together or not at all. Appends hold the store's writer lock
(:meth:`bidvet.store.db.Store.transaction`), so entries are numbered 1, 2, 3 … without gaps even
with several server processes.

**Canonical serialisation.** Entry ``n`` stores ``hash = sha256(prev_hash + "\\n" + body)``
(hex, lower case) where ``prev_hash`` is the hash of entry ``n - 1`` (64 zeros for entry 1) and
``body`` is the UTF-8 JSON object ``{"action", "actor", "at", "details", "object_id",
"object_type", "seq"}`` with keys sorted, no whitespace (separators ``,`` and ``:``), non-ASCII
characters written as themselves. ``at`` is UTC ISO 8601 with microseconds and ``Z``;
``details`` is itself a JSON object (stored as that canonical JSON text).

:func:`verify` recomputes the chain and names the first entry that was altered (its hash does
not match its content), removed (a number is missing) or inserted (it does not link to the
entry before it). The chain has no secret key: someone able to rewrite the whole table and
recompute every hash after the point of change is detected only against a head hash recorded
elsewhere (``bidvet audit verify`` prints it; keep it with the signed reports).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.store import schema as s

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    head: str
    #: the first problem: the entry number and what happened to it (altered|removed|inserted)
    seq: int | None = None
    problem: str | None = None
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "seq": self.seq,
            "problem": self.problem,
            "message": self.message,
        }


def canonical_details(details: Mapping[str, Any] | None) -> str:
    return json.dumps(
        dict(details or {}), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def entry_hash(
    prev_hash: str,
    *,
    seq: int,
    at: str,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    details: str,
) -> str:
    """The hash of one entry (see the module doc for the serialisation); ``details`` is the
    canonical JSON text as stored."""
    body = json.dumps(
        {
            "action": action,
            "actor": actor,
            "at": at,
            "details": json.loads(details),
            "object_id": object_id,
            "object_type": object_type,
            "seq": seq,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def now_text() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(
    conn: Connection,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in ``conn``'s transaction (which must hold the writer lock)."""
    last = conn.execute(
        sa.select(s.ws_audit.c.seq, s.ws_audit.c.hash).order_by(s.ws_audit.c.seq.desc()).limit(1)
    ).first()
    seq = 1 if last is None else int(last.seq) + 1
    prev = GENESIS if last is None else str(last.hash)
    text = canonical_details(details)
    at = now_text()
    oid = str(object_id)
    digest = entry_hash(
        prev,
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=oid,
        details=text,
    )
    row = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": oid,
        "details": text,
        "prev_hash": prev,
        "hash": digest,
    }
    conn.execute(s.ws_audit.insert().values(**row))
    return AuditEntry(**{**row, "details": json.loads(text)})


def _entry(row: Any) -> AuditEntry:
    try:
        details = json.loads(row.details)
    except ValueError:
        details = {"unreadable": str(row.details)}
    return AuditEntry(
        seq=int(row.seq),
        at=str(row.at),
        actor=str(row.actor),
        action=str(row.action),
        object_type=str(row.object_type),
        object_id=str(row.object_id),
        details=details if isinstance(details, dict) else {"value": details},
        prev_hash=str(row.prev_hash),
        hash=str(row.hash),
    )


def entries(
    conn: Connection,
    *,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    """Entries matching every filter given, newest first (``since``/``until``: ISO prefixes)."""
    t = s.ws_audit
    q = sa.select(t)
    for column, value in (
        (t.c.actor, actor),
        (t.c.action, action),
        (t.c.object_type, object_type),
        (t.c.object_id, object_id),
    ):
        if value:
            q = q.where(column == value)
    if since:
        q = q.where(t.c.at >= since)
    if until:
        q = q.where(t.c.at < until)
    rows = conn.execute(q.order_by(t.c.seq.desc()).limit(limit))
    return [_entry(r) for r in rows]


def verify(conn: Connection) -> Verification:
    """Recompute the chain from entry 1 and report the first entry that breaks it."""
    prev = GENESIS
    expected = 1
    count = 0
    for row in conn.execute(sa.select(s.ws_audit).order_by(s.ws_audit.c.seq)):
        seq = int(row.seq)
        if seq != expected:
            gap = f"{expected}" if seq == expected + 1 else f"{expected}–{seq - 1}"
            return Verification(
                False,
                count,
                prev,
                expected,
                "removed",
                f"entry {gap} removed: entry {seq} follows entry {expected - 1}",
            )
        if row.prev_hash != prev:
            return Verification(
                False,
                count,
                prev,
                seq,
                "inserted",
                f"entry {seq} inserted: it does not link to entry {seq - 1}",
            )
        try:
            recomputed = entry_hash(
                prev,
                seq=seq,
                at=row.at,
                actor=row.actor,
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id,
                details=row.details,
            )
        except ValueError:
            recomputed = ""
        if recomputed != row.hash:
            return Verification(
                False,
                count,
                prev,
                seq,
                "altered",
                f"entry {seq} altered: its content does not match its hash",
            )
        prev = str(row.hash)
        expected += 1
        count += 1
    return Verification(True, count, prev, message=f"{count} entries, chain intact")
