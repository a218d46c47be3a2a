"""GLEIF Golden Copy JSON: LEI-CDF entities, RR-CDF relationships, reporting exceptions.

GLEIF publishes each Golden Copy file also as JSON: ``{"records": [...]}`` where each record
is the XML record with every element an object, its text under ``"$"`` and its attributes
under ``"@name"`` (``{"LEI": {"$": "…"}, "Entity": {"LegalName": {"@xml:lang": "en",
"$": "…"}, …}}``); an element that repeats is an array. A file of records written one per
line, or a bare array of them, is read the same way.

* ``gleif-lei-json``, ``gleif-rr-json``, ``gleif-repex-json`` map each record exactly as
  ``gleif-lei``, ``gleif-rr`` and ``gleif-repex`` do (:mod:`bidvet.sources.gleif_records`):
  the same entity ids ``lei-<LEI>``, edge kinds, keys, dates and sources, so the XML and the
  JSON of one publication give the same store.
* The files stream (:mod:`bidvet.sources.json_stream`): records are read one at a time from a
  1 MiB window, never the whole file. The records made from them are held until the file is
  written in one transaction, as with every importer, so memory grows with the number of
  records (a few KB each), not with the JSON text. A record that is not an object, or lacks what the
  mapping needs, is rejected with a note; a file that does not parse is an error naming the
  line and column, and nothing is written. A header member holding ``ContentDate`` gives the
  publication date; an impossible date is logged and not kept.

GLEIF data is CC0.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bidvet.dates import logged_date
from bidvet.model.quality import QualityLog
from bidvet.model.records import ImportBatch
from bidvet.sources.gleif_records import exception_edge, lei_entity, relationship_edge
from bidvet.sources.json_stream import Member, cyclic_gc_paused, iter_json_records
from bidvet.sources.registry import Importer, register

#: an element written the Golden Copy JSON way: ``"Name": {"$": …`` or ``"Name": {"@…``
_ELEMENT = r'"{name}"\s*:\s*\{{\s*"[$@]'


def _has(head: str, *names: str) -> bool:
    return all(re.search(_ELEMENT.format(name=name), head) for name in names)


def _json_head(head: str) -> bool:
    return head.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")


class JsonNode:
    """A Golden Copy JSON element seen through :class:`bidvet.sources.gleif_records.Node`."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data

    def find(self, name: str) -> JsonNode | None:
        if not isinstance(self.data, dict):
            return None
        found = self.data.get(name)
        if isinstance(found, list):
            found = found[0] if found else None
        return None if found is None else JsonNode(found)

    def iter(self, *names: str) -> Iterator[JsonNode]:
        """Descendants in document order (records are at most 100 levels deep)."""
        found: list[Any] = []
        if isinstance(self.data, dict):
            _collect(self.data, names, found)
        return map(JsonNode, found)

    def value(self) -> str | None:
        found = self.data.get("$") if isinstance(self.data, dict) else self.data
        if not isinstance(found, str):
            return None
        return found.strip() or None

    def text(self, *steps: str) -> str | None:
        data = self.data
        for step in steps:
            if not isinstance(data, dict):
                return None
            data = data.get(step)
            if isinstance(data, list):
                data = data[0] if data else None
        if isinstance(data, dict):
            data = data.get("$")
        return (data.strip() or None) if isinstance(data, str) else None

    def attr(self, name: str) -> str | None:
        found = self.data.get(f"@{name}") if isinstance(self.data, dict) else None
        return found if isinstance(found, str) else None

    def lang(self) -> str | None:
        return self.attr("xml:lang")


def _collect(data: dict[str, Any], names: tuple[str, ...], found: list[Any]) -> None:
    """Append the values under ``names`` anywhere in ``data``, in document order."""
    for key, value in data.items():
        if isinstance(value, dict):
            if key in names:
                found.append(value)
            if len(value) > 1 or "$" not in value:  # {"$": text} holds no element
                _collect(value, names, found)
        elif isinstance(value, list):
            for item in value:
                if key in names:
                    found.append(item)
                if isinstance(item, dict):
                    _collect(item, names, found)
        elif key in names:
            found.append(value)


def _content_date(members: list[Member], log: QualityLog) -> dt.date | None:
    for member in members:
        for node in JsonNode({member.key: member.value}).iter("ContentDate"):
            if (found := node.value()) is not None:
                return logged_date(found[:10], log, record="Header", field="ContentDate")
    return None


def _read(
    path: Path,
    log: QualityLog,
    batch: ImportBatch,
    label: str,
    add: Callable[[JsonNode, int], bool],
) -> ImportBatch:
    members: list[Member] = []
    with cyclic_gc_paused():
        for item in iter_json_records(path):
            if isinstance(item, Member):
                members.append(item)
            elif not isinstance(item.value, dict):
                log.reject(f"{label} #{item.number}", "record is not a JSON object")
            elif add(JsonNode(item.value), item.number):
                batch.imported += 1
    batch.published = _content_date(members, log)
    return batch


@register
class GleifLeiJsonImporter(Importer):
    format = "gleif-lei-json"
    title = "GLEIF LEI-CDF 3.1 Golden Copy JSON"
    priority = 20

    def sniff(self, path: Path, head: str) -> bool:
        return (
            _json_head(head)
            and _has(head, "LEI")
            and bool(re.search(r'"Entity"\s*:\s*\{', head))
            and not _has(head, "ExceptionCategory")
        )

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(dataset="gleif-lei", format=self.format, quality=log)

        def add(rec: JsonNode, n: int) -> bool:
            entity = lei_entity(rec, n, log)
            if entity is not None:
                batch.entities.append(entity)
            return entity is not None

        return _read(path, log, batch, "LEIRecord", add)


@register
class GleifRelationshipJsonImporter(Importer):
    format = "gleif-rr-json"
    title = "GLEIF RR-CDF 2.1 relationship Golden Copy JSON"
    priority = 20

    def sniff(self, path: Path, head: str) -> bool:
        return (
            _json_head(head)
            and bool(re.search(r'"(Start|End)Node"\s*:\s*\{', head))
            and _has(head, "NodeID", "RelationshipType")
        )

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(dataset="gleif-rr", format=self.format, quality=log)
        counts: dict[str, int] = {}

        def add(rec: JsonNode, n: int) -> bool:
            edge = relationship_edge(rec, n, log)
            if edge is not None:
                batch.ownerships.append(edge)
                counts[edge.kind] = counts.get(edge.kind, 0) + 1
            return edge is not None

        _read(path, log, batch, "RelationshipRecord", add)
        batch.extra["relationships"] = dict(sorted(counts.items()))
        return batch


@register
class GleifExceptionJsonImporter(Importer):
    format = "gleif-repex-json"
    title = "GLEIF reporting exceptions Golden Copy JSON"
    priority = 20

    def sniff(self, path: Path, head: str) -> bool:
        return _json_head(head) and _has(head, "LEI", "ExceptionCategory")

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(dataset="gleif-repex", format=self.format, quality=log)

        def add(rec: JsonNode, n: int) -> bool:
            edge = exception_edge(rec, n, log)
            if edge is not None:
                batch.ownerships.append(edge)
            return edge is not None

        return _read(path, log, batch, "Exception", add)
