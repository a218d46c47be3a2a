"""Damaged, truncated and hostile input files: a one-line InputError or a logged rejection,
never a traceback and never a silent change (issue 12). Every case uses fictional names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bidvet.errors import InputError
from bidvet.model.quality import QualityIssue
from bidvet.sources.loader import load_file, parse_file
from bidvet.store.db import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SOURCES = FIXTURES / "sources"


def _issues(path: Path, fmt: str | None = None) -> list[QualityIssue]:
    return list(parse_file(path, fmt)[1].quality.issues)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _one_line(exc: pytest.ExceptionInfo[InputError], path: Path) -> str:
    text = str(exc.value)
    assert "\n" not in text and str(path) in text, text
    assert "XML_PARSE" not in text and "Traceback" not in text, text
    return text


# -- BODS statement ids ------------------------------------------------------------------------


def _bods_entity(sid: str, rid: str, name: str) -> dict[str, object]:
    return {
        "statementId": sid,
        "recordId": rid,
        "recordType": "entity",
        "statementDate": "2024-01-01",
        "publicationDetails": {"publicationDate": "2024-01-02", "bodsVersion": "0.4"},
        "recordDetails": {"entityType": {"type": "registeredEntity"}, "name": name},
    }


def test_bods_identical_duplicate_statement_is_noted_once(tmp_path: Path) -> None:
    st = _bods_entity("st-1", "rec-a", "Quillon Fabrication Ltd")
    path = tmp_path / "bods.json"
    path.write_text(json.dumps([st, st, st, _bods_entity("st-2", "rec-b", "Brisk Owl AG")]))
    _importer, batch = parse_file(path)
    assert sorted(e.id for e in batch.entities) == ["bods-rec-a", "bods-rec-b"]
    notes = [i for i in batch.quality.issues if "st-1" in i.reason]
    assert len(notes) == 1 and notes[0].action == "note" and "3 times" in notes[0].reason, notes


def test_bods_statement_id_on_two_different_statements_rejects_the_record(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bods.json"
    statements = [
        _bods_entity("st-1", "rec-a", "Quillon Fabrication Ltd"),
        _bods_entity("st-1", "rec-a", "Quillon Fabrication Holdings Ltd"),
        _bods_entity("st-2", "rec-b", "Brisk Owl AG"),
    ]
    path.write_text(json.dumps(statements))
    _importer, batch = parse_file(path)
    assert [e.id for e in batch.entities] == ["bods-rec-b"]
    rejected = [i for i in batch.quality.issues if i.action == "rejected"]
    assert [(i.record, i.value) for i in rejected] == [("rec-a", "st-1")], rejected
    assert batch.quality.rejected == 1


def test_bods_bad_dates_are_logged_not_kept(tmp_path: Path) -> None:
    st = _bods_entity("st-1", "rec-a", "Quillon Fabrication Ltd")
    st["publicationDetails"] = {"publicationDate": "2024-02-30", "bodsVersion": "0.4"}
    path = tmp_path / "bods.json"
    path.write_text(json.dumps([st]))
    _importer, batch = parse_file(path)
    assert batch.published is None
    assert any(i.value == "2024-02-30" and i.field for i in batch.quality.issues)


def test_bods_deep_nesting_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bods.json"
    deep = "[" * 5000 + "]" * 5000
    path.write_text('[{"recordType": "entity", "recordDetails": ' + deep + "}]")
    with pytest.raises(InputError, match="nested more than 100 levels") as exc:
        parse_file(path)
    _one_line(exc, path)


# -- truncated CSVs ----------------------------------------------------------------------------


def test_ofac_csv_cut_last_row_is_rejected_naming_the_line(tmp_path: Path) -> None:
    src = SOURCES / "ofac_csv"
    for sibling in src.iterdir():
        (tmp_path / sibling.name).write_bytes(sibling.read_bytes())
    prim = tmp_path / "cons_prim.csv"
    whole = prim.read_bytes().rstrip(b"\x1a").rstrip()
    complete = len([line for line in whole.split(b"\r\n") if line])
    prim.write_bytes(whole[:-5])  # cut inside the last row's remarks
    _importer, batch = parse_file(prim)
    cut = [i for i in batch.quality.issues if "cut off" in i.reason]
    assert len(cut) == 1 and cut[0].record == f"cons_prim.csv line {complete}", cut
    assert batch.imported == complete - 1


def test_csl_csv_row_cut_inside_a_quoted_cell_is_rejected(tmp_path: Path) -> None:
    lines = (SOURCES / "csl_small.csv").read_text(encoding="utf-8").split("\n")
    whole = "\n".join([lines[0], lines[2]])
    assert parse_file(_write(tmp_path / "whole.csv", whole))[1].imported == 1
    cut = whole[: whole.rfind('"') - 3]  # ends inside the last quoted cell
    _importer, batch = parse_file(_write(tmp_path / "csl.csv", cut))
    rejected = [i for i in batch.quality.issues if i.action == "rejected"]
    assert [i.record for i in rejected] == ["line 2"] and "cut off" in rejected[0].reason
    assert batch.imported == 0


def test_contract_register_cut_last_row_is_rejected(tmp_path: Path) -> None:
    lines = (FIXTURES / "contracts" / "austender.csv").read_text(encoding="utf-8").split("\n")
    whole = "\n".join(lines[:4]) + "\n"
    assert parse_file(_write(tmp_path / "whole.csv", whole))[1].imported == 3
    _importer, batch = parse_file(_write(tmp_path / "register.csv", whole.rstrip("\n")[:-10]))
    assert batch.imported == 2
    cut = [i for i in batch.quality.issues if "cut off" in i.reason]
    assert [i.record for i in cut] == ["row 4"], batch.quality.issues


def test_contract_register_huge_cell_is_an_input_error(tmp_path: Path, sqlite_store: Store) -> None:
    text = (FIXTURES / "contracts" / "austender.csv").read_text(encoding="utf-8")
    header, first, *_ = text.split("\n")
    path = tmp_path / "register.csv"
    path.write_text(f'{header}\n"{"x" * 300_000}"{first[first.index(",") :]}\n', encoding="utf-8")
    before = sqlite_store.fingerprint()
    with pytest.raises(InputError, match="larger than 131072 characters") as exc:
        load_file(sqlite_store, path)
    assert "line 2" in _one_line(exc, path)
    assert sqlite_store.fingerprint() == before


# -- invalid UTF-8 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        SOURCES / "csl_small.csv",
        SOURCES / "csl_small.json",
        FIXTURES / "contracts" / "austender.csv",
    ],
)
def test_invalid_utf8_names_the_byte_offset(tmp_path: Path, source: Path) -> None:
    raw = source.read_bytes()
    at = raw.index(b"\n") + 5
    path = tmp_path / source.name
    path.write_bytes(raw[:at] + b"\xff\xfe" + raw[at:])
    with pytest.raises(InputError, match=f"byte offset {at}") as exc:
        parse_file(path)
    assert "UTF-8" in _one_line(exc, path)


def test_bods_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "bods.json"
    body = json.dumps([_bods_entity("st-1", "rec-a", "Quillon")]).encode()
    path.write_bytes(body.replace(b"Quillon", b"Quill\xc3on"))
    with pytest.raises(InputError, match="byte offset") as exc:
        parse_file(path)
    _one_line(exc, path)


# -- dates in the official lists ---------------------------------------------------------------


def test_sdn_impossible_birth_date_is_logged_and_not_stored(tmp_path: Path) -> None:
    text = (SOURCES / "sdn_v1.xml").read_text(encoding="utf-8")
    entry = (
        "<sdnEntry><uid>990001</uid><firstName>Ivo</firstName><lastName>PLACEHOLDER</lastName>"
        "<sdnType>Individual</sdnType><programList><program>SDGT</program></programList>"
        "<dateOfBirthList><dateOfBirthItem><uid>1</uid><dateOfBirth>2020-13-45</dateOfBirth>"
        "<mainEntry>true</mainEntry></dateOfBirthItem><dateOfBirthItem><uid>2</uid>"
        "<dateOfBirth>12 Jan 1960</dateOfBirth><mainEntry>false</mainEntry></dateOfBirthItem>"
        "</dateOfBirthList></sdnEntry>"
    )
    path = tmp_path / "sdn.xml"
    path.write_text(text.replace("</sdnList>", entry + "</sdnList>"), encoding="utf-8")
    batch = parse_file(path)[1]
    person = next(e for e in batch.entities if e.id == "ofac-990001")
    assert person.properties["birthDate"] == ["12 Jan 1960"]
    assert any(i.record == "ofac-990001" and i.value == "2020-13-45" for i in batch.quality.issues)


def test_sdn_bad_publish_date_is_logged(tmp_path: Path) -> None:
    text = (SOURCES / "sdn_v1.xml").read_text(encoding="utf-8")
    path = tmp_path / "sdn.xml"
    path.write_text(text.replace("03/01/2024", "13/45/2024"), encoding="utf-8")
    batch = parse_file(path)[1]
    assert batch.published is None
    assert any(i.field == "Publish_Date" and i.value == "13/45/2024" for i in batch.quality.issues)


EU_XML = """<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="{generated}">
<sanctionEntity logicalId="77001" designationDate="{designated}">
<regulation programme="TST" publicationDate="2022-01-01"><publicationUrl>http://x.example</publicationUrl></regulation>
<subjectType code="enterprise"/><nameAlias wholeName="Fenwick Marlow Trading" strong="true"/>
</sanctionEntity></export>
"""

UN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="{generated}"><ENTITIES><ENTITY><DATAID>88001</DATAID>
<FIRST_NAME>FENWICK MARLOW TRADING</FIRST_NAME><UN_LIST_TYPE>TST</UN_LIST_TYPE>
<LISTED_ON>{listed}</LISTED_ON></ENTITY></ENTITIES></CONSOLIDATED_LIST>
"""


