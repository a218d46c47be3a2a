"""The thresholds of the price indicators, read strictly from ``bidvet/data/price_flags.yaml``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field

from bidvet.yamlconfig import ErrorStyle, validate_yaml
from bidvet.yamlconfig import StrictModel as _Strict

CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "price_flags.yaml"


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
