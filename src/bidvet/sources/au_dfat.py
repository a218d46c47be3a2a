"""Australia's Consolidated List (DFAT, ``regulation8_consolidated.xlsx``): everyone subject to
targeted financial sanctions or travel bans under Australian sanctions laws, UN-derived and
autonomous.

One sheet, one row per *name*: the header is ``Reference, Name of Individual or Entity, Type,
Name Type, Date of Birth, Place of Birth, Citizenship, Address, Additional Information, Listing
Information, Committees, Control Date``. An entry's primary name has a numeric reference
(``2``); its other names repeat the entry's details under ``2a``, ``2b`` … with name type
``aka``, ``Original Script`` or ``Formerly known as`` (spelled with varying case and trailing
spaces). All rows of one number are one entity ``au-dfat-<number>`` with one listing on
``au-dfat``: program = ``Committees`` (``1988 (Taliban)``, ``Autonomous (Russia)`` …), start date
= ``Listing Information`` when DFAT stores a date there or its text says "Listed … on <date>" /
"Designated … on <date>", reason = the listing text;
``Control Date`` (the date DFAT last changed the entry) is kept as a property.

Dates of birth are free text ("a) Approximately 1955- 1958 b) ...") and kept as written, the
full dates among them as ``birthDate``. The file states no publication date in its cells; the
workbook's own "last modified" date (``docProps/core.xml``) is taken as the publication date, and
only with that date is the file a complete list (entries missing from a newer file are
delisted).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bidvet.dates import parse_date
from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, NameRecord
from bidvet.sources.countries import resolve_country
from bidvet.sources.lists import list_registry, make_listing
from bidvet.sources.registry import Importer, register
from bidvet.sources.xlsx_reading import (
    XLSX_FIX,
    Row,
    cell_date,
    cell_text,
    core_modified,
    iter_rows,
    sniff_workbook,
)

LIST_ID = "au-dfat"
HEADER = (
    "Reference",
    "Name of Individual or Entity",
    "Type",
    "Name Type",
    "Date of Birth",
    "Place of Birth",
    "Citizenship",
    "Address",
    "Additional Information",
    "Listing Information",
    "Committees",
    "Control Date",
)
NAME_KIND: Mapping[str, str] = MappingProxyType(
    {
        "primary name": "primary",
        "aka": "alias",
        "original script": "original",
        "formerly known as": "former",
        "previously listed as": "former",
    }
)
SCHEMA: Mapping[str, str] = MappingProxyType(
    {"individual": "Person", "entity": "LegalEntity", "vessel": "Vessel"}
)
_REF = re.compile(r"^(\d+)\s*([a-z]*\d*)$", re.IGNORECASE)  # 2, 2a, 34c1
#: "Russian and Ukrainian", "Malian / Mauritanian", "a) Syria b) Iraq"
_SEVERAL = re.compile(r"\s*(?:;|/|\band\b|\b[a-z]\)\s)\s*")
_NOTE = re.compile(r"\s*\([^)]*\)")  # "Spain (detained)"
_LISTED_ON = re.compile(r"\b(?:[Ll]isted|[Dd]esignated)\b.{0,80}?\bon (\d{1,2} [A-Za-z]+\.? \d{4})")
_NO_VALUE = frozenset({"", "na", "n/a", "-"})


@dataclass
class _Entry:
    number: str
    line: str
    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _blank(text: str) -> bool:
    return text.casefold() in _NO_VALUE


def _listed_on(text: str) -> dt.date | None:
    """The date in "Listed by UN 1267 Committee on 25 January 2001 (amended …)" or "Designated
    under the Autonomous Sanctions Regulations 2011 on 2 March 2022"."""
    found = _LISTED_ON.search(text)
    return parse_date(found.group(1).replace(".", "")) if found else None


def _header_ok(rows: list[Row]) -> bool:
    return tuple(cell_text(v) for v in rows[0][: len(HEADER)]) == HEADER


