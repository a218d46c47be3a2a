"""The exposure-scan policy (``bidvet/data/exposure.yaml``), parsed strictly."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bidvet.yamlconfig import ErrorStyle, validate_yaml

ReasonKind = Literal["listed", "listed-owner", "state-linked", "legal-regime"]

CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "exposure.yaml"


class ExposureConfig(BaseModel):
    """Which items are sensitive, which suppliers risky, which contracts are maintenance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    sensitive_tiers: tuple[str, ...]
    review_tiers: tuple[str, ...] = ()
    #: the framework whose criteria decide supplier risk
    framework: str
    #: criterion id -> reason kind reported (listed, listed-owner, state-linked, legal-regime)
    criteria: dict[str, ReasonKind] = Field(min_length=1)
    maintenance_features: tuple[str, ...]
    maintenance_words: tuple[str, ...]
    equipment_prefixes: tuple[str, ...]


@cache
def load_exposure_config(path: Path = CONFIG_PATH) -> ExposureConfig:
    return validate_yaml(
        path,
        ExposureConfig,
        fix_top="compare with the bundled bidvet/data/exposure.yaml",
        style=ErrorStyle(unknown_first=True),
    )
