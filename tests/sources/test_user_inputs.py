"""User-given files at the CLI edge: ``screen --input`` CSVs, dates and the screening cache
(issue 12): one-line errors with exit 1 or 2, never a traceback; a damaged cache is rebuilt."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bidvet.screening.config import default_policy
from bidvet.screening.engine import cache_path, load_matcher
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.cli_helpers import run_cli

SOURCES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


def _loaded(tmp_path: Path) -> Path:
    db = tmp_path / "lists.db"
    store = Store(f"sqlite:///{db}")
    load_file(store, SOURCES / "sdn_v1.xml")
    store.dispose()
    return db


def test_screen_input_invalid_utf8_is_one_line_error(tmp_path: Path) -> None:
    db = _loaded(tmp_path)
    bidders = tmp_path / "bidders.csv"
    bidders.write_bytes(b"id,name\n1,Tarn Holdings\n2,Caf\xe9 Fictional\n")
    result = run_cli("screen", "--input", bidders, db=db)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "not valid UTF-8" in lines[0] and "byte offset 29" in lines[0]
    assert str(bidders) in lines[0] and "Traceback" not in result.stderr


def test_screen_input_huge_cell_is_one_line_error(tmp_path: Path) -> None:
    db = _loaded(tmp_path)
    bidders = tmp_path / "bidders.csv"
    bidders.write_text("id,name\n1,Tarn Holdings\n2," + "x" * 200_000 + "\n")
    result = run_cli("screen", "--input", bidders, db=db)
    assert result.exit_code == 1, result.output
    assert f"{bidders}: line 3: a cell is larger than 131072 characters" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "args", "message"),
    [
        ({}, ("--as-of", "0001-01-01"), "--as-of 0001-01-01 is out of range"),
        ({"BIDVET_TODAY": "garbage"}, (), "BIDVET_TODAY='garbage' is not a date"),
    ],
)
def test_impossible_as_of_dates_are_clear_errors(
    tmp_path: Path, env: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    db = _loaded(tmp_path)
    result = run_cli("screen", "Tarn Holdings", *args, db=db, env=env)
    assert result.exit_code in (1, 2), result.output
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "damage",
    [b"", b"PK\x03\x04 not a zip", b"\x00" * 64],
)
def test_corrupt_screening_cache_is_rebuilt(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    damage: bytes,
) -> None:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    store = Store(f"sqlite:///{_loaded(tmp_path)}")
    first = load_matcher(store)
    path = cache_path(store, default_policy())
    (path / "index" / "indices.npy").write_bytes(damage)
    (path / "catalog.npz").write_text('{"rows": [["x"]]')
    with caplog.at_level(logging.WARNING):
        again = load_matcher(store)
    assert "unreadable" in caplog.text and "rebuilding" in caplog.text
    assert again.catalog.entity_ids == first.catalog.entity_ids
    assert (path / "catalog.npz").read_bytes().startswith(b"PK")  # a zip again
    assert load_matcher(store).catalog.entity_ids == first.catalog.entity_ids
    store.dispose()
