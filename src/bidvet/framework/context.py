"""What an evaluator may look at when it decides a criterion for one bidder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from bidvet.framework.facts import EntityFacts, OwnerLink
from bidvet.framework.findings import SourceRef
from bidvet.framework.jurisdictions import Jurisdictions
from bidvet.framework.models import Tier
from bidvet.store.db import Store


@dataclass(frozen=True)
class Resolution:
    """How the bidder was matched to an entity of the knowledge store."""

    method: str  # entity_id | identifier | screening | none
    score: float | None = None
    matched_name: str | None = None
    explanation: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "score": self.score,
            "matched_name": self.matched_name,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Question:
    """A question put to the bidder, with its answer from the tender file if there is one."""

    id: str
    topic: str
    text: str
    evidence: str
    required: bool
    answer: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "text": self.text,
            "evidence": self.evidence,
            "required": self.required,
            "answer": self.answer,
        }


@dataclass(frozen=True)
class EvalContext:
    """One bidder in one tender, as of one date.

    ``entity`` is ``None`` when the bidder could not be resolved to a known entity; ``chain``
    lists every upstream owner in force on ``as_of``. ``items`` are the technology profiles of
    the tender's items (``to_json`` form), ``tier`` the highest item tier.
    """

    conn: Connection
    as_of: dt.date
    bidder_name: str
    bidder_country: str | None
    entity: EntityFacts | None
    resolution: Resolution
    chain: tuple[OwnerLink, ...]
    jurisdictions: Jurisdictions
    tier: Tier
    tender_source: SourceRef
    data_source: SourceRef
    items: tuple[dict[str, Any], ...] = ()
    questions: tuple[Question, ...] = ()
    price_flags: tuple[dict[str, Any], ...] = ()
    store: Store | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def caption(self, entity_id: str) -> str:
        from bidvet.framework import facts

        ent = facts.entity(self.conn, entity_id)
        return ent.caption if ent else entity_id

    def path_text(self, link: OwnerLink) -> str:
        """``Nuctech ← Tongfang (controlling shareholder, share not published) ← CNNC``."""
        parts = [self.caption(link.path[0])]
        for edge in link.edges:
            parts.append(f"{self.caption(edge.owner_id)} ({edge.kind}, {edge.share_text()})")
        return " ← ".join(parts)
