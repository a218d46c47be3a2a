"""Resolving contract suppliers to knowledge-store entities, once per distinct supplier, and
saying why a supplier is risky.

A supplier is matched by identifier first (its published identifiers against the store's
normalised identifier values), then by screening its name (and country, when the contract data
gives one). A supplier is **risky** when a resolved entity

* is on a list (``listed``), or inherits a listing through its owners (``listed-owner``);
* is state-linked: carries a state topic (``gov.soe``…) or has an owner that does or is a
  ``State`` (``state-linked``);
* is subject to a jurisdiction with a compelled-cooperation or data-access law
  (``legal-regime``; bidvet/data/jurisdictions.yaml). For unresolved suppliers the country in the
  contract data is used.

Each reason carries the date it began where one is known (listing start, ownership edge start),
so the scan can tell risk present at award time from risk that arose later.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from bidvet.exposure.config import ExposureConfig
from bidvet.ownership import api as ownership_api
from bidvet.screening.lists import direct_listings
from bidvet.model.contracts import PartyRecord
from bidvet.store import schema as s
from bidvet.store.db import Store

log = logging.getLogger(__name__)
SupplierKey = tuple[str, ...]


@dataclass(frozen=True)
class RiskReason:
    kind: str  # listed | listed-owner | state-linked | legal-regime
    detail: str
    since: dt.date | None = None
    entity_id: str | None = None
    #: how to re-check the reason on another date (owner-borne reasons), else ``None``
    check: tuple[str, ...] | None = None

    def timing(self, award_date: dt.date | None) -> str:
        """``at-award`` / ``arose-later`` / ``unknown`` relative to the award date."""
        if self.since is None or award_date is None:
            return "unknown"
        return "at-award" if self.since <= award_date else "arose-later"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "detail": self.detail}
        if self.since:
            out["since"] = self.since.isoformat()
        if self.entity_id:
            out["entity_id"] = self.entity_id
        return out


@dataclass
class Resolution:
    """One distinct supplier, what it resolved to, and why it is risky (if it is)."""

    name: str
    country: str | None
    entity_ids: list[str] = field(default_factory=list)
    via: str | None = None  # identifier | screening
    score: float | None = None
    reasons: list[RiskReason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: screening matches too weak to be taken as the supplier: {entity_id, name, score}
    possible: list[dict[str, Any]] = field(default_factory=list)

    @property
    def risky(self) -> bool:
        return bool(self.reasons)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "entity_ids": self.entity_ids,
            "via": self.via,
            "score": self.score,
            "risky": self.risky,
            "reasons": [r.to_json() for r in self.reasons],
            "notes": self.notes,
            "possible_matches": self.possible,
        }


def supplier_key(party: PartyRecord) -> SupplierKey:
    """Suppliers with the same identifiers, or else the same name and country, are one."""
    if party.identifiers:
        return ("id", *sorted(f"{a}:{b}".upper() for a, b in party.identifiers))
    return ("name", " ".join(party.name.lower().split()), (party.country or "").lower())


def normalise_identifier(value: str) -> str:
    """The store's identifier normal form: upper case, no spaces, hyphens, dots or slashes."""
    return re.sub(r"[\s\-./]+", "", value).upper()


def _iso2(country: str | None) -> str | None:
    if not country:
        return None
    from rigour.territories import lookup_territory

    territory = lookup_territory(country.strip())
    return territory.code if territory is not None and len(territory.code) == 2 else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


