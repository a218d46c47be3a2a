"""``bidvet diff`` on two publications of a list (tests/fixtures/monitor/publications) and on
two FtM exports with ownership edges (fictional companies, written by the tests)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bidvet.errors import NotFoundError, UsageError
from bidvet.monitor.diff import diff_dataset
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES

PUBS = FIXTURES / "monitor" / "publications"
V1 = PUBS / "sdn_2024-03-01.xml"
V2 = PUBS / "sdn_2024-04-02.xml"


def _ids(entries: list) -> list[str]:  # type: ignore[type-arg]
    return [e.entity_id for e in entries]


def test_added_removed_and_changed_entries_between_two_publications(sqlite_store: Store) -> None:
    load_file(sqlite_store, V1)
    load_file(sqlite_store, V2)
    result = diff_dataset(sqlite_store, "us-ofac-sdn")
    assert result.from_snapshot is not None
    assert result.from_snapshot.published == dt.date(2024, 3, 1)
    assert result.to_snapshot.published == dt.date(2024, 4, 2)
    assert result.removals_known
    assert [ld.list_id for ld in result.lists] == ["us-ofac-sdn"]
    sdn = result.lists[0]
    assert [(e.entity_id, e.name, e.programs) for e in sdn.added] == [
        ("ofac-900004", "VESTRA PLOVER SHIPPING LLC", ("IRAN",))
    ]
    assert [(e.entity_id, e.programs) for e in sdn.removed] == [
        ("ofac-900002", ("RUSSIA-EO14024",))
    ]
    assert len(sdn.changed) == 1
    change = sdn.changed[0]
    assert change.entity_id == "ofac-900001"
    assert [(c.field, c.before, c.after) for c in change.changes] == [
        ("programs", ["NPWMD", "SDGT"], ["IRAN-EO13846", "SDGT"]),
        ("names", None, ["TARN GROUP"]),
    ]
    assert sdn.not_in_newer == [] and result.ownership is None and result.events is None


def test_the_order_is_by_publication_not_by_load(sqlite_store: Store) -> None:
    load_file(sqlite_store, V2)
    load_file(sqlite_store, V1)
    result = diff_dataset(sqlite_store, "us-ofac-sdn")
    assert result.to_snapshot.published == dt.date(2024, 4, 2)
    sdn = result.lists[0]
    assert _ids(sdn.added) == ["ofac-900004"] and _ids(sdn.removed) == ["ofac-900002"]
    # names are stored once: loaded out of order, what the newer one added cannot be told
    assert [c.field for c in sdn.changed[0].changes] == ["programs"]
    assert any("names it added cannot be told" in note for note in result.notes)


def test_explicit_snapshots_and_a_first_snapshot(sqlite_store: Store) -> None:
    first = load_file(sqlite_store, V1).write.snapshot_id
    second = load_file(sqlite_store, V2).write.snapshot_id
    assert first is not None and second is not None
    back = diff_dataset(sqlite_store, "us-ofac-sdn", second, first)
    assert _ids(back.lists[0].added) == ["ofac-900002"]
    assert _ids(back.lists[0].removed) == ["ofac-900004"]
    alone = diff_dataset(sqlite_store, "us-ofac-sdn", to_snapshot=first)
    assert alone.from_snapshot is None
    assert _ids(alone.lists[0].added) == ["ofac-900001", "ofac-900002", "ofac-900003"]
    with pytest.raises(UsageError, match="--from 99: not a snapshot of us-ofac-sdn"):
        diff_dataset(sqlite_store, "us-ofac-sdn", 99, second)
    with pytest.raises(NotFoundError, match="no snapshot of dataset 'nope'"):
        diff_dataset(sqlite_store, "nope")


def _ftm(path: Path, lines: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _company(ident: str, name: str) -> dict[str, object]:
    return {"id": ident, "schema": "Company", "properties": {"name": [name]}}


def _owns(ident: str, owner: str, asset: str, pct: str) -> dict[str, object]:
    return {
        "id": ident,
        "schema": "Ownership",
        "properties": {"owner": [owner], "asset": [asset], "percentage": [pct]},
    }


def _sanction(ident: str, entity: str, program: str) -> dict[str, object]:
    return {
        "id": ident,
        "schema": "Sanction",
        "properties": {
            "entity": [entity],
            "program": [program],
            "authority": ["Ministry of Fictional Affairs"],
        },
        "datasets": ["fictional_watchlist"],
    }


def test_an_incomplete_dataset_does_not_call_missing_entries_removed(
    sqlite_store: Store, tmp_path: Path
) -> None:
    companies = [_company("fx-a", "Quillon Parent Ltd"), _company("fx-b", "Quillon Optics Ltd")]
    companies.append(_company("fx-c", "Quillon Ports Ltd"))
    one = _ftm(
        tmp_path / "one.json",
        [
            *companies,
            _owns("fx-own-ab", "fx-a", "fx-b", "60"),
            _owns("fx-own-ac", "fx-a", "fx-c", "100"),
            _sanction("fx-s-b", "fx-b", "Northern Export Controls"),
        ],
    )
    two = _ftm(
        tmp_path / "two.json",
        [
            *companies,
            _owns("fx-own-ab", "fx-a", "fx-b", "75"),
            _sanction("fx-s-c", "fx-c", "Northern Export Controls"),
        ],
    )
    dataset = load_file(sqlite_store, one).dataset
    load_file(sqlite_store, two)
    result = diff_dataset(sqlite_store, dataset)
    assert not result.removals_known
    assert any("not published as a complete list" in note for note in result.notes)
    (lst,) = result.lists
    assert _ids(lst.added) == ["fx-c"] and lst.removed == []
    assert _ids(lst.not_in_newer) == ["fx-b"]
    assert result.ownership is not None
    edges = [(r["owner_id"], r["asset_id"], r["share"]) for r in result.ownership.carried_by_newer]
    assert edges == [("fx-a", "fx-b", 0.75)]
    assert result.ownership.not_carried_by_newer is not None
    gone = [(r["owner_id"], r["asset_id"]) for r in result.ownership.not_carried_by_newer]
    assert gone == [("fx-a", "fx-c")]
    assert "cannot be told" in result.ownership.note


def test_cli_diff_text_and_json(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert run_cli("load", V1, V2, db=db).exit_code == 0
    text = run_cli("diff", "us-ofac-sdn", db=db)
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert "  + VESTRA PLOVER SHIPPING LLC [ofac-900004] IRAN" in lines
    assert "  - Ilmari KORPELA [ofac-900002] RUSSIA-EO14024" in lines
    assert (
        "  ~ TARN HOLDINGS LTD [ofac-900001]: programs: NPWMD, SDGT -> IRAN-EO13846, SDGT; "
        "new names: TARN GROUP"
    ) in lines
    out = run_cli("diff", "us-ofac-sdn", "--from", "2", "--to", "1", "--json", db=db)
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["from"]["published"] == "2024-04-02" and data["to"]["published"] == "2024-03-01"
    assert [e["entity_id"] for e in data["lists"][0]["added"]] == ["ofac-900002"]
    missing = run_cli("diff", "no-such-dataset", db=db)
    assert missing.exit_code == 1 and "no snapshot of dataset" in missing.stderr
