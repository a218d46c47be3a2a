"""What a price indicator returns: :class:`PriceFlag`, with one of four statuses.

* ``raised`` — the data shows the signal; for abnormally low bids the action is an
  explanation request under EU Directive 2014/24/EU Art. 69, never an exclusion;
* ``not-raised`` — evaluated, the signal is absent (the numbers are still shown);
* ``cannot-evaluate`` — the data cannot support the indicator (no bids published, too few
  priced bids, mixed currencies, no foreign-contribution figures); said, never passed silently;
* ``not-applicable`` — out of the rule's scope (FSR and defence/security contracts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ART69 = "EU Directive 2014/24/EU Art. 69 (abnormally low tenders)"
FSR = "Regulation (EU) 2022/2560 (Foreign Subsidies Regulation), public procurement notification"
EXPLAIN = (
    f"ask the bidder to explain the price or costs proposed ({ART69}); an abnormally low bid is "
    "not by itself a ground for exclusion, and a bid found low because of State aid may be "
    "rejected only after consulting the bidder"
)

Status = Literal["raised", "not-raised", "cannot-evaluate", "not-applicable"]


@dataclass(frozen=True)
class PriceFlag:
    indicator: str
    status: Status
    message: str
    bidder: str | None = None
    action: str | None = None
    citation: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = {
            "indicator": self.indicator,
            "status": self.status,
            "message": self.message,
            "bidder": self.bidder,
            "action": self.action,
            "citation": self.citation,
            "evidence": self.evidence,
        }
        return {k: v for k, v in out.items() if v not in (None, {})}


def pct(x: float) -> str:
    """A fraction as a percentage with one decimal (``0.2`` → ``20.0%``)."""
    return f"{x * 100:.1f}%"


def cannot_evaluate(name: str, why: str, bidder: str | None = None) -> PriceFlag:
    """A ``cannot-evaluate`` flag saying why."""
    return PriceFlag(name, "cannot-evaluate", f"cannot evaluate: {why}", bidder)


def low_bid_flag(
    name: str, bidder: str, finding: str | None, evidence: dict[str, Any]
) -> PriceFlag:
    """A raised flag asking for an Art. 69 explanation when there is a ``finding``, otherwise a
    note that the bid is within the thresholds; both carry the ``evidence``."""
    if finding is not None:
        return PriceFlag(name, "raised", finding, bidder, EXPLAIN, ART69, evidence)
    return PriceFlag(name, "not-raised", f"{bidder}: within thresholds", bidder, evidence=evidence)
