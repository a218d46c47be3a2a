"""GLEIF Golden Copy JSON loads like the XML of the same records, streaming, one-line errors."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from bidvet.errors import InputError
from bidvet.sources import json_stream
from bidvet.sources.loader import detect_format, load_file, parse_file
from bidvet.sources.registry import importers
from bidvet.store.db import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "gleif"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: elements the CDF schemas let repeat: the Golden Copy JSON writes them as arrays
REPEATING = {
    "OtherEntityName",
    "TransliteratedOtherEntityName",
    "AdditionalAddressLine",
    "RelationshipPeriod",
    "RelationshipQualifier",
    "RelationshipQuantifier",
    "ExceptionReason",
    "ExceptionReference",
}
JSON_FORMATS = ("gleif-lei-json", "gleif-rr-json", "gleif-repex-json")


def _element(elem: etree._Element) -> dict[str, Any]:
    """One XML element written the Golden Copy JSON way ("$" text, "@" attributes)."""
    out: dict[str, Any] = {}
    for attr, text in elem.attrib.items():
        out["@xml:lang" if attr == XML_LANG else f"@{etree.QName(attr).localname}"] = text
    children = list(elem.iterchildren(etree.Element))  # no comments
    if not children and elem.text is not None and elem.text.strip():
        out["$"] = elem.text
    for child in children:
        name = etree.QName(child).localname
        value = _element(child)
        if name in REPEATING:
            out.setdefault(name, []).append(value)
        elif name in out:  # any other element that repeats (GLEIF's extensions)
            earlier = out[name]
            out[name] = [*(earlier if isinstance(earlier, list) else [earlier]), value]
        else:
            out[name] = value
    return out


def golden_json(xml: Path, out: Path, record: str, *, lines: bool = False) -> int:
    """Write the records of a Golden Copy XML file as Golden Copy JSON; the record count."""
    root = etree.parse(str(xml)).getroot()
    records = [_element(e) for e in root.iter() if etree.QName(e).localname == record]
    header = next((e for e in root if etree.QName(e).localname.endswith("Header")), None)
    if lines:
        out.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    else:
        doc: dict[str, Any] = {}
        if header is not None:
            doc["header"] = _element(header)
        doc["records"] = records
        out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(records)


def _contents(store: Store) -> dict[str, Any]:
    """Entities (names, countries, identifiers, properties) and edges as the view shows them."""
    with store.view() as view:
        edges = view.all_edges(None)
        catalog = sorted(view.catalog(), key=lambda e: e.id)
        facts = view.entities(e.id for e in catalog)
    return {
        "catalog": [repr(e) for e in catalog],
        "entities": {k: repr(v) for k, v in sorted(facts.items())},
        "edges": sorted(repr(e) for e in edges),
    }


def _store(tmp_path: Path, name: str) -> Store:
    return Store(f"sqlite:///{tmp_path / name}")


# -- the same store from XML and JSON ----------------------------------------------------------


def test_fixture_pair_gives_the_same_store_as_the_xml(tmp_path: Path) -> None:
    xml_store, json_store = _store(tmp_path, "x.db"), _store(tmp_path, "j.db")
    try:
        for name in ("lei-excerpt", "rr-excerpt"):
            xml = load_file(xml_store, FIXTURES / f"{name}.xml")
            got = load_file(json_store, FIXTURES / f"{name}.json")
            assert got.format == f"{xml.format}-json"
            assert (got.imported, got.rejected, got.issues) == (
                xml.imported,
                xml.rejected,
                xml.issues,
            )
            assert got.extra == xml.extra
        assert _contents(json_store) == _contents(xml_store)
        with json_store.view() as view:
            owners = view.owners(["lei-001GPB6A9XPE8XJICC14"], None)
            snaps = {s.dataset: s for s in view.snapshots()}
        rr = "{http://www.gleif.org/data/schema/rr/2016}"
        expected = {
            (
                f"lei-{r.findtext(f'{rr}EndNode/{rr}NodeID')}",
                str(r.findtext(f"{rr}RelationshipType")),
            )
            for r in etree.parse(str(FIXTURES / "rr-excerpt.xml")).iter(f"{rr}Relationship")
            if r.findtext(f"{rr}StartNode/{rr}NodeID") == "001GPB6A9XPE8XJICC14"
        }
        kinds = {"IS_FUND-MANAGED_BY": "fund-management", "IS_SUBFUND_OF": "subfund"}
        assert len(expected) == 2
        assert {(e.owner_id, e.kind) for e in owners} == {(o, kinds[t]) for o, t in expected}
        assert {d: str(s.published) for d, s in snaps.items()} == {
            "gleif-lei": "2023-06-05",
            "gleif-rr": "2023-06-05",
        }
    finally:
        xml_store.dispose()
        json_store.dispose()


@pytest.mark.parametrize(
    ("xml", "record", "lines"),
    [
        ("lei-data.xml", "LEIRecord", False),
        ("lei-updates-data2.xml", "LEIRecord", True),
        ("rr-data.xml", "RelationshipRecord", False),
        ("rr-updates-data2.xml", "RelationshipRecord", True),
        ("repex-data.xml", "Exception", False),
    ],
)
def test_real_samples_as_json_load_like_the_xml(
    shared_data: Path, tmp_path: Path, xml: str, record: str, lines: bool
) -> None:
    source = shared_data / "gleif-lei-rr-samples" / xml
    converted = tmp_path / (xml[:-4] + (".jsonl" if lines else ".json"))
    count = golden_json(source, converted, record, lines=lines)
    xml_store, json_store = _store(tmp_path, "x.db"), _store(tmp_path, "j.db")
    try:
        a, b = load_file(xml_store, source), load_file(json_store, converted)
        assert b.format == f"{a.format}-json" and b.imported + b.rejected == count
        assert (b.imported, b.rejected, b.issues, b.extra) == (
            a.imported,
            a.rejected,
            a.issues,
            a.extra,
        )
        assert _contents(json_store) == _contents(xml_store)
    finally:
        xml_store.dispose()
        json_store.dispose()


# -- detection ---------------------------------------------------------------------------------


def test_sniff_names_each_json_format_and_no_other_claims_them() -> None:
    assert detect_format(FIXTURES / "lei-excerpt.json").format == "gleif-lei-json"
    assert detect_format(FIXTURES / "rr-excerpt.json").format == "gleif-rr-json"
    assert detect_format(FIXTURES / "lei-excerpt.xml").format == "gleif-lei"
    for path in (FIXTURES / "lei-excerpt.json", FIXTURES / "rr-excerpt.json"):
        head = path.read_text(encoding="utf-8")[:65536]
        claim = [f for f, imp in importers().items() if imp.sniff(path, head) and "gleif" in f]
        assert len(claim) == 1, claim


def test_json_formats_do_not_steal_other_json(shared_data: Path) -> None:
    """The BODS statements made from GLEIF data, FtM, OCDS and CSL JSON are not Golden Copy."""
    samples = [
        shared_data / "gleif-lei-rr-samples" / "lei-data-out.json",
        shared_data / "gleif-lei-rr-samples" / "rr-data-out.json",
        *sorted((shared_data / "ocds-examples").rglob("*.json"))[:20],
        *sorted(Path(__file__).parent.parent.joinpath("fixtures").rglob("*.json*"))[:200],
    ]
    checked = 0
    for path in samples:
        if FIXTURES in path.parents or not path.is_file():
            continue
        head = path.read_bytes()[:65536].decode("utf-8", errors="replace")
        claims = [f for f in JSON_FORMATS if importers()[f].sniff(path, head)]
        assert claims == [], (path, claims)
        checked += 1
    assert checked > 10


# -- bad records and bad files -----------------------------------------------------------------


def _lei(lei: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"LEI": {"$": lei}, "Entity": {"LegalName": {"$": name}, **extra}}


def test_bad_records_are_rejected_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "lei.json"
    records: list[Any] = [
        _lei("5493001KJTIIGC8Y1R12", "Brightwater Fictional Holdings Oy"),
        _lei("5493000IBP32UQZ0KL24", ""),
        "not a record",
        {"LEI": {"$": "213800BJPX8V9HVY1Y11"}, "Entity": {}},
    ]
    path.write_text(json.dumps({"records": records}))
    importer, batch = parse_file(path)
    assert importer.format == "gleif-lei-json"
    assert batch.imported == 1 and batch.quality.rejected == 3
    where = sorted(str(i.record) for i in batch.quality.issues)
    assert where == ["LEIRecord #2", "LEIRecord #3", "LEIRecord #4"]
    assert [e.id for e in batch.entities] == ["lei-5493001KJTIIGC8Y1R12"]


def test_bad_dates_are_logged_and_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "rr.json"
    rel = {
        "Relationship": {
            "StartNode": {"NodeID": {"$": "5493001KJTIIGC8Y1R12"}, "NodeIDType": {"$": "LEI"}},
            "EndNode": {"NodeID": {"$": "5493000IBP32UQZ0KL24"}, "NodeIDType": {"$": "LEI"}},
            "RelationshipType": {"$": "IS_DIRECTLY_CONSOLIDATED_BY"},
            "RelationshipPeriods": {
                "RelationshipPeriod": [
                    {"StartDate": {"$": "2019-02-30"}, "PeriodType": {"$": "RELATIONSHIP_PERIOD"}}
                ]
            },
            "RelationshipStatus": {"$": "ACTIVE"},
        }
    }
    header = {"ContentDate": {"$": "2023-13-05T00:00:00Z"}}
    path.write_text(json.dumps({"header": header, "records": [rel]}))
    batch = parse_file(path)[1]
    fields = {(i.field, i.value) for i in batch.quality.issues}
    assert ("ContentDate", "2023-13-05") in fields and ("StartDate", "2019-02-30") in fields
    assert batch.ownerships[0].start_date is None and batch.published is None
    assert batch.ownerships[0].kind == "consolidation-direct"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            '{"records": [{"LEI": {"$": "X"}, "Entity": {"LegalName": {"$": "A"}}},\n{"LEI": }]}',
            "line 2",
        ),
        ('{"records": [{"LEI": {"$": "X"}, "Entity": {"LegalName": {"$": "A"}}}', "line 1"),
        ('{"records": [{"LEI": {"$": "X"}, "Entity": {"LegalName": {"$": "A"}}}]} []', "line 1"),
        ('{"LEI": {"$": "X"}, "Entity": {"LegalName": {"$": "A"}}}\n\n{"LEI": {"$": "Y"', "line 3"),
    ],
)
def test_an_unparseable_file_is_one_error_naming_the_line_and_writes_nothing(
    tmp_path: Path, sqlite_store: Store, text: str, where: str
) -> None:
    path = tmp_path / "lei.json"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_file(sqlite_store, path, "gleif-lei-json")
    assert "invalid JSON" in str(err.value) and where in str(err.value)
    with sqlite_store.view() as view:
        assert view.snapshots() == []


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "lei.json"
    good = json.dumps({"records": [_lei("5493001KJTIIGC8Y1R12", "Brightwater Fictional Oy")]})
    raw = good.encode().replace(b"Brightwater", b"Bright\xffwater")
    path.write_bytes(raw)
    offset = raw.index(b"\xff")
    with pytest.raises(InputError, match=f"byte offset {offset}"):
        parse_file(path, "gleif-lei-json")


def test_deep_nesting_rejects_the_file(tmp_path: Path) -> None:
    path = tmp_path / "lei.json"
    deep = '{"x":' * 150 + "1" + "}" * 150
    path.write_text(
        '{"records": [{"LEI": {"$": "5493001KJTIIGC8Y1R12"}, "Entity": {"LegalName": {"$": "A"}}, '
        f'"Extension": {deep}}}]}}'
    )
    with pytest.raises(InputError, match="nested more than 100 levels"):
        parse_file(path, "gleif-lei-json")


# -- streaming ---------------------------------------------------------------------------------


def test_records_stream_across_small_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records and numbers cut at every block boundary still parse; each value in file order."""
    monkeypatch.setattr(json_stream, "BLOCK", 7)
    path = tmp_path / "data.json"
    records = [{"n": 1234567 + i, "s": "é…" * i, "l": [i, {"k": None}]} for i in range(40)]
    path.write_text(json.dumps({"head": {"ContentDate": 1}, "records": records, "tail": 9.5}))
    items = list(json_stream.iter_json_records(path))
    got = [i.value for i in items if isinstance(i, json_stream.Record)]
    members = [(i.key, i.value) for i in items if isinstance(i, json_stream.Member)]
    assert got == records and members == [("head", {"ContentDate": 1}), ("tail", 9.5)]
    lines = tmp_path / "data.jsonl"
    lines.write_text("\ufeff" + "\n".join(json.dumps(r) for r in records) + "\n")
    assert [i.value for i in json_stream.iter_json_records(lines)] == records
    array = tmp_path / "array.json"
    array.write_text(json.dumps(records, indent=2))
    assert [i.value for i in json_stream.iter_json_records(array)] == records


