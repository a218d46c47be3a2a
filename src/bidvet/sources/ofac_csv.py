"""OFAC consolidated non-SDN list, legacy CSV files (``cons_prim.csv`` with its siblings
``cons_alt.csv``, ``cons_add.csv`` and ``cons_comments.csv`` in the same folder).

Load the primary file; the others are read from beside it when present (a missing sibling is
logged as a note). Columns follow OFAC's legacy layout without a header:

* prim: ent_num, name, type (``individual``, ``vessel``, ``aircraft`` or ``-0-`` for
  entities), programs (``A] [B``), title, call sign, vessel type, tonnage, GRT, flag, owner,
  remarks;
* alt: ent_num, alt_num, ``aka``/``fka``, name, remarks;
* add: ent_num, add_num, address, city/state/postal code, country, remarks;
* comments: ent_num, the continuation of a remarks cell cut at OFAC's column limit.

``-0-`` means empty. Identifiers appear only inside the remarks ("Tax ID No. 7744001497
(Russia); Legal Entity Number …"), and are read from there; the CMIC "Listing Date (CMIC)"
becomes the NS-CMIC listing's start date. The files carry no publication date, so the batch is
not a complete list (see :mod:`bidvet.sources.csl` for why). Entity ids are ``ofac-<ent_num>``,
the same as from the XML. Files are Windows-1252 when they are not UTF-8; the DOS end-of-file
byte (``\\x1a``) that ends them is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from bidvet.dates import logged_date
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, NameRecord
from bidvet.sources.countries import resolve_country
from bidvet.sources.identifiers import make_identifier, ofac_entry, scheme_for_label
from bidvet.sources.lists import list_registry, make_listing
from bidvet.sources.registry import Importer, register
from bidvet.text_input import csv_records

EMPTY = "-0-"
PRIM_COLUMNS = 12
SCHEMA: Mapping[str, str] = MappingProxyType(
    {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
)
ALT_KIND: Mapping[str, str] = MappingProxyType({"aka": "alias", "fka": "former", "nka": "alias"})
CMIC_PROGRAM = "CMIC-EO13959"
_FIRST_ROW = re.compile(r'^\d+,"[^"]*",("[a-z]+"|-0- ?),"[^"]*"')
_REMARK_ID = re.compile(
    r"^(?:alt\. )?(?P<label>.+?) (?P<value>[0-9A-Z][0-9A-Z\-./]*?)\.?"
    r"(?: \((?P<country>[^)]+)\))?\.?$"
)
_AKA = re.compile(r"^a\.k\.a\. '(?P<name>[^']+)'\.?$")
_CMIC_DATE = re.compile(r"^Listing Date \(CMIC\) (?P<date>.+?)\.?$")


def _cell(value: str) -> str | None:
    text = value.strip()
    return None if not text or text == EMPTY else text


def _read_rows(path: Path, log: QualityLog, columns: int) -> list[tuple[int, list[str]]]:
    """Rows of a legacy CSV as (line, cells); rows of another width are rejected, and so is a
    cut-off last row (OFAC always ends its files with a line break)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        log.note(f"{path.name} is not UTF-8; read as Windows-1252")
    table = csv_records(path, text, final_newline=True)
    rows: list[tuple[int, list[str]]] = []
    for record in table.records:
        line, cells = record.line, record.cells
        if not cells or cells == ["\x1a"] or not any(c.strip() for c in cells):
            if cells == ["\x1a"]:
                log.skipped(f"{path.name} line {line}", "DOS end-of-file marker")
            continue
        if len(cells) != columns:
            log.reject(
                f"{path.name} line {line}",
                f"row has {len(cells)} columns, expected {columns}",
                value=cells[0],
            )
            continue
        rows.append((line, cells))
    if table.cut is not None:
        log.reject(
            f"{path.name} line {table.cut_line}",
            f"last row looks cut off ({table.cut}); not imported",
            value=(table.cut_cells or [""])[0][:80],
        )
    return rows


