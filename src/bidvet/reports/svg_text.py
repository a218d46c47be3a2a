"""Text handling shared by the SVG writers (ownership picture and charts).

SVG is XML: every name goes through :func:`xml_text` (escaped, characters XML forbids removed),
every coordinate through :func:`num` (fixed precision, so the same input gives the same bytes).
Widths are estimated from character counts because the writers must not depend on installed
fonts; the estimate errs wide so labels do not overflow their boxes.
"""

from __future__ import annotations

import re
from html import escape

#: characters XML 1.0 does not allow, even escaped
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: the font stack used in every picture: only fonts already on the reader's machine
FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif"


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
    """Estimate the rendered width of ``text`` (wide characters count double)."""
    units = sum(2.0 if ord(ch) > 0x2E7F else 1.0 for ch in text)
    return units * font_size * 0.62


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
