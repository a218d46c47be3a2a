"""The assessment report as a JSON document (schema ``bidvet-assessment/1``).

Deterministic by construction: keys sorted, lists in a fixed order, dates as ISO strings and no
time of "now" anywhere, so the same tender, framework and data snapshot give byte-identical
JSON. The renderers (Markdown, HTML, PDF) read this document and nothing else.
"""

from __future__ import annotations

from typing import Any

from bidvet import __version__
from bidvet.assessment.coverage import list_coverage
from bidvet.assessment.engine import Assessment, BidderResult
from bidvet.framework.findings import Finding
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


def _restrictions(a: Assessment, result: BidderResult) -> list[dict[str, Any]]:
    """What a RESTRICT outcome imposes: the restrictions of the criteria that drove it, each with
    the findings that call for it and the items (at or above the high tier) it applies to."""
    if result.decision.outcome != "restrict":
        return []
    fw = a.framework.framework
    because: dict[str, list[str]] = {}
    for finding in result.findings:
        if finding.criterion not in result.decision.drivers:
            continue
        for rid in fw.criterion(finding.criterion).restrictions:
            ids = because.setdefault(rid, [])
            if finding.criterion not in ids:
                ids.append(finding.criterion)
    sensitive = [p.item.id for p in a.items if str(p.profile.get("tier")) in ("high", "critical")]
    return [
        {
            "id": rid,
            "aspect": fw.restriction(rid).aspect,
            "text": fw.restriction(rid).text,
            "because": sorted(because[rid]),
            "items": sensitive,
        }
        for rid in sorted(because, key=lambda r: (fw.restriction(r).aspect, r))
    ]


def _mitigations(a: Assessment, result: BidderResult) -> list[dict[str, Any]]:
    """Conditions for award; none when the bidder is excluded (nothing makes it acceptable)."""
    if result.decision.outcome == "exclude":
        return []
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


def _finding(result: BidderResult, finding: Finding) -> dict[str, Any]:
    """A finding with the outcome it led to under the rule that used it at the bidder's tier
    (``None``: no outcome rule used it; it is for information)."""
    led = result.decision.leads_to(finding.criterion)
    return {
        **finding.to_json(),
        "leads_to": {"outcome": led[0], "rule": led[1]} if led else None,
    }


def _decision(a: Assessment, result: BidderResult) -> dict[str, Any]:
    """The decision page: the outcome, the one or two findings that decided it (each with its
    first piece of evidence: what, when, which source), what the buyer must impose, and what
    would change the outcome."""
    fw = a.framework.framework
    drivers = [f for f in result.findings if f.criterion in result.decision.drivers]
    drivers.sort(key=lambda f: (SEVERITY_ORDER.index(f.severity), f.criterion, f.summary))
    decided = []
    for f in drivers[:2]:
        ev = f.evidence[0] if f.evidence else None
        decided.append(
            {
                "criterion": f.criterion,
                "title": f.title,
                "summary": f.summary,
                "date": ev.date.isoformat() if ev and ev.date else None,
                "source": ev.source.to_json() if ev else None,
            }
        )
    changes = list(
        dict.fromkeys(
            text for f in drivers if (text := fw.criterion(f.criterion).changes_if) is not None
        )
    )
    outcome = result.decision.outcome
    action = {
        "exclude": "Do not award. No condition makes this bidder acceptable.",
        "restrict": "Award only within the restrictions below.",
        "mitigate": "Award only once the mitigations below are in place.",
        "accept": "No supplier risk needs action.",
    }[outcome]
    return {
        "outcome": outcome,
        "action": action,
        "decided_by": decided,
        "more_findings": max(0, len(drivers) - len(decided)),
        "would_change": changes,
    }


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
        "decision": _decision(a, result),
        "tier": result.tier,
        "answer_effects": result.answer_effects,
        "rationale": [*result.decision.rationale, *result.not_evaluated],
        "known_later": result.known_later,
        "fictional": result.fictional,
        "entity_names": result.names,
        "findings": [_finding(result, f) for f in findings],
        "restrictions": _restrictions(a, result),
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
        "lists_checked": list_coverage(a.store, a.buyer, a.as_of),
        "summary": summary,
        "bidders": bidders,
        "data_quality": quality,
    }


def report_json(report: dict[str, Any]) -> str:
    """The report as canonical JSON text (sorted keys, two-space indent, final newline); NaN and
    infinities are refused."""
    return canonical(report)
