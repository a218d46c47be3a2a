"""Abnormally low prices: a request for explanation under the buyer's rule, never an exclusion by
itself."""

from __future__ import annotations

from typing import Any

from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit, SourceRef
from bidvet.price import load_config


def _source(flag: dict[str, Any], fallback: SourceRef) -> SourceRef:
    """The rule the flag applied, with its URL and date when ``price_flags.yaml`` gives them."""
    citation = flag.get("citation")
    if not citation:
        return fallback
    rule = load_config().buyer_rules.rules.get(str(flag.get("rule", "")))
    if rule is None or rule.source is None:
        return SourceRef(str(citation))
    return SourceRef(str(citation), rule.source.url, rule.source.published)


@evaluator("abnormally_low_price")
def abnormally_low_price(ctx: EvalContext, params: Params) -> list[Hit]:
    """The bidder's price is abnormally low compared with the other bids or the estimate.

    The rule is the buyer's: for an EU (or EEA) buyer EU Directive 2014/24 Art. 69, under which
    an abnormally low tender obliges the buyer to ask the bidder to explain the price (possible
    grounds include State aid); for a UK or US federal buyer their own rule; for a buyer whose
    rule bidvet does not hold, the generic "abnormally low bid — buyer policy to be set" signal.
    It is not a ground to exclude on its own. The trigger is computed by the price red-flag
    module (``bidvet.price``) with its configured thresholds; only its abnormally-low indicators
    that are raised for this bidder count here, and each names the rule and the buyer's country.
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
            _source(flag, ctx.tender_source),
        )
        for flag in raised
    )
    return [
        Hit(
            f"the price offered by {ctx.bidder_name} is abnormally low: ask for an explanation",
            evidence,
        )
    ]
