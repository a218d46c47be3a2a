"""US Consolidated Screening List (trade.gov): the CSV export and the JSON (API) form.

One row per (subject, source list). The ``source`` column names the list ("Entity List (EL) -
Bureau of Industry and Security"); it is resolved through the aliases in ``data/lists.yaml``.
Entity ids are ``csl-<_id>`` (``_id`` equals OFAC's uid for Treasury rows and is a stable hash
for the others), so a subject on two source lists — one ``_id``, two rows — is one entity with
two listings. One listing per program in ``programs`` (or one without a program), with the
row's ``start_date``/``end_date``. A row republished from an OFAC list also carries OFAC's entry
number as the identifier ``ofac-entry``, as the OFAC importers give every entry, so ``bidvet
xref`` links the two records of one OFAC entry.

The CSL carries no publication date, so the order of two CSL files cannot be told from their
content; marking a CSL file a complete list would let whichever file is loaded last delist
everything the other holds (loading the 2025 12-row sample after the 2023 export would delist
4,480 listings). CSL batches are therefore not ``complete_list``: entries are confirmed or added,
never delisted, and delisting comes from the dated official publications (OFAC, EU, UN).

Real exports repeat the header row; a repeated header is skipped and logged. A row with fewer
columns than the header (a cut-off last line) is rejected and logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bidvet.dates import parse_date, possible_dates
from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, NameRecord
from bidvet.sources.countries import resolve_country
from bidvet.sources.identifiers import make_identifier, ofac_entry, scheme_for_label
from bidvet.sources.lists import ListInfo, list_registry, make_listing
from bidvet.sources.merging import merge_entity
from bidvet.sources.registry import Importer, register
from bidvet.text_input import csv_records, load_json, read_utf8

REQUIRED = ("_id", "source", "name")
SCHEMA: Mapping[str, str] = MappingProxyType(
    {
        "individual": "Person",
        "entity": "LegalEntity",
        "vessel": "Vessel",
        "aircraft": "Airplane",
    }
)
_CODE = re.compile(r"^[A-Z]{2}$")
_WORDS = re.compile(r"^[^\W\d_][^\d]*$")  # a country code or name, not a postal code

Row = dict[str, Any]


def _split(value: Any) -> list[str]:
    """CSV cells hold ``a; b``; JSON holds lists."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


class _Csl(Importer):
    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(dataset="us-csl", format=self.format, quality=log, complete_list=False)
        entities: dict[str, EntityRecord] = {}
        per_list: dict[str, int] = {}
        for record, row in self._rows(path, log):
            entity = self._row(record, row, log, batch, per_list)
            if entity is None:
                continue
            batch.imported += 1
            if entity.id in entities:
                merge_entity(entities[entity.id], entity)
            else:
                entities[entity.id] = entity
                batch.entities.append(entity)
        batch.extra["lists"] = dict(sorted(per_list.items()))
        return batch

    def _rows(self, path: Path, log: QualityLog) -> Iterator[tuple[str, Row]]:
        raise NotImplementedError

    @staticmethod
    def _list(source: str, log: QualityLog, record: str) -> ListInfo | None:
        info = list_registry().resolve(source)
        if info is None:
            log.reject(
                record,
                "source list not in the list registry (data/lists.yaml)",
                field="source",
                value=source,
            )
        return info

    def _row(
        self,
        record: str,
        row: Row,
        log: QualityLog,
        batch: ImportBatch,
        per_list: dict[str, int],
    ) -> EntityRecord | None:
        ident = str(row.get("_id") or row.get("id") or row.get("entity_number") or "").strip()
        name = " ".join(str(row.get("name") or "").split())
        if not ident or not name:
            log.reject(record, "row without _id or name")
            return None
        info = self._list(str(row.get("source") or ""), log, record)
        if info is None:
            return None
        per_list[info.id] = per_list.get(info.id, 0) + 1
        eid = f"csl-{ident}"
        kind = str(row.get("type") or "").strip().lower()
        entity = EntityRecord(
            id=eid,
            schema=SCHEMA.get(kind, "LegalEntity"),
            names=[NameRecord(name, "primary")],
            topics=list(info.topics),
            source_url=str(row.get("source_information_url") or "") or None,
        )
        for alt in _split(row.get("alt_names")):
            entity.names.append(NameRecord(alt, "alias"))
        self._countries(eid, row, entity, log)
        if info.id.startswith("us-ofac-") and ident.isdigit():
            # a row republished from an OFAC list keeps OFAC's entry number as its _id
            entity.identifiers.append(ofac_entry(ident))
        self._ids(eid, row, entity, log)
        for prop in (
            "title",
            "remarks",
            "federal_register_notice",
            "license_requirement",
            "license_policy",
            "vessel_flag",
            "call_sign",
            "entity_number",
        ):
            value = str(row.get(prop) or "").strip()
            if value:
                entity.properties[prop] = [value]
        births = possible_dates(_split(row.get("dates_of_birth")), log, record=eid, field="dob")
        if births:
            entity.properties["birthDate"] = births
        start, end = (_date(row.get(key), log, eid, key) for key in ("start_date", "end_date"))
        remarks = str(row.get("remarks") or "").strip() or None
        url = str(row.get("source_list_url") or "").strip() or None
        for program in _split(row.get("programs")) or [""]:
            batch.listings.append(
                make_listing(
                    info,
                    eid,
                    program,
                    start_date=start,
                    end_date=end,
                    source_url=url,
                    reason=remarks,
                )
            )
        return entity

    @staticmethod
    def _countries(eid: str, row: Row, entity: EntityRecord, log: QualityLog) -> None:
        found: list[tuple[str, str]] = []
        for key, role in (("nationalities", "nationality"), ("citizenships", "citizenship")):
            for text in _split(row.get(key)):
                code = resolve_country(text, log, record=eid, field=key)
                if code is not None:
                    found.append((code, role))
        addresses = row.get("addresses")
        if isinstance(addresses, list):  # JSON: [{"address", "city", "country", …}]
            texts = [str(a.get("country") or "") for a in addresses if isinstance(a, dict)]
        else:  # CSV: "street, city, …, CC; …" — the last part is the ISO code when given
            last = (a.rsplit(",", 1)[-1].strip() for a in _split(addresses))
            texts = [text for text in last if _WORDS.match(text)]
        for text in texts:
            if text:
                code = resolve_country(text, log, record=eid, field="addresses")
                if code is not None:
                    found.append((code, "address"))
        entity.countries = list(dict.fromkeys(found))

    @staticmethod
    def _ids(eid: str, row: Row, entity: EntityRecord, log: QualityLog) -> None:
        items: list[tuple[str, str]] = []
        raw = row.get("ids")
        if isinstance(raw, list):  # JSON: [{"type", "number", "country", …}]
            items = [
                (str(i.get("type") or ""), str(i.get("number") or ""))
                for i in raw
                if isinstance(i, dict)
            ]
        else:  # CSV: "Type, number, CC; Type, number"
            for part in _split(raw):
                bits = [b.strip() for b in part.split(",")]
                if len(bits) < 2:
                    entity.properties.setdefault("ids", []).append(part)
                    continue
                if len(bits) >= 3 and _CODE.match(bits[-1]):
                    bits = bits[:-1]
                items.append((bits[0], ", ".join(bits[1:])))
        for label, number in items:
            if not number:
                continue
            scheme = scheme_for_label(label)
            if scheme is None:
                entity.properties.setdefault(label or "ids", []).append(number)
                continue
            ident = make_identifier(scheme, number, log, record=eid, field=f"ids/{label}")
            if ident is not None and ident not in entity.identifiers:
                entity.identifiers.append(ident)


