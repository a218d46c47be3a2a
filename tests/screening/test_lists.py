from __future__ import annotations

import datetime as dt

from bidvet.screening.lists import is_active

D = dt.date


def test_active_window() -> None:
    as_of = D(2021, 1, 1)
    assert is_active(D(2020, 12, 18), None, None, None, as_of)
    assert not is_active(D(2021, 6, 1), None, None, None, as_of)  # not yet listed
    assert not is_active(None, D(2021, 6, 1), None, None, as_of)  # first seen later, no date
    assert is_active(None, None, None, None, as_of)  # undated entries count as listed
    assert not is_active(D(2015, 1, 1), None, D(2020, 1, 1), None, as_of)  # ended
    assert not is_active(D(2015, 1, 1), None, None, D(2021, 1, 1), as_of)  # delisted that day
    assert is_active(D(2015, 1, 1), None, D(2022, 1, 1), None, as_of)  # ends later
