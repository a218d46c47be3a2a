"""Parsing ownership shares as sources write them.

FtM ``Ownership.percentage`` is a free string ("50", "50%", "50.5", "25-50", "> 50", "majority");
BODS gives exact or min/max numbers. Everything becomes a :class:`Share` of fractions in 0..1.
Values that cannot be read are reported by the caller to the data-quality log; values outside
0–100 % are errors, never clamped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class ShareError(ValueError):
    """A share value that is not a percentage (or outside 0–100 %)."""


@dataclass(frozen=True, slots=True)
class Share:
    """An ownership share as fractions; ``exact`` is set only when the source gave one value."""

    exact: float | None
    min: float | None
    max: float | None

    @property
    def known(self) -> bool:
        return self.exact is not None or self.min is not None or self.max is not None

    @classmethod
    def unknown(cls) -> Share:
        return cls(None, None, None)

    @classmethod
    def of(cls, exact: float) -> Share:
        return cls(exact, exact, exact)


_NUM = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(rf"^{_NUM}\s*%?\s*(?:-|–|—|to)\s*{_NUM}\s*%?$")
_EXACT = re.compile(rf"^{_NUM}\s*%?$")
_BOUND = re.compile(
    rf"^(>=|≥|>|more than|over|at least|<=|≤|<|less than|under|up to)\s*{_NUM}\s*%?$"
)
_WORDS = {
    "majority": (0.5, 1.0),
    "minority": (0.0, 0.5),
    "wholly owned": (1.0, 1.0),
    "wholly-owned": (1.0, 1.0),
}


def _pct(text: str) -> float:
    value = float(text.replace(",", "."))
    if value < 0 or value > 100:
        raise ShareError(f"{text}% is outside 0–100%")
    return value / 100.0


def parse_share(value: str | float | int | None) -> Share:
    """Read a percentage string or number (percent, not fraction) into a :class:`Share`.

    ``None`` or an empty string is an unknown share. Raises :class:`ShareError` for text that
    is not a percentage and for numbers outside 0–100.

    >>> parse_share("50%")
    Share(exact=0.5, min=0.5, max=0.5)
    >>> parse_share("25-50")
    Share(exact=None, min=0.25, max=0.5)
    """
    if value is None:
        return Share.unknown()
    if isinstance(value, bool):
        raise ShareError(f"{value!r} is not a percentage")
    if isinstance(value, int | float):
        return Share.of(_pct(str(value)))
    text = value.strip().lower()
    if not text:
        return Share.unknown()
    if text.startswith("-") and _EXACT.match(text[1:].strip()):
        raise ShareError(f"{value!r} is negative")
    if m := _EXACT.match(text):
        return Share.of(_pct(m.group(1)))
    if m := _RANGE.match(text):
        low, high = _pct(m.group(1)), _pct(m.group(2))
        if low > high:
            raise ShareError(f"{value!r}: the lower bound is above the upper bound")
        if low == high:
            return Share.of(low)
        return Share(None, low, high)
    if m := _BOUND.match(text):
        bound = _pct(m.group(2))
        if m.group(1) in (">=", "≥", ">", "more than", "over", "at least"):
            return Share(None, bound, 1.0)
        return Share(None, 0.0, bound)
    if text in _WORDS:
        low, high = _WORDS[text]
        return Share(None, low, high) if low != high else Share.of(low)
    raise ShareError(f"{value!r} is not a percentage")
