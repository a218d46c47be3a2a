"""The notification of foreign financial contributions under Regulation (EU) 2022/2560 (FSR)."""

from __future__ import annotations

from bidvet.price.bids import TenderBids, to_eur, valid_bids
from bidvet.price.config import PriceConfig
from bidvet.price.flags import FSR, PriceFlag, cannot_evaluate
from bidvet.price.registry import indicator


@indicator(
    "fsr-notification",
    title="EU Foreign Subsidies Regulation notification",
    order=50,
    config={
        "fsr.contract_value_eur": "contract value (EUR) from which a notification can be required",
        "fsr.lot_value_eur": "the same for a lot, when the tender is assessed lot by lot",
        "fsr.foreign_contributions_per_country_eur": (
            "foreign financial contributions (EUR) from one third country over the three years "
            "before"
        ),
        "fsr.eur_per_unit": (
            "rates to convert other currencies into EUR (EUR per unit); a missing currency makes "
            "the indicator `cannot-evaluate`"
        ),
    },
)
def fsr_notification(tender: TenderBids, cfg: PriceConfig) -> list[PriceFlag]:
    """EU FSR: a bidder must notify foreign financial contributions when the contract (or lot)
    value reaches the threshold and it received at least the per-country amount from one third
    country in the three years before. Defence and security contracts are out of scope."""
    name = "fsr-notification"
    if tender.defence_security:
        return [
            PriceFlag(
                name,
                "not-applicable",
                "defence and security contracts are out of the FSR's scope",
                citation=FSR,
            )
        ]
    rates = cfg.fsr.eur_per_unit
    limit = cfg.fsr.lot_value_eur if tender.lot else cfg.fsr.contract_value_eur
    out = []
    for bid in valid_bids(tender.bids):
        value = tender.estimate or bid.value
        if value is None:
            out.append(cannot_evaluate(name, "no contract value", bid.bidder))
            continue
        value_eur = to_eur(value, rates)
        if value_eur is None:
            why = f"no EUR rate for {value.currency} in price_flags.yaml"
            out.append(cannot_evaluate(name, why, bid.bidder))
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
            eur = to_eur(money, rates)
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
