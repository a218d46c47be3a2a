"""Questionnaire answers change a bidder's data risk, and the outcome says on what terms."""

from __future__ import annotations

from pathlib import Path

import yaml

from bidvet.store.db import Store
from tests.assessment.helpers import EXAMPLE, bidder, evidence_text, findings, report


def _without_answers(tmp_path: Path, name: str) -> Path:
    """The example tender with one bidder's answers removed (knowledge paths kept valid)."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for b in data["bidders"]:
        if b["name"] == name:
            b.pop("answers", None)
    data["knowledge"] = [str(EXAMPLE.parent / k) for k in data.get("knowledge", [])]
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
    assert "drives are destroyed on site" in evidence_text(borealis, "stated-controls").lower()
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
    tender = _without_answers(tmp_path, "Borealis Scanning Oy")
    borealis = bidder(report(sqlite_store, "2021-01-01", tender), "Borealis Scanning Oy")
    assert borealis["tier"] == "critical"
    assert borealis["answer_effects"] == []
    assert not findings(borealis, "stated-controls")
    assert findings(borealis, "unanswered-questions"), borealis["findings"]
