"""Abnormally low bids (EU Directive 2014/24/EU Art. 69): compared with the other bids and with
the buyer's estimate. A raised flag asks for an explanation; it never excludes by itself."""

from __future__ import annotations

import statistics

from bidvet.price.bids import TenderBids, priced, priced_bids
from bidvet.price.config import PriceConfig
from bidvet.price.flags import PriceFlag, cannot_evaluate, low_bid_flag, pct
from bidvet.price.registry import indicator


@indicator(
    "abnormally-low-vs-others",
    title="Abnormally low compared with the other bids",
    order=10,
    config={
        "abnormally_low.below_others_mean": (
            "raised when the bid is at least this fraction below the mean of the other bids"
        ),
        "abnormally_low.below_others_median": (
            "raised when the bid is at least this fraction below the median of the other bids"
        ),
        "abnormally_low.min_other_bids": (
            "how many other priced bids a bid needs to be compared with"
        ),
    },
)
def abnormally_low_vs_others(tender: TenderBids, cfg: PriceConfig) -> list[PriceFlag]:
    """A bid well below the mean or median of the other valid bids may be subsidised or
    unsustainable. EU Directive 2014/24/EU Art. 69 obliges the buyer to ask for an explanation;
    the grounds it names include State aid. Compared only with bids in the same currency."""
    name = "abnormally-low-vs-others"
    found, currency = priced(tender.bids)
    need = cfg.abnormally_low.min_other_bids + 1
    if len(found) < need or currency is None:
        why = "mixed currencies" if found and currency is None else f"{len(found)} priced bids"
        return [cannot_evaluate(name, f"{why}; needs {need} in one currency")]
    out = []
    for bid in found:
        assert bid.value is not None
        others = [b.value.amount for b in found if b is not bid and b.value]
        mean, median = statistics.fmean(others), statistics.median(others)
        below_mean = (mean - bid.value.amount) / mean if mean > 0 else 0.0
        below_median = (median - bid.value.amount) / median if median > 0 else 0.0
        evidence = {
            "bid": bid.value.amount,
            "currency": currency,
            "others_mean": round(mean, 2),
            "others_median": round(median, 2),
            "below_mean": round(below_mean, 4),
            "below_median": round(below_median, 4),
        }
        al = cfg.abnormally_low
        raised = below_mean >= al.below_others_mean or below_median >= al.below_others_median
        finding = (
            f"bid of {bid.value} by {bid.bidder} is {pct(below_mean)} below the mean and "
            f"{pct(below_median)} below the median of the other bids"
        )
        out.append(low_bid_flag(name, bid.bidder, finding if raised else None, evidence))
    return out


@indicator(
    "abnormally-low-vs-estimate",
    title="Abnormally low compared with the buyer's estimate",
    order=20,
    config={
        "abnormally_low.below_estimate": (
            "raised when the bid is at least this fraction below the buyer's estimate"
        ),
    },
)
def abnormally_low_vs_estimate(tender: TenderBids, cfg: PriceConfig) -> list[PriceFlag]:
    """A bid well below the buyer's own estimate of the contract value is the other trigger for
    an explanation request under Art. 69 (the estimate reflects the buyer's market knowledge)."""
    name = "abnormally-low-vs-estimate"
    estimate = tender.estimate
    if estimate is None or estimate.amount <= 0:
        return [cannot_evaluate(name, "no estimate given")]
    found = priced_bids(tender.bids)
    if not found:
        return [cannot_evaluate(name, "no bid data")]
    out = []
    for bid in found:
        assert bid.value is not None
        if bid.value.currency != estimate.currency:
            why = f"{bid.bidder} bid in {bid.value.currency}, estimate in {estimate.currency}"
            out.append(cannot_evaluate(name, why, bid.bidder))
            continue
        below = (estimate.amount - bid.value.amount) / estimate.amount
        evidence = {
            "bid": bid.value.amount,
            "estimate": estimate.amount,
            "currency": estimate.currency,
            "below_estimate": round(below, 4),
        }
        raised = below >= cfg.abnormally_low.below_estimate
        finding = (
            f"bid of {bid.value} by {bid.bidder} is {pct(below)} below the estimate of {estimate}"
        )
        out.append(low_bid_flag(name, bid.bidder, finding if raised else None, evidence))
    return out
