"""Who controls the bidder: controlling owners, state ownership or control, military links."""

from __future__ import annotations

from pydantic import Field

from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit
from bidvet.model.facts import OwnershipEdge
from bidvet.ownership.graph import UpwardLink


class ControlParams(Params):
    #: a share above this fraction controls
    majority: float = Field(default=0.5, ge=0, le=1)
    #: edge kinds that mean control whatever the share
    control_kinds: tuple[str, ...] = ("state", "controlling-shareholder", "board", "votes")


def _controls(edge: OwnershipEdge, params: ControlParams) -> bool:
    if edge.kind in params.control_kinds:
        return True
    low = edge.share if edge.share is not None else edge.share_min
    return low is not None and low > params.majority


def _control_links(ctx: EvalContext, params: ControlParams) -> list[UpwardLink]:
    return [link for link in ctx.chain if all(_controls(e, params) for e in link.edges)]


def _path_evidence(ctx: EvalContext, link: UpwardLink) -> list[Evidence]:
    out = []
    for edge in link.edges:
        text = (
            f"{ctx.caption(edge.owner_id)} → {ctx.caption(edge.asset_id)}: {edge.kind}, "
            f"{edge.share_text()}"
        )
        out.append(Evidence("ownership", text, edge.citation, edge.start_date, link.path))
    return out


@evaluator("control_chain", ControlParams)
def control_chain(ctx: EvalContext, params: ControlParams) -> list[Hit]:
    """Names who controls the bidder, link by link, up to the ultimate controller.

    Follows ownership and control edges in force on the as-of date upwards from the bidder. An
    edge controls when its share is above the majority threshold or its kind means control
    (state ownership, controlling shareholder, board or voting control), so a minority holder that
    is the controlling shareholder counts. The finding is informational: other criteria judge
    *who* the controller is.
    """
    links = _control_links(ctx, params)
    if not links or ctx.entity is None:
        return []
    top = max(links, key=lambda link: len(link.path))
    evidence: list[Evidence] = []
    for link in links:
        evidence.extend(e for e in _path_evidence(ctx, link)[len(link.edges) - 1 :])
    return [
        Hit(
            f"{ctx.entity.caption} is controlled through {ctx.path_text(top)}; ultimate "
            f"controller on record: {ctx.caption(top.owner_id)}",
            tuple(evidence),
        )
    ]


class StateParams(ControlParams):
    state_schemata: tuple[str, ...] = ("State", "PublicBody")
    state_topics: tuple[str, ...] = ("gov.soe", "gov.state", "gov")


@evaluator("state_control", StateParams)
def state_control(ctx: EvalContext, params: StateParams) -> list[Hit]:
    """The bidder is state-linked: a state body or state-owned enterprise owns or controls it.

    The bidder is state-linked when it is itself a state-owned enterprise (topic ``gov.soe``) or
    a public body, or when an owner above it on the as-of date is — at any share, because a
    state-controlled minority holder that is the controlling shareholder controls without a
    majority. Evidence is the ownership path and the source saying the owner is state-owned;
    a source published after the as-of date is not evidence (the report shows it as known
    later). The bidder is "controlled" when any state path controls at every link (a majority
    or a control kind), otherwise "partly owned".
    """
    if ctx.entity is None:
        return []
    hits = []
    own = ctx.entity
    state_nature = own.schema in params.state_schemata or set(own.topics) & set(params.state_topics)
    if state_nature and ctx.public(own.source):
        text = f"{own.caption} is itself recorded as state-owned or a public body"
        hits.append(Hit(text, (Evidence("ownership", text, own.source, None, (own.id,)),)))
    state_links = []
    for link in ctx.chain:
        owner = ctx.entity_facts(link.owner_id)
        if owner is None or not ctx.public(owner.source):
            continue
        if owner.schema in params.state_schemata or set(owner.topics) & set(params.state_topics):
            state_links.append((link, owner))
    if state_links:
        evidence: list[Evidence] = []
        for link, owner in state_links:
            what = "a state body" if owner.schema in params.state_schemata else "state-owned"
            evidence.append(
                Evidence("ownership", f"{owner.caption} is {what}", owner.source, None, (owner.id,))
            )
            evidence.extend(_path_evidence(ctx, link))
        # controlled when any state path controls at every link; otherwise partly owned
        controlling = [
            (link, owner)
            for link, owner in state_links
            if all(_controls(e, params) for e in link.edges)
        ]
        link, owner = (controlling or state_links)[-1]
        how = "controlled" if controlling else "partly owned"
        hits.append(
            Hit(
                f"{own.caption} is {how} by the state: {ctx.path_text(link)}",
                tuple({(e.kind, e.text): e for e in evidence}.values()),
            )
        )
    return hits


class MilitaryParams(Params):
    topics: tuple[str, ...] = ("mil",)
    lists: tuple[str, ...] = ("us-dod-1260h", "us-bis-meu", "us-ofac-ns-cmic")
    include_owners: bool = True


@evaluator("military_links", MilitaryParams)
def military_links(ctx: EvalContext, params: MilitaryParams) -> list[Hit]:
    """The bidder or an owner above it is a military or defence company.

    Counts entities recorded with a military topic (``mil``) and listings in force on the as-of
    date on military-company lists (the DoD Section 1260H "Chinese military companies" list, the
    BIS Military End-User list, the NS-CMIC list), for the bidder and — unless
    ``include_owners`` is false — every owner above it, with the ownership path.
    """
    if ctx.entity is None:
        return []
    subjects: list[tuple[str, tuple[str, ...], UpwardLink | None]] = [
        (ctx.entity.id, (ctx.entity.id,), None)
    ]
    if params.include_owners:
        subjects += [(link.owner_id, link.path, link) for link in ctx.chain]
    evidence: list[Evidence] = []
    for entity_id, path, link in subjects:
        ent = ctx.entity_facts(entity_id)
        if ent is None:
            continue
        via = f" (owner of the bidder: {ctx.path_text(link)})" if link else ""
        topics = set(ent.topics) & set(params.topics) if ctx.public(ent.source) else set()
        for topic in sorted(topics):
            evidence.append(
                Evidence(
                    "ownership",
                    f"{ent.caption} is recorded as a military or "
                    f"defence company (topic {topic}){via}",
                    ent.source,
                    None,
                    path,
                )
            )
        for lst in ctx.listings(entity_id):
            if lst.list_id in params.lists:
                since = f" since {lst.start.isoformat()}" if lst.start else ""
                evidence.append(
                    Evidence(
                        "listing",
                        f"{ent.caption} is on the {lst.list_name}{since}{via}",
                        lst.source,
                        lst.start,
                        path,
                    )
                )
    if not evidence:
        return []
    return [Hit(f"{ctx.entity.caption} has military or defence links", tuple(evidence))]
