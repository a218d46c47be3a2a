"""The report a committee reads: page 1 names the lists checked, each bidder opens with its
decision, facts not yet public stand apart, names show in their own script, and an excluded
bidder gets no mitigations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bidvet.reports import render
from bidvet.reports.html import render_html
from tests.conftest import FIXTURES
from tests.reports.dom import parse_html, text

GOLDEN = FIXTURES / "assessment"


def _report(day: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (GOLDEN / f"embassy-scanners-{day}.json").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture(scope="module")
def html_2021() -> str:
    return render_html(_report("2021-01-01"))


def test_page_one_names_the_buyer_jurisdiction_and_the_lists_checked(html_2021: str) -> None:
    summary = text(parse_html(html_2021), '//section[@id="summary"]')
    assert "Buyer jurisdiction: Canada (federal)" in summary
    assert "PSPC Ineligibility and Suspension Policy" in summary
    assert "not loaded" in summary and "risk signal" in summary and "legal bar" in summary


def test_each_bidder_opens_with_its_decision(html_2021: str) -> None:
    doc = parse_html(html_2021)
    nuctech = text(doc, '//section[@id="bidder-1"]')
    decision = nuctech[nuctech.index("Decision") : nuctech.index("Decided by")]
    assert "EXCLUDE. Do not award. No condition makes this bidder acceptable." in decision
    assert "What would change the outcome" in nuctech
    assert nuctech.index("Decision") < nuctech.index("Findings")
    # excluded: no mitigations are offered
    assert "None: an excluded bidder cannot be made acceptable by conditions." in nuctech


def test_restrict_lists_its_restrictions_with_the_items(html_2021: str) -> None:
    report = _report("2021-01-01")
    restricted = [b for b in report["bidders"] if b["outcome"] == "restrict"]
    assert restricted, "the example has a restricted bidder"
    index = report["bidders"].index(restricted[0]) + 1
    section = text(parse_html(html_2021), f'//section[@id="bidder-{index}"]')
    assert "Restrictions" in section
    for restriction in restricted[0]["restrictions"]:
        assert restriction["text"] in section
        assert restriction["items"], restriction


def test_names_in_their_own_script_are_shown(html_2021: str) -> None:
    assert "同方威视技术股份有限公司" in text(parse_html(html_2021), '//section[@id="bidder-1"]')


def test_facts_not_yet_public_stand_apart_as_known_later() -> None:
    report = _report("2020-12-01")
    nuctech = report["bidders"][0]
    assert nuctech["known_later"], "the 2020-12-01 report has facts published later"
    markdown = render(report, "md").decode()
    section = markdown[markdown.index("## 1. ") : markdown.index("## 2. ")]
    known = section[section.index("### Known later") :]
    for fact in nuctech["known_later"]:
        assert fact["text"] in known


def test_fictional_bidders_are_marked(html_2021: str) -> None:
    doc = parse_html(html_2021)
    assert "Fictional data." in text(doc, '//section[@id="bidder-3"]')
    assert "Fictional data." not in text(doc, '//section[@id="bidder-1"]')
