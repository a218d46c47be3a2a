"""Mutations of a valid file: truncation, byte flips, invalid UTF-8, deep nesting, huge fields,
duplicated records, impossible dates and extreme numbers. Each is a hypothesis strategy giving
``(label, bytes)``; the label says what was changed, for failure reports."""

from __future__ import annotations

import re

from hypothesis import strategies as st

Mutated = tuple[str, bytes]

_DATE = re.compile(rb"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}")
_NUMBER = re.compile(rb"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
BAD_DATES = (b"2020-13-45", b"0000-00-00", b"2021-02-29", b"31/02/1980", b"99/99/9999")
EXTREME = (b"1e999", b"-1", b"NaN", b"99999999999999999999999", b"-0", b"1e-400", b"Infinity")


@st.composite
def truncate(draw: st.DrawFn, body: bytes) -> Mutated:
    cut = draw(st.integers(1, max(1, len(body) - 1)))
    return f"truncate at {cut}", body[:cut]


@st.composite
def flip(draw: st.DrawFn, body: bytes) -> Mutated:
    at = draw(st.integers(0, len(body) - 1))
    value = draw(st.integers(0, 255))
    return f"byte {at} -> {value:#04x}", body[:at] + bytes([value]) + body[at + 1 :]


@st.composite
def bad_utf8(draw: st.DrawFn, body: bytes) -> Mutated:
    at = draw(st.integers(0, len(body)))
    junk = draw(st.sampled_from([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf"]))
    return f"invalid UTF-8 {junk!r} at {at}", body[:at] + junk + body[at:]


@st.composite
def nest(draw: st.DrawFn, body: bytes) -> Mutated:
    depth = draw(st.sampled_from([50, 101, 1000, 20000]))
    opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}"), (b"<a>", b"</a>")]))
    at = draw(st.sampled_from([m.start() for m in re.finditer(rb"[\[{:>]", body)] or [0]))
    piece = opener * depth + (b"" if opener == b"<a>" else b"1") + closer * depth
    return f"nest {opener!r} x{depth} at {at}", body[: at + 1] + piece + body[at + 1 :]


@st.composite
def huge(draw: st.DrawFn, body: bytes) -> Mutated:
    size = draw(st.sampled_from([200_000, 2_000_000]))
    at = draw(st.integers(0, len(body)))
    return f"{size}-byte field at {at}", body[:at] + b"x" * size + body[at:]


@st.composite
def duplicate(draw: st.DrawFn, body: bytes) -> Mutated:
    lines = body.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    j = draw(st.integers(0, len(lines)))
    return f"line {i + 1} repeated at {j + 1}", b"\n".join([*lines[:j], lines[i], *lines[j:]])


@st.composite
def bad_date(draw: st.DrawFn, body: bytes) -> Mutated:
    found = list(_DATE.finditer(body))
    if not found:
        return "no date to spoil", body
    m = draw(st.sampled_from(found))
    bad = draw(st.sampled_from(BAD_DATES))
    return f"date {m.group()!r} -> {bad!r}", body[: m.start()] + bad + body[m.end() :]


@st.composite
def extreme_number(draw: st.DrawFn, body: bytes) -> Mutated:
    found = list(_NUMBER.finditer(body))
    if not found:
        return "no number to spoil", body
    m = draw(st.sampled_from(found))
    value = draw(st.sampled_from(EXTREME))
    return f"number {m.group()!r} -> {value!r}", body[: m.start()] + value + body[m.end() :]


STRATEGIES = (truncate, flip, bad_utf8, nest, huge, duplicate, bad_date, extreme_number)


def mutations(body: bytes) -> st.SearchStrategy[Mutated]:
    """One mutation of ``body`` (which must not be empty)."""
    return st.one_of(*(make(body) for make in STRATEGIES))
