"""Locating installed fonts (through fontconfig) and measuring text with their real metrics.

The report stylesheet and the SVG writers name DejaVu Sans and Noto Sans CJK; ``scripts/setup``
installs them (Debian: fonts-dejavu-core, fonts-noto-cjk, fonts-noto-core). Tests that need a
face skip, naming the missing package, only when fontconfig cannot find it.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]

#: fontconfig pattern → the Debian package that provides it
PACKAGES = {
    "DejaVu Sans:style=Book": "fonts-dejavu-core",
    "DejaVu Sans:style=Bold": "fonts-dejavu-core",
    "Noto Sans CJK SC:style=Regular": "fonts-noto-cjk",
    "Noto Sans CJK SC:style=Bold": "fonts-noto-cjk",
    "Noto Sans Arabic:style=Regular": "fonts-noto-core",
}


@cache
def font_file(pattern: str) -> Path | None:
    """The file of the face matching ``pattern`` exactly (family and style), or None."""
    if shutil.which("fc-list") is None:
        return None
    found = subprocess.run(
        ["fc-list", "-f", "%{file}\n", pattern], capture_output=True, text=True, check=False
    ).stdout.split()
    return Path(sorted(found)[0]) if found else None


def require_font(pattern: str) -> Path:
    """The face's file, or skip the test naming the Debian package to install."""
    path = font_file(pattern)
    if path is None:
        pytest.skip(f"font {pattern!r} not installed (Debian package {PACKAGES[pattern]})")
    return path


@cache
def _advances(path: Path) -> tuple[dict[int, float], float]:
    """Advance width per code point, in em, of the first face in ``path``."""
    font = TTCollection(str(path)).fonts[0] if path.suffix.lower() == ".ttc" else TTFont(path)
    upm = float(font["head"].unitsPerEm)
    hmtx = font["hmtx"]
    widths = {cp: hmtx[glyph][0] / upm for cp, glyph in font.getBestCmap().items()}
    return widths, upm


def measured_width(text: str, font_size: float, faces: list[Path]) -> float:
    """Width of ``text`` in pixels, each character from the first face that has it."""
    total = 0.0
    for ch in text:
        for face in faces:
            widths, _ = _advances(face)
            if ord(ch) in widths:
                total += widths[ord(ch)] * font_size
                break
        else:
            raise AssertionError(f"no installed face has {ch!r}")
    return total
