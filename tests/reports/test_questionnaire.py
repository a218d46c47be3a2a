"""Questionnaires for bidders, in both accepted input shapes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bidvet.errors import InputError
from bidvet.reports import render_questionnaire
from tests.reports.dom import elements, parse_html, text


@pytest.fixture
def questionnaire(sample_report: dict[str, Any]) -> dict[str, Any]:
    return {
        "tender": sample_report["tender"],
        "bidders": [
            {"name": b["name"], "questions": b["questions"]} for b in sample_report["bidders"]
        ],
    }


def test_markdown_groups_questions_by_bidder(questionnaire: dict[str, Any]) -> None:
    md = render_questionnaire(questionnaire, "md").decode("utf-8")
    assert md.startswith("# Security questionnaire: X-ray screening equipment for missions abroad")
    assert md.index("## Borealis Scanning Oy") < md.index("## Kestrel Imaging Ltd")
    assert "## Harbour \\& \\<Gate\\> Systems B.V." in md
    assert "1. **Required.** ownership: List every person" in md
    assert "- Answer: (to be answered)" in md


def test_html_lists_every_question(questionnaire: dict[str, Any]) -> None:
    doc = parse_html(render_questionnaire(questionnaire, "html"))
    items = elements(doc, "//ol[@class='questions']/li")
    assert len(items) == sum(len(b["questions"]) for b in questionnaire["bidders"])
    assert text(doc, "//section[@id='bidder-3']/h2") == "Harbour & <Gate> Systems B.V."


def test_bare_question_list_and_json(questionnaire: dict[str, Any]) -> None:
    questions = questionnaire["bidders"][1]["questions"]
    md = render_questionnaire(questions, "md").decode("utf-8")
    assert md.startswith("# Security questionnaire\n")
    assert "2. **Required.** price: Explain how the price was built" in md
    out = render_questionnaire(questionnaire, "json")
    assert json.loads(out) == questionnaire
    assert out == render_questionnaire(questionnaire, "json")


def test_bad_shape_names_the_fix() -> None:
    with pytest.raises(InputError, match="bidders list nor a questions list"):
        render_questionnaire({"tender": {}}, "md")
