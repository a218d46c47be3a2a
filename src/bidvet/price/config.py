"""The thresholds of the price indicators and the buyer's rules, read strictly from
``bidvet/data/price_flags.yaml``."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from bidvet.yamlconfig import ErrorStyle, validate_yaml
from bidvet.yamlconfig import StrictModel as _Strict

CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "price_flags.yaml"

#: the kinds of rule an indicator can implement; which rule of that kind applies depends on the
#: buyer's country (``buyer_rules`` in ``price_flags.yaml``)
Family = Literal["abnormally-low", "fsr"]
Country = Annotated[str, Field(pattern=r"^[a-z]{2}$")]


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


class CurrencyConfig(_Strict):
    max_rate_age_days: int = Field(ge=1)


class RuleSource(_Strict):
    title: str = Field(min_length=3)
    url: str | None = None
    published: dt.date | None = None


class PriceRule(_Strict):
    """One buyer's rule (or the generic signal): its name as findings cite it, the action a
    raised flag asks for, its source and the dates it is in force."""

    name: str = Field(min_length=3)
    action: str = Field(min_length=3)
    source: RuleSource | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    #: the generic "buyer policy to be set" signal, not a rule of the buyer
    generic: bool = False
    note: str | None = None

    def in_force(self, on: dt.date | None) -> bool:
        if on is None:
            return self.valid_to is None
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    def dates(self) -> str:
        """``from 2016-04-18``, ``2015-02-26 to 2025-02-23`` or ``""``."""
        if self.valid_from and self.valid_to:
            return f"{self.valid_from.isoformat()} to {self.valid_to.isoformat()}"
        if self.valid_from:
            return f"from {self.valid_from.isoformat()}"
        if self.valid_to:
            return f"until {self.valid_to.isoformat()}"
        return ""


class Jurisdiction(_Strict):
    """Buyers in ``countries`` apply ``rules``: by kind, the rule ids in date order."""

    name: str = Field(min_length=2)
    countries: list[Country] = Field(min_length=1)
    rules: dict[Family, list[str]] = Field(min_length=1)


class BuyerRules(_Strict):
    rules: dict[str, PriceRule] = Field(min_length=1)
    jurisdictions: dict[str, Jurisdiction] = Field(min_length=1)
    #: for a buyer in no jurisdiction (or none of whose rules is in force), the rule applied by
    #: kind; a kind missing here does not apply to such buyers
    otherwise: dict[Family, str] = {}

    @model_validator(mode="after")
    def _references(self) -> BuyerRules:
        named = [r for j in self.jurisdictions.values() for ids in j.rules.values() for r in ids]
        unknown = sorted({r for r in [*named, *self.otherwise.values()] if r not in self.rules})
        if unknown:
            raise ValueError(f"rules {unknown} are not defined under buyer_rules.rules")
        seen: dict[str, str] = {}
        for jid, j in self.jurisdictions.items():
            for country in j.countries:
                if country in seen:
                    raise ValueError(f"country {country!r} is in both {seen[country]} and {jid}")
                seen[country] = jid
        return self

    def jurisdiction_of(self, country: str | None) -> Jurisdiction | None:
        if country is None:
            return None
        return next((j for j in self.jurisdictions.values() if country in j.countries), None)


class PriceConfig(_Strict):
    """Thresholds of the price indicators; see ``price_flags.yaml`` for their meaning."""

    version: str
    abnormally_low: AbnormallyLow
    gap: Gap
    single_bid: bool = True
    fsr: FsrConfig
    currency: CurrencyConfig
    buyer_rules: BuyerRules


@cache
def load_config(path: Path = CONFIG_PATH) -> PriceConfig:
    """The price-flag configuration (strict: an unknown key is an error naming it)."""
    return validate_yaml(
        path,
        PriceConfig,
        fix_top="compare with the bundled bidvet/data/price_flags.yaml",
        style=ErrorStyle(unknown_first=True),
    )
