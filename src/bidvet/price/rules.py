"""Which rule a price indicator applies for this buyer, on this date (``buyer_rules`` in
``price_flags.yaml``).

A buyer in a jurisdiction with a rule of the indicator's kind in force on the tender's date gets
that rule (Art. 69 for an EU buyer, FAR 15.404-1 for a US federal buyer…). A buyer elsewhere,
without a country, or whose jurisdiction has no such rule in force on the date, gets the
``otherwise`` rule of that kind (the generic "buyer policy to be set" signal), with a note saying
why; when there is none, the indicator does not apply to the buyer (:class:`NotApplicable`),
which is said once, not as an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bidvet.model.countries import country_name
from bidvet.price.config import BuyerRules, Family, PriceRule


def buyer_label(country: str | None) -> str:
    """``buyer country CA (Canada)``, or ``buyer country not given``."""
    if country is None:
        return "buyer country not given"
    # rigour's territory names, as followthemoney's caption gives them, without loading
    # followthemoney's country table (about a second) into every assessment
    name = country_name(country)
    return f"buyer country {country.upper()}" + (f" ({name})" if name != country.upper() else "")


@dataclass(frozen=True)
class AppliedRule:
    """The rule an indicator applies for this buyer, and why when it is the fallback."""

    id: str
    rule: PriceRule
    buyer_country: str | None
    jurisdiction: str | None = None
    note: str | None = None

    @property
    def citation(self) -> str:
        return self.rule.name

    def applies(self) -> str:
        """``under EU Directive 2014/24/EU Art. 69 (…) for buyer country FI (Finland)``."""
        return f"under {self.rule.name} for {buyer_label(self.buyer_country)}"


@dataclass(frozen=True)
class NotApplicable:
    """The indicator does not apply to this buyer (or not on this date), and why."""

    message: str
    buyer_country: str | None


def _named(rules: BuyerRules, ids: list[str]) -> str:
    return "; ".join(
        rules.rules[i].name + (f" ({d})" if (d := rules.rules[i].dates()) else "") for i in ids
    )


def rule_for(
    rules: BuyerRules, family: Family, country: str | None, on: dt.date | None
) -> AppliedRule | NotApplicable:
    """The rule of kind ``family`` for a buyer in ``country`` on ``on`` (see module doc)."""
    jurisdiction = rules.jurisdiction_of(country)
    ids = jurisdiction.rules.get(family, []) if jurisdiction else []
    when = on.isoformat() if on else "the tender's date"
    in_force = [i for i in ids if rules.rules[i].in_force(on)]
    if jurisdiction is not None and in_force:
        rid = in_force[-1]
        return AppliedRule(rid, rules.rules[rid], country, jurisdiction.name)
    if ids:
        name = jurisdiction.name if jurisdiction else ""
        why = f"no rule of {name} in force on {when} ({_named(rules, ids)})"
    elif jurisdiction is not None:
        why = f"no {family} rule configured for {jurisdiction.name}"
    elif country is None:
        why = "the tender gives no buyer country"
    else:
        why = f"no {family} rule configured for {buyer_label(country)}"
    fallback = rules.otherwise.get(family)
    if fallback is not None:
        return AppliedRule(fallback, rules.rules[fallback], country, None, why)
    where = sorted({j.name for j in rules.jurisdictions.values() if family in j.rules})
    scope = _named(
        rules, sorted({i for j in rules.jurisdictions.values() for i in j.rules.get(family, [])})
    )
    if ids:
        message = f"not applicable: {scope} is not in force on {when} ({buyer_label(country)})"
    else:
        message = (
            f"not applicable: {scope} applies to buyers in {', '.join(where)} only; "
            f"{buyer_label(country)}"
        )
    return NotApplicable(message, country)
