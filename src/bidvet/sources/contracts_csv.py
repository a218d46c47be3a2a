"""Contract-register CSV exports (AusTender, the ACT register, …), column mapping as data.

The mappings live in ``bidvet/data/contract_columns.yaml``; a file is read with the first
mapping whose ``match`` headers it carries. Every row is one contracting process holding one
contract: imported, or rejected with the row number and the reason (no key, a bad date, an
amount that is not a number, an exact duplicate of an earlier row, a row whose width differs
from the header's, a last row cut off by a truncated file — both registers always end their
files with a line break).
"""

from __future__ import annotations

import csv
import math
import re
from functools import cache
from pathlib import Path

from bidvet.dates import parse_date
from bidvet.errors import InputError
from bidvet.model.contracts import (
    ContractRecord,
    ItemRecord,
    Money,
    PartyRecord,
    ProcessRecord,
)
from bidvet.model.quality import QualityLog
from bidvet.model.records import ImportBatch
from bidvet.sources.registry import Importer, register
from bidvet.text_input import csv_records, read_utf8
from bidvet.yamlconfig import ErrorStyle, validate_yaml
from bidvet.yamlconfig import StrictModel as _Strict

MAPPINGS = Path(__file__).resolve().parent.parent / "data" / "contract_columns.yaml"


class Fields(_Strict):
    key: list[str]
    parent_key: list[str] = []
    buyer: list[str]
    title: list[str] = []
    description: list[str] = []
    category: list[str] = []
    code: list[str] = []
    supplier: list[str]
    supplier_id: list[str] = []
    supplier_country: list[str] = []
    date: list[str] = []
    start_date: list[str] = []
    end_date: list[str] = []
    value: list[str] = []
    method: list[str] = []
    amendment_reason: list[str] = []
    url: list[str] = []


class Constants(_Strict):
    currency: str
    supplier_id_scheme: str | None = None
    buyer_country: str | None = None
    code_scheme: str | None = None


class Register(_Strict):
    """How one publisher's CSV export maps onto contract records."""

    name: str
    title: str
    dataset: str
    match: list[str]
    publishes_bids: bool
    bids_note: str
    dayfirst: bool = True
    supplier_separator: str | None = None
    fields: Fields
    const: Constants


class Registers(_Strict):
    version: int
    registers: list[Register]


def _norm(header: str) -> str:
    return re.sub(r"[\s_]+", " ", header.strip().lower())


@cache
def registers(path: Path = MAPPINGS) -> tuple[Register, ...]:
    """The column mappings, validated strictly (an unknown key fails naming the file)."""
    fix_top = "compare with the bundled bidvet/data/contract_columns.yaml"
    mapping = validate_yaml(path, Registers, fix_top=fix_top, style=ErrorStyle(unknown_first=True))
    return tuple(mapping.registers)


def _header(head: str) -> list[str]:
    first = head.splitlines()[0] if head else ""
    return next(csv.reader([first]), [])


def find_register(headers: list[str]) -> Register | None:
    have = {_norm(h) for h in headers}
    for reg in registers():
        if all(_norm(m) in have for m in reg.match):
            return reg
    return None


def _amount(text: str) -> float:
    """The amount in a value cell; not a finite number is a ValueError."""
    cleaned = re.sub(r"[\s$,]|AUD", "", text)
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


