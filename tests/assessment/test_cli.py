from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.assessment.helpers import EXAMPLE
from tests.cli_helpers import run_cli


def test_assess_json_to_stdout(tmp_path: Path) -> None:
    installed = run_cli("knowledge", "install", db=tmp_path / "s.db")
    assert installed.exit_code == 0, installed.stderr
    assert "nuctech.yaml: installed" in installed.stdout
    result = run_cli("assess", EXAMPLE, "--as-of", "2021-01-01", db=tmp_path / "s.db")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == "bidvet-assessment/1"
    assert report["as_of"] == "2021-01-01"
    assert report["framework"]["id"] == "sensitive-procurement-v3"
    outcomes = {s["bidder"]: s["outcome"] for s in report["summary"]}
    assert outcomes["Nuctech Company Limited"] == "exclude", outcomes
    assert report["summary"][0]["outcome"] == "exclude", "most severe outcomes come first"


def test_assess_does_not_install_knowledge_and_says_it_is_missing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    result = run_cli("assess", EXAMPLE, "--as-of", "2021-01-01", db=db)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    for b in report["bidders"]:
        assert any(
            "bundled reference knowledge is not installed" in line
            and "bidvet knowledge install" in line
            for line in b["rationale"]
        ), b["rationale"]
    outcomes = {s["bidder"]: s["outcome"] for s in report["summary"]}
    assert outcomes["Nuctech Company Limited"] != "exclude", "no cited facts, no Entity List"
    again = run_cli("knowledge", "install", db=db)
    assert "nuctech.yaml: installed" in again.stdout
    assert "already installed" in run_cli("knowledge", "install", db=db).stdout
    after = json.loads(run_cli("assess", EXAMPLE, "--as-of", "2021-01-01", db=db).stdout)
    assert not any("not installed" in x for b in after["bidders"] for x in b["rationale"])


def test_assess_writes_file_identical_to_stdout(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    out = tmp_path / "report.json"
    written = run_cli("assess", EXAMPLE, "--as-of", "2020-12-01", "-o", out, db=db)
    assert written.exit_code == 0, written.stderr
    printed = run_cli("assess", EXAMPLE, "--as-of", "2020-12-01", db=db)
    assert printed.exit_code == 0, printed.stderr
    assert out.read_text(encoding="utf-8") == printed.stdout


def test_assess_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("assess", EXAMPLE, "--as-of", "2021-02-30", db=tmp_path / "s.db")
    assert result.exit_code == 2
    assert "--as-of '2021-02-30' is not a date" in result.stderr


def test_assess_malformed_tender_exits_1_naming_file_key_and_fix(tmp_path: Path) -> None:
    tender = tmp_path / "t.yaml"
    tender.write_text(
        "bidvet: tender/1\nid: x\ntitle: Test\nbuyer: {name: Buyer, country: ca}\n"
        "site: {type: office, label: Office}\nitems: [{id: a, description: chairs}]\n",
        encoding="utf-8",
    )
    result = run_cli("assess", tender, db=tmp_path / "s.db")
    assert result.exit_code == 1
    err = result.stderr
    assert err.strip() == (
        f"bidvet: error: {tender}: bidders: Field required; add the key 'bidders'"
    ), err


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_questionnaire_formats(fmt: str) -> None:
    result = run_cli("questionnaire", EXAMPLE, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt == "json":
        doc = json.loads(out)
        assert doc["schema"] == "bidvet-questionnaire/1"
        assert doc["tender"]["tier"] == "critical"
        assert [i["tier"] for i in doc["tender"]["items"]] == ["critical", "low"]
        by_name = {b["name"]: b["questions"] for b in doc["bidders"]}
        ids = [q["id"] for q in by_name["Nuctech Company Limited"]]
        assert ids[:3] == ["D1.1", "D1.2", "D1.3"], ids
        assert all(q["answer"] is None for q in by_name["Nuctech Company Limited"])
        assert all(q["answer"] for q in by_name["Borealis Scanning Oy"])
    elif fmt == "md":
        assert out.startswith("# Security questionnaire: X-ray screening equipment"), out[:200]
        assert "## Borealis Scanning Oy" in out
    else:
        assert out.startswith("<!DOCTYPE html>") and "</html>" in out
