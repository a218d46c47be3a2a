"""The resolver: who in the knowledge store a bidder or supplier is, or why that is not known.

Order of evidence:

1. an ``entity_id`` given by the user (a tender may pin a bidder to a record);
2. identifiers (LEI, USCC, registry numbers…), normalised as the importers store them; a value
   of ``min_identifier_length`` characters or more matches under any scheme label, a shorter
   one only under its own scheme. One
   entity carrying the identifier resolves the subject. Several entities carrying the same
   identifier are the same legal person recorded in several datasets: all of them are the
   subject (their listings and owners all count);
3. screening by name (and country). The best match resolves the subject when the screener calls
   it a match and it scores at least ``resolve_score``, and (``country_must_agree``) the
   subject's country, when known, is one of the countries the record or the records judged the
   same legal person name, when they name any: matcher v2 does not score countries, and a name
   shared across countries is a possible match, not the subject. When another *different*
   entity scores within ``ambiguity_margin`` of the best, the names alone cannot tell them
   apart: the result is **ambiguous**, names every such candidate, and picks none. Records
   judged the same legal person as the best (its resolution cluster) are that subject, not
   rivals. Records a person judged not to be the subject (``Subject.not_entity_ids``) are
   left out of the screening.

Matches the screener calls a match below ``resolve_score`` are returned as ``possible``: a person
should look at them, and no risk is attributed to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from bidvet.dates import today
from bidvet.model.identifiers import identifier_key
from bidvet.resolution.config import ResolutionConfig, load_resolution_config
from bidvet.store.db import Store

if TYPE_CHECKING:
    from bidvet.store.view import View

Status = Literal["resolved", "ambiguous", "unresolved"]
Method = Literal["entity_id", "identifier", "screening", "none"]


@dataclass(frozen=True, slots=True)
class Subject:
    """What is known of a bidder or supplier before resolution."""

    name: str
    country: str | None = None
    #: (scheme, value) pairs as given; a scheme may be empty when the source names none
    identifiers: tuple[tuple[str, str], ...] = ()
    entity_id: str | None = None
    #: records a person judged not to be the subject ("none of these"): never taken or proposed
    not_entity_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity the subject may be."""

    entity_id: str
    name: str
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "name": self.name, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Resolution:
    """How a subject was matched to the knowledge store.

    ``entity_ids`` are the records taken as the subject (empty unless ``status`` is
    ``resolved``); ``candidates`` the records that could not be told apart when ``ambiguous``;
    ``possible`` weaker name matches for a person to check.
    """

    status: Status
    method: Method
    entity_ids: tuple[str, ...] = ()
    score: float | None = None
    matched_name: str | None = None
    explanation: str = ""
    candidates: tuple[Candidate, ...] = ()
    possible: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def entity_id(self) -> str | None:
        """The first record taken as the subject, or ``None`` when unresolved or ambiguous."""
        return self.entity_ids[0] if self.entity_ids else None

    @property
    def resolved(self) -> bool:
        return self.status == "resolved"

    @property
    def ambiguous(self) -> bool:
        return self.status == "ambiguous"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "score": self.score,
            "matched_name": self.matched_name,
            "explanation": self.explanation,
        }
        if self.ambiguous or len(self.entity_ids) > 1:
            out["status"] = self.status
        if self.candidates:
            out["candidates"] = [c.to_json() for c in self.candidates]
        return out


