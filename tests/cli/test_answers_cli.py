"""``bidvet questionnaire --format yaml|csv`` hands out a form; ``bidvet answers import``
reads it back, checked against the tender, or names every problem and writes nothing."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import yaml

from bidvet.assessment.tender import load_tender
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "embassy-scanners" / "tender.yaml"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "answers"


def _copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "tender"
    shutil.copytree(EXAMPLE.parent, folder)
    return folder / "tender.yaml"


def test_yaml_form_lists_every_question_by_d_id_with_blank_answers() -> None:
    result = run_cli("questionnaire", EXAMPLE, "--format", "yaml")
    assert result.exit_code == 0, result.stderr
    form = yaml.safe_load(result.stdout)
    assert form["bidvet"] == "answers/1"
    assert form["tender"] == "embassy-scanners-example"
    kestrel = next(b for b in form["bidders"] if b["bidder"] == "kestrel")
    ids = [a["id"] for a in kestrel["answers"]]
    assert ids[:3] == ["D1.1", "D1.2", "D1.3"], ids
    d41 = next(a for a in kestrel["answers"] if a["id"] == "D4.1")
    assert d41["allowed"] == ["yes", "no"] and d41["type"] == "yes-no"
    assert (d41["answer"], d41["evidence"], d41["attachments"]) == ("", "", [])
    d131 = next(a for a in kestrel["answers"] if a["id"] == "D13.1")
    assert d131["options"]["destroyed-on-site"].startswith("destroyed on site")


def test_csv_form_has_a_row_per_bidder_and_question() -> None:
    result = run_cli("questionnaire", EXAMPLE, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["bidvet: answers/1", "tender: embassy-scanners-example"]
    header = rows[1]
    assert header[-3:] == ["answer", "evidence", "attachments"]
    d41 = next(r for r in rows[2:] if r[0] == "kestrel" and r[2] == "D4.1")
    assert dict(zip(header, d41, strict=True))["allowed"] == "yes | no"


def test_markdown_questionnaire_names_the_d_ids() -> None:
    result = run_cli("questionnaire", EXAMPLE, "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert "D4.1 Remote maintenance: Can you or anyone else connect" in result.stdout


def test_filled_yaml_form_imports_and_the_tender_uses_it(tmp_path: Path) -> None:
    tender = _copy_example(tmp_path)
    form = yaml.safe_load(run_cli("questionnaire", tender, "--format", "yaml").stdout)
    kestrel = next(b for b in form["bidders"] if b["bidder"] == "kestrel")
    for a in kestrel["answers"]:
        a["answer"] = a["allowed"][-1] if a.get("allowed") else "  see attachment  "
    kestrel["answers"][0].update(answer="Yes", attachments=["kestrel-storage.pdf"])
    form["bidders"] = [kestrel]
    filled = tmp_path / "filled.yaml"
    filled.write_text(yaml.safe_dump(form, sort_keys=False), encoding="utf-8")
    out = tender.parent / "answers-kestrel.yaml"
    result = run_cli("answers", "import", filled, "--tender", tender, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "answers_file: answers-kestrel.yaml" in result.stderr
    assert "(bidder kestrel, question D1.1): normalised: read as 'yes'" in result.stderr
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    first = written["bidders"][0]["answers"][0]
    assert first == {"id": "D1.1", "answer": "yes", "attachments": ["kestrel-storage.pdf"]}
    texts = [a["answer"] for a in written["bidders"][0]["answers"] if a["id"] == "D1.3"]
    assert texts == ["see attachment"]
    data = yaml.safe_load(tender.read_text(encoding="utf-8"))
    data["answers_file"] = ["answers-borealis.yaml", "answers-kestrel.yaml"]
    tender.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    loaded = load_tender(tender)
    answers = next(b for b in loaded.tender.bidders if b.id == "kestrel").answers
    assert len(answers) == len(kestrel["answers"])
    assert loaded.answer_files[-1] == out.resolve()


def test_every_problem_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    source = FIXTURES / "kestrel-answers-with-errors.csv"
    out = tmp_path / "out.yaml"
    result = run_cli("answers", "import", source, "--tender", EXAMPLE, "-o", out)
    assert result.exit_code == 1, result.stdout
    assert not out.exists()
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"bidvet: error: {source}: row 4 (bidder kestrel, question D4.1): answered twice; "
        "keep one of the answers at row 3 and row 4",
        f"bidvet: error: {source}: row 5 (bidder kestrel, question D13.1): answer 'shredded' "
        "is not one of destroyed-on-site, kept-by-buyer, leave-site; answer destroyed-on-site "
        "or kept-by-buyer or leave-site",
        f"bidvet: error: {source}: row 6 (bidder kestrel, question D99.1): unknown question "
        "'D99.1'; use the question ids of the form (D1.1 …)",
        f"bidvet: error: {source}: row 7 (bidder osprey, question D5.1): bidder 'osprey' is not "
        "in the tender; use a bidder id of the tender: nuctech, borealis, kestrel, fjordline",
        f"bidvet: error: {source}: row 8 (bidder kestrel, question D5.1): a required question is "
        "left blank; answer it, or delete the row to leave it unanswered (an unanswered "
        "required question is itself a finding)",
        f"bidvet: error: {source}: row 9 (bidder kestrel, question D2.1): evidence or "
        "attachments without an answer; give the answer too",
    ], result.stderr


def test_check_only_validates(tmp_path: Path) -> None:
    source = EXAMPLE.parent / "answers-borealis.yaml"
    result = run_cli("answers", "import", source, "--tender", EXAMPLE, "--check", "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["bidders"] == {"borealis": 29} and summary["problems"] == []
    assert "29 answers from 1 bidder(s) are valid" in result.stderr


def test_answer_file_for_another_tender_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        "bidvet: answers/1\ntender: another-tender\nbidders:\n  - bidder: kestrel\n"
        "    answers:\n      - {id: D4.1, answer: 'no', evidence: none fitted}\n",
        encoding="utf-8",
    )
    result = run_cli("answers", "import", wrong, "--tender", EXAMPLE)
    assert result.exit_code == 1
    assert (
        f"{wrong}: tender: the file answers tender 'another-tender', not "
        "'embassy-scanners-example'" in result.stderr
    ), result.stderr


def test_yaml_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "bidvet: answers/1\nbidders:\n  - bidder: kestrel\n    answers:\n"
        "      - id: D4.1\n        answer: 'no'\n        evidence: none fitted\n"
        "      - id: D7.2\n        answer: perhaps\n",
        encoding="utf-8",
    )
    result = run_cli("answers", "import", bad, "--tender", EXAMPLE, "--check")
    assert result.exit_code == 1
    assert f"{bad}: line 8 (bidder kestrel, question D7.2): answer 'perhaps'" in result.stderr
