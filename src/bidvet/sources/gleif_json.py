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
  1 MiB window, never the whole file. ``bidvet load`` parks the records made from them on disk
  (:meth:`read_stream`, :mod:`bidvet.sources.spill`) and writes them in chunks in one
  transaction, so memory stays flat whatever the file's size; :meth:`read` holds them in
  memory, as the importers that do not stream do. An LEI given twice is one entity, with the
  last record's content. A record that is not an object, or lacks what the
  mapping needs, is rejected with a note; a file that does not parse is an error naming the
  line and column, and nothing is written. A header member holding ``ContentDate`` gives the
  publication date; an impossible date is logged and not kept.

GLEIF data is CC0.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from bidvet.dates import logged_date
from bidvet.model.quality import QualityLog
from bidvet.model.records import (
    EntityRow,
    ImportBatch,
    ImportStream,
    OwnershipRecord,
    entity_from_row,
)
from bidvet.sources.gleif_records import LEI_URL, country, exception_edge, relationship_edge
from bidvet.sources.identifiers import make_identifier
from bidvet.sources.json_stream import Member, cyclic_gc_paused, iter_json_records
from bidvet.sources.registry import Importer, register
from bidvet.sources.spill import Spill

#: an element written the Golden Copy JSON way: ``"Name": {"$": …`` or ``"Name": {"@…``
_ELEMENT = r'"{name}"\s*:\s*\{{\s*"[$@]'


def _has(head: str, *names: str) -> bool:
    return all(re.search(_ELEMENT.format(name=name), head) for name in names)


def _json_head(head: str) -> bool:
    return head.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")


class JsonNode:
    """A Golden Copy JSON element seen through :class:`bidvet.sources.gleif_records.Node`."""

    __slots__ = ("data", "marked")

    def __init__(self, data: Any, marked: bool = True) -> None:
        self.data = data
        #: False when the record's text cannot hold the mark of its kind (:data:`_MARKS`)
        self.marked = marked

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
        return _text(self.data, *steps)

    def attr(self, name: str) -> str | None:
        found = self.data.get(f"@{name}") if isinstance(self.data, dict) else None
        return found if isinstance(found, str) else None

    def lang(self) -> str | None:
        return self.attr("xml:lang")


def _collect(data: dict[str, Any], names: tuple[str, ...], found: list[Any]) -> None:
    """Append the values under ``names`` anywhere in ``data``, in document order."""
    for key, value in data.items():
        kind = value.__class__  # parsed JSON: plain dicts, lists and scalars
        if kind is dict:
            if key in names:
                found.append(value)
            if len(value) > 1 or "$" not in value:  # {"$": text} holds no element
                _collect(value, names, found)
        elif kind is list:
            wanted = key in names
            for item in value:
                if wanted:
                    found.append(item)
                if item.__class__ is dict:
                    _collect(item, names, found)
        elif key in names:
            found.append(value)


def _text(data: Any, *steps: str) -> str | None:
    """:meth:`JsonNode.text` on plain values, without a node for each step."""
    for step in steps:
        if data.__class__ is not dict:  # JSON objects are plain dicts
            return None
        data = data.get(step)
        if data.__class__ is list:
            data = data[0] if data else None
    if data.__class__ is dict:
        data = data.get("$")
    return (data.strip() or None) if data.__class__ is str else None


def _first(data: dict[str, Any], name: str) -> Any:
    """:meth:`JsonNode.find` on plain values: the child's value (None when absent)."""
    found = data.get(name)
    if found.__class__ is list:
        found = found[0] if found else None
    return found


def _lang_of(data: Any) -> str | None:
    """The ``xml:lang`` of an element as :func:`bidvet.sources.gleif_records` keeps it."""
    lang = data.get("@xml:lang") if data.__class__ is dict else None
    return lang[:10] if lang and lang.__class__ is str else None


_OTHER_NAMES = ("OtherEntityName", "TransliteratedOtherEntityName")
_LEI_PROPS = (
    ("jurisdiction", ("LegalJurisdiction",)),
    ("category", ("EntityCategory",)),
    ("status", ("EntityStatus",)),
    ("legalForm", ("LegalForm", "EntityLegalFormCode")),
    ("registrationNumber", ("RegistrationAuthority", "RegistrationAuthorityEntityID")),
)


