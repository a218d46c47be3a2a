"""Events the sources date only by year or month count once that whole period is past, and
only once the source reporting them was published."""

from __future__ import annotations

from bidvet.store.db import Store
from tests.assessment.helpers import bidder, evidence_text, report

AIRPORTS = (
    "Nuctech Company Limited, 2014: Reported, not confirmed by a primary source: barred from "
    "US airports"
)


def test_an_event_dated_by_year_counts_after_that_year(sqlite_store: Store) -> None:
    nuctech = bidder(report(sqlite_store, "2021-01-01"), "Nuctech Company Limited")
    text = evidence_text(nuctech, "integrity-events")
    assert AIRPORTS in text, text
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
    assert "barred from US airports" not in evidence_text(nuctech, "integrity-events")


def test_an_event_is_not_evidence_before_its_source_was_published(sqlite_store: Store) -> None:
    # the 2014 report comes from a source published on 2020-12-17
    nuctech = bidder(report(sqlite_store, "2020-12-01"), "Nuctech Company Limited")
    assert "barred from US airports" not in evidence_text(nuctech, "integrity-events")
    later = [k for k in nuctech["known_later"] if k["kind"] == "event"]
    assert any("barred from US airports" in k["text"] for k in later), nuctech["known_later"]
    assert all(k["public_from"] > "2020-12-01" for k in later)
