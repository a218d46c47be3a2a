"""``bidvet owners``: JSON on stdout, text summary, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import run_cli

GROUP = Path(__file__).parents[1] / "fixtures" / "ownership" / "fictional-group.yaml"


def test_owners_json_as_of(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert run_cli("load", GROUP, db=db).exit_code == 0
    out = run_cli("owners", "fd-kestrel-imaging", "--as-of", "2025-06-01", "--json", db=db)
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["as_of"] == "2025-06-01"
    assert [o["id"] for o in data["owners"]] == ["fd-vostok", "fd-orlov"]
    assert data["status"]["us_ofac"]["listed"] is True
    assert data["status"]["uk"]["listed"] is False


def test_owners_text_names_the_chain(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run_cli("load", GROUP, db=db)
    out = run_cli("owners", "fd-borealis-scanning", db=db)
    assert out.exit_code == 0, out.stderr
    assert "State-linked: yes" in out.stdout
    assert "fd-state-assets → fd-caspian-nuclear → fd-tarn-holdings" in out.stdout


def test_owners_errors(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run_cli("load", GROUP, db=db)
    missing = run_cli("owners", "fd-nobody", db=db)
    assert missing.exit_code == 1
    assert missing.stderr.startswith("bidvet: error: no entity 'fd-nobody'"), missing.stderr
    bad_date = run_cli("owners", "fd-vostok", "--as-of", "yesterday", db=db)
    assert bad_date.exit_code == 2, bad_date.stderr
    assert "--as-of 'yesterday' is not a date" in bad_date.stderr
