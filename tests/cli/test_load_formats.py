"""``bidvet load --list-formats``: every importer's format name and title."""

from __future__ import annotations

import json
from pathlib import Path

from bidvet.sources.registry import importers
from tests.cli_helpers import run_cli


def test_list_formats_prints_each_format_and_title(tmp_path: Path) -> None:
    out = run_cli("load", "--list-formats", db=tmp_path / "s.db")
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    expected = importers()
    assert len(lines) == len(expected)
    for line, (name, imp) in zip(lines, expected.items(), strict=True):
        assert line.split()[0] == name and line.endswith(imp.title)


def test_list_formats_as_json(tmp_path: Path) -> None:
    out = run_cli("load", "--list-formats", "--json", db=tmp_path / "s.db")
    assert out.exit_code == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows == [{"format": n, "title": i.title} for n, i in importers().items()]
    assert {"bidvet-curated", "ftm-json", "ocds"} <= {r["format"] for r in rows}


def test_help_advertises_the_flag_and_paths_stay_required(tmp_path: Path) -> None:
    help_text = run_cli("load", "--help", db=tmp_path / "s.db").stdout
    assert "--list-formats" in help_text
    assert run_cli("load", db=tmp_path / "s.db").exit_code == 2
