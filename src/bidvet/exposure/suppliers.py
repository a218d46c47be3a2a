"""Contract suppliers: resolved once per distinct supplier, and judged by the framework's criteria.

A supplier is matched to the knowledge store by the one resolver (:mod:`bidvet.resolution`:
identifiers first, then screening by name and country; an ambiguous match is reported, never
picked: the scan lists every supplier left unresolved with records to check, ``to_check``).
Whether it is **risky** is decided by the same evaluators an assessment runs, with the
framework's own parameters: the exposure profile in ``data/exposure.yaml`` names which criteria
count and the reason kind each reports as (``listed``, ``listed-owner``, ``state-linked``,
``legal-regime``). A supplier that is not resolved is judged on what the contract data says of it
(its country), so only the legal-regime criterion can reach it.

Each reason knows when it began relative to an award: the criterion is decided again as of the
award date (owners and listings as they were then) — present then is ``at-award``, absent then
``arose-later``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from bidvet.exposure.config import ExposureConfig
from bidvet.framework.context import EvalContext, upstream
from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.findings import Hit, NotEvaluated
from bidvet.framework.jurisdictions import default_jurisdictions
from bidvet.framework.loader import LoadedFramework, framework_path, load_framework
from bidvet.model.contracts import PartyRecord
from bidvet.model.facts import SourceRef
from bidvet.model.tiers import Tier
from bidvet.resolution import Resolution, Resolver, Subject
from bidvet.store.db import Store

log = logging.getLogger(__name__)
SupplierKey = tuple[str, ...]
_CONTRACT_SOURCE = SourceRef("contract data")


@dataclass(frozen=True)
class RiskReason:
    kind: str  # listed | listed-owner | state-linked | legal-regime
    detail: str
    since: dt.date | None = None
    entity_id: str | None = None
    #: the framework criterion that decided it
    criterion: str = ""
    #: whether the reason rests on dated facts (a listing, an ownership path) that can be
    #: looked at again as of an award date; an undated fact (an entity's topic) cannot
    recheck: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "detail": self.detail}
        if self.since:
            out["since"] = self.since.isoformat()
        if self.entity_id:
            out["entity_id"] = self.entity_id
        if self.criterion:
            out["criterion"] = self.criterion
        return out


@dataclass
class SupplierRisk:
    """One distinct supplier, what it resolved to, and why it is risky (if it is)."""

    name: str
    country: str | None
    resolution: Resolution
    reasons: list[RiskReason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: the records a person should look at when none was taken as the supplier (several
    #: matching equally, or a weaker match, or one in other countries), each with the lists it
    #: is on as of the scan date: ``{entity_id, name, score, lists}``
    to_check: list[dict[str, Any]] = field(default_factory=list)

    @property
    def entity_ids(self) -> list[str]:
        return list(self.resolution.entity_ids)

    @property
    def via(self) -> str | None:
        """How the supplier was resolved: ``identifier`` or ``screening`` (None if it was not)."""
        return self.resolution.method if self.resolution.resolved else None

    @property
    def possible(self) -> list[dict[str, Any]]:
        """Screening matches too weak to be taken as the supplier: {entity_id, name, score}."""
        return [c.to_json() for c in self.resolution.possible]

    @property
    def risky(self) -> bool:
        return bool(self.reasons)

    def to_json(self) -> dict[str, Any]:
        res = self.resolution
        out: dict[str, Any] = {
            "name": self.name,
            "country": self.country,
            "entity_ids": self.entity_ids,
            "via": self.via,
            "score": res.score if res.resolved and res.method == "screening" else None,
            "risky": self.risky,
            "reasons": [r.to_json() for r in self.reasons],
            "notes": self.notes,
            "possible_matches": self.possible,
        }
        if res.ambiguous:
            out["ambiguous"] = [c.to_json() for c in res.candidates]
        return out


def supplier_key(party: PartyRecord) -> SupplierKey:
    """Suppliers with the same identifiers, or else the same name and country, are one."""
    if party.identifiers:
        return ("id", *sorted(f"{a}:{b}".upper() for a, b in party.identifiers))
    return ("name", " ".join(party.name.lower().split()), (party.country or "").lower())


def _iso2(country: str | None) -> str | None:
    if not country:
        return None
    from rigour.territories import lookup_territory

    territory = lookup_territory(country.strip())
    return territory.code if territory is not None and len(territory.code) == 2 else None


def _since(hit: Hit) -> dt.date | None:
    dates = [e.date for e in hit.evidence if e.date is not None]
    return min(dates) if dates else None


class SupplierResolver:
    """Resolves and judges suppliers, caching by :func:`supplier_key` (each screened once)."""

    def __init__(self, store: Store, *, as_of: dt.date, config: ExposureConfig) -> None:
        self.store = store
        self.as_of = as_of
        self.config = config
        self.framework: LoadedFramework = load_framework(framework_path(config.framework))
        criteria = {c.id: c for c in self.framework.framework.criteria}
        unknown = sorted(set(config.criteria) - set(criteria))
        if unknown:
            from bidvet.errors import ConfigError
            from bidvet.exposure.config import CONFIG_PATH

            raise ConfigError(
                CONFIG_PATH,
                f"the exposure profile names criteria {unknown} that framework "
                f"{config.framework} does not have",
                fix="compare data/exposure.yaml with `bidvet framework show`",
            )
        self._criteria = [criteria[cid] for cid in config.criteria]
        self.resolver = Resolver(store, as_of=as_of)
        self.cache: dict[SupplierKey, SupplierRisk] = {}
        self.notes: list[str] = []
        #: the profile's hits for an entity as of an award date, decided once per pair
        self._past: dict[tuple[str | None, dt.date], list[tuple[str, Hit]]] = {}

    @property
    def screened(self) -> int:
        return self.resolver.screened

    def resolve(self, party: PartyRecord) -> SupplierRisk:
        key = supplier_key(party)
        found = self.cache.get(key)
        if found is None:
            found = self._resolve(party)
            self.cache[key] = found
        return found

    def _resolve(self, party: PartyRecord) -> SupplierRisk:
        country = _iso2(party.country)
        subject = Subject(party.name, country, tuple(party.identifiers))
        risk = SupplierRisk(party.name, country, self.resolver.resolve(subject))
        res = risk.resolution
        if res.ambiguous:
            risk.notes.append(res.explanation)
        candidates = () if res.resolved else res.candidates if res.ambiguous else res.possible
        if candidates:
            with self.store.view() as view:
                listed = view.listings([c.entity_id for c in candidates], self.as_of)
            risk.to_check = [
                {**c.to_json(), "lists": sorted({f.list_id for f in listed[c.entity_id]})}
                for c in candidates
            ]
        ids: list[str | None] = list(risk.resolution.entity_ids) or [None]
        for eid in ids:
            for crit, hit in self._hits(eid, self.as_of, risk.name, country):
                kind = self.config.criteria[crit]
                recheck = any(e.date or (e.path and len(e.path) > 1) for e in hit.evidence)
                reason = RiskReason(kind, hit.summary, _since(hit), eid, crit, bool(recheck))
                risk.reasons.append(reason)
        return risk

    def _hits(
        self,
        entity_id: str | None,
        as_of: dt.date,
        name: str | None = None,
        country: str | None = None,
    ) -> list[tuple[str, Hit]]:
        """The exposure profile's criteria decided for one entity (or an unresolved supplier);
        ``name`` defaults to the entity's own."""
        specs = evaluators()
        out: list[tuple[str, Hit]] = []
        with self.store.view() as view:
            ent = view.entity(entity_id) if entity_id else None
            resolution = (
                Resolution("resolved", "identifier", (entity_id,))
                if entity_id
                else Resolution("unresolved", "none")
            )
            ctx = EvalContext(
                view=view,
                store=self.store,
                as_of=as_of,
                bidder_name=name or (ent.caption if ent else "supplier"),
                bidder_country=country,
                entity=ent,
                resolution=resolution,
                chain=tuple(upstream(view, entity_id, as_of)) if entity_id else (),
                jurisdictions=default_jurisdictions(),
                tier=Tier.HIGH,
                tender_source=_CONTRACT_SOURCE,
                data_source=SourceRef("bidvet knowledge store"),
            )
            for crit in self._criteria:
                try:
                    hits = specs[crit.evaluator].func(ctx, self.framework.params[crit.id])
                except NotEvaluated as exc:
                    self.notes.append(f"criterion {crit.id} was not evaluated: {exc}")
                    continue
                out.extend((crit.id, hit) for hit in hits)
        return out

    def timing(self, reason: RiskReason, award_date: dt.date | None) -> str:
        """Was the reason already true on ``award_date``? ``at-award``, ``arose-later`` or
        ``unknown`` (no award date). The reason's criterion is decided again as of the award
        date, which catches a later listing and a later change of ownership. A reason resting on
        nothing dated (an entity's own topic, its country's law) is ``unknown``."""
        if award_date is None:
            return "unknown"
        if reason.since is not None and reason.since <= award_date and reason.kind == "listed":
            return "at-award"
        if not reason.recheck:
            return "unknown"  # nothing dated to look at again (a topic, a country's law)
        key = (reason.entity_id, award_date)
        hits = self._past.get(key)
        if hits is None:
            hits = self._past[key] = self._hits(reason.entity_id, award_date)
        present = any(
            c == reason.criterion and (reason.kind != "listed" or h.summary == reason.detail)
            for c, h in hits
        )
        return "at-award" if present else "arose-later"
