"""The UK Sanctions List (FCDO) XML importer on an excerpt of the real file generated on
2026-10-02 (tests/fixtures/uk_fcdo, source and licence in README.md there).

Expected values were read in the excerpt itself: three designations, all ``Entity``
(``GHR0190`` XINBI COMPANY LIMITED, ``RUS3602`` EXMO EXCHANGE LIMITED, ``AFG0001`` HAJI
KHAIRULLAH HAJI SATTAR MONEY EXCHANGE), under three regimes. Person and ship records are tested
on a copy with one clearly fictional designation of each added."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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

UKSL = FIXTURES / "uk_fcdo" / "UK-Sanctions-List.xml"
CONLIST = FIXTURES / "uk_sanctions" / "ConList.xlsx"
FORMAT = "gb-fcdo-sanctions-xml"
LIST_ID = "gb-fcdo-sanctions"
#: one fictional person and one fictional ship, shaped like the list's other designations
FICTIONAL = """  <Designation>
    <LastUpdated>01/10/2026</LastUpdated>
    <DateDesignated>15/09/2026</DateDesignated>
    <UniqueID>ZZZ0001</UniqueID>
    <Names>
      <Name>
        <Name1>Testa</Name1>
        <Name2>Fictiva</Name2>
        <Name6>EXAMPLOVA</Name6>
        <NameType>Primary Name</NameType>
      </Name>
      <Name>
        <Name1>Testa</Name1>
        <Name6>EXAMPLOVA</Name6>
        <NameType>Alias</NameType>
        <AliasStrength>Weak</AliasStrength>
      </Name>
    </Names>
    <RegimeName>The Fictional (Sanctions) Regulations</RegimeName>
    <IndividualEntityShip>Individual</IndividualEntityShip>
    <IndividualDetails>
      <Individual>
        <DOBs>
          <DOB>dd/mm/1961</DOB>
          <DOB>02/03/1962</DOB>
        </DOBs>
        <Nationalities>
          <Nationality>Belarus</Nationality>
        </Nationalities>
      </Individual>
    </IndividualDetails>
  </Designation>
  <Designation>
    <DateDesignated>15/09/2026</DateDesignated>
    <UniqueID>ZZZ0002</UniqueID>
    <Names>
      <Name>
        <Name6>FICTIONAL TANKER</Name6>
        <NameType>Primary Name</NameType>
      </Name>
    </Names>
    <RegimeName>The Fictional (Sanctions) Regulations</RegimeName>
    <IndividualEntityShip>Ship</IndividualEntityShip>
    <ShipDetails>
      <Ship>
        <IMONumbers>
          <IMONumber>IMO1234567</IMONumber>
        </IMONumbers>
      </Ship>
    </ShipDetails>
  </Designation>
</Designations>
"""


@pytest.fixture(scope="module")
def batch() -> ImportBatch:
    return parse_file(UKSL)[1]


def _entity(batch: ImportBatch, unique_id: str) -> EntityRecord:
    return next(e for e in batch.entities if e.id == f"gb-fcdo-{unique_id}")


def _listings(batch: ImportBatch, unique_id: str) -> list[ListingRecord]:
    return [lst for lst in batch.listings if lst.entity_id == f"gb-fcdo-{unique_id}"]


def _edited(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of the excerpt with each ``(old, new)`` text replaced once (it must be there)."""
    text = UKSL.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    copy = tmp_path / UKSL.name
    copy.write_text(text, encoding="utf-8")
    return copy


def test_excerpt_is_detected_as_the_fcdo_format_only() -> None:
    assert detect_format(UKSL).format == FORMAT
    with pytest.raises(InputError, match=f"this file is not .*{FORMAT}"):
        parse_file(CONLIST, FORMAT)
    with pytest.raises(InputError, match=r"this file is not .*gb-ofsi-conlist-xlsx"):
        parse_file(UKSL, "gb-ofsi-conlist-xlsx")


def test_one_entity_and_one_listing_per_designation(batch: ImportBatch) -> None:
    assert (batch.dataset, batch.published, batch.complete_list) == (
        LIST_ID,
        dt.date(2026, 10, 2),
        True,
    )
    assert batch.imported == 3 and batch.quality.rejected == 0
    assert [e.id for e in batch.entities] == [
        "gb-fcdo-GHR0190",
        "gb-fcdo-RUS3602",
        "gb-fcdo-AFG0001",
    ]
    assert {e.schema for e in batch.entities} == {"LegalEntity"}
    assert {k: batch.extra[k] for k in ("individuals", "entities", "ships", "regimes")} == {
        "individuals": 0,
        "entities": 3,
        "ships": 0,
        "regimes": 3,
    }
    assert all(e.topics == ["sanction"] for e in batch.entities)
    assert len(batch.listings) == 3


