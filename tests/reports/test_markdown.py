"""The Markdown report: summary table, findings with sources, escaping."""

from __future__ import annotations

from typing import Any

import pytest

from bidvet.reports import render
from bidvet.reports.markdown import render_markdown
from bidvet.reports.templating import md_escape, md_link
from tests.reports.dom import elements, parse_html, strings, text


def test_summary_table_lists_every_bidder_with_outcome(sample_report: dict[str, Any]) -> None:
    md = render_markdown(sample_report)
    lines = md.splitlines()
    header = lines.index("| Bidder | Outcome | Findings | Price | Why |")
    assert lines[header + 1] == "|---|---|---:|---:|---|"
    rows = lines[header + 2 : header + 5]
    assert rows[0].startswith(
        "| [Borealis Scanning Oy](#bidder-1) | **ACCEPT** | 1 | 412,000 CAD |"
    )
    assert rows[1].startswith("| [Kestrel Imaging Ltd](#bidder-2) | **EXCLUDE** | 3 |")
    assert rows[2].startswith("| [Harbour \\& \\<Gate\\> Systems B.V.](#bidder-3) | **MITIGATE** |")
    assert all(row.count(" | ") == 4 for row in rows), rows
    assert md.index("## Executive summary") < md.index("## 1. Borealis Scanning Oy")


def test_every_finding_source_is_cited_with_its_link(sample_report: dict[str, Any]) -> None:
    md = render_markdown(sample_report)
    for bidder in sample_report["bidders"]:
        for finding in bidder["findings"]:
            assert finding["title"] in md
            for ev in finding["evidence"]:
                source = ev["source"]
                if source["url"]:
                    assert str(md_link(source["title"], source["url"])) in md
                else:
                    assert source["title"] in md


def test_pipes_and_newlines_cannot_break_a_table(sample_report: dict[str, Any]) -> None:
    sample_report["summary"][0]["headline"] = "first line\nsecond | column"
    md = render_markdown(sample_report)
    row = next(line for line in md.splitlines() if line.startswith("| [Borealis"))
    assert "first line second \\| column" in row
    assert row.count(" | ") == 4


def test_md_escape_and_links() -> None:
    assert md_escape("Tarn *Holdings* [Ltd] <b>&") == "Tarn \\*Holdings\\* \\[Ltd\\] \\<b\\>\\&"
    assert md_escape(None) == ""
    assert str(md_link("A (B)", "https://example.org/a b(c)")) == (
        "[A (B)](https://example.org/a%20b%28c%29)"
    )
    assert str(md_link("Local note", "file:///etc/passwd")) == "Local note"


def test_markdown_shows_ownership_and_questions(sample_report: dict[str, Any]) -> None:
    md = render_markdown(sample_report)
    assert (
        "| Vostok Strategic Industries JSC | 60 % | Vostok Strategic Industries JSC → "
        "Tarn Holdings Ltd → Kestrel Imaging Ltd | listed |" in md
    )
    assert "_No ownership data is available for this bidder._" in md
    assert "Explain how the price was built" in md
    assert "- Data snapshot: " + sample_report["data_snapshot"] in md


def test_markdown_is_byte_identical_across_runs(sample_report: dict[str, Any]) -> None:
    first = render(sample_report, "md")
    assert first == render(sample_report, "md")
    assert first.endswith(b"\n")


def test_markdown_parses_into_headings_tables_and_links(sample_report: dict[str, Any]) -> None:
    """Parse with a CommonMark + GFM-tables parser: anchors must not swallow headings."""
    markdown_it = pytest.importorskip("markdown_it")
    html = (
        markdown_it.MarkdownIt("commonmark").enable("table").render(render_markdown(sample_report))
    )
    doc = parse_html(html)
    headings = [h.strip() for h in strings(doc, "//h2/text()")]
    assert "Executive summary" in headings
    assert "3. Harbour & <Gate> Systems B.V. — MITIGATE" in headings
    first_table = elements(doc, "//table")[0]
    assert [text(r, "td[1]") for r in elements(first_table, ".//tbody/tr")] == [
        "Borealis Scanning Oy",
        "Kestrel Imaging Ltd",
        "Harbour & <Gate> Systems B.V.",
    ]
    assert "https://example.org/fictional-list?id=VSI&format=html" in strings(doc, "//a/@href")
    assert not elements(doc, "//gate")
