"""Direct list memberships of matched entities, as of a date.

Which listings count on a date is decided by :mod:`bidvet.store.validity`. Listings inherited
through owners come from the ownership engine (:func:`inherited_listings`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.store import schema as s
from bidvet.store.db import Store
from bidvet.store.validity import listing_in_force

_CHUNK = 500


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
            if as_of is not None and not listing_in_force(
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


def inherited_listings(
    store: Store, entity_ids: Sequence[str], as_of: dt.date
) -> dict[str, list[dict[str, Any]]]:
    """Listings that reach each entity through its owners, from the ownership engine.

    Only entities that some ownership edge names as the asset are walked, so screening against
    lists that carry no ownership data costs one query. Each listing dict carries
    ``inherited: True``, the ``regime`` under which it is inherited (``us_ofac``, ``eu``, ``uk``,
    ``us_bis_affiliates``), whether that rule is in force on ``as_of``, the listed owner and the
    ownership ``path`` from that owner down to the entity.
    """
    from bidvet.ownership.api import inherited_listings as via_owners

    ids = sorted(set(entity_ids))
    owned: list[str] = []
    with store.read() as conn:
        for i in range(0, len(ids), _CHUNK):
            owned += conn.execute(
                sa.select(s.ownership.c.asset_id)
                .where(s.ownership.c.asset_id.in_(ids[i : i + _CHUNK]))
                .distinct()
            ).scalars()
    out: dict[str, list[dict[str, Any]]] = {}
    for eid in sorted(owned):
        rows = via_owners(store, eid, as_of)
        if rows:
            out[eid] = rows
    return out
