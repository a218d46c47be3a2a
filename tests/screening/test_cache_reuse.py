"""After a small load, the screening cache of the store's previous content is reused: the names
it holds are not normalised or read by matcher v2 again, its index is updated rather than
rebuilt (``test_index_delta.py``), and the results are those of a cache built from nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from bidvet.model.quality import QualityLog
from bidvet.model.records import ImportBatch
from bidvet.screening import engine
from bidvet.screening.config import default_policy
from bidvet.screening.engine import Screener
from bidvet.screening.index import NameIndex
from bidvet.screening.normalize import normal_parts
from bidvet.store.db import Store
from bidvet.store.writer import write_batch

from .factories import entity, load_fictional


def _load_small_file(store: Store) -> None:
    """A second, small snapshot (as a tender's knowledge file would add)."""
    batch = ImportBatch(
        dataset="test-tender",
        format="test",
        quality=QualityLog("tender.yaml"),
        published=dt.date(2024, 6, 1),
        entities=[entity("test-velkor", "Velkoria Imaging Oy", countries=("fi",))],
        imported=1,
    )
    with store.transaction() as conn:
        write_batch(
            conn,
            batch,
            file_name="tender.yaml",
            sha256=hashlib.sha256(b"tender").hexdigest(),
            now=dt.datetime(2026, 11, 25, 12, 0, 0),
        )


def _results(screener: Screener) -> list[list[tuple[str, float, list[str]]]]:
    queries = [("BOREALIS SCANNING LTD", None), ("Velkoria Imaging", "fi"), ("Tarnis", None)]
    return [
        [(m.entity_id, m.score, m.explanation) for m in res]
        for res in screener.screen_many(queries)
    ]


def test_small_load_reuses_the_previous_cache(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    engine._LOADED.clear()
    load_fictional(sqlite_store)
    Screener(sqlite_store)
    first = engine.cache_path(sqlite_store, default_policy())
    _load_small_file(sqlite_store)
    read: list[str] = []
    real = normal_parts

    def counting(text: str, generic: frozenset[str]) -> tuple[str, str, frozenset[str]]:
        read.append(text)
        return real(text, generic)

    monkeypatch.setattr("bidvet.screening.catalog.normal_parts", counting)
    reused = Screener(sqlite_store)
    assert engine.cache_path(sqlite_store, default_policy()) != first
    assert read == ["Velkoria Imaging Oy"]  # only the new name was read
    assert not first.exists()  # the earlier cache is gone once the new one is written
    # the same answers as a cache built from nothing
    monkeypatch.setattr("bidvet.screening.catalog.normal_parts", real)
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "fresh"))
    engine._LOADED.clear()
    fresh = Screener(sqlite_store)
    assert _results(reused) == _results(fresh)
    assert _results(reused)[1][0][0] == "test-velkor"
    # the index was updated with the one name, to the arrays of one built from nothing
    for array in NameIndex._ARRAYS:
        got, want = getattr(reused.matcher.index, array), getattr(fresh.matcher.index, array)
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), array