def lei_row(
    rec: dict[str, Any], n: int, log: QualityLog, other_names: bool = True
) -> EntityRow | None:
    """:func:`bidvet.sources.gleif_records.lei_entity` of a Golden Copy JSON record, as the
    :data:`~bidvet.model.records.EntityRow` it gives (``entity_row(lei_entity(JsonNode(rec),
    n, log))``, the same quality log), read straight from the parsed values: no node and no
    record object is made for each element, which took most of the time of a large load.

    ``other_names`` False: the record is known to hold no other names (:data:`_MARKS`), so
    they are not looked for."""
    lei = _text(rec, "LEI")
    entity = _first(rec, "Entity")
    legal = _text(entity, "LegalName")
    if not lei or entity is None or not legal:
        log.reject(f"LEIRecord #{n}", "record has no LEI or no legal name", value=lei)
        return None
    lei = lei.upper()
    names: list[tuple[str, str, str | None]] = [
        (legal, "primary", _lang_of(_first(entity, "LegalName")))
    ]
    others: list[Any] = []
    if other_names:
        _collect(entity, _OTHER_NAMES, others)
    for other in others:
        name = other.get("$") if other.__class__ is dict else other
        if name.__class__ is str and (name := name.strip()):
            previous = other.__class__ is dict and other.get("@type") == "PREVIOUS_LEGAL_NAME"
            names.append((name, "former" if previous else "alias", _lang_of(other)))
    countries: list[tuple[str, str]] = []
    if (cc := country(_text(entity, "LegalJurisdiction"))) is not None:
        countries.append((cc, "jurisdiction"))
    for addr in ("LegalAddress", "HeadquartersAddress"):
        cc = country(_text(entity, addr, "Country"))
        if cc is not None and (cc, "address") not in countries:
            countries.append((cc, "address"))
    props: dict[str, list[str]] = {}
    for key, steps in _LEI_PROPS:
        if (value := _text(entity, *steps)) is not None:
            props[key] = [value]
    if (status := _text(rec, "Registration", "RegistrationStatus")) is not None:
        props["leiStatus"] = [status]
    category = props.get("category", [""])[0]
    ident = make_identifier("lei", lei, log, record=f"lei-{lei}", field="LEI")
    return (
        f"lei-{lei}",
        "LegalEntity" if category == "FUND" else "Company",
        legal,
        props,
        LEI_URL.format(lei=lei),
        names,
        [] if ident is None else [(ident.scheme, ident.value, ident.raw)],
        countries,
        [],
    )


def _node_row(rec: JsonNode, n: int, log: QualityLog) -> EntityRow | None:
    return lei_row(rec.data, n, log, rec.marked)


def _content_date(members: list[Member], log: QualityLog) -> dt.date | None:
    for member in members:
        for node in JsonNode({member.key: member.value}).iter("ContentDate"):
            if (found := node.value()) is not None:
                return logged_date(found[:10], log, record="Header", field="ContentDate")
    return None


#: text a record of a kind must hold to have what is looked for anywhere in it: an LEI record
#: whose text holds no ``OtherEntityName`` (and no escape) has no other names to look for
_MARKS = {"LEIRecord": "OtherEntityName"}


def _walk(
    path: Path, log: QualityLog, batch: ImportBatch | ImportStream, label: str
) -> Iterator[tuple[JsonNode, int]]:
    """The records that are objects, with their numbers; ``batch.published`` set at the end."""
    members: list[Member] = []
    with cyclic_gc_paused():
        for item in iter_json_records(path, mark=_MARKS.get(label)):
            if isinstance(item, Member):
                members.append(item)
            elif not isinstance(item.value, dict):
                log.reject(f"{label} #{item.number}", "record is not a JSON object")
            else:
                yield JsonNode(item.value, item.marked), item.number
    batch.published = _content_date(members, log)


def _read(
    path: Path,
    log: QualityLog,
    batch: ImportBatch | ImportStream,
    label: str,
    add: Callable[[JsonNode, int], bool],
) -> None:
    for rec, number in _walk(path, log, batch, label):
        if add(rec, number):
            batch.imported += 1


#: records a chunk of :meth:`chunk_stream` holds
CHUNK = 5000
Chunk = tuple[str, list[Any]]


def _chunks(
    path: Path,
    log: QualityLog,
    stream: ImportStream,
    label: str,
    make: Callable[[JsonNode, int, QualityLog], Any],
    kind: str,
    counts: dict[str, int] | None = None,
) -> Iterator[Chunk]:
    """The records made, in file order, in chunks of plain values: ``("entities",``
    :data:`~bidvet.model.records.EntityRow` ``…)`` or ``("ownership",`` tuples of
    :class:`OwnershipRecord` fields ``…)``. The header of ``stream`` is complete at the end."""
    chunk: list[Any] = []
    for rec, number in _walk(path, log, stream, label):
        made = make(rec, number, log)
        if made is None:
            continue
        stream.imported += 1
        if kind == "entities":
            chunk.append(made)
        else:
            chunk.append(tuple(getattr(made, name) for name in _EDGE_FIELDS))
            if counts is not None:
                counts[made.kind] = counts.get(made.kind, 0) + 1
        if len(chunk) >= CHUNK:
            yield kind, chunk
            chunk = []
    if chunk:
        yield kind, chunk
    if counts is not None:
        stream.extra["relationships"] = dict(sorted(counts.items()))


