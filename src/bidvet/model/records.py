"""Records importers produce. Plain dataclasses; the store writer turns them into rows.

Identifiers of entities are namespaced by source (``ofac-36``, ``eu-fsf-13``, ``un-110``,
``lei-5493001KJTIIGC8Y1R12``) so records from different lists never collide; the screening layer
relates them by name and identifier instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bidvet.model.quality import QualityLog

ENTITY_SCHEMATA = (
    "LegalEntity",
    "Company",
    "Organization",
    "PublicBody",
    "Person",
    "State",
    "Vessel",
    "Airplane",
)
NAME_KINDS = ("primary", "alias", "weak", "former", "original")
COUNTRY_ROLES = ("jurisdiction", "address", "nationality", "citizenship", "other")


@dataclass(slots=True)
class NameRecord:
    name: str
    kind: str = "primary"
    lang: str | None = None


@dataclass(slots=True)
class IdentifierRecord:
    scheme: str
    value: str
    raw: str


@dataclass(slots=True)
class EntityRecord:
    id: str
    schema: str
    names: list[NameRecord]
    identifiers: list[IdentifierRecord] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)  # (iso2 lower, role)
    topics: list[str] = field(default_factory=list)
    properties: dict[str, list[str]] = field(default_factory=dict)
    source_url: str | None = None

    @property
    def caption(self) -> str:
        for name in self.names:
            if name.kind == "primary":
                return name.name
        return self.names[0].name if self.names else self.id


@dataclass(slots=True)
class ListingRecord:
    entity_id: str
    list_id: str
    list_name: str
    program: str = ""
    authority: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    source_url: str | None = None
    reason: str | None = None
    #: a citation other than the list itself (e.g. the article a curated listing relies on)
    source_title: str | None = None
    source_published: dt.date | None = None


@dataclass(slots=True)
class OwnershipRecord:
    key: str
    owner_id: str
    asset_id: str
    kind: str = "shares"
    share: float | None = None  # fraction 0..1
    share_min: float | None = None
    share_max: float | None = None
    acting_jointly: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    source: str | None = None
    source_url: str | None = None
    source_published: dt.date | None = None
    #: a tie's role or relationship (``Chief Executive Officer``, ``son``); see TIE_KINDS
    role: str | None = None


@dataclass(slots=True)
class EventRecord:
    key: str
    entity_id: str
    kind: str
    summary: str
    source: str
    date: dt.date | None = None
    source_url: str | None = None
    source_published: dt.date | None = None
    #: how precise ``date`` is: day, month or year (``date`` is then the period's first day)
    date_precision: str | None = None


@dataclass
class ImportBatch:
    """Everything one file yields, held in memory until it is written in one transaction.

    ``imported`` counts the file's top-level records that were accepted (list entries, contracts
    or statements); ``rejected`` those refused, each with a reason in ``quality``.
    ``complete_list`` marks a full publication of a list: entries of the same dataset missing
    from it are then marked delisted.
    """

    dataset: str
    format: str
    quality: QualityLog
    published: dt.date | None = None
    complete_list: bool = False
    #: the publication describes fictional companies (tests, examples): outputs mark it
    fictional: bool = False
    entities: list[EntityRecord] = field(default_factory=list)
    listings: list[ListingRecord] = field(default_factory=list)
    ownerships: list[OwnershipRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    contracts: list[Any] = field(default_factory=list)
    imported: int = 0
    extra: dict[str, Any] = field(default_factory=dict)  # format-specific summary counts


def _nothing() -> Iterator[Any]:
    return iter(())


#: an entity as the values the writer stores: ``(id, schema, caption, properties, source_url,
#: names, identifiers, countries, topics)``, with names as ``(name, kind, lang)``, identifiers
#: as ``(scheme, value, raw)`` and countries as ``(code, role)`` tuples (see :func:`entity_row`)
EntityRow = tuple[
    str,
    str,
    str,
    dict[str, list[str]],
    str | None,
    list[tuple[str, str, str | None]],
    list[tuple[str, str, str]],
    list[tuple[str, str]],
    list[str],
]


def entity_row(entity: EntityRecord) -> EntityRow:
    """``entity`` as plain values (an :data:`EntityRow`): cheap to park on disk and to write."""
    return (
        entity.id,
        entity.schema,
        entity.caption,
        entity.properties,
        entity.source_url,
        [(n.name, n.kind, n.lang) for n in entity.names],
        [(i.scheme, i.value, i.raw) for i in entity.identifiers],
        [(c, r) for c, r in entity.countries],
        list(entity.topics),
    )


def entity_from_row(row: EntityRow) -> EntityRecord:
    """The :class:`EntityRecord` of an :data:`EntityRow` (the inverse of :func:`entity_row`)."""
    eid, schema, _caption, properties, source_url, names, identifiers, countries, topics = row
    return EntityRecord(
        id=eid,
        schema=schema,
        names=[NameRecord(*n) for n in names],
        identifiers=[IdentifierRecord(*i) for i in identifiers],
        countries=[(c, r) for c, r in countries],
        topics=list(topics),
        properties=properties,
        source_url=source_url,
    )


@dataclass
class ImportStream:
    """What one file yields, for files too large to hold: the same header as
    :class:`ImportBatch`, and the records as iterables read back in file order (from a
    :class:`bidvet.sources.spill.Spill`) that the writer consumes in chunks, in one transaction.

    Each ``*_records`` is called once per pass and gives the records in the order
    :class:`ImportBatch` would hold them; entity ids are unique (repeats already merged).
    ``close`` releases what holds them.
    """

    dataset: str
    format: str
    quality: QualityLog
    published: dt.date | None = None
    complete_list: bool = False
    fictional: bool = False
    imported: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    entity_records: Callable[[], Iterable[EntityRecord]] = _nothing
    listing_records: Callable[[], Iterable[ListingRecord]] = _nothing
    ownership_records: Callable[[], Iterable[OwnershipRecord]] = _nothing
    event_records: Callable[[], Iterable[EventRecord]] = _nothing
    close: Callable[[], None] = lambda: None
    #: the entities as :data:`EntityRow` values, when the importer holds them so (the writer
    #: then skips building records); the same entities as ``entity_records``, in its order
    entity_rows: Callable[[], Iterable[EntityRow]] | None = None

    def batch(self) -> ImportBatch:
        """The whole import held in memory, as the importers that do not stream give it."""
        batch = ImportBatch(
            dataset=self.dataset,
            format=self.format,
            quality=self.quality,
            published=self.published,
            complete_list=self.complete_list,
            fictional=self.fictional,
            entities=list(self.entity_records()),
            listings=list(self.listing_records()),
            ownerships=list(self.ownership_records()),
            events=list(self.event_records()),
            imported=self.imported,
            extra=dict(self.extra),
        )
        self.close()
        return batch


class StreamRestart(Exception):
    """A write of records as they are read met something only a write of the whole file read
    first can place (an id given twice, a publication already held): the write is rolled back
    and the file loaded the ordinary way."""


@dataclass
class WriteStats:
    """What one write of an :class:`ImportBatch` into the store did."""

    snapshot_id: int | None = None
    already_loaded: bool = False
    entities_created: int = 0
    entities_updated: int = 0
    listings_created: int = 0
    listings_confirmed: int = 0
    listings_delisted: int = 0
    ownerships: int = 0
    events: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.snapshot_id,
            "already_loaded": self.already_loaded,
            "entities_created": self.entities_created,
            "entities_updated": self.entities_updated,
            "listings_created": self.listings_created,
            "listings_confirmed": self.listings_confirmed,
            "listings_delisted": self.listings_delisted,
            "ownerships": self.ownerships,
            "events": self.events,
        }
