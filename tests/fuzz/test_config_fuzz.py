"""The tender, framework and answer-file loaders, and the ``assess`` and ``answers import``
commands, on mutated copies of valid files: a clean result or a one-line error, never a
traceback, and the store untouched after an error."""

from __future__ import annotations

import shutil
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from bidvet.assessment.answers import read_answer_file
from bidvet.assessment.tender import load_tender
from bidvet.errors import BidvetError
from bidvet.framework.loader import FRAMEWORKS, load_framework
from bidvet.store.db import Store
from tests.cli_helpers import run_cli, sqlite_url
from tests.fuzz.mutations import Mutated, mutations

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "embassy-scanners"
TENDER = (EXAMPLE / "tender.yaml").read_bytes()
FRAMEWORK = (FRAMEWORKS / "sensitive-procurement-v3.yaml").read_bytes()
ANSWERS = (EXAMPLE / "answers-borealis.yaml").read_bytes()


def _folder(tmp: str, name: str, body: bytes) -> Path:
    folder = Path(tmp) / "case"
    shutil.copytree(EXAMPLE, folder)
    path = folder / name
    path.write_bytes(body)
    return path


def _quietly(call: object, label: str) -> None:
    try:
        call()  # type: ignore[operator]
    except BidvetError as exc:
        assert "\n" not in exc.render(), (label, exc.render())
    except RecursionError as exc:  # pragma: no cover - the failure this test looks for
        raise AssertionError(f"{label}: RecursionError") from exc


@settings(max_examples=15)
@given(mutations(TENDER))
def test_tender_loader(mutated: Mutated) -> None:
    label, body = mutated
    with TemporaryDirectory() as tmp:
        path = _folder(tmp, "tender.yaml", body)
        _quietly(lambda: load_tender(path), label)


@settings(max_examples=15)
@given(mutations(FRAMEWORK))
def test_framework_loader(mutated: Mutated) -> None:
    label, body = mutated
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "framework.yaml"
        path.write_bytes(body)
        _quietly(lambda: load_framework(path), label)


@settings(max_examples=15)
@given(mutations(ANSWERS))
def test_answer_file_reader(mutated: Mutated) -> None:
    label, body = mutated
    with TemporaryDirectory() as tmp:
        path = _folder(tmp, "answers-borealis.yaml", body)
        _quietly(lambda: read_answer_file(path), label)


@settings(max_examples=8)
@given(mutations(TENDER), st.sampled_from(["assess", "questionnaire"]))
def test_commands_on_a_mutated_tender(mutated: Mutated, command: str) -> None:
    label, body = mutated
    with TemporaryDirectory() as tmp:
        path = _folder(tmp, "tender.yaml", body)
        db = Path(tmp) / "store.db"
        Store(sqlite_url(db)).dispose()
        args = [command, str(path)] + (["--as-of", "2021-01-01"] if command == "assess" else [])
        result = run_cli(*args, db=db)
        assert result.exit_code in (0, 1, 2), (label, result.exit_code)
        assert "Traceback" not in result.stderr, (label, result.stderr)
        if result.exit_code:
            assert len(result.stderr.strip().splitlines()) == 1, (label, result.stderr)
            with Store(sqlite_url(db)).view() as view:
                assert view.snapshots() == [], (label, "the store changed before the error")
