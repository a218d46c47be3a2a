"""The assessment engine: one framework applied uniformly to every bidder of a tender.

For each bidder: resolve it to an entity (:mod:`bidvet.resolution`: ``entity_id``, else
identifiers, else screening, ambiguity reported), collect its owners in force on the as-of date,
run every criterion's evaluator, turn hits into findings carrying the criterion's metadata, and
let the outcome rule decide. The assessment only reads the store: knowledge it expects but does
not find (:mod:`bidvet.assessment.knowledge`) is named in each bidder's rationale.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bidvet.assessment import adapters
from bidvet.assessment.knowledge import knowledge_state
from bidvet.assessment.tender import Bidder, LoadedTender, load_tender
from bidvet.dates import today
from bidvet.framework.buyers import BuyerProfile, default_buyer_profiles
from bidvet.framework.context import EvalContext, Question, upstream
from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.findings import Finding, NotEvaluated, SourceRef
from bidvet.framework.jurisdictions import default_jurisdictions
from bidvet.framework.loader import LoadedFramework, framework_path, load_framework
from bidvet.framework.outcome import Decision, decide
from bidvet.model.tiers import Tier
from bidvet.resolution import Resolution, Resolver, Subject
from bidvet.store.db import Store

log = logging.getLogger(__name__)


@dataclass
class BidderResult:
    bidder: Bidder
    entity_id: str | None
    resolution: Resolution
    findings: list[Finding]
    decision: Decision
    questions: list[Question]
    ownership: dict[str, Any] | None
    price_flags: list[dict[str, Any]]
    #: the purchase's tier for this bidder, after its questionnaire answers
    tier: Tier = Tier.LOW
    #: per item, what this bidder's answers changed in the technology profile
    answer_effects: list[dict[str, Any]] = field(default_factory=list)
    not_evaluated: list[str] = field(default_factory=list)
    #: facts not yet in force or not yet public on the as-of date (never evidence)
    known_later: list[dict[str, Any]] = field(default_factory=list)
    #: the bidder's record, or an owner's, comes from a fictional dataset (tests, examples)
    fictional: list[str] = field(default_factory=list)
    #: every name of the resolved record, in every script it is published in
    names: list[str] = field(default_factory=list)


@dataclass
class Assessment:
    tender: LoadedTender
    framework: LoadedFramework
    as_of: dt.date
    tier: Tier
    items: list[adapters.ItemProfile]
    bidders: list[BidderResult]
    store: Store
    #: the buyer's jurisdiction profile: which lists and bans bind it (report page 1)
    buyer: BuyerProfile
    #: datasets the assessment drew on (knowledge files, bidders' and owners' records): the
    #: report shows their data-quality log
    datasets: tuple[str, ...] = ()


def _findings(lf: LoadedFramework, ctx: EvalContext) -> tuple[list[Finding], list[str]]:
    specs = evaluators()
    out: list[Finding] = []
    skipped: list[str] = []
    for crit in lf.framework.criteria:
        spec = specs[crit.evaluator]
        try:
            hits = spec.func(ctx, lf.params[crit.id])
        except NotEvaluated as exc:
            skipped.append(f"criterion {crit.id} was not evaluated: {exc}")
            continue
        for hit in hits:
            out.append(
                Finding(
                    criterion=crit.id,
                    title=crit.title,
                    category=crit.category,
                    severity=hit.severity or crit.severity,
                    forces=crit.forces,
                    summary=hit.summary,
                    evidence=hit.evidence,
                )
            )
    return out, skipped


def _known_later(ctx: EvalContext) -> list[dict[str, Any]]:
    """Facts about the bidder and its owners that were not yet in force or not yet public on
    the as-of date: shown apart in the report ("known later"), never used as evidence.

    * listings that start after the as-of date (or, for lists that publish no dates, were
      first seen in a later publication);
    * ownership edges in force on the as-of date but stated only by a later source;
    * events, and state or military records of an entity, whose source was published later.
    """
    if ctx.entity is None:
        return []
    ids = [ctx.entity.id, *(link.owner_id for link in ctx.chain)]
    out: list[dict[str, Any]] = []

    def add(kind: str, text: str, source: SourceRef, public_from: dt.date | None) -> None:
        out.append(
            {
                "kind": kind,
                "text": text,
                "public_from": public_from.isoformat() if public_from else None,
                "source": source.to_json(),
            }
        )

    for lst in ctx.view.future_listings(ids, ctx.as_of):
        if lst.start_date:
            text = f"{ctx.caption(lst.entity_id)} is on the {lst.list_name} only from "
            text += lst.start_date.isoformat()
        else:
            text = (
                f"{ctx.caption(lst.entity_id)} is on the {lst.list_name}, which publishes no "
                f"start date; the entry was first seen in the publication of {lst.first_seen}"
            )
        add("listing", text, lst.source, lst.start_date or lst.first_seen)
    for edge in ctx.view.edges_known_later(ids, ctx.as_of):
        cite = edge.citation
        add(
            "ownership",
            f"{ctx.caption(edge.owner_id)} → {ctx.caption(edge.asset_id)} ({edge.kind}, "
            f"{edge.share_text()}): in force on {ctx.as_of.isoformat()} but first stated by "
            f"{cite.title}",
            cite,
            cite.published,
        )
    for ev in ctx.view.events(ids, ctx.as_of):
        if not ctx.public(ev.source):
            when = ev.date.isoformat() if ev.date else "undated"
            add(
                "event",
                f"{ctx.caption(ev.entity_id)} ({when}): {ev.summary}",
                ev.source,
                ev.source.published,
            )
    for entity_id in ids:
        ent = ctx.entity_facts(entity_id)
        if ent is None or ctx.public(ent.source):
            continue
        marks = sorted(set(ent.topics) & {"gov", "gov.soe", "gov.state", "mil"})
        if marks or ent.schema in ("State", "PublicBody"):
            what = ", ".join(marks) if marks else ent.schema
            add(
                "entity",
                f"{ent.caption} is recorded as {what} by a source published later",
                ent.source,
                ent.source.published,
            )
    return sorted(out, key=lambda r: (r["public_from"] or "", r["kind"], r["text"]))


def subject(bidder: Bidder) -> Subject:
    """What the resolver is told about a bidder."""
    return Subject(
        bidder.name,
        bidder.country,
        tuple((i.scheme, i.value) for i in bidder.identifiers),
        bidder.entity_id,
        tuple(bidder.not_entity_ids),
    )


def check_inputs(tender: LoadedTender, framework: str | Path | None = None) -> LoadedFramework:
    """Everything an assessment reads from its files, checked without touching a store: the
    framework, and each item's technology profile (an unknown feature or site is an error
    here, not after the tender's knowledge files were loaded)."""
    lf = load_framework(framework_path(framework or tender.framework_ref()))
    t = tender.tender
    for i, item in enumerate(t.items):
        adapters.profile_item(item, t.site, where=(tender.path, f"items[{i}] ({item.id})"))
    return lf


