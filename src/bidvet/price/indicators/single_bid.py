"""A tender with only one valid bid."""

from __future__ import annotations

from bidvet.price.bids import TenderBids, valid_bids
from bidvet.price.config import PriceConfig
from bidvet.price.flags import PriceFlag, cannot_evaluate
from bidvet.price.registry import indicator


@indicator(
    "single-bid",
    title="Only one valid bid",
    order=40,
    config={"single_bid": "whether the indicator runs at all (`false` switches it off)"},
)
def single_bid(tender: TenderBids, cfg: PriceConfig) -> list[PriceFlag]:
    """Only one valid bid: no price competition, so price cannot be tested against others
    (OCP Cardinal's "single bid" flag)."""
    name = "single-bid"
    valid = valid_bids(tender.bids)
    if not cfg.single_bid:
        return []
    if not valid:
        return [cannot_evaluate(name, "no bid data")]
    if len(valid) == 1:
        return [
            PriceFlag(
                name,
                "raised",
                f"only one valid bid ({valid[0].bidder})",
                valid[0].bidder,
                "review why competition failed",
                None,
                {"bids": 1},
            )
        ]
    return [
        PriceFlag(name, "not-raised", f"{len(valid)} valid bids", evidence={"bids": len(valid)})
    ]