@register
class OfacConsolidatedCsv(Importer):
    format = "ofac-consolidated-csv"
    title = "OFAC consolidated non-SDN list (legacy CSV, cons_prim.csv)"

    def sniff(self, path: Path, head: str) -> bool:
        return path.name.lower().startswith("cons_prim") and bool(_FIRST_ROW.match(head))

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(
            dataset="us-ofac-consolidated-csv",
            format=self.format,
            quality=log,
            complete_list=False,
        )
        entities: dict[str, EntityRecord] = {}
        remarks: dict[str, str] = {}
        programs: dict[str, list[str]] = {}
        for line, cells in _read_rows(path, log, PRIM_COLUMNS):
            num, name = cells[0].strip(), _cell(cells[1])
            if not num.isdigit() or name is None:
                log.reject(f"line {line}", "row without an entity number or name", value=num)
                continue
            eid = f"ofac-{num}"
            if eid in entities:
                log.reject(eid, "the same entity number appears twice; second row ignored")
                continue
            kind = (_cell(cells[2]) or "").lower()
            entity = EntityRecord(
                id=eid,
                schema=SCHEMA.get(kind, "LegalEntity"),
                names=[NameRecord(name)],
                identifiers=[ofac_entry(num)],
            )
            for key, col in (("title", 4), ("callSign", 5), ("vesselType", 6), ("vesselOwner", 10)):
                if (value := _cell(cells[col])) is not None:
                    entity.properties[key] = [value]
            if (flag := _cell(cells[9])) is not None:
                code = resolve_country(flag, log, record=eid, field="vess_flag")
                if code is not None:
                    entity.countries.append((code, "other"))
            entities[eid] = entity
            remarks[eid] = _cell(cells[11]) or ""
            programs[eid] = [p.strip() for p in (_cell(cells[3]) or "").split("] [") if p.strip()]
            batch.entities.append(entity)
            batch.imported += 1
        self._siblings(path, log, entities, remarks)
        for eid, entity in entities.items():
            self._listings(batch, entity, programs[eid], remarks[eid], log)
        return batch

    def _siblings(
        self,
        path: Path,
        log: QualityLog,
        entities: dict[str, EntityRecord],
        remarks: dict[str, str],
    ) -> None:
        folder = path.parent
        for name, columns in (("cons_comments.csv", 2), ("cons_alt.csv", 5), ("cons_add.csv", 6)):
            sibling = folder / name
            if not sibling.exists():
                log.note(f"{name} not found beside {path.name}; its facts are missing")
                continue
            for line, cells in _read_rows(sibling, log, columns):
                eid = f"ofac-{cells[0].strip()}"
                entity = entities.get(eid)
                if entity is None:
                    log.reject(
                        f"{name} line {line}",
                        f"refers to an entity number not in {path.name}",
                        value=cells[0],
                    )
                    continue
                if name == "cons_comments.csv":
                    remarks[eid] += cells[1].strip()
                elif name == "cons_alt.csv":
                    alias = _cell(cells[3])
                    kind = ALT_KIND.get((_cell(cells[2]) or "").lower(), "alias")
                    if alias is not None:
                        entity.names.append(NameRecord(alias, kind))
                else:
                    country = _cell(cells[4])
                    code = resolve_country(country, log, record=eid, field=f"{name}/country")
                    if code is not None and (code, "address") not in entity.countries:
                        entity.countries.append((code, "address"))

    @staticmethod
    def _listings(
        batch: ImportBatch,
        entity: EntityRecord,
        programs: list[str],
        remark: str,
        log: QualityLog,
    ) -> None:
        cmic_start = None
        for part in (p.strip() for p in remark.split(";")):
            if not part:
                continue
            if m := _AKA.match(part):
                if all(n.name != m["name"] for n in entity.names):
                    entity.names.append(NameRecord(m["name"], "alias"))
                continue
            if m := _CMIC_DATE.match(part):
                cmic_start = logged_date(
                    m["date"], log, record=entity.id, field="Listing Date (CMIC)"
                )
                continue
            m = _REMARK_ID.match(part)
            scheme = scheme_for_label(m["label"]) if m else None
            if m is None or scheme is None:
                continue
            ident = make_identifier(
                scheme, m["value"], log, record=entity.id, field=f"remarks/{m['label']}"
            )
            if ident is not None and ident not in entity.identifiers:
                entity.identifiers.append(ident)
        if remark:
            entity.properties["remarks"] = [remark]
        lists = list_registry()
        topics: dict[str, None] = {}
        for program in programs or [""]:
            info = lists.get("us-ofac-ns-cmic" if program == CMIC_PROGRAM else "us-ofac-nonsdn")
            topics.update(dict.fromkeys(info.topics))
            entity.source_url = entity.source_url or info.url
            batch.listings.append(
                make_listing(
                    info,
                    entity.id,
                    program,
                    start_date=cmic_start if program == CMIC_PROGRAM else None,
                    reason=remark or None,
                )
            )
        entity.topics = list(topics)
