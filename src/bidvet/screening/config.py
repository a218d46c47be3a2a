"""The screening policy file (``screening.yaml``), parsed strictly.

Weights, the decision threshold, the index budget and the generic-word vocabulary are data: a
policy change is a YAML diff. Unknown keys are errors, so a typo fails at load time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from bidvet.errors import ConfigError
from bidvet.yamlconfig import ErrorStyle, validate_yaml
from bidvet.yamlconfig import StrictModel as _Strict

POLICY_FILE = Path(__file__).parent / "screening.yaml"
#: the versioned matching algorithms (see :mod:`bidvet.screening.score`)
V1 = "bidvet-name-v1"
V2 = "bidvet-name-v2"
ALGORITHMS = (V1, V2)
_COMPARE = "compare with the bundled screening.yaml"
_ERRORS = ErrorStyle(dotted=True, unknown_first=True, hint=_COMPARE)


class IndexPolicy(_Strict):
    posting_budget: int = Field(gt=0)
    min_features: int = Field(ge=1)
    candidates: int = Field(ge=1)


class ScoringPolicy(_Strict):
    bias: float
    weights: dict[str, float]
    identifier_score: float = Field(ge=0.0, le=1.0)
    threshold: float = Field(gt=0.0, lt=1.0)
    report_min: float = Field(ge=0.0, lt=1.0)
    near_floor: float = Field(ge=0.0, lt=1.0)
    typo_only_cap: float = Field(gt=0.0, le=1.0)
    #: the score of two people's names that both carry a patronymic, none in common, is held
    #: here (below the threshold: a near name, :mod:`bidvet.screening.person_names`)
    patronymic_conflict_cap: float = Field(default=0.6, gt=0.0, le=1.0)
    #: the score of a person's name that meets the listed person's only through a typed slip
    #: in one of its names is held here (a possible match for a person to judge:
    #: :func:`bidvet.screening.features_v2.person_typos`)
    person_typo_cap: float = Field(default=0.84, gt=0.0, le=1.0)
    #: the score of a name of one distinctive word that is only a part of the other name is
    #: held here (a possible match for a person to judge:
    #: :func:`bidvet.screening.features_v2.part_of_name`)
    part_of_name_cap: float = Field(default=0.84, gt=0.0, le=1.0)


class ScreeningPolicy(_Strict):
    version: str
    algorithm: Literal["bidvet-name-v1", "bidvet-name-v2"]
    generic_org_words: tuple[str, ...]
    index: IndexPolicy
    scoring: ScoringPolicy


def load_policy(path: Path = POLICY_FILE) -> ScreeningPolicy:
    """Read and validate a screening policy file; errors name the file and the key."""
    policy = validate_yaml(path, ScreeningPolicy, fix_top=_COMPARE, style=_ERRORS)
    from bidvet.screening.features import FEATURES

    unknown = set(policy.scoring.weights) - set(FEATURES)
    if unknown:
        raise ConfigError(
            path,
            f"unknown feature(s) {sorted(unknown)}",
            record="scoring.weights",
            fix=f"use only {sorted(FEATURES)}",
        )
    return policy


@lru_cache(maxsize=1)
def default_policy() -> ScreeningPolicy:
    """The bundled policy, read once on first use."""
    return load_policy()


def policy_for(algorithm: str | None) -> ScreeningPolicy:
    """The bundled policy with ``algorithm`` (``bidvet-name-v1`` or ``-v2``) as its algorithm."""
    policy = default_policy()
    if algorithm is None or algorithm == policy.algorithm:
        return policy
    if algorithm not in ALGORITHMS:
        raise ConfigError(
            POLICY_FILE, f"unknown algorithm {algorithm!r}", fix=f"use one of {list(ALGORITHMS)}"
        )
    return policy.model_copy(update={"algorithm": algorithm})
