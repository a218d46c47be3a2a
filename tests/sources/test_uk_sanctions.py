"""The OFSI Consolidated List importer on an excerpt of the real workbook published on
2025-04-10 (tests/fixtures/uk_sanctions, source and licence in README.md there).

Expected values were read in the excerpt itself: 33 Group IDs (16 ``Individual``, 16
``Entity``, 1 ``Ship``), 15 distinct ``Regime`` values, the rows of each group quoted below."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, ListingRecord
from bidvet.sources.lists import list_registry
from bidvet.sources.loader import detect_format, load_file, parse_file
from bidvet.sources.registry import importers
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES
from tests.store_counts import table_counts

CONLIST = FIXTURES / "uk_sanctions" / "ConList.xlsx"
DFAT = FIXTURES / "sources" / "national" / "regulation8_consolidated.xlsx"
FORMAT = "gb-ofsi-conlist-xlsx"
#: the 1-based sheet rows of Group ID 15076 (PJSC SBERBANK) in the excerpt
SBERBANK_ROWS = (118, 119, 131, 132)


@pytest.fixture(scope="module")
def batch() -> ImportBatch:
    return parse_file(CONLIST)[1]


def _entity(batch: ImportBatch, group_id: str) -> EntityRecord:
    return next(e for e in batch.entities if e.id == f"gb-ofsi-{group_id}")


def _listings(batch: ImportBatch, group_id: str) -> list[ListingRecord]:
    return [lst for lst in batch.listings if lst.entity_id == f"gb-ofsi-{group_id}"]


def _edited(tmp_path: Path, cells: dict[str, str | None]) -> Path:
    """A copy of the excerpt with some cells (``"AC118"`` …) rewritten."""
    copy = tmp_path / CONLIST.name
    shutil.copy(CONLIST, copy)
    book = openpyxl.load_workbook(copy)
    sheet = book.active
    assert sheet is not None
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(copy)
    return copy


def test_excerpt_is_detected_as_the_conlist_format_only() -> None:
    assert detect_format(CONLIST).format == FORMAT
    with pytest.raises(InputError, match=r"this file is not .*au-dfat-xlsx"):
        parse_file(CONLIST, "au-dfat-xlsx")
    with pytest.raises(InputError, match=f"this file is not .*{FORMAT}"):
        parse_file(DFAT, FORMAT)


def test_one_entity_per_group_with_its_schema(batch: ImportBatch) -> None:
    assert (batch.dataset, batch.published, batch.complete_list) == (
        "gb-hmt-ofsi",
        dt.date(2025, 4, 10),
        True,
    )
    assert batch.imported == 33 and batch.quality.rejected == 0
    assert {k: batch.extra[k] for k in ("individuals", "entities", "ships", "regimes")} == {
        "individuals": 16,
        "entities": 16,
        "ships": 1,
        "regimes": 15,
    }
    assert len({e.id for e in batch.entities}) == 33
    assert _entity(batch, "13107").schema == "Person"  # Leonid Ivanovich KALASHNIKOV
    assert _entity(batch, "14177").schema == "LegalEntity"  # BANK ROSSIYA
    ship = _entity(batch, "13651")
    assert ship.schema == "Vessel" and [(i.scheme, i.value) for i in ship.identifiers] == [
        ("imo", "IMO7408873")
    ]
    assert all(e.topics == ["sanction"] for e in batch.entities)


def test_names_aliases_and_original_script(batch: ImportBatch) -> None:
    bank = _entity(batch, "14177")
    assert [(n.name, n.kind) for n in bank.names] == [
        ("BANK ROSSIYA", "primary"),
        ("BANK OF RUSSIA", "alias"),
        ("Акционерное общество \"Акционерный Банк 'РОССИЯ'\"", "original"),
        ("RUSSIA BANK", "alias"),
    ]
    # Name 1 … Name 5 before Name 6; "Primary name variation" is an alias
    zadachin = _entity(batch, "15890")
    assert [(n.name, n.kind) for n in zadachin.names] == [
        ("Andrey Andreevich ZADACHIN", "primary"),
        ("Andrei Andreevich ZADACHIN", "alias"),
        ("ЗАДАЧИН Андрей Андреевич", "original"),
    ]
    ryonbong = _entity(batch, "10893")
    assert ("LYONGAKSAN GENERAL TRADING CORPORATION", "former") in [
        (n.name, n.kind) for n in ryonbong.names
    ]
    # the one "AKA" of "Low quality" in the excerpt
    assert [n.name for n in _entity(batch, "13672").names if n.kind == "weak"] == [
        "Fitwi Esmail ABDELRAZAK"
    ]
    ship = _entity(batch, "13651")
    assert ship.names[0].name == "SAM JONG 2" and len(ship.names) == 9


def test_group_without_primary_name_row_takes_its_first_name_and_logs_it(
    batch: ImportBatch,
) -> None:
    institute = _entity(batch, "16601")
    assert institute.names[0].name == "33RD SCIENTIFIC RESEARCH AND TESTING INSTITUTE"
    assert [n.kind for n in institute.names] == ["primary", "alias", "alias"]
    assert any(
        i.record == "gb-ofsi-16601" and i.field == "Alias Type" and "no 'Primary name'" in i.reason
        for i in batch.quality.issues
    )


def test_each_regime_is_a_listing_with_its_date_and_reasons(batch: ImportBatch) -> None:
    info = list_registry().get("gb-hmt-ofsi")
    assert {(lst.list_id, lst.list_name) for lst in batch.listings} == {("gb-hmt-ofsi", info.name)}
    assert len({lst.program for lst in batch.listings}) == 15
    balaba = sorted(_listings(batch, "13922"), key=lambda lst: lst.program)
    assert [(lst.program, lst.start_date) for lst in balaba] == [
        ("Belarus", dt.date(2020, 10, 5)),
        ("Global Human Rights", dt.date(2020, 9, 29)),
    ]
    assert all((lst.reason or "").startswith("Dmitry Balaba is Commander") for lst in balaba)
    qods = {lst.program for lst in _listings(batch, "11241")}
    assert qods == {"Iran (Nuclear)", "Syria"}
    [sberbank] = _listings(batch, "15076")
    assert (sberbank.program, sberbank.start_date) == ("Russia", dt.date(2022, 4, 6))
    assert (sberbank.reason or "").startswith("PJSC Sberbank (Public Joint-Stock Company")


def test_dates_countries_and_fcdo_references(batch: ImportBatch) -> None:
    kalashnikov = _entity(batch, "13107")
    assert kalashnikov.properties["birthDate"] == ["1960-08-06"]
    jan = _entity(batch, "6909")  # DOB 00/00/1963: the year only, kept as written
    assert jan.properties["birthDateText"] == ["00/00/1963"] and "birthDate" not in jan.properties
    balaba = _entity(batch, "13922")
    assert balaba.properties["ukSanctionsListRef"] == ["BEL0013", "GHR0054"]
    assert balaba.properties["gender"] == ["Male"]
    assert balaba.countries == [("by", "citizenship"), ("by", "address")]
    assert balaba.properties["modifiedAt"] == ["2022-03-18"]
    bank = _entity(batch, "14177")
    assert bank.properties["designatedDate"] == ["2022-02-22"]
    assert bank.properties["address"] == ["Rastrelli Square, 2A, Saint-Petersburg, 191124"]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"A1": "Report Date"}, "row 1 does not start with 'Last Updated'"),
        ({"AJ2": "Group"}, "row 2 is not the Consolidated List header"),
    ],
    ids=["first-row", "header"],
)
def test_file_that_is_not_the_list_is_one_error_and_writes_nothing(
    sqlite_store: Store, tmp_path: Path, cells: dict[str, str | None], message: str
) -> None:
    bad = _edited(tmp_path, cells)
    before = table_counts(sqlite_store)
    with pytest.raises(InputError, match=f"this file is not .*{FORMAT}") as caught:
        load_file(sqlite_store, bad, FORMAT)
    assert "\n" not in str(caught.value) and str(caught.value).startswith(str(bad))
    assert table_counts(sqlite_store) == before and before["entities"] == 0
    # the importer itself, handed the file anyway, says which row is wrong
    with pytest.raises(InputError, match=message) as direct:
        importers()[FORMAT].read(bad, QualityLog(file_name=bad.name))
    assert "\n" not in str(direct.value)


def test_damaged_workbook_is_one_error_and_writes_nothing(
    sqlite_store: Store, tmp_path: Path
) -> None:
    damaged = tmp_path / CONLIST.name
    data = CONLIST.read_bytes()
    damaged.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(InputError, match="damaged") as caught:
        load_file(sqlite_store, damaged, FORMAT)
    assert "\n" not in str(caught.value)
    assert table_counts(sqlite_store)["entities"] == 0


def test_bad_records_are_rejected_and_reported_the_rest_loads(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # one of Sberbank's four rows says "Individual"; the first data row loses its Group ID
    bad = _edited(tmp_path, {f"AC{SBERBANK_ROWS[1]}": "Individual", "AJ3": None})
    batch = parse_file(bad)[1]
    rejected = [i for i in batch.quality.issues if i.action == "rejected"]
    assert [i.record for i in rejected] == ["row 3", "gb-ofsi-15076"]
    assert "different Group Types (Entity, Individual" in rejected[1].reason
    assert batch.imported == 32 and batch.quality.rejected == 2
    summary = load_file(sqlite_store, bad)
    assert summary.imported == 32
    with sqlite_store.view() as view:
        assert view.entity("gb-ofsi-15076") is None
        assert view.entity("gb-ofsi-14177") is not None


def test_screen_finds_a_listed_name_with_its_regime(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    loaded = run_cli("load", CONLIST, db=db)
    assert loaded.exit_code == 0, loaded.stderr
    # the list was retired on 2026-01-28: asked about a day it was published
    result = run_cli("screen", "Bank Rossiya", "--as-of", "2025-06-01", db=db)
    assert result.exit_code == 0, result.stderr
    assert "MATCH" in result.stdout and "gb-hmt-ofsi Russia" in result.stdout, result.stdout
