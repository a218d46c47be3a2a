"""The notification of foreign financial contributions under Regulation (EU) 2022/2560 (FSR),
for EU buyers only."""

from __future__ import annotations

from typing import Any

from bidvet.model.contracts import Money
from bidvet.price.bids import TenderBids, convert, valid_bids
from bidvet.price.config import PriceConfig
from bidvet.price.flags import PriceFlag, cannot_evaluate, ruled
from bidvet.price.fx import BASE, Conversion, NoRate
from bidvet.price.registry import indicator


def _eur(tender: TenderBids, money: Money) -> Conversion | NoRate:
    return convert(tender, money, BASE)


@indicator(
    "fsr-notification",
    title="EU Foreign Subsidies Regulation notification",
    order=50,
    family="fsr",
    config={
        "fsr.contract_value_eur": "contract value (EUR) from which a notification can be required",
        "fsr.lot_value_eur": "the same for a lot, when the tender is assessed lot by lot",
        "fsr.foreign_contributions_per_country_eur": (
            "foreign financial contributions (EUR) from one third country over the three years "
            "before"
        ),
        "currency.max_rate_age_days": (
            "how old the ECB rate used to convert an amount into EUR may be; without a rate the "
            "indicator is `cannot-evaluate`"
        ),
    },
)
def fsr_notification(tender: TenderBids, cfg: PriceConfig) -> list[PriceFlag]:
    """EU FSR: a bidder must notify foreign financial contributions when the contract (or lot)
    value reaches the threshold and it received at least the per-country amount from one third
    country in the three years before. It binds EU contracting authorities from 2023-10-12; for
    other buyers, and before that date, the indicator is not applicable. Defence and security
    contracts are out of scope. Amounts in other currencies are converted into EUR at the ECB
    rate in force on the tender's date."""
    name = "fsr-notification"
    rule = tender.rule
    assert rule is not None
    if tender.defence_security:
        return [
            PriceFlag(
                name,
                "not-applicable",
                "defence and security contracts are out of the FSR's scope",
                citation=rule.citation,
                rule=rule.id,
                buyer_country=rule.buyer_country,
            )
        ]
    limit = cfg.fsr.lot_value_eur if tender.lot else cfg.fsr.contract_value_eur
    out = []
    for bid in valid_bids(tender.bids):
        value = tender.estimate or bid.value
        if value is None:
            out.append(cannot_evaluate(name, "no contract value", bid.bidder, rule))
            continue
        value_conv = _eur(tender, value)
        if isinstance(value_conv, NoRate):
            out.append(cannot_evaluate(name, value_conv.note, bid.bidder, rule))
            continue
        value_eur = round(value_conv.converted.amount, 2)
        evidence: dict[str, Any] = {"value_eur": value_eur}
        conversions = [value_conv] if value_conv.rates else []
        if bid.foreign_contributions is None:
            if conversions:
                evidence["conversions"] = [c.to_json() for c in conversions]
            why = "no foreign financial contribution figures given"
            out.append(cannot_evaluate(name, why, bid.bidder, rule, evidence))
            continue
        per_country: dict[str, float] = {}
        missing = []
        for country, money in bid.foreign_contributions.items():
            conv = _eur(tender, money)
            if isinstance(conv, NoRate):
                missing.append(conv.note)
                continue
            per_country[country] = round(conv.converted.amount, 2)
            if conv.rates:
                conversions.append(conv)
        top = max(per_country.values(), default=0.0)
        evidence |= {"threshold_eur": limit, "foreign_contributions_eur": per_country}
        if conversions:
            evidence["conversions"] = [c.to_json() for c in conversions]
        over = value_eur >= limit and top >= cfg.fsr.foreign_contributions_per_country_eur
        rates = sorted({c.rate_text() for c in conversions})
        converted = f" ({'; '.join(rates)})" if rates else ""
        if over:
            finding = (
                f"{bid.bidder}: contract value EUR {value_eur:,.0f} ≥ {limit:,.0f} and foreign "
                f"contributions of EUR {top:,.0f} from one third country{converted}: an FSR "
                "notification is required"
            )
            out.append(ruled(name, rule, bid.bidder, finding, evidence, ""))
        elif missing:
            why = "; ".join(sorted(set(missing)))
            out.append(cannot_evaluate(name, why, bid.bidder, rule, evidence))
        else:
            quiet = f"{bid.bidder}: below the FSR thresholds{converted}"
            out.append(ruled(name, rule, bid.bidder, None, evidence, quiet))
    return out
