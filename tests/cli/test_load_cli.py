from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES

VENDORS = FIXTURES / "curated" / "fictional-vendors.yaml"


def test_load_json_summary_has_the_contract_keys(tmp_path: Path) -> None:
    out = run_cli("load", VENDORS, "--json", db=tmp_path / "s.db")
    assert out.exit_code == 0, out.stderr
    summary = json.loads(out.stdout)
    for key in ("format", "imported", "rejected", "issues"):
        assert key in summary, summary
    assert summary["format"] == "bidvet-curated"
    assert summary["imported"] == 7


@pytest.mark.parametrize(
    ("content", "args", "expect"),
    [
        (None, (), "no such file"),
        ("", (), "file is empty"),
        ("bidvet: curated/1\n", ("--format", "no-such-format"), "unknown format 'no-such-format'"),
        ("hello: world\n", (), "format not recognised"),
    ],
)
def test_bad_input_exits_1_with_one_line_naming_the_file(
    tmp_path: Path, content: str | None, args: tuple[str, ...], expect: str
) -> None:
    path = tmp_path / "input.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = run_cli("load", path, *args, db=tmp_path / "s.db")
    assert out.exit_code == 1, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and expect in lines[0] and str(path) in lines[0], out.stderr
    assert lines[0].startswith("bidvet: error: ")


def test_usage_error_exits_2(tmp_path: Path) -> None:
    out = run_cli("load", db=tmp_path / "s.db")
    assert out.exit_code == 2, out.stderr


def test_help_lists_commands(tmp_path: Path) -> None:
    out = run_cli("--help", db=tmp_path / "s.db")
    assert out.exit_code == 0
    assert "load" in out.stdout and "status" in out.stdout
