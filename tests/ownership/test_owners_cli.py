"""``bidvet owners``: JSON on stdout, text summary, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

GROUP = Path(__file__).parents[1] / "fixtures" / "ownership" / "fictional-group.yaml"


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bidvet", "--db", f"sqlite:///{db}", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_owners_json_as_of(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert run(db, "load", str(GROUP)).returncode == 0
    out = run(db, "owners", "fd-kestrel-imaging", "--as-of", "2025-06-01", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["as_of"] == "2025-06-01"
    assert [o["id"] for o in data["owners"]] == ["fd-vostok", "fd-orlov"]
    assert data["status"]["us_ofac"]["listed"] is True
    assert data["status"]["uk"]["listed"] is False


def test_owners_text_names_the_chain(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run(db, "load", str(GROUP))
    out = run(db, "owners", "fd-borealis-scanning")
    assert out.returncode == 0, out.stderr
    assert "State-linked: yes" in out.stdout
    assert "fd-state-assets → fd-caspian-nuclear → fd-tarn-holdings" in out.stdout


def test_owners_errors(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run(db, "load", str(GROUP))
    missing = run(db, "owners", "fd-nobody")
    assert missing.returncode == 1
    assert missing.stderr.startswith("bidvet: error: no entity 'fd-nobody'"), missing.stderr
    bad_date = run(db, "owners", "fd-vostok", "--as-of", "yesterday")
    assert bad_date.returncode == 2, bad_date.stderr
    assert "--as-of 'yesterday' is not a date" in bad_date.stderr
