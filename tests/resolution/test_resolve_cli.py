"""``bidvet resolve judge / export / import`` from the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from bidvet.cli.app import cli
from bidvet.resolution.judgements import COLUMNS
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.resolution.helpers import load_cases


def test_judge_export_import(tmp_path: Path) -> None:
    a, b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    load_cases(Store(a))
    load_cases(Store(b))
    runner = CliRunner()
    out = runner.invoke(
        cli,
        ["--db", a, "resolve", "judge", "rx-parent", "rl-pellucid", "positive",
         "--reason", "same register number in the notice", "--by", "ann", "--json"],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["left_id"] == "rl-pellucid"
    path = tmp_path / "j.csv"
    assert runner.invoke(cli, ["--db", a, "resolve", "export", str(path)]).exit_code == 0
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(COLUMNS)
    assert (rows[0]["judgement"], rows[0]["by"], rows[0]["source"]) == ("positive", "ann", "user")
    out = runner.invoke(cli, ["--db", b, "resolve", "import", str(path), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["written"] == 1


def test_import_of_an_unknown_id_fails_naming_the_row(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    load_cases(Store(db))
    path = tmp_path / "bad.csv"
    path.write_text("left_id,right_id,judgement,reason\nrx-parent,ghost,negative,x\n", "utf-8")
    out = run_cli("resolve", "import", path, db=db)
    assert out.exit_code == 1
    assert "line 2" in out.stderr and "'ghost'" in out.stderr
