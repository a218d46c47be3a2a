"""Streaming XML for the big list files: lxml ``iterparse`` over record elements, each cleared
once read, so a 20 MB list is parsed in seconds with flat memory; syntax errors become an
:class:`InputError` naming the line, in words of its own: libxml2's hints to programmers
("try XML_PARSE_HUGE") are removed from the message."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path

from lxml import etree

from bidvet.errors import InputError

XML_FIX = "the file looks truncated or damaged; download or export it again"
_LIBXML_HINT = re.compile(
    r"[,;:]?\s*(?:\((?:try|use)[^)]*XML_PARSE_\w+[^)]*\)|(?:try|use)?\s*XML_PARSE_\w+(?: option)?)",
    re.IGNORECASE,
)


def xml_problem(message: str | None) -> str:
    """libxml2's message without its hints to programmers (parser flags) or line suffix."""
    text = " ".join(_LIBXML_HINT.sub("", message or "").split()).rstrip(",;:")
    return re.sub(r",? line \d+, column \d+$", "", text).strip() or "syntax error"


def iter_elements(path: Path, tags: Collection[str]) -> Iterator[etree._Element]:
    """Yield each complete element whose local name is in ``tags`` (any namespace).

    The element is cleared after the consumer moves on, with the siblings read before it, so
    only the root and the current record stay in memory. The root element (with its
    attributes) stays reachable through ``element.getroottree().getroot()``.
    """
    context = etree.iterparse(
        str(path),
        events=("end",),
        tag=[f"{{*}}{tag}" for tag in tags],
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
    )
    try:
        for _event, elem in context:
            for node in (elem, elem.getroottree().getroot()):
                if isinstance(node.tag, str) and node.tag.count("}") > 1:
                    # a damaged namespace declaration ("}" inside the URI): names in it
                    # cannot be looked up
                    raise InputError(
                        path,
                        f"element {node.tag!r} has a damaged namespace",
                        record=f"line {node.sourceline}",
                        fix=XML_FIX,
                    )
            yield elem
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            while parent is not None and elem.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise InputError(
            path,
            f"malformed XML ({xml_problem(exc.msg)})",
            record=f"line {exc.lineno}",
            fix=XML_FIX,
        ) from None


def local_name(elem: etree._Element) -> str:
    return etree.QName(elem).localname


def _prefix(elem: etree._Element) -> str:
    """``{namespace}`` of ``elem`` (children of these list files share their parent's)."""
    tag = elem.tag
    return tag[: tag.index("}") + 1] if isinstance(tag, str) and tag.startswith("{") else ""


def child_text(elem: etree._Element, name: str) -> str | None:
    """The stripped text of the first child ``name`` (in ``elem``'s namespace), None when
    empty."""
    child = elem.find(_prefix(elem) + name)
    if child is None or child.text is None:
        return None
    text = child.text.strip()
    return text or None


def children(elem: etree._Element, path: str) -> list[etree._Element]:
    """Descendants along ``path`` of local names separated by ``/`` (``elem``'s namespace)."""
    prefix = _prefix(elem)
    if not prefix:
        return list(elem.iterfind(path))
    return list(elem.iterfind("/".join(prefix + part for part in path.split("/"))))
