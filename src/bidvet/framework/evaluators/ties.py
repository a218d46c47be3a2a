"""Who runs the bidder: directors and executives, their family and associates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit
from bidvet.model.facts import EntityFacts, OwnershipEdge


class TieParams(Params):
    #: tie kinds that make a person one of the bidder's directors or executives, and that make
    #: a person hold office at a state or military body
    office_kinds: tuple[str, ...] = ("directorship", "employment")
    #: tie kinds that bring an officer's relatives and associates in
    relation_kinds: tuple[str, ...] = ("family", "associate")
    #: topics of politically exposed persons (a topic counts with its sub-topics)
    pep_topics: tuple[str, ...] = ("role.pep",)
    #: schemata of state bodies
    state_schemata: tuple[str, ...] = ("PublicBody", "State")
    #: topics of government, state-owned and military bodies (a topic counts with its
    #: sub-topics: ``gov`` takes in ``gov.national``)
    state_topics: tuple[str, ...] = ("gov", "gov.soe", "mil")
    #: lists whose entries count (empty: every list)
    lists: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Person:
    """A person tied to the bidder and the ties from the bidder to them (one or two)."""

    id: str
    ties: tuple[OwnershipEdge, ...]

    @property
    def path(self) -> tuple[str, ...]:
        return (self.ties[0].asset_id, *(self._far(i) for i in range(len(self.ties))))

    def _far(self, i: int) -> str:
        tie = self.ties[i]
        near = self.ties[0].owner_id if i else tie.asset_id
        return tie.asset_id if tie.owner_id == near else tie.owner_id


def _matches(topics: Iterable[str], wanted: tuple[str, ...]) -> list[str]:
    return sorted(t for t in topics if any(t == w or t.startswith(w + ".") for w in wanted))


def _dates(tie: OwnershipEdge) -> str:
    if tie.start_date and tie.end_date:
        return f"{tie.start_date.isoformat()} to {tie.end_date.isoformat()}"
    if tie.start_date:
        return f"since {tie.start_date.isoformat()}"
    if tie.end_date:
        return f"until {tie.end_date.isoformat()}"
    return "dates not published"


def _role(tie: OwnershipEdge) -> str:
    return f"{tie.kind}: {tie.role}" if tie.role else tie.kind


def _people(ctx: EvalContext, bidder: str, params: TieParams) -> list[_Person]:
    """The bidder's officers, then each officer's relatives and associates, on the as-of date."""
    officers = [
        _Person(t.owner_id, (t,))
        for t in ctx.view.ties([bidder], ctx.as_of)
        if t.asset_id == bidder and t.kind in params.office_kinds and t.owner_id != bidder
    ]
    by_id: dict[str, list[_Person]] = {}
    for p in officers:
        by_id.setdefault(p.id, []).append(p)
    out = list(officers)
    for tie in ctx.view.ties(by_id, ctx.as_of):
        if tie.kind not in params.relation_kinds:
            continue
        for near, far in ((tie.owner_id, tie.asset_id), (tie.asset_id, tie.owner_id)):
            if near in by_id and far != bidder:
                out.extend(_Person(far, (p.ties[0], tie)) for p in by_id[near])
    return out


def _path_text(ctx: EvalContext, person: _Person) -> str:
    parts = [ctx.caption(person.path[0])]
    for i, tie in enumerate(person.ties):
        parts.append(f"{ctx.caption(person.path[i + 1])} ({_role(tie)}, {_dates(tie)})")
    return " ← ".join(parts)


def _reasons(
    ctx: EvalContext,
    person: _Person,
    facts: EntityFacts | None,
    offices: list[tuple[OwnershipEdge, EntityFacts]],
    params: TieParams,
) -> tuple[list[str], list[Evidence]]:
    """Why ``person`` matters (list entries, PEP status, offices at state or military bodies):
    the reasons in words and their evidence."""
    name = ctx.caption(person.id)
    why: list[str] = []
    out: list[Evidence] = []
    for lst in ctx.listings(person.id):
        if params.lists and lst.list_id not in params.lists:
            continue
        since = f" since {lst.start.isoformat()}" if lst.start else ""
        why.append(f"{name} is on the {lst.list_name}{since}")
        out.append(Evidence("listing", why[-1], lst.source, lst.start, person.path))
    if facts is not None and ctx.public(facts.source):
        for topic in _matches(facts.topics, params.pep_topics):
            why.append(f"{name} is recorded as a politically exposed person (topic {topic})")
            out.append(Evidence("listing", why[-1], facts.source, None, person.path))
    for tie, body in offices:
        if body.schema in params.state_schemata:
            what = f"a state body ({body.schema})"
        else:
            topics = ", ".join(_matches(body.topics, params.state_topics))
            what = f"a government, state-owned or military body (topic {topics})"
        why.append(f"{name} holds office at {body.caption}, {what} ({_role(tie)}, {_dates(tie)})")
        path = (*person.path, body.id)
        out.append(Evidence("ownership", why[-1], tie.citation, tie.start_date, path))
        out.append(Evidence("ownership", f"{body.caption} is {what}", body.source, None, path))
    return why, out


def _state_body(ctx: EvalContext, body: EntityFacts | None, params: TieParams) -> bool:
    if body is None or not ctx.public(body.source):
        return False
    return body.schema in params.state_schemata or bool(_matches(body.topics, params.state_topics))


@evaluator("board_ties", TieParams)
def board_ties(ctx: EvalContext, params: TieParams) -> list[Hit]:
    """A director or executive of the bidder, or their family or associate, is listed, a
    politically exposed person, or holds office in a state or military body.

    The bidder's directors and executives are the people with a directorship or employment at it
    in force on the as-of date; their family members and associates are added through family and
    associate ties in force on that date. Each of these people counts when they are on a list on
    that date, are recorded as a politically exposed person (topic ``role.pep``), or hold a
    directorship or employment in force then at a public body or state, or at an entity with a
    government, state-owned or military topic (``gov``, ``gov.soe``, ``mil``). The finding gives
    the path (bidder ← person ← relative), the roles and dates, and cites each tie's source. A
    tie or record whose source was published after the as-of date is not evidence.
    """
    if ctx.entity is None:
        return []
    bidder = ctx.entity.id
    people = _people(ctx, bidder, params)
    if not people:
        return []
    ids = sorted({p.id for p in people})
    offices: dict[str, list[OwnershipEdge]] = {}
    for tie in ctx.view.ties(ids, ctx.as_of):
        if tie.kind in params.office_kinds and tie.owner_id in ids and tie.asset_id != bidder:
            offices.setdefault(tie.owner_id, []).append(tie)
    bodies = ctx.view.entities({t.asset_id for ts in offices.values() for t in ts} | set(ids))
    hits: list[Hit] = []
    seen: set[tuple[str, ...]] = set()
    for person in people:
        if person.path in seen:
            continue
        seen.add(person.path)
        held = [
            (t, bodies[t.asset_id])
            for t in offices.get(person.id, ())
            if _state_body(ctx, bodies.get(t.asset_id), params)
        ]
        why, reasons = _reasons(ctx, person, bodies.get(person.id), held, params)
        if not why:
            continue
        ties = [
            Evidence(
                "ownership",
                f"{ctx.caption(t.owner_id)} → {ctx.caption(t.asset_id)}: {_role(t)}, {_dates(t)}",
                t.citation,
                t.start_date,
                person.path[: i + 2],
            )
            for i, t in enumerate(person.ties)
        ]
        hits.append(Hit(f"{_path_text(ctx, person)}: {'; '.join(why)}", (*ties, *reasons)))
    return hits
