"""Price red flags on a tender's bids (REFERENCE.md §6).

Each indicator is a named function whose docstring is its explanation. An indicator returns a
:class:`PriceFlag` with ``status``:

* ``raised`` — the data shows the signal; for abnormally low bids the action is an
  explanation request under EU Directive 2014/24/EU Art. 69, never an exclusion;
* ``not-raised`` — evaluated, the signal is absent (the numbers are still shown);
* ``cannot-evaluate`` — the data cannot support the indicator (no bids published, too few
  priced bids, mixed currencies, no foreign-contribution figures); said, never passed silently;
* ``not-applicable`` — out of the rule's scope (FSR and defence/security contracts).

Thresholds come from ``bidvet/data/price_flags.yaml`` (:class:`PriceConfig`).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from bidvet.model.contracts import Money, ProcessRecord
from bidvet.yamlconfig import ErrorStyle, validate_yaml
from bidvet.yamlconfig import StrictModel as _Strict

CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "price_flags.yaml"
ART69 = "EU Directive 2014/24/EU Art. 69 (abnormally low tenders)"
FSR = "Regulation (EU) 2022/2560 (Foreign Subsidies Regulation), public procurement notification"
EXPLAIN = (
    f"ask the bidder to explain the price or costs proposed ({ART69}); an abnormally low bid is "
    "not by itself a ground for exclusion, and a bid found low because of State aid may be "
    "rejected only after consulting the bidder"
)

Status = Literal["raised", "not-raised", "cannot-evaluate", "not-applicable"]


class AbnormallyLow(_Strict):
    below_others_mean: float = Field(gt=0, lt=1)
    below_others_median: float = Field(gt=0, lt=1)
    below_estimate: float = Field(gt=0, lt=1)
    min_other_bids: int = Field(ge=1)


class Gap(_Strict):
    lowest_to_next: float = Field(gt=0, lt=1)


class FsrConfig(_Strict):
    contract_value_eur: float = Field(gt=0)
    lot_value_eur: float = Field(gt=0)
    foreign_contributions_per_country_eur: float = Field(gt=0)
    eur_per_unit: dict[str, float]


class PriceConfig(_Strict):
    """Thresholds of the price indicators; see ``price_flags.yaml`` for their meaning."""

    version: str
    abnormally_low: AbnormallyLow
    gap: Gap
    single_bid: bool = True
    fsr: FsrConfig


@cache
def load_config(path: Path = CONFIG_PATH) -> PriceConfig:
    """The price-flag configuration (strict: an unknown key is an error naming it)."""
    return validate_yaml(
        path,
        PriceConfig,
        fix_top="compare with the bundled bidvet/data/price_flags.yaml",
        style=ErrorStyle(unknown_first=True),
    )


@dataclass(frozen=True)
class Bid:
    """One bid: who, the price, and (for FSR) foreign financial contributions per third country
    over the three years before, when known (``None``: not given)."""

    bidder: str
    value: Money | None
    foreign_contributions: Mapping[str, Money] | None = None
    valid: bool = True


@dataclass(frozen=True)
class PriceFlag:
    indicator: str
    status: Status
    message: str
    bidder: str | None = None
    action: str | None = None
    citation: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = {
            "indicator": self.indicator,
            "status": self.status,
            "message": self.message,
            "bidder": self.bidder,
            "action": self.action,
            "citation": self.citation,
            "evidence": self.evidence,
        }
        return {k: v for k, v in out.items() if v not in (None, {})}


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _priced(bids: Sequence[Bid]) -> tuple[list[Bid], str | None]:
    """Valid bids with a price, and their common currency (``None`` when mixed or none)."""
    priced = [b for b in bids if b.valid and b.value is not None]
    currencies = {b.value.currency for b in priced if b.value}
    return priced, (currencies.pop() if len(currencies) == 1 else None)


def _low_bid_flag(
    name: str, bidder: str, finding: str | None, evidence: dict[str, Any]
) -> PriceFlag:
    """A raised flag asking for an Art. 69 explanation when there is a ``finding``, otherwise a
    note that the bid is within the thresholds; both carry the ``evidence``."""
    if finding is not None:
        return PriceFlag(name, "raised", finding, bidder, EXPLAIN, ART69, evidence)
    return PriceFlag(name, "not-raised", f"{bidder}: within thresholds", bidder, evidence=evidence)


def abnormally_low_vs_others(bids: Sequence[Bid], cfg: PriceConfig) -> list[PriceFlag]:
    """A bid well below the mean or median of the other valid bids may be subsidised or
    unsustainable. EU Directive 2014/24/EU Art. 69 obliges the buyer to ask for an explanation;
    the grounds it names include State aid. Compared only with bids in the same currency."""
    name = "abnormally-low-vs-others"
    priced, currency = _priced(bids)
    need = cfg.abnormally_low.min_other_bids + 1
    if len(priced) < need or currency is None:
        why = "mixed currencies" if priced and currency is None else f"{len(priced)} priced bids"
        return [
            PriceFlag(
                name, "cannot-evaluate", f"cannot evaluate: {why}; needs {need} in one currency"
            )
        ]
    out = []
    for bid in priced:
        assert bid.value is not None
        others = [b.value.amount for b in priced if b is not bid and b.value]
        mean, median = statistics.fmean(others), statistics.median(others)
        below_mean = (mean - bid.value.amount) / mean if mean > 0 else 0.0
        below_median = (median - bid.value.amount) / median if median > 0 else 0.0
        evidence = {
            "bid": bid.value.amount,
            "currency": currency,
            "others_mean": round(mean, 2),
            "others_median": round(median, 2),
            "below_mean": round(below_mean, 4),
            "below_median": round(below_median, 4),
        }
        al = cfg.abnormally_low
        raised = below_mean >= al.below_others_mean or below_median >= al.below_others_median
        finding = (
            f"bid of {bid.value} by {bid.bidder} is {_pct(below_mean)} below the mean and "
            f"{_pct(below_median)} below the median of the other bids"
        )
        out.append(_low_bid_flag(name, bid.bidder, finding if raised else None, evidence))
    return out


def abnormally_low_vs_estimate(
    bids: Sequence[Bid], estimate: Money | None, cfg: PriceConfig
) -> list[PriceFlag]:
    """A bid well below the buyer's own estimate of the contract value is the other trigger for
    an explanation request under Art. 69 (the estimate reflects the buyer's market knowledge)."""
    name = "abnormally-low-vs-estimate"
    if estimate is None or estimate.amount <= 0:
        return [PriceFlag(name, "cannot-evaluate", "cannot evaluate: no estimate given")]
    priced = [b for b in bids if b.valid and b.value is not None]
    if not priced:
        return [PriceFlag(name, "cannot-evaluate", "cannot evaluate: no bid data")]
    out = []
    for bid in priced:
        assert bid.value is not None
        if bid.value.currency != estimate.currency:
            out.append(
                PriceFlag(
                    name,
                    "cannot-evaluate",
                    f"cannot evaluate: {bid.bidder} bid in "
                    f"{bid.value.currency}, estimate in {estimate.currency}",
                    bid.bidder,
                )
            )
            continue
        below = (estimate.amount - bid.value.amount) / estimate.amount
        evidence = {
            "bid": bid.value.amount,
            "estimate": estimate.amount,
            "currency": estimate.currency,
            "below_estimate": round(below, 4),
        }
        raised = below >= cfg.abnormally_low.below_estimate
        finding = (
            f"bid of {bid.value} by {bid.bidder} is {_pct(below)} below the estimate of {estimate}"
        )
        out.append(_low_bid_flag(name, bid.bidder, finding if raised else None, evidence))
    return out


def lowest_gap(bids: Sequence[Bid], cfg: PriceConfig) -> list[PriceFlag]:
    """A wide gap between the lowest and the next lowest bid singles out one bidder's price
    (a "heavily discounted bid" in OCP Cardinal's terms); it also calls for an explanation."""
    name = "lowest-to-next-gap"
    priced, currency = _priced(bids)
    if len(priced) < 2 or currency is None:
        return [
            PriceFlag(
                name, "cannot-evaluate", "cannot evaluate: needs two priced bids in one currency"
            )
        ]
    ranked = sorted(priced, key=lambda b: b.value.amount if b.value else 0.0)
    low, nxt = ranked[0], ranked[1]
    assert low.value is not None and nxt.value is not None
    gap = (nxt.value.amount - low.value.amount) / nxt.value.amount if nxt.value.amount else 0.0
    evidence = {
        "lowest": low.value.amount,
        "next": nxt.value.amount,
        "currency": currency,
        "gap": round(gap, 4),
    }
    if gap >= cfg.gap.lowest_to_next:
        return [
            PriceFlag(
                name,
                "raised",
                f"lowest bid ({low.bidder}, {low.value}) is "
                f"{_pct(gap)} below the next ({nxt.bidder}, {nxt.value})",
                low.bidder,
                EXPLAIN,
                ART69,
                evidence,
            )
        ]
    return [
        PriceFlag(
            name, "not-raised", f"gap lowest→next is {_pct(gap)}", low.bidder, evidence=evidence
        )
    ]


def single_bid(bids: Sequence[Bid], cfg: PriceConfig) -> list[PriceFlag]:
    """Only one valid bid: no price competition, so price cannot be tested against others
    (OCP Cardinal's "single bid" flag)."""
    name = "single-bid"
    valid = [b for b in bids if b.valid]
    if not cfg.single_bid:
        return []
    if not valid:
        return [PriceFlag(name, "cannot-evaluate", "cannot evaluate: no bid data")]
    if len(valid) == 1:
        return [
            PriceFlag(
                name,
                "raised",
                f"only one valid bid ({valid[0].bidder})",
                valid[0].bidder,
                "review why competition failed",
                None,
                {"bids": 1},
            )
        ]
    return [
        PriceFlag(name, "not-raised", f"{len(valid)} valid bids", evidence={"bids": len(valid)})
    ]


def _eur(money: Money, cfg: PriceConfig) -> float | None:
    rate = cfg.fsr.eur_per_unit.get(money.currency)
    return None if rate is None else money.amount * rate


def fsr_notification(
    bids: Sequence[Bid],
    estimate: Money | None,
    cfg: PriceConfig,
    *,
    lot: bool = False,
    defence_security: bool = False,
) -> list[PriceFlag]:
    """EU FSR: a bidder must notify foreign financial contributions when the contract (or lot)
    value reaches the threshold and it received at least the per-country amount from one third
    country in the three years before. Defence and security contracts are out of scope."""
    name = "fsr-notification"
    if defence_security:
        return [
            PriceFlag(
                name,
                "not-applicable",
                "defence and security contracts are out of the FSR's scope",
                citation=FSR,
            )
        ]
    limit = cfg.fsr.lot_value_eur if lot else cfg.fsr.contract_value_eur
    out = []
    for bid in (b for b in bids if b.valid):
        value = estimate or bid.value
        if value is None:
            out.append(
                PriceFlag(name, "cannot-evaluate", "cannot evaluate: no contract value", bid.bidder)
            )
            continue
        value_eur = _eur(value, cfg)
        if value_eur is None:
            out.append(
                PriceFlag(
                    name,
                    "cannot-evaluate",
                    f"cannot evaluate: no EUR rate for {value.currency} in price_flags.yaml",
                    bid.bidder,
                )
            )
            continue
        if bid.foreign_contributions is None:
            out.append(
                PriceFlag(
                    name,
                    "cannot-evaluate",
                    "cannot evaluate: no foreign financial contribution figures given",
                    bid.bidder,
                    evidence={"value_eur": value_eur},
                )
            )
            continue
        per_country: dict[str, float] = {}
        missing = []
        for country, money in bid.foreign_contributions.items():
            eur = _eur(money, cfg)
            if eur is None:
                missing.append(money.currency)
            else:
                per_country[country] = eur
        top = max(per_country.values(), default=0.0)
        evidence = {
            "value_eur": value_eur,
            "threshold_eur": limit,
            "foreign_contributions_eur": per_country,
        }
        over = value_eur >= limit and top >= cfg.fsr.foreign_contributions_per_country_eur
        if over:
            out.append(
                PriceFlag(
                    name,
                    "raised",
                    f"{bid.bidder}: contract value EUR {value_eur:,.0f}"
                    f" ≥ {limit:,.0f} and foreign contributions of EUR {top:,.0f} from "
                    "one third country: an FSR notification is required",
                    bid.bidder,
                    "check the FSR notification was made",
                    FSR,
                    evidence,
                )
            )
        elif missing:
            out.append(
                PriceFlag(
                    name,
                    "cannot-evaluate",
                    "cannot evaluate: no EUR rate for " + ", ".join(sorted(set(missing))),
                    bid.bidder,
                    evidence=evidence,
                )
            )
        else:
            out.append(
                PriceFlag(
                    name,
                    "not-raised",
                    f"{bid.bidder}: below the FSR thresholds",
                    bid.bidder,
                    evidence=evidence,
                )
            )
    return out


def price_flags(
    bids: Sequence[Bid],
    *,
    estimate: Money | None = None,
    config: PriceConfig | None = None,
    lot: bool = False,
    defence_security: bool = False,
) -> list[PriceFlag]:
    """Every price indicator on one tender's (or lot's) bids.

    With no bids at all (e.g. AusTender, which publishes none) the bid-based indicators come
    back as ``cannot-evaluate: no bid data`` rather than as passes.
    """
    cfg = config or load_config()
    if not bids:
        return [
            PriceFlag(name, "cannot-evaluate", "cannot evaluate: no bid data")
            for name in (
                "abnormally-low-vs-others",
                "abnormally-low-vs-estimate",
                "lowest-to-next-gap",
                "single-bid",
                "fsr-notification",
            )
        ]
    return [
        *abnormally_low_vs_others(bids, cfg),
        *abnormally_low_vs_estimate(bids, estimate, cfg),
        *lowest_gap(bids, cfg),
        *single_bid(bids, cfg),
        *fsr_notification(bids, estimate, cfg, lot=lot, defence_security=defence_security),
    ]


def process_bids(process: ProcessRecord) -> list[Bid]:
    """The bids of an OCDS process (bids extension) as :class:`Bid` values, bidders by name."""
    out = []
    for b in process.bids or ():
        names = [p.name for t in b.tenderer_ids if (p := process.party(t))] or [b.id]
        out.append(Bid(" / ".join(names), b.value, valid=(b.status or "valid") in ("valid", "")))
    return out


def process_price_flags(
    process: ProcessRecord, config: PriceConfig | None = None
) -> list[PriceFlag]:
    """Price flags of a stored process; "cannot evaluate: no bid data" when it publishes none."""
    if process.bids is None:
        return [
            PriceFlag(
                "bids",
                "cannot-evaluate",
                "cannot evaluate: no bid data (the source publishes no bids)",
            )
        ]
    return price_flags(process_bids(process), estimate=process.tender_value, config=config)
