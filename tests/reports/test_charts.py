"""Pure-SVG charts for the exposure report."""

from __future__ import annotations

import pytest
from lxml import etree

from bidvet.reports.charts import bar_chart, line_chart, nice_ticks
from tests.reports.dom import all_text

SVG_NS = "{http://www.w3.org/2000/svg}"


def test_bar_chart_draws_one_bar_per_item_longest_for_largest() -> None:
    items = [("Kestrel Imaging Ltd", 1_250_000.0), ("Borealis <Scanning> & Oy", 300_000.0)]
    svg = bar_chart(items, title="Top risky suppliers", highlight={"Kestrel Imaging Ltd"})
    root = etree.fromstring(svg.encode("utf-8"))
    bars = [g.find(f"{SVG_NS}rect") for g in root.findall(f"{SVG_NS}g")]
    assert len(bars) == 2
    widths = [float(b.get("width")) for b in bars if b is not None]  # type: ignore[arg-type]
    assert widths[0] > widths[1] > 0
    assert widths[1] == pytest.approx(widths[0] * 0.24, abs=0.2)
    assert bars[0] is not None and bars[0].get("fill") == "#b3261e"
    text = all_text(root)
    assert "Borealis <Scanning> & Oy" in text
    assert "1,250,000" in text


def test_line_chart_series_points_and_gaps() -> None:
    svg = line_chart(
        ["2019", "2020", "2021", "2022"],
        [("listed", [0.0, 10.0, None, 40.0]), ("state-linked", [5.0, 5.0, 5.0, 5.0])],
        title="Spend over time by risk",
    )
    root = etree.fromstring(svg.encode("utf-8"))
    series = root.findall(f"{SVG_NS}g[@class='series']")
    assert len(series) == 2
    # the None splits "listed" into a two-point line and a lone point
    assert len(series[0].findall(f"{SVG_NS}polyline")) == 1
    assert len(series[0].findall(f"{SVG_NS}circle")) == 3
    assert len(series[1].findall(f"{SVG_NS}polyline")) == 1
    assert len(series[1].findall(f"{SVG_NS}circle")) == 4
    assert "Spend over time by risk" in all_text(root)


def test_line_chart_refuses_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="2 values for 3 x labels"):
        line_chart(["a", "b", "c"], [("s", [1.0, 2.0])], title="t")


def test_charts_are_deterministic_and_handle_empty_data() -> None:
    data = [("Tarn Holdings Ltd", 12.5), ("Kestrel Imaging Ltd", 3.0)]
    assert bar_chart(data, title="t") == bar_chart(list(data), title="t")
    empty = etree.fromstring(bar_chart([], title="Nothing").encode("utf-8"))
    assert "No data" in all_text(empty)
    flat = line_chart(["2020"], [("none", [0.0])], title="zero")
    etree.fromstring(flat.encode("utf-8"))


def test_nice_ticks() -> None:
    assert nice_ticks(37) == [0.0, 10.0, 20.0, 30.0, 40.0]
    assert nice_ticks(1_000_000) == [0.0, 250_000.0, 500_000.0, 750_000.0, 1_000_000.0]
    assert nice_ticks(0) == [0.0, 1.0]
