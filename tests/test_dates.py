from __future__ import annotations

import datetime as dt

import pytest

from bidvet.dates import (
    format_partial,
    is_impossible_date,
    parse_as_of,
    parse_partial_date,
    period_end,
    today,
)
from bidvet.errors import UsageError


@pytest.mark.parametrize(
    ("value", "start", "precision", "end", "shown"),
    [
        (2014, dt.date(2014, 1, 1), "year", dt.date(2014, 12, 31), "2014"),
        ("2024-04", dt.date(2024, 4, 1), "month", dt.date(2024, 4, 30), "2024-04"),
        ("2024-12", dt.date(2024, 12, 1), "month", dt.date(2024, 12, 31), "2024-12"),
        ("2024-02", dt.date(2024, 2, 1), "month", dt.date(2024, 2, 29), "2024-02"),
        (dt.date(2020, 12, 18), dt.date(2020, 12, 18), "day", dt.date(2020, 12, 18), "2020-12-18"),
        ("2020-12-18", dt.date(2020, 12, 18), "day", dt.date(2020, 12, 18), "2020-12-18"),
    ],
)
def test_partial_dates(
    value: object, start: dt.date, precision: str, end: dt.date, shown: str
) -> None:
    assert parse_partial_date(value) == (start, precision)
    assert period_end(start, precision) == end
    assert format_partial(start, precision) == shown


@pytest.mark.parametrize("value", ["04/05/2018", "2024-13", "soon", "20"])
def test_not_a_partial_date(value: str) -> None:
    with pytest.raises(ValueError):
        parse_partial_date(value)


def test_empty_is_no_date() -> None:
    assert parse_partial_date(None) is None
    assert parse_partial_date("") is None


def test_garbage_bidvet_today_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIDVET_TODAY", "garbage")
    with pytest.raises(UsageError) as err:
        today()
    assert str(err.value) == (
        "BIDVET_TODAY='garbage' is not a date; set it as YYYY-MM-DD "
        "(e.g. BIDVET_TODAY=2021-01-01) or unset it"
    )


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_as_of_at_the_ends_of_the_calendar_is_refused(value: str) -> None:
    with pytest.raises(UsageError, match=f"--as-of {value} is out of range; give a date from"):
        parse_as_of(value)


def test_default_as_of_is_utc_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BIDVET_TODAY", raising=False)
    before = dt.datetime.now(dt.UTC).date()
    found = parse_as_of(None)
    assert before <= found <= dt.datetime.now(dt.UTC).date()


@pytest.mark.parametrize(
    ("value", "impossible"),
    [
        ("2020-13-45", True),
        ("0000-00-00", True),
        ("31/02/1980", True),
        ("45 Jan 1960", True),
        ("12 Jan 1960", False),
        ("1960", False),
        ("Jan 1960", False),
        ("circa 1960", False),
        ("1980-02-29", False),
    ],
)
def test_impossible_dates_are_told_from_partial_ones(value: str, impossible: bool) -> None:
    assert is_impossible_date(value) is impossible