def test_reading_holds_one_block_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_stream, "BLOCK", 4096)
    path = tmp_path / "big.json"
    record = json.dumps(_lei("5493001KJTIIGC8Y1R12", "Brightwater Fictional Holdings Oy"))
    with path.open("w") as fh:
        fh.write('{"records": [' + ",\n".join([record] * 5000) + "]}")
    largest = 0
    original = json_stream._Text.more

    def more(self: json_stream._Text) -> None:
        nonlocal largest
        original(self)
        largest = max(largest, len(self.buf))

    monkeypatch.setattr(json_stream._Text, "more", more)
    assert sum(1 for _ in json_stream.iter_json_records(path)) == 5000
    assert path.stat().st_size > 100 * 4096 and largest < 3 * 4096


def test_the_cycle_collector_is_paused_only_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "lei.json"
    path.write_text('{"records": [{"LEI": {"$": "X"}, "Entity": {"LegalName": {"$": "A"}}}, ]}')
    assert gc.isenabled()
    seen: list[bool] = []
    original = json_stream._Text.value

    def value(self: json_stream._Text) -> Any:
        seen.append(gc.isenabled())
        return original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_stream._Text, "value", value)
        with pytest.raises(InputError):
            parse_file(path, "gleif-lei-json")
    assert seen and not any(seen) and gc.isenabled()
