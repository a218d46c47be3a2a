"""Calibrated scores: features weighed into one number in ``[0, 1]`` with its explanation.

``score = logistic(bias + Σ weight_f · feature_f)`` with bias and weights from ``screening.yaml``.
The logistic form keeps the score in ``[0, 1]`` and makes each feature's contribution additive on
the log-odds scale, so the explanation can list, in order, the features that drove the score.
``match`` is ``score >= threshold`` (default 0.70, see ``screening.yaml``); the weights were set
against the evaluation in ``eval/screening_eval.py`` (recall on typed variants of listed names,
false positives on unlisted suppliers).

An identifier shared exactly (LEI, USCC, registry number) dominates: the score is then
``identifier_score`` (1.0) whatever the names say.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bidvet.screening.config import ScreeningPolicy, default_policy
from bidvet.screening.features import FEATURES, Pair
from bidvet.screening.normalize import normalize_cached

#: contributions smaller than this (in log-odds) are left out of explanations
_NEGLIGIBLE = 0.05


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of comparing two names: score, decision and the reasons for it."""

    score: float
    match: bool
    explanation: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"score": self.score, "match": self.match, "explanation": list(self.explanation)}


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def score_pair(pair: Pair, policy: ScreeningPolicy | None = None) -> Comparison:
    """Weigh every feature of ``pair`` and explain the result, strongest contribution first."""
    policy = policy or default_policy()
    sp = policy.scoring
    logit = sp.bias
    parts: list[tuple[float, str]] = []
    for name, weight in sp.weights.items():
        value = FEATURES[name](pair)
        contribution = weight * value
        logit += contribution
        if abs(contribution) >= _NEGLIGIBLE:
            parts.append((contribution, f"{name}={value:.2f} ({contribution:+.2f})"))
    score = round(_logistic(logit), 4)
    parts.sort(key=lambda p: -abs(p[0]))
    explanation = [text for _, text in parts]
    match = score >= sp.threshold
    verdict = "match" if match else "no match"
    explanation.append(f"{verdict}: score {score:.2f} vs threshold {sp.threshold:.2f}")
    return Comparison(score=score, match=match, explanation=explanation)


def identifier_comparison(
    scheme: str, value: str, policy: ScreeningPolicy | None = None
) -> Comparison:
    """The comparison when an identifier is shared exactly: it decides on its own."""
    sp = (policy or default_policy()).scoring
    return Comparison(
        score=sp.identifier_score,
        match=sp.identifier_score >= sp.threshold,
        explanation=[f"identifier {scheme} {value} shared exactly (dominates the names)"],
    )


def compare_names(a: str, b: str) -> Comparison:
    """Compare two names as the screening engine would, without a store.

    Without an index, every word weighs the same in ``token_coverage``.
    """
    policy = default_policy()
    generic = policy.generic_org_words
    pair = Pair(query=normalize_cached(a, generic), candidate=normalize_cached(b, generic))
    return score_pair(pair, policy)
