"""One writer at a time per store: concurrent loads wait for each other and never collide."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bidvet.errors import StoreError
from bidvet.sources.loader import LoadSummary, load_file
from bidvet.store import schema as s
from bidvet.store.db import Store
from tests.store.sdn_files import fictional_entries, write_sdn


def _parallel(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads started together; their results (or exceptions) in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # the test inspects what each thread raised
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _count(store: Store, table: sa.Table) -> int:
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def test_two_loads_of_the_same_file_at_once_load_it_once(store: Store, tmp_path: Path) -> None:
    path = write_sdn(tmp_path / "sdn.xml", dt.date(2024, 5, 1), fictional_entries(400))
    stores = [Store(store.url), Store(store.url)]
    try:
        results = _parallel(*(lambda st=st: load_file(st, path) for st in stores))
    finally:
        for st in stores:
            st.dispose()
    assert all(isinstance(r, LoadSummary) for r in results), results
    assert sorted(r.write.already_loaded for r in results) == [False, True]
    assert _count(store, s.snapshots) == 1
    assert _count(store, s.listings) == 400
    assert _count(store, s.entities) == 400


def test_two_versions_loaded_in_parallel_give_the_history_of_their_dates(
    store: Store, tmp_path: Path
) -> None:
    entries = fictional_entries(300)
    v1 = write_sdn(tmp_path / "v1.xml", dt.date(2024, 1, 10), entries)
    v2 = write_sdn(
        tmp_path / "v2.xml", dt.date(2024, 3, 5), entries[1:] + fictional_entries(5, 900000)
    )
    dropped, added = f"ofac-{entries[0][0]}", "ofac-900000"
    for run in range(3):
        if run:  # start again from an empty store
            with store.transaction() as conn:
                for table in reversed(s.metadata.sorted_tables):
                    conn.execute(table.delete())
        first, second = Store(store.url), Store(store.url)
        try:
            results = _parallel(
                lambda a=first: load_file(a, v1),  # type: ignore[misc]
                lambda b=second: load_file(b, v2),  # type: ignore[misc]
            )
        finally:
            first.dispose()
            second.dispose()
        assert all(isinstance(r, LoadSummary) for r in results), results
        with store.view() as view:
            now = view.listings([dropped, added], dt.date(2024, 6, 1))
            then = view.listings([dropped, added], dt.date(2024, 2, 1))
        assert (now[dropped], len(now[added])) == ([], 1), (run, now)
        assert (len(then[dropped]), then[added]) == (1, []), (run, then)


def test_a_waiting_writer_says_another_load_is_running_then_times_out(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    other = Store(store.url)
    try:
        with store.transaction():
            caplog.set_level(logging.WARNING, logger="bidvet.store.locking")
            started = time.monotonic()
            with (
                pytest.raises(StoreError, match="another load is still writing") as err,
                other.transaction(lock_timeout=0.5),
            ):
                pass
            waited = time.monotonic() - started
    finally:
        other.dispose()
    assert 0.4 <= waited < 5, waited
    assert "BIDVET_LOCK_TIMEOUT" in str(err.value)
    assert any("another load is running" in r.getMessage() for r in caplog.records)


def test_a_waiting_writer_proceeds_when_the_other_load_commits(store: Store) -> None:
    other = Store(store.url)
    order: list[str] = []

    def hold() -> None:
        with store.transaction():
            order.append("first holds")
            time.sleep(0.5)
            order.append("first commits")

    def wait() -> None:
        time.sleep(0.1)
        with other.transaction(lock_timeout=30):
            order.append("second writes")

    try:
        results = _parallel(hold, wait)
    finally:
        other.dispose()
    assert results == [None, None]
    assert order == ["first holds", "first commits", "second writes"]


def test_a_bad_lock_timeout_setting_is_a_clear_error(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIDVET_LOCK_TIMEOUT", "soon")
    with (
        pytest.raises(StoreError, match="BIDVET_LOCK_TIMEOUT='soon'"),
        sqlite_store.transaction(),
    ):
        pass
