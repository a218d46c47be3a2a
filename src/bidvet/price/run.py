"""Every registered price indicator on one tender's bids, or on a stored OCDS process."""

from __future__ import annotations

from collections.abc import Sequence

from bidvet.model.contracts import Money, ProcessRecord
from bidvet.price.bids import Bid, TenderBids, process_bids
from bidvet.price.config import PriceConfig, load_config
from bidvet.price.flags import PriceFlag, cannot_evaluate
from bidvet.price.registry import indicator_specs


def price_flags(
    bids: Sequence[Bid],
    *,
    estimate: Money | None = None,
    config: PriceConfig | None = None,
    lot: bool = False,
    defence_security: bool = False,
) -> list[PriceFlag]:
    """Every price indicator on one tender's (or lot's) bids, in registry order.

    With no bids at all (e.g. AusTender, which publishes none) the bid-based indicators come
    back as ``cannot-evaluate: no bid data`` rather than as passes.
    """
    cfg = config or load_config()
    specs = indicator_specs()
    if not bids:
        return [cannot_evaluate(name, "no bid data") for name in specs]
    tender = TenderBids(bids, estimate, lot, defence_security)
    return [flag for spec in specs.values() for flag in spec.func(tender, cfg)]


def process_price_flags(
    process: ProcessRecord, config: PriceConfig | None = None
) -> list[PriceFlag]:
    """Price flags of a stored process; "cannot evaluate: no bid data" when it publishes none."""
    if process.bids is None:
        return [cannot_evaluate("bids", "no bid data (the source publishes no bids)")]
    return price_flags(process_bids(process), estimate=process.tender_value, config=config)
