"""When a dated fact counts: the one rule for listings and ownership edges "as of" a date.

**Listing.** In force on ``as_of`` when it had started — its published ``start_date``, or, for
lists that publish no dates, ``first_seen`` (the publication in which bidvet first saw it) — and
had not ended: its ``end_date`` is on or after ``as_of`` (the end date is the last day in force)
and it had not been dropped by a later complete publication (``delisted`` after ``as_of``). A
listing with neither a start date nor a first-seen date counts from any date.

**Ownership edge.** In force when ``start_date`` (if known) is on or before ``as_of`` and
``end_date`` (if known) on or after it: both ends inclusive. It *counts* on ``as_of`` only when it
was also public by then: the source that states it was published on or before ``as_of`` (an edge
whose source gives no publication date counts). An edge in force but published later is "known
later": reports show it apart, never as evidence.

Every layer (screening, ownership, assessment) asks this module, so a date means the same thing
in each report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa


def listing_in_force_clause(listings: sa.Table, as_of: dt.date) -> sa.ColumnElement[bool]:
    """SQL condition on the ``listings`` table for the rule above."""
    c = listings.c
    start = sa.func.coalesce(c.start_date, c.first_seen)
    return sa.and_(
        sa.or_(start.is_(None), start <= as_of),
        sa.or_(c.end_date.is_(None), c.end_date >= as_of),
        sa.or_(c.delisted.is_(None), c.delisted > as_of),
    )


def listing_in_force(
    start_date: dt.date | None,
    first_seen: dt.date | None,
    end_date: dt.date | None,
    delisted: dt.date | None,
    as_of: dt.date,
) -> bool:
    """The rule above for one listing's dates."""
    return listing_not_in_force(start_date, first_seen, end_date, delisted, as_of) is None


def listing_not_in_force(
    start_date: dt.date | None,
    first_seen: dt.date | None,
    end_date: dt.date | None,
    delisted: dt.date | None,
    as_of: dt.date,
) -> str | None:
    """Why a listing with these dates is not in force on ``as_of`` under the rule above, in
    words a report can print (``listed from 2021-06-03, after 2020-12-01``); None when it is."""
    day = as_of.isoformat()
    if start_date is not None and start_date > as_of:
        return f"listed from {start_date.isoformat()}, after {day}"
    if start_date is None and first_seen is not None and first_seen > as_of:
        return (
            f"the list gives no start date and the entry was first seen in its publication of "
            f"{first_seen.isoformat()}, after {day}"
        )
    if end_date is not None and end_date < as_of:
        return f"ended {end_date.isoformat()}, before {day}"
    if delisted is not None and delisted <= as_of:
        return f"dropped by the list's publication of {delisted.isoformat()}, on or before {day}"
    return None


def edge_in_force_clause(start: Any, end: Any, as_of: dt.date) -> sa.ColumnElement[bool]:
    """SQL condition for a fact valid from ``start`` to ``end`` (both inclusive, either open)."""
    return sa.and_(
        sa.or_(start.is_(None), start <= as_of),
        sa.or_(end.is_(None), end >= as_of),
    )


def edge_counts_clause(ownership: sa.Table, as_of: dt.date) -> sa.ColumnElement[bool]:
    """SQL condition on the ``ownership`` table: in force on ``as_of`` and public by then."""
    c = ownership.c
    return sa.and_(
        edge_in_force_clause(c.start_date, c.end_date, as_of),
        sa.or_(c.source_published.is_(None), c.source_published <= as_of),
    )


def edge_known_later_clause(ownership: sa.Table, as_of: dt.date) -> sa.ColumnElement[bool]:
    """SQL condition: in force on ``as_of`` but stated only by a source published after it."""
    c = ownership.c
    return sa.and_(
        edge_in_force_clause(c.start_date, c.end_date, as_of),
        c.source_published.is_not(None),
        c.source_published > as_of,
    )
