"""National list importers on excerpts of the real published files (tests/fixtures/sources/
national, sources and licences in SOURCES.md there): Canada's SEMA list (XML), Australia's DFAT
Consolidated List (XLSX) and the World Bank's listing of ineligible firms (Excel export).

The expected counts were counted in the excerpts themselves: ``<record>``, ``<Entity>`` and
``<LastName>`` elements in sema-lmes.xml; rows and distinct reference numbers in the DFAT sheet;
data rows below the two-row header in the World Bank export."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bidvet.errors import InputError
from bidvet.framework.buyers import default_buyer_profiles
from bidvet.model.records import ImportBatch
from bidvet.sources.lists import list_registry
from bidvet.sources.loader import detect_format, load_file, parse_file
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES
from tests.framework.test_evaluators_direct import run, v2_params
from tests.store_counts import table_counts

HERE = FIXTURES / "sources" / "national"
SEMA = HERE / "sema-lmes.xml"
DFAT = HERE / "regulation8_consolidated.xlsx"
WB = HERE / "worldbank_debarred.xlsx"
FILES = {SEMA: "ca-sema-xml", DFAT: "au-dfat-xlsx", WB: "worldbank-debarred-xlsx"}
AS_OF = dt.date(2026, 11, 25)


def _parse(path: Path) -> ImportBatch:
    return parse_file(path)[1]


@pytest.mark.parametrize(("path", "fmt"), FILES.items(), ids=lambda v: getattr(v, "name", v))
def test_each_excerpt_is_detected_as_its_format_only(path: Path, fmt: str) -> None:
    assert detect_format(path).format == fmt
    for other in set(FILES.values()) - {fmt}:
        with pytest.raises(InputError, match=f"this file is not .*{other}"):
            parse_file(path, other)


def test_sema_excerpt_entities_names_and_regimes() -> None:
    batch = _parse(SEMA)
    assert (batch.dataset, batch.published, batch.complete_list) == ("ca-sema", None, False)
    assert batch.imported == 30 and batch.quality.rejected == 0
    assert batch.extra == {"individuals": 20, "entities": 10}
    assert len(batch.listings) == 30 and {lst.list_id for lst in batch.listings} == {"ca-sema"}
    by_id = {e.id: e for e in batch.entities}
    bank = by_id["ca-sema-russia-2-5"]
    assert bank.schema == "LegalEntity" and bank.countries == [("ru", "other")]
    assert [(n.name, n.kind) for n in bank.names] == [
        ("Russian Agricultural Bank", "primary"),
        ("Rosselkhozbank", "alias"),
    ]
    syria = by_id["ca-sema-syria-1-1"]  # English / French entity name
    assert [n.name for n in syria.names] == [
        "General Intelligence Directorate",
        "Service du renseignement général",
    ]
    general = by_id["ca-sema-syria-2-60"]
    assert general.schema == "Person" and general.names[0].name == "Jumah Al-Ahmad"
    assert general.properties["title"] == ["Major General/major-général"]
    mugabe = by_id["ca-sema-zimbabwe-na-1"]
    assert mugabe.properties["birthDate"] == ["1924-02-21"]
    programs = {lst.entity_id: lst.program for lst in batch.listings}
    assert programs["ca-sema-russia-2-5"] == "Russia, Schedule 2"
    assert programs["ca-sema-zimbabwe-na-1"] == "Zimbabwe"
    # listed under both the JVCFOA regulations and the Venezuela regulations: two entries
    maduro = [e.id for e in batch.entities if e.names[0].name == "Nicolás MADURO MOROS"]
    assert len(maduro) == 2 and "ca-sema-venezuela-na-1" in maduro
    jvcfoa = next(i for i in maduro if i != "ca-sema-venezuela-na-1")
    assert programs[jvcfoa].startswith("Justice for Victims of Corrupt Foreign Officials")
    assert by_id[jvcfoa].countries == []  # the JVCFOA regime names no country


def test_dfat_excerpt_groups_names_by_reference() -> None:
    batch = _parse(DFAT)
    assert (batch.dataset, batch.published, batch.complete_list) == (
        "au-dfat",
        dt.date(2024, 11, 11),
        True,
    )
    assert batch.imported == 12 and batch.quality.rejected == 0
    assert batch.extra == {"individuals": 8, "entities": 4, "names": 58}
    by_id = {e.id: e for e in batch.entities}
    bank = by_id["au-dfat-2780"]
    assert bank.schema == "LegalEntity" and bank.names[0].name == "Bank Rossiya"
    assert len(bank.names) == 6 and {n.kind for n in bank.names[1:]} == {"alias"}
    assert ("ru", "address") in bank.countries
    assert bank.properties["controlDate"] == ["2023-06-10"]
    listing = next(lst for lst in batch.listings if lst.entity_id == "au-dfat-2780")
    assert (listing.list_id, listing.program, listing.start_date) == (
        "au-dfat",
        "Autonomous (Russia)",
        dt.date(2017, 6, 16),
    )
    akhund = by_id["au-dfat-2"]
    assert [(n.name, n.kind) for n in akhund.names] == [
        ("MOHAMMAD HASSAN AKHUND", "primary"),
        ("محمد حسن أخوند", "original"),
    ]
    assert akhund.countries == [("af", "citizenship")]
    assert "birthDate" not in akhund.properties  # "Approximately 1955- 1958": kept as text
    assert akhund.properties["birthDateText"][0].startswith("a) Approximately 1955")
    taliban = next(lst for lst in batch.listings if lst.entity_id == "au-dfat-2")
    assert taliban.program == "1988 (Taliban)" and taliban.start_date == dt.date(2001, 1, 25)
    assert by_id["au-dfat-1938"].properties["birthDate"] == ["1955-04-02"]
    adf = by_id["au-dfat-2943"]
    assert ("ADF/NALU", "former") in [(n.name, n.kind) for n in adf.names]


def test_world_bank_excerpt_periods_grounds_and_subjects() -> None:
    batch = _parse(WB)
    assert (batch.dataset, batch.published, batch.complete_list) == (
        "world-bank-debarred",
        dt.date(2025, 1, 7),
        True,
    )
    assert batch.imported == 22 and batch.quality.rejected == 0
    # 22 rows: one firm at two addresses with the same period, 9 rows without an end date
    assert batch.extra == {"subjects": 21, "without_end_date": 9}
    assert len(batch.entities) == 21 and len(batch.listings) == 21
    by_name = {e.names[0].name: e for e in batch.entities}
    ali = by_name["MR. MUHAMMAD ALI"]
    assert ali.schema == "Person" and ali.countries == [("gb", "address")]
    uk = by_name["NISHAN ENGINEERS UK LTD."]
    listing = next(lst for lst in batch.listings if lst.entity_id == uk.id)
    assert (listing.start_date, listing.end_date) == (dt.date(2024, 10, 30), dt.date(2028, 2, 28))
    assert listing.program == "Controlled Affiliate of a Sanctioned Individual"
    assert listing.reason == listing.program
    lonestar = by_name["LONESTAR SUPPLIES AND LOGISTICS (PVT) LTD"]
    assert [(n.name, n.kind) for n in lonestar.names][1:] == [("AMANI B.P., LTD.", "alias")]
    open_end = next(lst for lst in batch.listings if lst.entity_id == lonestar.id)
    assert open_end.start_date == dt.date(1999, 4, 8) and open_end.end_date is None
    assert any(
        i.record == lonestar.id and i.field == "To Date" and i.value == "2999-12-31"
        for i in batch.quality.issues
    )
    former = by_name["INTERNATIONAL REAL ESTATE CONSULTING AND INVESTMENT JOINT STOCK COMPANY"]
    assert ("HANOITC EXPERT JOINT STOCK COMPANY", "former") in [
        (n.name, n.kind) for n in former.names
    ]
    # two branches with one English name and different Chinese names stay two subjects
    hebei = [e for e in batch.entities if e.names[0].name.startswith("HEBEI CONSTRUCTION")]
    assert len(hebei) == 2
    xinjinzhu = by_name["XINJINZHU MUNICIPAL LANDSCAPING ENGINEERING CO., LTD."]
    assert len(xinjinzhu.properties["address"]) == 2


def test_sema_bad_record_is_rejected_with_its_id_and_unknown_elements_are_logged(
    tmp_path: Path,
) -> None:
    text = SEMA.read_text(encoding="utf-8")
    text = text.replace("<Entity>Air Bagan</Entity>", "", 1)
    text = text.replace("<Item>25</Item>", "<Item>25</Item><Remarks>see notice</Remarks>", 1)
    copy = tmp_path / SEMA.name
    copy.write_text(text, encoding="utf-8")
    batch = _parse(copy)
    assert batch.imported == 29 and batch.quality.rejected == 1
    rejected = [i for i in batch.quality.issues if i.action == "rejected"]
    assert [i.record for i in rejected] == ["ca-sema-burma-1-1"]
    assert batch.extra["unread_elements"] == ["Remarks"]
    assert any(i.field == "Remarks" and i.value == "see notice" for i in batch.quality.issues)


def _damage(path: Path, tmp_path: Path) -> Path:
    out = tmp_path / path.name
    data = path.read_bytes()
    out.write_bytes(data[: len(data) * 2 // 3])
    return out


@pytest.mark.parametrize(("path", "fmt"), FILES.items(), ids=lambda v: getattr(v, "name", v))
def test_damaged_copy_is_one_line_error_and_writes_nothing(
    sqlite_store: Store, tmp_path: Path, path: Path, fmt: str
) -> None:
    damaged = _damage(path, tmp_path)
    before = table_counts(sqlite_store)
    with pytest.raises(InputError) as caught:
        load_file(sqlite_store, damaged, fmt)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(damaged))
    assert "damaged" in message or "malformed" in message
    assert table_counts(sqlite_store) == before and before["entities"] == 0


def test_damaged_workbook_without_format_asks_for_one(tmp_path: Path) -> None:
    damaged = _damage(DFAT, tmp_path)
    with pytest.raises(InputError, match=r"format is ambiguous.*au-dfat-xlsx.*pass --format"):
        parse_file(damaged)


def test_dfat_row_without_its_primary_row_is_rejected_and_logged(tmp_path: Path) -> None:
    import openpyxl

    copy = tmp_path / DFAT.name
    shutil.copy(DFAT, copy)
    book = openpyxl.load_workbook(copy)
    sheet = book.active
    assert sheet is not None
    refs = [str(c.value) for c in sheet["A"]]
    sheet.delete_rows(refs.index("2780") + 1)  # Bank Rossiya's primary-name row
    book.save(copy)
    batch = _parse(copy)
    assert batch.imported == 11 and batch.quality.rejected == 1
    issue = next(i for i in batch.quality.issues if i.action == "rejected")
    assert issue.record == "au-dfat-2780" and "without the entry's own row" in issue.reason


@pytest.mark.parametrize(
    ("path", "name", "list_id", "program"),
    [
        (SEMA, "Russian Agricultural Bank", "ca-sema", "Russia, Schedule 2"),
        (DFAT, "Bank Rossiya", "au-dfat", "Autonomous (Russia)"),
        (WB, "Nishan Engineers UK Ltd", "world-bank-debarred", "Controlled Affiliate"),
    ],
    ids=["ca-sema", "au-dfat", "world-bank"],
)
def test_screen_finds_a_listed_name_with_its_list(
    tmp_path: Path, path: Path, name: str, list_id: str, program: str
) -> None:
    db = tmp_path / "store.db"
    loaded = run_cli("load", path, db=db)
    assert loaded.exit_code == 0, loaded.stderr
    result = run_cli("screen", name, db=db)
    assert result.exit_code == 0, result.stderr
    assert "MATCH" in result.stdout and f"{list_id} {program}" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("path", "entity_id", "name", "country", "criterion"),
    [
        (SEMA, "ca-sema-russia-2-5", "Russian Agricultural Bank", "ca", "barring-listing"),
        (DFAT, "au-dfat-2780", "Bank Rossiya", "au", "barring-listing"),
        (SEMA, "ca-sema-russia-2-5", "Russian Agricultural Bank", "au", "restricted-listing"),
        (DFAT, "au-dfat-2780", "Bank Rossiya", "ca", "restricted-listing"),
    ],
)
def test_national_listing_binds_only_its_own_jurisdictions_buyer(
    sqlite_store: Store, path: Path, entity_id: str, name: str, country: str, criterion: str
) -> None:
    load_file(sqlite_store, path)
    buyer = default_buyer_profiles().for_country(country)
    hits = run(sqlite_store, "direct_listing", v2_params(criterion), entity_id, name, buyer=buyer)
    assert len(hits) == 1, hits
    list_id = "ca-sema" if path == SEMA else "au-dfat"
    assert f"({list_id}, program" in hits[0].summary
    other = "restricted-listing" if criterion == "barring-listing" else "barring-listing"
    assert run(sqlite_store, "direct_listing", v2_params(other), entity_id, name, buyer=buyer) == []


def test_world_bank_debarment_is_a_debarment_and_a_risk_signal(sqlite_store: Store) -> None:
    load_file(sqlite_store, WB)
    info = list_registry().get("world-bank-debarred")
    assert info.kind == "debarment" and info.topics == ("debarment",)
    uk = next(e for e in _parse(WB).entities if e.names[0].name == "NISHAN ENGINEERS UK LTD.")
    with sqlite_store.view() as view:
        stored = view.entity(uk.id)
    assert stored is not None and stored.topics == ("debarment",)
    gb = default_buyer_profiles().for_country("gb")
    found = {
        criterion: run(
            sqlite_store,
            "direct_listing",
            v2_params(criterion),
            uk.id,
            "NISHAN ENGINEERS UK LTD.",
            buyer=gb,
            as_of=AS_OF,
        )
        for criterion in ("restricted-listing", "barring-listing")
    }
    assert found["barring-listing"] == [] and len(found["restricted-listing"]) == 1
    summary = found["restricted-listing"][0].summary
    assert "(world-bank-debarred, program Controlled Affiliate" in summary
