"""The public API takes ``as_of`` as a date or an ISO string, and says what is wrong with
anything else instead of failing deep inside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import bidvet
from bidvet.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "embassy-scanners" / "tender.yaml"


def test_as_of_as_an_iso_string_equals_the_date(sqlite_store: Store) -> None:
    bidvet.install_knowledge(sqlite_store)
    by_text = bidvet.assess(sqlite_store, EXAMPLE, as_of="2021-01-01")
    by_date = bidvet.assess(sqlite_store, EXAMPLE, as_of=dt.date(2021, 1, 1))
    assert by_text.as_of == by_date.as_of == dt.date(2021, 1, 1)
    outcomes = [b.decision.outcome for b in by_text.bidders]
    assert outcomes == [b.decision.outcome for b in by_date.bidders]
    assert "exclude" in outcomes  # Nuctech is on the Entity List from 2020-12-18
    at_noon = bidvet.screen(sqlite_store, "Nuctech", as_of=dt.datetime(2021, 1, 1, 12))
    assert [m.entity_id for m in at_noon] == [
        m.entity_id for m in bidvet.screen(sqlite_store, "Nuctech", as_of=" 2021-01-01 ")
    ]


@pytest.mark.parametrize("bad", ["2021-13-01", "01/01/2021", "yesterday"])
def test_a_bad_as_of_string_says_how_to_write_it(sqlite_store: Store, bad: str) -> None:
    with pytest.raises(ValueError, match="is not a date; write it as YYYY-MM-DD"):
        bidvet.assess(sqlite_store, EXAMPLE, as_of=bad)
    with pytest.raises(ValueError, match="is not a date"):
        bidvet.owners(sqlite_store, "nuctech", as_of=bad)


def test_as_of_of_another_type_is_a_type_error(sqlite_store: Store) -> None:
    with pytest.raises(TypeError, match="as_of must be a date or a YYYY-MM-DD string, not int"):
        bidvet.screen(sqlite_store, "Nuctech", as_of=20210101)  # type: ignore[arg-type]
