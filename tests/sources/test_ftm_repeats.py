"""FtM records that repeat an id, and FtM input that must fail cleanly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bidvet.errors import InputError
from bidvet.model.records import ImportBatch
from bidvet.sources.loader import load_file, parse_file
from bidvet.store.db import Store

_OK = b'{"id": "ok", "schema": "Company", "properties": {"name": ["Fictional Ok Ltd"]}}\n'


def _write(tmp_path: Path, rows: list[dict[str, Any]], name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return path


def _company(name: str, country: str, **extra: list[str]) -> dict[str, Any]:
    return {
        "id": "co-1",
        "schema": "Company",
        "properties": {"name": [name], "country": [country], **extra},
        "datasets": ["xx_fictional"],
    }


def _parse(path: Path) -> ImportBatch:
    return parse_file(path)[1]


def test_identical_repeat_is_read_once_and_noted_once(tmp_path: Path) -> None:
    row = _company("Larkspur Fictional Optics Ltd", "gb")
    batch = _parse(_write(tmp_path, [row, row, row]))
    assert len(batch.entities) == 1 and batch.imported == 1
    notes = [i for i in batch.quality.issues if i.record == "co-1"]
    assert len(notes) == 1 and "same content" in notes[0].reason


def test_differing_repeat_keeps_the_first_primary_name_and_unions_the_rest(tmp_path: Path) -> None:
    first = _company("Larkspur Fictional Optics Ltd", "gb")
    second = _company("Larkspur Optics (Fictional) Limited", "ie", leiCode=["9845000LARKSPUR00089"])
    batch = _parse(_write(tmp_path, [first, second]))
    (entity,) = batch.entities
    assert entity.caption == "Larkspur Fictional Optics Ltd"
    assert [(n.name, n.kind) for n in entity.names] == [
        ("Larkspur Fictional Optics Ltd", "primary"),
        ("Larkspur Optics (Fictional) Limited", "alias"),
    ]
    assert entity.countries == [("gb", "jurisdiction"), ("ie", "jurisdiction")]
    assert [i.scheme for i in entity.identifiers] == ["lei"]
    notes = [i for i in batch.quality.issues if i.record == "co-1"]
    assert len(notes) == 1 and "merged" in notes[0].reason


def test_repeat_with_an_incompatible_schema_is_rejected_with_a_note(tmp_path: Path) -> None:
    person = {**_company("Orla Fictional", "gb"), "schema": "Person"}
    batch = _parse(_write(tmp_path, [_company("Larkspur Fictional Optics Ltd", "gb"), person]))
    (entity,) = batch.entities
    assert entity.schema == "Company" and entity.caption == "Larkspur Fictional Optics Ltd"
    (issue,) = [i for i in batch.quality.issues if i.record == "co-1"]
    assert issue.action == "rejected" and issue.value == "Person"


def test_repeated_sanction_unions_its_values_and_lists_once(tmp_path: Path) -> None:
    sanction = {
        "id": "s-1",
        "schema": "Sanction",
        "properties": {"entity": ["co-1"], "program": ["Fictional programme"]},
        "datasets": ["eu_fsf"],
    }
    again = {**sanction, "datasets": ["gb_fcdo_sanctions"]}
    batch = _parse(
        _write(tmp_path, [_company("Larkspur Fictional Optics Ltd", "gb"), sanction, again])
    )
    assert sorted(lst.list_id for lst in batch.listings) == ["eu-fsf", "gb-fcdo-sanctions"]
    assert [i.action for i in batch.quality.issues if i.record == "s-1"] == ["note"]


def test_a_repeat_reaches_the_store_merged(sqlite_store: Store, tmp_path: Path) -> None:
    first = _company("Larkspur Fictional Optics Ltd", "gb")
    second = _company("Larkspur Optics (Fictional) Limited", "ie")
    load_file(sqlite_store, _write(tmp_path, [first, second]))
    with sqlite_store.view() as view:
        facts = view.entity("co-1")
    assert facts is not None and facts.caption == "Larkspur Fictional Optics Ltd"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            _OK + b'{"id": "a", "schema": "Company", "properties": {"name": ["Caf\xe9"]}}\n',
            "line 2",
        ),
        (
            _OK + b'{"id": "b", "schema": "Company", "properties": ' + b"[" * 100_000 + b"\n",
            "levels deep",
        ),
    ],
)
def test_unreadable_lines_are_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        parse_file(path, "ftm-json")
