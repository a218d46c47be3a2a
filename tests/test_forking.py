"""Work is shared among forked workers only by a process running one thread
(:func:`bidvet.forking.can_fork`): the workspace's server answers requests in threads, and a
worker forked from it while another thread held a lock or was building one of rigour's tables
waited for ever."""

from __future__ import annotations

import multiprocessing

import pytest

from bidvet.forking import can_fork
from bidvet.screening import catalog
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.matcher import Matcher, match_chunks


def test_a_process_running_other_threads_does_not_fork(
    another_thread: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork(*args: object, **kwargs: object) -> None:
        raise AssertionError("forked from a process running other threads")

    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    assert not can_fork()
    assert catalog._fork_workers(10 * catalog.PARALLEL_NAMES) == 1
    names = ["Borealis Scanning Oy", "Velkoria Imaging Oy", "Tarnis Detection AS"]
    entries = [Entry(f"e{i}", [(name, "primary")]) for i, name in enumerate(names)]
    matcher = Matcher.build(Catalog.from_entries(entries, ()))
    chunks: list[list[tuple[str, str | None]]] = [
        [("Borealis Scanning Oy", None)],
        [("Tarnis Detection AS", None)],
    ]
    found = list(match_chunks(matcher, chunks, limit=1, workers=2))
    assert [[m.entity_id for m in rows[0]] for rows in found] == [["e0"], ["e2"]]
