"""The examples in docs/python-api.md run, from the repository root, against a fresh store."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

import bidvet

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "python-api.md"


def test_every_public_function_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in bidvet.__all__:
        if name.startswith("_"):
            continue
        assert f"## `{name}(" in text, f"docs/python-api.md has no section for {name}"
        assert getattr(bidvet, name).__doc__, f"bidvet.{name} has no docstring"


def test_python_api_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    parser = doctest.DocTestParser()
    test = parser.get_doctest(
        DOC.read_text(encoding="utf-8"), {"tmp": str(tmp_path)}, "python-api.md", str(DOC), 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 20, result
    assert result.failed == 0, f"{result.failed} example(s) in {DOC.name} failed (see output)"
    assert os.getcwd() == str(ROOT)
