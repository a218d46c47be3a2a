"""Ownership questions about one entity, answered from the store as of a date.

:func:`owners` gives the full picture behind ``bidvet owners``: every upstream owner with its
look-through interest and path, listed status under each regime with the rule it comes from,
state linkage and ultimate controllers. :func:`inherited_listings` gives the listings that
reach an entity through its owners (for screening and assessment).

Dates: ownership edges and listings count only when in force on ``as_of``, by the rule of
:mod:`bidvet.store.validity`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bidvet.errors import NotFoundError
from bidvet.model.facts import ListingFact
from bidvet.ownership.control import analyse_control, state_mask
from bidvet.ownership.effective import effective_interest
from bidvet.ownership.graph import OwnershipGraph, upward_graph
from bidvet.ownership.propagation import explain, propagate_status
from bidvet.ownership.rules import REGIMES, OwnershipRules, Regime, load_rules
from bidvet.store.db import Store
from bidvet.store.view import View

#: owner ids of declared-unknown owners (BODS inline reasons, GLEIF reporting exceptions)
UNSPECIFIED_PREFIX = "unspecified:"


@dataclass
class _Facts:
    names: dict[str, str] = field(default_factory=dict)
    schemata: dict[str, str] = field(default_factory=dict)
    topics: dict[str, list[str]] = field(default_factory=dict)
    listings: dict[str, list[ListingFact]] = field(default_factory=dict)
    sources: dict[str, str | None] = field(default_factory=dict)


def _facts(view: View, ids: list[str], as_of: dt.date) -> _Facts:
    return _Facts(
        names=view.captions(ids),
        schemata=view.schemata(ids),
        topics=view.topics(ids),
        # the listings of each entity's resolution cluster (records judged the same person)
        listings=view.cluster_listings(ids, as_of),
        sources=view.edge_sources(i for i in ids if i.startswith(UNSPECIFIED_PREFIX)),
    )


def _listed_mask(graph: OwnershipGraph, facts: _Facts, rule: Regime) -> np.ndarray[Any, Any]:
    return np.array(
        [
            any(
                r.list_id in rule.lists and r.program not in rule.excluded_programs
                for r in facts.listings.get(eid, ())
            )
            for eid in graph.ids
        ],
        dtype=bool,
    )


def _share(value: float) -> float:
    return round(value, 6)


@dataclass
class RegimeStatus:
    regime: str
    listed: bool
    direct: bool
    inherited: bool
    aggregate_listed_share: float
    via: list[str]
    rule_in_force: bool
    paths: list[list[str]]
    rule: str
    by_control: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "listed": self.listed,
            "direct": self.direct,
            "inherited": self.inherited,
            "aggregate_listed_share": _share(self.aggregate_listed_share),
            "via": self.via,
            "rule_in_force": self.rule_in_force,
            "paths": self.paths,
            "rule": self.rule,
            "by_control": self.by_control,
        }


@dataclass
class OwnersReport:
    """Everything :func:`owners` found; :meth:`to_json` is the ``bidvet owners --json`` shape."""

    entity_id: str
    name: str
    as_of: dt.date
    owners: list[dict[str, Any]]
    #: the entity's record comes from a fictional dataset (tests, examples)
    fictional: bool
    status: dict[str, RegimeStatus]
    state_linked: bool
    state_link_paths: list[list[str]]
    ultimate_controllers: list[dict[str, Any]]
    unknown_owners: list[dict[str, Any]]
    cycles: list[list[str]]
    truncated: bool
    rules_version: str
    #: people tied to the entity (directors, executives, representatives, family, associates):
    #: neither owners nor controllers, shown beside them
    people: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "name": self.name,
            "fictional": self.fictional,
            "as_of": self.as_of.isoformat(),
            "owners": self.owners,
            "people": self.people,
            "status": {k: v.to_json() for k, v in self.status.items()},
            "state_linked": self.state_linked,
            "state_link_paths": self.state_link_paths,
            "ultimate_controllers": self.ultimate_controllers,
            "unknown_owners": self.unknown_owners,
            "cycles": self.cycles,
            "truncated": self.truncated,
            "rules_version": self.rules_version,
        }


@dataclass
class _Analysis:
    graph: OwnershipGraph
    facts: _Facts
    subject: int
    rules: OwnershipRules
    status: dict[str, RegimeStatus]


def _analyse(store: Store, entity_id: str, as_of: dt.date, rules: OwnershipRules) -> _Analysis:
    with store.view() as view:
        graph = upward_graph(view, entity_id, as_of, rules=rules)
        facts = _facts(view, graph.ids, as_of)
        missing = entity_id not in facts.names and graph.m == 0 and not view.in_any_edge(entity_id)
    if missing:
        raise NotFoundError(
            f"no entity {entity_id!r} in the store",
            fix="check the id with `bidvet screen NAME --json`, or load the data first",
        )
    subject = graph.node(entity_id)
    status: dict[str, RegimeStatus] = {}
    for name in REGIMES:
        rule = rules.regime(name, as_of)
        res = propagate_status(graph, _listed_mask(graph, facts, rule), rule)
        why = explain(graph, res, subject, rule)
        status[name] = RegimeStatus(
            regime=name,
            listed=why.listed,
            direct=why.direct,
            inherited=why.inherited,
            aggregate_listed_share=why.aggregate,
            via=[graph.ids[i] for i in why.via if i != subject],
            rule_in_force=rule.in_force(as_of),
            paths=[[graph.ids[i] for i in p] for p in why.paths],
            rule=rule.citation_text(as_of),
            by_control=why.by_control,
        )
    return _Analysis(graph, facts, subject, rules, status)


def owners(store: Store, entity_id: str, as_of: dt.date) -> OwnersReport:
    """Upstream owners, per-regime listed status, state linkage and ultimate controllers."""
    rules = load_rules()
    a = _analyse(store, entity_id, as_of, rules)
    graph, facts = a.graph, a.facts
    ids = graph.ids

    def name(i: int) -> str:
        return facts.names.get(ids[i], ids[i])

    # every list counts here, at any share: a listed minority owner is shown as listed even when
    # no propagation rule carries its listing down (the status per regime says whether one does)
    lists_of = {
        eid: sorted({r.list_name for r in rows}) for eid, rows in facts.listings.items() if rows
    }
    with store.view() as view:
        fictional = view.fictional_ids(ids)
    interest = effective_interest(graph, a.subject)
    owner_rows: list[dict[str, Any]] = []
    unknown: list[dict[str, Any]] = []
    for rec in interest.owners.values():
        eid = ids[rec.node]
        owner_rows.append(
            {
                "id": eid,
                "name": name(rec.node),
                "effective_share": None if rec.effective is None else _share(rec.effective),
                "min_share": _share(rec.lo),
                "max_share": _share(rec.hi),
                "path": [ids[i] for i in rec.path],
                "kinds": [graph.link_kinds(link) for link in rec.path_links],
                "edges": [list(graph.link_keys(link)) for link in rec.path_links],
                "paths": rec.paths,
                "listed": eid in lists_of,
                "lists": lists_of.get(eid, []),
                "fictional": eid in fictional,
            }
        )
    for node, eid in enumerate(ids):
        if not eid.startswith(UNSPECIFIED_PREFIX):
            continue
        for link in graph.links_out(node).tolist():
            asset = int(graph.dst[link])
            below = interest.owners.get(asset)
            down = [ids[i] for i in below.path] if below is not None else [ids[asset]]
            unknown.append(
                {
                    "id": eid,
                    "reason": eid.removeprefix(UNSPECIFIED_PREFIX).split(":", 1)[0],
                    "description": facts.sources.get(eid),
                    "asset_id": ids[asset],
                    "path": [eid, *down],
                }
            )
    owner_rows.sort(key=lambda r: (-r["max_share"], -r["min_share"], len(r["path"]), r["id"]))
    unknown.sort(key=lambda r: r["id"])
    state = state_mask(graph, facts.schemata, facts.topics, rules.state)
    ctrl = analyse_control(graph, a.subject, state, rules.state.majority)
    controllers = [
        {
            "id": ids[c.node],
            "name": name(c.node),
            "path": [ids[i] for i in c.path],
            "in_cycle": c.in_cycle,
            "state": bool(state[c.node]),
        }
        for c in ctrl.ultimate
        if not ids[c.node].startswith(UNSPECIFIED_PREFIX)
    ]
    cycles = sorted({tuple(ids[i] for i in c) for c in interest.cycles})
    return OwnersReport(
        entity_id=entity_id,
        fictional=entity_id in fictional,
        name=facts.names.get(entity_id, entity_id),
        as_of=as_of,
        owners=owner_rows,
        status=a.status,
        state_linked=ctrl.state_linked,
        state_link_paths=[[ids[i] for i in p] for p in ctrl.state_paths],
        ultimate_controllers=controllers,
        unknown_owners=unknown,
        cycles=[list(c) for c in cycles],
        truncated=interest.truncated,
        rules_version=rules.version,
        people=_people(store, entity_id, as_of),
    )


def _people(store: Store, entity_id: str, as_of: dt.date) -> list[dict[str, Any]]:
    """Ties naming the entity that count on ``as_of``, each from the entity to the other end."""
    with store.view() as view:
        ties = view.ties([entity_id], as_of)
        others = {t.asset_id if t.owner_id == entity_id else t.owner_id for t in ties}
        names = view.captions(others)
        made_up = view.fictional_ids(others)
    rows = []
    for tie in ties:
        other = tie.asset_id if tie.owner_id == entity_id else tie.owner_id
        ref = tie.citation
        rows.append(
            {
                "id": other,
                "name": names.get(other, other),
                "kind": tie.kind,
                "role": tie.role,
                # whether the other end holds the role at the entity (a director of it) or the
                # entity holds it at the other end (the entity's own office or relative)
                "direction": "at-entity" if tie.asset_id == entity_id else "held-by-entity",
                "start_date": tie.start_date.isoformat() if tie.start_date else None,
                "end_date": tie.end_date.isoformat() if tie.end_date else None,
                "source": ref.to_json(),
                "key": tie.key,
                "fictional": other in made_up,
            }
        )
    rows.sort(key=lambda r: (r["kind"], r["direction"], r["name"], r["key"]))
    return rows


def inherited_listings(store: Store, entity_id: str, as_of: dt.date) -> list[dict[str, Any]]:
    """Listings that reach ``entity_id`` through its owners, one row per list entry and regime.

    A row appears when the entity is treated as listed under a regime because of its owners
    (not merely because it is listed itself). ``rule_in_force`` is false while a rule is
    suspended or not yet in effect: the affiliation is then a risk flag, not a legal bar.
    """
    rules = load_rules()
    a = _analyse(store, entity_id, as_of, rules)
    out: list[dict[str, Any]] = []
    for regime, st in a.status.items():
        if not st.inherited or not st.via:
            continue
        rule = rules.regime(regime, as_of)
        for owner_id in st.via:
            path = next((p for p in st.paths if p[0] == owner_id), [owner_id, entity_id])
            for row in a.facts.listings.get(owner_id, ()):
                if row.list_id not in rule.lists or row.program in rule.excluded_programs:
                    continue
                out.append(
                    {
                        "list_id": row.list_id,
                        "list_name": row.list_name,
                        "program": row.program,
                        "owner_id": owner_id,
                        "owner_name": a.facts.names.get(owner_id, owner_id),
                        "path": path,
                        "regime": regime,
                        "aggregate_share": _share(st.aggregate_listed_share),
                        "rule_in_force": st.rule_in_force,
                        "rule": st.rule,
                        "rule_citation": rule.citation,
                        "rule_url": rule.url,
                        "source_url": row.source_url,
                        "listing_start": row.start,
                        "listing_source_title": row.source.title,
                        "listing_source_published": row.source.published,
                        "inherited": True,
                    }
                )
    out.sort(key=lambda r: (r["regime"], r["list_id"], r["owner_id"], r["program"]))
    return out
