from __future__ import annotations

import datetime as dt

import pytest

from bidvet.dates import format_partial, parse_partial_date, period_end


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
