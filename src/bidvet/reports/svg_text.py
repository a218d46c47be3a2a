"""Text handling shared by the SVG writers (ownership picture and charts).

SVG is XML: every name goes through :func:`xml_text` (escaped, characters XML forbids removed),
every coordinate through :func:`num` (fixed precision, so the same input gives the same bytes).
Widths are estimated per character class because the writers must not depend on installed
fonts. The classes are calibrated on DejaVu Sans Bold, the widest face the pictures use for Latin,
Greek and Cyrillic; CJK ideographs and other full-width characters count one em (Noto Sans CJK).
The estimate errs wide so labels do not overflow their boxes.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

#: characters XML 1.0 does not allow, even escaped
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: the font stack used in every picture: fonts on the reader's machine, with CJK and Arabic
#: faces named so a PDF renderer picks them for names in those scripts
FONT_FAMILY = (
    "DejaVu Sans, Noto Sans, Noto Sans CJK SC, Noto Sans Arabic, Helvetica, Arial, sans-serif"
)

ELLIPSIS = "…"

#: advance widths in em, rounded up from DejaVu Sans Bold
_NARROW = frozenset(" .,:;'|!iljI")
_SLIM = frozenset('ftr()[]{}-/\\"`')
_WIDE_LATIN = frozenset("mwMW%@&…—")


def char_width(ch: str) -> float:
    """Estimated advance width of one character, in em."""
    if ch in _NARROW:
        return 0.40
    if ch in _SLIM:
        return 0.50
    if ch in _WIDE_LATIN:
        return 1.12
    if ch.isascii():
        if ch.isupper():
            return 0.86
        if ch.isdigit():
            return 0.70
        return 0.66
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if unicodedata.combining(ch):
        return 0.0
    return 1.0 if ch.isupper() else 0.85


def xml_text(value: object) -> str:
    """Escape ``value`` for use in SVG text or a quoted attribute."""
    return escape(_INVALID_XML.sub("", str(value)), quote=True)


def num(value: float) -> str:
    """Format a coordinate with at most one decimal, without trailing zeros."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def text_width(text: str, font_size: float) -> float:
    """Estimate the rendered width of ``text`` at ``font_size`` pixels (errs wide)."""
    return sum(char_width(ch) for ch in text) * font_size


def _cut(text: str, max_width: float, font_size: float) -> tuple[str, str]:
    """Split ``text`` after the longest prefix that fits ``max_width`` (at least one char)."""
    used = 0.0
    for index, ch in enumerate(text):
        used += char_width(ch) * font_size
        if used > max_width:
            index = max(index, 1)
            return text[:index], text[index:]
    return text, ""


def ellipsize(text: str, max_width: float, font_size: float) -> str:
    """``text`` if it fits ``max_width``, else its longest fitting prefix followed by "…"."""
    if text_width(text, font_size) <= max_width:
        return text
    room = max_width - text_width(ELLIPSIS, font_size)
    head, _ = _cut(text, room, font_size) if room > 0 else ("", text)
    return head.rstrip(" ,;:-/") + ELLIPSIS


def fit_lines(text: str, max_width: float, font_size: float, max_lines: int) -> list[str]:
    """Wrap ``text`` into at most ``max_lines`` lines no wider than ``max_width`` pixels.

    Lines break between words; a word (or a run of CJK characters, which has no spaces) wider
    than a line is broken between characters, with no hyphen added. When the text needs more
    lines, the last one kept ends with an ellipsis. Every returned line fits ``max_width``.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        chunks: list[str] = []
        rest = word
        while text_width(rest, font_size) > max_width:
            head, rest = _cut(rest, max_width, font_size)
            chunks.append(head)
        chunks.append(rest)
        for index, chunk in enumerate(chunks):
            joiner = " " if index == 0 else ""
            candidate = f"{current}{joiner}{chunk}" if current else chunk
            if text_width(candidate, font_size) <= max_width:
                current = candidate
            else:
                lines.append(current)
                current = chunk
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines or [""]
    kept = lines[:max_lines]
    kept[-1] = ellipsize(f"{kept[-1]} {lines[max_lines]}", max_width, font_size)
    return kept


def wrap(text: str, max_chars: int, max_lines: int) -> list[str]:
    """Split ``text`` into at most ``max_lines`` lines, ending with an ellipsis if cut."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > max_chars:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: max_chars - 1] + "-")
            word = word[max_chars - 1 :]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= max_chars:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        kept[-1] = (last[: max_chars - 1] if len(last) >= max_chars else last) + "…"
        return kept
    return lines or [""]


def truncate(text: str, max_chars: int) -> str:
    """Shorten ``text`` to ``max_chars`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"
