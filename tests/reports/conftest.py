"""Fixtures for the report renderers: the hand-written sample report (fictional bidders)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "sample-report.json"


@pytest.fixture
def sample_report() -> dict[str, Any]:
    """A fresh copy of the sample report, safe to modify in a test."""
    data: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return copy.deepcopy(data)
