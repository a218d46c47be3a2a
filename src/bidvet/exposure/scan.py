"""The exposure scan: which past contracts put a sensitive item in the hands of a risky supplier.

For every contract (or award, where a process has awards but no contracts) the scan

1. resolves each supplier once (:class:`~bidvet.exposure.suppliers.SupplierResolver`: identifiers,
   then screening; cached per distinct supplier);
2. profiles each item once per distinct description and codes (``bidvet.technology``);
3. records an **exposure** when an item's tier is sensitive (``exposure.yaml``) and a supplier is
   risky, with each reason's timing: present at award, arisen later, or unknown;
4. totals contract values by supplier, buyer and year (per currency; amounts in different
   currencies are never added), for risky exposures and for everything scanned;
5. groups sensitive equipment by buyer and equipment type into "who maintains what": who
   installed it and who holds the maintenance/service contracts on it.

The scan streams: it keeps aggregates and the exposures, not the contracts it has passed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bidvet.dates import today
from bidvet.exposure.config import ExposureConfig, load_exposure_config
from bidvet.exposure.suppliers import SupplierResolver, SupplierRisk
from bidvet.model.contracts import ItemRecord, Money, PartyRecord, ProcessRecord
from bidvet.price import process_price_flags
from bidvet.store.db import Store

_PROFILE_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class ItemRisk:
    description: str
    codes: tuple[str, ...]
    tier: str
    features: tuple[str, ...]
    maintenance: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "codes": list(self.codes),
            "tier": self.tier,
            "features": list(self.features),
            "maintenance": self.maintenance,
        }


@dataclass
class Exposure:
    """A contract where a sensitive item meets a risky supplier."""

    ocid: str
    contract_id: str
    buyer: str | None
    supplier: str
    supplier_entity_ids: list[str]
    value: Money | None
    award_date: dt.date | None
    items: list[ItemRisk]
    reasons: list[dict[str, Any]]
    timing: str  # at-award | arose-later | unknown
    maintenance: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "ocid": self.ocid,
            "contract_id": self.contract_id,
            "buyer": self.buyer,
            "supplier": self.supplier,
            "supplier_entity_ids": self.supplier_entity_ids,
            "amount": self.value.amount if self.value else None,
            "currency": self.value.currency if self.value else None,
            "award_date": self.award_date.isoformat() if self.award_date else None,
            "items": [i.to_json() for i in self.items],
            "reasons": self.reasons,
            "timing": self.timing,
            "maintenance": self.maintenance,
        }


Totals = dict[str, dict[str, float]]  # key -> currency -> amount


@dataclass
class ExposureResult:
    as_of: dt.date
    config_version: str
    processes: int = 0
    contracts: int = 0
    unattributed: int = 0  # contracts naming no supplier
    exposures: list[Exposure] = field(default_factory=list)
    review: list[Exposure] = field(default_factory=list)  # risky supplier, item not judgeable
    by_supplier: Totals = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    by_buyer: Totals = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    by_year: dict[str, Totals] = field(
        default_factory=lambda: {
            k: defaultdict(lambda: defaultdict(float)) for k in ("risky", "sensitive", "other")
        }
    )
    #: contracts per risk bucket, year and currency ("none" for contracts without a value)
    count_by_year: dict[str, dict[str, dict[str, int]]] = field(
        default_factory=lambda: {
            k: defaultdict(lambda: defaultdict(int)) for k in ("risky", "sensitive", "other")
        }
    )
    maintenance: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    suppliers: dict[str, SupplierRisk] = field(default_factory=dict)
    suppliers_screened: int = 0
    notes: list[str] = field(default_factory=list)
    price_flags: list[dict[str, Any]] = field(default_factory=list)  # raised, per process
    price_unevaluable: int = 0  # processes publishing no bid data

    def who_maintains_what(self) -> list[dict[str, Any]]:
        out = []
        for (buyer, equipment), roles in sorted(self.maintenance.items()):
            if not roles["maintains"]:
                continue
            out.append(
                {
                    "buyer": buyer,
                    "equipment": equipment,
                    "installed_by": _role_list(roles["installs"]),
                    "maintained_by": _role_list(roles["maintains"]),
                }
            )
        return out

    def suppliers_to_check(self) -> list[dict[str, Any]]:
        """Suppliers taken as no record whose names match records a person should look at
        (several equally well, a weaker match, or a match in other countries), with why and
        the records and the lists they are on: listed ones first, then by best score."""
        found = sorted(
            ((name, risk) for name, risk in self.suppliers.items() if risk.to_check),
            key=lambda x: (
                not any(c["lists"] for c in x[1].to_check),
                -max(float(c["score"]) for c in x[1].to_check),
                x[0],
            ),
        )
        return [
            {
                "supplier": name,
                "country": risk.country,
                "status": risk.resolution.status,
                "why": risk.resolution.explanation,
                "candidates": risk.to_check,
            }
            for name, risk in found
        ]

    def to_json(self) -> dict[str, Any]:
        def totals(t: Totals) -> dict[str, dict[str, float]]:
            return {k: {c: round(v, 2) for c, v in sorted(t[k].items())} for k in sorted(t)}

        return {
            "as_of": self.as_of.isoformat(),
            "policy": self.config_version,
            "processes": self.processes,
            "contracts": self.contracts,
            "unattributed_contracts": self.unattributed,
            "suppliers": len(self.suppliers),
            "suppliers_screened": self.suppliers_screened,
            "risky_suppliers": sorted(n for n, r in self.suppliers.items() if r.risky),
            "suppliers_to_check": self.suppliers_to_check(),
            "exposures": [e.to_json() for e in self.exposures],
            "review": [e.to_json() for e in self.review],
            "totals": {
                "by_supplier": totals(self.by_supplier),
                "by_buyer": totals(self.by_buyer),
                "by_year": {k: totals(v) for k, v in self.by_year.items()},
                "contracts_by_year": {
                    k: {y: dict(sorted(v[y].items())) for y in sorted(v)}
                    for k, v in self.count_by_year.items()
                },
            },
            "who_maintains_what": self.who_maintains_what(),
            "price_flags": self.price_flags,
            "price_flags_cannot_evaluate": self.price_unevaluable,
            "notes": self.notes,
        }


def _role_list(roles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"supplier": name, "risky": info["risky"], "contracts": sorted(info["contracts"])}
        for name, info in sorted(roles.items())
    ]


@dataclass
class _Line:
    ocid: str
    contract_id: str
    buyer: str | None
    suppliers: list[PartyRecord]
    items: list[ItemRecord]
    value: Money | None
    date: dt.date | None


def contract_lines(process: ProcessRecord) -> Iterator[_Line]:
    """One line per contract; per award when the process has awards but no contracts."""
    awards = {a.id: a for a in process.awards}
    buyer = process.buyer_name

    def parties(ids: Iterable[str]) -> list[PartyRecord]:
        return [p for i in ids if (p := process.party(i)) is not None]

    if process.contracts:
        for c in process.contracts:
            award = awards.get(c.award_id or "")
            ids = c.supplier_ids or (award.supplier_ids if award else [])
            if not ids and len(awards) == 1:
                ids = next(iter(awards.values())).supplier_ids
            items = c.items or (award.items if award else []) or process.items
            date = c.date_signed or (award.date if award else None) or c.start_date or process.date
            value = c.value or (award.value if award else None)
            yield _Line(process.ocid, c.id, buyer, parties(ids), items, value, date)
    else:
        for a in process.awards:
            if a.status in ("cancelled", "unsuccessful", "pending"):
                continue
            items = a.items or process.items
            yield _Line(
                process.ocid,
                a.id,
                buyer,
                parties(a.supplier_ids),
                items,
                a.value,
                a.date or process.date,
            )


class ExposureScanner:
    """Holds the caches of one scan; feed it processes with :meth:`add`, then :meth:`result`."""

    def __init__(
        self,
        store: Store,
        *,
        as_of: dt.date | None = None,
        config: ExposureConfig | None = None,
    ) -> None:
        self.config = config or load_exposure_config()
        self.as_of = as_of or today()
        self.resolver = SupplierResolver(store, as_of=self.as_of, config=self.config)
        self.result_ = ExposureResult(as_of=self.as_of, config_version=self.config.version)
        self._profiles: dict[tuple[str, tuple[str, ...]], ItemRisk] = {}
        self._words = tuple(w.lower() for w in self.config.maintenance_words)

    def profile(self, item: ItemRecord) -> ItemRisk:
        key = (item.description, item.codes())
        risk = self._profiles.get(key)
        if risk is None:
            from bidvet.technology.profile import profile_item

            prof = profile_item(item.description or None, codes=key[1])
            features = tuple(sorted(prof.feature_ids()))
            text = item.description.lower()
            maint = any(f in self.config.maintenance_features for f in features) or any(
                w in text for w in self._words
            )
            risk = ItemRisk(item.description, key[1], prof.tier, features, maint)
            if len(self._profiles) >= _PROFILE_CACHE_LIMIT:
                self._profiles.clear()
            self._profiles[key] = risk
        return risk

    def add(self, process: ProcessRecord) -> None:
        res = self.result_
        res.processes += 1
        if process.bids is None:
            res.price_unevaluable += 1
        else:
            for flag in process_price_flags(process):
                if flag.status == "raised":
                    res.price_flags.append({"ocid": process.ocid, **flag.to_json()})
        for line in contract_lines(process):
            res.contracts += 1
            self._line(line)

    def _line(self, line: _Line) -> None:
        cfg, res = self.config, self.result_
        risks = [self.profile(i) for i in line.items]
        sensitive = [r for r in risks if r.tier in cfg.sensitive_tiers]
        unknown = [r for r in risks if r.tier in cfg.review_tiers]
        maint = any(r.maintenance for r in risks)
        year = str(line.date.year) if line.date else "unknown"
        if not line.suppliers:
            res.unattributed += 1
        resolutions = [(p, self.resolver.resolve(p)) for p in line.suppliers]
        risky = [(p, r) for p, r in resolutions if r.risky]
        for p, r in resolutions:
            res.suppliers.setdefault(p.name, r)
        bucket = "risky" if sensitive and risky else ("sensitive" if sensitive else "other")
        if line.value:
            res.by_year[bucket][year][line.value.currency] += line.value.amount
        res.count_by_year[bucket][year][line.value.currency if line.value else "none"] += 1
        for party, resolution in risky:
            if not (sensitive or unknown):
                continue
            reasons = [
                {**reason.to_json(), "timing": self.resolver.timing(reason, line.date)}
                for reason in resolution.reasons
            ]
            timings = {r["timing"] for r in reasons}
            timing = next((t for t in ("at-award", "arose-later") if t in timings), "unknown")
            exposure = Exposure(
                ocid=line.ocid,
                contract_id=line.contract_id,
                buyer=line.buyer,
                supplier=party.name,
                supplier_entity_ids=resolution.entity_ids,
                value=line.value,
                award_date=line.date,
                items=sensitive or unknown,
                reasons=reasons,
                timing=timing,
                maintenance=maint,
            )
            if sensitive:
                res.exposures.append(exposure)
                if line.value:
                    cur, amount = line.value.currency, line.value.amount
                    res.by_supplier[party.name][cur] += amount
                    res.by_buyer[line.buyer or "unknown"][cur] += amount
            else:
                res.review.append(exposure)
        if sensitive:
            self._maintenance(line, sensitive, maint, resolutions)

    def _maintenance(
        self,
        line: _Line,
        sensitive: list[ItemRisk],
        maint: bool,
        resolutions: list[tuple[PartyRecord, SupplierRisk]],
    ) -> None:
        prefixes = self.config.equipment_prefixes
        kinds = sorted({f for r in sensitive for f in r.features if f.startswith(tuple(prefixes))})
        if not kinds:
            return
        key = (line.buyer or "unknown", ", ".join(kinds))
        roles = self.result_.maintenance.setdefault(key, {"installs": {}, "maintains": {}})
        role = roles["maintains" if maint else "installs"]
        for party, resolution in resolutions:
            info = role.setdefault(party.name, {"risky": resolution.risky, "contracts": set()})
            if len(info["contracts"]) < 50:
                info["contracts"].add(f"{line.ocid}/{line.contract_id}")

    def result(self) -> ExposureResult:
        res = self.result_
        res.suppliers_screened = self.resolver.screened
        res.notes = sorted(set(self.resolver.notes))
        if res.price_unevaluable:
            res.notes.append(
                f"price indicators cannot be evaluated for {res.price_unevaluable} processes: "
                "no bid data published"
            )
        res.exposures.sort(key=lambda e: (e.supplier, e.ocid, e.contract_id))
        res.review.sort(key=lambda e: (e.supplier, e.ocid, e.contract_id))
        return res


def scan(
    store: Store,
    processes: Iterable[ProcessRecord],
    *,
    as_of: dt.date | None = None,
    config: ExposureConfig | None = None,
) -> ExposureResult:
    """Scan contracting processes (from files or the store) against ``store``'s knowledge."""
    scanner = ExposureScanner(store, as_of=as_of, config=config)
    for process in processes:
        scanner.add(process)
    return scanner.result()


def scan_store(
    store: Store,
    *,
    ocids: Iterable[str] | None = None,
    as_of: dt.date | None = None,
    config: ExposureConfig | None = None,
) -> ExposureResult:
    """Scan the contract history held in the store (all of it when ``ocids`` is ``None``)."""
    with store.view() as view:
        return scan(store, view.processes(ocids), as_of=as_of, config=config)
