from __future__ import annotations

from bidvet.framework.findings import Evidence, Finding, SourceRef
from bidvet.framework.loader import bundled_framework
from bidvet.framework.models import Severity
from bidvet.framework.outcome import decide
from bidvet.model.tiers import TIER_SCALE, Tier

SRC = SourceRef("test source")


def _finding(criterion: str, severity: Severity = "high", forces: str | None = None) -> Finding:
    return Finding(
        criterion,
        criterion,
        "test",
        severity,
        forces,
        "summary",
        (Evidence("listing", "text", SRC),),
    )


def test_no_findings_is_the_default_outcome_with_a_reason() -> None:
    decision = decide(bundled_framework().framework, [], Tier.CRITICAL)
    assert decision.outcome == "accept"
    assert "no finding of concern" in decision.rationale[0]


def test_legal_bar_excludes_at_any_tier() -> None:
    fw = bundled_framework().framework
    for tier in TIER_SCALE:
        decision = decide(fw, [_finding("barring-listing", "critical", "exclude")], tier)
        assert decision.outcome == "exclude", (tier, decision)
        assert "legal-bar" in decision.rules


def test_same_supplier_risk_is_stricter_at_critical_than_at_low_tier() -> None:
    fw = bundled_framework().framework
    risk = [_finding("state-control"), _finding("legal-regime")]
    low = decide(fw, risk, Tier.LOW)
    critical = decide(fw, risk, Tier.CRITICAL)
    assert low.outcome == "mitigate", low
    assert decide(fw, risk, Tier.HIGH).outcome == "restrict"
    # "not mitigable at the critical tier": nothing but exclusion is left
    assert critical.outcome == "exclude", critical
    assert "state-regime-critical" in critical.rules
    listed = [*risk, _finding("restricted-listing", forces="restrict")]
    assert decide(fw, listed, Tier.LOW).outcome == "mitigate"
    assert decide(fw, listed, Tier.HIGH).outcome == "restrict"
    assert decide(fw, listed, Tier.CRITICAL).outcome == "exclude"


def test_rationale_names_rule_tier_and_findings() -> None:
    fw = bundled_framework().framework
    decision = decide(fw, [_finding("state-control"), _finding("legal-regime")], Tier.CRITICAL)
    first = decision.rationale[0]
    assert first.startswith("exclude by rule state-regime-critical at the critical tier"), first
    assert "state-control (high)" in first and "legal-regime (high)" in first


def test_low_price_alone_asks_for_explanation_not_exclusion() -> None:
    fw = bundled_framework().framework
    decision = decide(fw, [_finding("abnormally-low-price", "low")], Tier.CRITICAL)
    assert decision.outcome == "mitigate"
    assert decision.rules == ("price-explanation",)