@register
class ContractsCsvImporter(Importer):
    format = "contracts-csv"
    title = "contract register CSV (AusTender export, ACT register, …)"
    priority = 45

    def sniff(self, path: Path, head: str) -> bool:
        return path.suffix.lower() in (".csv", ".txt") and find_register(_header(head)) is not None

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        table = csv_records(path, read_utf8(path), final_newline=True)
        headers = table.records[0].cells if table.records else []
        reg = find_register(headers)
        if reg is None:
            raise InputError(
                path,
                "CSV header matches no contract register mapping",
                record="line 1 (header)",
                fix=f"add a mapping for these columns to {MAPPINGS.name}",
            )
        index = {_norm(h): i for i, h in enumerate(headers)}
        rows = [(r.line, r.cells) for r in table.records[1:]]
        if table.cut is not None and table.cut_line is not None:
            rows.append((table.cut_line, table.cut_cells or []))
        batch = ImportBatch(dataset=reg.dataset, format=self.format, quality=log)
        seen: dict[str, tuple[int, list[str]]] = {}
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                log.skipped(f"row {line}", "empty row")
                continue
            if [_norm(c) for c in row] == [_norm(h) for h in headers]:
                log.skipped(f"row {line}", "repeated header row")
                continue
            if line == table.cut_line:
                log.reject(f"row {line}", f"last row looks cut off ({table.cut}); not imported")
                continue
            if len(row) != len(headers):
                log.reject(
                    f"row {line}",
                    f"row has {len(row)} columns, the header {len(headers)} "
                    "(cut-off or damaged row)",
                )
                continue
            process = self._row(reg, index, line, row, seen, log)
            if process is not None:
                batch.contracts.append(process)
        batch.imported = len(batch.contracts)
        batch.extra = {
            "register": reg.name,
            "processes": batch.imported,
            "rows": len(rows),
            "awards": 0,
            "contracts": batch.imported,
            "bids": None,
            "bids_note": reg.bids_note,
        }
        log.note(f"no bid data: {reg.bids_note}; bid-based price indicators cannot be evaluated")
        return batch

    def _row(
        self,
        reg: Register,
        index: dict[str, int],
        line: int,
        row: list[str],
        seen: dict[str, tuple[int, list[str]]],
        log: QualityLog,
    ) -> ProcessRecord | None:
        def get(field: str) -> str:
            for column in getattr(reg.fields, field):
                i = index.get(_norm(column))
                if i is not None and i < len(row) and row[i].strip():
                    return " ".join(row[i].split())
            return ""

        where = f"row {line}"
        key = get("key")
        if not key:
            log.reject(where, "no contract number", field=reg.fields.key[0])
            return None
        where = f"row {line} (contract {key})"
        if key in seen:
            first, other = seen[key]
            if other == row:
                log.reject(where, f"exact duplicate of row {first}", field=reg.fields.key[0])
                return None
            log.normalised(
                where,
                reg.fields.key[0],
                key,
                f"contract number also on row {first}; kept as {key}#{line}",
            )
            key = f"{key}#{line}"
        seen.setdefault(key, (line, row))
        dates = {}
        for field in ("date", "start_date", "end_date"):
            text = get(field)
            value = parse_date(text, dayfirst=reg.dayfirst) if text else None
            if text and value is None:
                log.reject(where, f"{field} {text!r} is not a date", field=field, value=text)
                return None
            dates[field] = value
        value_text = get("value")
        money = None
        if value_text:
            try:
                money = Money(_amount(value_text), reg.const.currency)
            except ValueError:
                log.reject(where, f"amount {value_text!r} is not a number", field="value")
                return None
        buyer_name = get("buyer")
        parties = []
        buyer_id = None
        if buyer_name:
            buyer_id = "buyer-" + buyer_name.lower()
            parties.append(
                PartyRecord(buyer_id, buyer_name, ["buyer"], [], reg.const.buyer_country)
            )
        supplier_text = get("supplier")
        names = (
            [n.strip() for n in supplier_text.split(reg.supplier_separator)]
            if reg.supplier_separator
            else [supplier_text]
        )
        supplier_ids = []
        ident = get("supplier_id")
        for name in filter(None, names):
            idents = []
            if ident and reg.const.supplier_id_scheme and len(names) == 1:
                idents.append((reg.const.supplier_id_scheme, ident.replace(" ", "")))
            pid = f"{idents[0][0]}-{idents[0][1]}" if idents else "name-" + name.lower()
            parties.append(
                PartyRecord(pid, name, ["supplier"], idents, get("supplier_country") or None)
            )
            supplier_ids.append(pid)
        if not supplier_ids:
            log.normalised(where, "supplier", "", "no supplier named; contract kept unattributed")
        title = get("title") or None
        code = get("code") or None
        item = ItemRecord(
            id="1",
            description=" — ".join(dict.fromkeys(filter(None, [title, get("category")]))),
            scheme=reg.const.code_scheme if code else None,
            code=code,
        )
        contract = ContractRecord(
            id=key,
            title=title,
            description=get("description") or None,
            date_signed=dates["date"],
            start_date=dates["start_date"],
            end_date=dates["end_date"],
            value=money,
            items=[item],
            amendments=1 if get("parent_key") or get("amendment_reason") else 0,
            supplier_ids=supplier_ids,
        )
        return ProcessRecord(
            ocid=f"{reg.dataset}-{key}",
            title=title,
            description=get("description") or None,
            buyer_id=buyer_id,
            date=dates["date"],
            procurement_method=get("method") or None,
            parties=parties,
            contracts=[contract],
            bids=None,
            url=get("url") or None,
        )
