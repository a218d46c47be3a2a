"""What an evaluator may look at when it decides a criterion for one bidder or supplier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bidvet.framework.buyers import BuyerProfile, default_buyer_profiles
from bidvet.framework.jurisdictions import Jurisdictions
from bidvet.model.facts import EntityFacts, EventFact, ListingFact, SourceRef
from bidvet.model.tiers import Tier
from bidvet.ownership.graph import UpwardLink, walk_upward
from bidvet.ownership.report import inherited_listings
from bidvet.resolution import Resolution
from bidvet.store.db import Store
from bidvet.store.view import View


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


def upstream(view: View, entity_id: str, as_of: dt.date, max_depth: int = 12) -> list[UpwardLink]:
    """Every owner above ``entity_id`` (breadth first, shortest path first, cycles cut), as
    reached by the ownership engine's :func:`~bidvet.ownership.graph.walk_upward`; each link
    gives the owner, the path from the bidder and the edges along it."""
    return walk_upward(view, entity_id, as_of, max_depth=max_depth).links


@dataclass(frozen=True)
class EvalContext:
    """One bidder (or contract supplier) as of one date.

    ``entity`` is ``None`` when the subject could not be resolved to a known entity; ``chain``
    lists every upstream owner in force on ``as_of``. ``items`` are the technology profiles of
    the tender's items (``{"id", "profile"}``), ``tier`` the highest item tier for this bidder
    after its answers and ``tender_tier`` the items' tier before them. Reads go through ``view``.
    """

    view: View
    store: Store
    as_of: dt.date
    bidder_name: str
    bidder_country: str | None
    entity: EntityFacts | None
    resolution: Resolution
    chain: tuple[UpwardLink, ...]
    jurisdictions: Jurisdictions
    tier: Tier
    tender_source: SourceRef
    data_source: SourceRef
    items: tuple[dict[str, Any], ...] = ()
    questions: tuple[Question, ...] = ()
    price_flags: tuple[dict[str, Any], ...] = ()
    #: per item, what this bidder's questionnaire answers changed in its technology profile
    answer_effects: tuple[dict[str, Any], ...] = ()
    tender_tier: Tier | None = None
    #: the buyer's jurisdiction: which lists and bans are legal bars for it (``None``: the
    #: bundled default profile, which treats only UN Security Council designations as binding)
    buyer: BuyerProfile | None = None
    _entities: dict[str, EntityFacts | None] = field(default_factory=dict, compare=False)
    _inherited: list[list[dict[str, Any]]] = field(default_factory=list, compare=False)

    @property
    def buyer_profile(self) -> BuyerProfile:
        return self.buyer if self.buyer is not None else default_buyer_profiles().default

    def public(self, source: SourceRef) -> bool:
        """Whether a fact stated by ``source`` was public on the as-of date: its source was
        published on or before it (a source without a publication date counts)."""
        return source.published is None or source.published <= self.as_of

    def entity_facts(self, entity_id: str) -> EntityFacts | None:
        """An entity of the store (the bidder or one of its owners), read once per context."""
        if entity_id not in self._entities:
            self._entities[entity_id] = self.view.entity(entity_id)
        return self._entities[entity_id]

    def inherited_listings(self) -> list[dict[str, Any]]:
        """The listings that reach the bidder through its owners on the as-of date, one row per
        list entry and regime (:func:`bidvet.ownership.report.inherited_listings`), computed
        once per context: several criteria read them."""
        if self.entity is None:
            return []
        if not self._inherited:
            self._inherited.append(inherited_listings(self.store, self.entity.id, self.as_of))
        return self._inherited[0]

    def caption(self, entity_id: str) -> str:
        ent = self.entity_facts(entity_id)
        return ent.caption if ent else entity_id

    def listings(self, entity_id: str) -> list[ListingFact]:
        """Listings of ``entity_id`` in force on the as-of date."""
        return self.view.listings([entity_id], self.as_of)[entity_id]

    def events(self, entity_id: str) -> list[EventFact]:
        """Every integrity event recorded for ``entity_id`` (undated first, then by date)."""
        return self.view.events([entity_id])

    def has_owners(self, entity_id: str) -> bool:
        """Whether any ownership/control edge into ``entity_id`` is in force on the as-of date."""
        return bool(self.view.with_owners([entity_id], self.as_of))

    def path_text(self, link: UpwardLink) -> str:
        """``Nuctech ← Tongfang (controlling shareholder, share not published) ← CNNC``."""
        parts = [self.caption(link.path[0])]
        for edge in link.edges:
            parts.append(f"{self.caption(edge.owner_id)} ({edge.kind}, {edge.share_text()})")
        return " ← ".join(parts)
