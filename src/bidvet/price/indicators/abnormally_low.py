"""Abnormally low bids, compared with the other bids and with the buyer's estimate, under the
buyer's rule (EU Directive 2014/24/EU Art. 69 for an EU buyer; see ``buyer_rules`` in
``price_flags.yaml``). A raised flag asks for an explanation; it never excludes by itself."""

from __future__ import annotations

import statistics
from typing import Any

from bidvet.price.bids import (
    TenderBids,
    comparison_currency,
    conversions_json,
    convert,
    priced_bids,
    priced_in,
    rates_used,
)
from bidvet.price.config import PriceConfig
from bidvet.price.flags import PriceFlag, cannot_evaluate, pct, ruled
from bidvet.price.fx import NoRate
from bidvet.price.registry import indicator


@indicator(
    "abnormally-low-vs-others",
    title="Abnormally low compared with the other bids",
    order=10,
    family="abnormally-low",
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
        "currency.max_rate_age_days": (
            "how old the ECB rate used to convert a bid in another currency may be"
        ),
    },
)
def abnormally_low_vs_others(tender: TenderBids, cfg: PriceConfig) -> list[PriceFlag]:
    """A bid well below the mean or median of the other valid bids may be subsidised or
    unsustainable. The buyer's rule on abnormally low tenders applies: for an EU buyer, EU
    Directive 2014/24/EU Art. 69 obliges the buyer to ask for an explanation, and the grounds it
    names include State aid. Bids in other currencies are converted at the ECB rate in force on
    the tender's date; without such a rate the indicator is not evaluated."""
    name = "abnormally-low-vs-others"
    rule = tender.rule
    assert rule is not None
    need = cfg.abnormally_low.min_other_bids + 1
    currency = comparison_currency(tender.bids, None)
    found, missing = priced_in(tender, currency) if currency else ([], [])
    if missing:
        return [cannot_evaluate(name, "; ".join(missing), rule=rule)]
    if len(found) < need or currency is None:
        return [cannot_evaluate(name, f"{len(found)} priced bids; needs {need}", rule=rule)]
    rates = rates_used(found)
    out = []
    for item in found:
        others = [p.amount for p in found if p is not item]
        mean, median = statistics.fmean(others), statistics.median(others)
        below_mean = (mean - item.amount) / mean if mean > 0 else 0.0
        below_median = (median - item.amount) / median if median > 0 else 0.0
        evidence: dict[str, Any] = {
            "bid": round(item.amount, 2),
            "currency": currency,
            "others_mean": round(mean, 2),
            "others_median": round(median, 2),
            "below_mean": round(below_mean, 4),
            "below_median": round(below_median, 4),
        }
        if rates:
            evidence["conversions"] = conversions_json(found)
        al = cfg.abnormally_low
        raised = below_mean >= al.below_others_mean or below_median >= al.below_others_median
        finding = (
            f"bid of {item.shown()} by {item.bid.bidder} is {pct(below_mean)} below the mean and "
            f"{pct(below_median)} below the median of the other bids"
            + (f", all in {currency} ({rates})" if rates else "")
        )
        quiet = f"{item.bid.bidder}: within thresholds"
        out.append(ruled(name, rule, item.bid.bidder, finding if raised else None, evidence, quiet))
    return out


@indicator(
    "abnormally-low-vs-estimate",
    title="Abnormally low compared with the buyer's estimate",
    order=20,
    family="abnormally-low",
    config={
        "abnormally_low.below_estimate": (
            "raised when the bid is at least this fraction below the buyer's estimate"
        ),
        "currency.max_rate_age_days": (
            "how old the ECB rate used to convert a bid in another currency may be"
        ),
    },
)
def abnormally_low_vs_estimate(tender: TenderBids, cfg: PriceConfig) -> list[PriceFlag]:
    """A bid well below the buyer's own estimate of the contract value is the other trigger for
    an explanation request under the buyer's rule on abnormally low tenders (the estimate
    reflects the buyer's market knowledge). A bid in another currency than the estimate is
    converted at the ECB rate in force on the tender's date."""
    name = "abnormally-low-vs-estimate"
    rule = tender.rule
    assert rule is not None
    estimate = tender.estimate
    if estimate is None or estimate.amount <= 0:
        return [cannot_evaluate(name, "no estimate given", rule=rule)]
    found = priced_bids(tender.bids)
    if not found:
        return [cannot_evaluate(name, "no bid data", rule=rule)]
    out = []
    for bid in found:
        assert bid.value is not None
        conv = convert(tender, bid.value, estimate.currency)
        if isinstance(conv, NoRate):
            out.append(cannot_evaluate(name, conv.note, bid.bidder, rule))
            continue
        amount = conv.converted.amount
        below = (estimate.amount - amount) / estimate.amount
        evidence: dict[str, Any] = {
            "bid": round(amount, 2),
            "estimate": estimate.amount,
            "currency": estimate.currency,
            "below_estimate": round(below, 4),
        }
        shown = str(bid.value)
        if conv.rates:
            evidence["conversion"] = conv.to_json()
            shown = conv.describe()
        raised = below >= cfg.abnormally_low.below_estimate
        finding = f"bid of {shown} by {bid.bidder} is {pct(below)} below the estimate of {estimate}"
        quiet = f"{bid.bidder}: within thresholds"
        out.append(ruled(name, rule, bid.bidder, finding if raised else None, evidence, quiet))
    return out
