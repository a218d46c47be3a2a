"""Bids and the money on them: what the price indicators read.

A :class:`TenderBids` is one tender's (or one lot's) bids with the buyer's estimate, the buyer's
country and the tender's date, and the scope facts the FSR indicator needs. Bids in one currency
are compared as they are; bids in different currencies are converted into one currency with the
ECB rates in force on the tender's date (:mod:`bidvet.price.fx`), and every conversion is kept so
that a finding can state the rate and its date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bidvet.model.contracts import Money, ProcessRecord
from bidvet.price.fx import BASE, Conversion, FxTable, NoRate
from bidvet.price.rules import AppliedRule


@dataclass(frozen=True)
class Bid:
    """One bid: who, the price, and (for FSR) foreign financial contributions per third country
    over the three years before, when known (``None``: not given)."""

    bidder: str
    value: Money | None
    foreign_contributions: Mapping[str, Money] | None = None
    valid: bool = True


@dataclass(frozen=True)
class TenderBids:
    """The bids of one tender (or lot), its estimated value, whether it is assessed as a lot or
    is a defence and security contract, the buyer's country (ISO 3166 alpha-2, lower case), the
    date whose rules and exchange rates apply, the rate table, and the rule the indicator being
    run applies (set per indicator by :func:`bidvet.price.price_flags`)."""

    bids: Sequence[Bid]
    estimate: Money | None = None
    lot: bool = False
    defence_security: bool = False
    buyer_country: str | None = None
    on: dt.date | None = None
    rates: FxTable | None = None
    rule: AppliedRule | None = None


@dataclass(frozen=True)
class Priced:
    """A priced bid with its amount in the comparison currency (and how it got there)."""

    bid: Bid
    amount: float
    conversion: Conversion | None = None

    def shown(self) -> str:
        """The bid as offered, with its converted amount and rate when it was converted."""
        assert self.bid.value is not None
        if self.conversion is None:
            return str(self.bid.value)
        return self.conversion.describe()


def valid_bids(bids: Sequence[Bid]) -> list[Bid]:
    """The bids not marked invalid, with or without a price."""
    return [b for b in bids if b.valid]


def priced_bids(bids: Sequence[Bid]) -> list[Bid]:
    """The valid bids with a price."""
    return [b for b in bids if b.valid and b.value is not None]


def comparison_currency(bids: Sequence[Bid], estimate: Money | None) -> str | None:
    """The currency bids are compared in: the estimate's, else the one most bids use (EUR, then
    alphabetical order, breaks a tie); ``None`` without priced bids."""
    if estimate is not None:
        return estimate.currency
    counts = Counter(b.value.currency for b in priced_bids(bids) if b.value)
    if not counts:
        return None
    top = max(counts.values())
    tied = sorted(c for c, n in counts.items() if n == top)
    return BASE if BASE in tied else tied[0]


def convert(tender: TenderBids, money: Money, to: str) -> Conversion | NoRate:
    """``money`` in ``to`` at the tender's date; a missing table or date is a :class:`NoRate`."""
    if tender.rates is None:
        return NoRate(f"no rate table to convert {money.currency} into {to}")
    return tender.rates.convert(money, to, tender.on)


def priced_in(tender: TenderBids, currency: str) -> tuple[list[Priced], list[str]]:
    """The valid priced bids in ``currency`` (converted where needed), and a note for every bid
    that could not be converted."""
    out, missing = [], []
    for bid in priced_bids(tender.bids):
        assert bid.value is not None
        if bid.value.currency == currency:
            out.append(Priced(bid, bid.value.amount))
            continue
        conv = convert(tender, bid.value, currency)
        if isinstance(conv, NoRate):
            missing.append(conv.note)
        else:
            out.append(Priced(bid, conv.converted.amount, conv))
    return out, sorted(set(missing))


def conversions_json(priced: Sequence[Priced]) -> list[dict[str, object]]:
    """Every conversion used, with its rate and rate date (for a flag's evidence)."""
    return [{"bidder": p.bid.bidder, **p.conversion.to_json()} for p in priced if p.conversion]


def rates_used(priced: Sequence[Priced]) -> str | None:
    """``ECB reference rate of 2020-12-31: 1 EUR = 1.5633 CAD; …`` for the conversions used."""
    texts = sorted({p.conversion.rate_text() for p in priced if p.conversion})
    return "; ".join(texts) if texts else None


def process_bids(process: ProcessRecord) -> list[Bid]:
    """The bids of an OCDS process (bids extension) as :class:`Bid` values, bidders by name."""
    out = []
    for b in process.bids or ():
        names = [p.name for t in b.tenderer_ids if (p := process.party(t))] or [b.id]
        out.append(Bid(" / ".join(names), b.value, valid=(b.status or "valid") in ("valid", "")))
    return out
