"""Bids and the money on them: what the price indicators read.

A :class:`TenderBids` is one tender's (or one lot's) bids with the buyer's estimate and the
scope facts the FSR indicator needs. Amounts are compared only within one currency; the only
conversion is into EUR for the FSR thresholds, with the configured rates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bidvet.model.contracts import Money, ProcessRecord


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
    """The bids of one tender (or lot), its estimated value, and whether it is assessed as a lot
    or is a defence and security contract."""

    bids: Sequence[Bid]
    estimate: Money | None = None
    lot: bool = False
    defence_security: bool = False


def valid_bids(bids: Sequence[Bid]) -> list[Bid]:
    """The bids not marked invalid, with or without a price."""
    return [b for b in bids if b.valid]


def priced_bids(bids: Sequence[Bid]) -> list[Bid]:
    """The valid bids with a price."""
    return [b for b in bids if b.valid and b.value is not None]


def priced(bids: Sequence[Bid]) -> tuple[list[Bid], str | None]:
    """Valid bids with a price, and their common currency (``None`` when mixed or none)."""
    found = priced_bids(bids)
    currencies = {b.value.currency for b in found if b.value}
    return found, (currencies.pop() if len(currencies) == 1 else None)


def to_eur(money: Money, eur_per_unit: Mapping[str, float]) -> float | None:
    """``money`` in EUR at the given rate, ``None`` when there is no rate for its currency."""
    rate = eur_per_unit.get(money.currency)
    return None if rate is None else money.amount * rate


def process_bids(process: ProcessRecord) -> list[Bid]:
    """The bids of an OCDS process (bids extension) as :class:`Bid` values, bidders by name."""
    out = []
    for b in process.bids or ():
        names = [p.name for t in b.tenderer_ids if (p := process.party(t))] or [b.id]
        out.append(Bid(" / ".join(names), b.value, valid=(b.status or "valid") in ("valid", "")))
    return out
