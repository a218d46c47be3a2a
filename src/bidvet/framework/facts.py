"""Knowledge-store facts the evaluators read, always filtered to the as-of date.

Direct SQLAlchemy Core queries on the listings, events, ownership and entity tables, so that the
evidence behind every finding is a row the user can look up; the ownership chain comes from the
ownership engine's upward walk, with the edge rows it followed. A fact is in force on the as-of date
when it had started (or its start is unknown) and had not ended (nor been delisted).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.framework.findings import SourceRef
from bidvet.ownership.graph import Edge, walk_upward
from bidvet.store import schema as s
from bidvet.store.validity import edge_in_force_clause, listing_in_force_clause


def source_ref(
    title: str | None, url: str | None, published: dt.date | None, fallback: str
) -> SourceRef:
    """The citation stored with a fact; ``fallback`` names the dataset when the fact has none."""
    return SourceRef(title or fallback, url, published)


@dataclass(frozen=True, slots=True)
class EntityFacts:
    id: str
    schema: str
    caption: str
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    names: tuple[str, ...]
    source: SourceRef


@dataclass(frozen=True, slots=True)
class ListingFact:
    entity_id: str
    list_id: str
    list_name: str
    program: str
    authority: str | None
    start: dt.date | None
    reason: str | None
    source: SourceRef


@dataclass(frozen=True, slots=True)
class EdgeFact:
    owner_id: str
    asset_id: str
    kind: str
    share: float | None
    share_min: float | None
    share_max: float | None
    start: dt.date | None
    source: SourceRef

    def share_text(self) -> str:
        if self.share is not None:
            return f"{self.share * 100:g} %"
        if self.share_min is not None or self.share_max is not None:
            low = f"{(self.share_min or 0) * 100:g}"
            high = f"{(self.share_max if self.share_max is not None else 1) * 100:g}"
            return f"{low}-{high} %"
        return "share not published"


@dataclass(frozen=True, slots=True)
class OwnerLink:
    """An upstream owner reached from the bidder, with the edges of the path (bidder first)."""

    owner_id: str
    path: tuple[str, ...]  # bidder … owner
    edges: tuple[EdgeFact, ...]  # edges[i] links path[i+1] (owner) -> path[i] (asset)


def _distinct(conn: Connection, column: sa.Column[Any], entity_id: str) -> list[Any]:
    """The distinct values of ``column`` (of an ``entity_*`` table) for one entity, sorted."""
    return list(
        conn.execute(
            sa.select(column)
            .where(column.table.c.entity_id == entity_id)
            .distinct()
            .order_by(column)
        ).scalars()
    )


def entity(conn: Connection, entity_id: str) -> EntityFacts | None:
    row = conn.execute(sa.select(s.entities).where(s.entities.c.id == entity_id)).mappings().first()
    if row is None:
        return None
    countries = _distinct(conn, s.entity_countries.c.country, entity_id)
    topics = _distinct(conn, s.entity_topics.c.topic, entity_id)
    names = _distinct(conn, s.entity_names.c.name, entity_id)
    props = row["properties"] or {}
    title = (props.get("sourceTitle") or [f"{row['dataset']} (dataset)"])[0]
    published = (props.get("sourcePublished") or [None])[0]
    return EntityFacts(
        id=row["id"],
        schema=row["schema"],
        caption=row["caption"],
        countries=tuple(countries),
        topics=tuple(topics),
        names=tuple(names),
        source=SourceRef(
            title, row["source_url"], dt.date.fromisoformat(published) if published else None
        ),
    )


def listings(conn: Connection, entity_id: str, as_of: dt.date) -> list[ListingFact]:
    """Listings of ``entity_id`` in force on ``as_of`` (start = published start, else first
    seen; unknown start counts as in force; delisted entries end on their delisting date)."""
    c = s.listings.c
    rows = (
        conn.execute(
            sa.select(s.listings)
            .where(c.entity_id == entity_id)
            .where(listing_in_force_clause(s.listings, as_of))
            .order_by(c.list_id, c.program, c.id)
        )
        .mappings()
        .all()
    )
    return [
        ListingFact(
            entity_id=row["entity_id"],
            list_id=row["list_id"],
            list_name=row["list_name"],
            program=row["program"],
            authority=row["authority"],
            start=row["start_date"] or row["first_seen"],
            reason=row["reason"],
            source=source_ref(
                row["source_title"],
                row["source_url"],
                row["source_published"],
                f"{row['list_name']} ({row['dataset']})",
            ),
        )
        for row in rows
    ]


def has_owners(conn: Connection, entity_id: str, as_of: dt.date) -> bool:
    """Whether any ownership/control edge into ``entity_id`` is in force on ``as_of``."""
    c = s.ownership.c
    found = conn.execute(
        sa.select(c.id)
        .where(c.asset_id == entity_id)
        .where(edge_in_force_clause(c.start_date, c.end_date, as_of))
        .limit(1)
    ).first()
    return found is not None


def edge_fact(edge: Edge) -> EdgeFact:
    """An edge of the ownership engine with its citation (the dataset when it names none)."""
    return EdgeFact(
        owner_id=edge.owner_id,
        asset_id=edge.asset_id,
        kind=edge.kind,
        share=edge.share,
        share_min=edge.share_min,
        share_max=edge.share_max,
        start=edge.start_date,
        source=source_ref(
            edge.source, edge.source_url, edge.source_published, edge.dataset or "ownership"
        ),
    )


def upstream(
    conn: Connection, entity_id: str, as_of: dt.date, max_depth: int = 12
) -> list[OwnerLink]:
    """Every owner above ``entity_id`` (breadth first, shortest path first, cycles cut), as
    reached by the ownership engine's :func:`~bidvet.ownership.graph.walk_upward`."""
    walk = walk_upward(conn, entity_id, as_of, max_depth=max_depth)
    return [
        OwnerLink(link.owner_id, link.path, tuple(edge_fact(e) for e in link.edges))
        for link in walk.links
    ]


