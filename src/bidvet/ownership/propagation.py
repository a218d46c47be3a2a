"""Status propagation: when listed owners hold enough of an entity, it is treated as listed.

The rule comes from :mod:`bidvet.ownership.rules` (one :class:`Regime` per legal regime); the
algorithm here is the same for all of them:

* Start from the entities listed on the regime's lists. Their stakes (lower bounds of shares,
  and of votes where the regime counts votes) flow to the entities they hold.
* ``aggregate: all`` (US OFAC, EU, BIS): stakes of all listed owners in an entity add up.
  ``aggregate: joint-groups`` (UK): they add up only within one group — a designated person
  together with the entities it owns or controls, or the holders marked as acting jointly.
* An entity whose sum meets the threshold (≥ for US rules, > for EU/UK), or — where control
  counts — that a listed owner controls through a control edge, becomes listed too and passes
  its *full* stake on ("only blocked intermediaries pass their full stake": a stake held
  through an entity that is not itself listed does not count, whatever the look-through).
* Repeat until nothing changes. Every entity is listed at most once, so it always ends, cycles
  included, after at most ``n`` rounds.

Shares are lower bounds: a range 25–50 % counts as 25 %, an unknown share as 0 %. The result
keeps what pushed each entity over (its group), so :func:`explain` can name the listed owners
behind a conclusion and the paths from them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from bidvet.ownership.graph import BoolArray, FloatArray, IntArray, OwnershipGraph
from bidvet.ownership.rules import Regime


@dataclass
class StatusResult:
    """Listed status of every entity in a graph under one regime."""

    listed: BoolArray
    direct: BoolArray
    #: the largest aggregate (over measures, and over groups where not aggregated) per entity
    aggregate: FloatArray
    by_control: BoolArray
    #: group that carried each listed entity: its own index for a designated person, else
    #: ``-2 - joint`` for an acting-jointly group; -1 for entities not listed
    group: IntArray
    rounds: int


def _measure_arrays(graph: OwnershipGraph, rule: Regime) -> list[FloatArray]:
    return [graph.shares_lo if m == "shares" else graph.votes_lo for m in rule.measures]


def _propagate_all(graph: OwnershipGraph, listed: BoolArray, rule: Regime) -> StatusResult:
    n = graph.n
    blocked = listed.copy()
    group = np.where(listed, np.arange(n, dtype=np.int64), -1)
    measures = _measure_arrays(graph, rule)
    sums = [np.zeros(n) for _ in measures]
    by_control = np.zeros(n, dtype=bool)
    live = graph.walk
    frontier = np.flatnonzero(listed).astype(np.int64)
    rounds = 0
    while frontier.size:
        rounds += 1
        links = graph.out_links(frontier)
        links = links[live[links]]
        dst = graph.dst[links]
        hit = np.zeros(n, dtype=bool)
        for arr, total in zip(measures, sums, strict=True):
            np.add.at(total, dst, arr[links])
            hit[dst] = True
        candidates = np.flatnonzero(hit & ~blocked)
        meets = np.zeros(candidates.size, dtype=bool)
        for total in sums:
            vals = total[candidates]
            meets |= (
                vals >= rule.threshold - 1e-9 if rule.inclusive else vals > rule.threshold + 1e-9
            )
        new = candidates[meets]
        if rule.control_counts:
            ctrl = np.unique(dst[graph.control[links]])
            ctrl = ctrl[~blocked[ctrl]]
            by_control[np.setdiff1d(ctrl, new)] = True
            new = np.union1d(new, ctrl).astype(np.int64)
        blocked[new] = True
        group[new] = new
        frontier = new
    aggregate = np.maximum.reduce(sums) if len(sums) > 1 else sums[0]
    return StatusResult(blocked, listed.copy(), aggregate, by_control, group, rounds)


def _propagate_groups(graph: OwnershipGraph, listed: BoolArray, rule: Regime) -> StatusResult:
    n = graph.n
    blocked = listed.copy()
    group = np.where(listed, np.arange(n, dtype=np.int64), -1)
    measures = _measure_arrays(graph, rule)
    sums: defaultdict[tuple[int, int, int], float] = defaultdict(float)
    best = np.zeros(n)
    by_control = np.zeros(n, dtype=bool)
    queue = np.flatnonzero(listed).tolist()
    rounds = 0
    while queue:
        rounds += 1
        nxt: list[int] = []
        for owner in queue:
            for link in graph.links_out(owner).tolist():
                if not graph.walk[link]:
                    continue
                asset = int(graph.dst[link])
                joint = int(graph.joint[link])
                g = -2 - joint if joint >= 0 else int(group[owner])
                for mi, arr in enumerate(measures):
                    key = (asset, mi, g)
                    sums[key] += float(arr[link])
                    best[asset] = max(best[asset], sums[key])
                    if not blocked[asset] and rule.meets(sums[key]):
                        blocked[asset] = True
                        group[asset] = g
                        nxt.append(asset)
                if rule.control_counts and graph.control[link] and not blocked[asset]:
                    blocked[asset] = True
                    by_control[asset] = True
                    group[asset] = g
                    nxt.append(asset)
        queue = nxt
    return StatusResult(blocked, listed.copy(), best, by_control, group, rounds)


def propagate_status(graph: OwnershipGraph, listed_mask: BoolArray, rule: Regime) -> StatusResult:
    """Listed status of every entity under ``rule``, starting from ``listed_mask``.

    Pure: no store, no dates (date validity is applied when the graph and mask are built).
    """
    if rule.aggregate == "all":
        return _propagate_all(graph, listed_mask, rule)
    return _propagate_groups(graph, listed_mask, rule)


@dataclass
class Explanation:
    """Why one entity is (or is not) listed under a regime."""

    listed: bool
    direct: bool
    #: listed because of its owners (for a directly listed entity: its owners would suffice)
    inherited: bool
    aggregate: float
    by_control: bool
    #: listed owners at the origin of the status (designated persons / list entries)
    via: list[int]
    #: paths from each of them down to the subject, through listed intermediaries only
    paths: list[tuple[int, ...]]
    #: listed direct owners whose stakes were counted, with the stake (lower bound)
    stakes: list[tuple[int, float]]


def _contributing(graph: OwnershipGraph, res: StatusResult, node: int, rule: Regime) -> list[int]:
    """Links into ``node`` from listed owners that carried its status (or would count)."""
    out: list[int] = []
    measures = _measure_arrays(graph, rule)
    for link in graph.links_in(node).tolist():
        owner = int(graph.src[link])
        if not graph.walk[link] or not res.listed[owner]:
            continue
        if rule.aggregate == "joint-groups" and res.listed[node] and not res.direct[node]:
            joint = int(graph.joint[link])
            g = -2 - joint if joint >= 0 else int(res.group[owner])
            if g != res.group[node]:
                continue
        if any(arr[link] > 0 for arr in measures) or (rule.control_counts and graph.control[link]):
            out.append(link)
    return out


def explain(
    graph: OwnershipGraph,
    res: StatusResult,
    subject: int,
    rule: Regime,
    *,
    max_paths: int = 200,
) -> Explanation:
    """The listed owners behind ``subject``'s status and the paths from them to it."""
    measures = _measure_arrays(graph, rule)
    stakes: list[tuple[int, float]] = []
    for link in _contributing(graph, res, subject, rule):
        stakes.append((int(graph.src[link]), max(float(a[link]) for a in measures)))
    via: set[int] = set()
    paths: list[tuple[int, ...]] = []
    # walk up from the subject through listed owners until directly listed ones
    stack: list[tuple[int, tuple[int, ...]]] = [(subject, (subject,))]
    while stack and len(paths) < max_paths:
        node, down = stack.pop()
        for link in _contributing(graph, res, node, rule):
            owner = int(graph.src[link])
            if owner in down:
                continue
            path = (owner, *down)
            if res.direct[owner]:
                via.add(owner)
                paths.append(path)
            else:
                stack.append((owner, path))
    paths.sort(key=lambda p: (len(p), p))
    listed, direct = bool(res.listed[subject]), bool(res.direct[subject])
    inherited = listed and not direct
    if direct:
        controlled = rule.control_counts and any(
            graph.control[link] for link in _contributing(graph, res, subject, rule)
        )
        inherited = controlled or rule.meets(float(res.aggregate[subject]))
    return Explanation(
        listed=listed,
        direct=direct,
        inherited=inherited,
        aggregate=float(res.aggregate[subject]),
        by_control=bool(res.by_control[subject]),
        via=sorted(via),
        paths=paths,
        stakes=sorted(stakes),
    )
