"""Shared paths and helpers for the assessment tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from bidvet.assessment.engine import assess
from bidvet.assessment.knowledge import install_reference, load_tender_knowledge
from bidvet.assessment.report import build_report
from bidvet.assessment.tender import LoadedTender, load_tender
from bidvet.store.db import Store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "embassy-scanners" / "tender.yaml"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "assessment"


def prepare(store: Store, tender: Path = EXAMPLE) -> LoadedTender:
    """Install the bundled reference knowledge and the tender's own knowledge files."""
    loaded = load_tender(tender)
    install_reference(store)
    load_tender_knowledge(store, loaded)
    return loaded


def report(store: Store, as_of: str, tender: Path = EXAMPLE) -> dict[str, Any]:
    loaded = prepare(store, tender)
    return build_report(assess(store, loaded, as_of=dt.date.fromisoformat(as_of)))


def bidder(rep: dict[str, Any], name: str) -> dict[str, Any]:
    for b in rep["bidders"]:
        if b["name"] == name:
            return dict(b)
    raise AssertionError(f"no bidder {name!r} in {[b['name'] for b in rep['bidders']]}")


def findings(b: dict[str, Any], criterion: str) -> list[dict[str, Any]]:
    return [f for f in b["findings"] if f["criterion"] == criterion]


def evidence_text(b: dict[str, Any], criterion: str) -> str:
    return "\n".join(e["text"] for f in findings(b, criterion) for e in f["evidence"])
