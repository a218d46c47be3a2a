"""The shape of a framework file (``bidvet: framework/1``), parsed strictly.

A framework is policy as data: the criteria an assessment applies (each naming the evaluator
function that decides it and that function's parameters), the mitigations criteria can suggest,
the public frameworks they derive from, and the outcome rule that combines findings and the
technology risk tier into exclude / restrict / mitigate / accept. Unknown keys are errors, so a
typo fails at load time instead of silently changing a decision.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from bidvet.model.tiers import (
    OUTCOME_ORDER,
    SEVERITY_ORDER,
    TIER_SCALE,
    Forces,
    Outcome,
    Severity,
    Tier,
)
from bidvet.yamlconfig import StrictModel as _Strict

__all__ = ["OUTCOME_ORDER", "SEVERITY_ORDER", "TIER_SCALE", "Forces", "Outcome", "Severity", "Tier"]

_ID = r"^[a-z0-9][a-z0-9-]*$"


class Reference(_Strict):
    """A public framework or law a criterion derives from."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=3)
    url: str | None = None
    note: str | None = None


class Mitigation(_Strict):
    """A condition a buyer can impose instead of excluding a bidder."""

    id: str = Field(pattern=_ID)
    text: str = Field(min_length=5)


class Restriction(_Strict):
    """A limit on what a bidder may supply or do, imposed with a RESTRICT outcome."""

    id: str = Field(pattern=_ID)
    #: what the restriction limits
    aspect: Literal["scope", "sites", "access", "maintenance", "data"]
    text: str = Field(min_length=5)


class Criterion(_Strict):
    """One question the assessment asks of every bidder, and who decides it."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=3)
    question: str = Field(min_length=5)
    category: str = Field(pattern=_ID)
    evaluator: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    params: dict[str, Any] = {}
    severity: Severity
    forces: Forces | None = None
    mitigations: list[str] = []
    #: restrictions a RESTRICT outcome driven by this criterion imposes
    restrictions: list[str] = []
    references: list[str] = []
    documentation: str | None = None
    #: what would change an outcome this criterion drove (the decision page says it)
    changes_if: str | None = None


class When(_Strict):
    """Conditions of an outcome rule; every condition given must hold."""

    forces_any: list[Forces] = []
    criteria_all: list[str] = []
    criteria_any: list[str] = []
    severity_at_least: Severity | None = None
    tiers: list[Tier] = []

    @model_validator(mode="after")
    def _not_empty(self) -> When:
        if not (
            self.forces_any or self.criteria_all or self.criteria_any or self.severity_at_least
        ):
            raise ValueError(
                "a rule needs at least one of forces_any, criteria_all, criteria_any, "
                "severity_at_least"
            )
        return self


class Rule(_Strict):
    """If the findings (and the tender's risk tier) meet ``when``, the bidder gets ``outcome``."""

    id: str = Field(pattern=_ID)
    text: str = Field(min_length=5)
    when: When
    outcome: Outcome
    #: ``false`` when the rule says the risk cannot be mitigated: its outcome must be exclude
    mitigable: bool = True

    @model_validator(mode="after")
    def _unmitigable_excludes(self) -> Rule:
        if not self.mitigable and self.outcome != "exclude":
            raise ValueError(
                f"rule {self.id} says the risk is not mitigable (mitigable: false) but gives "
                f"{self.outcome!r}; a risk that cannot be mitigated can only exclude"
            )
        return self


class OutcomeRule(_Strict):
    default: Outcome = "accept"
    rules: list[Rule] = Field(min_length=1)


class Framework(_Strict):
    """A whole framework file."""

    bidvet: Literal["framework/1"]
    id: str = Field(pattern=_ID)
    version: int = Field(ge=1)
    #: a newer framework that replaces this one; kept so old reports reproduce
    superseded_by: str | None = Field(default=None, pattern=_ID)
    title: str = Field(min_length=3)
    description: str | None = None
    references: list[Reference] = []
    mitigations: list[Mitigation] = []
    restrictions: list[Restriction] = []
    criteria: list[Criterion] = Field(min_length=1)
    outcome: OutcomeRule

    def criterion(self, criterion_id: str) -> Criterion:
        for crit in self.criteria:
            if crit.id == criterion_id:
                return crit
        raise KeyError(criterion_id)

    def restriction(self, restriction_id: str) -> Restriction:
        for res in self.restrictions:
            if res.id == restriction_id:
                return res
        raise KeyError(restriction_id)

    def mitigation(self, mitigation_id: str) -> Mitigation:
        for mit in self.mitigations:
            if mit.id == mitigation_id:
                return mit
        raise KeyError(mitigation_id)