class SupplierResolver:
    """Resolves and assesses suppliers, caching by :func:`supplier_key` (each screened once)."""

    def __init__(self, store: Store, *, as_of: dt.date, config: ExposureConfig) -> None:
        self.store = store
        self.as_of = as_of
        self.config = config
        self.cache: dict[SupplierKey, Resolution] = {}
        self.screened = 0
        self._screener: Any = None
        self.notes: list[str] = []
        self._timing: dict[tuple[str, ...], str] = {}

    def resolve(self, party: PartyRecord) -> Resolution:
        key = supplier_key(party)
        found = self.cache.get(key)
        if found is None:
            found = self._resolve(party)
            self.cache[key] = found
        return found

    # -- matching -----------------------------------------------------------------------------
    def _by_identifier(self, party: PartyRecord) -> list[str]:
        values = {
            v
            for _, raw in party.identifiers
            if len(v := normalise_identifier(raw)) >= self.config.min_identifier_length
        }
        if not values:
            return []
        t = s.entity_identifiers
        with self.store.read() as conn:
            rows = conn.execute(
                sa.select(t.c.entity_id).where(t.c.value.in_(sorted(values))).distinct()
            ).scalars()
            return sorted(rows)

    def _screen(
        self, party: PartyRecord, country: str | None, res: Resolution
    ) -> tuple[list[str], float | None]:
        if self._screener is None:
            from bidvet.screening.engine import Screener

            # Listings through owners are looked up once per resolved supplier in _assess.
            self._screener = Screener(self.store, as_of=self.as_of, with_inherited=False)
        self.screened += 1
        ids = [i for _, i in party.identifiers]
        matches = self._screener.screen(
            party.name, country=country, identifiers=ids, limit=self.config.screen_limit
        )
        hits = [m for m in matches if m.match and m.score >= self.config.resolve_score]
        res.possible = [
            {"entity_id": m.entity_id, "name": m.name, "score": round(m.score, 4)}
            for m in matches
            if m.match and m.score < self.config.resolve_score
        ]
        return [m.entity_id for m in hits], (max(m.score for m in hits) if hits else None)

    def _resolve(self, party: PartyRecord) -> Resolution:
        country = _iso2(party.country)
        res = Resolution(name=party.name, country=country)
        ids = self._by_identifier(party)
        if ids:
            res.entity_ids, res.via = ids, "identifier"
        else:
            ids, score = self._screen(party, country, res)
            if ids:
                res.entity_ids, res.via, res.score = ids, "screening", score
        self._assess(res)
        return res

    # -- risk ---------------------------------------------------------------------------------

    def _assess(self, res: Resolution) -> None:
        cfg = self.config
        ids = res.entity_ids
        countries: set[str] = set()
        owned: set[str] = set()
        with self.store.read() as conn:
            for eid, listings in direct_listings(conn, ids, self.as_of).items():
                for lst in listings:
                    program = f" ({lst['program']})" if lst.get("program") else ""
                    res.reasons.append(
                        RiskReason(
                            "listed",
                            f"{lst['list_name']}{program}",
                            _date(lst.get("start_date")),
                            eid,
                        )
                    )
            if ids:
                topics = conn.execute(
                    sa.select(s.entity_topics.c.entity_id, s.entity_topics.c.topic).where(
                        s.entity_topics.c.entity_id.in_(ids)
                    )
                ).all()
                for eid, topic in sorted(set(topics)):
                    if topic in cfg.state_topics:
                        res.reasons.append(
                            RiskReason("state-linked", f"entity topic {topic}", None, eid)
                        )
                owned = set(
                    conn.execute(
                        sa.select(s.ownership.c.asset_id)
                        .where(s.ownership.c.asset_id.in_(ids))
                        .distinct()
                    ).scalars()
                )
                countries = set(
                    conn.execute(
                        sa.select(s.entity_countries.c.country).where(
                            s.entity_countries.c.entity_id.in_(ids),
                            s.entity_countries.c.role.in_(("jurisdiction", "address")),
                        )
                    ).scalars()
                )
        if ids:
            for eid in ids:
                if eid in owned:  # entities with no recorded owner need no look-through
                    self._owner_reasons(eid, res)
            # an owner-chain state link already covers the entity's own state topic
            linked = {r.entity_id for r in res.reasons if r.check and r.check[0] == "owner-state"}
            res.reasons = [
                r
                for r in res.reasons
                if not (r.kind == "state-linked" and r.check is None and r.entity_id in linked)
            ]
        if not countries and res.country:
            countries = {res.country}
        self._legal_regime(sorted(countries), res)

    def _owner_reasons(self, eid: str, res: Resolution) -> None:
        for lst in ownership_api.inherited_listings(self.store, eid, self.as_of):
            via = lst.get("owner_name") or lst.get("owner_id") or "an owner"
            name = lst.get("list_name") or lst.get("list_id") or "a list"
            in_force = "" if lst.get("rule_in_force", True) else " (rule not in force)"
            res.reasons.append(
                RiskReason(
                    "listed-owner",
                    f"{name} through {via} ({lst.get('regime', '')}){in_force}",
                    None,
                    eid,
                    check=("owner-listing", eid, str(lst.get("list_id")), str(lst.get("owner_id"))),
                )
            )
        report = ownership_api.owners(self.store, eid, self.as_of)
        if report.state_linked:
            paths = report.state_link_paths
            detail = " → ".join(paths[0]) if paths else "state owner"
            res.reasons.append(
                RiskReason(
                    "state-linked",
                    f"state-linked through {detail}",
                    None,
                    eid,
                    check=("owner-state", eid),
                )
            )

    def timing(self, reason: RiskReason, award_date: dt.date | None) -> str:
        """Was the reason already true on ``award_date``? ``at-award``, ``arose-later`` or
        ``unknown``. Owner-borne reasons are re-evaluated on the award date (this catches both
        a later listing of the owner and a later change of ownership); direct listings compare
        their published start date."""
        if award_date is None:
            return "unknown"
        if reason.check is None:
            return reason.timing(award_date)
        key = (*reason.check, award_date.isoformat())
        cached = self._timing.get(key)
        if cached is None:
            kind, eid = reason.check[0], reason.check[1]
            if kind == "owner-listing":
                rows = ownership_api.inherited_listings(self.store, eid, award_date)
                present = any(
                    str(r.get("list_id")) == reason.check[2]
                    and str(r.get("owner_id")) == reason.check[3]
                    for r in rows
                )
            else:
                present = bool(ownership_api.owners(self.store, eid, award_date).state_linked)
            cached = "at-award" if present else "arose-later"
            self._timing[key] = cached
        return cached

    def _legal_regime(self, countries: Sequence[str], res: Resolution) -> None:
        from bidvet.framework.jurisdictions import default_jurisdictions

        juris = default_jurisdictions()
        for cc in countries:
            profile = juris.profile(cc)
            if profile is None:
                continue
            for fact in profile.facts:
                if fact.kind in self.config.legal_regime_kinds:
                    res.reasons.append(RiskReason("legal-regime", f"{cc}: {fact.title}"))
