"""Control: who ultimately controls an entity, and whether the chain leads to the state.

A *control link* is a link whose lower-bound share or votes exceed the majority threshold of
the rules' ``state.majority`` (50 %), or that carries an edge of a control kind (board
appointment, state control, controlling shareholder, accounting consolidation). Control is
followed upwards only along control links:

* :func:`ultimate_controllers` — the entities at the top of every control chain above the
  subject: nobody controls them (or only entities already on the chain, a cycle, which is
  flagged). The subject itself is never its own controller.
* :func:`state_linkage` — the subject is state-linked when it is itself a state body or a
  state-owned enterprise, or when a control chain above it reaches one. A state-controlled
  minority holder that is the *controlling shareholder* counts (the edge kind says so) even
  without a majority. Each conclusion carries its paths, from the controller down.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from bidvet.ownership.graph import BoolArray, OwnershipGraph
from bidvet.ownership.rules import StatePolicy


def control_links(graph: OwnershipGraph, majority: float) -> BoolArray:
    """Links that confer control: a control kind, or a majority of shares or votes."""
    eps = 1e-9
    structural = graph.walk | graph.shortcut
    majority_held = (graph.shares_lo > majority + eps) | (graph.votes_lo > majority + eps)
    return structural & (graph.control | majority_held)


def is_state(schema: str | None, topics: Collection[str], policy: StatePolicy) -> bool:
    """Whether an entity is the state, a state body or a state-owned enterprise."""
    return (schema in policy.schemata) or any(t in policy.topics for t in topics)


def state_mask(
    graph: OwnershipGraph,
    schemata: Mapping[str, str],
    topics: Mapping[str, Sequence[str]],
    policy: StatePolicy,
) -> BoolArray:
    return np.array(
        [is_state(schemata.get(eid), topics.get(eid, ()), policy) for eid in graph.ids],
        dtype=bool,
    )


@dataclass
class Controller:
    node: int
    path: tuple[int, ...]
    in_cycle: bool = False


@dataclass
class ControlResult:
    ultimate: list[Controller] = field(default_factory=list)
    #: state-linked controllers (or the subject itself) with the control path from each
    state_paths: list[tuple[int, ...]] = field(default_factory=list)

    @property
    def state_linked(self) -> bool:
        return bool(self.state_paths)


def analyse_control(
    graph: OwnershipGraph,
    subject: int,
    state: BoolArray,
    majority: float,
    *,
    max_paths: int = 2_000,
) -> ControlResult:
    """Ultimate controllers of ``subject`` and its state linkage, with paths (owner → subject)."""
    ctrl = control_links(graph, majority)
    result = ControlResult()
    if state[subject]:
        result.state_paths.append((subject,))
    tops: dict[int, Controller] = {}
    state_seen: dict[int, tuple[int, ...]] = {}
    stack: list[tuple[int, tuple[int, ...]]] = [(subject, (subject,))]
    explored = 0
    while stack and explored < max_paths:
        node, down = stack.pop()
        explored += 1
        owners = [int(graph.src[link]) for link in graph.links_in(node).tolist() if ctrl[link]]
        fresh = sorted({o for o in owners if o not in down})
        if node != subject and not fresh:
            cycle = bool(owners)  # controlled only by entities already on the chain
            prev = tops.get(node)
            if prev is None or len(down) < len(prev.path):
                tops[node] = Controller(node, down, cycle)
        for owner in fresh:
            path = (owner, *down)
            if state[owner]:
                prev_path = state_seen.get(owner)
                if prev_path is None or len(path) < len(prev_path):
                    state_seen[owner] = path
            stack.append((owner, path))
    result.ultimate = sorted(tops.values(), key=lambda c: (len(c.path), graph.ids[c.node]))
    result.state_paths.extend(sorted(state_seen.values(), key=lambda p: (len(p), p)))
    return result
