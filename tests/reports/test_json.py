"""The one JSON serialiser: NaN and infinities refused with where they are, output unchanged."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest

from bidvet.cli.common import emit_json, emit_jsonl
from bidvet.errors import InputError
from bidvet.jsonout import canonical, dumps
from bidvet.reports.exposure import render as render_exposure
from bidvet.reports.json import canonical_json

SAMPLE: dict[str, Any] = {"b": [1, 2.5, None], "a": {"ü": "Zürich — 0–100 %", "z": True}}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused_with_their_place(bad: float) -> None:
    data = {"bidders": [{"price": 1.0}, {"price": bad}]}
    with pytest.raises(InputError, match=r"\$\.bidders\[1\]\.price: value .* is not valid JSON"):
        dumps(data)
    with pytest.raises(InputError, match="use null for unknown numbers"):
        canonical(data)
    with pytest.raises(InputError, match="not valid JSON"):
        canonical_json(data)
    with pytest.raises(InputError, match="not valid JSON"):
        dumps(data, indent=None, default=str)


def test_every_writer_refuses_non_finite_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="not valid JSON"):
        emit_json({"score": float("nan")})
    with pytest.raises(InputError, match="not valid JSON"):
        emit_jsonl(io.StringIO(), {"score": float("inf")})
    assert capsys.readouterr().out == ""


def test_canonical_is_sorted_indented_utf8_with_a_final_newline() -> None:
    want = json.dumps(SAMPLE, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert canonical(SAMPLE) == want
    assert canonical_json(SAMPLE) == want.encode("utf-8")


def test_key_order_is_kept_only_when_asked() -> None:
    assert dumps(SAMPLE, sort_keys=False) == json.dumps(SAMPLE, ensure_ascii=False, indent=2)
    one_line = dumps(SAMPLE, indent=None, sort_keys=False)
    assert one_line == json.dumps(SAMPLE, ensure_ascii=False)


def test_command_output_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    data = {**SAMPLE, "when": dt.date(2020, 12, 18)}
    emit_json(data)
    out = capsys.readouterr().out
    assert out == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
    fh = io.StringIO()
    emit_jsonl(fh, data)
    assert fh.getvalue() == json.dumps(data, ensure_ascii=False, sort_keys=True, default=str) + "\n"


def test_values_json_cannot_hold_are_refused_without_a_default() -> None:
    with pytest.raises(InputError, match="convert dates"):
        dumps({"when": dt.date(2020, 1, 1)})
    assert (
        dumps({"when": dt.date(2020, 1, 1)}, indent=None, default=str) == '{"when": "2020-01-01"}'
    )


def test_exposure_json_uses_the_same_serialiser() -> None:
    with pytest.raises(InputError, match="not valid JSON"):
        render_exposure({"totals": {"by_year": {"risky": {"2020": {"EUR": float("nan")}}}}}, "json")
