"""GLEIF Golden Copy XML: LEI-CDF 3.1 entities, RR-CDF 2.1 relationships, reporting exceptions.

* ``gleif-lei`` — each ``LEIRecord`` becomes entity ``lei-<LEI>`` with the LEI as identifier,
  legal and other names, legal jurisdiction (``US-MA`` → ``us``) and address countries.
* ``gleif-rr`` — each ``RelationshipRecord`` becomes one ownership edge from the parent
  (``EndNode``) to the child (``StartNode``). ``IS_DIRECTLY_CONSOLIDATED_BY`` gives kind
  ``consolidation-direct`` and ``IS_ULTIMATELY_CONSOLIDATED_BY`` ``consolidation-ultimate``
  (kept apart: the ultimate edge skips the layers in between); fund relations are kept as
  ``fund-management`` / ``subfund`` / ``fund-feeder``, which the ownership algorithms do not
  walk. Dates come from the ``RELATIONSHIP_PERIOD``. Accounting consolidation says control,
  not a share, so shares stay unknown; a consolidation percentage is noted in the quality log.
* ``gleif-repex`` — each reporting exception (an entity declaring why it reports no parent)
  becomes an edge from a declared-unknown owner ``unspecified:<REASON>:<category>:<LEI>`` so
  reports show it, and a note in the quality log.

GLEIF data is CC0. The files are read with lxml's iterparse, so full Golden Copy files stream.
The mapping itself is shared with the JSON Golden Copy (:mod:`bidvet.sources.gleif_records`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from bidvet.dates import logged_date
from bidvet.model.quality import QualityLog
from bidvet.model.records import ImportBatch
from bidvet.sources.gleif_records import (
    LEI_URL,
    RELATIONSHIP_KINDS,
    SOURCE,
    exception_edge,
    lei_entity,
    relationship_edge,
)
from bidvet.sources.registry import Importer, register
from bidvet.sources.xml_reading import iter_elements

__all__ = ["LEI_URL", "RELATIONSHIP_KINDS", "SOURCE"]

LEI_NS = "http://www.gleif.org/data/schema/leidata/2016"
RR_NS = "http://www.gleif.org/data/schema/rr/2016"
REPEX_NS = "http://www.gleif.org/data/schema/repex/2016"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class XmlNode:
    """An lxml element seen through :class:`bidvet.sources.gleif_records.Node`."""

    __slots__ = ("elem", "ns")

    def __init__(self, elem: etree._Element, ns: str) -> None:
        self.elem = elem
        self.ns = ns

    def find(self, name: str) -> XmlNode | None:
        found = self.elem.find(f"{{{self.ns}}}{name}")
        return None if found is None else XmlNode(found, self.ns)

    def iter(self, *names: str) -> Iterator[XmlNode]:
        for elem in self.elem.iter(*(f"{{{self.ns}}}{name}" for name in names)):
            yield XmlNode(elem, self.ns)

    def value(self) -> str | None:
        return None if self.elem.text is None else (self.elem.text.strip() or None)

    def text(self, *steps: str) -> str | None:
        node: etree._Element | None = self.elem
        for step in steps:
            if node is None:
                return None
            node = node.find(f"{{{self.ns}}}{step}")
        if node is None or node.text is None:
            return None
        return node.text.strip() or None

    def attr(self, name: str) -> str | None:
        return self.elem.get(name)

    def lang(self) -> str | None:
        return self.elem.get(XML_LANG)


def _records(path: Path, ns: str, tag: str) -> Iterator[XmlNode]:
    """Stream the ``{ns}tag`` elements of a file, freeing each after use (entities are not
    resolved, nothing is fetched; a syntax error is an InputError naming the line)."""
    for elem in iter_elements(path, (tag,)):
        if elem.tag == f"{{{ns}}}{tag}":
            yield XmlNode(elem, ns)


def _content_date(path: Path, log: QualityLog) -> dt.date | None:
    with path.open("rb") as fh:
        head = fh.read(4096).decode("utf-8", errors="replace")
    start = head.find("ContentDate>")
    if start < 0:
        return None
    text = head[start + len("ContentDate>") : start + len("ContentDate>") + 10]
    return logged_date(text, log, record="Header", field="ContentDate")


@register
class GleifLeiImporter(Importer):
    format = "gleif-lei"
    title = "GLEIF LEI-CDF 3.1 XML"
    priority = 20

    def sniff(self, path: Path, head: str) -> bool:
        return LEI_NS in head and "LEIData" in head

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(
            dataset="gleif-lei",
            format=self.format,
            quality=log,
            published=_content_date(path, log),
        )
        for n, rec in enumerate(_records(path, LEI_NS, "LEIRecord"), start=1):
            entity = lei_entity(rec, n, log)
            if entity is not None:
                batch.entities.append(entity)
                batch.imported += 1
        return batch


@register
class GleifRelationshipImporter(Importer):
    format = "gleif-rr"
    title = "GLEIF RR-CDF 2.1 relationship XML"
    priority = 20

    def sniff(self, path: Path, head: str) -> bool:
        return RR_NS in head and "RelationshipData" in head

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        published = _content_date(path, log)
        batch = ImportBatch(
            dataset="gleif-rr", format=self.format, quality=log, published=published
        )
        counts: dict[str, int] = {}
        for n, rec in enumerate(_records(path, RR_NS, "RelationshipRecord"), start=1):
            edge = relationship_edge(rec, n, log)
            if edge is not None:
                batch.ownerships.append(edge)
                counts[edge.kind] = counts.get(edge.kind, 0) + 1
                batch.imported += 1
        batch.extra["relationships"] = dict(sorted(counts.items()))
        return batch


@register
class GleifExceptionImporter(Importer):
    format = "gleif-repex"
    title = "GLEIF reporting exceptions XML"
    priority = 20

    def sniff(self, path: Path, head: str) -> bool:
        return REPEX_NS in head and "ReportingExceptionData" in head

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(
            dataset="gleif-repex",
            format=self.format,
            quality=log,
            published=_content_date(path, log),
        )
        for n, rec in enumerate(_records(path, REPEX_NS, "Exception"), start=1):
            edge = exception_edge(rec, n, log)
            if edge is not None:
                batch.ownerships.append(edge)
                batch.imported += 1
        return batch
