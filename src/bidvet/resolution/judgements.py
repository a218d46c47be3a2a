"""Resolution judgements: recording them, and their CSV form (``bidvet resolve``).

A judgement says whether two records of the store are the same legal person
(:class:`~bidvet.store.resolution.Judgement`). The CSV form, one judgement per row, with a
header naming the columns (any order):

==================  =========  =================================================================
column              required   meaning
==================  =========  =================================================================
``left_id``         yes        entity id of one record (as ``bidvet screen --json`` shows it)
``right_id``        yes        entity id of the other record
``judgement``       yes        ``positive`` (same legal person), ``negative`` (not), ``unsure``
``reason``          yes        why, in words a reviewer can check
``by``              no         who judged (default: ``import``)
``at``              no         when, ISO 8601 date or date-time (default: the import time)
``source``          no         ``user``, ``identifier`` or ``file`` (default: ``file``)
``cite_title``      no         title of the public source the judgement rests on
``cite_url``        no         its address
``cite_published``  no         its publication date (ISO 8601)
==================  =========  =================================================================

Import checks every row before writing anything: a row naming an entity the store does not
hold, an unknown judgement or source, a pair of one record with itself, an empty reason or a
bad date stops the import with an error naming the row and the fix; nothing is written.
Export writes every judgement in this form, by pair.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bidvet.errors import InputError
from bidvet.store.db import Store
from bidvet.store.resolution import (
    JUDGEMENTS,
    SOURCES,
    Judgement,
    write_judgements,
)

COLUMNS = (
    "left_id",
    "right_id",
    "judgement",
    "reason",
    "by",
    "at",
    "source",
    "cite_title",
    "cite_url",
    "cite_published",
)
REQUIRED = ("left_id", "right_id", "judgement", "reason")
DEFAULT_BY = "import"

#: judgement files bundled with bidvet for the reference case
REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _when(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


@dataclass(frozen=True)
class ParsedRow:
    """A judgement read from a CSV row, with the row's place for error messages."""

    line: int
    judgement: Judgement


def parse_rows(fh: IO[str], source: str | Path, *, default_at: dt.datetime) -> list[ParsedRow]:
    """Every row of a judgement CSV, checked for form (not yet against the store)."""
    reader = csv.DictReader(fh)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            source,
            f"missing column(s) {','.join(missing)}; found {','.join(header) or 'nothing'}",
            record="line 1 (header)",
            fix=f"give a CSV whose first line names the columns {','.join(COLUMNS)}",
        )
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise InputError(
            source,
            f"unknown column(s) {','.join(unknown)}",
            record="line 1 (header)",
            fix=f"use only the columns {','.join(COLUMNS)}",
        )
    out: list[ParsedRow] = []
    try:
        for row in reader:
            line = reader.line_num
            cells = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
            out.append(ParsedRow(line, _judgement(cells, source, line, default_at)))
    except csv.Error as exc:
        raise InputError(
            source, f"malformed CSV ({exc})", record=f"line {reader.line_num}", fix="check the CSV"
        ) from None
    return out


def _judgement(
    cells: dict[str, str], source: str | Path, line: int, default_at: dt.datetime
) -> Judgement:
    where = f"line {line}"

    def bad(message: str, fix: str) -> InputError:
        return InputError(source, message, record=where, fix=fix)

    left, right = cells.get("left_id", ""), cells.get("right_id", "")
    if not left or not right:
        raise bad("left_id and right_id must both be given", "fill in both entity ids")
    if left == right:
        raise bad(f"{left!r} is judged against itself", "name two different records")
    kind = cells.get("judgement", "").lower()
    if kind not in JUDGEMENTS:
        raise bad(
            f"judgement {cells.get('judgement', '')!r} is not one of {', '.join(JUDGEMENTS)}",
            "write positive, negative or unsure",
        )
    reason = cells.get("reason", "")
    if not reason:
        raise bad("empty reason", "say why the records are (or are not) the same legal person")
    origin = cells.get("source") or "file"
    if origin not in SOURCES:
        raise bad(f"source {origin!r} is not one of {', '.join(SOURCES)}", "leave it empty")
    try:
        at = _when(cells["at"]) if cells.get("at") else default_at
    except ValueError:
        raise bad(f"at {cells['at']!r} is not an ISO 8601 date", "write e.g. 2026-11-29") from None
    try:
        published = (
            dt.date.fromisoformat(cells["cite_published"]) if cells.get("cite_published") else None
        )
    except ValueError:
        raise bad(
            f"cite_published {cells['cite_published']!r} is not an ISO 8601 date",
            "write e.g. 2021-06-03",
        ) from None
    return Judgement(
        left,
        right,
        kind,
        cells.get("by") or DEFAULT_BY,
        at,
        reason,
        origin,
        cells.get("cite_title") or None,
        cells.get("cite_url") or None,
        published,
    )


