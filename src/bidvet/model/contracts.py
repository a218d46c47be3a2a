"""Contract records: what the OCDS and contract-register importers produce.

One :class:`ProcessRecord` per contracting process (an OCDS ``ocid``, or one row of a contract
register). Parties are referenced by their id inside the process, as OCDS does; the exposure scan
resolves them to knowledge-store entities later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency (ISO 4217, upper case)."""

    amount: float
    currency: str

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}"


@dataclass(slots=True)
class PartyRecord:
    """An organisation named in a process, with its OCDS roles (buyer, supplier, tenderer…)."""

    id: str
    name: str
    roles: list[str] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (scheme, id)
    country: str | None = None  # as published (name or code)


@dataclass(slots=True)
class ItemRecord:
    """A good or service, with its classification (``UNSPSC``, ``CPV``…)."""

    id: str
    description: str
    scheme: str | None = None
    code: str | None = None
    extra_codes: list[tuple[str, str]] = field(default_factory=list)
    quantity: float | None = None

    def codes(self) -> tuple[str, ...]:
        """All codes as ``SCHEME:CODE`` strings, main classification first."""
        out = []
        if self.code:
            out.append(f"{self.scheme or 'unknown'}:{self.code}")
        out.extend(f"{s}:{c}" for s, c in self.extra_codes)
        return tuple(out)


@dataclass(slots=True)
class AwardRecord:
    id: str
    status: str | None = None
    date: dt.date | None = None
    value: Money | None = None
    supplier_ids: list[str] = field(default_factory=list)
    items: list[ItemRecord] = field(default_factory=list)
    title: str | None = None


@dataclass(slots=True)
class ContractRecord:
    id: str
    award_id: str | None = None
    status: str | None = None
    title: str | None = None
    description: str | None = None
    date_signed: dt.date | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    value: Money | None = None
    items: list[ItemRecord] = field(default_factory=list)
    amendments: int = 0
    supplier_ids: list[str] = field(default_factory=list)  # registers without awards name them here


@dataclass(slots=True)
class BidRecord:
    """One bid (OCDS bids extension ``bids.details``)."""

    id: str
    tenderer_ids: list[str] = field(default_factory=list)
    value: Money | None = None
    status: str | None = None
    date: dt.date | None = None


@dataclass(slots=True)
class ProcessRecord:
    """One contracting process, compiled: the latest state of every field."""

    ocid: str
    title: str | None = None
    description: str | None = None
    buyer_id: str | None = None
    date: dt.date | None = None  # latest release date
    procurement_method: str | None = None
    tender_status: str | None = None
    tender_value: Money | None = None
    parties: list[PartyRecord] = field(default_factory=list)
    items: list[ItemRecord] = field(default_factory=list)  # tender items
    awards: list[AwardRecord] = field(default_factory=list)
    contracts: list[ContractRecord] = field(default_factory=list)
    bids: list[BidRecord] | None = None  # None: the source publishes no bid data
    amendments: int = 0  # tender amendments
    url: str | None = None

    def party(self, party_id: str | None) -> PartyRecord | None:
        for p in self.parties:
            if p.id == party_id:
                return p
        return None

    @property
    def buyer_name(self) -> str | None:
        buyer = self.party(self.buyer_id)
        return buyer.name if buyer else None