def test_names_aliases_and_original_script(batch: ImportBatch) -> None:
    assert [(n.name, n.kind) for n in _entity(batch, "GHR0190").names] == [
        ("XINBI COMPANY LIMITED", "primary")
    ]
    exmo = _entity(batch, "RUS3602")
    # "Primary Name Variation" is an alias
    assert exmo.names[0].name == "EXMO EXCHANGE LIMITED" and exmo.names[0].kind == "primary"
    assert [n.name for n in exmo.names[1:]] == [
        "EXMO",
        "EXMO EXCHANGE",
        "EXMO EXCHANGE LTD",
        "EXMO GROUP",
        "EXMO PAYMENTS LTD.",
        "EXMO.COM",
        "EXMO.ME",
    ]
    assert {n.kind for n in exmo.names[1:]} == {"alias"}
    hawala = _entity(batch, "AFG0001")
    assert hawala.names[0].name == "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE"
    assert ("Haji Alim Hawala", "alias") in [(n.name, n.kind) for n in hawala.names]
    assert [n.name for n in hawala.names if n.kind == "original"] == [
        "حاجی خيرالله و حاجی ستار صرافی"
    ]
    assert len(hawala.names) == 10


def test_each_designation_is_listed_under_its_regime(batch: ImportBatch) -> None:
    info = list_registry().get(LIST_ID)
    assert {(lst.list_id, lst.list_name) for lst in batch.listings} == {(LIST_ID, info.name)}
    [xinbi] = _listings(batch, "GHR0190")
    assert (xinbi.program, xinbi.start_date) == (
        "The Global Human Rights Sanctions Regulations 2020",
        dt.date(2026, 3, 26),
    )
    assert (xinbi.reason or "").startswith(
        "The Secretary of State considers that there are reasonable grounds to suspect that "
        "Xinbi Company Limited (“Xinbi”)"
    )
    [exmo] = _listings(batch, "RUS3602")
    assert (exmo.program, exmo.start_date) == (
        "The Russia (Sanctions) (EU Exit) Regulations 2019",
        dt.date(2026, 5, 26),
    )
    # a UN designation: its UKStatementofReasons is empty
    [hawala] = _listings(batch, "AFG0001")
    assert (hawala.program, hawala.start_date, hawala.reason) == (
        "The Afghanistan (Sanctions) (EU Exit) Regulations 2020",
        dt.date(2012, 6, 29),
        None,
    )


def test_dates_references_identifiers_and_addresses(batch: ImportBatch) -> None:
    hawala = _entity(batch, "AFG0001")
    props = hawala.properties
    assert props["modifiedAt"] == ["2026-08-04"] and props["designatedDate"] == ["2012-06-29"]
    assert (props["ofsiGroupId"], props["unReferenceNumber"], props["designationSource"]) == (
        ["12703"],
        ["TAe.010"],
        ["UN"],
    )
    assert props["email"] == ["helmand_exchange_msp@yahoo.com"]
    assert len(props["address"]) == 16
    assert props["address"][0] == "Ansari Market, 2nd Floor, Nimroz Province, Afghanistan"
    assert hawala.countries == [("af", "address"), ("ae", "address"), ("ir", "address")]
    assert props["notes"][0].startswith("Afghan Money Service Provider License Number: 044.")
    exmo = _entity(batch, "RUS3602")
    assert [(i.scheme, i.value) for i in exmo.identifiers] == [
        ("regno", "11655602"),
        ("other", "EEA90DD050C635EC8F637E8DB2F69969"),
        ("lei", "984500B899H9EED3B354"),
    ]
    assert exmo.properties["sanctionsImposed"][:3] == [
        "Asset freeze",
        "Trust Services Sanctions",
        "Director Disqualification Sanction",
    ]
    assert exmo.properties["address"] == ["2 Kingdom Street, LONDON, W2 6JP, United Kingdom"]
    assert exmo.countries == [("gb", "address")]
    assert exmo.properties["subsidiaries"] == ["EXMO POLAND SP Z.O.O."]
    xinbi = _entity(batch, "GHR0190")
    assert xinbi.properties["website"] == ["Xinbi.com"]
    assert "TW5tokvhEfrb77z98Rc8HqbkzQJ6sxYtGX" in xinbi.properties["notes"][0]


