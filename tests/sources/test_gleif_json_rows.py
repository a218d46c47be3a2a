"""The Golden Copy JSON reader builds entity rows straight from the parsed values
(:func:`bidvet.sources.gleif_json.lei_row`); each must be the row the shared mapping
(:func:`bidvet.sources.gleif_records.lei_entity`, which the XML reader uses) gives, with the
same quality log, for well-formed and odd records alike."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bidvet.model.quality import QualityLog
from bidvet.model.records import entity_row
from bidvet.sources.gleif_json import GleifLeiJsonImporter, JsonNode, lei_row
from bidvet.sources.gleif_records import lei_entity
from bidvet.sources.json_stream import Record, iter_json_records

FIXTURES = Path(__file__).parent.parent / "fixtures" / "gleif"


def _fixture_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(
        (FIXTURES / "lei-excerpt.json").read_text(encoding="utf-8")
    )["records"]
    return records


def _variants(base: dict[str, Any]) -> list[dict[str, Any]]:
    """Records a publisher could write, each changed in one way from ``base``."""
    out: list[dict[str, Any]] = []

    def variant(change: Any) -> None:
        rec = copy.deepcopy(base)
        change(rec)
        out.append(rec)

    entity = "Entity"
    variant(lambda r: r["LEI"].update({"$": " 001gpb6a9xpe8xjicc14 "}))  # lower case, spaces
    variant(lambda r: r["LEI"].update({"$": "001GPB6A9XPE8XJICC15"}))  # a bad check digit
    variant(lambda r: r.pop("LEI"))
    variant(lambda r: r.update(LEI="001GPB6A9XPE8XJICC14"))  # a bare string, no "$"
    variant(lambda r: r.update(LEI=[{"$": "001GPB6A9XPE8XJICC14"}]))
    variant(lambda r: r.update(LEI=[]))
    variant(lambda r: r.pop(entity))
    variant(lambda r: r.update(Entity="not an object"))
    variant(lambda r: r.update(Entity=[r[entity]]))
    variant(lambda r: r.update(Entity=[]))
    variant(lambda r: r[entity].pop("LegalName"))
    variant(lambda r: r[entity]["LegalName"].update({"$": "   "}))
    variant(lambda r: r[entity]["LegalName"].pop("@xml:lang"))
    variant(lambda r: r[entity]["LegalName"].update({"@xml:lang": "en-GB-oxendict-x"}))
    variant(lambda r: r[entity]["LegalName"].update({"@xml:lang": 7}))
    variant(lambda r: r[entity].update(LegalName=[r[entity]["LegalName"], {"$": "Second"}]))
    variant(
        lambda r: r[entity].update(
            OtherEntityNames={
                "OtherEntityName": [
                    {"@xml:lang": "fr", "@type": "PREVIOUS_LEGAL_NAME", "$": " Ancien Nom "},
                    {"@type": "ALTERNATIVE_LANGUAGE_LEGAL_NAME", "$": "Other Name"},
                    {"$": "   "},
                    "A bare string name",
                    {"@type": "PREVIOUS_LEGAL_NAME"},
                    [{"$": "nested in a list"}],
                ]
            },
            TransliteratedOtherEntityNames={
                "TransliteratedOtherEntityName": {"@xml:lang": "ru", "$": "Translit Name"}
            },
        )
    )
    variant(lambda r: r[entity].update(Extension={"Deep": {"OtherEntityName": {"$": "Deep"}}}))
    variant(lambda r: r[entity]["LegalJurisdiction"].update({"$": "gb-eng"}))
    variant(lambda r: r[entity].pop("LegalJurisdiction"))
    variant(lambda r: r[entity]["LegalAddress"].pop("Country"))
    variant(lambda r: r[entity]["HeadquartersAddress"]["Country"].update({"$": "FR"}))
    variant(lambda r: r[entity]["EntityCategory"].update({"$": "GENERAL"}))
    variant(lambda r: r[entity].pop("EntityCategory"))
    variant(lambda r: r[entity].update(LegalForm={"EntityLegalFormCode": [{"$": " XTIQ "}]}))
    variant(lambda r: r["Registration"].pop("RegistrationStatus"))
    variant(lambda r: r.pop("Registration"))
    return out


def _cases() -> list[dict[str, Any]]:
    records = _fixture_records()
    return [*records, *(v for rec in records for v in _variants(rec))]


@pytest.mark.parametrize("number", range(len(_cases())))
def test_a_row_from_the_parsed_values_is_the_row_of_the_shared_mapping(number: int) -> None:
    record = _cases()[number]
    fast_log, shared_log = QualityLog("lei.json"), QualityLog("lei.json")
    got = lei_row(copy.deepcopy(record), number + 1, fast_log)
    entity = lei_entity(JsonNode(copy.deepcopy(record)), number + 1, shared_log)
    assert got == (None if entity is None else entity_row(entity))
    assert fast_log.issues == shared_log.issues
    assert fast_log.rejected == shared_log.rejected


def test_the_cases_cover_rejections_notes_and_every_kind_of_name() -> None:
    rows = []
    log = QualityLog("lei.json")
    for number, record in enumerate(_cases(), start=1):
        rows.append(lei_row(record, number, log))
    assert any(row is None for row in rows)
    assert log.rejected > 0
    assert any(issue.action == "normalised" for issue in log.issues)  # the bad check digit
    kinds = {name[1] for row in rows if row is not None for name in row[5]}
    assert kinds == {"primary", "alias", "former"}
    assert any(row is not None and row[1] == "LegalEntity" for row in rows)
    assert any(row is not None and row[1] == "Company" for row in rows)


def test_records_say_whether_their_text_may_hold_the_mark(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.write_text(
        '{"records": [{"a": {"$": "plain"}},\n {"b": {"$": "has Mark inside"}},'
        ' {"c": {"$": "an \\"escape\\""}}, {"Mark": 1}]}',
        encoding="utf-8",
    )
    marked = [r.marked for r in iter_json_records(path, mark="Mark") if isinstance(r, Record)]
    assert marked == [False, True, True, True]
    plain = [r.marked for r in iter_json_records(path) if isinstance(r, Record)]
    assert plain == [True, True, True, True]


def test_other_names_spelt_with_escapes_are_found(tmp_path: Path) -> None:
    """A key written with a JSON escape is the same key: the record is not taken for one
    without other names."""
    record = _fixture_records()[0]
    names = record["Entity"].pop("OtherEntityNames")
    text = json.dumps({"records": [record]})
    escaped = json.dumps(names).replace("OtherEntityName", "Other\\u0045ntityName")
    text = text.replace('"Entity": {', '"Entity": {"Other\\u0045ntityNames": ' + escaped + ", ", 1)
    assert "OtherEntityName" not in text and "\\u0045" in text
    path = tmp_path / "lei-escaped.json"
    path.write_text(text, encoding="utf-8")
    log = QualityLog(path.name)
    entities = GleifLeiJsonImporter().read(path, log).entities
    record["Entity"]["OtherEntityNames"] = names
    expected = lei_entity(JsonNode(record), 1, QualityLog(path.name))
    assert expected is not None and len(expected.names) > 1
    assert [entity_row(e) for e in entities] == [entity_row(expected)]
