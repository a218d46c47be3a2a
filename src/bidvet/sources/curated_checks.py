"""Consistency checks of a curated file: facts that cannot all be true are refused, not stored.

Each check raises :class:`bidvet.errors.InputError` naming the file, the record(s) and the fix,
before anything is written. Schema validation (types, unknown keys, share syntax) happens when
the file is parsed; these checks look across records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bidvet.errors import InputError
from bidvet.ownership.shares import parse_share
from bidvet.sources.lists import list_registry

if TYPE_CHECKING:
    from bidvet.sources.curated import CuratedFile, Ownership

#: holdings of one company may sum to 100 % plus rounding in the source
_TOLERANCE = 1e-6


def check_curated(path: Path, doc: CuratedFile) -> None:
    """Every check below, in file order; the first problem found is raised.

    A listing is stored once per entity, list and program, so two listings that share all
    three would lose one: give each edition or programme its own ``program``."""
    _unique(path, "entities", "id", [e.id for e in doc.entities])
    _unique(path, "ownership", "key", [o.record_key() for o in doc.ownership])
    _unique(path, "events", "key", [e.record_key(i) for i, e in enumerate(doc.events)])
    _unique(
        path,
        "listings",
        "entity, list and program",
        [f"{lst.entity} / {lst.list} / {lst.program}" for lst in doc.listings],
    )
    _known_lists(path, doc)
    for i, lst in enumerate(doc.listings):
        _ordered(path, f"listings[{i}]", lst.start_date, lst.end_date)
    for i, own in enumerate(doc.ownership):
        record = f"ownership[{i}]"
        _ordered(path, record, own.start_date, own.end_date)
        if own.owner == own.asset:
            raise InputError(
                path,
                f"{own.owner!r} owns itself",
                record=record,
                fix="correct owner or asset (treasury shares are not recorded as ownership)",
            )
    _holdings_within_whole(path, doc.ownership)
    _unique(path, "ties", "key", [t.record_key() for t in doc.ties])
    for i, tie in enumerate(doc.ties):
        _ordered(path, f"ties[{i}]", tie.start_date, tie.end_date)
        if tie.person == tie.to:
            raise InputError(
                path,
                f"{tie.person!r} is tied to itself",
                record=f"ties[{i}]",
                fix="correct person or to (a tie joins a person to another person or body)",
            )


def _unique(path: Path, section: str, field: str, values: list[str]) -> None:
    first: dict[str, int] = {}
    for i, value in enumerate(values):
        if value in first:
            raise InputError(
                path,
                f"repeats the {field} {value!r} of {section}[{first[value]}]",
                record=f"{section}[{i}]",
                fix=f"give each record its own {field}, or merge the two records",
            )
        first[value] = i


def _known_lists(path: Path, doc: CuratedFile) -> None:
    own = {lst.id for lst in doc.lists}
    known = set(list_registry().ids()) | own
    for i, lst in enumerate(doc.listings):
        if lst.list not in known:
            raise InputError(
                path,
                f"list {lst.list!r} is not a list bidvet knows",
                record=f"listings[{i}]",
                fix=(
                    "use a list id defined in bidvet's data/lists.yaml, or define the list under "
                    "lists: in this file as {id, name}"
                ),
            )


def _ordered(path: Path, record: str, start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and end < start:
        raise InputError(
            path,
            f"end_date {end} is before start_date {start}",
            record=record,
            fix="correct the dates (the end date is the last day the fact holds)",
        )


def _in_force(own: Ownership, day: dt.date) -> bool:
    return (own.start_date is None or own.start_date <= day) and (
        own.end_date is None or day <= own.end_date
    )


def _holdings_within_whole(path: Path, ownership: Iterable[Ownership]) -> None:
    """The lower bounds of the holdings in one company, of one measure (shares or votes), that
    are in force on the same day may not add up to more than 100 %."""
    groups: defaultdict[tuple[str, str], list[tuple[int, Ownership]]] = defaultdict(list)
    for i, own in enumerate(ownership):
        if own.kind in ("shares", "votes") and own.share is not None:
            groups[(own.asset, own.kind)].append((i, own))
    for (asset, kind), rows in groups.items():
        days = {own.start_date or dt.date.min for _, own in rows}
        for day in sorted(days):
            live = [(i, own) for i, own in rows if _in_force(own, day)]
            total = sum(parse_share(own.share).min or 0.0 for _, own in live)
            if total > 1.0 + _TOLERANCE:
                records = ", ".join(f"ownership[{i}]" for i, _ in live)
                when = "" if day == dt.date.min else f" on {day}"
                raise InputError(
                    path,
                    f"the {kind} held in {asset!r}{when} add up to {total * 100:.4g} % "
                    f"(more than 100 %) across {records}",
                    record=f"ownership[{live[-1][0]}]",
                    fix="correct the shares, or date the holdings that ended (end_date)",
                )
