"""Exposure report formats: same scan ⇒ same bytes; every format shows the exposures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from bidvet.exposure.scan import scan_store
from bidvet.reports.exposure import FORMATS, render
from bidvet.sources.loader import load_file
from bidvet.store.db import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contracts"


@pytest.fixture
def data(sqlite_store: Store) -> dict[str, Any]:
    load_file(sqlite_store, FIXTURES / "knowledge.yaml")
    load_file(sqlite_store, FIXTURES / "history.json")
    return scan_store(sqlite_store).to_json()


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_deterministic_and_names_the_risky_suppliers(
    data: dict[str, Any], fmt: str
) -> None:
    text = render(data, fmt)
    assert text == render(json.loads(json.dumps(data)), fmt)
    for name in (
        "Vantor Detection Systems Ltd",
        "Kestrel Vision Corporation",
        "Lumengate Screening Technology Co Ltd",
    ):
        assert name in text, (fmt, name)
    if fmt == "csv":  # exposures only; the clean installer appears only under who-maintains-what
        assert "Borealis Scanning Oy" not in text


def test_csv_has_one_row_per_exposure_and_review(data: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(render(data, "csv"))))
    # "Office chairs and desks" holds no data: a low tier, neither an exposure nor a review
    assert len(rows) == len(data["exposures"]) + len(data["review"]) == 4
    assert not [r for r in rows if "chairs" in r.get("item", "") + r.get("description", "")]
    listed = [
        r
        for r in rows
        if r["supplier"] == "Vantor Detection Systems Ltd" and r["kind"] == "exposure"
    ]
    assert sorted(r["timing"] for r in listed) == ["arose-later", "at-award"]


def test_html_has_both_charts_and_escapes(data: dict[str, Any]) -> None:
    data["exposures"][0]["supplier"] = "<script>x</script>"
    html = render(data, "html")
    assert html.count("<svg") == 2
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    assert "Who maintains what" in html and "Tarn Holdings Ltd" in html
