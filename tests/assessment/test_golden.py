"""Golden files: the same tender, framework and data give byte-identical JSON.

When an input changes on purpose (the framework, the reference knowledge, the example tender,
the taxonomy), regenerate the files and review the diff::

    .venv/bin/python -m tests.assessment.test_golden
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import pytest

from bidvet.assessment.engine import assess
from bidvet.assessment.report import build_report, report_json
from bidvet.store.db import Store
from tests.assessment.helpers import EXAMPLE, FIXTURES, prepare

DATES = ("2020-12-01", "2021-01-01")


def golden_path(as_of: str) -> Path:
    return FIXTURES / f"embassy-scanners-{as_of}.json"


def render(store: Store, as_of: str) -> str:
    tender = prepare(store, EXAMPLE)
    return report_json(build_report(assess(store, tender, as_of=dt.date.fromisoformat(as_of))))


@pytest.mark.parametrize("as_of", DATES)
def test_report_matches_golden_file(sqlite_store: Store, as_of: str) -> None:
    text = render(sqlite_store, as_of)
    expected = golden_path(as_of).read_text(encoding="utf-8")
    assert text == expected, (
        f"report for {as_of} differs from {golden_path(as_of)}; if the change is intended, run "
        "`.venv/bin/python -m tests.assessment.test_golden` and review the diff"
    )


def test_same_inputs_give_byte_identical_json_across_stores(tmp_path: Path) -> None:
    first = Store(f"sqlite:///{tmp_path / 'a.db'}")
    second = Store(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        one = render(first, "2021-01-01")
        assert render(first, "2021-01-01") == one  # re-running on a loaded store
        assert render(second, "2021-01-01") == one  # a fresh store
    finally:
        first.dispose()
        second.dispose()


def test_reports_for_the_two_dates_differ_in_what_they_say() -> None:
    before = golden_path(DATES[0]).read_text(encoding="utf-8")
    after = golden_path(DATES[1]).read_text(encoding="utf-8")
    assert '"as_of": "2020-12-01"' in before and '"as_of": "2021-01-01"' in after
    assert "Entity List only from 2020-12-18" in before
    assert "is on the Entity List (us-bis-entity) since 2020-12-18" in after


def _regenerate() -> None:
    os.environ["BIDVET_TODAY"] = "2026-11-25"
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'golden.db'}")
        for as_of in DATES:
            golden_path(as_of).write_text(render(store, as_of), encoding="utf-8")
            sys.stdout.write(f"wrote {golden_path(as_of)}\n")
        store.dispose()


if __name__ == "__main__":
    _regenerate()
