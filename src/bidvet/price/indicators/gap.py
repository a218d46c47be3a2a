"""The gap between the lowest and the next lowest bid."""

from __future__ import annotations

from typing import Any

from bidvet.price.bids import (
    TenderBids,
    comparison_currency,
    conversions_json,
    priced_in,
    rates_used,
)
from bidvet.price.config import PriceConfig
from bidvet.price.flags import PriceFlag, cannot_evaluate, pct, ruled
from bidvet.price.registry import indicator


@indicator(
    "lowest-to-next-gap",
    title="Wide gap between the lowest and the next lowest bid",
    order=30,
    family="abnormally-low",
    config={
        "gap.lowest_to_next": (
            "raised when the lowest bid is at least this fraction below the next lowest"
        ),
        "currency.max_rate_age_days": (
            "how old the ECB rate used to convert a bid in another currency may be"
        ),
    },
)
def lowest_gap(tender: TenderBids, cfg: PriceConfig) -> list[PriceFlag]:
    """A wide gap between the lowest and the next lowest bid singles out one bidder's price
    (a "heavily discounted bid" in OCP Cardinal's terms); it also calls for an explanation under
    the buyer's rule on abnormally low tenders. Bids in other currencies are converted at the
    ECB rate in force on the tender's date."""
    name = "lowest-to-next-gap"
    rule = tender.rule
    assert rule is not None
    currency = comparison_currency(tender.bids, None)
    found, missing = priced_in(tender, currency) if currency else ([], [])
    if missing:
        return [cannot_evaluate(name, "; ".join(missing), rule=rule)]
    if len(found) < 2 or currency is None:
        return [cannot_evaluate(name, "needs two priced bids", rule=rule)]
    low, nxt = sorted(found, key=lambda p: p.amount)[:2]
    gap = (nxt.amount - low.amount) / nxt.amount if nxt.amount else 0.0
    evidence: dict[str, Any] = {
        "lowest": round(low.amount, 2),
        "next": round(nxt.amount, 2),
        "currency": currency,
        "gap": round(gap, 4),
    }
    rates = rates_used([low, nxt])
    if rates:
        evidence["conversions"] = conversions_json([low, nxt])
    finding = (
        f"lowest bid ({low.bid.bidder}, {low.shown()}) is "
        f"{pct(gap)} below the next ({nxt.bid.bidder}, {nxt.shown()})"
    )
    raised = gap >= cfg.gap.lowest_to_next
    quiet = f"gap lowest→next is {pct(gap)}"
    return [ruled(name, rule, low.bid.bidder, finding if raised else None, evidence, quiet)]
