"""The assessment engine: one framework applied uniformly to every bidder of a tender.

For each bidder: resolve it to an entity (by ``entity_id``, else identifiers, else screening),
collect its owners in force on the as-of date, run every criterion's evaluator, turn hits into
findings carrying the criterion's metadata, and let the outcome rule decide. The knowledge the
assessment needs (the bundled reference case and the tender's own ``knowledge:`` files) is
loaded into the store on demand; re-loading an unchanged file is a no-op.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bidvet.assessment import integrations
from bidvet.assessment.tender import Bidder, LoadedTender, load_tender
from bidvet.dates import today
from bidvet.framework import facts
from bidvet.framework.context import EvalContext, Question, Resolution
from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.findings import Finding, NotEvaluated, SourceRef
from bidvet.framework.jurisdictions import default_jurisdictions
from bidvet.framework.loader import LoadedFramework, framework_path, load_framework
from bidvet.framework.models import Tier
from bidvet.framework.outcome import Decision, decide
from bidvet.sources.loader import load_file
from bidvet.store.db import Store

log = logging.getLogger(__name__)

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"
#: screening score from which a name match resolves a bidder
SCREENING_THRESHOLD = 0.85


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
    tier: Tier = "low"
    #: per item, what this bidder's answers changed in the technology profile
    answer_effects: list[dict[str, Any]] = field(default_factory=list)
    not_evaluated: list[str] = field(default_factory=list)


@dataclass
class Assessment:
    tender: LoadedTender
    framework: LoadedFramework
    as_of: dt.date
    tier: Tier
    items: list[integrations.ItemProfile]
    bidders: list[BidderResult]
    store: Store
    #: datasets the assessment drew on (knowledge files, bidders' and owners' records): the
    #: report shows their data-quality log
    datasets: tuple[str, ...] = ()


def reference_files() -> list[Path]:
    """The knowledge files bundled with bidvet (the cited reference case)."""
    return sorted(REFERENCE_DIR.glob("*.yaml"))


def ensure_knowledge(store: Store, tender: LoadedTender) -> list[str]:
    """Load the bundled reference knowledge and the tender's knowledge files into the store.

    The bundled files are curated YAML; the tender's files may be any format ``bidvet load``
    recognises. Returns the datasets loaded (or found already loaded).
    """
    datasets = []
    paths: list[tuple[Path, str | None]] = [(p, "bidvet-curated") for p in reference_files()]
    paths += [(p, None) for p in tender.knowledge_paths()]
    for path, fmt in paths:
        summary = load_file(store, path, fmt)
        datasets.append(summary.dataset)
        if not summary.write.already_loaded:
            log.info("loaded %s into the store (%s records)", path, summary.imported)
    return datasets


class _Screening:
    """The screener, built on first use and shared by every bidder of one assessment."""

    def __init__(self, store: Store, as_of: dt.date) -> None:
        self.store = store
        self.as_of = as_of
        self._screener: Any = None

    def screen(self, name: str, country: str | None, identifiers: list[str]) -> list[Any]:
        if self._screener is None:
            from bidvet.screening.engine import Screener

            # Listings through owners come from the ownership engine in the evaluators.
            self._screener = Screener(self.store, as_of=self.as_of, with_inherited=False)
        return list(self._screener.screen(name, country=country, identifiers=identifiers))


def resolve(
    store: Store, bidder: Bidder, as_of: dt.date, screening: _Screening | None = None
) -> tuple[str | None, Resolution]:
    """Match a bidder to an entity: by ``entity_id``, else identifier, else screening."""
    with store.read() as conn:
        if bidder.entity_id:
            if facts.entity(conn, bidder.entity_id) is None:
                return None, Resolution(
                    "none", None, None, f"entity_id {bidder.entity_id!r} is not in the store"
                )
            ent = facts.entity(conn, bidder.entity_id)
            return bidder.entity_id, Resolution(
                "entity_id", 1.0, ent.caption if ent else None, "entity id given in the tender"
            )
        for ident in bidder.identifiers:
            ids = facts.entity_ids_by_identifier(conn, ident.scheme, ident.value)
            if len(ids) == 1:
                ent = facts.entity(conn, ids[0])
                return ids[0], Resolution(
                    "identifier",
                    1.0,
                    ent.caption if ent else None,
                    f"{ident.scheme} {ident.value} identifies one entity",
                )
    screening = screening or _Screening(store, as_of)
    matches = screening.screen(bidder.name, bidder.country, [i.value for i in bidder.identifiers])
    best = matches[0] if matches else None
    if best is not None and best.match and best.score >= SCREENING_THRESHOLD:
        return best.entity_id, Resolution(
            "screening", round(best.score, 4), best.name, "; ".join(best.explanation)
        )
    if best is not None:
        return None, Resolution(
            "none",
            round(best.score, 4),
            best.name,
            f"best screening candidate {best.name!r} scored {best.score:.2f}, below the "
            f"{SCREENING_THRESHOLD} needed to resolve the bidder",
        )
    return None, Resolution("none", None, None, "no identifier or screening match")


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


def _later_facts(ctx: EvalContext) -> list[str]:
    """Say which recorded listings were left out because they start after the as-of date."""
    if ctx.entity is None:
        return []
    ids = [ctx.entity.id, *(link.owner_id for link in ctx.chain)]
    return [
        f"not counted as of {ctx.as_of.isoformat()}: {ctx.caption(lst.entity_id)} is on the "
        + (
            f"{lst.list_name} only from {lst.start.isoformat()}"
            if lst.start
            else f"{lst.list_name}, which publishes no start date; the entry was {lst.reason}"
        )
        for lst in facts.future_listings(ctx.conn, ids, ctx.as_of)
    ]


def assess(
    store: Store,
    tender_path: str | Path,
    *,
    as_of: dt.date | None = None,
    framework: str | Path | None = None,
) -> Assessment:
    """Assess every bidder of the tender at ``tender_path`` as of ``as_of`` (default today)."""
    tender = load_tender(tender_path)
    lf = load_framework(framework_path(framework or tender.framework_ref()))
    as_of = as_of or today()
    datasets = set(ensure_knowledge(store, tender))
    t = tender.tender
    items = [
        integrations.profile_item(item, t.site, where=(tender.path, f"items[{i}] ({item.id})"))
        for i, item in enumerate(t.items)
    ]
    tier: Tier = integrations.highest_tier(items)
    prices = integrations.price_flags(t.bidders, t.estimate)
    tender_source = SourceRef(f"tender file {tender.path.name}", None, t.date)
    data_source = SourceRef(f"bidvet knowledge store, data snapshot {store.fingerprint()[:12]}")
    results = []
    screening = _Screening(store, as_of)
    for bidder in t.bidders:
        entity_id, resolution = resolve(store, bidder, as_of, screening)
        qs = integrations.questions(items, dict(bidder.answers))
        bidder_items, effects = integrations.with_answers(items, dict(bidder.answers))
        bidder_tier: Tier = integrations.highest_tier(bidder_items)
        with store.read() as conn:
            ent = facts.entity(conn, entity_id) if entity_id else None
            chain = tuple(facts.upstream(conn, entity_id, as_of)) if entity_id else ()
            ctx = EvalContext(
                conn=conn,
                as_of=as_of,
                bidder_name=bidder.name,
                bidder_country=bidder.country,
                entity=ent,
                resolution=resolution,
                chain=chain,
                jurisdictions=default_jurisdictions(),
                tier=bidder_tier,
                tender_source=tender_source,
                data_source=data_source,
                items=tuple({"id": p.item.id, "profile": p.profile} for p in bidder_items),
                questions=tuple(qs),
                price_flags=tuple(prices.get(bidder.id, [])),
                store=store,
                extra={"answer_effects": effects, "tender_tier": tier},
            )
            found, skipped = _findings(lf, ctx)
            if entity_id:
                datasets.update(facts.datasets_of(conn, [entity_id, *(x.owner_id for x in chain)]))
            skipped += _later_facts(ctx)
        decision = decide(lf.framework, found, bidder_tier)
        ownership = integrations.ownership_report(store, entity_id, as_of) if entity_id else None
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
            )
        )
    return Assessment(tender, lf, as_of, tier, items, results, store, tuple(sorted(datasets)))
