"""Dates: parsing the many formats lists use, and the as-of date."""

from __future__ import annotations

import datetime as dt
import re

from bidvet import settings

_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y")


def today() -> dt.date:
    """Today, or ``BIDVET_TODAY`` when set (reproducible runs)."""
    override = settings.get("BIDVET_TODAY")
    if override:
        return dt.date.fromisoformat(override)
    return dt.date.today()


def parse_date(value: str | None, *, dayfirst: bool = False) -> dt.date | None:
    """Parse a date written the way official lists write them; ``None`` when it is not one.

    Accepts ISO dates (also with a time part), ``MM/DD/YYYY`` (US lists; ``DD/MM/YYYY`` when
    ``dayfirst``), ``DD.MM.YYYY`` and ``D Month YYYY``. Year-only or year-month values return
    ``None``: callers that can use partial dates should keep the raw string.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$", text)
    if m:
        try:
            return dt.date.fromisoformat(m.group(1))
        except ValueError:
            return None
    formats = _FORMATS
    if dayfirst:
        formats = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", *_FORMATS[3:])
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_as_of(value: str | None) -> dt.date:
    """The ``--as-of`` option: an ISO date, default today."""
    if not value:
        return today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        from bidvet.errors import UsageError

        raise UsageError(
            f"--as-of {value!r} is not a date", fix="write it as YYYY-MM-DD, e.g. 2021-01-01"
        ) from None
