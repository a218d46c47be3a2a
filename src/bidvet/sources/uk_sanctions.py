"""The UK's Consolidated List of Financial Sanctions Targets (HM Treasury, OFSI), as published in
its XLSX form (``ConList.xlsx``, the "2022 format"): the UK list of asset-freeze targets until
its retirement on 2026-01-28 (list ``gb-hmt-ofsi``; the FCDO UK Sanctions List took its place).

One sheet (``Data``): row 1 ``Last Updated | DD/MM/YYYY`` (the publication date), row 2 the
header ``Name 6, Name 1 … Name 5, Title, Name Non-Latin Script, … Regime, Listed On, UK
Sanctions List Date Designated, Last Updated, Group ID``, then one row per *name and address*
of a target. All rows with one ``Group ID`` are one entity ``gb-ofsi-<group id>``:

- ``Group Type`` ``Individual`` / ``Entity`` / ``Ship`` gives the schema; rows of one group
  that disagree on it are a bad record, rejected and logged.
- The name is ``Name 1`` … ``Name 5`` then ``Name 6`` (the surname, or the whole name of an
  entity or ship). ``Alias Type`` ``Primary name`` is the primary name, ``Primary name
  variation`` and ``AKA`` are aliases (``AKA`` with ``Alias Quality`` ``Low quality`` a weak
  alias), ``FKA`` a former name; ``Name Non-Latin Script`` is the original-script name. A group
  without a ``Primary name`` row (the list has some) takes its first name as primary, logged.
- Each ``Regime`` of the group is one listing on ``gb-hmt-ofsi``: program = the regime, start
  date = ``Listed On``, reason = the ``(UK Statement of Reasons):`` part of ``Other
  Information``. A group listed under two regimes has two listings.
- ``Other Information`` is kept whole as ``notes``; its tagged parts ``(UK Sanctions List
  Ref):`` (the target's id on the FCDO list), ``(IMO number):`` and ``(Gender):`` are read too.
- Dates of birth are kept as written (``00/00/1963`` for a year only) in ``birthDateText``, the
  full ones also as ``birthDate``; ``Last Updated`` and ``UK Sanctions List Date Designated``
  become ``modifiedAt`` and ``designatedDate``; ``Nationality`` and the address ``Country``
  become countries.

Only with the ``Last Updated`` date of row 1 is the file a complete list (entries missing from a
newer file are delisted). OFSI publishes the same table as ``ConList.csv``; only the workbook
form is read here, the form the tested excerpt has.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bidvet.dates import logged_date, parse_date, possible_dates
from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, ListingRecord, NameRecord
from bidvet.sources.countries import resolve_country
from bidvet.sources.identifiers import make_identifier
from bidvet.sources.lists import ListInfo, list_registry, make_listing
from bidvet.sources.registry import Importer, register
from bidvet.sources.xlsx_reading import (
    XLSX_FIX,
    Row,
    cell_text,
    iter_rows,
    sniff_workbook,
)

LIST_ID = "gb-hmt-ofsi"
FIRST_CELL = "Last Updated"
NAME_PARTS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")
ADDRESS = ("Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6")
HEADER = (
    "Name 6",
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Title",
    "Name Non-Latin Script",
    "Non-Latin Script Type",
    "Non-Latin Script Language",
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Number",
    "Passport Details",
    "National Identification Number",
    "National Identification Details",
    "Position",
    *ADDRESS,
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Group Type",
    "Alias Type",
    "Alias Quality",
    "Regime",
    "Listed On",
    "UK Sanctions List Date Designated",
    "Last Updated",
    "Group ID",
)
SCHEMA: Mapping[str, str] = MappingProxyType(
    {"individual": "Person", "entity": "LegalEntity", "ship": "Vessel"}
)
#: the count in a load summary that each schema adds to (others: "entities")
COUNTED_AS: Mapping[str, str] = MappingProxyType({"Person": "individuals", "Vessel": "ships"})
ALIAS_KIND: Mapping[str, str] = MappingProxyType(
    {
        "primary name": "primary",
        "primary name variation": "alias",
        "aka": "alias",
        "fka": "former",
    }
)
#: columns kept as they are written, property name for each
TEXT_PROPERTIES: Mapping[str, str] = MappingProxyType(
    {
        "Title": "title",
        "Position": "position",
        "Passport Number": "passportNumber",
        "Passport Details": "passportDetails",
        "National Identification Number": "idNumber",
        "National Identification Details": "idNumberDetails",
    }
)
#: "(UK Sanctions List Ref):RUS0256. … (UK Statement of Reasons):… (Gender):Male"
_TAG = re.compile(r"\(([A-Z][A-Za-z /]{1,40})\):")
_UKSL_REF = re.compile(r"\b[A-Z]{2,4}\d{4}\b")
#: OFSI writes an unknown day or month as 00: "00/00/1963", "00/05/1970"
_PART_UNKNOWN = re.compile(r"^(?:00/\d{2}|\d{2}/00|00/00)/\d{4}$")
#: a note after a country: "(previous address)", "(as at November 2010)"
_COUNTRY_NOTE = re.compile(r"\s*\((?:[a-z]|as at\b)[^)]*\)")
#: "(1) German (2) Moroccan"
_NUMBERED = re.compile(r"\(\d+\)\s*")


@dataclass
class _Group:
    group_id: str
    line: str
    rows: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def _cells(row: tuple[Any, ...]) -> dict[str, str]:
    return {name: cell_text(value) for name, value in zip(HEADER, row, strict=False)}


def _full_name(cells: Mapping[str, str]) -> str:
    return " ".join(part for part in (cells.get(p, "") for p in NAME_PARTS) if part)


def tagged_parts(text: str) -> dict[str, str]:
    """The ``(Tag):value`` parts of an ``Other Information`` text, first occurrence of each."""
    found: dict[str, str] = {}
    marks = list(_TAG.finditer(text))
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        found.setdefault(mark.group(1), text[mark.end() : end].strip())
    return found


def _header_ok(rows: list[tuple[Any, ...]]) -> bool:
    return (
        len(rows) >= 2
        and bool(rows[0])
        and cell_text(rows[0][0]) == FIRST_CELL
        and tuple(cell_text(v) for v in rows[1][: len(HEADER)]) == HEADER
    )


@register
class OfsiConListXlsx(Importer):
    format = "gb-ofsi-conlist-xlsx"
    title = "UK OFSI Consolidated List of Financial Sanctions Targets (ConList.xlsx)"

    def sniff(self, path: Path, head: str) -> bool:
        return sniff_workbook(path, head, 2, _header_ok)

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        rows = iter_rows(path)
        published = self._published(path, next(rows, ()), log)
        header = tuple(cell_text(v) for v in next(rows, ())[: len(HEADER)])
        if header != HEADER:
            raise InputError(
                path,
                "row 2 is not the Consolidated List header (Name 6, Name 1 … Group ID)",
                record="row 2",
                fix="use OFSI's ConList.xlsx in the 2022 format, unchanged",
            )
        batch = ImportBatch(
            dataset=LIST_ID,
            format=self.format,
            quality=log,
            published=published,
            complete_list=published is not None,
        )
        info = list_registry().get(LIST_ID)
        counts = {"individuals": 0, "entities": 0, "ships": 0, "names": 0, "regimes": 0}
        for group in self._groups(rows, log).values():
            entity = self._entity(group, log)
            if entity is None:
                continue
            entity.topics = list(info.topics)
            entity.source_url = info.url
            batch.entities.append(entity)
            batch.listings.extend(self._listings(info, entity.id, group, log))
            batch.imported += 1
            kind = COUNTED_AS.get(entity.schema, "entities")
            counts[kind] += 1
            counts["names"] += len(entity.names)
        counts["regimes"] = len({lst.program for lst in batch.listings})
        batch.extra.update(counts)
        return batch

    @staticmethod
    def _published(path: Path, first: tuple[Any, ...], log: QualityLog) -> dt.date | None:
        if not first or cell_text(first[0]) != FIRST_CELL:
            raise InputError(
                path,
                f"row 1 does not start with {FIRST_CELL!r}: not OFSI's Consolidated List",
                record="row 1",
                fix=f"use OFSI's ConList.xlsx, unchanged ({XLSX_FIX.split(';')[0]})",
            )
        text = cell_text(first[1]) if len(first) > 1 else ""
        published = parse_date(text, dayfirst=True) if text else None
        if published is None:
            log.normalised(
                None, FIRST_CELL, text or None, "no publication date; not loaded as a complete list"
            )
        return published

    @staticmethod
    def _groups(rows: Iterator[Row], log: QualityLog) -> dict[str, _Group]:
        groups: dict[str, _Group] = {}
        for number, row in enumerate(rows, start=3):
            line = f"row {number}"
            cells = _cells(row)
            if not any(cells.values()):
                continue
            group_id = cells.get("Group ID", "")
            if not group_id.isdigit():
                log.reject(line, "row without a numeric Group ID", value=group_id or None)
                continue
            if not _full_name(cells) and not cells.get("Name Non-Latin Script"):
                log.reject(f"gb-ofsi-{group_id}", f"row without a name ({line})")
                continue
            group = groups.get(group_id)
            if group is None:
                group = groups[group_id] = _Group(group_id, line)
            group.rows.append((line, cells))
        return groups

    def _entity(self, group: _Group, log: QualityLog) -> EntityRecord | None:
        record = f"gb-ofsi-{group.group_id}"
        types = list(dict.fromkeys(cells.get("Group Type", "") for _, cells in group.rows))
        if len(types) > 1:
            log.reject(
                record,
                f"rows of one Group ID give different Group Types ({', '.join(types)}; "
                f"{group.line})",
                field="Group Type",
            )
            return None
        schema = SCHEMA.get(types[0].casefold())
        if schema is None:
            log.normalised(record, "Group Type", types[0] or None, "unknown group type; entity")
            schema = "LegalEntity"
        entity = EntityRecord(id=record, schema=schema, names=self._names(record, group, log))
        self._details(record, group, entity, log)
        return entity

    @staticmethod
    def _names(record: str, group: _Group, log: QualityLog) -> list[NameRecord]:
        names: list[NameRecord] = []
        for line, cells in group.rows:
            label = cells.get("Alias Type", "")
            kind = ALIAS_KIND.get(label.casefold())
            if kind is None:
                log.normalised(record, "Alias Type", label or None, f"unknown; alias ({line})")
                kind = "alias"
            if kind == "alias" and cells.get("Alias Quality", "").casefold() == "low quality":
                kind = "weak"
            full = _full_name(cells)
            if full:
                names.append(NameRecord(full, kind))
            script = cells.get("Name Non-Latin Script", "")
            if script:
                names.append(NameRecord(script, "original"))
        primary = next((n for n in names if n.kind == "primary"), None)
        if primary is None:
            first = next((n for n in names if n.kind != "original"), names[0])
            log.normalised(
                record, "Alias Type", first.name, "no 'Primary name' row; first name taken"
            )
            primary = NameRecord(first.name, "primary")
        kept = [primary]
        for name in names:
            if all(k.name != name.name for k in kept):
                # a second distinct "Primary name" (rows differ in address too) is an alias
                again = "alias" if name.kind == "primary" else name.kind
                kept.append(NameRecord(name.name, again))
        return kept

    @staticmethod
    def _details(record: str, group: _Group, entity: EntityRecord, log: QualityLog) -> None:
        props: dict[str, list[str]] = {}

        def add(prop: str, value: str) -> None:
            if value and value not in props.setdefault(prop, []):
                props[prop].append(value)

        countries: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for _, cells in group.rows:
            for column, prop in TEXT_PROPERTIES.items():
                add(prop, cells.get(column, ""))
            add(
                "birthPlace",
                ", ".join(
                    v
                    for v in (cells.get("Town of Birth", ""), cells.get("Country of Birth", ""))
                    if v
                ),
            )
            lines = [cells.get(c, "") for c in (*ADDRESS, "Post/Zip Code", "Country")]
            add("address", ", ".join(v for v in lines if v))
            add("notes", cells.get("Other Information", ""))
            for column, prop in (
                ("Last Updated", "modifiedAt"),
                ("UK Sanctions List Date Designated", "designatedDate"),
            ):
                day = logged_date(
                    cells.get(column) or None, log, record=record, field=column, dayfirst=True
                )
                if day is not None:
                    add(prop, day.isoformat())
            birth = cells.get("DOB", "")
            if _PART_UNKNOWN.match(birth):
                add("birthDateText", birth)  # 00/00/1963: the year only
            elif birth and birth not in props.get("birthDateText", []):
                for kept in possible_dates([birth], log, record=record, field="DOB"):
                    add("birthDateText", kept)
                    day = parse_date(kept, dayfirst=True)
                    if day is not None:
                        add("birthDate", day.isoformat())
            for column, role in (("Nationality", "citizenship"), ("Country", "address")):
                for part in _NUMBERED.split(cells.get(column, "")):
                    # "Iraq (previous address)": the note is dropped, "Congo (Democratic
                    # Republic)" is kept whole (without it the name is another country)
                    part = _COUNTRY_NOTE.sub("", part).strip(" ,;")
                    if not part or (part, role) in seen:
                        continue
                    seen.add((part, role))
                    code = resolve_country(part, log, record=record, field=column)
                    if code is not None and (code, role) not in countries:
                        countries.append((code, role))
        for text in list(props.get("notes", [])):
            tags = tagged_parts(text)
            for ref in _UKSL_REF.findall(tags.get("UK Sanctions List Ref", "")):
                add("ukSanctionsListRef", ref)
            add("gender", tags.get("Gender", ""))
            imo = tags.get("IMO number", "")
            if imo and not entity.identifiers:
                ident = make_identifier("imo", imo, log, record=record, field="IMO number")
                if ident is not None:
                    entity.identifiers.append(ident)
        entity.properties = {k: v for k, v in props.items() if v}
        entity.countries = countries

    @staticmethod
    def _listings(
        info: ListInfo, record: str, group: _Group, log: QualityLog
    ) -> list[ListingRecord]:
        """One listing per regime; start = ``Listed On`` (the earliest when rows differ)."""
        regimes: dict[str, tuple[dt.date | None, str | None]] = {}
        for line, cells in group.rows:
            regime = cells.get("Regime", "")
            if not regime:
                log.normalised(record, "Regime", None, f"no regime; listed without one ({line})")
            listed = logged_date(
                cells.get("Listed On") or None, log, record=record, field="Listed On", dayfirst=True
            )
            reason = tagged_parts(cells.get("Other Information", "")).get("UK Statement of Reasons")
            start, known_reason = regimes.get(regime, (None, None))
            if start is None or (listed is not None and listed < start):
                start = listed
            regimes[regime] = (start, known_reason or reason or None)
        return [
            make_listing(info, record, regime, start_date=start, reason=reason)
            for regime, (start, reason) in regimes.items()
        ]
