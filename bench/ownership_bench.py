"""Ownership benchmark: a synthetic 1M-entity / 2M-edge graph with cycles.

Prints, in one run:

* graph build time (CSR arrays from edge arrays);
* **OFAC propagation**: :func:`propagate_status` under the ``us_ofac`` rule from a random 1 %
  of entities marked listed, to a fixpoint over the whole graph (best and median of runs);
* **effective interest at scale**: :func:`listed_lookthrough` — for *every* entity, the
  look-through interest held in it by the listed entities (sum over paths of the product of
  shares, stopping at the nearest listed owner), by sparse fixed-point iteration
  x = Aᵀ(seed + (1−seed)·x) until the change is ≤ 1e-9 or 60 rounds, over the part of the
  graph the listed entities reach (found, and its sparse matrix built, inside the timed call);
  lower bounds, and the upper-bound pass printed too;
* the same look-through seeded with all 200k top holders, so that it covers nearly the whole
  graph (the worst case for the iteration);
* **per-bidder upward walk**: :func:`effective_interest` for random companies — every direct
  and indirect owner with its interest bounds and strongest path — p50/p95/max;
* ``uptime`` (the machine is shared, so load matters for reading the numbers).

The synthetic structure is made to look like company registers, not a random graph: 200k
"top holders" (people, funds) own nothing-owned-by-anyone; 800k companies sit in groups of
2–40 (each company has one in-group parent holding 30–90 %, so groups are trees), each company
has one or two minority holders among the top holders, 5 % of companies hold a small stake
(1–5 %) in a company of another group, and a fifth of the groups have a cross-holding back to
their head (a cycle). Edges: exactly ``--edges`` (default 2M). Entities are numbers; no names.

Run: ``.venv/bin/python bench/ownership_bench.py [--nodes 1000000] [--edges 2000000]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from bidvet.ownership.effective import effective_interest, listed_lookthrough
from bidvet.ownership.graph import OwnershipGraph
from bidvet.ownership.propagation import propagate_status
from bidvet.ownership.rules import load_rules

T = TypeVar("T")


def synthetic_graph(nodes: int, edges: int, seed: int = 7) -> OwnershipGraph:
    rng = np.random.default_rng(seed)
    tops = nodes // 5
    companies = np.arange(tops, nodes, dtype=np.int64)
    # groups of 2..40 consecutive companies
    sizes = rng.integers(2, 41, size=companies.size // 2)
    starts = np.concatenate(([0], np.cumsum(sizes)))
    starts = starts[starts < companies.size]
    group_start = np.repeat(starts, np.diff(np.append(starts, companies.size)))
    offset = np.arange(companies.size) - group_start
    child = offset > 0
    parent = (
        tops + group_start[child] + (rng.random(int(child.sum())) * offset[child]).astype(np.int64)
    )
    tree_dst = companies[child]
    tree_share = rng.uniform(0.3, 0.9, size=tree_dst.size)
    # cycles: a fifth of the groups of size >= 3 get a 10 % holding by their last member in
    # their head
    ends = np.append(starts[1:], companies.size) - 1
    big = np.flatnonzero(ends - starts >= 2)
    cyc = rng.choice(big, size=big.size // 5, replace=False)
    cyc_src, cyc_dst = tops + ends[cyc], tops + starts[cyc]
    # cross-group small stakes
    n_cross = companies.size // 20
    cross_src = rng.choice(companies, n_cross)
    cross_dst = rng.choice(companies, n_cross)
    # minority top holders: one per company, then a second for as many as the budget allows
    used = tree_dst.size + cyc.size + n_cross
    n_second = max(0, edges - used - companies.size)
    minority_dst = np.concatenate((companies, rng.choice(companies, n_second, replace=False)))
    minority_src = rng.integers(0, tops, size=minority_dst.size)
    src = np.concatenate((parent, cyc_src, cross_src, minority_src))
    dst = np.concatenate((tree_dst, cyc_dst, cross_dst, minority_dst))
    share = np.concatenate(
        (
            tree_share,
            np.full(cyc.size, 0.10),
            rng.uniform(0.01, 0.05, n_cross),
            rng.uniform(0.01, 0.10, minority_dst.size),
        )
    )
    keep = src != dst
    src, dst, share = src[keep], dst[keep], share[keep]
    # one link per owner/asset pair
    pair = src * nodes + dst
    _, first = np.unique(pair, return_index=True)
    src, dst, share = src[first], dst[first], share[first]
    # ranges on 10 % of links: ±5 points around the value
    hi = share.copy()
    ranged = rng.random(share.size) < 0.10
    lo = share.copy()
    lo[ranged] = np.maximum(0.0, share[ranged] - 0.05)
    hi[ranged] = np.minimum(1.0, share[ranged] + 0.05)
    return OwnershipGraph.from_arrays(nodes, src, dst, lo, hi)


def timed(fn: Callable[[], T], runs: int) -> tuple[T, list[float]]:
    times = []
    result: T | None = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    assert result is not None
    return result, times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=1_000_000)
    ap.add_argument("--edges", type=int, default=2_000_000)
    ap.add_argument("--listed", type=float, default=0.01, help="fraction of entities listed")
    ap.add_argument("--walks", type=int, default=2_000, help="per-bidder walks to time")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    t0 = time.perf_counter()
    graph = synthetic_graph(args.nodes, args.edges)
    build = time.perf_counter() - t0
    print(f"graph: {graph.n:,} entities, {graph.m:,} links; generated + CSR in {build:.2f} s")

    rng = np.random.default_rng(11)
    listed = np.zeros(graph.n, dtype=bool)
    listed[rng.choice(graph.n, int(graph.n * args.listed), replace=False)] = True
    rule = load_rules().regimes["us_ofac"]

    res, times = timed(lambda: propagate_status(graph, listed, rule), args.runs)
    print(
        f"OFAC propagation: best {min(times) * 1000:.1f} ms, median "
        f"{statistics.median(times) * 1000:.1f} ms ({int(listed.sum()):,} listed -> "
        f"{int(res.listed.sum()):,} treated as listed, {res.rounds} rounds)"
    )

    look, times = timed(lambda: listed_lookthrough(graph, listed), args.runs)
    print(
        f"effective interest (listed look-through, all entities, lower bounds): best "
        f"{min(times) * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms "
        f"({look.iterations} iterations, converged={look.converged}, "
        f"{int((look.values > 0).sum()):,} entities with listed interest)"
    )
    look_hi, times = timed(lambda: listed_lookthrough(graph, listed, upper=True), 3)
    print(
        f"effective interest, upper bounds: best {min(times) * 1000:.1f} ms "
        f"({look_hi.iterations} iterations, converged={look_hi.converged})"
    )

    tops = np.zeros(graph.n, dtype=bool)
    tops[: args.nodes // 5] = True
    look_all, times = timed(lambda: listed_lookthrough(graph, tops), 3)
    print(
        f"effective interest from all {int(tops.sum()):,} top holders (reaches "
        f"{int((look_all.values > 0).sum()):,} entities): best {min(times) * 1000:.1f} ms "
        f"({look_all.iterations} iterations, converged={look_all.converged})"
    )

    subjects = rng.integers(args.nodes // 5, args.nodes, size=args.walks)
    for s in subjects[:50]:  # warm-up
        effective_interest(graph, int(s))
    lat, owners, cycles = [], [], 0
    for s in subjects:
        t0 = time.perf_counter()
        r = effective_interest(graph, int(s))
        lat.append(time.perf_counter() - t0)
        owners.append(len(r.owners))
        cycles += bool(r.cycles)
    lat.sort()

    def p(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000

    print(
        f"per-bidder upward walk ({len(lat)} companies): p50 {p(0.50):.3f} ms, "
        f"p95 {p(0.95):.3f} ms, max {lat[-1] * 1000:.2f} ms; owners per bidder median "
        f"{statistics.median(owners):.0f}, max {max(owners)}; {cycles} walks met a cycle"
    )
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
    print(f"uptime: {uptime.strip()} (cpus: {os.cpu_count()})")


if __name__ == "__main__":
    main()
