from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bidvet.errors import InputError
from bidvet.technology.profile import TechnologyProfile, profile_item, tier_rank
from bidvet.technology.questionnaire import apply_answers, load_questionnaire, questions_for
from tests.conftest import FIXTURES

CASE = yaml.safe_load((FIXTURES / "technology" / "embassy-scanner.yaml").read_text())


def _scanner() -> TechnologyProfile:
    item: dict[str, Any] = CASE["item"]
    return profile_item(item["description"], site=item["site"], explicit=item["technology"])


def test_questionnaire_has_d1_to_d14_each_with_evidence() -> None:
    book = load_questionnaire()
    assert sorted(book.questions, key=lambda q: int(q[1:])) == [f"D{n}" for n in range(1, 15)]
    for q in book.questions.values():
        assert q.text.strip().endswith("?"), q.id
        assert q.evidence, q.id


def test_questions_for_a_connected_scanner_explain_why() -> None:
    questions = {q.id: q for q in questions_for(_scanner())}
    assert {"D1", "D5", "D7", "D13"} <= set(questions)
    assert "vendor.sole-maintainer" in questions["D5"].because
    assert all(q.required for q in questions.values())


def test_no_questions_for_non_technology_and_all_for_unknown() -> None:
    assert questions_for(profile_item("Office furniture supply")) == []
    unknown = questions_for(profile_item("Equipment"))
    assert [q.id for q in unknown] == [f"D{n}" for n in range(1, 15)]


def test_low_tier_questions_are_not_required() -> None:
    questions = questions_for(profile_item("Standalone walk-through metal detector", site="office"))
    assert questions and not any(q.required for q in questions)
    assert "D8" not in {q.id for q in questions}  # no link to sensitive systems in sight


def test_risky_answers_raise_the_tier() -> None:
    prof = profile_item(CASE["item"]["description"], site="airport")
    effects = apply_answers(prof, CASE["answers_risky"])
    raised = {e.feature for e in effects.raised}
    assert {"vendor.sole-maintainer", "vendor.remote-maintenance"} <= raised, effects.to_json()
    assert tier_rank(effects.adjusted_tier) > tier_rank(prof.tier), effects.to_json()


def test_protective_answers_put_controls_in_place_and_lower_the_tier() -> None:
    prof = _scanner()
    effects = apply_answers(prof, CASE["answers_protective"])
    assert {
        "data-local-only",
        "ports-locked",
        "drives-destroyed-on-site",
        "encryption-at-rest",
        "independent-maintenance",
        "buyer-controlled-updates",
    } <= set(effects.controls_in_place), effects.to_json()
    assert tier_rank(effects.adjusted_tier) < tier_rank(prof.tier), effects.to_json()
    assert "vendor.sole-maintainer" not in effects.profile.feature_ids()


def test_negated_phrases_do_not_count_as_risk() -> None:
    effects = apply_answers(_scanner(), {"D4": "There is no remote access of any kind."})
    assert effects.raised == ()
    assert "no-remote-access" in effects.controls_in_place


def test_unanswered_required_questions_are_listed() -> None:
    effects = apply_answers(_scanner(), {"D5": "Third-party maintenance is possible."})
    assert "D5" not in effects.unanswered_required
    assert {"D1", "D7", "D10", "D13"} <= set(effects.unanswered_required)
    assert apply_answers(_scanner(), {"D1": "  "}).unanswered_required[0] == "D1"


def test_answer_to_unknown_question_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown question 'D15'"):
        apply_answers(_scanner(), {"D15": "yes"})


def test_answer_with_unknown_control_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown control 'magic'"):
        apply_answers(_scanner(), {"D3": {"controls": ["magic"]}})


def test_fixture_file_is_where_the_tests_expect(tmp_path: Path) -> None:
    assert (FIXTURES / "technology" / "embassy-scanner.yaml").is_file()
