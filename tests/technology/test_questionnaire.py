from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bidvet.errors import InputError
from bidvet.technology.profile import TechnologyProfile, profile_item, tier_rank
from bidvet.technology.questionnaire import QUESTIONNAIRE_PATH as BUNDLED
from bidvet.technology.questionnaire import (
    apply_answers,
    check_answer,
    load_questionnaire,
    load_questionnaire_file,
    questions_for,
)
from tests.conftest import FIXTURES

CASE = yaml.safe_load((FIXTURES / "technology" / "embassy-scanner.yaml").read_text())
ANSWERS = yaml.safe_load((FIXTURES / "answers" / "structured-cases.yaml").read_text())


def _scanner() -> TechnologyProfile:
    item: dict[str, Any] = CASE["item"]
    return profile_item(item["description"], site=item["site"], explicit=item["technology"])


def test_questionnaire_has_d1_to_d14_each_with_typed_questions() -> None:
    book = load_questionnaire()
    assert sorted(book.topics, key=lambda t: int(t[1:])) == [f"D{n}" for n in range(1, 15)]
    for t in book.topics.values():
        assert t.evidence, t.id
        assert all(q.id.startswith(t.id + ".") for q in t.questions), t.id
    for q in book.questions.values():
        assert q.text.strip().endswith(("?", ".")), q.id
        assert (q.type == "text") == (book.allowed(q.id) == ()), q.id
    assert book.allowed("D4.1") == ("yes", "no")
    assert "destroyed-on-site" in book.allowed("D13.1")


def test_questions_for_a_connected_scanner_explain_why() -> None:
    questions = {q.id: q for q in questions_for(_scanner())}
    assert {"D1.1", "D5.1", "D7.2", "D13.1"} <= set(questions)
    assert "vendor.sole-maintainer" in questions["D5.1"].because
    assert all(q.required for q in questions.values())
    assert questions["D4.1"].to_json()["allowed"] == ["yes", "no"]


def test_no_questions_for_non_technology_and_all_for_unknown() -> None:
    assert questions_for(profile_item("Office furniture supply")) == []
    unknown = questions_for(profile_item("Equipment"))
    assert [q.id for q in unknown] == list(load_questionnaire().questions)


def test_low_tier_questions_are_not_required() -> None:
    questions = questions_for(profile_item("Standalone walk-through metal detector", site="office"))
    assert questions and not any(q.required for q in questions)
    assert "D8.1" not in {q.id for q in questions}  # no link to sensitive systems in sight


def test_risky_structured_answers_raise_the_tier() -> None:
    prof = profile_item(CASE["item"]["description"], site="airport")
    effects = apply_answers(prof, ANSWERS["risky"])
    raised = {e.feature for e in effects.raised}
    assert {"vendor.sole-maintainer", "vendor.remote-maintenance"} <= raised, effects.to_json()
    assert tier_rank(effects.adjusted_tier) > tier_rank(prof.tier), effects.to_json()


def test_protective_structured_answers_put_controls_in_place_and_lower_the_tier() -> None:
    prof = _scanner()
    effects = apply_answers(prof, ANSWERS["protective"])
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


@pytest.mark.parametrize(
    "text",
    [
        "We would refuse; our OEM camera supplier is in China and may be subject to Chinese law",
        "All data stays on device, ports lockable, drives destroyed on site.",
        "There is no remote access of any kind.",
    ],
)
def test_free_text_never_lowers_a_risk(text: str) -> None:
    prof = _scanner()
    for answers in ({"D10": text, "D2": text, "D4": text}, {"D10.3": text, "D4.3": text}):
        effects = apply_answers(prof, answers)
        assert effects.lowered == () and effects.raised == (), effects.to_json()
        assert effects.controls_in_place == (), effects.to_json()
        assert effects.adjusted_tier == prof.tier
        assert all("not used to lower any risk" in n for n in effects.notes), effects.notes
        assert any(text in n for n in effects.notes), effects.notes


def test_evidence_text_is_quoted_not_read() -> None:
    """A "yes" to remote access with soothing evidence still confirms remote access."""
    answer = {"answer": "yes", "evidence": "no remote access is ever used; on-site only"}
    effects = apply_answers(_scanner(), {"D4.1": answer})
    assert [e.feature for e in effects.raised] == ["vendor.remote-maintenance"]
    assert effects.lowered == ()
    assert "on-site only" in effects.raised[0].evidence


def test_a_structured_no_with_evidence_rules_remote_access_out() -> None:
    prof = profile_item(CASE["item"]["description"], site="airport")
    risky = apply_answers(prof, {"D4.2": "yes"})
    assert "vendor.remote-maintenance" in risky.profile.feature_ids()
    effects = apply_answers(
        risky.profile, {"D4.1": {"answer": "No", "attachments": ["network-diagram.pdf"]}}
    )
    assert "no-remote-access" in effects.controls_in_place, effects.to_json()
    assert "vendor.remote-maintenance" not in effects.profile.feature_ids()
    assert effects.lowered[0].evidence == 'answer "no"; attachments: network-diagram.pdf'


def test_yaml_booleans_are_yes_and_no() -> None:
    given = check_answer("D4.1", False)
    assert given is not None and given.answer == "no"


def test_contradictions_are_flagged_and_lower_nothing() -> None:
    effects = apply_answers(_scanner(), ANSWERS["contradictory"])
    pairs = [c.questions for c in effects.contradictions]
    assert ("D3.1", "D6.3") in pairs, effects.to_json()  # D3.1 no vs D6.3 no on remote updates
    assert ("D2.3", "D4.1") in pairs, effects.to_json()  # declared in questionnaire.yaml
    lowered = {e.question for e in effects.lowered}
    assert not lowered & {"D3.1", "D2.3"}, effects.to_json()
    assert any("a person must decide" in e.explanation for e in effects.raised)


def test_unanswered_required_questions_are_listed() -> None:
    effects = apply_answers(_scanner(), {"D5.1": {"answer": "yes", "evidence": "manual"}})
    assert "D5.1" not in effects.unanswered_required
    assert {"D1.1", "D7.2", "D10.2", "D13.1"} <= set(effects.unanswered_required)
    assert "D1.1" in apply_answers(_scanner(), {"D1.1": "  "}).unanswered_required


def test_answer_to_unknown_question_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"unknown question 'D15\.1'"):
        apply_answers(_scanner(), {"D15.1": "yes"})


def test_answer_outside_the_choices_is_an_input_error() -> None:
    with pytest.raises(InputError, match="answer 'maybe' is not one of yes, no"):
        apply_answers(_scanner(), {"D4.1": "maybe"})
    with pytest.raises(InputError, match="evidence or attachments without an answer"):
        apply_answers(_scanner(), {"D4.1": {"answer": " ", "evidence": "see manual"}})


def test_a_text_answer_with_effects_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    data["topics"][0]["questions"][2]["effects"] = {"none": {"lowers": "nothing is kept"}}
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError, match="a text answer cannot have effects"):
        load_questionnaire_file(path)
