"""The ``bidvet`` command as a separate process.

All other CLI tests run the command in-process through ``tests.cli_helpers.run_cli``, which calls
the same ``bidvet.cli.main`` as the installed script. The tests here start a real process because
what they check is the process boundary itself, which an in-process run cannot see:

- ``test_installed_script_keeps_stdout_for_the_result``: the console script that installation
  creates starts, exits 0, and writes only the JSON document to file descriptor 1 while log
  output (``-v``) goes to file descriptor 2.
- ``test_installed_script_error_exit_status``: a bad input file gives exit status 1 as a shell
  sees it, nothing on stdout, and exactly one ``bidvet: error:`` line on stderr.
- ``test_python_dash_m_usage_error_exit_status``: ``python -m bidvet`` (``bidvet/__main__.py``)
  turns a usage error into exit status 2.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

VENDORS = FIXTURES / "curated" / "fictional-vendors.yaml"
SCRIPT = Path(sys.executable).parent / "bidvet"


def run(command: list[str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, *(str(a) for a in args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def script() -> list[str]:
    if not SCRIPT.is_file():
        pytest.skip(f"no installed console script at {SCRIPT}")
    return [str(SCRIPT)]


def test_installed_script_keeps_stdout_for_the_result(script: list[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    out = run(script, "--db", db, "-v", "load", VENDORS, "--json")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["format"] == "bidvet-curated"
    assert summary["imported"] == 7
    assert out.stdout.lstrip().startswith("{") and out.stdout.rstrip().endswith("}")
    assert "INFO " in out.stderr, out.stderr
    assert "INFO " not in out.stdout


def test_installed_script_error_exit_status(script: list[str], tmp_path: Path) -> None:
    path = tmp_path / "input.yaml"
    path.write_text("hello: world\n", encoding="utf-8")
    out = run(script, "--db", f"sqlite:///{tmp_path / 's.db'}", "load", path)
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("bidvet: error: ") and str(path) in lines[0], out.stderr
    assert "format not recognised" in lines[0]


def test_python_dash_m_usage_error_exit_status(tmp_path: Path) -> None:
    out = run([sys.executable, "-m", "bidvet"], "--db", f"sqlite:///{tmp_path / 's.db'}", "load")
    assert out.returncode == 2, out.stderr
    assert out.stdout == ""
    assert "Missing argument" in out.stderr, out.stderr
