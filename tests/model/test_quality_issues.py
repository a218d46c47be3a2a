"""The data-quality log keeps a bounded number of issues in memory and the rest on disk."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from bidvet.model import quality
from bidvet.model.facts import QualityEntry
from bidvet.model.quality import QualityIssue, QualityIssues, QualityLog
from bidvet.sources import loader
from bidvet.sources.loader import LoadSummary, load_file, parse_file
from bidvet.store.db import Store

LIMIT = 7
BLOCK = 3


@pytest.fixture(autouse=True)
def _small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quality, "MEMORY_LIMIT", LIMIT)
    monkeypatch.setattr(quality, "FILE_BLOCK", BLOCK)


def _issue(n: int) -> QualityIssue:
    action = ("rejected", "normalised", "skipped", "note")[n % 4]
    value = None if n % 5 == 0 else f"value {n}"
    return QualityIssue(action, f"reason {n}", f"rec-{n}", "field" if n % 2 else None, value)


def _log(count: int) -> tuple[QualityIssues, list[QualityIssue]]:
    expected = [_issue(n) for n in range(count)]
    issues = QualityIssues()
    for issue in expected:
        issues.append(issue)
    return issues, expected


@pytest.mark.parametrize("count", [0, 1, LIMIT, LIMIT + 1, LIMIT + BLOCK, LIMIT + 4 * BLOCK + 2])
def test_order_length_and_equality_past_the_limit(count: int) -> None:
    issues, expected = _log(count)
    assert len(issues) == count and bool(issues) is (count > 0)
    assert list(issues) == expected
    assert issues == expected and expected == issues
    assert issues == QualityIssues(expected)
    assert issues.in_memory <= LIMIT + BLOCK, issues.in_memory
    assert (issues == []) is (count == 0)
    issues.close()


def test_memory_part_stays_at_the_limit() -> None:
    issues, _expected = _log(LIMIT + 10 * BLOCK)
    assert issues.in_memory == LIMIT, issues.in_memory
    issues.append(_issue(999))
    assert issues.in_memory == LIMIT + 1  # a partial block waits for the next write
    issues.close()


def test_indexing_and_slices_cross_memory_file_and_pending_parts() -> None:
    issues, expected = _log(LIMIT + 3 * BLOCK + 2)
    size = len(expected)
    for at in range(-size, size):
        assert issues[at] == expected[at], at
    with pytest.raises(IndexError):
        issues[size]
    with pytest.raises(IndexError):
        issues[-size - 1]
    for start in range(size + 1):
        for stop in (start, start + 1, start + BLOCK + 1, start + 5, size, size + 3):
            assert issues[start:stop] == expected[start:stop], (start, stop)
    assert issues[::2] == expected[::2]
    assert issues[::-3] == expected[::-3]
    assert issues[-4:] == expected[-4:]
    assert issues.index(expected[LIMIT + 2]) == LIMIT + 2
    assert expected[-1] in issues
    issues.close()


def test_equality_sees_a_difference_on_disk() -> None:
    issues, expected = _log(LIMIT + 2 * BLOCK)
    changed = [*expected[:-1], QualityIssue("note", "something else")]
    assert issues != changed
    assert issues != expected[:-1]
    issues.close()


def test_pickle_round_trip_keeps_every_issue_and_spills_again() -> None:
    issues, expected = _log(LIMIT + 4 * BLOCK + 1)
    copy = pickle.loads(pickle.dumps(issues, pickle.HIGHEST_PROTOCOL))
    assert isinstance(copy, QualityIssues)
    assert copy == expected and len(copy) == len(expected)
    assert copy.in_memory <= LIMIT + BLOCK
    assert copy.counts() == issues.counts()
    issues.close()
    assert copy == expected  # the copy has its own file
    copy.close()


def test_counts_per_action_without_reading_the_file() -> None:
    issues, expected = _log(LIMIT + 5 * BLOCK)
    want: dict[str, int] = {}
    for issue in expected:
        want[issue.action] = want.get(issue.action, 0) + 1
    assert issues.counts() == want
    issues.close()
    assert (len(issues), issues.counts()) == (0, {})


def test_log_records_past_the_limit_and_reads_them_as_dicts() -> None:
    log = QualityLog("fictional.csv")
    for n in range(LIMIT + 2 * BLOCK):
        log.normalised(f"row {n}", "country", n, "not a recognised country; value not kept")
    log.reject("row x", "no name")
    assert log.rejected == 1 and len(log.issues) == LIMIT + 2 * BLOCK + 1
    dicts = log.issues.dicts()
    assert dicts[-1] == {"action": "rejected", "reason": "no name", "record": "row x"}
    assert dicts[LIMIT + 1]["value"] == str(LIMIT + 1)
    assert list(dicts) == [i.as_dict() for i in log.issues]
    assert dicts == [i.as_dict() for i in log.issues]
    assert "QualityIssues(" in repr(log.issues)
    log.close()
    assert log.issues == []


def _load_with_log(tmp_path: Path, path: Path) -> tuple[LoadSummary, list[QualityEntry]]:
    """Load ``path`` into a new store: the summary, and the quality log the store kept."""
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        summary = load_file(store, path)
        with store.view() as view:
            return summary, view.quality([summary.dataset])
    finally:
        store.dispose()


def test_load_writes_every_note_past_the_limit_to_the_store(tmp_path: Path) -> None:
    count = LIMIT * 3 + 2
    path = tmp_path / "export.json"
    rows = [
        {
            "id": f"co-{n}",
            "schema": "Company",
            "properties": {
                "name": [f"Fictional Atlantis Trading {n} Ltd"],
                "country": ["Atlantis"],
            },
            "datasets": ["xx_fictional"],
        }
        for n in range(count)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    summary, logged = _load_with_log(tmp_path, path)
    assert summary.imported == count
    notes = [i for i in summary.issues if i.get("value") == "Atlantis"]
    assert [i["record"] for i in notes] == [f"co-{n}" for n in range(count)]
    assert len(summary.issues) == len(logged) >= count
    assert summary.as_dict()["issues"] == list(summary.issues)
    stored = sorted(str(q.record) for q in logged if q.value == "Atlantis")
    assert stored == sorted(f"co-{n}" for n in range(count)), stored


@pytest.mark.parametrize("overlapped", [True, False])
def test_gleif_notes_handed_over_by_the_reading_process_survive_the_spill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overlapped: bool
) -> None:
    """The overlapped load sends the reading process's log through a pipe (pickled): every
    note, past the memory limit too, arrives in order and reaches the store."""
    source = tmp_path / "lei.json"
    good = {
        "LEI": {"$": "5493001KJTIIGC8Y1R12"},
        "Entity": {"LegalName": {"$": "Brightwater Fictional Oy"}},
    }
    records = [good, *(f"not a record {n}" for n in range(LIMIT + 2 * BLOCK))]
    source.write_text(json.dumps({"records": records}), encoding="utf-8")
    expected = [i.as_dict() for i in parse_file(source)[1].quality.issues]
    assert len(expected) == LIMIT + 2 * BLOCK, expected
    monkeypatch.setattr(quality, "MEMORY_LIMIT", 1)
    monkeypatch.setattr(loader, "_spare_core", lambda: overlapped)
    summary, logged = _load_with_log(tmp_path, source)
    assert summary.issues == expected
    assert sorted((q.record, q.action, q.reason) for q in logged) == sorted(
        (i.get("record"), i["action"], i["reason"]) for i in expected
    )
