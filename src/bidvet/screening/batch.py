"""Batch screening and comparison over CSV input, as library functions the CLI wraps.

Input CSVs: screening reads ``id,name`` (optional ``country``; other columns are ignored),
comparison reads ``name1,name2``. Each output record is one JSON-ready dict, in input order.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from bidvet.errors import InputError
from bidvet.screening.engine import Screener
from bidvet.screening.score import compare_names
from bidvet.text_input import MAX_CELL, cell_too_large

CHUNK = 500
#: the keys of a match in batch output, exactly as DESIGN.md's CLI contract lists them
MATCH_KEYS = ("entity_id", "name", "score", "match", "lists", "explanation")


@dataclass(frozen=True, slots=True)
class Query:
    id: str
    name: str
    country: str | None


def _reader(
    fh: IO[str], source: str, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(fh)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(
            source, f"malformed CSV header ({exc})", record="line 1", fix="check the CSV"
        ) from None
    missing = [c for c in required if c not in header]
    if missing:
        found = ",".join(header) if header else "nothing (empty file)"
        raise InputError(
            source,
            f"missing column(s) {','.join(missing)}; found {found}",
            record="line 1 (header)",
            fix=f"give a CSV whose first line names the columns {','.join(required)}",
        )
    fix = "give one name per cell; check that the file is the CSV you meant"
    try:
        for row in reader:
            cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if any(len(cell) > MAX_CELL for cell in cells.values()):
                raise cell_too_large(source, reader.line_num, fix)
            yield reader.line_num, cells
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            raise cell_too_large(source, line, fix) from None
        raise InputError(
            source, f"malformed CSV ({exc})", record=f"line {line}", fix="check the CSV"
        ) from None


def read_queries(fh: IO[str], source: str) -> Iterator[Query]:
    """Screening queries from a CSV with ``id,name`` (optional ``country``)."""
    for line, row in _reader(fh, source, ("id", "name")):
        if not row["name"]:
            raise InputError(
                source,
                "empty name",
                record=f"line {line} (id {row['id'] or '?'})",
                fix="fill in the name or remove the row",
            )
        yield Query(row["id"], row["name"], row.get("country") or None)


def read_pairs(fh: IO[str], source: str) -> Iterator[tuple[str, str]]:
    """Name pairs from a CSV with ``name1,name2``."""
    for line, row in _reader(fh, source, ("name1", "name2")):
        if not row["name1"] or not row["name2"]:
            raise InputError(source, "empty name", record=f"line {line}", fix="fill in both names")
        yield row["name1"], row["name2"]


def _chunks(items: Iterable[Query], size: int) -> Iterator[list[Query]]:
    chunk: list[Query] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def screen_queries(
    screener: Screener,
    queries: Iterable[Query],
    *,
    limit: int = 5,
    progress: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """``{"id", "name", "matches": [...]}`` per query, best match first, at most ``limit``."""
    for chunk in _chunks(queries, CHUNK):
        results = screener.screen_many([(q.name, q.country) for q in chunk], limit=limit)
        for q, matches in zip(chunk, results, strict=True):
            rows = [m.to_json() for m in matches]
            yield {
                "id": q.id,
                "name": q.name,
                "matches": [{k: row[k] for k in MATCH_KEYS} for row in rows],
            }
        if progress is not None:
            progress(len(chunk))


def compare_pairs(pairs: Iterable[tuple[str, str]]) -> Iterator[dict[str, Any]]:
    """``{"score", "match", "explanation"}`` per pair."""
    for a, b in pairs:
        yield compare_names(a, b).to_json()
