"""The PDF renders names in any script, and long URLs wrap without splitting their scheme."""

from __future__ import annotations

import io
import re
from itertools import pairwise
from typing import Any

import pytest
import tinycss2  # type: ignore[import-untyped]
from pypdf import PdfReader

from bidvet.reports import render
from bidvet.reports.html import render_html
from tests.reports.dom import elements, parse_html
from tests.reports.fonts import require_font

CHINESE = "同方威视技术股份有限公司"
CYRILLIC = "Северный Сканер ООО (fictional)"
ARABIC = "شركة الماسح الشمالي"
GREEK = "Τμήμα Εξωτερικών Υπηρεσιών (fictional)"
#: a long URL without hyphens of its own, so any hyphen in the PDF text was inserted
LONG_URL = (
    "https://www.example.org/registers/2020/12/22/entitylistadditionsrevisionsandremovals"
    "ofentitiesfromthelist/fullrecord?format=pdf&page=3&section=supplementnumberfour"
)
SCHEME = "https://"


def _pdf_text_and_fonts(pdf: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources is not None else None
        if font_dict is None:
            continue
        for ref in font_dict.get_object().values():
            fonts.add(str(ref.get_object().get("/BaseFont")))
    return "\n".join(page.extract_text() for page in reader.pages), fonts


def test_pdf_embeds_a_cjk_font_and_keeps_every_script(sample_report: dict[str, Any]) -> None:
    require_font("Noto Sans CJK SC:style=Regular")
    require_font("Noto Sans Arabic:style=Regular")
    for bidder, name in zip(sample_report["bidders"], (CHINESE, CYRILLIC, ARABIC), strict=True):
        bidder["name"] = name
    sample_report["tender"]["buyer"] = GREEK
    text, fonts = _pdf_text_and_fonts(render(sample_report, "pdf"))
    assert any("CJK" in font for font in fonts), fonts
    for name in (CHINESE, CYRILLIC, ARABIC, GREEK):
        assert name in text, name


def test_stylesheet_names_the_fonts_and_wraps_urls_anywhere(
    sample_report: dict[str, Any],
) -> None:
    root = parse_html(render_html(sample_report))
    css = "".join(root.xpath("//style/text()"))
    declarations: dict[str, dict[str, str]] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
        for decl in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True):
            if decl.type == "declaration":
                value = tinycss2.serialize(decl.value).strip()
                for selector in selectors:
                    declarations.setdefault(selector, {})[decl.lower_name] = value
    for selector in ("a", ".mono"):
        assert declarations[selector].get("overflow-wrap") == "anywhere", selector
        assert declarations[selector].get("hyphens") in {"manual", "none"}, selector
    assert "break-all" not in css, "break-all splits URLs anywhere, the scheme included"
    stack = declarations[":root"]["--sans"]
    assert re.search(r'"Noto Sans CJK SC"', stack) and '"Noto Sans Arabic"' in stack
    # every URL shown as text sits in an element that carries the wrapping rule
    shown = elements(root, "//*[starts-with(normalize-space(text()), 'http')]")
    assert shown
    assert all(el.tag == "a" or "mono" in (el.get("class") or "") for el in shown)


def test_long_urls_wrap_in_the_pdf_without_splitting_the_scheme(
    sample_report: dict[str, Any],
) -> None:
    require_font("DejaVu Sans:style=Book")
    finding = sample_report["bidders"][0]["findings"][0]
    template = finding["evidence"][0]
    evidence = []
    # titles of growing length put the URL at a different point of the line each time
    for length in range(0, 72, 4):
        item = {**template, "source": {**template["source"], "url": LONG_URL}}
        item["source"]["title"] = ("Fictional register notice " + "x" * length).strip()
        evidence.append(item)
    finding["evidence"] = evidence
    text, _ = _pdf_text_and_fonts(render(sample_report, "pdf"))
    lines = text.splitlines()
    for line, following in pairwise(lines):
        for cut in range(1, len(SCHEME)):
            split = line.endswith(SCHEME[:cut]) and following.startswith(SCHEME[cut:])
            assert not split, f"scheme split across lines: {line!r} / {following!r}"
    # the URL is wider than the column, so it did wrap
    assert not any(LONG_URL in line for line in lines)
    joined = "".join(lines)
    # each shown URL survives whole once line breaks are removed: no hyphen inserted, nothing lost
    assert joined.count(LONG_URL) >= len(evidence)
    assert "\u2010" not in joined


@pytest.mark.parametrize("name", [CHINESE, GREEK])
def test_html_keeps_names_in_their_script(sample_report: dict[str, Any], name: str) -> None:
    sample_report["bidders"][0]["name"] = name
    assert name in render_html(sample_report)
