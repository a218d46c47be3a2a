"""``bidvet exposure`` and ``bidvet load --json`` for contract files."""

from __future__ import annotations

import json
from pathlib import Path

from bidvet.store.db import Store
from tests.cli_helpers import run_cli

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contracts"


def test_load_json_reports_contract_counts(tmp_path: Path) -> None:
    out = run_cli("load", FIXTURES / "malformed.json", "--json", db=tmp_path / "s.db")
    assert out.exit_code == 0, out.stderr
    summary = json.loads(out.stdout)
    assert {k: summary[k] for k in ("format", "processes", "awards", "contracts", "rejected")} == {
        "format": "ocds",
        "processes": 2,  # a release id republished with other content is kept, not rejected
        "awards": 2,
        "contracts": 1,
        "rejected": 3,
    }
    assert summary["imported"] == 2
    records = {i["record"] for i in summary["issues"] if i["action"] == "rejected"}
    assert "releases[3] (release no-ocid-1)" in records


def test_exposure_loads_files_and_scans_only_them(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert run_cli("load", FIXTURES / "knowledge.yaml", db=db).exit_code == 0
    assert run_cli("load", FIXTURES / "malformed.json", db=db).exit_code == 0
    out = run_cli("exposure", FIXTURES / "history.json", "--json", db=db)
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["processes"] == 7  # not the malformed file's process
    assert len(data["exposures"]) == 4
    whole = json.loads(run_cli("exposure", "-", "--json", db=db).stdout)
    assert whole["processes"] == 9


def test_exposure_html_to_file_and_as_of(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    run_cli("load", FIXTURES / "knowledge.yaml", db=db)
    target = tmp_path / "r.html"
    out = run_cli(
        "exposure",
        FIXTURES / "history.json",
        "--format",
        "html",
        "-o",
        target,
        "--as-of",
        "2020-01-01",
        db=db,
    )
    assert out.exit_code == 0, out.stderr
    html = target.read_text()
    assert "As of 2020-01-01" in html
    # before the 2021 listing, Vantor is not risky
    assert "Fictional Entity List" not in html


def test_exposure_usage_errors(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    out = run_cli("exposure", FIXTURES / "knowledge.yaml", db=db)
    assert out.exit_code == 2
    assert "holds no contract data (format bidvet-curated)" in out.stderr
    out = run_cli("exposure", "-", "--json", "--format", "md", db=db)
    assert out.exit_code == 2 and "--json and --format disagree" in out.stderr


def test_exposure_on_a_register_with_invalid_utf8_is_one_line_and_writes_nothing(
    tmp_path: Path,
) -> None:
    head = [
        b"contract_number,procurement_unique_id,title,directorate,contract_type,slj_initiative,"
        b"status,execution_date,expiry_date,amount,suppliers,details_url,has_attachments",
        b"1,P1,Fictional cleaning services,Fictional Directorate,Contract,No,Current,"
        b"2025-09-15,2026-10-23,100.0,Fictional Cleaning Pty Ltd,https://example.invalid/1,No",
    ]
    register = tmp_path / "contracts.csv"
    register.write_bytes(b"\n".join([*head[:2], head[1].replace(b",", b"\xff,", 1)]) + b"\n")
    db = tmp_path / "s.db"
    out = run_cli("exposure", register, db=db)
    assert out.exit_code == 1
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "contracts.csv: line 3: not valid UTF-8" in out.stderr
    with Store(f"sqlite:///{db}").view() as view:
        assert view.snapshots() == []
