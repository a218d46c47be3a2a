"""Events the sources date only by year or month count once that whole period is past."""

from __future__ import annotations

from bidvet.store.db import Store
from tests.assessment.helpers import bidder, evidence_text, report


def test_an_event_dated_by_year_counts_after_that_year(sqlite_store: Store) -> None:
    nuctech = bidder(report(sqlite_store, "2020-12-01"), "Nuctech Company Limited")
    text = evidence_text(nuctech, "integrity-events")
    assert "Nuctech Company Limited, 2014: Banned from US airports" in text, text
    event = next(
        e
        for f in nuctech["findings"]
        if f["criterion"] == "integrity-events"
        for e in f["evidence"]
        if "2014" in e["text"]
    )
    assert event["date"] is None, "a year is not shown as an exact date"


def test_an_event_dated_by_year_does_not_count_within_that_year(sqlite_store: Store) -> None:
    nuctech = bidder(report(sqlite_store, "2014-06-30"), "Nuctech Company Limited")
    assert "Banned from US airports" not in evidence_text(nuctech, "integrity-events")
