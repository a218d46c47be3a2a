"""Every registered price indicator on one tender's bids, or on a stored OCDS process."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from bidvet.model.contracts import Money, ProcessRecord
from bidvet.price.bids import Bid, TenderBids, process_bids
from bidvet.price.config import PriceConfig, load_config
from bidvet.price.flags import PriceFlag, cannot_evaluate, not_applicable
from bidvet.price.fx import FxTable, load_fx_table
from bidvet.price.registry import indicator_specs
from bidvet.price.rules import NotApplicable, rule_for


def price_flags(
    bids: Sequence[Bid],
    *,
    estimate: Money | None = None,
    config: PriceConfig | None = None,
    lot: bool = False,
    defence_security: bool = False,
    buyer_country: str | None = None,
    on: dt.date | None = None,
    rates: FxTable | None = None,
) -> list[PriceFlag]:
    """Every price indicator on one tender's (or lot's) bids, in registry order, under the rules
    of the buyer's country in force ``on`` the tender's date (whose ECB rates convert amounts in
    different currencies).

    An indicator whose kind of rule does not apply to the buyer gives one ``not-applicable``
    flag saying so. With no bids at all (e.g. AusTender, which publishes none) the others come
    back as ``cannot-evaluate: no bid data`` rather than as passes.
    """
    cfg = config or load_config()
    table = rates or load_fx_table(max_age_days=cfg.currency.max_rate_age_days)
    country = buyer_country.lower() if buyer_country else None
    tender = TenderBids(bids, estimate, lot, defence_security, country, on, table)
    out: list[PriceFlag] = []
    for name, spec in indicator_specs().items():
        rule = rule_for(cfg.buyer_rules, spec.family, country, on) if spec.family else None
        if isinstance(rule, NotApplicable):
            out.append(not_applicable(name, rule))
        elif not bids:
            out.append(cannot_evaluate(name, "no bid data", rule=rule))
        else:
            out.extend(spec.func(dataclasses.replace(tender, rule=rule), cfg))
    return out


def _buyer_country(process: ProcessRecord) -> str | None:
    """The buyer's country when the process gives it as a two-letter code."""
    buyer = process.party(process.buyer_id)
    code = (buyer.country or "").strip().lower() if buyer else ""
    return code if len(code) == 2 and code.isalpha() else None


def process_price_flags(
    process: ProcessRecord, config: PriceConfig | None = None
) -> list[PriceFlag]:
    """Price flags of a stored process under its buyer's rules on the process's date;
    "cannot evaluate: no bid data" when it publishes none."""
    if process.bids is None:
        return [cannot_evaluate("bids", "no bid data (the source publishes no bids)")]
    return price_flags(
        process_bids(process),
        estimate=process.tender_value,
        config=config,
        buyer_country=_buyer_country(process),
        on=process.date,
    )
