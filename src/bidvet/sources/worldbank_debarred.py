"""The World Bank's Listing of Ineligible Firms and Individuals, as exported from its
debarred-firms page ("Export to Excel"; the workbook names no sheet but ``Sheet1``).

Layout: row 1 ``Downloaded on: DD/MM/YYYY HH:MM`` (the state of the list at that moment: the
publication date), rows 2–3 a two-row header ``Firm Name, Additional Firm Info, Address,
Country, Ineligibility Period (From Date, To Date), Grounds``, then one row per firm or
individual and ineligibility period. Each row is one listing on ``world-bank-debarred`` (kind
``debarment``): start/end = the ineligibility period, program and reason = the grounds
("Fraudulent Practices", "Cross debarment: …"). The World Bank writes ``2999-12-31`` for an
ineligibility without end date; it is kept as an open end and logged.

The export carries no identifier. Rows with the same name, country and additional information
are one subject (a firm listed at two addresses or for two periods): one entity ``wb-<hash>``
with each row's listing; two branches that share an English name but not their Chinese name (in
the additional information) stay apart.
Individuals are the rows whose name starts with a title (``MR.``, ``MS.`` …); the rest are
firms. ``Additional Firm Info`` is kept as written; the names it gives ("(AKA AMANI B.P.,
LTD.)", "f/k/a …", "also known as …") become aliases or former names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from bidvet.dates import logged_date, parse_date
from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, NameRecord
from bidvet.sources.countries import resolve_country
from bidvet.sources.lists import list_registry, make_listing
from bidvet.sources.merging import merge_entity
from bidvet.sources.registry import Importer, register
from bidvet.sources.xlsx_reading import (
    XLSX_FIX,
    cell_text,
    iter_rows,
    sniff_workbook,
)

LIST_ID = "world-bank-debarred"
COLUMNS = ("Firm Name", "Additional Firm Info", "Address", "Country")
PERIOD = ("From Date", "To Date")
#: the World Bank's "no end date" marker
OPEN_END = dt.date(2999, 12, 31)
_DOWNLOADED = re.compile(r"^Downloaded on:\s*(\d{1,2}/\d{1,2}/\d{4})")
_PERSON = re.compile(r"^(?:MR|MRS|MS|MISS|DR)\.?\s", re.IGNORECASE)
_ALIAS = re.compile(
    r"\b(AKA|A\.K\.A\.|ALSO KNOWN AS|F/K/A|FORMERLY(?: KNOWN AS| OPERATING AS:?)?)\s+([^()*]+)",
    re.IGNORECASE,
)


def _header_ok(rows: list[tuple[Any, ...]]) -> bool:
    if len(rows) < 3:
        return False
    top = tuple(cell_text(v) for v in rows[1][: len(COLUMNS)])
    period = tuple(cell_text(v) for v in rows[2][4:6])
    return (
        cell_text(rows[0][0] if rows[0] else None).startswith("Downloaded on:")
        and top == COLUMNS
        and period == PERIOD
    )


@register
class WorldBankDebarredXlsx(Importer):
    format = "worldbank-debarred-xlsx"
    title = "World Bank listing of ineligible firms and individuals (Excel export)"

    def sniff(self, path: Path, head: str) -> bool:
        return sniff_workbook(path, head, 3, _header_ok)

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        rows = iter_rows(path)
        top = [next(rows, ()) for _ in range(3)]
        if not _header_ok(top):
            raise InputError(
                path,
                "rows 1-3 are not the World Bank export's heading and two-row header",
                record="rows 1-3",
                fix=f"export the listing again from the World Bank's debarred-firms page "
                f"({XLSX_FIX.split(';')[0]})",
            )
        stamp = _DOWNLOADED.match(cell_text(top[0][0]))
        published = parse_date(stamp.group(1), dayfirst=True) if stamp else None
        batch = ImportBatch(
            dataset=LIST_ID,
            format=self.format,
            quality=log,
            published=published,
            complete_list=published is not None,
        )
        if published is None:
            log.note("the export states no download date: not loaded as a complete list")
        entities: dict[str, EntityRecord] = {}
        listed: set[tuple[object, ...]] = set()
        open_ended = 0
        for number, row in enumerate(rows, start=4):
            if not any(cell_text(v) for v in row):
                continue
            line = f"row {number}"
            entity, ended = self._row(line, row, log, batch)
            if entity is None:
                continue
            last = batch.listings[-1]
            key = (last.entity_id, last.program, last.start_date, last.end_date)
            if key in listed:  # the same period again, at another address
                batch.listings.pop()
                log.note("same ineligibility period as an earlier row; one listing", record=line)
            listed.add(key)
            open_ended += ended
            batch.imported += 1
            if entity.id in entities:
                merge_entity(entities[entity.id], entity)
            else:
                entities[entity.id] = entity
                batch.entities.append(entity)
        batch.extra.update({"subjects": len(entities), "without_end_date": open_ended})
        return batch

    def _row(
        self, line: str, row: tuple[Any, ...], log: QualityLog, batch: ImportBatch
    ) -> tuple[EntityRecord | None, int]:
        cells = [cell_text(v) for v in row] + [""] * 7
        name, info, address, country, start_text, end_text, grounds = cells[:7]
        if not name:
            log.reject(line, "row without a firm name")
            return None, 0
        key = "|".join(v.casefold() for v in (name, country, info))
        digest = hashlib.sha256(key.encode()).hexdigest()
        record = f"wb-{digest[:16]}"
        start = logged_date(start_text, log, record=record, field="From Date")
        if start is None:
            log.reject(record, f"{name}: no ineligibility start date ({line})", value=start_text)
            return None, 0
        end = logged_date(end_text, log, record=record, field="To Date")
        ended = 0
        if end == OPEN_END:
            log.normalised(record, "To Date", end_text, "no end date (2999-12-31); kept as open")
            end, ended = None, 1
        entity = EntityRecord(
            id=record,
            schema="Person" if _PERSON.match(name) else "LegalEntity",
            names=[NameRecord(name, "primary")],
        )
        if info:
            entity.properties["additionalInfo"] = [info]
            for label, alias in _ALIAS.findall(info):
                kind = "former" if label.upper().startswith("F") else "alias"
                alias = alias.strip(" ,;")
                if alias and alias != name:
                    entity.names.append(NameRecord(alias, kind))
        if address:
            entity.properties["address"] = [address]
        code = resolve_country(country, log, record=record, field="Country")
        if code is not None:
            entity.countries = [(code, "address")]
        info_list = list_registry().get(LIST_ID)
        entity.topics = list(info_list.topics)
        entity.source_url = info_list.url
        batch.listings.append(
            make_listing(
                info_list,
                record,
                grounds,
                start_date=start,
                end_date=end,
                reason=grounds or None,
            )
        )
        return entity, ended