class Resolver:
    """Resolves subjects against one store as of one date; the screener is built on first use
    and shared by every subject."""

    def __init__(
        self,
        store: Store,
        *,
        as_of: dt.date | None = None,
        config: ResolutionConfig | None = None,
    ) -> None:
        self.store = store
        self.as_of = as_of or today()
        self.config = config or load_resolution_config()
        self._screener: Any = None
        #: how many subjects needed a name screening
        self.screened = 0

    def resolve(self, subject: Subject) -> Resolution:
        """The :class:`Resolution` of one subject (see the module docstring for the order)."""
        if subject.entity_id:
            return self._by_entity_id(subject.entity_id)
        found = self._by_identifiers(subject.identifiers)
        if found is not None:
            return found
        return self._by_name(subject)

    # -- evidence, strongest first ----------------------------------------------------------------
    def _by_entity_id(self, entity_id: str) -> Resolution:
        with self.store.view() as view:
            ent = view.entity(entity_id)
        if ent is None:
            return Resolution(
                "unresolved", "none", explanation=f"entity_id {entity_id!r} is not in the store"
            )
        return Resolution(
            "resolved",
            "entity_id",
            (entity_id,),
            1.0,
            ent.caption,
            "entity id given in the tender",
        )

    def _by_identifiers(self, identifiers: Sequence[tuple[str, str]]) -> Resolution | None:
        with self.store.view() as view:
            for scheme, raw in identifiers:
                # A long value is matched whatever scheme label it carries (publishers name
                # schemes differently); a short one only under the same scheme.
                if len(identifier_key(raw)) >= self.config.min_identifier_length:
                    ids = view.by_identifier(None, raw)
                elif scheme:
                    ids = view.by_identifier(scheme, raw)
                else:
                    continue
                if not ids:
                    continue
                captions = view.captions(ids)
                label = f"{scheme} {raw}".strip()
                what = "one entity" if len(ids) == 1 else f"{len(ids)} records of one identifier"
                return Resolution(
                    "resolved",
                    "identifier",
                    tuple(ids),
                    1.0,
                    captions.get(ids[0]),
                    f"{label} identifies {what}",
                )
        return None

    def _screen(self, subject: Subject) -> list[Any]:
        if self._screener is None:
            from bidvet.screening.engine import Screener

            # Listings through owners come from the ownership engine where they are needed.
            self._screener = Screener(self.store, as_of=self.as_of, with_inherited=False)
        self.screened += 1
        return list(
            self._screener.screen(
                subject.name,
                country=subject.country,
                identifiers=[value for _, value in subject.identifiers],
                limit=self.config.screen_limit,
            )
        )

    def _country_disagrees(
        self, subject: Subject, view: View, records: Sequence[str]
    ) -> list[str] | None:
        """The countries of ``records`` (a record and the records judged the same legal
        person), sorted, when the subject's country is known and is none of them
        (``country_must_agree``); ``None`` when they agree, or either side names no country.
        The records are read only when the rule applies."""
        if not (self.config.country_must_agree and subject.country):
            return None
        countries = {c.lower() for e in view.entities(records).values() for c in e.countries}
        if not countries or subject.country.lower() in countries:
            return None
        return sorted(countries)

    def _by_name(self, subject: Subject) -> Resolution:
        cfg = self.config
        rejected = set(subject.not_entity_ids)
        matches = [m for m in self._screen(subject) if m.entity_id not in rejected]
        possible = tuple(
            Candidate(m.entity_id, m.name, m.score)
            for m in matches
            if m.match and m.score < cfg.resolve_score
        )
        best = matches[0] if matches else None
        if best is None:
            return Resolution("unresolved", "none", explanation="no identifier or screening match")
        if not (best.match and best.score >= cfg.resolve_score):
            return _not_taken(
                best,
                f"best screening candidate {best.name!r} scored {best.score:.2f}, below the "
                f"{cfg.resolve_score} needed to resolve the bidder",
                possible,
            )
        with self.store.view() as view:
            # the records judged the same legal person as the best: one subject, never rivals
            same = view.clusters([best.entity_id])[best.entity_id].members
            elsewhere = self._country_disagrees(subject, view, same)
        if elsewhere is not None:
            return _not_taken(
                best,
                f"best screening candidate {best.name!r} ({best.entity_id}) scored "
                f"{best.score:.2f} by name, but the bidder's country {subject.country} is "
                f"none of the record's countries ({', '.join(elsewhere)}): the names alone "
                "do not make them one legal person; a possible match for a person to check "
                "(give an identifier or entity_id to take it)",
                (Candidate(best.entity_id, best.name, best.score), *possible),
            )
        rivals = [
            m
            for m in matches[1:]
            if m.match and m.entity_id not in same and best.score - m.score <= cfg.ambiguity_margin
        ]
        if rivals:
            candidates = tuple(Candidate(m.entity_id, m.name, m.score) for m in (best, *rivals))
            names = "; ".join(f"{c.entity_id} {c.name!r} ({c.score:.2f})" for c in candidates)
            return Resolution(
                "ambiguous",
                "screening",
                score=round(best.score, 4),
                matched_name=best.name,
                explanation=(
                    f"{len(candidates)} records match {subject.name!r} equally well by name "
                    f"(within {cfg.ambiguity_margin}): {names}; none was chosen — give an "
                    "identifier or entity_id to say which"
                ),
                candidates=candidates,
                possible=possible,
            )
        return Resolution(
            "resolved",
            "screening",
            (best.entity_id,),
            round(best.score, 4),
            best.name,
            "; ".join(best.explanation),
            possible=possible,
        )


def _not_taken(best: Any, why: str, possible: tuple[Candidate, ...]) -> Resolution:
    """An unresolved name resolution whose best screening match (``best``) was not taken, with
    why and the matches a person should check."""
    return Resolution(
        "unresolved",
        "none",
        score=round(best.score, 4),
        matched_name=best.name,
        explanation=why,
        possible=possible,
    )
