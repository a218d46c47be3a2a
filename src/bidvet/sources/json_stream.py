"""Reading the records of a JSON file too large to hold in memory, one at a time.

Three shapes are read: one object whose member ``key`` holds the array of records
(``{"records": [...]}``, other members are yielded once each as :class:`Member`), a top-level
array of records, and records written one after another (JSON lines). The file is decoded in
blocks of :data:`BLOCK` bytes; each record is parsed with the standard library's C decoder and
the text before it dropped, so memory holds one block and one record, whatever the file's
size. A syntax error anywhere is an :class:`~bidvet.errors.InputError` naming the line and
column, invalid UTF-8 one naming the byte offset; a record nested more than
:data:`~bidvet.text_input.MAX_NESTING` levels deep rejects the file like any other JSON input.
"""

from __future__ import annotations

import codecs
import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bidvet.errors import InputError
from bidvet.text_input import BOM, MAX_NESTING, UTF8_FIX, check_nesting, nesting_depth

BLOCK = 1 << 20
#: a record not complete after this many characters is refused (no real record comes close)
MAX_RECORD = 64 << 20
JSON_FIX = "the file looks truncated or damaged; download it again"
_NON_WS = re.compile(r"[^ \t\n\r]")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class Member:
    """A top-level member other than the records (a header, for instance)."""

    key: str
    value: Any


@dataclass(frozen=True, slots=True)
class Record:
    number: int
    value: Any
    #: whether the record's text may hold the ``mark`` given to :func:`iter_json_records`: it
    #: holds the mark, or a backslash (an escape could spell it); always True without a mark
    marked: bool = True


class _Text:
    """A window on the decoded file: ``buf[pos:]`` is what is not yet consumed."""

    def __init__(self, path: Path, fh: IO[bytes]) -> None:
        self.path = path
        self.fh = fh
        self.buf = ""
        self.pos = 0
        self.start = 0  # where the last value read began
        self.eof = False
        self.offset = 0  # bytes read so far
        self.line = 1  # line at buf[0]
        self.column = 1  # column at buf[0]
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")

    def more(self) -> None:
        """Drop the consumed text and append the next block (sets ``eof`` at the end)."""
        raw = self.fh.read(BLOCK)
        if self.offset == 0 and raw.startswith(BOM):
            raw, self.offset = raw[len(BOM) :], len(BOM)
        try:
            new = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise InputError(
                self.path,
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte offset "
                f"{self.offset + exc.start})",
                record=f"after line {self.line}",
                fix=UTF8_FIX,
            ) from None
        self.offset += len(raw)
        self.eof = not raw
        if self.pos:
            newlines = self.buf.count("\n", 0, self.pos)
            if newlines:
                self.line += newlines
                self.column = self.pos - self.buf.rfind("\n", 0, self.pos)
            else:
                self.column += self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += new

    def where(self, pos: int) -> str:
        line = self.line + self.buf.count("\n", 0, pos)
        newline = self.buf.rfind("\n", 0, pos)
        column = pos - newline if newline >= 0 else self.column + pos
        return f"line {line} column {column}"

    def error(self, message: str, pos: int) -> InputError:
        return InputError(self.path, message, record=self.where(pos), fix=JSON_FIX)

    def peek(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            found = _NON_WS.search(self.buf, self.pos)
            if found is not None:
                self.pos = found.start()
                return self.buf[self.pos]
            self.pos = len(self.buf)
            if self.eof:
                return ""
            self.more()

    def holds(self, mark: str) -> bool:
        """Whether the text of the last value read may hold ``mark`` (see :class:`Record`)."""
        buf, start, end = self.buf, self.start, self.pos
        return buf.find(mark, start, end) >= 0 or buf.find("\\", start, end) >= 0

    def take(self, char: str, what: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "the end of the file"
            raise self.error(f"invalid JSON (expected {what}, found {shown})", self.pos)
        self.pos += 1

    def value(self) -> Any:
        """The next complete JSON value."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self.buf) - 64 or exc.msg.startswith("Unterminated")
                if self.eof or not near_end or len(self.buf) - self.pos > MAX_RECORD:
                    raise self.error(f"invalid JSON ({exc.msg})", exc.pos) from None
                self.more()
                continue
            except RecursionError:
                raise self.error(
                    f"invalid JSON (nested more than {MAX_NESTING} levels deep)", self.pos
                ) from None
            if end == len(self.buf) and not self.eof:  # a number may go on in the next block
                self.more()
                continue
            self.start = start = self.pos
            self.pos = end
            # a cheap bound first: a value cannot nest deeper than it has brackets
            if (
                self.buf.count("{", start, end) + self.buf.count("[", start, end) > MAX_NESTING
                and nesting_depth(value) > MAX_NESTING
            ):
                check_nesting(self.path, value, self.where(start))
            return value


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while millions of acyclic records are built: each of its
    full passes walks every object already held, so reading slows down as the batch grows.
    Reference counting still frees everything at once; the previous state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def iter_json_records(
    path: Path, key: str = "records", mark: str | None = None
) -> Iterator[Record | Member]:
    """The records of ``path`` in file order, and any other top-level members; with ``mark``,
    each record says whether its text may hold it (:attr:`Record.marked`)."""
    with path.open("rb") as fh:
        text = _Text(path, fh)
        first = text.peek()
        if first == "[":
            text.pos += 1
            yield from _array(text, 0, mark)
        elif first == "{":
            yield from _object_or_lines(text, key, mark)
        else:
            shown = repr(first) if first else "nothing"
            raise text.error(f"invalid JSON (expected an object or array, found {shown})", 0)
        if text.peek():
            raise text.error("invalid JSON (more data after the end of the document)", text.pos)


def _record(text: _Text, count: int, mark: str | None) -> Record:
    value = text.value()
    return Record(count, value, True if mark is None else text.holds(mark))


def _array(text: _Text, count: int, mark: str | None) -> Iterator[Record]:
    """The elements of an array whose ``[`` is consumed."""
    if text.peek() == "]":
        text.pos += 1
        return
    while True:
        count += 1
        yield _record(text, count, mark)
        if text.peek() == "]":
            text.pos += 1
            return
        text.take(",", "',' or ']' after a record")


def _object_or_lines(text: _Text, key: str, mark: str | None) -> Iterator[Record | Member]:
    """A top-level object: the container of the records when it has ``key``, else the first of
    records written one after another."""
    text.take("{", "'{'")
    members: dict[str, Any] = {}
    container = False
    if text.peek() == "}":
        text.pos += 1
    else:
        while True:
            if text.peek() != '"':
                raise text.error("invalid JSON (expected a member name)", text.pos)
            name = text.value()
            text.take(":", "':' after a member name")
            if name == key and text.peek() == "[":
                text.pos += 1
                container = True
                yield from _array(text, 0, mark)
            else:
                members[name] = text.value()
            if text.peek() == "}":
                text.pos += 1
                break
            text.take(",", "',' or '}' between members")
    if container:
        for name, value in members.items():
            yield Member(name, value)
        return
    count = 1
    yield Record(count, members)  # read member by member: taken to hold the mark
    while text.peek():
        count += 1
        yield _record(text, count, mark)
