"""The screening policy file (``screening.yaml``), parsed strictly.

Weights, the decision threshold, the index budget and the generic-word vocabulary are data: a
policy change is a YAML diff. Unknown keys are errors, so a typo fails at load time.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, cast

from annotated_types import Ge, Gt, Le, Lt

from bidvet.errors import ConfigError
from bidvet.file_copies import STRICT, load_checked

POLICY_FILE = Path(__file__).parent / "screening.yaml"
#: the versioned matching algorithms (see :mod:`bidvet.screening.score`)
V1 = "bidvet-name-v1"
V2 = "bidvet-name-v2"
ALGORITHMS = (V1, V2)
Algorithm = Literal["bidvet-name-v1", "bidvet-name-v2"]
_COMPARE = "compare with the bundled screening.yaml"
#: a score: a number from 0 to 1
_Cap = Annotated[float, Gt(0.0), Le(1.0)]


@dataclass(frozen=True, kw_only=True)
class IndexPolicy:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    posting_budget: Annotated[int, Gt(0)]
    min_features: Annotated[int, Ge(1)]
    candidates: Annotated[int, Ge(1)]


@dataclass(frozen=True, kw_only=True)
class ScoringPolicy:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    bias: float
    weights: dict[str, float]
    identifier_score: Annotated[float, Ge(0.0), Le(1.0)]
    threshold: Annotated[float, Gt(0.0), Lt(1.0)]
    report_min: Annotated[float, Ge(0.0), Lt(1.0)]
    near_floor: Annotated[float, Ge(0.0), Lt(1.0)]
    typo_only_cap: _Cap
    #: the score of two people's names that both carry a patronymic, none in common, is held
    #: here (below the threshold: a near name, :mod:`bidvet.screening.person_names`)
    patronymic_conflict_cap: _Cap = 0.6
    #: the score of a person's name that meets the listed person's only through a typed slip
    #: in one of its names is held here (a possible match for a person to judge:
    #: :func:`bidvet.screening.features_v2.person_typos`)
    person_typo_cap: _Cap = 0.84
    #: the score of a name of one distinctive word that is only a part of the other name is
    #: held here (a possible match for a person to judge:
    #: :func:`bidvet.screening.features_v2.part_of_name`)
    part_of_name_cap: _Cap = 0.84


@dataclass(frozen=True, kw_only=True)
class ScreeningPolicy:
    """The screening policy file (``screening.yaml``), validated by pydantic when it is read
    from the file, else rebuilt from the copy of what was validated (:mod:`bidvet.file_copies`):
    a screen loads neither pydantic nor a YAML parser."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    version: str
    algorithm: Algorithm
    generic_org_words: tuple[str, ...]
    index: IndexPolicy
    scoring: ScoringPolicy


def load_policy(path: Path = POLICY_FILE) -> ScreeningPolicy:
    """Read and validate a screening policy file; errors name the file and the key."""
    policy = load_checked(path, ScreeningPolicy, _validate)
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


def _validate(path: Path) -> ScreeningPolicy:
    from bidvet.yamlconfig import ErrorStyle, validate_yaml

    style = ErrorStyle(dotted=True, unknown_first=True, hint=_COMPARE)
    return validate_yaml(path, ScreeningPolicy, fix_top=_COMPARE, style=style)


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
    return dataclasses.replace(policy, algorithm=cast(Algorithm, algorithm))