def events(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    """Every integrity event recorded for ``entity_id`` (dated first, by date)."""
    c = s.events.c
    rows = (
        conn.execute(sa.select(s.events).where(c.entity_id == entity_id).order_by(c.date, c.key))
        .mappings()
        .all()
    )
    return [dict(r) for r in rows]


def entity_ids_by_identifier(conn: Connection, scheme: str, value: str) -> list[str]:
    c = s.entity_identifiers.c
    norm = re.sub(r"[\s-]+", "", value).upper()
    return list(
        conn.execute(
            sa.select(c.entity_id)
            .where(c.value == norm)
            .where(sa.func.lower(c.scheme) == scheme.lower())
            .distinct()
            .order_by(c.entity_id)
        ).scalars()
    )


def future_listings(conn: Connection, entity_ids: list[str], as_of: dt.date) -> list[ListingFact]:
    """Listings of these entities that start after ``as_of`` (known now, not in force then).

    A list that publishes no start dates counts from the publication in which bidvet first saw
    the entry (:mod:`bidvet.store.validity`); such entries are returned too, with ``start``
    unset and the first-seen date in ``reason``, so a report can say why they were left out.
    """
    c = s.listings.c
    if not entity_ids:
        return []
    start = sa.func.coalesce(c.start_date, c.first_seen)
    rows = conn.execute(
        sa.select(
            c.entity_id,
            c.list_id,
            c.list_name,
            c.program,
            c.authority,
            c.start_date,
            c.first_seen,
        )
        .where(c.entity_id.in_(sorted(set(entity_ids))))
        .where(start > as_of)
        .order_by(start, c.entity_id, c.list_id)
    ).all()
    return [
        ListingFact(
            r.entity_id,
            r.list_id,
            r.list_name,
            r.program,
            r.authority,
            r.start_date,
            None if r.start_date else f"first seen in the publication of {r.first_seen}",
            SourceRef(r.list_name),
        )
        for r in rows
    ]


def datasets_of(conn: Connection, entity_ids: list[str]) -> set[str]:
    """Datasets that hold records of these entities (entity rows and their listings)."""
    ids = sorted(set(entity_ids))
    out = set(
        conn.execute(sa.select(s.entities.c.dataset).where(s.entities.c.id.in_(ids))).scalars()
    )
    out.update(
        conn.execute(
            sa.select(s.listings.c.dataset).where(s.listings.c.entity_id.in_(ids))
        ).scalars()
    )
    return out