def _date(value: Any, log: QualityLog, record: str, field: str) -> Any:
    text = str(value or "").strip()
    if not text:
        return None
    found = parse_date(text)
    if found is None:
        log.normalised(record, field, text, "not a date; not kept")
    return found


@register
class CslCsv(_Csl):
    format = "us-csl-csv"
    title = "US Consolidated Screening List (trade.gov CSV)"

    def sniff(self, path: Path, head: str) -> bool:
        first = head.lstrip("\ufeff").split("\n", 1)[0]
        cols = [c.strip().strip('"') for c in first.split(",")]
        return cols[:2] == ["_id", "source"] and "source_list_url" in cols

    def _rows(self, path: Path, log: QualityLog) -> Iterator[tuple[str, Row]]:
        table = csv_records(path, read_utf8(path), final_newline=False)
        if not table.records:
            raise InputError(
                path, "no CSV header", record="line 1", fix="export the list as CSV with its header"
            )
        header = table.records[0].cells
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(
                path,
                f"missing required column(s) {', '.join(missing)}",
                record="line 1 (header)",
                fix="use the trade.gov CSL CSV export with its header",
            )
        for row in table.records[1:]:
            line, cells = f"line {row.line}", row.cells
            if not any(c.strip() for c in cells):
                continue
            if cells == header:
                log.skipped(line, "repeated header row")
                continue
            if len(cells) != len(header):
                log.reject(
                    line,
                    f"row has {len(cells)} columns, the header "
                    f"{len(header)} (cut-off or damaged row)",
                    value=cells[0] if cells else None,
                )
                continue
            yield line, dict(zip(header, cells, strict=True))
        if table.cut is not None:
            log.reject(
                f"line {table.cut_line}",
                f"last row looks cut off ({table.cut}); not imported",
                value=(table.cut_cells or [""])[0][:80],
            )


@register
class CslJson(_Csl):
    format = "us-csl-json"
    title = "US Consolidated Screening List (trade.gov JSON)"

    def sniff(self, path: Path, head: str) -> bool:
        text = head.lstrip("\ufeff").lstrip()
        return text.startswith("{") and '"results"' in text and '"source_list_url"' in text

    def _rows(self, path: Path, log: QualityLog) -> Iterator[tuple[str, Row]]:
        data = load_json(path, read_utf8(path))
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise InputError(
                path,
                'no "results" list',
                record="top level",
                fix='use the CSL API/JSON download, which has {"results": [...]}',
            )
        for i, row in enumerate(results):
            record = f"results[{i}]"
            if not isinstance(row, dict):
                log.reject(record, "result is not an object")
                continue
            yield record, row
