"""Abnormally low prices: a request for explanation, never an exclusion by itself."""

from __future__ import annotations

from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit, SourceRef


@evaluator("abnormally_low_price")
def abnormally_low_price(ctx: EvalContext, params: Params) -> list[Hit]:
    """The bidder's price is abnormally low compared with the other bids or the estimate.

    Under EU Directive 2014/24 Art. 69 an abnormally low tender obliges the buyer to ask the
    bidder to explain the price (possible grounds include State aid); it is not a ground to
    exclude on its own. The trigger is computed by the price red-flag module
    (``bidvet.price``) with its configured thresholds; only its abnormally-low
    indicators that are raised for this bidder count here.
    """
    raised = [
        flag
        for flag in ctx.price_flags
        if flag.get("status") == "raised"
        and str(flag.get("indicator", "")).startswith("abnormally-low")
    ]
    if not raised:
        return []
    evidence = tuple(
        Evidence(
            "price",
            str(flag.get("message")) + (f"; {flag['action']}" if flag.get("action") else ""),
            SourceRef(str(flag["citation"])) if flag.get("citation") else ctx.tender_source,
        )
        for flag in raised
    )
    return [
        Hit(
            f"the price offered by {ctx.bidder_name} is abnormally low: ask for an explanation",
            evidence,
        )
    ]
