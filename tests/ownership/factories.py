"""Tiny factories: ownership graphs written as ``"X 50> A"`` lines."""

from __future__ import annotations

import numpy as np

from bidvet.model.facts import OwnershipEdge
from bidvet.ownership.graph import BoolArray, OwnershipGraph, build_graph
from bidvet.ownership.shares import parse_share


def edges(*lines: str) -> list[OwnershipEdge]:
    """``"X 50> A"`` is X holding 50 % of A; ``"X 25-50> A"`` a range; ``"X board> A"`` a
    board appointment; ``"P 25> D @g1"`` marks the holding as acting jointly in group g1."""
    out: list[OwnershipEdge] = []
    for n, line in enumerate(lines):
        parts = line.split()
        owner, arrow, asset = parts[0], parts[1], parts[2]
        joint = parts[3][1:] if len(parts) > 3 else None
        spec = arrow.rstrip(">")
        kind = "shares"
        share = parse_share(None)
        if spec and not spec[0].isdigit():
            kind, _, rest = spec.partition(":")
            share = parse_share(rest or None)
        else:
            share = parse_share(spec)
        out.append(
            OwnershipEdge(
                key=f"e{n}",
                owner_id=owner,
                asset_id=asset,
                kind=kind,
                share=share.exact,
                share_min=share.min,
                share_max=share.max,
                acting_jointly=joint,
            )
        )
    return out


def graph(*lines: str) -> OwnershipGraph:
    return build_graph(edges(*lines))


def mask(g: OwnershipGraph, *listed: str) -> BoolArray:
    m = np.zeros(g.n, dtype=bool)
    for eid in listed:
        m[g.node(eid)] = True
    return m
