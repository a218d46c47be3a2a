"""A file loaded as a stream (chunked writes) leaves the store exactly as the in-memory batch
path does, and a stream that fails part-way writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportStream, NameRecord
from bidvet.sources import spill as spill_module
from bidvet.sources.loader import load_file, parse_file, write_parsed
from bidvet.sources.spill import Spill
from bidvet.store import writer
from bidvet.store.db import Store
from bidvet.store.scratch import KeyIndex, SeenKeys

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FTM = FIXTURES / "ftm" / "opensanctions_style.json"
GLEIF = [FIXTURES / "gleif" / "lei-excerpt.json", FIXTURES / "gleif" / "rr-excerpt.json"]


def _repeats(tmp_path: Path) -> Path:
    """The FtM fixture with repeated entities, sanctions and edges added (fictional)."""
    lines = FTM.read_text(encoding="utf-8").splitlines()
    extra = []
    for line in lines:
        row = json.loads(line)
        row.setdefault("properties", {}).setdefault("notes", []).append("Repeated, fictional")
        extra.append(json.dumps(row))
    path = tmp_path / "repeats.ftm.json"
    path.write_text("\n".join([*lines[:5], *extra, *lines[5:]]) + "\n", encoding="utf-8")
    return path


def _both(tmp_path: Path, files: list[Path]) -> tuple[str, str]:
    tmp_path.mkdir(exist_ok=True)
    streamed = Store(f"sqlite:///{tmp_path / 'streamed.db'}")
    held = Store(f"sqlite:///{tmp_path / 'held.db'}")
    for path in files:
        load_file(streamed, path)
        write_parsed(held, path, *parse_file(path))
        load_file(streamed, path)  # a second load of the same file changes nothing
    return (
        streamed.content_digest(include_load_times=False),
        held.content_digest(include_load_times=False),
    )


@pytest.mark.parametrize("name", ["ftm", "gleif", "ftm-repeats"])
def test_streamed_load_gives_the_same_store_as_the_batch_path(tmp_path: Path, name: str) -> None:
    files = {"ftm": [FTM], "gleif": GLEIF, "ftm-repeats": [FTM, _repeats(tmp_path)]}[name]
    streamed, held = _both(tmp_path, files)
    assert streamed == held


def test_small_chunks_give_the_same_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [FTM, _repeats(tmp_path)]
    whole, _ = _both(tmp_path / "whole", files)
    monkeypatch.setattr(writer, "STREAM_CHUNK", 2)
    chunked, held = _both(tmp_path / "chunked", files)
    assert chunked == whole == held


def test_indexes_moved_to_disk_give_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past their memory bounds the spill and the writer's listing keys live on disk; a load
    that crosses every bound at once leaves the store as one that crosses none."""
    files = [FTM, _repeats(tmp_path)]
    whole, _ = _both(tmp_path / "whole", files)
    monkeypatch.setattr(spill_module, "MEMORY_LIMIT", 3)
    monkeypatch.setattr(Spill.__init__, "__defaults__", None)
    monkeypatch.setattr(Spill.__init__, "__kwdefaults__", {"plain": False, "memory_limit": 3})
    made: list[object] = []

    def seen_keys() -> SeenKeys:
        found = SeenKeys(memory_limit=2)
        made.append(found)
        return found

    def key_index() -> KeyIndex:
        found = KeyIndex()
        made.append(found)
        return found

    monkeypatch.setattr(writer, "SeenKeys", seen_keys)
    monkeypatch.setattr(spill_module, "KeyIndex", key_index)
    bounded, held = _both(tmp_path / "bounded", files)
    assert bounded == whole == held
    assert any(isinstance(m, KeyIndex) for m in made)
    assert any(isinstance(m, SeenKeys) and m._path for m in made)  # went to disk


def test_a_stream_that_fails_part_way_writes_nothing(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    load_file(store, FTM)
    before = store.content_digest()

    def entities() -> Iterator[EntityRecord]:
        for i in range(12):
            yield EntityRecord(f"fictional-{i}", "Company", [NameRecord(f"Fictional {i} Oy")])
        raise OSError("disk gone")

    stream = ImportStream(
        dataset="fictional", format="test", quality=QualityLog(file_name="x"), imported=12
    )
    stream.entity_records = entities
    with pytest.raises(OSError, match="disk gone"):
        store.write_stream(stream, file_name="x", sha256="0" * 64, now=dt.datetime(2026, 1, 1))
    assert store.content_digest() == before


def test_spill_keeps_first_place_and_last_value() -> None:
    spill = Spill()
    spill.put("a", (1, "first"))
    spill.append(("no key",))
    spill.put("b", {"d": dt.date(2024, 2, 29)})
    spill.put("a", (1, "last"))
    assert "a" in spill and "c" not in spill and spill.position("b") == 2
    assert spill.get("a") == (1, "last")
    assert list(spill) == [(1, "last"), ("no key",), {"d": dt.date(2024, 2, 29)}]
    spill.close()
