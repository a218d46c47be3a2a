"""Entity-resolution judgements and clusters in the store (the SQL behind ``bidvet.resolution``).

A *judgement* says whether two records are the same legal person (``positive``), are not
(``negative``) or cannot be told (``unsure``); it names who judged, when, why and its origin
(``user``, ``identifier`` for links made on a shared strong identifier, ``file`` for judgement
files). One judgement is kept per pair, stored with ``left_id < right_id``; judging a pair again
replaces the earlier judgement.

*Clusters* are the connected components of the positive judgements. Each member of a cluster of
two or more records has a row naming the cluster's **canonical id: its smallest member id** (in
code-point order), so the id stays the same as long as that member stays in the cluster and
does not depend on the order judgements were made. Clusters are recomputed in the transaction
that writes judgements (:func:`write_judgements`). A negative judgement does not split a
cluster; it silences proposals (``bidvet xref``, owners screened by name).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.store import schema as s

JudgementKind = Literal["positive", "negative", "unsure"]
JudgementSource = Literal["user", "identifier", "file"]
JUDGEMENTS: tuple[JudgementKind, ...] = ("positive", "negative", "unsure")
SOURCES: tuple[JudgementSource, ...] = ("user", "identifier", "file")

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Judgement:
    """Whether ``left_id`` and ``right_id`` are the same legal person, and on what grounds."""

    left_id: str
    right_id: str
    judgement: JudgementKind
    by: str
    at: dt.datetime
    reason: str
    source: JudgementSource = "user"
    cite_title: str | None = None
    cite_url: str | None = None
    cite_published: dt.date | None = None

    def ordered(self) -> Judgement:
        """The same judgement with ``left_id < right_id`` (how the store keeps pairs)."""
        if self.left_id <= self.right_id:
            return self
        return Judgement(
            self.right_id,
            self.left_id,
            self.judgement,
            self.by,
            self.at,
            self.reason,
            self.source,
            self.cite_title,
            self.cite_url,
            self.cite_published,
        )

    def other(self, entity_id: str) -> str:
        """The record at the other end of the pair from ``entity_id``."""
        return self.right_id if entity_id == self.left_id else self.left_id

    def to_json(self) -> dict[str, Any]:
        return {
            "left_id": self.left_id,
            "right_id": self.right_id,
            "judgement": self.judgement,
            "by": self.by,
            "at": self.at.isoformat(timespec="seconds"),
            "reason": self.reason,
            "source": self.source,
            "cite_title": self.cite_title,
            "cite_url": self.cite_url,
            "cite_published": self.cite_published.isoformat() if self.cite_published else None,
        }


@dataclass(frozen=True, slots=True)
class Cluster:
    """The records taken as one legal person with an entity, and the positive judgements that
    link them (empty when the entity is in no cluster: ``members == (entity_id,)``)."""

    canonical_id: str
    members: tuple[str, ...]
    links: tuple[Judgement, ...]

    def links_of(self, entity_id: str) -> tuple[Judgement, ...]:
        """The positive judgements that name ``entity_id``."""
        return tuple(j for j in self.links if entity_id in (j.left_id, j.right_id))


def _row(m: Any) -> Judgement:
    return Judgement(
        left_id=m["left_id"],
        right_id=m["right_id"],
        judgement=m["judgement"],
        by=m["judged_by"],
        at=m["judged_at"],
        reason=m["reason"],
        source=m["source"],
        cite_title=m["cite_title"],
        cite_url=m["cite_url"],
        cite_published=m["cite_published"],
    )


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(ids))
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def read_judgements(conn: Connection, ids: Iterable[str] | None = None) -> list[Judgement]:
    """Every judgement (``ids`` ``None``), or those naming any of ``ids``, by pair."""
    t = s.resolution_judgements
    c = t.c
    found: dict[tuple[str, str], Judgement] = {}
    if ids is None:
        queries = [sa.select(t)]
    else:
        queries = [
            sa.select(t).where(sa.or_(c.left_id.in_(chunk), c.right_id.in_(chunk)))
            for chunk in _chunks(ids)
        ]
    for query in queries:
        for m in conn.execute(query).mappings():
            j = _row(m)
            found[(j.left_id, j.right_id)] = j
    return [found[k] for k in sorted(found)]


def judged_pairs(conn: Connection) -> set[tuple[str, str]]:
    """Every judged pair ``(left_id, right_id)`` with ``left_id < right_id``."""
    c = s.resolution_judgements.c
    return {(a, b) for a, b in conn.execute(sa.select(c.left_id, c.right_id))}


def canonical_ids(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    """The canonical id of each of ``ids`` that is in a cluster."""
    c = s.resolution_clusters.c
    out: dict[str, str] = {}
    for chunk in _chunks(ids):
        query = sa.select(c.entity_id, c.canonical_id).where(c.entity_id.in_(chunk))
        out.update((str(eid), str(cid)) for eid, cid in conn.execute(query))
    return out


def clusters_of(conn: Connection, ids: Iterable[str]) -> dict[str, Cluster]:
    """The cluster of each of ``ids``: every requested id is a key (an entity in no cluster is
    a cluster of one, with no links)."""
    wanted = sorted(set(ids))
    canon = canonical_ids(conn, wanted)
    c = s.resolution_clusters.c
    members: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(canon.values()):
        for eid, cid in conn.execute(
            sa.select(c.entity_id, c.canonical_id).where(c.canonical_id.in_(chunk))
        ):
            members[cid].append(eid)
    member_canon = {m: cid for cid, ms in members.items() for m in ms}
    links: dict[str, list[Judgement]] = defaultdict(list)
    for j in read_judgements(conn, member_canon):
        cid = member_canon.get(j.left_id)
        if j.judgement == "positive" and cid is not None and member_canon.get(j.right_id) == cid:
            links[cid].append(j)
    out: dict[str, Cluster] = {}
    for eid in wanted:
        cid = canon.get(eid)
        if cid is None:
            out[eid] = Cluster(eid, (eid,), ())
        else:
            out[eid] = Cluster(cid, tuple(sorted(members[cid])), tuple(links[cid]))
    return out


def _components(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find over ``pairs``: each node → the smallest id of its component."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            # the smaller id becomes the root, so the root is the component's smallest id
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            parent[hi] = lo
    return {x: find(x) for x in list(parent)}


def recompute_clusters(conn: Connection) -> int:
    """Rebuild ``resolution_clusters`` from the positive judgements; returns the member rows."""
    c = s.resolution_judgements.c
    query = sa.select(c.left_id, c.right_id).where(c.judgement == "positive")
    canon = _components((str(a), str(b)) for a, b in conn.execute(query))
    conn.execute(sa.delete(s.resolution_clusters))
    rows = [{"entity_id": e, "canonical_id": cid} for e, cid in sorted(canon.items())]
    if rows:
        conn.execute(sa.insert(s.resolution_clusters), rows)
    return len(rows)


def write_judgements(conn: Connection, judgements: Sequence[Judgement]) -> int:
    """Store ``judgements`` (replacing earlier judgements of the same pairs) and recompute the
    clusters, inside the caller's transaction. Returns how many were written."""
    t = s.resolution_judgements
    latest: dict[tuple[str, str], Judgement] = {}
    for j in judgements:
        o = j.ordered()
        latest[(o.left_id, o.right_id)] = o
    for (left, right), j in sorted(latest.items()):
        conn.execute(sa.delete(t).where(t.c.left_id == left, t.c.right_id == right))
        conn.execute(
            sa.insert(t).values(
                left_id=left,
                right_id=right,
                judgement=j.judgement,
                judged_by=j.by,
                judged_at=j.at,
                reason=j.reason,
                source=j.source,
                cite_title=j.cite_title,
                cite_url=j.cite_url,
                cite_published=j.cite_published,
            )
        )
    recompute_clusters(conn)
    return len(latest)


def known_entities(conn: Connection, ids: Iterable[str]) -> set[str]:
    """The ids among ``ids`` that the store holds as entities."""
    e = s.entities.c
    out: set[str] = set()
    for chunk in _chunks(ids):
        out.update(conn.execute(sa.select(e.id).where(e.id.in_(chunk))).scalars())
    return out


def entity_datasets(conn: Connection, datasets: Sequence[str] | None = None) -> dict[str, str]:
    """Entity id → dataset of its record, for every entity (or those of ``datasets``)."""
    e = s.entities.c
    query = sa.select(e.id, e.dataset)
    if datasets is not None:
        query = query.where(e.dataset.in_(sorted(set(datasets))))
    return {str(eid): str(ds) for eid, ds in conn.execute(query.order_by(e.id))}
