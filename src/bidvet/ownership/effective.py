"""Effective (look-through) interest: shares multiplied along paths and summed over paths.

Two forms, one definition of a path's weight (the product of its links' shares):

* :func:`effective_interest` — for one subject, an upward walk over its owners that sums over
  every *simple* path (no entity twice). Each owner gets lower and upper bounds (ranges and
  unknown shares propagate both ends; the upper bound is capped at 100 %) and its paths as
  evidence. A path that would revisit an entity is a cycle: it is recorded, not followed, so
  mutual 100 % holdings give 100 %, never 200 % and never a hang. On acyclic structures this
  equals the row of M = A(I−A)⁻¹; around a cycle it leaves out the walks that loop.
* :func:`listed_lookthrough` — for every entity at once, the look-through interest held in it
  by a seed set (e.g. all listed entities): x = Aᵀ(seed + pass·x), iterated on a sparse matrix
  until it stops changing or ``max_iter`` rounds have run (so cycles always terminate). Seed
  entities do not pass interest through (``pass = 1 − seed``), so a listed owner's stake is
  counted once, at the nearest listed owner.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bidvet.ownership.graph import BoolArray, FloatArray, OwnershipGraph, csr_positions


@dataclass
class OwnerInterest:
    """One owner's look-through interest in the subject."""

    node: int
    lo: float = 0.0
    hi: float = 0.0
    #: every path gave exact shares (no range, no unknown)
    exact: bool = True
    #: the strongest path (by upper, then lower bound), nodes from the owner down to the subject
    path: tuple[int, ...] = ()
    path_links: tuple[int, ...] = ()
    path_hi: float = -1.0
    path_lo: float = -1.0
    paths: int = 0

    @property
    def effective(self) -> float | None:
        """The effective share when it is known exactly, else ``None``."""
        return self.lo if self.exact else None


@dataclass
class InterestResult:
    subject: int
    owners: dict[int, OwnerInterest] = field(default_factory=dict)
    #: cycles met on the way up: each is the path that would have closed on itself
    cycles: list[tuple[int, ...]] = field(default_factory=list)
    #: the walk stopped at ``max_depth`` or ``max_paths``; totals are then lower bounds
    truncated: bool = False


def effective_interest(
    graph: OwnershipGraph,
    subject: int,
    *,
    max_depth: int = 40,
    max_paths: int = 20_000,
) -> InterestResult:
    """Every direct and indirect owner of ``subject`` with its effective interest bounds.

    Walks links marked ``walk`` upwards, depth first. Shortcut links into the subject (an
    ultimate parent named directly) add owners the walk did not reach, with unknown share.
    """
    result = InterestResult(subject)
    owners = result.owners
    in_ptr, in_order = graph.in_ptr, graph.in_order
    src, walk = graph.src, graph.walk
    lo_arr, hi_arr, exact_arr = graph.shares_lo, graph.shares_hi, graph.exact
    # stack entries: (node, lo, hi, exact, nodes from subject upwards, links)
    stack: list[tuple[int, float, float, bool, tuple[int, ...], tuple[int, ...]]] = [
        (subject, 1.0, 1.0, True, (subject,), ())
    ]
    paths = 0
    while stack:
        node, lo, hi, exact, up, via = stack.pop()
        for link in in_order[in_ptr[node] : in_ptr[node + 1]].tolist():
            if not walk[link]:
                continue
            owner = int(src[link])
            if owner in up:
                result.cycles.append((owner, *reversed(up)))
                continue
            paths += 1
            if paths > max_paths or len(up) > max_depth:
                result.truncated = True
                continue
            plo, phi = lo * lo_arr[link], hi * hi_arr[link]
            pexact = exact and bool(exact_arr[link])
            rec = owners.get(owner)
            if rec is None:
                rec = owners[owner] = OwnerInterest(owner)
            rec.lo += plo
            rec.hi += phi
            rec.exact = rec.exact and pexact
            rec.paths += 1
            if (phi, plo) > (rec.path_hi, rec.path_lo):
                rec.path_hi, rec.path_lo = phi, plo
                rec.path = (owner, *reversed(up))
                rec.path_links = (link, *reversed(via))
            stack.append((owner, plo, phi, pexact, (*up, owner), (*via, link)))
    for link in in_order[in_ptr[subject] : in_ptr[subject + 1]].tolist():
        owner = int(src[link])
        if graph.shortcut[link] and owner not in owners:
            owners[owner] = OwnerInterest(
                owner, 0.0, 1.0, False, (owner, subject), (link,), 1.0, 0.0, 1
            )
    for rec in owners.values():
        rec.lo = min(rec.lo, 1.0)
        rec.hi = min(rec.hi, 1.0)
    return result


@dataclass
class LookThrough:
    values: FloatArray
    iterations: int
    converged: bool


def listed_lookthrough(
    graph: OwnershipGraph,
    seed: BoolArray,
    *,
    upper: bool = False,
    max_iter: int = 60,
    tol: float = 1e-9,
) -> LookThrough:
    """Look-through interest held in every entity by the ``seed`` entities.

    ``x = Aᵀ(seed + (1 − seed)·x)`` by fixed-point iteration; ``x[v]`` is the sum over paths
    from a seed entity to ``v`` (through non-seed intermediaries) of the product of shares.
    Use ``upper=True`` for the upper bounds of ranges. Values are capped at 1. Only the part
    of the graph the seeds reach is iterated (everything else is 0 by definition). The sum
    runs term by term (one term per path length) until a term has no entry above ``tol`` or
    ``max_iter`` terms are in (``converged`` says which); once a term is sparse, its entries at
    or below ``tol`` are dropped, so the result may miss interests below about ``tol``.
    """
    import scipy.sparse as sp  # imported here: a CLI run that walks no graph skips 0.2 s

    reach = graph.descendants(seed)
    nodes = np.flatnonzero(reach)
    local = np.full(graph.n, -1, dtype=np.int64)
    local[nodes] = np.arange(nodes.size)
    keep = graph.walk & reach[graph.src]
    src, dst = local[graph.src[keep]], local[graph.dst[keep]]
    shares = (graph.shares_hi if upper else graph.shares_lo)[keep]
    s = seed[nodes].astype(np.float64)
    k = nodes.size
    at = sp.csr_matrix((shares, (dst, src)), shape=(k, k), dtype=np.float64)
    # Seed entities pass nothing on: their columns are dropped from the iterated matrix.
    passes = s[src] == 0.0
    step = sp.csr_matrix((shares[passes], (dst[passes], src[passes])), shape=(k, k))
    # By column (owner) too, so that a round touching few owners costs only their links.
    by_owner = step.tocsc()
    base = at @ s
    # x = Σ_j stepʲ·base, added term by term; a term's entries at or below ``tol`` are dropped
    # once the term is sparse, so late rounds touch only the few entities still changing.
    x = base.copy()
    d = base
    converged = k == 0
    it = 1
    for it in range(2, max_iter + 1):  # noqa: B007 - the count is reported
        active = np.flatnonzero(d > tol)
        if active.size == 0:
            converged = True
            break
        if active.size * 8 > k:
            d = step @ d
        else:
            pos = csr_positions(by_owner.indptr.astype(np.int64), active)
            owner = np.repeat(active, np.diff(by_owner.indptr)[active])
            d = np.bincount(
                by_owner.indices[pos], weights=by_owner.data[pos] * d[owner], minlength=k
            )
        x += d
    np.minimum(x, 1.0, out=x)
    values = np.zeros(graph.n)
    values[nodes] = x
    return LookThrough(values, it, converged)