def _entity_stream(
    path: Path, log: QualityLog, stream: ImportStream, make: _EntityMaker
) -> ImportStream:
    """Entities parked on disk by id (an id given again keeps its place, with the new record)."""
    spill = Spill(plain=True)

    def add(rec: JsonNode, n: int) -> bool:
        row = make(rec, n, log)
        if row is not None:
            spill.put(row[0], row)
        return row is not None

    try:
        _read(path, log, stream, "LEIRecord", add)
    except BaseException:
        spill.close()
        raise
    stream.entity_records = lambda: map(entity_from_row, spill)
    stream.entity_rows = lambda: iter(spill)
    stream.close = spill.close
    return stream


def _edge_stream(
    path: Path, log: QualityLog, stream: ImportStream, label: str, make: _EdgeMaker
) -> dict[str, int]:
    """Edges parked on disk in file order; the count of each kind."""
    spill = Spill()
    counts: dict[str, int] = {}

    def add(rec: JsonNode, n: int) -> bool:
        edge = make(rec, n, log)
        if edge is not None:
            spill.append(tuple(getattr(edge, name) for name in _EDGE_FIELDS))
            counts[edge.kind] = counts.get(edge.kind, 0) + 1
        return edge is not None

    try:
        _read(path, log, stream, label, add)
    except BaseException:
        spill.close()
        raise
    stream.ownership_records = lambda: (OwnershipRecord(*values) for values in spill)
    stream.close = spill.close
    return counts


_EntityMaker = Callable[[JsonNode, int, QualityLog], EntityRow | None]
_EdgeMaker = Callable[[JsonNode, int, QualityLog], OwnershipRecord | None]
_EDGE_FIELDS = tuple(f.name for f in dataclass_fields(OwnershipRecord))


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
            row = _node_row(rec, n, log)
            if row is not None:
                batch.entities.append(entity_from_row(row))
            return row is not None

        _read(path, log, batch, "LEIRecord", add)
        return batch

    def read_stream(self, path: Path, log: QualityLog) -> ImportStream:
        stream = ImportStream(dataset="gleif-lei", format=self.format, quality=log)
        return _entity_stream(path, log, stream, _node_row)

    def chunk_stream(self, path: Path, log: QualityLog) -> tuple[ImportStream, Iterator[Chunk]]:
        """The header, and the records in chunks as they are read (:func:`_chunks`)."""
        stream = ImportStream(dataset="gleif-lei", format=self.format, quality=log)
        return stream, _chunks(path, log, stream, "LEIRecord", _node_row, "entities")


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

    def read_stream(self, path: Path, log: QualityLog) -> ImportStream:
        stream = ImportStream(dataset="gleif-rr", format=self.format, quality=log)
        counts = _edge_stream(path, log, stream, "RelationshipRecord", relationship_edge)
        stream.extra["relationships"] = dict(sorted(counts.items()))
        return stream

    def chunk_stream(self, path: Path, log: QualityLog) -> tuple[ImportStream, Iterator[Chunk]]:
        """The header, and the records in chunks as they are read (:func:`_chunks`)."""
        stream = ImportStream(dataset="gleif-rr", format=self.format, quality=log)
        chunks = _chunks(
            path, log, stream, "RelationshipRecord", relationship_edge, "ownership", {}
        )
        return stream, chunks


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

        _read(path, log, batch, "Exception", add)
        return batch

    def read_stream(self, path: Path, log: QualityLog) -> ImportStream:
        stream = ImportStream(dataset="gleif-repex", format=self.format, quality=log)
        _edge_stream(path, log, stream, "Exception", exception_edge)
        return stream

    def chunk_stream(self, path: Path, log: QualityLog) -> tuple[ImportStream, Iterator[Chunk]]:
        """The header, and the records in chunks as they are read (:func:`_chunks`)."""
        stream = ImportStream(dataset="gleif-repex", format=self.format, quality=log)
        return stream, _chunks(path, log, stream, "Exception", exception_edge, "ownership")
