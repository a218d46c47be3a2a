"""Clusters where results are presented: one screening result per cluster, and the words and
citation of the link between two records of one cluster.

A cluster is the set of records the positive judgements link (``bidvet.store.resolution``);
the store gives each its members and the judgements linking them. Screening itself knows
nothing of clusters: :func:`group_matches` (:func:`group_matches_many` for a batch) merges
its results afterwards, keeping per cluster the best-scoring member and the listings of every member
(each marked with the member and the link's evidence).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bidvet.model.facts import SourceRef
from bidvet.screening.engine import Match
from bidvet.screening.lists import listings_as_of, listings_not_in_force
from bidvet.store.db import Store
from bidvet.store.resolution import Cluster, Judgement


def link_text(j: Judgement, names: dict[str, str] | None = None) -> str:
    """``X (id) and Y (id) are the same legal person: judged positive by … on …: reason``."""
    names = names or {}

    def who(eid: str) -> str:
        return f"{names[eid]} ({eid})" if eid in names else eid

    how = {
        "identifier": "linked on a shared identifier",
        "file": "judged",
        "user": "judged",
    }[j.source]
    return (
        f"{who(j.left_id)} and {who(j.right_id)} are the same legal person: {how} "
        f"{j.judgement} by {j.by} on {j.at.date().isoformat()}: {j.reason}"
    )


def link_source(j: Judgement) -> SourceRef:
    """The citation of a judgement: its public source when it names one, else the judgement."""
    if j.cite_title:
        return SourceRef(j.cite_title, j.cite_url, j.cite_published)
    return SourceRef(f"resolution judgement by {j.by} ({j.source})", None, j.at.date())


def path_between(cluster: Cluster, start: str, goal: str) -> list[Judgement]:
    """The positive judgements linking ``start`` to ``goal`` within ``cluster`` (shortest)."""
    if start == goal:
        return []
    prev: dict[str, tuple[str, Judgement]] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        nxt = []
        for node in frontier:
            for j in cluster.links_of(node):
                other = j.other(node)
                if other in seen:
                    continue
                seen.add(other)
                prev[other] = (node, j)
                nxt.append(other)
        frontier = nxt
    if goal not in prev:
        return []
    out: list[Judgement] = []
    node = goal
    while node != start:
        node, j = prev[node]
        out.append(j)
    return list(reversed(out))


@dataclass
class ClusterMatch(Match):
    """A screening result standing for a cluster: the best-scoring member, with the listings
    of every member."""

    cluster_id: str = ""
    members: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out["cluster"] = {"canonical_id": self.cluster_id, "members": self.members}
        return out


def _members(cluster: Cluster, kept: str, scores: dict[str, float]) -> list[dict[str, Any]]:
    rows = []
    for m in cluster.members:
        links = path_between(cluster, kept, m)
        rows.append(
            {
                "entity_id": m,
                "score": scores.get(m),
                "links": [link_text(j) for j in links],
            }
        )
    return rows


def _mark(listing: dict[str, Any], member: str, cluster: Cluster, kept: str) -> dict[str, Any]:
    if member == kept:
        return listing
    links = path_between(cluster, kept, member)
    return {**listing, "member_id": member, "link": "; ".join(link_text(j) for j in links)}


def group_matches(store: Store, matches: Sequence[Match], as_of: dt.date) -> list[Match]:
    """One result per cluster (its best-scoring member, with the listings of all members in
    force on ``as_of``, the date the matches' own listings were read for), best first;
    matches in no cluster are returned unchanged."""
    return group_matches_many(store, [matches], as_of)[0]


def group_matches_many(
    store: Store, batches: Sequence[Sequence[Match]], as_of: dt.date
) -> list[list[Match]]:
    """:func:`group_matches` of the matches of many queries (``screen --input``), with one
    store query for their clusters and one for the listings of the members screening did not
    return: a member's listing counts for the cluster whether or not its own name matched."""
    returned = {m.entity_id for matches in batches for m in matches}
    with store.view() as view:
        clusters = view.clusters(sorted(returned))
        extra = {x for c in clusters.values() for x in c.members} - returned
    member_lists = listings_as_of(store, sorted(extra), as_of)
    return [_grouped(clusters, member_lists, matches) for matches in batches]


def _grouped(
    clusters: dict[str, Cluster],
    member_lists: dict[str, list[dict[str, Any]]],
    matches: Sequence[Match],
) -> list[Match]:
    by_cluster: dict[str, list[Match]] = {}
    for m in matches:
        by_cluster.setdefault(clusters[m.entity_id].canonical_id, []).append(m)
    out: list[Match] = []
    for group in by_cluster.values():
        best = min(group, key=lambda m: (-m.score, m.entity_id))
        cluster = clusters[best.entity_id]
        if len(cluster.members) == 1:
            out.append(best)
            continue
        scores = {m.entity_id: m.score for m in group}
        lists_of = {m.entity_id: m.lists for m in group}
        lists: list[dict[str, Any]] = []
        for member in cluster.members:
            rows = lists_of.get(member, member_lists.get(member, []))
            lists.extend(_mark(row, member, cluster, best.entity_id) for row in rows)
        out.append(
            ClusterMatch(
                entity_id=best.entity_id,
                name=best.name,
                caption=best.caption,
                score=best.score,
                match=best.match,
                explanation=[
                    *best.explanation,
                    f"one of {len(cluster.members)} records of one legal person "
                    f"(cluster {cluster.canonical_id})",
                ],
                lists=lists,
                fictional=best.fictional,
                algorithm=best.algorithm,
                cluster_id=cluster.canonical_id,
                members=_members(cluster, best.entity_id, scores),
            )
        )
    out.sort(key=lambda m: (-m.score, m.entity_id))
    return out


def not_in_force(
    store: Store, matches: Sequence[Match], as_of: dt.date
) -> dict[str, list[dict[str, Any]]]:
    """The listings of each result (of every member, for a cluster's) the store holds but not
    in force on ``as_of``, with why (:func:`~bidvet.screening.lists.listings_not_in_force`);
    a member's carry its ``member_id``. What a result with no active listing says of the lists
    it is on at other dates."""
    return not_in_force_many(store, [matches], as_of)[0]


def not_in_force_many(
    store: Store, batches: Sequence[Sequence[Match]], as_of: dt.date
) -> list[dict[str, list[dict[str, Any]]]]:
    """:func:`not_in_force` of the results of many queries, with one store query."""
    members = [
        {
            m.entity_id: [
                m.entity_id,
                *(x["entity_id"] for x in (m.members if isinstance(m, ClusterMatch) else ())),
            ]
            for m in matches
        }
        for matches in batches
    ]
    wanted = sorted({x for batch in members for ids in batch.values() for x in ids})
    with store.view() as view:
        found = listings_not_in_force(view, wanted, as_of)
    return [
        {
            eid: [
                row if member == eid else {**row, "member_id": member}
                for member in dict.fromkeys(ids)
                for row in found[member]
            ]
            for eid, ids in batch.items()
        }
        for batch in members
    ]
