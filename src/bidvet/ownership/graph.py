"""The dated ownership graph: edges valid on one day, as numpy arrays with an entity index.

Entities are numbered ``0..n-1`` (``ids[i]`` ↔ ``index[id]``). Parallel edges between the same
owner and asset (a shareholding and a voting-rights interest, or two sources for one holding)
are merged into one *link*: per link the graph keeps lower and upper bounds of the share and
of the votes, whether any edge confers control, the edge kinds and keys (the evidence). Links
are held twice in CSR order — by owner (downward) and by asset (upward) — so whole-graph
algorithms use vectorised numpy/scipy and upward walks touch only the subject's ancestors.

Share bounds of a link: an exact share gives ``lo = hi``; a range gives its ends; a link with
no known share (a board appointment, a consolidation, an unparsed percentage) gives
``lo = 0, hi = 1``. When sources disagree the largest figures are kept (``max`` of each bound).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from bidvet.model.facts import OwnershipEdge
from bidvet.ownership.rules import OwnershipRules, load_rules
from bidvet.store.db import Store
from bidvet.store.view import View

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _csr(keys: IntArray, n: int) -> tuple[IntArray, IntArray]:
    """Order of ``keys`` grouped by value, and the row pointer (CSR) over ``0..n``."""
    order = np.argsort(keys, kind="stable").astype(np.int64)
    counts = np.bincount(keys, minlength=n)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return order, ptr


def csr_positions(ptr: IntArray, rows: IntArray) -> IntArray:
    """Positions of the entries of CSR ``rows`` (given the row pointer), concatenated."""
    starts = ptr[rows]
    lengths = ptr[rows + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


@dataclass
class OwnershipGraph:
    """Links owner → asset with share/vote bounds, control and evidence, in CSR order."""

    ids: list[str]
    src: IntArray
    dst: IntArray
    shares_lo: FloatArray
    shares_hi: FloatArray
    votes_lo: FloatArray
    votes_hi: FloatArray
    #: share known as one exact figure (not a range, not unknown)
    exact: BoolArray
    control: BoolArray
    #: walked when summing paths (ownership/control, not fund management, not shortcuts)
    walk: BoolArray
    #: edges that name the top of a chain directly (GLEIF ultimate parent, BODS indirect)
    shortcut: BoolArray
    #: acting-jointly group code per link, -1 when none; labels in ``joint_labels``
    joint: IntArray
    joint_labels: list[str] = field(default_factory=list)
    #: per link: the edge kinds and edge keys merged into it (empty in synthetic graphs)
    kinds: list[tuple[str, ...]] = field(default_factory=list)
    keys: list[tuple[str, ...]] = field(default_factory=list)
    index: dict[str, int] = field(init=False)
    out_order: IntArray = field(init=False)
    out_ptr: IntArray = field(init=False)
    in_order: IntArray = field(init=False)
    in_ptr: IntArray = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.ids)
        self.index = {eid: i for i, eid in enumerate(self.ids)}
        self.out_order, self.out_ptr = _csr(self.src, n)
        self.in_order, self.in_ptr = _csr(self.dst, n)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return int(self.src.shape[0])

    def links_in(self, node: int) -> IntArray:
        """Links whose asset is ``node`` (its direct owners)."""
        return self.in_order[self.in_ptr[node] : self.in_ptr[node + 1]]

    def links_out(self, node: int) -> IntArray:
        """Links whose owner is ``node`` (its direct holdings)."""
        return self.out_order[self.out_ptr[node] : self.out_ptr[node + 1]]

    def out_links(self, nodes: IntArray) -> IntArray:
        """All links out of ``nodes`` (their CSR rows concatenated), vectorised."""
        return self.out_order[csr_positions(self.out_ptr, nodes)]

    def descendants(self, seed: BoolArray) -> BoolArray:
        """``seed`` and every entity it holds, directly or indirectly (walked links only)."""
        reach = seed.copy()
        frontier = np.flatnonzero(seed).astype(np.int64)
        while frontier.size:
            links = self.out_links(frontier)
            dst = self.dst[links[self.walk[links]]]
            fresh = np.zeros(self.n, dtype=bool)
            fresh[dst[~reach[dst]]] = True
            frontier = np.flatnonzero(fresh)
            reach[frontier] = True
        return reach

    def node(self, entity_id: str) -> int:
        return self.index[entity_id]

    def link_kinds(self, link: int) -> str:
        """The kinds of the edges merged into a link, joined by ``+`` (``shares`` when unknown)."""
        return "+".join(self.kinds[link]) if self.kinds else "shares"

    def link_keys(self, link: int) -> tuple[str, ...]:
        return self.keys[link] if self.keys else ()

    @classmethod
    def from_arrays(
        cls,
        n: int,
        src: IntArray,
        dst: IntArray,
        shares_lo: FloatArray,
        shares_hi: FloatArray | None = None,
        *,
        control: BoolArray | None = None,
        ids: list[str] | None = None,
    ) -> OwnershipGraph:
        """A graph of plain shareholdings from arrays (one link per owner/asset pair).

        For synthetic graphs (benchmark, tests): every link is walked, none is a shortcut,
        votes equal shares.
        """
        m = int(src.shape[0])
        hi = shares_lo if shares_hi is None else shares_hi
        return cls(
            ids=ids if ids is not None else [str(i) for i in range(n)],
            src=src.astype(np.int64),
            dst=dst.astype(np.int64),
            shares_lo=shares_lo.astype(np.float64),
            shares_hi=hi.astype(np.float64),
            votes_lo=shares_lo.astype(np.float64),
            votes_hi=hi.astype(np.float64),
            exact=shares_lo == hi,
            control=np.zeros(m, dtype=bool) if control is None else control,
            walk=np.ones(m, dtype=bool),
            shortcut=np.zeros(m, dtype=bool),
            joint=np.full(m, -1, dtype=np.int64),
        )


@dataclass
class _Link:
    shares: list[tuple[float, float]] = field(default_factory=list)
    has_shares_edge: bool = False
    votes: list[tuple[float, float]] = field(default_factory=list)
    control: bool = False
    walk: bool = False
    shortcut: bool = True
    joint: str | None = None
    kinds: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def build_graph(
    edges: Iterable[OwnershipEdge],
    as_of: dt.date | None = None,
    *,
    nodes: Sequence[str] = (),
    rules: OwnershipRules | None = None,
) -> OwnershipGraph:
    """Merge edges (valid on ``as_of`` when given) into a graph; ``nodes`` are always indexed.

    Edge kinds are interpreted by the rules' ``kinds`` vocabulary: the measure a share counts
    towards (shares or votes), whether the edge confers control, and whether it is walked.
    A link is a shortcut only when all its edges are.
    """
    rules = rules or load_rules()
    ids: list[str] = list(dict.fromkeys(nodes))
    index = {eid: i for i, eid in enumerate(ids)}
    links: dict[tuple[int, int], _Link] = {}
    for edge in sorted(edges, key=lambda e: e.key):
        if as_of is not None and not edge.valid_on(as_of):
            continue
        if edge.owner_id == edge.asset_id:
            continue  # a company holding its own shares is not an owner of itself
        for eid in (edge.owner_id, edge.asset_id):
            if eid not in index:
                index[eid] = len(ids)
                ids.append(eid)
        link = links.setdefault((index[edge.owner_id], index[edge.asset_id]), _Link())
        meaning = rules.kind(edge.kind)
        bounds = edge.bounds()
        if meaning.measure == "shares":
            link.has_shares_edge = True
            if bounds is not None:
                link.shares.append(bounds)
        elif meaning.measure == "votes" and bounds is not None:
            link.votes.append(bounds)
        link.control = link.control or meaning.control
        link.walk = link.walk or (meaning.structural and not meaning.shortcut)
        link.shortcut = link.shortcut and meaning.shortcut
        if edge.acting_jointly and link.joint is None:
            link.joint = edge.acting_jointly
        if edge.kind not in link.kinds:
            link.kinds.append(edge.kind)
        link.keys.append(edge.key)
    pairs = sorted(links)
    m = len(pairs)
    src = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=m)
    dst = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=m)
    shares_lo, shares_hi = np.zeros(m), np.ones(m)
    votes_lo, votes_hi = np.zeros(m), np.ones(m)
    exact = np.zeros(m, dtype=bool)
    control, walk, shortcut = (np.zeros(m, dtype=bool) for _ in range(3))
    joint = np.full(m, -1, dtype=np.int64)
    labels: dict[str, int] = {}
    for i, pair in enumerate(pairs):
        link = links[pair]
        if link.shares:
            shares_lo[i] = max(b[0] for b in link.shares)
            shares_hi[i] = max(b[1] for b in link.shares)
            exact[i] = shares_lo[i] == shares_hi[i]
        if link.votes:
            votes_lo[i] = max(b[0] for b in link.votes)
            votes_hi[i] = max(b[1] for b in link.votes)
        control[i], walk[i], shortcut[i] = link.control, link.walk, link.shortcut
        if link.joint is not None:
            joint[i] = labels.setdefault(link.joint, len(labels))
    return OwnershipGraph(
        ids=ids,
        src=src,
        dst=dst,
        shares_lo=shares_lo,
        shares_hi=shares_hi,
        votes_lo=votes_lo,
        votes_hi=votes_hi,
        exact=exact,
        control=control,
        walk=walk,
        shortcut=shortcut,
        joint=joint,
        joint_labels=list(labels),
        kinds=[tuple(links[p].kinds) for p in pairs],
        keys=[tuple(links[p].keys) for p in pairs],
    )


def load_graph(
    store: Store, as_of: dt.date, *, rules: OwnershipRules | None = None
) -> OwnershipGraph:
    """Every edge in the store valid on ``as_of``, as one graph."""
    with store.view() as view:
        edges = view.all_edges(as_of)
    return build_graph(edges, as_of, rules=rules)


@dataclass(frozen=True, slots=True)
class UpwardLink:
    """An owner reached by :func:`walk_upward`: the edge that reached it and the link of the
    asset it owns (``None`` when that asset is the subject)."""

    edge: OwnershipEdge
    below: UpwardLink | None = None

    @property
    def owner_id(self) -> str:
        return self.edge.owner_id

    @property
    def edges(self) -> tuple[OwnershipEdge, ...]:
        """The edges of the path, subject first: ``edges[i]`` links ``path[i+1]`` (owner) to
        ``path[i]`` (asset)."""
        out: list[OwnershipEdge] = []
        link: UpwardLink | None = self
        while link is not None:
            out.append(link.edge)
            link = link.below
        return tuple(reversed(out))

    @property
    def path(self) -> tuple[str, ...]:
        """Subject … owner."""
        edges = self.edges
        return (edges[0].asset_id, *(e.owner_id for e in edges))


@dataclass(frozen=True, slots=True)
class UpwardWalk:
    """Every edge in force above a subject, and each owner by its shortest path."""

    edges: list[OwnershipEdge]
    links: list[UpwardLink]


def walk_upward(
    view: View,
    entity_id: str,
    as_of: dt.date,
    *,
    max_depth: int | None = None,
    max_nodes: int = 100_000,
) -> UpwardWalk:
    """The ownership/control edges in force on ``as_of`` above ``entity_id``, layer by layer.

    Breadth-first, one :meth:`~bidvet.store.view.View.owners` question per layer; an owner
    already seen is not expanded twice, so cycles end. Each owner is reached once, by the first
    edge found: layers in order, within a layer the assets in the order they were reached, the
    edges into an asset by owner id, kind and key. So ``links`` lists every owner breadth first,
    shortest path first. The walk stops after ``max_depth`` layers (when given), or after the
    layer in which ``max_nodes`` entities have been seen. Records linked by positive
    resolution judgements are one node: the edges of any member of a cluster count.
    """
    seen = {entity_id}
    frontier: list[tuple[str, UpwardLink | None]] = [(entity_id, None)]
    edges: list[OwnershipEdge] = []
    links: list[UpwardLink] = []
    depth = 0
    while frontier and len(seen) < max_nodes and (max_depth is None or depth < max_depth):
        depth += 1
        position = {asset: i for i, (asset, _) in enumerate(frontier)}
        batch = _cluster_owners(view, position, seen, as_of)
        batch.sort(key=lambda e: position[e.asset_id])  # stable: keeps the order per asset
        edges.extend(batch)
        below = frontier
        frontier = []
        for edge in batch:
            if edge.owner_id in seen:
                continue
            seen.add(edge.owner_id)
            link = UpwardLink(edge, below[position[edge.asset_id]][1])
            frontier.append((edge.owner_id, link))
            links.append(link)
    return UpwardWalk(edges, links)


def _cluster_owners(
    view: View, assets: dict[str, int], seen: set[str], as_of: dt.date
) -> list[OwnershipEdge]:
    """Edges into ``assets`` and into the other records of their resolution clusters
    (:meth:`~bidvet.store.view.View.clusters`): a cluster is one node, so an edge into another
    member is read as an edge into the asset it stands for (same key and source). Members are
    added to ``seen``; edges between members of one cluster are left out."""
    stands_for: dict[str, str] = {}
    for asset, cluster in view.clusters(assets).items():
        for member in cluster.members:
            if member == asset or member not in seen:
                stands_for.setdefault(member, asset)
    seen.update(stands_for)
    out = []
    for edge in view.owners(stands_for, as_of):
        asset = stands_for[edge.asset_id]
        if stands_for.get(edge.owner_id) == asset:
            continue
        out.append(edge if edge.asset_id == asset else replace(edge, asset_id=asset))
    return out


def upward_graph(
    view: View,
    entity_id: str,
    as_of: dt.date,
    *,
    rules: OwnershipRules | None = None,
    max_nodes: int = 100_000,
) -> OwnershipGraph:
    """The subgraph of ``entity_id`` and all its direct and indirect owners, valid on ``as_of``.

    The edges of :func:`walk_upward`; everything a subject's status, interest and control
    depend on lies in it.
    """
    walk = walk_upward(view, entity_id, as_of, max_nodes=max_nodes)
    return build_graph(walk.edges, as_of, nodes=[entity_id], rules=rules)


def load_upward(
    store: Store,
    entity_id: str,
    as_of: dt.date,
    *,
    rules: OwnershipRules | None = None,
    max_nodes: int = 100_000,
) -> OwnershipGraph:
    """:func:`upward_graph` read through a view of its own."""
    with store.view() as view:
        return upward_graph(view, entity_id, as_of, rules=rules, max_nodes=max_nodes)
