"""A GLEIF JSON file is written as it is read — by a second process reading while the first
writes when the machine has a core to spare (*overlapped*), in one process otherwise
(*chunked*) — and either way gives the store the whole-file path gives; what that cannot place
(an LEI given twice, a publication already held) is loaded the ordinary way, and a file that
fails, or holds no record, writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bidvet.errors import InputError
from bidvet.sources import gleif_json, loader
from bidvet.sources.loader import load_file, parse_file, write_parsed
from bidvet.store.db import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gleif"
LEI, RR = FIXTURES / "lei-excerpt.json", FIXTURES / "rr-excerpt.json"


@pytest.fixture(params=["overlapped", "chunked"])
def streamed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The overlapped path taken whatever the machine's load, or the chunked path as on a
    machine with no core to spare; one record a chunk (so that a failure comes after rows were
    written). The files loaded the ordinary way instead are listed."""
    overlapped = request.param == "overlapped"
    monkeypatch.setattr(loader, "_spare_core", lambda: overlapped)
    monkeypatch.setattr(gleif_json, "CHUNK", 1)
    taken = "_load_overlapped" if overlapped else "_load_chunked"
    other = "_load_chunked" if overlapped else "_load_overlapped"

    def never(*_args: object) -> None:
        raise AssertionError(f"{other} taken on the {request.param} path")

    ordinary: list[str] = []
    original = getattr(loader, taken)

    def watched(store: Store, path: Path, importer: loader.ChunkingImporter) -> object:
        summary = original(store, path, importer)
        if summary is None:
            ordinary.append(f"{path.name}: ordinary")
        return summary

    monkeypatch.setattr(loader, taken, watched)
    monkeypatch.setattr(loader, other, never)
    return ordinary


def _digests(tmp_path: Path, files: list[Path]) -> tuple[str, str]:
    streamed = Store(f"sqlite:///{tmp_path / 'streamed.db'}")
    held = Store(f"sqlite:///{tmp_path / 'held.db'}")
    for path in files:
        load_file(streamed, path)
        write_parsed(held, path, *parse_file(path))
    return (
        streamed.content_digest(include_load_times=False),
        held.content_digest(include_load_times=False),
    )


def _repeated(
    source: Path, tmp_path: Path, where: tuple[str, str], value: str
) -> tuple[Path, dict[str, Any]]:
    """``source`` with its first record given again at the end, ``where`` set to ``value``."""
    data = json.loads(source.read_text(encoding="utf-8"))
    again = json.loads(json.dumps(data["records"][0]))
    again[where[0]][where[1]]["$"] = value
    data["records"].append(again)
    path = tmp_path / source.name.replace("excerpt", "repeated")
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, data


def test_streamed_load_gives_the_whole_file_store(tmp_path: Path, streamed: list[str]) -> None:
    written, held = _digests(tmp_path, [LEI, RR])
    assert written == held
    assert streamed == []  # both files were written as they were read


def test_an_lei_given_twice_is_loaded_the_ordinary_way(tmp_path: Path, streamed: list[str]) -> None:
    path, data = _repeated(LEI, tmp_path, ("Entity", "LegalName"), "Renamed Fictional Fund")
    written, held = _digests(tmp_path, [path])
    assert written == held
    assert streamed == ["lei-repeated.json: ordinary"]
    store = Store(f"sqlite:///{tmp_path / 'streamed.db'}")
    with store.read() as conn:
        names = [r[0] for r in conn.exec_driver_sql("SELECT caption FROM entities ORDER BY id")]
    assert "Renamed Fictional Fund" in names and len(names) == len(data["records"]) - 1


def test_a_second_load_of_the_same_file_changes_nothing(
    tmp_path: Path, streamed: list[str]
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    first = load_file(store, LEI)
    before = store.content_digest()
    second = load_file(store, LEI)
    assert not first.write.already_loaded and second.write.already_loaded
    assert second.imported == first.imported == 4
    assert store.content_digest() == before


def test_a_damaged_file_writes_nothing(tmp_path: Path, streamed: list[str]) -> None:
    text = LEI.read_text(encoding="utf-8")
    path = tmp_path / "lei-damaged.json"
    path.write_text(text[: len(text) * 3 // 4], encoding="utf-8")  # cut in the last record
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    before = store.content_digest()
    with pytest.raises(InputError, match=r"lei-damaged\.json"):
        load_file(store, path)
    assert store.content_digest() == before


def test_a_file_of_no_records_writes_nothing(tmp_path: Path, streamed: list[str]) -> None:
    path = tmp_path / "lei-empty.json"
    # the header looks like an LEI record (so the file is taken for one), the array is empty
    header = '{"LEI": {"$": "ZZZZ"}, "Entity": {"LegalName": {"$": "Header Fictional"}}}'
    path.write_text(f'{{"header": {header}, "records": []}}', encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    before = store.content_digest()
    with pytest.raises(InputError, match="no records found"):
        load_file(store, path)
    assert store.content_digest() == before


def test_streamed_load_writes_every_record(store: Store, streamed: list[str]) -> None:
    """On SQLite and on PostgreSQL (where the rows go through COPY)."""
    lei, rr = load_file(store, LEI), load_file(store, RR)
    assert streamed == [] and lei.imported == 4 and rr.imported == 6
    with store.view() as view:
        counts = {s.dataset: s.records for s in view.snapshots()}
    assert counts == {"gleif-lei": 4, "gleif-rr": 6}
    with store.read() as conn:
        entities = conn.exec_driver_sql("SELECT count(*) FROM entities").scalar()
        edges = conn.exec_driver_sql("SELECT count(*) FROM ownership").scalar()
    assert entities == 4 and edges == rr.write.ownerships


def test_a_relationship_given_again_later_updates_its_row(
    tmp_path: Path, streamed: list[str]
) -> None:
    """A key written in an earlier chunk keeps its row (and place) and takes the values of its
    last record, as when the whole file is held."""
    path, data = _repeated(RR, tmp_path, ("Relationship", "RelationshipStatus"), "INACTIVE")
    written, held = _digests(tmp_path, [LEI, path])
    assert written == held
    assert streamed == []
    store = Store(f"sqlite:///{tmp_path / 'streamed.db'}")
    with store.read() as conn:
        sources = [r[0] for r in conn.exec_driver_sql("SELECT source FROM ownership ORDER BY id")]
    assert len(sources) == len(data["records"]) - 1 and "INACTIVE" in sources[0]
