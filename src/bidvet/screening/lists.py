"""Direct list memberships of matched entities, as of a date.

A listing is **active on** ``as_of`` when it had started — its published ``start_date``, or when
bidvet first saw it (``first_seen``) if the list publishes no date; an entry with neither counts
as started — and had not ended: neither its ``end_date`` nor its ``delisted`` date (set when a
later complete snapshot dropped it) is on or before ``as_of``.

Listings inherited through owners are not found here; the ownership module adds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.store import schema as s

_CHUNK = 500


def is_active(
    start_date: dt.date | None,
    first_seen: dt.date | None,
    end_date: dt.date | None,
    delisted: dt.date | None,
    as_of: dt.date,
) -> bool:
    """The rule in the module docstring, for one listing."""
    started = start_date or first_seen
    if started is not None and started > as_of:
        return False
    return not any(d is not None and d <= as_of for d in (end_date, delisted))


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def direct_listings(
    conn: Connection, entity_ids: Sequence[str], as_of: dt.date | None
) -> dict[str, list[dict[str, Any]]]:
    """Active listings of each entity on ``as_of`` (all listings when ``as_of`` is ``None``).

    Returns ``{entity_id: [listing, ...]}`` with every requested id present; each listing is a
    dict with ``list_id, list_name, program, authority, start_date, end_date, delisted,
    source_url, dataset, inherited`` (``inherited`` is always ``False`` here), sorted by list
    and program.
    """
    t = s.listings
    out: dict[str, list[dict[str, Any]]] = {eid: [] for eid in entity_ids}
    ids = sorted(set(entity_ids))
    for i in range(0, len(ids), _CHUNK):
        rows = conn.execute(
            sa.select(
                t.c.entity_id,
                t.c.list_id,
                t.c.list_name,
                t.c.program,
                t.c.authority,
                t.c.start_date,
                t.c.end_date,
                t.c.first_seen,
                t.c.delisted,
                t.c.source_url,
                t.c.dataset,
            ).where(t.c.entity_id.in_(ids[i : i + _CHUNK]))
        ).all()
        for r in rows:
            if as_of is not None and not is_active(
                r.start_date, r.first_seen, r.end_date, r.delisted, as_of
            ):
                continue
            out[r.entity_id].append(
                {
                    "list_id": r.list_id,
                    "list_name": r.list_name,
                    "program": r.program,
                    "authority": r.authority,
                    "start_date": _iso(r.start_date),
                    "end_date": _iso(r.end_date),
                    "delisted": _iso(r.delisted),
                    "source_url": r.source_url,
                    "dataset": r.dataset,
                    "inherited": False,
                }
            )
    for listings in out.values():
        listings.sort(key=lambda d: (d["list_id"], d["program"], d["start_date"] or ""))
    return out