def assess(
    store: Store,
    tender: LoadedTender | str | Path,
    *,
    as_of: dt.date | None = None,
    framework: str | Path | LoadedFramework | None = None,
) -> Assessment:
    """Assess every bidder of ``tender`` (a loaded tender or a tender file) as of ``as_of``
    (default today). ``framework`` overrides the tender's (an id, a file, or one already loaded
    by :func:`check_inputs`). Reads the store and writes nothing."""
    tender = tender if isinstance(tender, LoadedTender) else load_tender(tender)
    lf = (
        framework
        if isinstance(framework, LoadedFramework)
        else load_framework(framework_path(framework or tender.framework_ref()))
    )
    as_of = as_of or today()
    knowledge = knowledge_state(store, tender)
    datasets = set(knowledge.datasets)
    t = tender.tender
    items = [
        adapters.profile_item(item, t.site, where=(tender.path, f"items[{i}] ({item.id})"))
        for i, item in enumerate(t.items)
    ]
    tier = adapters.purchase_tier(items)
    price_date = min(t.date, as_of) if t.date else as_of
    prices = adapters.price_flags(t.bidders, t.estimate, t.buyer.country, price_date)
    tender_source = SourceRef(f"tender file {tender.path.name}", None, t.date)
    data_source = SourceRef(f"bidvet knowledge store, data snapshot {store.fingerprint()[:12]}")
    results = []
    resolver = Resolver(store, as_of=as_of)
    jurisdictions = default_jurisdictions()
    buyer = default_buyer_profiles().for_country(t.buyer.country)
    for bidder in t.bidders:
        resolution = resolver.resolve(subject(bidder))
        entity_id = resolution.entity_id
        qs = adapters.questions(items, dict(bidder.answers))
        bidder_items, effects = adapters.with_answers(items, dict(bidder.answers))
        bidder_tier = adapters.purchase_tier(bidder_items)
        with store.view() as view:
            ent = view.entity(entity_id) if entity_id else None
            chain = tuple(upstream(view, entity_id, as_of)) if entity_id else ()
            ctx = EvalContext(
                view=view,
                store=store,
                as_of=as_of,
                bidder_name=bidder.name,
                bidder_country=bidder.country,
                entity=ent,
                resolution=resolution,
                chain=chain,
                jurisdictions=jurisdictions,
                tier=bidder_tier,
                tender_source=tender_source,
                data_source=data_source,
                items=tuple({"id": p.item.id, "profile": p.profile} for p in bidder_items),
                questions=tuple(qs),
                price_flags=tuple(prices.get(bidder.id, [])),
                answer_effects=tuple(effects),
                tender_tier=tier,
                buyer=buyer,
            )
            found, skipped = _findings(lf, ctx)
            fictional: list[str] = []
            if entity_id:
                ids = [entity_id, *(x.owner_id for x in chain)]
                fictional = sorted(view.captions(view.fictional_ids(ids)).values())
                datasets.update(view.datasets_of(ids))
            later = _known_later(ctx)
        skipped += knowledge.missing
        if lf.framework.superseded_by:
            skipped.append(
                f"framework {lf.framework.id} is superseded by {lf.framework.superseded_by}; "
                "it is kept so earlier reports reproduce"
            )
        if buyer.id == "default":
            skipped.append(
                f"the buyer's country ({t.buyer.country}) has no jurisdiction profile: only UN "
                "Security Council designations are treated as legal bars; every other list is a "
                "risk signal"
            )
        decision = decide(lf.framework, found, bidder_tier)
        ownership = adapters.ownership_report(store, entity_id, as_of) if entity_id else None
        results.append(
            BidderResult(
                bidder=bidder,
                entity_id=entity_id,
                resolution=resolution,
                findings=found,
                decision=decision,
                questions=qs,
                ownership=ownership,
                price_flags=list(prices.get(bidder.id, [])),
                tier=bidder_tier,
                answer_effects=effects,
                not_evaluated=skipped,
                known_later=later,
                fictional=fictional,
                names=list(ent.names) if ent else [],
            )
        )
    return Assessment(
        tender, lf, as_of, tier, items, results, store, buyer, tuple(sorted(datasets))
    )
