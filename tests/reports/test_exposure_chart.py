"""The exposure report's year chart: every year on the axis, zeros drawn, counts and colours
explained — checked against a small fictional contract history counted by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bidvet.exposure.scan import scan
from bidvet.model.contracts import ContractRecord, ItemRecord, Money, PartyRecord, ProcessRecord
from bidvet.reports.exposure import BUCKET_COLOURS, BUCKETS, render, year_chart, year_series
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.reports.dom import parse_xml

SVG_NS = "{http://www.w3.org/2000/svg}"
KNOWLEDGE = Path(__file__).parents[1] / "fixtures" / "contracts" / "knowledge.yaml"
RISKY = "Kestrel Vision Corporation"  # fictional state-owned supplier in KNOWLEDGE
CLEAN = "Borealis Scanning Oy"  # fictional supplier with no risk in KNOWLEDGE
SCANNER = "Hold baggage X-ray screening systems"
BODY_SCANNER = "Full-body security scanners"


def _process(
    ocid: str, supplier: str, item: str, signed: dt.date | None, value: Money | None
) -> ProcessRecord:
    party = "clean" if supplier == CLEAN else "risky"
    return ProcessRecord(
        ocid=ocid,
        buyer_id="buyer",
        parties=[
            PartyRecord("buyer", "Fictional Border Agency", ["buyer"]),
            PartyRecord(party, supplier, ["supplier"]),
        ],
        contracts=[
            ContractRecord(
                id="c1",
                date_signed=signed,
                value=value,
                items=[ItemRecord("1", item)],
                supplier_ids=[party],
            )
        ],
    )


#: the history: no contract at all in 2019; 2020-12-31 and 2021-01-01 straddle a year boundary
HISTORY = [
    _process("fx-1", RISKY, SCANNER, dt.date(2018, 3, 5), Money(100.0, "EUR")),
    _process("fx-2", CLEAN, "Catering services", dt.date(2018, 6, 1), Money(50.0, "EUR")),
    _process("fx-3", CLEAN, SCANNER, dt.date(2020, 2, 10), Money(200.0, "EUR")),
    _process("fx-4", RISKY, BODY_SCANNER, dt.date(2020, 11, 30), Money(300.0, "EUR")),
    _process("fx-5", CLEAN, "Cleaning services", dt.date(2020, 12, 31), None),
    _process("fx-6", RISKY, SCANNER, dt.date(2021, 1, 1), Money(400.0, "USD")),
    _process("fx-7", RISKY, SCANNER, None, Money(10.0, "EUR")),
]

# counted by hand from HISTORY (EUR is the main currency: 660 EUR against 400 USD)
YEARS = ["2018", "2019", "2020", "2021"]
VALUES = {"risky": [100.0, 0.0, 300.0, 0.0], "sensitive": [0.0, 0.0, 200.0, 0.0]}
VALUES["other"] = [50.0, 0.0, 0.0, 0.0]
COUNTS = {"risky": [1, 0, 1, 0], "sensitive": [0, 0, 1, 0], "other": [1, 0, 0, 0]}
N_LABELS = ["n = 2", "n = 0", "n = 2", "n = 0"]


@pytest.fixture
def data(sqlite_store: Store) -> dict[str, Any]:
    load_file(sqlite_store, KNOWLEDGE)
    result: dict[str, Any] = scan(sqlite_store, HISTORY, as_of=dt.date(2024, 1, 1)).to_json()
    assert result["risky_suppliers"] == [RISKY], "the history's premise: one risky supplier"
    return result


def test_scan_counts_contracts_per_year_bucket_and_currency(data: dict[str, Any]) -> None:
    counts = data["totals"]["contracts_by_year"]
    assert counts["risky"] == {"2018": {"EUR": 1}, "2020": {"EUR": 1}, "2021": {"USD": 1}} | {
        "unknown": {"EUR": 1}
    }
    assert counts["sensitive"] == {"2020": {"EUR": 1}}
    assert counts["other"] == {"2018": {"EUR": 1}, "2020": {"none": 1}}
    assert sum(n for b in counts.values() for y in b.values() for n in y.values()) == len(HISTORY)


def test_year_series_has_every_year_and_zeros(data: dict[str, Any]) -> None:
    series = year_series(data, "EUR")
    assert series.years == YEARS
    assert series.values == VALUES
    assert series.counts == COUNTS
    assert (series.undated, series.without_value, series.other_currency) == (1, 1, {"USD": 1})


def test_chart_axis_legend_points_and_note(data: dict[str, Any]) -> None:
    drawn = year_chart(data)
    assert drawn is not None
    svg, note = drawn
    root = parse_xml(svg)
    texts = {
        cls: [t.text for t in root.iter(f"{SVG_NS}text") if t.get("class") == cls]
        for cls in ("x-label", "x-note", "x-title", "y-title")
    }
    assert texts["x-label"] == YEARS
    assert texts["x-note"] == N_LABELS
    assert texts["x-title"] and "Year of award" in str(texts["x-title"][0])
    assert texts["y-title"] == ["Contract value (EUR)"]
    legend = next(g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "legend")
    legend_text = [t.text or "" for t in legend.iter(f"{SVG_NS}text")]
    assert legend_text == [f"{bucket}: {meaning}" for bucket, meaning in BUCKETS.items()]
    swatches = [r.get("fill") for r in legend.iter(f"{SVG_NS}rect")]
    assert swatches == [BUCKET_COLOURS[b] for b in BUCKETS]
    baseline = max(float(c.get("cy") or 0) for c in root.iter(f"{SVG_NS}circle"))
    for group, bucket in zip(
        (g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "series"), BUCKETS, strict=True
    ):
        circles = group.findall(f"{SVG_NS}circle")
        assert len(circles) == len(YEARS), bucket  # zero years are drawn, not left out
        assert {c.get("fill") for c in circles} == {BUCKET_COLOURS[bucket]}
        for circle, year, value, count in zip(
            circles, YEARS, VALUES[bucket], COUNTS[bucket], strict=True
        ):
            title = circle.findtext(f"{SVG_NS}title") or ""
            assert title.startswith(f"{bucket}, {year}: {value:,.0f}, {count} contract")
            assert (float(circle.get("cy") or 0) == baseline) == (value == 0)
    assert "Not on the chart: 1 contract without a date" in note
    assert "1 dated contract without a value" in note and "1 contract in USD" in note


def test_markdown_and_html_state_counts_per_year(data: dict[str, Any]) -> None:
    md = render(data, "md")
    for row in (
        "| 2020 | other | 1 | no value stated |",
        "| 2020 | risky | 1 | 300 EUR |",
        "| 2021 | risky | 1 | 400 USD |",
        "| unknown | risky | 1 | 10 EUR |",
    ):
        assert row in md
    for meaning in BUCKETS.values():
        assert meaning in md
    html = render(data, "html")
    assert "<figcaption>Value in EUR of the contracts awarded each year" in html
    assert html.count("<svg") == 2


def test_a_scan_without_counts_still_draws_every_year() -> None:
    data: dict[str, Any] = {
        "totals": {
            "by_year": {
                "risky": {"2016": {"EUR": 5.0}},
                "sensitive": {},
                "other": {"2019": {"EUR": 7.0}, "unknown": {"EUR": 1.0}},
            },
            "by_supplier": {},
        }
    }
    series = year_series(data, "EUR")
    assert series.years == ["2016", "2017", "2018", "2019"]
    assert series.values["risky"] == [5.0, 0.0, 0.0, 0.0]
    assert series.counts is None
    drawn = year_chart(data)
    assert drawn is not None and "did not count contracts" in drawn[1]
