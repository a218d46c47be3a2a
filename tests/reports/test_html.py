"""The HTML report: order of sections, sources, escaping, self-containment."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bidvet.reports import render
from bidvet.reports.html import render_html
from tests.reports.dom import elements, parse_html, strings, text


def _sources(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        ev["source"]
        for bidder in report["bidders"]
        for finding in bidder["findings"]
        for ev in finding["evidence"]
    ]


def test_summary_table_comes_before_every_bidder_section(sample_report: dict[str, Any]) -> None:
    html = render_html(sample_report)
    doc = parse_html(html)
    sections = strings(doc, "//section/@id")
    assert sections[0] == "summary", sections
    bidder_sections = [s for s in sections if s and s.startswith("bidder-")]
    assert bidder_sections == ["bidder-1", "bidder-2", "bidder-3"], sections
    summary_rows = elements(doc, '//section[@id="summary"]//tbody/tr')
    assert len(summary_rows) == 3
    assert [text(r, "td[1]").strip() for r in summary_rows] == [
        "Borealis Scanning Oy",
        "Kestrel Imaging Ltd",
        "Harbour & <Gate> Systems B.V.",
    ]
    assert [text(r, "td[2]").strip() for r in summary_rows] == [
        "accept",
        "exclude",
        "mitigate",
    ]
    assert html.index('id="summary"') < html.index('id="bidder-1"')


def test_outcome_badges_carry_the_outcome_class(sample_report: dict[str, Any]) -> None:
    doc = parse_html(render_html(sample_report))
    badges = strings(doc, '//section[@id="summary"]//tbody//span[contains(@class, "badge")]/@class')
    assert badges == ["badge accept", "badge exclude", "badge mitigate"]
    chips = strings(doc, '//section[@id="bidder-2"]//div[@class="finding-head"]/span[1]/@class')
    assert chips == ["chip critical", "chip high", "chip low"]


def test_every_finding_source_title_and_url_appears(sample_report: dict[str, Any]) -> None:
    doc = parse_html(render_html(sample_report))
    content = text(doc)
    hrefs = set(strings(doc, "//a/@href"))
    for source in _sources(sample_report):
        assert source["title"] in content, source
        if source["url"]:
            assert source["url"] in hrefs, (source["url"], sorted(hrefs))


def test_table_of_contents_links_to_every_bidder(sample_report: dict[str, Any]) -> None:
    doc = parse_html(render_html(sample_report))
    toc = strings(doc, '//nav[@class="toc"]//a/@href')
    for index in (1, 2, 3):
        assert f"#bidder-{index}" in toc
    for anchor in toc:
        assert elements(doc, f'//*[@id="{anchor[1:]}"]'), f"dangling TOC link {anchor}"


def test_ownership_picture_inlined_only_for_bidders_with_owners(
    sample_report: dict[str, Any],
) -> None:
    doc = parse_html(render_html(sample_report))
    for anchor, expected in (("bidder-1", 1), ("bidder-2", 1), ("bidder-3", 0)):
        svgs = elements(doc, f'//section[@id="{anchor}"]//*[local-name()="svg"]')
        assert len(svgs) == expected, anchor
    assert "No ownership data is available" in doc.xpath('string(//section[@id="bidder-3"])')


def test_names_with_markup_are_escaped(sample_report: dict[str, Any]) -> None:
    html = render_html(sample_report)
    assert "<Gate>" not in html
    assert "Harbour &amp; &lt;Gate&gt; Systems B.V." in html
    sample_report["bidders"][0]["name"] = '<script>alert("x")</script>'
    html = render_html(sample_report)
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_unsafe_source_urls_are_not_made_links(sample_report: dict[str, Any]) -> None:
    source = sample_report["bidders"][0]["findings"][0]["evidence"][0]["source"]
    source["url"] = "javascript:alert(1)"
    doc = parse_html(render_html(sample_report))
    assert not [h for h in strings(doc, "//a/@href") if h.lower().startswith("javascript")]
    assert "javascript:alert(1)" in text(doc)


def test_html_is_self_contained(sample_report: dict[str, Any]) -> None:
    html = render_html(sample_report)
    doc = parse_html(html)
    assert not elements(doc, "//script | //link | //img | //iframe | //object")
    assert not strings(doc, "//@src")
    style = "".join(strings(doc, "//style/text()"))
    assert "@import" not in style
    assert "url(" not in style
    external = [h for h in strings(doc, "//@href") if not h.startswith("#")]
    cited = {s["url"] for s in _sources(sample_report) if s["url"]}
    assert set(external) <= cited, sorted(set(external) - cited)
    assert not re.search(r"xlink:href|<use\b", html)


def test_provenance_and_data_quality_are_shown(sample_report: dict[str, Any]) -> None:
    doc = parse_html(render_html(sample_report))
    provenance = text(doc, '//section[@id="provenance"]')
    assert sample_report["framework"]["id"] in provenance
    assert sample_report["framework"]["sha256"] in provenance
    assert sample_report["data_snapshot"] in provenance
    assert "2021-01-01" in provenance
    rows = elements(doc, '//section[@id="data-quality"]//tbody/tr')
    assert len(rows) == len(sample_report["data_quality"])
    assert "share 140 is outside 0–100 %" in text(rows[0])


def test_questions_and_mitigations_are_shown(sample_report: dict[str, Any]) -> None:
    doc = parse_html(render_html(sample_report))
    section = text(doc, '//section[@id="bidder-2"]')
    tender = text(doc, '//section[@id="tender"]')
    # questions are listed once, with the tender; a bidder's section shows its answers
    for question in sample_report["bidders"][1]["questions"]:
        assert question["text"] in tender
        assert question["text"] not in section
    assert "Answers to the questionnaire" in section
    assert "52 % below the median" in section
    # an excluded bidder gets no mitigations: nothing makes it acceptable
    assert sample_report["bidders"][1]["outcome"] == "exclude"
    assert sample_report["bidders"][1]["mitigations"][0]["text"] not in section
    assert "None: an excluded bidder cannot be made acceptable by conditions." in section


def test_html_is_byte_identical_across_runs(sample_report: dict[str, Any]) -> None:
    assert render(sample_report, "html") == render(sample_report, "html")


def test_missing_optional_fields_still_render(sample_report: dict[str, Any]) -> None:
    report = {"schema": "bidvet-assessment/1", "bidders": [{"name": "Tarn Holdings Ltd"}]}
    doc = parse_html(render_html(report))
    assert "Tarn Holdings Ltd" in text(doc, '//section[@id="summary"]')
    assert "No findings." in text(doc, '//section[@id="bidder-1"]')


@pytest.mark.parametrize("schema", [None, "bidvet-assessment/2"])
def test_unknown_schema_is_refused(sample_report: dict[str, Any], schema: str | None) -> None:
    from bidvet.errors import InputError

    sample_report["schema"] = schema
    with pytest.raises(InputError, match=r"schema.*bidvet-assessment/1"):
        render_html(sample_report)
