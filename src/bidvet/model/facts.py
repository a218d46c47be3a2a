"""What the knowledge store answers: typed, read-only facts with their citations.

The query layer (:class:`bidvet.store.view.View`) returns these; every layer above reads them and
never a database row. Each fact carries a :class:`SourceRef` naming where it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a fact comes from: a citation, optionally a URL and publication date."""

    title: str
    url: str | None = None
    published: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
        }


def source_ref(
    title: str | None, url: str | None, published: dt.date | None, fallback: str
) -> SourceRef:
    """The citation stored with a fact; ``fallback`` names the dataset when the fact has none."""
    return SourceRef(title or fallback, url, published)


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """One entity: its names (distinct, sorted), countries, topics and identifiers."""

    id: str
    schema: str
    caption: str
    dataset: str
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    names: tuple[str, ...]
    source: SourceRef
    #: (country, role) pairs: jurisdiction | address | nationality | citizenship | other
    country_roles: tuple[tuple[str, str], ...] = ()
    #: (scheme, stored value) pairs
    identifiers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ListingFact:
    """An entity's entry on a list, with every date bidvet knows of it."""

    entity_id: str
    list_id: str
    list_name: str
    program: str
    authority: str | None
    #: the listing's start: published start date, else the first publication seen with it
    start: dt.date | None
    reason: str | None
    source: SourceRef
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    first_seen: dt.date | None = None
    delisted: dt.date | None = None
    dataset: str = ""

    @property
    def source_url(self) -> str | None:
        return self.source.url


#: ownership-table kinds that are ties between people and organisations, not ownership or
#: control: the store keeps them out of every ownership question (``View.ties`` reads them)
TIE_KINDS = ("directorship", "employment", "family", "associate", "representation")


@dataclass(frozen=True, slots=True)
class OwnershipEdge:
    """One ownership/control edge as stored (shares as fractions 0..1)."""

    key: str
    owner_id: str
    asset_id: str
    kind: str = "shares"
    share: float | None = None
    share_min: float | None = None
    share_max: float | None = None
    acting_jointly: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    source: str | None = None
    source_url: str | None = None
    source_published: dt.date | None = None
    dataset: str | None = None
    #: a tie's role or relationship (tie kinds only)
    role: str | None = None

    def valid_on(self, day: dt.date) -> bool:
        """Whether the edge holds on ``day`` (start and end dates inclusive; open when unset)."""
        if self.start_date is not None and day < self.start_date:
            return False
        return self.end_date is None or day <= self.end_date

    def bounds(self) -> tuple[float, float] | None:
        """``(lo, hi)`` of the share as published, or ``None`` when no share is known."""
        if self.share is not None:
            return (self.share, self.share)
        if self.share_min is not None or self.share_max is not None:
            lo = self.share_min if self.share_min is not None else 0.0
            hi = self.share_max if self.share_max is not None else 1.0
            return (lo, hi)
        return None

    @property
    def citation(self) -> SourceRef:
        """The edge's citation (the dataset when it names none)."""
        return source_ref(
            self.source, self.source_url, self.source_published, self.dataset or "ownership"
        )

    def share_text(self) -> str:
        if self.share is not None:
            return f"{self.share * 100:g} %"
        if self.share_min is not None or self.share_max is not None:
            low = f"{(self.share_min or 0) * 100:g}"
            high = f"{(self.share_max if self.share_max is not None else 1) * 100:g}"
            return f"{low}-{high} %"
        return "share not published"


@dataclass(frozen=True, slots=True)
class EventFact:
    """A dated integrity or adverse event with its citation."""

    key: str
    entity_id: str
    kind: str
    summary: str
    date: dt.date | None
    #: day | month | year: ``date`` is then the first day of that period; None means day
    date_precision: str | None
    source: SourceRef
    dataset: str


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """One imported file."""

    id: int
    dataset: str
    format: str
    file_name: str
    sha256: str
    published: dt.date | None
    imported_at: dt.datetime
    records: int
    rejected: int
    complete_list: bool
    fictional: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "dataset": self.dataset,
            "format": self.format,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "published": self.published.isoformat() if self.published else None,
            "imported_at": self.imported_at.isoformat(),
            "records": self.records,
            "rejected": self.rejected,
            "complete_list": self.complete_list,
            "fictional": self.fictional,
        }


@dataclass(frozen=True, slots=True)
class QualityEntry:
    """One data-quality log line of an imported file."""

    file_name: str
    record: str | None
    field: str | None
    value: str | None
    action: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file_name": self.file_name,
            "record": self.record,
            "field": self.field,
            "value": self.value,
            "action": self.action,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class CatalogEntity:
    """An entity as the screening index needs it: every name, country and identifier."""

    id: str
    schema: str
    caption: str
    names: tuple[tuple[str, str], ...]  # (name, kind)
    countries: tuple[str, ...]
    identifiers: tuple[tuple[str, str], ...]  # (scheme, value)
