"""Reading the text files users hand to bidvet: UTF-8, JSON and CSV, with one-line errors.

Importers, the YAML loader and ``screen --input`` share these readers so that damaged input
gives an :class:`~bidvet.errors.InputError` naming the file and the place, never a traceback:

* :func:`decode_utf8` — invalid UTF-8 names the byte offset (and its line);
* :func:`load_json` — invalid JSON names line and column; nesting deeper than
  :data:`MAX_NESTING` levels (100) is refused, so no input can exhaust Python's recursion
  limit further down;
* :func:`csv_records` — CSV records with their first line, a cell larger than the csv module's
  field limit (128 KiB) is an error naming the line, and a final record that looks cut off (it
  ends inside a quoted cell, or the file ends without the line break its publisher always
  writes) is reported separately so the importer rejects it with a note.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bidvet.errors import InputError

#: deepest nesting of JSON arrays/objects or YAML collections accepted in any input file
MAX_NESTING = 100
UTF8_FIX = "save the file as UTF-8 (most editors and spreadsheets offer it under 'Save as')"
BOM = b"\xef\xbb\xbf"
#: the largest CSV cell accepted, in characters (the csv module's own default limit; the
#: process-wide limit may have been raised by a library, so it is checked here explicitly)
MAX_CELL = 128 * 1024


def cell_too_large(path: str | Path, line: int, fix: str) -> InputError:
    return InputError(
        path, f"a cell is larger than {MAX_CELL} characters", record=f"line {line}", fix=fix
    )


def utf8_problem(raw: bytes) -> tuple[str, str] | None:
    """``(problem, "line N")`` when ``raw`` (after any BOM) is not valid UTF-8, else None."""
    body = raw[len(BOM) :] if raw.startswith(BOM) else raw
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        offset = exc.start + len(raw) - len(body)
        return f"not valid UTF-8 (byte 0x{body[exc.start]:02x} at byte offset {offset})", (
            f"line {line}"
        )
    return None


def decode_utf8(path: str | Path, raw: bytes) -> str:
    """``raw`` as text (a leading BOM dropped); invalid UTF-8 names the byte offset and line."""
    problem = utf8_problem(raw)
    if problem is not None:
        raise InputError(path, problem[0], record=problem[1], fix=UTF8_FIX)
    return (raw[len(BOM) :] if raw.startswith(BOM) else raw).decode("utf-8")


def read_utf8(path: Path) -> str:
    """The whole file as text; unreadable or not UTF-8 is an :class:`InputError`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})", fix="check the path") from None
    return decode_utf8(path, raw)


def nesting_depth(value: Any, limit: int = MAX_NESTING) -> int:
    """How deeply lists and dicts nest in ``value`` (a scalar is 0), counted without
    recursion; stops counting once ``limit`` is passed."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth) for child in children)
    return deepest


def check_nesting(path: str | Path, value: Any, record: str | None = None) -> None:
    if nesting_depth(value) > MAX_NESTING:
        raise InputError(
            path,
            f"nested more than {MAX_NESTING} levels deep",
            record=record,
            fix="no real export nests this deep; check that the file is the one you meant",
        )


def load_json(path: str | Path, text: str, record: str | None = None) -> Any:
    """Parse one JSON document; syntax errors and excessive nesting are :class:`InputError`."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"invalid JSON ({exc.msg})",
            record=f"{record or 'line ' + str(exc.lineno)} column {exc.colno}",
            fix="the file looks truncated or damaged; export or download it again",
        ) from None
    except RecursionError:
        raise InputError(
            path,
            f"nested more than {MAX_NESTING} levels deep",
            record=record,
            fix="no real export nests this deep; check that the file is the one you meant",
        ) from None
    check_nesting(path, value, record)
    return value


@dataclass(frozen=True, slots=True)
class CsvRecord:
    """One CSV record and the line it starts on (1-based)."""

    line: int
    cells: list[str]


@dataclass
class CsvFile:
    records: list[CsvRecord]
    #: why the final record looks cut off (it is not among ``records``), else None
    cut: str | None = None
    cut_line: int | None = None
    cut_cells: list[str] | None = None


def _ends_inside_quotes(raw: str, quotechar: str = '"', delimiter: str = ",") -> bool:
    """Whether the text of one record ends inside a quoted cell (a cut-off record)."""
    inside = False
    at_start = True
    i = 0
    while i < len(raw):
        ch = raw[i]
        if inside:
            if ch == quotechar:
                if i + 1 < len(raw) and raw[i + 1] == quotechar:
                    i += 1
                else:
                    inside = False
        elif at_start and ch == quotechar:
            inside = True
        at_start = ch in (delimiter, "\n", "\r") and not inside
        i += 1
    return inside


_HUGE_FIX = "a cell this large is not a list or register entry; check the export"


def csv_records(path: str | Path, text: str, *, final_newline: bool) -> CsvFile:
    """Every record of a CSV text with the line it starts on.

    The last record is held back as ``cut`` when it ends inside a quoted cell, or, when
    ``final_newline`` says the publisher always ends the file with a line break, when the text
    ends without one (a DOS end-of-file byte ``\\x1a`` after the break is allowed). A cell
    over the csv module's field limit, or any other CSV syntax error, is an InputError.
    """
    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(_Lines(lines), strict=False)
    out = CsvFile(records=[])
    start = 0
    try:
        for cells in reader:
            if any(len(cell) > MAX_CELL for cell in cells):
                raise cell_too_large(path, start + 1, _HUGE_FIX)
            out.records.append(CsvRecord(start + 1, cells))
            start = reader.line_num
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise cell_too_large(path, start + 1, _HUGE_FIX) from None
        line = reader.line_num
        raise InputError(
            path, f"malformed CSV ({exc})", record=f"line {line}", fix="check the export"
        ) from None
    if not out.records:
        return out
    last = out.records[-1]
    raw_last = "".join(lines[last.line - 1 :]).rstrip("\x1a")
    reason = None
    if _ends_inside_quotes(raw_last):
        reason = "the file ends inside a quoted cell"
    elif final_newline and raw_last.strip() and not raw_last.endswith(("\n", "\r")):
        reason = "the file ends without a line break, which the publisher always writes"
    if reason is not None:
        out.records.pop()
        out.cut, out.cut_line, out.cut_cells = reason, last.line, last.cells
    return out


class _Lines:
    """An iterator over lines that csv.reader reads (its ``line_num`` counts them)."""

    def __init__(self, lines: list[str]) -> None:
        self._it: Iterator[str] = iter(lines)

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        return next(self._it)
