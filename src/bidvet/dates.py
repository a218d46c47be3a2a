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


PRECISIONS = ("day", "month", "year")


def parse_partial_date(value: object) -> tuple[dt.date, str] | None:
    """A date that sources often give only in part: ``2014``, ``2024-04`` or ``2024-04-15``.

    Returns the first day of the period and its precision (``year``, ``month`` or ``day``), or
    ``None`` for an empty value. Raises ``ValueError`` for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 1, 1), "year"
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), 1), "month"
    return dt.date.fromisoformat(text), "day"


def period_end(start: dt.date, precision: str | None) -> dt.date:
    """The last day of the period a partial date stands for."""
    if precision == "year":
        return dt.date(start.year, 12, 31)
    if precision == "month":
        following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return start


def format_partial(start: dt.date, precision: str | None) -> str:
    """``2014``, ``2024-04`` or ``2024-04-15``, as precise as the source."""
    if precision == "year":
        return f"{start.year:04d}"
    if precision == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return start.isoformat()
