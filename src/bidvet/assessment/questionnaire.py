"""The questionnaire for a tender: what every bidder must answer about its equipment's data.

Questions come from the technology profile of each item (``bidvet.technology.questionnaire``),
merged across items and listed by their D-ids; each bidder gets the same questions, with its
answers when the tender (or its answer file) gives any. ``md``, ``html`` and ``json`` render
through the report renderers (``bidvet.reports.render_questionnaire``); ``yaml`` and ``csv``
are the fillable answer forms of :mod:`bidvet.assessment.answers`. :func:`import_answers` reads
a filled form back, checked against this tender.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bidvet.assessment import adapters
from bidvet.assessment.answers import (
    CheckedAnswers,
    check_answers,
    form_csv,
    form_yaml,
    normalised_yaml,
    read_answer_file,
)
from bidvet.assessment.tender import LoadedTender, load_tender
from bidvet.model.quality import QualityLog
from bidvet.technology.questionnaire import load_questionnaire

FORMATS = ("md", "html", "json", "yaml", "csv")


def _question(q: dict[str, Any]) -> dict[str, Any]:
    """A question of the document, with its answer type and the answers it accepts."""
    book = load_questionnaire()
    spec = book.questions[q["id"]]
    out = dict(q)
    out["type"] = spec.type
    out["allowed"] = list(book.allowed(spec.id))
    if spec.options:
        out["options"] = {o.id: o.label for o in spec.options}
    return out


def build_questionnaire(tender: str | Path | LoadedTender) -> dict[str, Any]:
    """``{schema, tender, bidders: [{id, name, questions}]}`` for the tender."""
    loaded = tender if isinstance(tender, LoadedTender) else load_tender(tender)
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
        "questionnaire": load_questionnaire().spec.id,
        "bidders": [
            {
                "id": b.id,
                "name": b.name,
                "questions": [
                    _question(q.to_json()) for q in adapters.questions(profiles, dict(b.answers))
                ],
            }
            for b in t.bidders
        ],
    }


def render_questionnaire(doc: dict[str, Any], fmt: str) -> bytes:
    """The questionnaire as ``json``, ``md`` or ``html`` bytes, or as a fillable ``yaml`` or
    ``csv`` answer form."""
    if fmt == "yaml":
        return form_yaml(doc).encode("utf-8")
    if fmt == "csv":
        return form_csv(doc).encode("utf-8")
    from bidvet.reports import render_questionnaire as render

    return render(doc if fmt == "json" else _for_reading(doc), fmt)


def _for_reading(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as md and html show it: each question led by its D-id, with the answers
    it accepts after its text."""

    def shown(q: dict[str, Any]) -> dict[str, Any]:
        out = dict(q)
        out["topic"] = f"{q['id']} {q.get('topic') or ''}".strip()
        options = q.get("options") or {}
        allowed = [f"{a} ({options[a]})" if a in options else str(a) for a in q.get("allowed", [])]
        accepts = " | ".join(allowed) if allowed else "free text"
        out["text"] = f"{q.get('text', '')} [answer: {accepts}; evidence; attachments]"
        return out

    return {
        **doc,
        "bidders": [
            {**b, "questions": [shown(q) for q in b.get("questions") or []]}
            for b in doc.get("bidders") or []
        ],
    }


@dataclass(frozen=True)
class ImportedAnswers:
    """A checked answer file: the answers, the problems, the log and the normalised YAML."""

    path: Path
    tender: LoadedTender
    checked: CheckedAnswers
    log: QualityLog
    text: str

    def summary(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "tender": self.tender.tender.id,
            "bidders": {b: len(a) for b, a in sorted(self.checked.answers.items())},
            "answers": sum(len(a) for a in self.checked.answers.values()),
            "problems": [p.error().render() for p in self.checked.problems],
            "issues": [i.as_dict() for i in self.log.issues],
        }


def import_answers(path: str | Path, tender: str | Path) -> ImportedAnswers:
    """Read a filled answer form (YAML or CSV) and check it against ``tender``.

    Every problem is collected (``checked.problems``); ``text`` is the normalised YAML answer
    file, empty when there are problems. Writes nothing.
    """
    path = Path(path)
    loaded = load_tender(tender)
    doc = build_questionnaire(loaded)
    required = {
        str(b["id"]): {str(q["id"]) for q in b["questions"] if q.get("required")}
        for b in doc["bidders"]
    }
    ids = [b.id for b in loaded.tender.bidders]
    log = QualityLog(path.name)
    checked = check_answers(
        read_answer_file(path),
        tender_id=loaded.tender.id,
        bidder_ids=ids,
        required=required,
        log=log,
    )
    text = ""
    if not checked.problems:
        text = normalised_yaml(checked.answers, tender_id=loaded.tender.id, bidder_ids=ids)
    return ImportedAnswers(path, loaded, checked, log, text)
