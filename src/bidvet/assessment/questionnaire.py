"""The questionnaire for a tender: what every bidder must answer about its equipment's data.

Questions come from the technology profile of each item (``bidvet.technology.questionnaire``),
merged across items; each bidder gets the same questions, with its answers from the tender file
when it gave any. Rendering uses the report renderers (``bidvet.reports.render_questionnaire``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bidvet.assessment import adapters
from bidvet.assessment.tender import load_tender


def build_questionnaire(tender_path: str | Path) -> dict[str, Any]:
    """``{schema, tender, bidders: [{name, questions}]}`` for the tender at ``tender_path``."""
    loaded = load_tender(tender_path)
    t = loaded.tender
    profiles = [
        adapters.profile_item(item, t.site, where=(loaded.path, f"items[{i}] ({item.id})"))
        for i, item in enumerate(t.items)
    ]
    tier = adapters.purchase_tier(profiles)
    return {
        "schema": "bidvet-questionnaire/1",
        "tender": {
            "id": t.id,
            "title": t.title,
            "buyer": t.buyer.name,
            "country": t.buyer.country,
            "site": {"type": t.site.type, "label": t.site.label, "sensitivity": t.site.sensitivity},
            "items": [
                {"id": p.item.id, "description": p.item.description, "tier": p.tier}
                for p in profiles
            ],
            "tier": tier,
        },
        "bidders": [
            {
                "name": b.name,
                "questions": [q.to_json() for q in adapters.questions(profiles, dict(b.answers))],
            }
            for b in t.bidders
        ],
    }


def render_questionnaire(doc: dict[str, Any], fmt: str) -> bytes:
    """The questionnaire as ``json``, ``md`` or ``html`` bytes."""
    from bidvet.reports import render_questionnaire as render

    return render(doc, fmt)
