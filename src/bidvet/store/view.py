"""The read-only query layer: every question the layers above ask the knowledge store.

Open one with :meth:`bidvet.store.db.Store.view`; it reads through one connection, so a batch of
questions sees one consistent state of the store. Answers are typed facts
(:mod:`bidvet.model.facts`), never rows. This module and the writers beside it are the only code
that knows the SQL schema; a test fails when any other module imports it.

Dates: "in force on ``as_of``" means the same thing in every method (:mod:`bidvet.store.validity`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.model.facts import (
    TIE_KINDS,
    CatalogEntity,
    EntityFacts,
    EventFact,
    ListingFact,
    OwnershipEdge,
    QualityEntry,
    SnapshotInfo,
    SourceRef,
    source_ref,
)
from bidvet.model.identifiers import lookup_keys
from bidvet.store import schema as s
from bidvet.store.resolution import (
    Cluster,
    Judgement,
    clusters_of,
    entity_datasets,
    read_judgements,
)
from bidvet.store.validity import (
    edge_counts_clause,
    edge_known_later_clause,
    listing_in_force_clause,
    listing_not_in_force,
)

if TYPE_CHECKING:
    from bidvet.model.contracts import ProcessRecord

_CHUNK = 500

_EDGE_COLUMNS = (
    "key", "owner_id", "asset_id", "kind", "share", "share_min", "share_max",
    "acting_jointly", "start_date", "end_date", "source", "source_url", "source_published",
    "dataset", "role",
)  # fmt: skip


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    items = sorted(set(ids))
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _not_tie(table: sa.Table) -> sa.ColumnElement[bool]:
    """Ownership-table rows that are ownership or control edges, not ties between people."""
    return table.c.kind.not_in(TIE_KINDS)


def _edge(row: Any) -> OwnershipEdge:
    m = row._mapping
    return OwnershipEdge(**{c: m[c] for c in _EDGE_COLUMNS})


def _listing(m: Any) -> ListingFact:
    return ListingFact(
        entity_id=m["entity_id"],
        list_id=m["list_id"],
        list_name=m["list_name"],
        program=m["program"],
        authority=m["authority"],
        start=m["start_date"] or m["first_seen"],
        reason=m["reason"],
        source=source_ref(
            m["source_title"],
            m["source_url"],
            m["source_published"],
            f"{m['list_name']} ({m['dataset']})",
        ),
        start_date=m["start_date"],
        end_date=m["end_date"],
        first_seen=m["first_seen"],
        delisted=m["delisted"],
        dataset=m["dataset"],
    )


class View:
    """Typed, read-only questions to the knowledge store through one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # -- entities -------------------------------------------------------------------------------
    def entities(self, ids: Iterable[str]) -> dict[str, EntityFacts]:
        """The entities among ``ids`` that the store holds, by id."""
        e = s.entities.c
        rows: dict[str, Any] = {}
        multi: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
        for chunk in _chunks(ids):
            for row in self._conn.execute(sa.select(s.entities).where(e.id.in_(chunk))).mappings():
                rows[row["id"]] = row
            for key, table, cols in (
                ("countries", s.entity_countries, ("country", "role")),
                ("topics", s.entity_topics, ("topic",)),
                ("names", s.entity_names, ("name",)),
                ("identifiers", s.entity_identifiers, ("scheme", "value")),
            ):
                query = sa.select(table.c.entity_id, *(table.c[c] for c in cols)).where(
                    table.c.entity_id.in_(chunk)
                )
                for eid, *values in self._conn.execute(query):
                    multi[eid][key].add(tuple(values) if len(values) > 1 else values[0])
        out: dict[str, EntityFacts] = {}
        for eid in sorted(rows):
            row = rows[eid]
            facts = multi.get(eid, {})
            props = row["properties"] or {}
            title = (props.get("sourceTitle") or [f"{row['dataset']} (dataset)"])[0]
            published = (props.get("sourcePublished") or [None])[0]
            roles = sorted(facts.get("countries", ()))
            out[eid] = EntityFacts(
                id=eid,
                schema=row["schema"],
                caption=row["caption"],
                dataset=row["dataset"],
                countries=tuple(sorted({c for c, _ in roles})),
                topics=tuple(sorted(facts.get("topics", ()))),
                names=tuple(sorted(facts.get("names", ()))),
                source=SourceRef(
                    title,
                    row["source_url"],
                    dt.date.fromisoformat(published) if published else None,
                ),
                country_roles=tuple(roles),
                identifiers=tuple(sorted(facts.get("identifiers", ()))),
            )
        return out

    def entity(self, entity_id: str) -> EntityFacts | None:
        """One entity, or ``None`` when the store does not hold it."""
        return self.entities([entity_id]).get(entity_id)

    def _entity_column(self, column: sa.Column[str], ids: Iterable[str]) -> dict[str, str]:
        e = s.entities.c
        out: dict[str, str] = {}
        for chunk in _chunks(ids):
            out.update(self._conn.execute(sa.select(e.id, column).where(e.id.in_(chunk))).all())
        return out

    def captions(self, ids: Iterable[str]) -> dict[str, str]:
        """Display names of the entities among ``ids`` the store holds."""
        return self._entity_column(s.entities.c.caption, ids)

    def schemata(self, ids: Iterable[str]) -> dict[str, str]:
        """FtM schema of each entity among ``ids`` the store holds."""
        return self._entity_column(s.entities.c.schema, ids)

    def topics(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """Distinct topics of each entity among ``ids`` that has any, sorted."""
        t = s.entity_topics.c
        out: dict[str, set[str]] = defaultdict(set)
        for chunk in _chunks(ids):
            for eid, topic in self._conn.execute(
                sa.select(t.entity_id, t.topic).where(t.entity_id.in_(chunk))
            ):
                out[eid].add(topic)
        return {eid: sorted(v) for eid, v in sorted(out.items())}

    def by_identifier(self, scheme: str | None, raw: str) -> list[str]:
        """Entities carrying identifier ``raw`` (under ``scheme``, or any scheme when ``None``).

        ``raw`` is normalised as the importers normalise what they store
        (:func:`bidvet.model.identifiers.normalise`), so ``ABC.123`` finds ``ABC123``.
        """
        c = s.entity_identifiers.c
        query = sa.select(c.entity_id).where(c.value.in_(lookup_keys(scheme, raw)))
        if scheme is not None:
            query = query.where(sa.func.lower(c.scheme) == scheme.lower())
        return sorted(set(self._conn.execute(query.distinct()).scalars()))

    def datasets_of(self, ids: Iterable[str]) -> set[str]:
        """Datasets that hold records of these entities (entity rows and their listings)."""
        out: set[str] = set()
        for chunk in _chunks(ids):
            out.update(
                self._conn.execute(
                    sa.select(s.entities.c.dataset).where(s.entities.c.id.in_(chunk))
                ).scalars()
            )
            out.update(
                self._conn.execute(
                    sa.select(s.listings.c.dataset).where(s.listings.c.entity_id.in_(chunk))
                ).scalars()
            )
        return out

    def list_datasets(self) -> dict[str, dict[str, int]]:
        """For each list id, the datasets whose records carry entries of it, with the number
        of entries each holds (``{"us-ofac-sdn": {"ofac-sdn": 17000}}``)."""
        rows = self._conn.execute(
            sa.select(s.listings.c.list_id, s.listings.c.dataset, sa.func.count())
            .group_by(s.listings.c.list_id, s.listings.c.dataset)
            .order_by(s.listings.c.list_id, s.listings.c.dataset)
        )
        out: dict[str, dict[str, int]] = {}
        for list_id, dataset, count in rows:
            out.setdefault(list_id, {})[dataset] = int(count)
        return out

    def fictional_ids(self, ids: Iterable[str]) -> set[str]:
        """The ids among ``ids`` whose records come from fictional datasets (tests, examples)."""
        made_up = sa.select(s.snapshots.c.dataset).where(s.snapshots.c.fictional == sa.true())
        e = s.entities.c
        out: set[str] = set()
        for chunk in _chunks(ids):
            query = sa.select(e.id).where(e.id.in_(chunk), e.dataset.in_(made_up))
            out.update(self._conn.execute(query).scalars())
        return out

    def fictional_datasets(self) -> set[str]:
        """Datasets loaded from files that describe fictional companies (tests, examples)."""
        c = s.snapshots.c
        return set(
            self._conn.execute(
                sa.select(c.dataset).where(c.fictional == sa.true()).distinct()
            ).scalars()
        )

    def name_count(self) -> int:
        """How many names the store holds (every name of every entity; the size of a
        screening catalog)."""
        count = sa.select(sa.func.count()).select_from(s.entity_names)
        return int(self._conn.execute(count).scalar_one())

    def catalog(self) -> list[CatalogEntity]:
        """Every entity with every name (kind order as stored), country and identifier
        (scheme, value)."""
        names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        countries: dict[str, list[str]] = defaultdict(list)
        idents: dict[str, list[tuple[str, str]]] = defaultdict(list)
        n, c, i, e = s.entity_names.c, s.entity_countries.c, s.entity_identifiers.c, s.entities.c
        for eid, name, kind in self._conn.execute(
            sa.select(n.entity_id, n.name, n.kind).order_by(n.entity_id, n.id)
        ):
            names[eid].append((name, kind))
        for eid, country in self._conn.execute(sa.select(c.entity_id, c.country)):
            countries[eid].append(country)
        for eid, scheme, value in self._conn.execute(sa.select(i.entity_id, i.scheme, i.value)):
            idents[eid].append((scheme, value))
        rows = self._conn.execute(sa.select(e.id, e.schema, e.caption).order_by(e.id))
        return [
            CatalogEntity(
                eid,
                schema,
                caption,
                tuple(names.get(eid, ())),
                tuple(countries.get(eid, ())),
                tuple(idents.get(eid, ())),
            )
            for eid, schema, caption in rows
        ]

    # -- listings -------------------------------------------------------------------------------
    def listings(
        self, ids: Iterable[str], as_of: dt.date | None = None
    ) -> dict[str, list[ListingFact]]:
        """Listings of each entity in force on ``as_of`` (every listing when ``None``).

        Every requested id is a key; each entity's listings are sorted by list, programme and
        the order they were stored in.
        """
        wanted = sorted(set(ids))
        out: dict[str, list[ListingFact]] = {eid: [] for eid in wanted}
        c = s.listings.c
        for chunk in _chunks(wanted):
            query = sa.select(s.listings).where(c.entity_id.in_(chunk))
            if as_of is not None:
                query = query.where(listing_in_force_clause(s.listings, as_of))
            for row in self._conn.execute(query.order_by(c.list_id, c.program, c.id)).mappings():
                out[row["entity_id"]].append(_listing(row))
        return out

    def listings_not_in_force(
        self, ids: Iterable[str], as_of: dt.date
    ) -> dict[str, list[tuple[ListingFact, str]]]:
        """Each entity's listings **not** in force on ``as_of``, with why
        (:func:`~bidvet.store.validity.listing_not_in_force`: listed later, first seen in a later
        publication, ended, dropped); every requested id is a key."""
        out: dict[str, list[tuple[ListingFact, str]]] = {}
        for eid, facts in self.listings(ids).items():
            out[eid] = [
                (f, why)
                for f in facts
                if (
                    why := listing_not_in_force(
                        f.start_date, f.first_seen, f.end_date, f.delisted, as_of
                    )
                )
                is not None
            ]
        return out

    def future_listings(self, ids: Sequence[str], as_of: dt.date) -> list[ListingFact]:
        """Listings of these entities that start after ``as_of`` (known now, not in force then).

        A list that publishes no start dates counts from the publication in which bidvet first
        saw the entry; such listings have ``start_date`` unset and ``first_seen`` set.
        """
        c = s.listings.c
        start = sa.func.coalesce(c.start_date, c.first_seen)
        out: list[ListingFact] = []
        for chunk in _chunks(ids):
            rows = self._conn.execute(
                sa.select(s.listings).where(c.entity_id.in_(chunk), start > as_of)
            ).mappings()
            out.extend(_listing(r) for r in rows)
        out.sort(key=lambda f: (f.start or dt.date.min, f.entity_id, f.list_id))
        return out

    # -- entity resolution (judgements and clusters, bidvet.store.resolution) --------------------
    def judgements(self, ids: Iterable[str] | None = None) -> list[Judgement]:
        """Every resolution judgement (``ids`` ``None``), or those naming any of ``ids``."""
        return read_judgements(self._conn, ids)

    def clusters(self, ids: Iterable[str]) -> dict[str, Cluster]:
        """The cluster of each of ``ids`` (its members and the positive judgements linking
        them); an entity in no cluster is a cluster of one with no links."""
        return clusters_of(self._conn, ids)

    def entity_datasets(self, datasets: Sequence[str] | None = None) -> dict[str, str]:
        """Entity id → dataset of its record (every entity, or those of ``datasets``)."""
        return entity_datasets(self._conn, datasets)

    def cluster(self, entity_id: str) -> Cluster:
        """The records taken as the same legal person as ``entity_id``, with the evidence."""
        return self.clusters([entity_id])[entity_id]

    def cluster_listings(
        self, ids: Iterable[str], as_of: dt.date | None = None
    ) -> dict[str, list[ListingFact]]:
        """:meth:`listings` of each entity and of the other members of its cluster (a member's
        listings keep the member's ``entity_id``, so a caller can tell and cite the link)."""
        wanted = sorted(set(ids))
        clusters = self.clusters(wanted)
        found = self.listings({m for c in clusters.values() for m in c.members}, as_of)
        return {
            eid: [row for m in clusters[eid].members for row in found.get(m, [])] for eid in wanted
        }

    # -- ownership ------------------------------------------------------------------------------
    def _edges(self, column: Any, ids: Iterable[str], as_of: dt.date | None) -> list[OwnershipEdge]:
        t = s.ownership.c
        out: list[OwnershipEdge] = []
        for chunk in _chunks(ids):
            query = sa.select(*(t[c] for c in _EDGE_COLUMNS)).where(
                column.in_(chunk), _not_tie(s.ownership)
            )
            if as_of is not None:
                query = query.where(edge_counts_clause(s.ownership, as_of))
            out.extend(
                _edge(r) for r in self._conn.execute(query.order_by(t.owner_id, t.kind, t.key))
            )
        return out

    def owners(self, ids: Iterable[str], as_of: dt.date | None) -> list[OwnershipEdge]:
        """Edges into ``ids`` (their direct owners and controllers) in force on ``as_of``
        (every edge when ``None``), by owner id, kind and key."""
        return self._edges(s.ownership.c.asset_id, ids, as_of)

    def owned(self, ids: Iterable[str], as_of: dt.date | None) -> list[OwnershipEdge]:
        """Edges out of ``ids`` (what they own or control) in force on ``as_of``."""
        return self._edges(s.ownership.c.owner_id, ids, as_of)

    def all_edges(self, as_of: dt.date | None) -> list[OwnershipEdge]:
        """Every ownership/control edge in the store in force on ``as_of``."""
        t = s.ownership.c
        query = sa.select(*(t[c] for c in _EDGE_COLUMNS)).where(_not_tie(s.ownership))
        if as_of is not None:
            query = query.where(edge_counts_clause(s.ownership, as_of))
        return [_edge(r) for r in self._conn.execute(query.order_by(t.key))]

    def edges_known_later(self, ids: Iterable[str], as_of: dt.date) -> list[OwnershipEdge]:
        """Edges into ``ids`` in force on ``as_of`` whose only source was published after it:
        what a report made on ``as_of`` could not have known (shown apart, never as evidence)."""
        t = s.ownership.c
        out: list[OwnershipEdge] = []
        for chunk in _chunks(ids):
            query = (
                sa.select(*(t[c] for c in _EDGE_COLUMNS))
                .where(t.asset_id.in_(chunk), _not_tie(s.ownership))
                .where(edge_known_later_clause(s.ownership, as_of))
            )
            out.extend(_edge(r) for r in self._conn.execute(query.order_by(t.key)))
        return out

    def ties(self, ids: Iterable[str], as_of: dt.date | None) -> list[OwnershipEdge]:
        """Ties between people and organisations (directorship, employment, family, associate,
        representation; ``owner_id`` is the person, ``asset_id`` the organisation or relative)
        that name any of ``ids`` at either end and count on ``as_of`` (in force and public by
        then; every tie when ``None``), by key. Ownership questions never see these rows."""
        t = s.ownership.c
        out: dict[str, OwnershipEdge] = {}
        for chunk in _chunks(ids):
            query = sa.select(*(t[c] for c in _EDGE_COLUMNS)).where(
                t.kind.in_(TIE_KINDS), sa.or_(t.owner_id.in_(chunk), t.asset_id.in_(chunk))
            )
            if as_of is not None:
                query = query.where(edge_counts_clause(s.ownership, as_of))
            for row in self._conn.execute(query):
                edge = _edge(row)
                out[edge.key] = edge
        return [out[k] for k in sorted(out)]

    def with_owners(self, ids: Iterable[str], as_of: dt.date | None = None) -> set[str]:
        """Which of ``ids`` have any owner edge (in force on ``as_of``; at any date if ``None``)."""
        t = s.ownership.c
        out: set[str] = set()
        for chunk in _chunks(ids):
            query = sa.select(t.asset_id).where(t.asset_id.in_(chunk), _not_tie(s.ownership))
            if as_of is not None:
                query = query.where(edge_counts_clause(s.ownership, as_of))
            out.update(self._conn.execute(query.distinct()).scalars())
        return out

    def edge_sources(self, owner_ids: Iterable[str]) -> dict[str, str | None]:
        """The citation text of the edges out of each of ``owner_ids`` that has any, at any
        date (of the last stored edge when an owner has several)."""
        t = s.ownership.c
        out: dict[str, str | None] = {}
        for chunk in _chunks(owner_ids):
            query = sa.select(t.owner_id, t.source).where(t.owner_id.in_(chunk)).order_by(t.id)
            out.update(self._conn.execute(query).all())
        return out

    def in_any_edge(self, entity_id: str) -> bool:
        """Whether any ownership edge, at any date, names the entity as owner or asset."""
        t = s.ownership.c
        query = sa.select(t.id).where(sa.or_(t.asset_id == entity_id, t.owner_id == entity_id))
        return self._conn.execute(query.limit(1)).first() is not None

    # -- events ---------------------------------------------------------------------------------
    def events(self, ids: Iterable[str], as_of: dt.date | None = None) -> list[EventFact]:
        """Integrity events of these entities: undated first, then by date, then key (the same
        order on every backend).

        With ``as_of``, events dated after it are left out (their period has not begun); an
        event's own look-back and publication rules are the integrity criterion's to apply.
        """
        c = s.events.c
        out: list[EventFact] = []
        for chunk in _chunks(ids):
            query = sa.select(s.events).where(c.entity_id.in_(chunk))
            if as_of is not None:
                query = query.where(sa.or_(c.date.is_(None), c.date <= as_of))
            for m in self._conn.execute(query).mappings():
                out.append(
                    EventFact(
                        key=m["key"],
                        entity_id=m["entity_id"],
                        kind=m["kind"],
                        summary=m["summary"],
                        date=m["date"],
                        date_precision=m["date_precision"],
                        source=source_ref(
                            m["source"], m["source_url"], m["source_published"], m["dataset"]
                        ),
                        dataset=m["dataset"],
                    )
                )
        out.sort(key=lambda ev: (ev.date is not None, ev.date or dt.date.min, ev.key))
        return out

    # -- snapshots and quality ------------------------------------------------------------------
    def snapshots(self) -> list[SnapshotInfo]:
        """Every imported file, in import order."""
        rows = self._conn.execute(sa.select(s.snapshots).order_by(s.snapshots.c.id)).mappings()
        return [
            SnapshotInfo(
                id=r["id"],
                dataset=r["dataset"],
                format=r["format"],
                file_name=r["file_name"],
                sha256=r["sha256"],
                published=r["published"],
                imported_at=r["imported_at"],
                records=r["records"],
                rejected=r["rejected"],
                complete_list=bool(r["complete_list"]),
                fictional=bool(r["fictional"]),
            )
            for r in rows
        ]

    def quality(self, datasets: Iterable[str]) -> list[QualityEntry]:
        """The data-quality log of every snapshot of these datasets, in a stable order."""
        snap, q = s.snapshots.c, s.quality_log.c
        wanted = sa.select(snap.id).where(snap.dataset.in_(sorted(set(datasets))))
        rows = self._conn.execute(
            sa.select(q.file_name, q.record, q.field, q.value, q.action, q.reason)
            .where(q.snapshot_id.in_(wanted))
            .order_by(q.file_name, q.record, q.field, q.action, q.reason, q.value)
        ).all()
        return [QualityEntry(*r) for r in rows]

    def ocids_of_snapshot(self, snapshot_id: int) -> list[str]:
        """The contracting processes whose rows a snapshot last wrote."""
        t = s.contract_processes.c
        query = sa.select(t.ocid).where(t.snapshot_id == snapshot_id).order_by(t.ocid)
        return list(self._conn.execute(query).scalars())

    def processes(self, ocids: Iterable[str] | None = None) -> Iterator[ProcessRecord]:
        """Stored contracting processes rebuilt as records (all when ``ocids`` is ``None``),
        by ocid, streamed in batches."""
        from bidvet.store.contracts import iter_processes

        return iter_processes(self._conn, ocids)
