"""Typed helpers for reading rendered HTML/SVG in tests (lxml's XPath results are untyped)."""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree


def parse_html(document: str | bytes) -> Any:
    """Parse an HTML document; the root element."""
    return lxml.html.fromstring(document)


def parse_xml(document: str) -> etree._Element:
    """Parse an XML (SVG) document strictly; raises on malformed input."""
    return etree.fromstring(document.encode("utf-8"))


def strings(node: Any, xpath: str) -> list[str]:
    """The XPath result as strings (attribute values, text nodes)."""
    result = node.xpath(xpath)
    assert isinstance(result, list), result
    return [str(item) for item in result]


def elements(node: Any, xpath: str) -> list[Any]:
    """The XPath result as a list of elements."""
    result = node.xpath(xpath)
    assert isinstance(result, list), result
    return list(result)


def text(node: Any, xpath: str = ".") -> str:
    """All text under the first match of ``xpath`` (XPath ``string()``)."""
    return str(node.xpath(f"string({xpath})"))


def all_text(element: etree._Element) -> str:
    """All text inside an element, concatenated."""
    return "".join(str(part) for part in element.itertext())
