"""A process running other threads (the workspace's server) has a large store's screening cache
built by a process of its own (:mod:`bidvet.screening.cache_build`), which shares the work among
forked workers as the command line does; the cache is the one it would have built itself, and
when the other process fails it builds the cache itself and the log says why."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from bidvet.screening import cache_build, engine
from bidvet.screening.config import default_policy
from bidvet.screening.matcher import Matcher
from bidvet.store.db import Store

from .factories import load_fictional

QUERIES = ["BOREALIS SCANNING LTD", "Tarnis", "Velkor Imaging"]


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store counts as large, on a machine of two cores."""
    monkeypatch.setattr(cache_build, "ELSEWHERE_NAMES", 1)
    monkeypatch.setattr(cache_build, "usable_cores", lambda: 2)


def _built_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the matchers this process builds."""
    calls: list[int] = []
    build = Matcher.build

    def counted(*args: object, **kwargs: object) -> Matcher:
        calls.append(1)
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Matcher, "build", staticmethod(counted))
    return calls


def _results(matcher: Matcher) -> list[list[tuple[str, float]]]:
    return [[(m.entity_id, m.comparison.score) for m in matcher.match(q, limit=3)] for q in QUERIES]


def _files(folder: Path) -> dict[str, bytes]:
    """The screening cache's files (the folder also holds the name model's JSON copy, written by
    whichever process reads the model first)."""
    return {
        str(f.relative_to(folder)): f.read_bytes()
        for f in sorted(folder.glob("store-*/**/*"))
        if f.is_file()
    }


def test_a_threaded_process_has_the_cache_built_elsewhere(
    sqlite_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    another_thread: None,
    large: None,
) -> None:
    load_fictional(sqlite_store)
    policy = default_policy()
    built_here = _built_here(monkeypatch)
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "elsewhere"))
    engine._LOADED.clear()
    assert cache_build.worth_elsewhere(sqlite_store)
    elsewhere = engine.load_matcher(sqlite_store, policy)
    assert built_here == []  # read from the cache the other process wrote
    # the same cache, file for file, as this process builds when it may not delegate
    monkeypatch.setattr(cache_build, "ELSEWHERE_NAMES", 10**12)
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "here"))
    engine._LOADED.clear()
    here = engine.load_matcher(sqlite_store, policy)
    assert built_here == [1]
    assert _results(elsewhere) == _results(here)
    assert _results(here)[0][0][0] == "test-borealis"
    files = _files(tmp_path / "elsewhere")
    assert any(name.endswith("indices.npy") for name in files)
    assert files == _files(tmp_path / "here")


def test_a_failed_build_elsewhere_is_done_here_and_logged(
    sqlite_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    another_thread: None,
    large: None,
) -> None:
    load_fictional(sqlite_store)
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    engine._LOADED.clear()
    fail = "import sys; sys.stderr.write('no room left on the device\\n'); sys.exit(3)"
    monkeypatch.setattr(cache_build, "COMMAND", (sys.executable, "-c", fail))
    built_here = _built_here(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="bidvet.screening.cache_build"):
        matcher = engine.load_matcher(sqlite_store)
    assert built_here == [1]
    assert _results(matcher)[0][0][0] == "test-borealis"
    assert "exit 3" in caplog.text and "no room left on the device" in caplog.text


def test_a_process_of_one_thread_builds_its_own_cache(sqlite_store: Store, large: None) -> None:
    load_fictional(sqlite_store)
    assert not cache_build.worth_elsewhere(sqlite_store)  # it forks its own workers


def test_builds_stay_here_in_memory_or_small_stores_even_when_threaded(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, another_thread: None, large: None
) -> None:
    load_fictional(sqlite_store)
    assert cache_build.worth_elsewhere(sqlite_store)
    memory = Store("sqlite://")
    try:
        load_fictional(memory)
        assert not cache_build.worth_elsewhere(memory)
    finally:
        memory.dispose()
    with sqlite_store.view() as view:
        names = view.name_count()
    monkeypatch.setattr(cache_build, "ELSEWHERE_NAMES", names + 1)
    assert not cache_build.worth_elsewhere(sqlite_store)
    monkeypatch.setattr(cache_build, "ELSEWHERE_NAMES", names)
    monkeypatch.setattr(cache_build, "usable_cores", lambda: 1)
    assert not cache_build.worth_elsewhere(sqlite_store)
