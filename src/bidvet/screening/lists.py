"""Direct list memberships of matched entities, as of a date.

Which listings count on a date is decided by :mod:`bidvet.store.validity` (through
:meth:`bidvet.store.view.View.listings`). Listings inherited through owners come from the
ownership engine (:func:`inherited_listings`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bidvet.model.facts import ListingFact
from bidvet.store.db import Store
from bidvet.store.view import View


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def direct_listings(
    view: View, entity_ids: Sequence[str], as_of: dt.date | None
) -> dict[str, list[dict[str, Any]]]:
    """Active listings of each entity on ``as_of`` (all listings when ``as_of`` is ``None``).

    Returns ``{entity_id: [listing, ...]}`` with every requested id present; each listing is a
    dict with ``list_id, list_name, program, authority, start_date, first_seen, end_date,
    delisted, source_url, dataset, inherited`` (``inherited`` is always ``False`` here),
    sorted by list and program.
    """
    found = view.listings(entity_ids, as_of)
    out: dict[str, list[dict[str, Any]]] = {}
    for eid in entity_ids:
        out[eid] = sorted(
            (_listing_dict(f) for f in found[eid]),
            key=lambda d: (d["list_id"], d["program"], d["start_date"] or ""),
        )
    return out


def listings_not_in_force(
    view: View, entity_ids: Sequence[str], as_of: dt.date
) -> dict[str, list[dict[str, Any]]]:
    """Each entity's own listings the store holds that are **not** in force on ``as_of``, in
    :func:`direct_listings`' form with ``why`` (:func:`~bidvet.store.validity.
    listing_not_in_force`: listed later, first seen in a later publication, ended, dropped):
    what a result with no active listing says of the lists it is on at other dates."""
    return {
        eid: [{**_listing_dict(f), "why": why} for f, why in found]
        for eid, found in view.listings_not_in_force(entity_ids, as_of).items()
    }


def _listing_dict(f: ListingFact) -> dict[str, Any]:
    return {
        "list_id": f.list_id,
        "list_name": f.list_name,
        "program": f.program,
        "authority": f.authority,
        "start_date": _iso(f.start_date),
        "first_seen": _iso(f.first_seen),
        "end_date": _iso(f.end_date),
        "delisted": _iso(f.delisted),
        "source_url": f.source_url,
        "dataset": f.dataset,
        "inherited": False,
    }


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
    with store.view() as view:
        owned = view.with_owners(entity_ids)
    out: dict[str, list[dict[str, Any]]] = {}
    if not owned:  # the ownership modules are not even imported (about 10 ms of a screen)
        return out
    from bidvet.ownership.report import inherited_listings as via_owners

    for eid in sorted(owned):
        rows = via_owners(store, eid, as_of)
        if rows:
            out[eid] = rows
    return out


def listings_as_of(
    store: Store, entity_ids: Sequence[str], as_of: dt.date, *, inherited: bool = True
) -> dict[str, list[dict[str, Any]]]:
    """Each entity's listings in force on ``as_of``: its own (:func:`direct_listings`) and,
    with ``inherited``, those reaching it through its owners (:func:`inherited_listings`)."""
    with store.view() as view:
        out = direct_listings(view, entity_ids, as_of)
    if inherited:
        for eid, rows in inherited_listings(store, entity_ids, as_of).items():
            out[eid] = [*out.get(eid, []), *rows]
    return out
