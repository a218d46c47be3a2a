"""Technology risk tiers and the outcome vocabulary every layer shares.

One :class:`Tier` for the technology profiler, the questionnaire, the framework's outcome rule,
the assessment and the exposure scan. ``insufficient-information`` is not a point on the
low → critical scale: it says the item could not be judged. Wherever a decision needs a point on
the scale it is read as ``high`` (:meth:`Tier.for_decision`), so an item that cannot be judged
is never treated more leniently than a high-tier one. That rule is written here and only here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class Tier(StrEnum):
    """How much a purchase exposes, least to most; ``INSUFFICIENT`` is outside the scale."""

    LOW = "low"
    ELEVATED = "elevated"
    HIGH = "high"
    CRITICAL = "critical"
    INSUFFICIENT = "insufficient-information"

    def for_decision(self) -> Tier:
        """The point on the scale a decision uses: ``insufficient-information`` counts as high."""
        return Tier.HIGH if self is Tier.INSUFFICIENT else self

    @property
    def rank(self) -> int:
        """Position on the low → critical scale (0–3), ``insufficient-information`` as high."""
        return TIER_SCALE.index(self.for_decision())

    @classmethod
    def parse(cls, value: object) -> Tier:
        """A tier from its name (case-insensitive); :class:`ValueError` names the known ones."""
        text = str(value).strip().lower()
        try:
            return cls(text)
        except ValueError:
            known = ", ".join(t.value for t in cls)
            raise ValueError(f"unknown tier {value!r} (known: {known})") from None


#: a tier a person sets in a tender file: a point on the scale
TierName = Literal["low", "elevated", "high", "critical"]

#: the scale, lowest first
TIER_SCALE: tuple[Tier, ...] = (Tier.LOW, Tier.ELEVATED, Tier.HIGH, Tier.CRITICAL)


def highest_tier(*tiers: Tier | None) -> Tier:
    """The highest of ``tiers`` on the scale (for decisions), ``low`` when none is given."""
    known = [t.for_decision() for t in tiers if t is not None]
    return max(known, key=lambda t: t.rank) if known else Tier.LOW


Severity = Literal["critical", "high", "medium", "low", "info"]
Outcome = Literal["exclude", "restrict", "mitigate", "accept"]
Forces = Literal["exclude", "restrict", "mitigate"]

#: strictest first; the outcome of a bidder is the strictest outcome any rule gives it
OUTCOME_ORDER: tuple[Outcome, ...] = ("exclude", "restrict", "mitigate", "accept")
SEVERITY_ORDER: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
