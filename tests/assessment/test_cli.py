from __future__ import annotations

import json
from pathlib import Path

import pytest

from bidvet.cli.app import main
from tests.assessment.helpers import EXAMPLE


def test_assess_json_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(
        ["--db", f"sqlite:///{tmp_path / 's.db'}", "assess", str(EXAMPLE), "--as-of", "2021-01-01"]
    )
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "bidvet-assessment/1"
    assert report["as_of"] == "2021-01-01"
    assert report["framework"]["id"] == "sensitive-procurement-v1"
    outcomes = {s["bidder"]: s["outcome"] for s in report["summary"]}
    assert outcomes["Nuctech Company Limited"] == "exclude", outcomes
    assert report["summary"][0]["outcome"] == "exclude", "most severe outcomes come first"


def test_assess_writes_file_identical_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    out = tmp_path / "report.json"
    main(["--db", db, "assess", str(EXAMPLE), "--as-of", "2020-12-01", "-o", str(out)])
    capsys.readouterr()
    main(["--db", db, "assess", str(EXAMPLE), "--as-of", "2020-12-01"])
    assert out.read_text(encoding="utf-8") == capsys.readouterr().out


def test_assess_bad_as_of_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "--db",
                f"sqlite:///{tmp_path / 's.db'}",
                "assess",
                str(EXAMPLE),
                "--as-of",
                "2021-02-30",
            ]
        )
    assert exc.value.code == 2
    assert "--as-of '2021-02-30' is not a date" in capsys.readouterr().err


def test_assess_malformed_tender_exits_1_naming_file_key_and_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tender = tmp_path / "t.yaml"
    tender.write_text(
        "bidvet: tender/1\nid: x\ntitle: Test\nbuyer: {name: Buyer, country: ca}\n"
        "site: {type: office, label: Office}\nitems: [{id: a, description: chairs}]\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exc:
        main(["--db", f"sqlite:///{tmp_path / 's.db'}", "assess", str(tender)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        f"bidvet: error: {tender}: bidders: Field required; add the key 'bidders'"
    ), err


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_questionnaire_formats(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["questionnaire", str(EXAMPLE), "--format", fmt])
    out = capsys.readouterr().out
    if fmt == "json":
        doc = json.loads(out)
        assert doc["schema"] == "bidvet-questionnaire/1"
        assert doc["tender"]["tier"] == "critical"
        assert [i["tier"] for i in doc["tender"]["items"]] == ["critical", "low"]
        by_name = {b["name"]: b["questions"] for b in doc["bidders"]}
        ids = [q["id"] for q in by_name["Nuctech Company Limited"]]
        assert ids[:3] == ["D1", "D2", "D4"], ids
        assert all(q["answer"] is None for q in by_name["Nuctech Company Limited"])
        assert all(q["answer"] for q in by_name["Borealis Scanning Oy"])
    elif fmt == "md":
        assert out.startswith("# Security questionnaire: X-ray screening equipment"), out[:200]
        assert "## Borealis Scanning Oy" in out
    else:
        assert out.startswith("<!DOCTYPE html>") and "</html>" in out
