from __future__ import annotations

import json
from pathlib import Path

import pytest

from bidvet.screening.config import default_policy
from bidvet.store.db import Store
from tests.cli_helpers import run_cli

from .factories import load_fictional

NEAR_FLOOR = default_policy().scoring.near_floor

FIXTURES = Path(__file__).parents[1] / "fixtures" / "screening"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    load_fictional(store)
    store.dispose()
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    return url


def _run(args: list[str], input: str | None = None) -> tuple[int, str, str]:
    result = run_cli(*args, input=input)
    return result.exit_code, result.stdout, result.stderr


def test_screen_json(db: str) -> None:
    code, out, err = _run(["--db", db, "screen", "Borealis Scanning LLC", "--json"])
    assert code == 0, err
    data = json.loads(out)
    best = data["matches"][0]
    assert best["entity_id"] == "test-borealis" and best["match"] is True
    assert best["lists"][0]["program"] == "EAR"
    assert best["explanation"], best


def test_screen_text(db: str) -> None:
    code, out, _ = _run(["--db", db, "screen", "Borealis Scanning LLC"])
    assert code == 0
    assert "MATCH" in out and "us-bis-entity EAR since 2020-12-18" in out, out


def test_screen_batch_to_file(db: str, tmp_path: Path) -> None:
    out_path = tmp_path / "out.jsonl"
    code, _, err = _run(
        ["--db", db, "screen", "--input", str(FIXTURES / "bidders.csv"), "--output", str(out_path)]
    )
    assert code == 0, err
    lines = [json.loads(x) for x in out_path.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["b1", "b2", "b3"]
    assert lines[0]["matches"][0]["entity_id"] == "test-borealis"
    assert lines[1]["matches"][0]["entity_id"] == "test-tarnis"
    assert not any(m["match"] for m in lines[2]["matches"])
    for line in lines:
        assert set(line) == {"id", "name", "algorithm", "matches", "near_names"}
        assert line["algorithm"] == "bidvet-name-v2"
        assert all(not n.get("match", False) for n in line["near_names"])
        assert len(line["matches"]) <= 5
        for m in line["matches"]:
            assert set(m) == {"entity_id", "name", "score", "match", "lists", "explanation"}


def test_screen_batch_stdin_stdout(db: str) -> None:
    code, out, err = _run(
        ["--db", db, "screen", "--input", "-"], input="id,name\nx,Quillon Border Systems\n"
    )
    assert code == 0, err
    assert json.loads(out)["matches"][0]["entity_id"] == "test-quill"


def test_compare(tmp_path: Path) -> None:
    code, out, _ = _run(["compare", "NUCTECH CO., LTD.", "Nuctech Company Limited", "--json"])
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"score", "match", "algorithm", "explanation"} and data["match"] is True
    assert data["algorithm"] == "bidvet-name-v2"
    out_path = tmp_path / "c.jsonl"
    code, _, err = _run(
        ["compare", "--input", str(FIXTURES / "pairs.csv"), "--output", str(out_path)]
    )
    assert code == 0, err
    rows = [json.loads(x) for x in out_path.read_text().splitlines()]
    assert [r["match"] for r in rows] == [True, False]


def test_bad_input_names_file_line_and_fix(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,company\n1,Tarn\n")
    code, _, err = _run(["--db", db, "screen", "--input", str(bad)])
    assert code == 1
    assert err.strip() == (
        f"bidvet: error: {bad}: line 1 (header): missing column(s) name; found id,company; "
        "give a CSV whose first line names the columns id,name"
    )
    bad.write_text("id,name\n1,Tarn\n2,\n")
    code, _, err = _run(["--db", db, "screen", "--input", str(bad)])
    assert code == 1
    assert "line 3 (id 2): empty name" in err


def test_usage_errors() -> None:
    code, _, _ = _run(["compare", "only-one"])
    assert code == 2
    code, _, err = _run(["screen"])
    assert code == 2
    assert "give either NAME or --input" in err


def test_screen_identifier_dominates(db: str) -> None:
    code, out, err = _run(
        ["--db", db, "screen", "Unrelated Name", "--identifier", "529900T8BM49AURSDO55", "--json"]
    )
    assert code == 0, err
    best = json.loads(out)["matches"][0]
    assert best["entity_id"] == "test-borealis" and best["score"] == 1.0


def test_screen_reports_no_near_name(db: str) -> None:
    code, out, _ = _run(["--db", db, "screen", "Zyxwvut Qqq"])
    assert code == 0
    assert out.strip() == (
        f"Zyxwvut Qqq: no match and no near name (none scored {NEAR_FLOOR:.2f} or more) among "
        "9 names of "
        "6 entities in the store"
    )


def test_screening_an_empty_store_is_an_error(tmp_path: Path) -> None:
    result = run_cli(
        "--db",
        f"sqlite:///{tmp_path / 'empty.db'}",
        "screen",
        "Tarn Holdings",
        env={"BIDVET_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.exit_code == 1
    assert "holds no entities to screen against; load lists first" in result.stderr, result.stderr


def test_screen_reports_near_names_in_text_and_json(db: str) -> None:
    # a word added after the listed name: below the threshold, near it
    code, out, err = _run(["--db", db, "screen", "Borealis Imaging North"])
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith(
        "Borealis Imaging North: no match; near names below the threshold: Borealis"
    ), out
    code, out, err = _run(["--db", db, "screen", "Borealis Imaging North", "--json"])
    assert code == 0, err
    data = json.loads(out)
    assert data["algorithm"] == "bidvet-name-v2"
    assert data["near_names"][0]["entity_id"] == "test-borealis"
    assert all(NEAR_FLOOR <= n["score"] < 0.70 for n in data["near_names"])


def test_screen_says_when_no_stored_name_is_in_the_query_script(db: str) -> None:
    code, out, err = _run(["--db", db, "screen", "Ελληνική Εταιρεία"])
    assert code == 0, err
    assert "is in greek script and no name in the data is" in out
