"""A GLEIF JSON file loaded on a machine with no core to spare is written as it is read, in one
process, and gives the store the whole-file path gives; what that cannot place (an LEI given
twice, a publication already held) is loaded the ordinary way, and a file that fails, or holds
no record, writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bidvet.errors import InputError
from bidvet.sources import gleif_json, loader
from bidvet.sources.loader import load_file, parse_file, write_parsed
from bidvet.store.db import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gleif"
LEI, RR = FIXTURES / "lei-excerpt.json", FIXTURES / "rr-excerpt.json"


@pytest.fixture
def chunked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No core to spare, one record a chunk (a failure comes after rows were written); the
    files loaded the ordinary way instead are listed."""
    monkeypatch.setattr(loader, "_spare_core", lambda: False)
    monkeypatch.setattr(gleif_json, "CHUNK", 1)

    def never(*_args: object) -> None:
        raise AssertionError("no second process without a spare core")

    monkeypatch.setattr(loader, "_load_overlapped", never)
    ordinary: list[str] = []
    original = loader._load_chunked

    def watched(store: Store, path: Path, importer: loader.ChunkingImporter) -> object:
        summary = original(store, path, importer)
        if summary is None:
            ordinary.append(f"{path.name}: ordinary")
        return summary

    monkeypatch.setattr(loader, "_load_chunked", watched)
    return ordinary


def _digests(tmp_path: Path, files: list[Path]) -> tuple[str, str]:
    chunked = Store(f"sqlite:///{tmp_path / 'chunked.db'}")
    held = Store(f"sqlite:///{tmp_path / 'held.db'}")
    for path in files:
        load_file(chunked, path)
        write_parsed(held, path, *parse_file(path))
    return (
        chunked.content_digest(include_load_times=False),
        held.content_digest(include_load_times=False),
    )


def test_chunked_load_gives_the_whole_file_store(tmp_path: Path, chunked: list[str]) -> None:
    written, held = _digests(tmp_path, [LEI, RR])
    assert written == held
    assert chunked == []  # both files were written as they were read


def test_an_lei_given_twice_is_loaded_the_ordinary_way(tmp_path: Path, chunked: list[str]) -> None:
    data = json.loads(LEI.read_text(encoding="utf-8"))
    again = json.loads(json.dumps(data["records"][0]))
    again["Entity"]["LegalName"]["$"] = "Renamed Fictional Fund"
    data["records"].append(again)
    path = tmp_path / "lei-repeated.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    written, held = _digests(tmp_path, [path])
    assert written == held
    assert chunked == ["lei-repeated.json: ordinary"]


def test_a_second_load_of_the_same_file_changes_nothing(tmp_path: Path, chunked: list[str]) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    first = load_file(store, LEI)
    before = store.content_digest()
    second = load_file(store, LEI)
    assert not first.write.already_loaded and second.write.already_loaded
    assert second.imported == first.imported == 4
    assert store.content_digest() == before


def test_a_damaged_file_writes_nothing(tmp_path: Path, chunked: list[str]) -> None:
    text = LEI.read_text(encoding="utf-8")
    path = tmp_path / "lei-damaged.json"
    path.write_text(text[: len(text) * 3 // 4], encoding="utf-8")  # cut in the last record
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    before = store.content_digest()
    with pytest.raises(InputError, match=r"lei-damaged\.json"):
        load_file(store, path)
    assert store.content_digest() == before


def test_a_file_of_no_records_writes_nothing(tmp_path: Path, chunked: list[str]) -> None:
    path = tmp_path / "lei-empty.json"
    # the header looks like an LEI record (so the file is taken for one), the array is empty
    header = '{"LEI": {"$": "ZZZZ"}, "Entity": {"LegalName": {"$": "Header Fictional"}}}'
    path.write_text(f'{{"header": {header}, "records": []}}', encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    before = store.content_digest()
    with pytest.raises(InputError, match="no records found"):
        load_file(store, path)
    assert store.content_digest() == before


def test_chunked_load_writes_every_record(store: Store, chunked: list[str]) -> None:
    """On SQLite and on PostgreSQL (where the rows go through COPY)."""
    lei, rr = load_file(store, LEI), load_file(store, RR)
    assert chunked == [] and lei.imported == 4 and rr.imported == 6
    with store.view() as view:
        counts = {s.dataset: s.records for s in view.snapshots()}
    assert counts == {"gleif-lei": 4, "gleif-rr": 6}
    with store.read() as conn:
        entities = conn.exec_driver_sql("SELECT count(*) FROM entities").scalar()
        edges = conn.exec_driver_sql("SELECT count(*) FROM ownership").scalar()
    assert entities == 4 and edges == rr.write.ownerships


def test_a_relationship_given_again_later_updates_its_row(
    tmp_path: Path, chunked: list[str]
) -> None:
    """A key written in an earlier chunk keeps its row (and place) and takes the values of its
    last record, as when the whole file is held."""
    data = json.loads(RR.read_text(encoding="utf-8"))
    again = json.loads(json.dumps(data["records"][0]))
    again["Relationship"]["RelationshipStatus"]["$"] = "INACTIVE"
    data["records"].append(again)
    path = tmp_path / "rr-repeated.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    written, held = _digests(tmp_path, [LEI, path])
    assert written == held
    assert chunked == []
    store = Store(f"sqlite:///{tmp_path / 'chunked.db'}")
    with store.read() as conn:
        sources = [r[0] for r in conn.exec_driver_sql("SELECT source FROM ownership ORDER BY id")]
    assert len(sources) == len(data["records"]) - 1 and "INACTIVE" in sources[0]
