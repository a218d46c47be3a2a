"""The reference case's dated facts, each absent the day before its date and present on it.

The bundled reference knowledge is loaded into a fresh store and read back through the store's
view, so the boundaries hold for every report built on it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bidvet.assessment.knowledge import install_reference
from bidvet.ownership.propagation import propagate_status
from bidvet.ownership.rules import load_rules
from bidvet.store.db import Store
from tests.ownership.factories import graph, mask

ONE_DAY = dt.timedelta(days=1)


def _lists_on(store: Store, entity_id: str, day: dt.date) -> set[str]:
    with store.view() as view:
        return {row.list_id for row in view.listings([entity_id], day)[entity_id]}


@pytest.fixture
def reference(sqlite_store: Store) -> Store:
    install_reference(sqlite_store)
    return sqlite_store


@pytest.mark.parametrize(
    ("entity_id", "list_id", "day"),
    [
        ("cnnc", "us-dod-1237", dt.date(2020, 6, 24)),
        ("cnnc", "us-ofac-ns-cmic", dt.date(2020, 11, 12)),
        ("nuctech", "us-bis-entity", dt.date(2020, 12, 18)),
        ("cnnc", "us-dod-1260h", dt.date(2021, 6, 3)),
    ],
)
def test_listing_starts_on_its_official_date(
    reference: Store, entity_id: str, list_id: str, day: dt.date
) -> None:
    assert list_id not in _lists_on(reference, entity_id, day - ONE_DAY)
    assert list_id in _lists_on(reference, entity_id, day)


def test_each_1260h_edition_is_its_own_listing_with_its_own_source(reference: Store) -> None:
    editions = ["2021-06-03", "2022-10-05", "2024-01-31", "2025-01-07", "2026-06-08"]
    for edition in map(dt.date.fromisoformat, editions):
        with reference.view() as view:
            found = view.listings(["cnnc"], edition)["cnnc"]
        rows = [r for r in found if r.list_id == "us-dod-1260h"]
        assert len(rows) == 1, (edition, rows)
        assert rows[0].start == edition, rows
        assert edition.isoformat() in rows[0].source.title, rows[0].source
        assert rows[0].source.published == edition, rows[0].source
    with reference.view() as view:
        every = [r for r in view.listings(["cnnc"])["cnnc"] if r.list_id == "us-dod-1260h"]
    assert sorted(r.start.isoformat() for r in every if r.start) == editions


def test_no_1260h_listing_is_sourced_after_the_day_it_is_used(reference: Store) -> None:
    day = dt.date(2020, 12, 1)
    with reference.view() as view:
        rows = view.listings(["cnnc", "nuctech"], day)
    used = [r for found in rows.values() for r in found]
    assert used, rows
    assert all(r.list_id != "us-dod-1260h" for r in used), used


def test_entity_list_cites_the_federal_register_rule(reference: Store) -> None:
    with reference.view() as view:
        (row,) = view.listings(["nuctech"], dt.date(2020, 12, 18))["nuctech"]
    assert row.source_url == "https://www.federalregister.gov/citation/85-FR-83416"
    assert row.source.published == dt.date(2020, 12, 22)


def test_control_of_cnnc_is_sourced_before_2020(reference: Store) -> None:
    with reference.view() as view:
        edges = view.owners(["cnnc", "tongfang", "cnnc-capital"], dt.date(2020, 12, 1))
    by_key = {e.key.removeprefix("reference-nuctech:"): e for e in edges}
    for key in ("sasac-cnnc", "cnnc-cnnc-capital", "cnnc-capital-tongfang-control"):
        published = by_key[key].source_published
        assert published is not None and published < dt.date(2020, 1, 1), (key, published)
    assert by_key["cnnc-capital-tongfang-shares"].share == pytest.approx(0.21)


def test_events_carry_their_public_dates(reference: Store) -> None:
    with reference.view() as view:
        events = {
            e.key.removeprefix("reference-nuctech:"): e
            for e in view.events(["nuctech", "nuctech-warsaw", "nuctech-netherlands"])
        }
    assert (events["taiwan-indictment"].date, events["taiwan-conviction"].date) == (
        dt.date(2016, 7, 26),
        dt.date(2020, 2, 26),
    )
    assert events["namibia-contract"].date_precision == "month"
    assert events["lithuania-airport-scanners"].date == dt.date(2021, 1, 1)
    assert events["eu-fsr-inspection"].date == dt.date(2024, 4, 23)
    assert events["us-airports-reported"].summary.startswith("Reported, not confirmed")
    with reference.view() as view:
        before = {e.key for e in view.events(["nuctech"], dt.date(2016, 7, 25))}
    assert "reference-nuctech:taiwan-indictment" not in before


def test_eu_ownership_rule_changes_on_2024_07_03() -> None:
    g = graph("P 25> D", "Q 25> D")
    change = dt.date(2024, 7, 3)
    results = []
    for day in (change - ONE_DAY, change):
        rule = load_rules().regime("eu", day)
        results.append(bool(propagate_status(g, mask(g, "P", "Q"), rule).listed[g.node("D")]))
    assert results == [False, True]
