"""Official list importers on the project's tiny fixtures and on the real files in
../shared/data (those tests skip where the folder is absent)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from bidvet.errors import InputError
from bidvet.model.records import ImportBatch
from bidvet.sources.loader import HEAD_BYTES, detect_format, parse_file
from tests.conftest import FIXTURES

HERE = FIXTURES / "sources"
OFFICIAL = ("official-lists-2024",)
REAL_FILES = {
    "official-lists-2024/sdn.xml": "ofac-sdn-xml",
    "official-lists-2024/consolidated.xml": "ofac-consolidated-xml",
    "official-lists-2024/eu_fsf_20240513-FULL-1_1.xml": "eu-fsf-xml",
    "official-lists-2024/un_consolidated.xml": "un-sc-xml",
    "us-csl-2023/csl.csv": "us-csl-csv",
    "us-csl-2023/consolidated_small_2025.csv": "us-csl-csv",
    "ofac-nonsdn-csv-2025/cons_prim.csv": "ofac-consolidated-csv",
}


def _parse(path: Path, fmt: str | None = None) -> ImportBatch:
    return parse_file(path, fmt)[1]


def test_sdn_fixture_entities_names_ids_and_listings() -> None:
    batch = _parse(HERE / "sdn_v1.xml")
    assert batch.format == "ofac-sdn-xml" and batch.dataset == "us-ofac-sdn"
    assert batch.published == dt.date(2024, 3, 1) and batch.complete_list
    assert batch.imported == 3
    by_id = {e.id: e for e in batch.entities}
    tarn = by_id["ofac-900001"]
    assert tarn.schema == "LegalEntity" and tarn.topics == ["sanction"]
    assert [(n.name, n.kind) for n in tarn.names] == [
        ("TARN HOLDINGS LTD", "primary"),
        ("TARN HOLDINGS LIMITED", "alias"),
        ("TARN", "weak"),
    ]
    assert [(i.scheme, i.value) for i in tarn.identifiers] == [
        ("ofac-entry", "OFAC900001"),  # OFAC's entry number, which the CSL keeps too
        ("lei", "9845000TARNHOLDING36"),
    ]
    assert tarn.countries == [("im", "address")]
    assert tarn.properties["Website"] == ["www.tarn-holdings.example"]
    assert by_id["ofac-900002"].schema == "Person"
    assert by_id["ofac-900002"].names[0].name == "Ilmari KORPELA"
    assert by_id["ofac-900002"].countries == [("fi", "nationality")]
    vessel = by_id["ofac-900003"]
    assert vessel.schema == "Vessel" and vessel.identifiers[1].value == "IMO9187629"
    assert ("pa", "other") in vessel.countries
    programs = sorted((lst.entity_id, lst.program) for lst in batch.listings)
    assert programs == [
        ("ofac-900001", "NPWMD"),
        ("ofac-900001", "SDGT"),
        ("ofac-900002", "RUSSIA-EO14024"),
        ("ofac-900003", "IRAN"),
    ]
    assert {lst.list_id for lst in batch.listings} == {"us-ofac-sdn"}
    logged = {(i.record, i.field, i.value) for i in batch.quality.issues}
    assert ("ofac-900001", "addressList/address/country", "Atlantis") in logged
    assert ("ofac-900001", "idList/Legal Entity Number", "9845000TARNHOLDING37") in logged


def test_consolidated_fixture_routes_cmic_and_other_programs() -> None:
    batch = _parse(HERE / "consolidated_small.xml")
    assert batch.format == "ofac-consolidated-xml"
    lists = {lst.entity_id: (lst.list_id, lst.program, lst.start_date) for lst in batch.listings}
    assert lists["ofac-900101"] == ("us-ofac-ns-cmic", "CMIC-EO13959", dt.date(2021, 6, 3))
    assert lists["ofac-900102"] == ("us-ofac-nonsdn", "UKRAINE-EO13662", None)
    borealis = next(e for e in batch.entities if e.id == "ofac-900101")
    assert ("uscc", "91990000MA0B0RELAC") in [(i.scheme, i.value) for i in borealis.identifiers]
    assert ("cn", "jurisdiction") in borealis.countries
    assert set(borealis.topics) == {"sanction", "mil"}


def test_csl_csv_fixture_skips_repeated_header_and_rejects_bad_rows() -> None:
    batch = _parse(HERE / "csl_small.csv")
    assert batch.imported == 2 and batch.quality.rejected == 2
    assert batch.published is None
    actions = Counter(i.action for i in batch.quality.issues)
    assert actions == {"skipped": 1, "rejected": 2}, batch.quality.issues
    meu = next(lst for lst in batch.listings if lst.list_id == "us-bis-meu")
    assert meu.start_date == dt.date(2020, 12, 23) and meu.entity_id == "csl-b0rea1is"
    tarn = next(e for e in batch.entities if e.id == "csl-900201")
    assert [n.kind for n in tarn.names] == ["primary", "alias", "alias"]
    assert tarn.countries == [("im", "address")]
    assert sorted(lst.program for lst in batch.listings if lst.entity_id == "csl-900201") == [
        "NPWMD",
        "SDGT",
    ]
    borealis = next(e for e in batch.entities if e.id == "csl-b0rea1is")
    assert borealis.topics == ["export.control", "mil"] and borealis.countries == []


def test_csl_json_fixture() -> None:
    batch = _parse(HERE / "csl_small.json")
    assert batch.format == "us-csl-json" and batch.imported == 2
    by_id = {e.id: e for e in batch.entities}
    assert by_id["csl-f1c0a0e5b0d9c7a1"].countries == [("fi", "address")]
    assert by_id["csl-f1c0a0e5b0d9c7a1"].identifiers[0].value == "12345678"
    assert by_id["csl-28b7f3c1aa90d4e2"].schema == "Person"
    assert by_id["csl-28b7f3c1aa90d4e2"].topics == ["debarment"]
    assert {lst.list_id for lst in batch.listings} == {"us-bis-entity", "us-state-itar-debarred"}


# --- bad input -------------------------------------------------------------------------------


def test_truncated_xml_names_the_line(tmp_path: Path) -> None:
    cut = tmp_path / "sdn.xml"
    text = (HERE / "sdn_v1.xml").read_text()
    cut.write_text(text[: len(text) * 2 // 3])
    with pytest.raises(InputError, match=r"sdn\.xml: line \d+: malformed XML") as err:
        parse_file(cut)
    assert "download or export it again" in str(err.value)


def test_csv_missing_required_column_names_header_and_fix(tmp_path: Path) -> None:
    bad = tmp_path / "csl.csv"
    lines = (HERE / "csl_small.csv").read_text().splitlines()
    bad.write_text("\n".join([lines[0].replace(",name,", ",nom,"), lines[2]]) + "\n")
    with pytest.raises(InputError) as err:
        parse_file(bad, "us-csl-csv")
    message = str(err.value)
    assert "csl.csv: line 1 (header): missing required column(s) name" in message
    assert "trade.gov CSL CSV export" in message


def test_invalid_csl_json(tmp_path: Path) -> None:
    bad = tmp_path / "csl.json"
    text = (HERE / "csl_small.json").read_text()
    bad.write_text(text[:-40])
    with pytest.raises(InputError, match=r"csl\.json: line \d+ column \d+: invalid JSON"):
        parse_file(bad, "us-csl-json")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "sdn.xml"
    empty.write_text("")
    with pytest.raises(InputError, match="file is empty"):
        parse_file(empty, "ofac-sdn-xml")


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("sdn_v1.xml", "ofac-consolidated-xml"),
        ("consolidated_small.xml", "ofac-sdn-xml"),
        ("sdn_v1.xml", "eu-fsf-xml"),
        ("csl_small.csv", "un-sc-xml"),
        ("csl_small.json", "us-csl-csv"),
        ("ftm_small.json", "us-csl-json"),
    ],
)
def test_wrong_format_is_refused_with_a_hint(name: str, wrong: str) -> None:
    with pytest.raises(InputError, match=r"this file is not .* it looks like"):
        parse_file(HERE / name, wrong)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("sdn_v1.xml", "ofac-sdn-xml"),
        ("sdn_v2.xml", "ofac-sdn-xml"),
        ("consolidated_small.xml", "ofac-consolidated-xml"),
        ("csl_small.csv", "us-csl-csv"),
        ("csl_small.json", "us-csl-json"),
        ("ftm_small.json", "ftm-json"),
        ("ofac_csv/cons_prim.csv", "ofac-consolidated-csv"),
    ],
)
def test_fixtures_are_detected(name: str, fmt: str) -> None:
    assert detect_format(HERE / name).format == fmt


# --- real files ------------------------------------------------------------------------------


@pytest.mark.parametrize(("rel", "fmt"), sorted(REAL_FILES.items()))
def test_real_files_are_detected_unambiguously(shared_data: Path, rel: str, fmt: str) -> None:
    assert detect_format(shared_data / rel).format == fmt


def test_real_files_are_refused_under_every_other_format(shared_data: Path) -> None:
    from bidvet.sources.registry import importers

    ours = set(REAL_FILES.values()) | {"ftm-json", "us-csl-json"}
    assert {"ofac-sdn-xml", "eu-fsf-xml", "un-sc-xml", "ofac-consolidated-csv"} <= ours
    for rel, fmt in REAL_FILES.items():
        path = shared_data / rel
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff")
        claimed = {name for name, imp in importers().items() if imp.sniff(path, head)}
        assert claimed & ours == {fmt}, (rel, claimed)


def test_real_sdn(shared_data: Path) -> None:
    batch = _parse(shared_data / "official-lists-2024/sdn.xml")
    assert batch.imported == 14_966 and batch.quality.rejected == 0
    assert batch.published == dt.date(2024, 5, 7)
    assert len({e.id for e in batch.entities}) == 14_966
    assert Counter(e.schema for e in batch.entities) == {
        "LegalEntity": 6884,
        "Person": 6855,
        "Vessel": 851,
        "Airplane": 376,
    }
    cuba = next(e for e in batch.entities if e.id == "ofac-306")
    assert ("BNC", "weak") in [(n.name, n.kind) for n in cuba.names]


def test_real_consolidated(shared_data: Path) -> None:
    batch = _parse(shared_data / "official-lists-2024/consolidated.xml")
    assert batch.imported == 443
    assert batch.published == dt.date(2024, 5, 6)
    cmic = {lst.entity_id for lst in batch.listings if lst.program == "CMIC-EO13959"}
    assert len(cmic) == 68
    assert batch.extra["lists"] == {"us-ofac-nonsdn": 375, "us-ofac-ns-cmic": 68}  # 443 entries
    assert {lst.list_id for lst in batch.listings if lst.program == "CMIC-EO13959"} == {
        "us-ofac-ns-cmic"
    }
    assert all(lst.start_date is not None for lst in batch.listings if lst.entity_id in cmic)


def test_real_eu(shared_data: Path) -> None:
    batch = _parse(shared_data / "official-lists-2024/eu_fsf_20240513-FULL-1_1.xml")
    # 4,811 sanctionEntity elements; three logicalIds occur twice (one subject under two
    # programmes), so they are merged into 4,808 entities carrying 4,811 listings.
    assert batch.imported == 4_811 and len(batch.listings) == 4_811
    assert len(batch.entities) == 4_808
    assert batch.published == dt.date(2024, 5, 13)
    saddam = next(e for e in batch.entities if e.id == "eu-fsf-13")
    assert saddam.names[0].name == "Saddam Hussein Al-Tikriti"
    assert ("iq", "citizenship") in saddam.countries
    assert saddam.properties["birthDate"] == ["1937-04-28"]
    originals = [n for e in batch.entities for n in e.names if n.kind == "original"]
    assert ("Επαναστατική Οργάνωση Σοσιαλιστών Μουσουλμάνων", "el") in [
        (n.name, n.lang) for n in originals
    ]
    with_lang = sum(1 for n in originals if n.lang)
    assert with_lang > len(originals) // 2, (with_lang, len(originals))


def test_real_un(shared_data: Path) -> None:
    batch = _parse(shared_data / "official-lists-2024/un_consolidated.xml")
    assert batch.extra == {"individuals": 682, "entities": 193}
    assert batch.imported == 875
    assert batch.published == dt.date(2024, 5, 15)
    first = next(e for e in batch.entities if e.id == "un-110447")
    assert ("محمد طاهر أنوري", "original") in [(n.name, n.kind) for n in first.names]
    assert first.properties["birthDate"] == ["1961"]
    listing = next(lst for lst in batch.listings if lst.entity_id == "un-110447")
    assert (listing.program, listing.start_date) == ("Taliban", dt.date(2001, 2, 23))


def test_real_csl_2025_sample(shared_data: Path) -> None:
    batch = _parse(shared_data / "us-csl-2023/consolidated_small_2025.csv")
    # The file holds 13 data rows under its header (the data README says 12).
    assert batch.imported == 13 and batch.quality.issues == []
    assert not batch.complete_list


def test_real_csl(shared_data: Path) -> None:
    batch = _parse(shared_data / "us-csl-2023/csl.csv")
    # The file holds the header, the header repeated (skipped), 4,226 complete data rows and a
    # final SDN row cut off after 8 of 29 columns (rejected). The README's "4,228 rows" counts
    # the repeated header and the cut-off row.
    assert batch.imported == 4_226 and batch.quality.rejected == 1
    assert Counter(i.action for i in batch.quality.issues)["skipped"] == 1
    assert batch.extra["lists"]["us-bis-entity"] == 919
    assert batch.extra["lists"]["us-ofac-sdn"] == 1_737
    assert batch.extra["lists"]["us-ofac-ns-cmic"] == 68
    assert batch.extra["lists"]["us-bis-meu"] == 71
    assert batch.extra["lists"]["us-bis-dpl"] == 577
    el = [e for e in batch.entities if "export.control" in e.topics]
    assert el


def test_ofac_legacy_csv_fixture_reads_siblings_and_remarks() -> None:
    batch = _parse(HERE / "ofac_csv" / "cons_prim.csv")
    assert batch.format == "ofac-consolidated-csv" and batch.imported == 2
    assert batch.published is None and not batch.complete_list
    borealis = next(e for e in batch.entities if e.id == "ofac-900101")
    assert [(n.name, n.kind) for n in borealis.names] == [
        ("BOREALIS SCANNING OY", "primary"),
        ("BOREALIS IMAGING OY", "former"),
        ("BOREALIS", "alias"),
    ]
    assert [(i.scheme, i.value) for i in borealis.identifiers] == [
        ("ofac-entry", "OFAC900101"),
        ("uscc", "91990000MA0B0RELAC"),
    ]
    cmic = next(lst for lst in batch.listings if lst.entity_id == "ofac-900101")
    assert (cmic.list_id, cmic.start_date) == ("us-ofac-ns-cmic", dt.date(2021, 6, 3))
    korpela = sorted(lst.program for lst in batch.listings if lst.entity_id == "ofac-900102")
    assert korpela == ["RUSSIA-EO14024", "UKRAINE-EO13662"]
    issues = [(i.action, i.reason) for i in batch.quality.issues]
    assert ("skipped", "DOS end-of-file marker") in issues
    assert any(a == "note" and "cons_add.csv not found" in r for a, r in issues)
    assert any(a == "rejected" and "not in cons_prim.csv" in r for a, r in issues)
    assert any(a == "normalised" and r.startswith("lei:") for a, r in issues)


def test_real_ofac_legacy_csv(shared_data: Path) -> None:
    batch = _parse(shared_data / "ofac-nonsdn-csv-2025" / "cons_prim.csv")
    # 442 entry rows; the 443rd line of cons_prim.csv is the DOS end-of-file byte (0x1A).
    assert batch.imported == 442 and batch.quality.rejected == 0
    cmic = [lst for lst in batch.listings if lst.program == "CMIC-EO13959"]
    assert len(cmic) == 68 and all(lst.start_date is not None for lst in cmic)


def test_ftm_fixture_entities_topics_and_sanctions() -> None:
    batch = _parse(HERE / "ftm_small.json")
    assert batch.format == "ftm-json" and not batch.complete_list
    by_id = {e.id: e for e in batch.entities}
    assert set(by_id) == {"ftm-tarn", "ftm-borealis", "ftm-fjord", "ftm-korpela", "ftm-vostok"}
    assert [(n.name, n.kind) for n in by_id["ftm-vostok"].names] == [
        ("Vostok Fictional Instruments", "primary"),
        ("Восток Фиктивные Приборы", "original"),
        ("Vostok Instruments", "alias"),
    ]
    tarn = by_id["ftm-tarn"]
    assert [(n.name, n.kind) for n in tarn.names] == [
        ("Tarn Holdings Ltd", "primary"),
        ("Tarn Holdings Limited", "alias"),
        ("Tarn", "weak"),
    ]
    assert tarn.identifiers[0].scheme == "lei" and tarn.countries == [("gb", "jurisdiction")]
    assert by_id["ftm-borealis"].topics == ["export.control", "gov.soe"]
    assert by_id["ftm-borealis"].countries == [("fi", "jurisdiction")]
    assert by_id["ftm-fjord"].schema == "Organization" and by_id["ftm-fjord"].topics == ["mil"]
    sdn = next(lst for lst in batch.listings if lst.entity_id == "ftm-tarn")
    assert (sdn.list_id, sdn.program, sdn.start_date) == (
        "us-ofac-sdn",
        "SDGT",
        dt.date(2023, 2, 1),
    )
    other = next(lst for lst in batch.listings if lst.entity_id == "ftm-borealis")
    assert other.list_id == "ftm-fictional_watchlist"
    assert other.end_date == dt.date(2025, 6, 30)
    notes = [i for i in batch.quality.issues if i.action == "note"]
    assert [n.record for n in notes] == ["ftm-sanction-borealis"]