@register
class AuDfatXlsx(Importer):
    format = "au-dfat-xlsx"
    title = "Australia DFAT Consolidated List (XLSX)"

    def sniff(self, path: Path, head: str) -> bool:
        return sniff_workbook(path, head, 1, _header_ok)

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        published = core_modified(path)
        batch = ImportBatch(
            dataset=LIST_ID,
            format=self.format,
            quality=log,
            published=published,
            complete_list=published is not None,
        )
        if published is None:
            log.note("the workbook states no modification date: not loaded as a complete list")
        entries = self._entries(path, log)
        counts = {"individuals": 0, "entities": 0, "names": 0}
        for entry in entries.values():
            entity = self._entity(entry, log, batch)
            if entity is None:
                continue
            batch.entities.append(entity)
            batch.imported += 1
            counts["individuals" if entity.schema == "Person" else "entities"] += 1
            counts["names"] += len(entity.names)
        batch.extra.update(counts)
        return batch

    def _entries(self, path: Path, log: QualityLog) -> dict[str, _Entry]:
        rows = iter_rows(path)
        header = tuple(cell_text(v) for v in next(rows, ())[: len(HEADER)])
        if header != HEADER:
            raise InputError(
                path,
                "the first row is not the Consolidated List header",
                record="row 1",
                fix=f"use DFAT's regulation8_consolidated.xlsx ({XLSX_FIX.split(';')[0]})",
            )
        entries: dict[str, _Entry] = {}
        for number, row in enumerate(rows, start=2):
            line = f"row {number}"
            if not any(cell_text(v) for v in row):
                continue
            cells = dict(zip(HEADER, row, strict=False))
            ref = cell_text(cells.get("Reference"))
            match = _REF.match(ref)
            if match is None:
                log.reject(line, "row without a reference number", value=ref or None)
                continue
            base, suffix = match.group(1), match.group(2).lower()
            name = cell_text(cells.get("Name of Individual or Entity"))
            if not name:
                log.reject(f"au-dfat-{ref}", f"row without a name ({line})")
                continue
            entry = entries.get(base)
            if entry is None:
                entry = entries[base] = _Entry(base, line)
            if any(r == ref for r, _ in entry.rows):
                log.reject(f"au-dfat-{ref}", f"reference {ref} appears twice ({line})")
                continue
            entry.rows.append((ref if suffix else base, cells))
        return entries

    def _entity(self, entry: _Entry, log: QualityLog, batch: ImportBatch) -> EntityRecord | None:
        record = f"au-dfat-{entry.number}"
        main = next((cells for ref, cells in entry.rows if ref == entry.number), None)
        if main is None:
            log.reject(
                record,
                f"names {', '.join(r for r, _ in entry.rows)} without the entry's own row "
                f"{entry.number} ({entry.line})",
            )
            return None
        kind = cell_text(main.get("Type")).casefold()
        schema = SCHEMA.get(kind)
        if schema is None:
            log.normalised(record, "Type", cell_text(main.get("Type")), "unknown type; entity")
            schema = "LegalEntity"
        entity = EntityRecord(id=record, schema=schema, names=[])
        for ref, cells in entry.rows:
            name = cell_text(cells.get("Name of Individual or Entity"))
            label = cell_text(cells.get("Name Type"))
            name_kind = NAME_KIND.get(label.casefold(), "")
            if ref == entry.number:
                name_kind = "primary"
            elif not name_kind or name_kind == "primary":
                log.normalised(f"au-dfat-{ref}", "Name Type", label, "not an alias type; alias")
                name_kind = "alias"
            if all(n.name != name for n in entity.names):
                entity.names.append(NameRecord(name, name_kind))
        self._details(record, main, entity, log)
        info = list_registry().get(LIST_ID)
        entity.topics = list(info.topics)
        entity.source_url = info.url
        listing = main.get("Listing Information")
        listed = cell_date(listing) or _listed_on(cell_text(listing))
        batch.listings.append(
            make_listing(
                info,
                record,
                cell_text(main.get("Committees")),
                start_date=listed,
                reason=None if cell_date(listing) else (cell_text(listing) or None),
            )
        )
        return entity

    @staticmethod
    def _details(record: str, main: dict[str, Any], entity: EntityRecord, log: QualityLog) -> None:
        birth = main.get("Date of Birth")
        text = cell_text(birth)
        if not _blank(text):
            entity.properties["birthDateText"] = [text]
            day = cell_date(birth) or parse_date(text, dayfirst=True)
            if day is not None:
                entity.properties["birthDate"] = [day.isoformat()]
        for column, prop in (
            ("Place of Birth", "birthPlace"),
            ("Address", "address"),
            ("Additional Information", "notes"),
        ):
            value = cell_text(main.get(column))
            if not _blank(value):
                entity.properties[prop] = [value]
        control = cell_date(main.get("Control Date"))
        if isinstance(control, dt.date):
            entity.properties["controlDate"] = [control.isoformat()]
        countries: list[tuple[str, str]] = []
        citizenship = _NOTE.sub("", cell_text(main.get("Citizenship")))
        for part in _SEVERAL.split(citizenship):
            if not _blank(part):
                code = resolve_country(part, log, record=record, field="Citizenship")
                if code is not None:
                    countries.append((code, "citizenship"))
        address = entity.properties.get("address", [""])[0]
        if address:
            last = _NOTE.sub("", address.rsplit(",", 1)[-1]).strip()
            code = resolve_country(last, log, record=record, field="Address")
            if code is not None:
                countries.append((code, "address"))
        entity.countries = list(dict.fromkeys(countries))
