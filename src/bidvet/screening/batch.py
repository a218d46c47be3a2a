"""Batch screening and comparison over CSV input, as library functions the CLI wraps.

Input CSVs: screening reads ``id,name`` (optional ``country``; other columns are ignored),
comparison reads ``name1,name2``. Each output record is one JSON-ready dict, in input order.

A batch of :data:`PARALLEL_MIN` queries or more is matched by worker processes (``workers``,
default :func:`~bidvet.forking.usable_cores`): each is forked from this one, so it shares the
loaded index and catalog instead of reading them again, matches chunks of :data:`CHUNK` queries
and sends back the raw matches; listings are then read here, one store query per chunk, and
records are written in input order.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from bidvet.errors import InputError
from bidvet.forking import usable_cores
from bidvet.screening.engine import Match, Screener, near_names
from bidvet.screening.matcher import RawMatch, match_chunks
from bidvet.screening.score import compare_names
from bidvet.text_input import MAX_CELL, cell_too_large

CHUNK = 500
#: batches at least this large are matched by worker processes
PARALLEL_MIN = 2 * CHUNK
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
        # the underlying reader's count: DictReader's own is not advanced for the failed line
        line = reader.reader.line_num
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


def _raw_matches(
    screener: Screener, chunks: Iterator[list[Query]], limit: int, workers: int
) -> Iterator[tuple[list[Query], list[list[RawMatch]]]]:
    """Each chunk with its raw matches, in order; by worker processes when the batch is large
    (:data:`PARALLEL_MIN`) and there is more than one worker."""
    first = list(itertools.islice(chunks, 2))
    rest = itertools.chain(first, chunks)
    matcher = screener.matcher
    if workers <= 1 or len(first) < 2 or sum(map(len, first)) < PARALLEL_MIN:
        for chunk in rest:
            yield chunk, matcher.match_many([(q.name, q.country) for q in chunk], limit=limit)
        return
    # read here, not while the workers run, so bad input fails here
    all_chunks = list(rest)
    matcher.catalog.prepare_for_many()  # once here, not once in each worker
    rows = [[(q.name, q.country) for q in chunk] for chunk in all_chunks]
    yield from zip(all_chunks, match_chunks(matcher, rows, limit, workers), strict=True)


def screen_chunks(
    screener: Screener,
    queries: Iterable[Query],
    *,
    limit: int = 5,
    workers: int | None = None,
) -> Iterator[tuple[list[Query], list[list[Match]]]]:
    """The queries in chunks of :data:`CHUNK`, in input order, each with its matches (best
    first, at most ``limit``). ``workers``: processes matching a large batch (default
    the cores this process may use, :func:`~bidvet.forking.usable_cores`; 1 matches in
    this process)."""
    n_workers = usable_cores() if workers is None else workers
    for chunk, raws in _raw_matches(screener, _chunks(queries, CHUNK), limit, n_workers):
        yield chunk, screener.finish(raws)


def batch_record(
    query: Query,
    matches: Sequence[Match],
    algorithm: str,
    not_in_force: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """``{"id", "name", "algorithm", "matches": [...], "near_names": [...]}`` for one query:
    each match with the keys of :data:`MATCH_KEYS` (DESIGN.md's contract), a cluster's also
    with ``cluster`` (its canonical id and members) and ``cluster_id``, and one with listings
    the store holds but not in force on the screening date (``not_in_force``, from
    ``bidvet.resolution.clusters.not_in_force_many``) also with ``not_in_force``;
    ``near_names`` are the matches below the threshold (see
    :func:`bidvet.screening.engine.near_names`)."""
    rows = []
    for m in matches:
        full = m.to_json()
        row = {k: full[k] for k in MATCH_KEYS}
        if "cluster" in full:
            row["cluster"] = full["cluster"]
            row["cluster_id"] = full["cluster"]["canonical_id"]
        if not_in_force and not_in_force.get(m.entity_id):
            row["not_in_force"] = not_in_force[m.entity_id]
        rows.append(row)
    return {
        "id": query.id,
        "name": query.name,
        "algorithm": algorithm,
        "matches": rows,
        "near_names": near_names(matches),
    }


def compare_pairs(
    pairs: Iterable[tuple[str, str]], *, person: bool = False
) -> Iterator[dict[str, Any]]:
    """``{"score", "match", "explanation"}`` per pair (``person``: see
    :func:`~bidvet.screening.score.compare_names`)."""
    for a, b in pairs:
        yield compare_names(a, b, person=person).to_json()
