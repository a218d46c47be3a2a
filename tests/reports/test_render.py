"""The ``render`` entry point and canonical JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bidvet.errors import InputError, UsageError
from bidvet.reports import render
from bidvet.reports.json import canonical_json


def test_json_is_canonical(sample_report: dict[str, Any]) -> None:
    out = render(sample_report, "json")
    assert out.endswith(b"}\n")
    assert json.loads(out) == sample_report
    assert (
        out
        == json.dumps(sample_report, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
        + b"\n"
    )
    assert "0–100 %".encode() in out  # UTF-8 kept, not \u-escaped


def test_json_is_the_same_whatever_the_key_order(sample_report: dict[str, Any]) -> None:
    reordered = dict(reversed(list(sample_report.items())))
    assert render(reordered, "json") == render(sample_report, "json")


def test_json_refuses_values_that_are_not_json() -> None:
    with pytest.raises(InputError, match=r"\$\.a\[1\].*not valid JSON"):
        canonical_json({"a": [1, float("nan")]})
    with pytest.raises(InputError, match="convert dates"):
        canonical_json({"when": object()})


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_text_formats_are_byte_identical(sample_report: dict[str, Any], fmt: str) -> None:
    assert render(sample_report, fmt) == render(json.loads(json.dumps(sample_report)), fmt)


def test_unknown_format_is_a_usage_error(sample_report: dict[str, Any]) -> None:
    with pytest.raises(UsageError, match="choose one of json, md, html, pdf"):
        render(sample_report, "docx")
