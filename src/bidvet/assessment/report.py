"""The assessment report as a JSON document (schema ``bidvet-assessment/1``).

Deterministic by construction: keys sorted, lists in a fixed order, dates as ISO strings and no
time of "now" anywhere, so the same tender, framework and data snapshot give byte-identical
JSON. The renderers (Markdown, HTML, PDF) read this document and nothing else.
"""

from __future__ import annotations

from typing import Any

from bidvet import __version__
from bidvet.assessment.engine import Assessment, BidderResult
from bidvet.framework.models import OUTCOME_ORDER, SEVERITY_ORDER
from bidvet.jsonout import canonical

SCHEMA = "bidvet-assessment/1"


def _headline(result: BidderResult) -> str:
    """The outcome and the supplier findings of medium severity or above that drove it.

    Findings about the equipment (category ``technology``) apply to every bidder alike; they are
    named only when nothing about the supplier itself is of concern.
    """
    concern = [f for f in result.findings if SEVERITY_ORDER.index(f.severity) <= 2]
    supplier = [f for f in concern if f.category != "technology"]
    chosen = sorted(supplier or concern, key=lambda f: SEVERITY_ORDER.index(f.severity))
    if not chosen:
        drivers = [f for f in result.findings if f.criterion in result.decision.drivers]
        if drivers:
            return f"{result.decision.outcome}: " + "; ".join(
                dict.fromkeys(f.title for f in drivers)
            )
        return f"{result.decision.outcome}: no finding of concern"
    titles = list(dict.fromkeys(f.title for f in chosen))
    prefix = "" if supplier else "no supplier finding of concern; "
    return f"{result.decision.outcome}: {prefix}" + "; ".join(titles)


def _mitigations(a: Assessment, result: BidderResult) -> list[dict[str, Any]]:
    fw = a.framework.framework
    because: dict[str, list[str]] = {}
    for finding in result.findings:
        for mid in fw.criterion(finding.criterion).mitigations:
            ids = because.setdefault(mid, [])
            if finding.criterion not in ids:
                ids.append(finding.criterion)
    return [
        {"id": mid, "text": fw.mitigation(mid).text, "because": sorted(because[mid])}
        for mid in sorted(because)
    ]


def _bidder(a: Assessment, result: BidderResult) -> dict[str, Any]:
    b = result.bidder
    findings = sorted(
        result.findings,
        key=lambda f: (SEVERITY_ORDER.index(f.severity), f.criterion, f.summary),
    )
    return {
        "id": b.id,
        "name": b.name,
        "country": b.country,
        "price": b.price.to_json() if b.price else None,
        "entity_id": result.entity_id,
        "resolution": result.resolution.to_json(),
        "outcome": result.decision.outcome,
        "tier": result.tier,
        "answer_effects": result.answer_effects,
        "rationale": [*result.decision.rationale, *result.not_evaluated],
        "findings": [f.to_json() for f in findings],
        "mitigations": _mitigations(a, result),
        "questions": [q.to_json() for q in result.questions],
        "ownership": result.ownership,
        "price_flags": result.price_flags,
    }


def _snapshots(a: Assessment) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every snapshot in the store (what the data-snapshot hash covers) and the data-quality
    log of the datasets this assessment drew on."""
    with a.store.view() as view:
        snaps = sorted(view.snapshots(), key=lambda r: (r.dataset, r.file_name, r.sha256))
        issues = view.quality(a.datasets)
    snapshots = [
        {
            "dataset": r.dataset,
            "file_name": r.file_name,
            "sha256": r.sha256,
            "published": r.published.isoformat() if r.published else None,
        }
        for r in snaps
    ]
    quality = [q.to_json() for q in issues]
    return snapshots, quality


def build_report(a: Assessment) -> dict[str, Any]:
    """The ``bidvet-assessment/1`` document for an assessment."""
    t = a.tender.tender
    snapshots, quality = _snapshots(a)
    bidders = [_bidder(a, r) for r in a.bidders]
    summary = [
        {"bidder": r.bidder.name, "outcome": r.decision.outcome, "headline": _headline(r)}
        for r in sorted(
            a.bidders,
            key=lambda r: (OUTCOME_ORDER.index(r.decision.outcome), r.bidder.name),
        )
    ]
    return {
        "schema": SCHEMA,
        "bidvet_version": __version__,
        "framework": a.framework.to_json(),
        "data_snapshot": a.store.fingerprint(),
        "snapshots": snapshots,
        "as_of": a.as_of.isoformat(),
        "tender": {
            "id": t.id,
            "title": t.title,
            "buyer": t.buyer.name,
            "country": t.buyer.country,
            "site": {"type": t.site.type, "label": t.site.label, "sensitivity": t.site.sensitivity},
            "estimate": t.estimate.to_json() if t.estimate else None,
            "items": [
                {
                    "id": p.item.id,
                    "description": p.item.description,
                    "codes": [f"{c.scheme}:{c.code}" for c in p.item.codes],
                    "profile": p.profile,
                }
                for p in a.items
            ],
            "tier": a.tier,
        },
        "summary": summary,
        "bidders": bidders,
        "data_quality": quality,
    }


def report_json(report: dict[str, Any]) -> str:
    """The report as canonical JSON text (sorted keys, two-space indent, final newline); NaN and
    infinities are refused."""
    return canonical(report)
