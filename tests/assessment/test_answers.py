"""Questionnaire answers change a bidder's data risk, and the outcome says on what terms.

Only structured answers (yes/no, listed options) with evidence can lower a risk; free text is
quoted and never read for keywords."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bidvet.assessment.tender import load_tender
from bidvet.errors import ConfigError
from bidvet.store.db import Store
from tests.assessment.helpers import EXAMPLE, bidder, evidence_text, findings, report

#: the sentence a keyword reader once credited as "commits to resist and disclose requests"
CHINA_OEM = "We would refuse; our OEM camera supplier is in China and may be subject to Chinese law"


def _tender(tmp_path: Path, name: str, **changes: Any) -> Path:
    """The example tender in ``tmp_path`` with its knowledge files, one bidder changed."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.pop("answers_file", None)
    for b in data["bidders"]:
        if b["name"] == name:
            b.pop("answers", None)
            b.update(changes)
    for k in data.get("knowledge", []):  # knowledge files must sit beside the tender
        (tmp_path / k).write_bytes((EXAMPLE.parent / k).read_bytes())
    out = tmp_path / "tender.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def test_stated_controls_lower_the_tier_but_bind_the_bidder(sqlite_store: Store) -> None:
    borealis = bidder(report(sqlite_store, "2021-01-01"), "Borealis Scanning Oy")
    xray = next(e for e in borealis["answer_effects"] if e["item"] == "xray-baggage")
    assert xray["tier_before"] == "critical", xray
    assert xray["tier_after"] in ("low", "elevated", "high"), xray
    assert xray["lowered"], xray
    assert borealis["tier"] == xray["tier_after"]
    assert findings(borealis, "stated-controls"), borealis["findings"]
    stated = evidence_text(borealis, "stated-controls")
    assert "drives are destroyed on site" in stated.lower()
    # the bidder's own words are quoted next to the structured answer
    assert 'evidence: "Drives are destroyed on site under the buyer\'s supervision."' in stated
    assert borealis["outcome"] == "mitigate", borealis["rationale"]
    mitigation_ids = {m["id"] for m in borealis["mitigations"]}
    assert "contract-stated-controls" in mitigation_ids, borealis["mitigations"]


def test_answers_do_not_leak_onto_items_they_were_not_asked_about(sqlite_store: Store) -> None:
    borealis = bidder(report(sqlite_store, "2021-01-01"), "Borealis Scanning Oy")
    detector = [e for e in borealis["answer_effects"] if e["item"] == "walk-through-detector"]
    assert all(e["tier_after"] == "low" for e in detector), detector


def test_without_answers_the_same_bidder_stays_at_the_items_tier(
    sqlite_store: Store, tmp_path: Path
) -> None:
    tender = _tender(tmp_path, "Borealis Scanning Oy")
    borealis = bidder(report(sqlite_store, "2021-01-01", tender), "Borealis Scanning Oy")
    assert borealis["tier"] == "critical"
    assert borealis["answer_effects"] == []
    assert not findings(borealis, "stated-controls")
    assert findings(borealis, "unanswered-questions"), borealis["findings"]


