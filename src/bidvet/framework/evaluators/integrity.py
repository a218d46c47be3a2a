"""Integrity history: corruption, bribery, anti-dumping, bans, debarment within a look-back."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from bidvet.dates import format_partial, period_end
from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit


class IntegrityParams(Params):
    kinds: tuple[str, ...] = ("corruption", "bribery", "anti-dumping", "ban", "debarment")
    lookback_years: int = Field(default=10, ge=1, le=100)
    #: undated events cannot be placed in the window; report them (marked) or ignore them
    include_undated: bool = True
    include_owners: bool = False


@evaluator("integrity_events", IntegrityParams)
def integrity_events(ctx: EvalContext, params: IntegrityParams) -> list[Hit]:
    """Adverse integrity events recorded for the bidder within the look-back window.

    Counts events of the configured kinds dated on or before the as-of date and no more than
    ``lookback_years`` before it; events after the as-of date did not exist yet and are ignored.
    An event the source dates only by year or month counts once that whole period is past.
    Events whose source gives no date are reported with that caveat only when
    ``include_undated`` is true: an undated event cannot be placed inside a window. No event
    counts before the source reporting it was published. Owners' events count when
    ``include_owners`` is true.
    """
    if ctx.entity is None:
        return []
    start = (
        ctx.as_of.replace(year=ctx.as_of.year - params.lookback_years)
        if not (ctx.as_of.month == 2 and ctx.as_of.day == 29)
        else dt.date(ctx.as_of.year - params.lookback_years, 2, 28)
    )
    subjects = [ctx.entity.id]
    if params.include_owners:
        subjects += [link.owner_id for link in ctx.chain]
    evidence = []
    for entity_id in subjects:
        name = ctx.caption(entity_id)
        for ev in ctx.events(entity_id):
            if ev.kind not in params.kinds:
                continue
            source = ev.source
            if not ctx.public(source):
                continue  # not public yet on the as-of date: "known later", never evidence
            date = ev.date
            precision = ev.date_precision or "day"
            if date is None:
                if not params.include_undated:
                    continue
                text = f"{name} (undated): {ev.summary}"
            else:
                # A year or month counts once the whole period lies on or before the as-of
                # date; it is in the window while any part of it is.
                end = period_end(date, precision)
                if end > ctx.as_of or end < start:
                    continue
                text = f"{name}, {format_partial(date, precision)}: {ev.summary}"
                if precision != "day":
                    date = None  # the evidence date field holds exact dates only
            evidence.append(Evidence("event", text, source, date, (entity_id,)))
    if not evidence:
        return []
    return [
        Hit(
            f"{len(evidence)} integrity event(s) on record for {ctx.bidder_name} in the "
            f"{params.lookback_years}-year look-back to {ctx.as_of.isoformat()}",
            tuple(evidence),
        )
    ]
