"""The gap between the lowest and the next lowest bid."""

from __future__ import annotations

from bidvet.price.bids import TenderBids, priced
from bidvet.price.config import PriceConfig
from bidvet.price.flags import ART69, EXPLAIN, PriceFlag, cannot_evaluate, pct
from bidvet.price.registry import indicator


@indicator(
    "lowest-to-next-gap",
    title="Wide gap between the lowest and the next lowest bid",
    order=30,
    config={
        "gap.lowest_to_next": (
            "raised when the lowest bid is at least this fraction below the next lowest"
        ),
    },
)
def lowest_gap(tender: TenderBids, cfg: PriceConfig) -> list[PriceFlag]:
    """A wide gap between the lowest and the next lowest bid singles out one bidder's price
    (a "heavily discounted bid" in OCP Cardinal's terms); it also calls for an explanation."""
    name = "lowest-to-next-gap"
    found, currency = priced(tender.bids)
    if len(found) < 2 or currency is None:
        return [cannot_evaluate(name, "needs two priced bids in one currency")]
    ranked = sorted(found, key=lambda b: b.value.amount if b.value else 0.0)
    low, nxt = ranked[0], ranked[1]
    assert low.value is not None and nxt.value is not None
    gap = (nxt.value.amount - low.value.amount) / nxt.value.amount if nxt.value.amount else 0.0
    evidence = {
        "lowest": low.value.amount,
        "next": nxt.value.amount,
        "currency": currency,
        "gap": round(gap, 4),
    }
    if gap >= cfg.gap.lowest_to_next:
        return [
            PriceFlag(
                name,
                "raised",
                f"lowest bid ({low.bidder}, {low.value}) is "
                f"{pct(gap)} below the next ({nxt.bidder}, {nxt.value})",
                low.bidder,
                EXPLAIN,
                ART69,
                evidence,
            )
        ]
    return [
        PriceFlag(
            name, "not-raised", f"gap lowest→next is {pct(gap)}", low.bidder, evidence=evidence
        )
    ]