@dataclass(frozen=True)
class ImportResult:
    file: str
    written: int
    #: rows left out because the store does not hold one of their records (``skip_unknown``)
    skipped: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "written": self.written, "skipped": list(self.skipped)}


def import_judgements(
    store: Store, path: str | Path, *, skip_unknown: bool = False, at: dt.datetime | None = None
) -> ImportResult:
    """Read a judgement CSV and store every row in one transaction, or none.

    A row naming an entity the store does not hold is an error naming the row and the id
    (``skip_unknown``: the row is left out and reported in :attr:`ImportResult.skipped`, as
    ``bidvet knowledge install`` does for the reference file before the list is loaded).
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = parse_rows(fh, path, default_at=at or now())
    except FileNotFoundError:
        raise InputError(path, "no such file", fix="give the path of a judgement CSV") from None
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text", fix="save the file as UTF-8") from None
    ids = {i for r in rows for i in (r.judgement.left_id, r.judgement.right_id)}
    with store.view() as view:
        known = set(view.captions(ids))
    keep: list[Judgement] = []
    skipped: list[str] = []
    for r in rows:
        absent = [i for i in (r.judgement.left_id, r.judgement.right_id) if i not in known]
        if not absent:
            keep.append(r.judgement)
            continue
        text = f"line {r.line}: no entity {', '.join(repr(a) for a in absent)} in the store"
        if not skip_unknown:
            raise InputError(
                path,
                f"no entity {', '.join(repr(a) for a in absent)} in the store",
                record=f"line {r.line}",
                fix="load the dataset that holds the record first, or correct the id "
                "(bidvet screen NAME --json shows entity ids)",
            )
        skipped.append(text)
    written = record(store, keep) if keep else 0
    return ImportResult(str(path), written, tuple(skipped))


def record(store: Store, judgements: Sequence[Judgement]) -> int:
    """Store judgements (replacing earlier ones of the same pairs) and recompute the clusters,
    in one transaction."""
    with store.transaction() as conn:
        return write_judgements(conn, judgements)


def judge(
    store: Store,
    left: str,
    right: str,
    judgement: str,
    *,
    reason: str,
    by: str,
    at: dt.datetime | None = None,
) -> Judgement:
    """Record one judgement typed by a person (source ``user``); both records must exist."""
    j = checked(store, left, right, judgement, reason=reason, by=by, at=at)
    record(store, [j])
    return j


def checked(
    store: Store,
    left: str,
    right: str,
    judgement: str,
    *,
    reason: str,
    by: str,
    at: dt.datetime | None = None,
) -> Judgement:
    """A judgement typed by a person (source ``user``), checked as :func:`judge` checks it but
    not written: for callers that write it with
    :func:`bidvet.store.resolution.write_judgements` in a transaction of their own (the
    workspace, which audits it in the same transaction)."""
    fix = "bidvet screen NAME --json shows entity ids"
    if left == right:
        raise InputError(None, f"{left!r} is judged against itself", fix="name two records")
    if judgement not in JUDGEMENTS:
        raise InputError(None, f"judgement {judgement!r} is not one of {', '.join(JUDGEMENTS)}")
    if not reason.strip():
        raise InputError(None, "empty reason", fix="give --reason saying why")
    with store.view() as view:
        known = set(view.captions([left, right]))
    for eid in (left, right):
        if eid not in known:
            raise InputError(None, f"no entity {eid!r} in the store", fix=fix)
    return Judgement(left, right, judgement, by, at or now(), reason.strip(), "user").ordered()


def export_rows(judgements: Iterable[Judgement]) -> Iterable[dict[str, str]]:
    for j in judgements:
        data = j.to_json()
        yield {c: "" if data[c] is None else str(data[c]) for c in COLUMNS}


def write_csv(fh: IO[str], judgements: Iterable[Judgement]) -> int:
    """Write judgements as CSV (the columns of the module docstring); returns the rows."""
    writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in export_rows(judgements):
        writer.writerow(row)
        n += 1
    return n


def reference_judgement_files() -> list[Path]:
    """The judgement files bundled with the reference case."""
    return sorted(REFERENCE_DIR.glob("*-judgements.csv"))


def install_reference_judgements(store: Store) -> list[ImportResult]:
    """Import the bundled judgement files; rows whose records are not loaded yet are skipped
    and reported (install again after loading the list they name)."""
    # a fixed time: installing the same file gives the same rows (and the same store digest)
    return [
        import_judgements(store, path, skip_unknown=True, at=dt.datetime(2026, 11, 29))
        for path in reference_judgement_files()
    ]
