"""The exposure-scan policy (``bidvet/data/exposure.yaml``), parsed strictly."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bidvet.yamlconfig import ErrorStyle, validate_yaml

CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "exposure.yaml"


class ExposureConfig(BaseModel):
    """Which items are sensitive, which suppliers risky, which contracts are maintenance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    sensitive_tiers: tuple[str, ...]
    review_tiers: tuple[str, ...] = ()
    state_topics: tuple[str, ...]
    legal_regime_kinds: tuple[str, ...]
    maintenance_features: tuple[str, ...]
    maintenance_words: tuple[str, ...]
    equipment_prefixes: tuple[str, ...]
    screen_limit: int = Field(default=3, ge=1)
    #: screening score from which a name match is taken as the supplier; matches between the
    #: screener's threshold and this are listed as possible matches to check, not as risk
    resolve_score: float = Field(default=0.85, ge=0.0, le=1.0)
    min_identifier_length: int = Field(default=8, ge=1)


@cache
def load_exposure_config(path: Path = CONFIG_PATH) -> ExposureConfig:
    return validate_yaml(
        path,
        ExposureConfig,
        fix_top="compare with the bundled bidvet/data/exposure.yaml",
        style=ErrorStyle(unknown_first=True),
    )
