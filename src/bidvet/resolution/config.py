"""The resolution policy (``bidvet/data/resolution.yaml``), parsed strictly."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bidvet.yamlconfig import ErrorStyle, validate_yaml

CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "resolution.yaml"


class XrefConfig(BaseModel):
    """How ``bidvet xref`` proposes and links pairs of records (see ``resolution.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    candidates_per_record: int = Field(ge=1)
    min_score: float = Field(ge=0.0, le=1.0)
    strong_schemes: tuple[str, ...]
    country_schemes: tuple[str, ...]
    conflict_schemes: tuple[str, ...] = ()
    identifier_disagreement_penalty: float = Field(ge=0.0, le=1.0)
    country_disagreement_penalty: float = Field(ge=0.0, le=1.0)


class ResolutionConfig(BaseModel):
    """Thresholds for taking a match as the subject, and for calling it ambiguous."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    resolve_score: float = Field(ge=0.0, le=1.0)
    ambiguity_margin: float = Field(ge=0.0, le=1.0)
    screen_limit: int = Field(ge=1)
    min_identifier_length: int = Field(ge=1)
    #: a name match whose record (and the records judged the same legal person) names
    #: countries, none of them the subject's, is a possible match, never taken as the subject
    country_must_agree: bool = True
    xref: XrefConfig
    owner_match_score: float = Field(ge=0.0, le=1.0)


@cache
def load_resolution_config(path: Path = CONFIG_PATH) -> ResolutionConfig:
    return validate_yaml(
        path,
        ResolutionConfig,
        fix_top="compare with the bundled bidvet/data/resolution.yaml",
        style=ErrorStyle(unknown_first=True),
    )
