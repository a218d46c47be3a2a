"""What a price indicator returns: :class:`PriceFlag`, with one of four statuses.

* ``raised`` — the data shows the signal; the flag names the buyer's rule it applied (for an
  abnormally low bid an explanation request, never an exclusion) and the buyer's country;
* ``not-raised`` — evaluated, the signal is absent (the numbers are still shown);
* ``cannot-evaluate`` — the data cannot support the indicator (no bids published, too few
  priced bids, no ECB rate for a currency on the date, no foreign-contribution figures); said,
  never passed silently;
* ``not-applicable`` — outside the rule's scope: the buyer's jurisdiction has no such rule (the
  FSR for a non-EU buyer), the rule was not in force on the date, or a defence and security
  contract under the FSR. Said once per tender, not as an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bidvet.price.rules import AppliedRule, NotApplicable

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
    #: the id of the rule applied (``price_flags.yaml`` ``buyer_rules.rules``)
    rule: str | None = None
    buyer_country: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = {
            "indicator": self.indicator,
            "status": self.status,
            "message": self.message,
            "bidder": self.bidder,
            "action": self.action,
            "citation": self.citation,
            "rule": self.rule,
            "buyer_country": self.buyer_country,
            "evidence": self.evidence,
        }
        return {k: v for k, v in out.items() if v not in (None, {})}


def pct(x: float) -> str:
    """A fraction as a percentage with one decimal (``0.2`` → ``20.0%``)."""
    return f"{x * 100:.1f}%"


def cannot_evaluate(
    name: str,
    why: str,
    bidder: str | None = None,
    rule: AppliedRule | None = None,
    evidence: dict[str, Any] | None = None,
) -> PriceFlag:
    """A ``cannot-evaluate`` flag saying why (and which rule it would have applied)."""
    return PriceFlag(
        name,
        "cannot-evaluate",
        f"cannot evaluate: {why}" + (f" ({rule.applies()}: not evaluated)" if rule else ""),
        bidder,
        evidence=evidence or {},
        rule=rule.id if rule else None,
        buyer_country=rule.buyer_country if rule else None,
    )


def not_applicable(name: str, why: NotApplicable) -> PriceFlag:
    """The one ``not-applicable`` flag of an indicator that does not apply to this buyer."""
    return PriceFlag(name, "not-applicable", why.message, buyer_country=why.buyer_country)


def ruled(
    name: str,
    rule: AppliedRule,
    bidder: str | None,
    finding: str | None,
    evidence: dict[str, Any],
    quiet: str,
) -> PriceFlag:
    """A raised flag carrying the rule's action and citation when there is a ``finding``,
    otherwise a ``not-raised`` flag with the ``quiet`` message; both name the rule and the
    buyer's country and carry the ``evidence`` (with the fallback's reason, if any)."""
    if rule.note:
        evidence = {**evidence, "rule_note": rule.note}
    if finding is not None:
        return PriceFlag(
            name,
            "raised",
            f"{finding} ({rule.applies()})",
            bidder,
            rule.rule.action,
            rule.citation,
            evidence,
            rule.id,
            rule.buyer_country,
        )
    return PriceFlag(
        name,
        "not-raised",
        f"{quiet} ({rule.applies()})",
        bidder,
        evidence=evidence,
        rule=rule.id,
        buyer_country=rule.buyer_country,
    )