def test_people_and_ships_read_birth_dates_nationality_and_imo(tmp_path: Path) -> None:
    path = _edited(tmp_path, ("</Designations>\n", FICTIONAL))
    batch = parse_file(path, FORMAT)[1]
    assert batch.imported == 5 and (batch.extra["individuals"], batch.extra["ships"]) == (1, 1)
    person = _entity(batch, "ZZZ0001")
    assert person.schema == "Person"
    assert [(n.name, n.kind) for n in person.names] == [
        ("Testa Fictiva EXAMPLOVA", "primary"),
        ("Testa EXAMPLOVA", "weak"),
    ]
    assert person.properties["birthDateText"] == ["dd/mm/1961", "02/03/1962"]
    assert person.properties["birthDate"] == ["1962-03-02"]
    assert person.countries == [("by", "citizenship")]
    ship = _entity(batch, "ZZZ0002")
    assert ship.schema == "Vessel"
    assert [(i.scheme, i.value) for i in ship.identifiers] == [("imo", "IMO1234567")]


@pytest.mark.parametrize(
    "damage",
    ["truncated", "bad-bytes"],
)
def test_damaged_file_is_one_error_and_writes_nothing(
    sqlite_store: Store, tmp_path: Path, damage: str
) -> None:
    data = UKSL.read_bytes()
    broken = tmp_path / UKSL.name
    if damage == "truncated":
        broken.write_bytes(data[: len(data) * 2 // 3])
    else:
        at = data.index(b"EXMO EXCHANGE LIMITED")
        broken.write_bytes(data[:at] + b"\xff\xfe\x00" + data[at + 3 :])
    with pytest.raises(InputError, match=r"malformed XML") as caught:
        load_file(sqlite_store, broken, FORMAT)
    assert "\n" not in str(caught.value) and str(caught.value).startswith(str(broken))
    assert "line " in str(caught.value)
    assert table_counts(sqlite_store)["entities"] == 0


def test_other_root_or_no_designation_is_an_error(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text(
        '<?xml version="1.0"?>\n<Listing>\n  <Designation><UniqueID>X1</UniqueID></Designation>\n'
        "</Listing>\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"root element is <Listing>, not <Designations>"):
        importers()[FORMAT].read(other, QualityLog(file_name=other.name))
    empty = tmp_path / "empty.xml"
    empty.write_text(
        "<Designations>\n  <DateGenerated>02/10/2026</DateGenerated>\n</Designations>\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"no <Designation> records") as caught:
        parse_file(empty, FORMAT)
    assert "\n" not in str(caught.value)


def test_bad_records_are_rejected_and_reported_the_rest_loads(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # Xinbi loses its UniqueID; EXMO's designation takes AFG0001's UniqueID, so the real
    # AFG0001 that follows is the second one with that id
    bad = _edited(
        tmp_path,
        ("<UniqueID>GHR0190</UniqueID>", ""),
        ("<UniqueID>RUS3602</UniqueID>", "<UniqueID>AFG0001</UniqueID>"),
    )
    batch = parse_file(bad)[1]
    rejected = [i for i in batch.quality.issues if i.action == "rejected"]
    assert [i.record for i in rejected] == ["line 4", "gb-fcdo-AFG0001"]
    assert "without a UniqueID" in rejected[0].reason
    assert "the same UniqueID appears twice" in rejected[1].reason
    assert batch.imported == 1 and batch.quality.rejected == 2
    assert batch.entities[0].names[0].name == "EXMO EXCHANGE LIMITED"
    summary = load_file(sqlite_store, bad)
    assert summary.imported == 1
    with sqlite_store.view() as view:
        assert view.entity("gb-fcdo-AFG0001") is not None
        assert view.entity("gb-fcdo-GHR0190") is None


def test_screen_finds_a_listed_alias_with_its_regime(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    loaded = run_cli("load", UKSL, db=db)
    assert loaded.exit_code == 0, loaded.stderr
    result = run_cli("screen", "Exmo Exchange Ltd", "--as-of", "2026-10-05", db=db)
    assert result.exit_code == 0, result.stderr
    assert "MATCH" in result.stdout and LIST_ID in result.stdout, result.stdout
    assert "Russia (Sanctions)" in result.stdout, result.stdout
