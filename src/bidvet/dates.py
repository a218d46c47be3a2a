"""Dates: parsing the many formats lists use, and the as-of date.

The as-of date defaults to today **in UTC** (not the machine's time zone, so two machines on
either side of midnight agree), unless ``BIDVET_TODAY`` is set. As-of dates must lie between
:data:`EARLIEST` and :data:`LATEST`: date arithmetic (look-back windows, periods) on dates at
the ends of the calendar would overflow.
"""

from __future__ import annotations

import datetime as dt
import re

from bidvet import settings
from bidvet.errors import UsageError
from bidvet.model.quality import QualityLog

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)

_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y")


def today() -> dt.date:
    """Today's date in UTC, or ``BIDVET_TODAY`` when set (reproducible runs)."""
    override = settings.get("BIDVET_TODAY")
    if override:
        try:
            value = dt.date.fromisoformat(override.strip())
        except ValueError:
            raise UsageError(
                f"BIDVET_TODAY={override!r} is not a date",
                fix="set it as YYYY-MM-DD (e.g. BIDVET_TODAY=2021-01-01) or unset it",
            ) from None
        _check_range(value, "BIDVET_TODAY")
        return value
    return dt.datetime.now(dt.UTC).date()


def _check_range(value: dt.date, what: str) -> None:
    if not EARLIEST <= value <= LATEST:
        raise UsageError(
            f"{what} {value.isoformat()} is out of range",
            fix=f"give a date from {EARLIEST.isoformat()} to {LATEST.isoformat()}",
        )


def in_window(day: dt.date, valid_from: dt.date | None, valid_to: dt.date | None) -> bool:
    """Whether ``day`` lies in ``[valid_from, valid_to]`` (both inclusive, either end open): the
    one reading of a dated rule's validity (a ban, a binding list, a regime version)."""
    if valid_from is not None and day < valid_from:
        return False
    return valid_to is None or day <= valid_to


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
    """The ``--as-of`` option: an ISO date from 1900-01-01 to 2999-12-31; default today (UTC,
    or ``BIDVET_TODAY``)."""
    if not value:
        return today()
    return parse_day_option(value, "--as-of")


def parse_day_option(value: str, option: str) -> dt.date:
    """A date option (``option`` names it in the error): an ISO date from 1900-01-01 to
    2999-12-31."""
    try:
        found = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{option} {value!r} is not a date", fix="write it as YYYY-MM-DD, e.g. 2021-01-01"
        ) from None
    _check_range(found, option)
    return found


def logged_date(
    value: object, log: QualityLog, *, record: str | None, field: str, dayfirst: bool = False
) -> dt.date | None:
    """:func:`parse_date` for an importer: a value that is not a full date is logged in the
    data-quality log (record, field and raw value) and ``None`` is kept."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    found = parse_date(text, dayfirst=dayfirst)
    if found is None:
        log.normalised(record, field, text, "not a full date; not kept")
    return found


_ISO_LIKE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ].*)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_WORD_MONTH = re.compile(r"^(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})$")
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = {
    **{name: i for i, name in enumerate(_MONTH_NAMES, 1)},
    **{name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)},
    "sept": 9,
}


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def is_impossible_date(value: str) -> bool:
    """Whether ``value`` is written as a date but names none (``2020-13-45``, ``31/02/1980``,
    ``0000-00-00``, ``45 Jan 1960``). Partial dates (``1960``, ``Jan 1960``, ``2020-05``) and
    free text (``circa 1960``) are not impossible."""
    text = value.strip()
    if m := _ISO_LIKE.match(text):
        year, month = int(m[1]), int(m[2])
        if m[3] is None:
            return not (year >= 1 and 1 <= month <= 12)
        return not _valid(year, month, int(m[3]))
    if m := _NUMERIC.match(text):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        return not (_valid(year, b, a) or _valid(year, a, b))
    if (m := _WORD_MONTH.match(text)) and m[2].lower() in _MONTHS:
        return not _valid(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    return False


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


def possible_dates(values: list[str], log: QualityLog, *, record: str, field: str) -> list[str]:
    """``values`` (dates as the source writes them, partial ones included) without those that
    name no date; each one dropped is logged with record, field and raw value."""
    kept = []
    for value in values:
        if is_impossible_date(value):
            log.normalised(record, field, value, "impossible date (no such day); not kept")
        else:
            kept.append(value)
    return kept