def test_eu_bad_dates_are_logged_naming_record_field_and_value(tmp_path: Path) -> None:
    path = tmp_path / "eu.xml"
    path.write_text(EU_XML.format(generated="2024-99-01", designated="2023-02-31"))
    batch = parse_file(path)[1]
    logged = {(i.record, i.field, i.value) for i in batch.quality.issues}
    assert ("export", "generationDate", "2024-99-01") in logged, logged
    assert ("eu-fsf-77001", "designationDate", "2023-02-31") in logged, logged
    assert batch.published is None
    assert batch.listings[0].start_date is not None  # the regulation's date is used instead


def test_un_bad_dates_are_logged_naming_record_field_and_value(tmp_path: Path) -> None:
    path = tmp_path / "un.xml"
    path.write_text(UN_XML.format(generated="someday", listed="2010-00-10"))
    batch = parse_file(path)[1]
    logged = {(i.record, i.field, i.value) for i in batch.quality.issues}
    assert ("CONSOLIDATED_LIST", "dateGenerated", "someday") in logged, logged
    assert ("un-88001", "LISTED_ON", "2010-00-10") in logged, logged
    assert batch.listings[0].start_date is None


def test_gleif_bad_relationship_dates_are_logged(tmp_path: Path) -> None:
    rr = "http://www.gleif.org/data/schema/rr/2016"
    path = tmp_path / "rr.xml"
    path.write_text(
        f'<?xml version="1.0"?><rr:RelationshipData xmlns:rr="{rr}"><rr:Header>'
        "<rr:ContentDate>2023-13-05T00:00:00Z</rr:ContentDate></rr:Header><rr:RelationshipRecords>"
        "<rr:RelationshipRecord><rr:Relationship>"
        "<rr:StartNode><rr:NodeID>5493001KJTIIGC8Y1R12</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:StartNode>"
        "<rr:EndNode><rr:NodeID>5493000IBP32UQZ0KL24</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:EndNode>"
        "<rr:RelationshipType>IS_DIRECTLY_CONSOLIDATED_BY</rr:RelationshipType>"
        "<rr:RelationshipPeriods><rr:RelationshipPeriod><rr:StartDate>2019-02-30</rr:StartDate>"
        "<rr:PeriodType>RELATIONSHIP_PERIOD</rr:PeriodType></rr:RelationshipPeriod></rr:RelationshipPeriods>"
        "<rr:RelationshipStatus>ACTIVE</rr:RelationshipStatus></rr:Relationship></rr:RelationshipRecord>"
        "</rr:RelationshipRecords></rr:RelationshipData>"
    )
    batch = parse_file(path)[1]
    fields = {(i.field, i.value) for i in batch.quality.issues}
    assert ("ContentDate", "2023-13-05") in fields and ("StartDate", "2019-02-30") in fields
    assert batch.ownerships[0].start_date is None and batch.published is None


