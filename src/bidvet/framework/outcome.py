"""Combining findings and the risk tier into exclude / restrict / mitigate / accept.

The framework's ``outcome.rules`` are read in order; every rule whose conditions hold gives an
outcome, and the bidder gets the strictest of them (``exclude`` > ``restrict`` > ``mitigate`` >
``accept``), or the framework's default when no rule applies. The rationale names each rule that
applied and the findings that made it apply, so an officer can defend the decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bidvet.framework.findings import Finding
from bidvet.framework.models import (
    OUTCOME_ORDER,
    SEVERITY_ORDER,
    Framework,
    Outcome,
    Rule,
    Tier,
)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    rationale: tuple[str, ...]
    rules: tuple[str, ...]
    #: criteria of the findings behind the rules that gave the final outcome
    drivers: tuple[str, ...] = ()
    #: criterion -> (outcome, rule id): the strictest rule that used the criterion's findings;
    #: criteria no rule used are absent (they are for information)
    led_to: tuple[tuple[str, str, str], ...] = ()

    def leads_to(self, criterion: str) -> tuple[str, str] | None:
        """The outcome a criterion's findings led to at this tier, and the rule, or ``None``."""
        for crit, outcome, rule in self.led_to:
            if crit == criterion:
                return outcome, rule
        return None


def _triggers(rule: Rule, findings: Sequence[Finding], tier: Tier) -> list[Finding] | None:
    """The findings that make ``rule`` apply, or ``None`` when it does not."""
    when = rule.when
    if when.tiers and tier not in when.tiers:
        return None
    fired = {f.criterion for f in findings}
    used: list[Finding] = []
    if when.criteria_all:
        if not set(when.criteria_all) <= fired:
            return None
        used += [f for f in findings if f.criterion in when.criteria_all]
    if when.criteria_any:
        hit = [f for f in findings if f.criterion in when.criteria_any]
        if not hit:
            return None
        used += hit
    if when.forces_any:
        hit = [f for f in findings if f.forces in when.forces_any]
        if not hit:
            return None
        used += hit
    if when.severity_at_least:
        bar = SEVERITY_ORDER.index(when.severity_at_least)
        hit = [f for f in findings if SEVERITY_ORDER.index(f.severity) <= bar]
        if not hit:
            return None
        used += hit
    return list(dict.fromkeys(used))


def decide(framework: Framework, findings: Sequence[Finding], tier: Tier) -> Decision:
    """The outcome for one bidder, with the rationale in words."""
    applied: list[tuple[Rule, list[Finding]]] = []
    for rule in framework.outcome.rules:
        used = _triggers(rule, findings, tier)
        if used is not None:
            applied.append((rule, used))
    if not applied:
        default = framework.outcome.default
        reason = f"{default}: no outcome rule of {framework.id} applies at the {tier} tier" + (
            " (no finding of concern)"
            if not findings
            else f" to the {len(findings)} finding(s), which are for information"
        )
        return Decision(default, (reason,), ())
    outcome = min((rule.outcome for rule, _ in applied), key=OUTCOME_ORDER.index)
    applied.sort(key=lambda pair: OUTCOME_ORDER.index(pair[0].outcome))
    rationale = []
    for rule, used in applied:
        names = ", ".join(f"{f.criterion} ({f.severity})" for f in used)
        rationale.append(
            f"{rule.outcome} by rule {rule.id} at the {tier} tier: {rule.text} — because of {names}"
        )
    drivers = tuple(
        dict.fromkeys(
            f.criterion for rule, used in applied if rule.outcome == outcome for f in used
        )
    )
    led_to: dict[str, tuple[str, str]] = {}
    for rule, used in applied:  # strictest rule first
        for f in used:
            led_to.setdefault(f.criterion, (rule.outcome, rule.id))
    return Decision(
        outcome,
        tuple(rationale),
        tuple(rule.id for rule, _ in applied),
        drivers,
        tuple((crit, out, rid) for crit, (out, rid) in sorted(led_to.items())),
    )