def test_free_text_refusal_with_a_chinese_oem_lowers_no_risk(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """The regression: the exact sentence, as old-style free text and as a text answer."""
    answers = {"D10": CHINA_OEM, "D10.3": CHINA_OEM, "D4": "There is no remote access."}
    tender = _tender(tmp_path, "Borealis Scanning Oy", answers=answers)
    borealis = bidder(report(sqlite_store, "2021-01-01", tender), "Borealis Scanning Oy")
    assert borealis["tier"] == "critical", borealis["answer_effects"]
    for change in borealis["answer_effects"]:
        assert change["lowered"] == [], change
        assert change["controls_in_place"] == [], change
        assert change["tier_after"] == change["tier_before"], change
        assert any(CHINA_OEM in note and "not used to lower" in note for note in change["notes"])
    assert not findings(borealis, "stated-controls"), borealis["findings"]
    shown = {q["id"]: q["answer"] for q in borealis["questions"]}
    assert CHINA_OEM in (shown["D10.1"] or ""), shown
    assert "not used to lower any risk" in (shown["D10.1"] or ""), shown


def test_a_structured_no_on_remote_access_rules_the_feature_out(
    sqlite_store: Store, tmp_path: Path
) -> None:
    answers = {
        "D4.1": {"answer": "no", "evidence": "The unit has no modem and no network port."},
        "D10.3": CHINA_OEM,
    }
    tender = _tender(tmp_path, "Borealis Scanning Oy", answers=answers)
    borealis = bidder(report(sqlite_store, "2021-01-01", tender), "Borealis Scanning Oy")
    xray = next(e for e in borealis["answer_effects"] if e["item"] == "xray-baggage")
    assert [e["control"] for e in xray["lowered"]] == ["no-remote-access"], xray
    assert xray["lowered"][0]["rules_out"] == ["vendor.remote-maintenance"], xray
    assert "no-remote-access" in xray["controls_in_place"], xray
    assert "The unit has no modem" in evidence_text(borealis, "stated-controls")


def test_an_answer_without_evidence_is_recorded_but_not_credited(
    sqlite_store: Store, tmp_path: Path
) -> None:
    tender = _tender(tmp_path, "Borealis Scanning Oy", answers={"D4.1": "no"})
    borealis = bidder(report(sqlite_store, "2021-01-01", tender), "Borealis Scanning Oy")
    xray = next(e for e in borealis["answer_effects"] if e["item"] == "xray-baggage")
    assert xray["lowered"] == [], xray
    assert any("no evidence" in n for n in xray["notes"]), xray["notes"]
    shown = {q["id"]: q["answer"] for q in borealis["questions"]}
    assert shown["D4.1"] == 'answer "no"', shown


def test_contradictory_answers_are_flagged_for_a_person(
    sqlite_store: Store, tmp_path: Path
) -> None:
    answers = {
        "D4.1": {"answer": "no", "evidence": "no remote access"},
        "D4.2": {"answer": "yes", "evidence": "maintenance by remote login over VPN"},
    }
    tender = _tender(tmp_path, "Borealis Scanning Oy", answers=answers)
    borealis = bidder(report(sqlite_store, "2021-01-01", tender), "Borealis Scanning Oy")
    xray = next(e for e in borealis["answer_effects"] if e["item"] == "xray-baggage")
    assert xray["contradictions"] == [
        {
            "questions": ["D4.1", "D4.2"],
            "explanation": 'D4.1 ("no") rules out remote maintenance / diagnostics, which D4.2 '
            '("yes") confirms',
        }
    ], xray
    assert xray["lowered"] == [], "a contradicted answer lowers nothing"
    assert "no-remote-access" not in xray["controls_in_place"]
    assert "a person must decide" in evidence_text(borealis, "data-risk-tier")


def test_whitespace_only_answers_count_as_unanswered(sqlite_store: Store, tmp_path: Path) -> None:
    tender = _tender(tmp_path, "Borealis Scanning Oy", answers={"D4.1": "   ", "D4": "  "})
    borealis = bidder(report(sqlite_store, "2021-01-01", tender), "Borealis Scanning Oy")
    shown = {q["id"]: q["answer"] for q in borealis["questions"]}
    assert shown["D4.1"] is None, shown
    assert "D4.1 (Remote maintenance) unanswered" in evidence_text(borealis, "unanswered-questions")


def test_tender_names_answer_files_inside_its_folder_only(tmp_path: Path) -> None:
    inner = tmp_path / "tender"
    inner.mkdir()
    tender = _tender(inner, "Borealis Scanning Oy")
    data = yaml.safe_load(tender.read_text(encoding="utf-8"))
    data["answers_file"] = "../answers.yaml"
    (tmp_path / "answers.yaml").write_text("bidvet: answers/1\nbidders: []\n", encoding="utf-8")
    tender.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"answer file '\.\./answers\.yaml' is outside"):
        load_tender(tender)


def test_a_question_answered_in_the_tender_and_in_its_answer_file_is_an_error(
    tmp_path: Path,
) -> None:
    tender = _tender(tmp_path, "Borealis Scanning Oy", answers={"D4.1": "no"})
    data = yaml.safe_load(tender.read_text(encoding="utf-8"))
    data["answers_file"] = "answers.yaml"
    tender.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (tmp_path / "answers.yaml").write_text(
        "bidvet: answers/1\nbidders:\n  - bidder: borealis\n    answers:\n"
        "      - {id: D4.1, answer: 'yes'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"bidder borealis, question D4.1: D4.1 is already"):
        load_tender(tender)


def test_an_inline_answer_outside_the_choices_names_bidder_and_question(tmp_path: Path) -> None:
    tender = _tender(tmp_path, "Borealis Scanning Oy", answers={"D13.1": "shredded"})
    with pytest.raises(ConfigError) as err:
        load_tender(tender)
    assert str(err.value) == (
        f"{tender}: bidders[1] (id=borealis).answers.D13.1: answer 'shredded' is not one of "
        "destroyed-on-site, kept-by-buyer, leave-site; answer destroyed-on-site or "
        "kept-by-buyer or leave-site"
    )