# -- XML: what already held stays -------------------------------------------------------------


def test_xml_entity_expansion_is_refused_without_libxml2_hints(tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    path = tmp_path / "sdn.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE sdnList [<!ENTITY l0 "lol">{lol}]>'
        '<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">'
        "<sdnEntry><uid>1</uid><lastName>&l9;</lastName><sdnType>Entity</sdnType></sdnEntry></sdnList>"
    )
    try:
        batch = parse_file(path, "ofac-sdn-xml")[1]
    except InputError as exc:
        assert "XML_PARSE" not in str(exc) and "\n" not in str(exc)
    else:
        names = [n.name for e in batch.entities for n in e.names]
        assert all(len(n) < 1000 for n in names), "entities were expanded"


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    path = tmp_path / "sdn.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE sdnList [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">'
        "<sdnEntry><uid>1</uid><lastName>A &x;</lastName><sdnType>Entity</sdnType></sdnEntry>"
        "</sdnList>"
    )
    try:
        batch = parse_file(path, "ofac-sdn-xml")[1]
    except InputError:
        return
    names = [n.name for e in batch.entities for n in e.names]
    assert not any("TOP-SECRET" in n for n in names), names


def test_deep_xml_message_has_no_libxml2_hint(tmp_path: Path) -> None:
    path = tmp_path / "un.xml"
    path.write_text(
        '<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2024-01-01">'
        + "<a>" * 300_000
        + "</a>" * 300_000
        + "</CONSOLIDATED_LIST>"
    )
    with pytest.raises(InputError) as exc:
        parse_file(path)
    _one_line(exc, path)


def test_sdn_with_a_damaged_namespace_is_one_line_error(tmp_path: Path) -> None:
    body = (FIXTURES / "sources" / "sdn_v1.xml").read_bytes()
    at = body.index(b"/exports/XML")
    damaged = body[:at] + b"}" + body[at + 1 :]  # a byte flip found by fuzzing
    path = tmp_path / "sdn.xml"
    path.write_bytes(damaged)
    with pytest.raises(InputError, match="damaged namespace") as info:
        parse_file(path)
    assert "\n" not in info.value.render()
