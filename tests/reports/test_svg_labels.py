"""Ownership-picture labels fit their nodes, measured with the real fonts' advance widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bidvet.reports.svg import LABEL_W, NAME_LINES, NODE_PAD, ownership_svg
from bidvet.reports.svg_text import ELLIPSIS, fit_lines, text_width
from tests.reports.dom import parse_xml
from tests.reports.fonts import measured_width, require_font

SVG_NS = "{http://www.w3.org/2000/svg}"
LONG = (
    "Grand Fictional Consolidated Amalgamated Holdings International Worldwide Investments "
    "and Technology Development Corporation Limited (Registered Overseas Branch)"
)
CJK = "同方威视技术股份有限公司"
LONG_CJK = (
    "虚构国家核工业集团资本控股有限公司北京高新技术研究开发中心有限责任公司"
    "第一国际贸易与工程技术服务分公司"
)
UNBROKEN = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAWWWWWWWWWWWWWWWWWWWWWWWWW"


def _faces(bold: bool) -> list[Path]:
    style = "Bold" if bold else "Book"
    return [
        require_font(f"DejaVu Sans:style={style}"),
        require_font(f"Noto Sans CJK SC:style={'Bold' if bold else 'Regular'}"),
    ]


def _ownership() -> dict[str, Any]:
    return {
        "owners": [
            {
                "id": "fict-long",
                "name": LONG,
                "path": ["fict-long", "fict-cjk", "fict-bidder"],
                "effective_share": 0.3333,
                "listed": True,
            },
            {"id": "fict-cjk", "name": CJK, "path": ["fict-cjk", "fict-bidder"]},
            {"id": "fict-long-cjk", "name": LONG_CJK, "path": ["fict-long-cjk", "fict-bidder"]},
            {"id": "fict-unbroken", "name": UNBROKEN, "path": ["fict-unbroken", "fict-bidder"]},
        ],
        "state_link_paths": [["fict-long", "fict-cjk", "fict-bidder"]],
    }


def _svg() -> Any:
    svg = ownership_svg(_ownership(), subject_id="fict-bidder", subject_name="Fictional Bidder")
    assert svg is not None
    return parse_xml(svg)


def test_no_label_is_wider_than_its_node() -> None:
    root = _svg()
    checked = 0
    for node in root.iter(f"{SVG_NS}g"):
        if node.get("class") != "node":
            continue
        rect = node.find(f"{SVG_NS}rect")
        assert rect is not None
        left = float(rect.get("x") or 0)
        right = left + float(rect.get("width") or 0)
        for text in node.findall(f"{SVG_NS}text"):
            bold = text.get("font-weight") == "bold"
            size = float(text.get("font-size") or 0)
            width = measured_width(text.text or "", size, _faces(bold))
            centre = float(text.get("x") or 0)
            assert text.get("text-anchor") == "middle"
            assert centre - width / 2 >= left + NODE_PAD / 2, (text.text, width)
            assert centre + width / 2 <= right - NODE_PAD / 2, (text.text, width)
            checked += 1
    assert checked >= 10


def _names(root: Any, entity_id: str) -> tuple[list[str], str]:
    node = next(g for g in root.iter(f"{SVG_NS}g") if g.get("id") == f"n-{entity_id}")
    lines = [t.text or "" for t in node.findall(f"{SVG_NS}text") if t.get("class") == "name"]
    title = node.find(f"{SVG_NS}title")
    assert title is not None
    return lines, title.text or ""


def test_long_names_are_cut_with_an_ellipsis_and_kept_whole_in_the_title() -> None:
    root = _svg()
    for entity_id, name in (("fict-long", LONG), ("fict-long-cjk", LONG_CJK)):
        lines, title = _names(root, entity_id)
        assert 2 <= len(lines) <= NAME_LINES
        assert lines[-1].endswith(ELLIPSIS)
        assert title.startswith(name)
        # what is shown is the start of the name, in order
        shown = "".join(lines)[: -len(ELLIPSIS)].replace(" ", "")
        assert name.replace(" ", "").startswith(shown)


def test_a_name_that_fits_is_shown_whole() -> None:
    root = _svg()
    lines, _ = _names(root, "fict-cjk")
    assert lines == [CJK]
    lines, _ = _names(root, "fict-unbroken")
    assert "".join(lines) == UNBROKEN or lines[-1].endswith(ELLIPSIS)
    assert all("-" not in line for line in lines), "no hyphen is inserted when a word is broken"


@pytest.mark.parametrize(
    "text",
    [
        "WWWWWWWWWW MMMMMMMMMM",
        "NUCTECH COMPANY LIMITED",
        "Northwind Optics & Imaging (Holdings) plc",
        "СЕВЕРНЫЙ СКАНЕР ОБЩЕСТВО",
        "ΤΜΗΜΑ ΕΞΩΤΕΡΙΚΩΝ ΥΠΗΡΕΣΙΩΝ",
        CJK,
        "0123456789 %%%",
    ],
)
def test_width_estimate_is_never_narrower_than_the_bold_face(text: str) -> None:
    real = measured_width(text, 12, _faces(bold=True))
    assert text_width(text, 12) >= real


def test_fit_lines_respects_width_and_line_count() -> None:
    for text in (LONG, LONG_CJK, UNBROKEN, CJK, "Kestrel"):
        lines = fit_lines(text, LABEL_W, 12, NAME_LINES)
        assert 1 <= len(lines) <= NAME_LINES
        assert all(text_width(line, 12) <= LABEL_W for line in lines)
    assert fit_lines("Kestrel Imaging Ltd", LABEL_W, 12, NAME_LINES) == ["Kestrel Imaging Ltd"]
    assert fit_lines("", LABEL_W, 12, NAME_LINES) == [""]
