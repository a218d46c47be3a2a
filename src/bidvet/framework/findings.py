"""What evaluators return: hits with evidence, each piece of evidence with its source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from bidvet.model.facts import SourceRef
from bidvet.model.tiers import Severity

__all__ = ["Evidence", "EvidenceKind", "Finding", "Hit", "NotEvaluated", "SourceRef"]

EvidenceKind = Literal[
    "listing",
    "ownership",
    "event",
    "jurisdiction",
    "screening",
    "answer",
    "price",
    "missing",
    "technology",
]


class NotEvaluated(Exception):
    """An evaluator could not decide its criterion (e.g. a layer it needs is missing).

    The engine states this in the bidder's rationale; it is never treated as a pass.
    """


@dataclass(frozen=True, slots=True)
class Evidence:
    """One fact that made a criterion fire."""

    kind: EvidenceKind
    text: str
    source: SourceRef
    date: dt.date | None = None
    path: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "date": self.date.isoformat() if self.date else None,
            "path": list(self.path) if self.path is not None else None,
            "source": self.source.to_json(),
        }


@dataclass(frozen=True, slots=True)
class Hit:
    """An evaluator's answer when its criterion applies to a bidder.

    ``severity`` overrides the criterion's severity from the framework YAML when the evaluator
    grades the hit itself (e.g. the technology tier).
    """

    summary: str
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A hit of one criterion for one bidder, with the criterion's metadata from the framework."""

    criterion: str
    title: str
    category: str
    severity: Severity
    forces: str | None
    summary: str
    evidence: tuple[Evidence, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "title": self.title,
            "category": self.category,
            "severity": self.severity,
            "forces": self.forces,
            "summary": self.summary,
            "evidence": [e.to_json() for e in self.evidence],
        }
