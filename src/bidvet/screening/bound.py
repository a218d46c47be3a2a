"""An upper bound on matcher v2's score, read one feature at a time.

Matcher v2's score is ``logistic(intercept + Σ weight_f · feature_f)`` with every feature in
``[0, 1]`` (:mod:`bidvet.screening.score`), possibly lowered afterwards by
:func:`~bidvet.screening.score.typo_limits`. Before a feature is read its contribution is at most
its weight when positive and at most 0 when negative, so after reading some features the logit a
pair could still reach is known; once it falls below the logit of a floor, the pair's score is
surely below that floor and the features left need not be computed. The typo limits only lower
a score, so the fitted score's bound is a bound on the final score too.

Two callers set a pair aside with it: ``bidvet xref`` against its fixed ``min_score``, and the
matcher against a floor that rises as a query's candidates are scored (the score of the
``limit``-th best entity so far: a name scoring below it cannot enter the results).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from bidvet.screening.canonical import CanonName
from bidvet.screening.config import ScreeningPolicy
from bidvet.screening.features_v2 import FEATURES_V2, PairV2, word_frequencies
from bidvet.screening.model_v2 import default_model
from bidvet.screening.score import limited_score

#: matcher v2 rounds its scores to four places: a bound this far below a floor still keeps
#: every pair whose rounded score reaches it
ROUNDING = 1e-4
#: features the bound reads first, in this order: those that lower the reachable score most for
#: the usual candidate (found by the index, sharing one word of three with the left name),
#: chosen greedily on the candidate pairs of ``bench/xref_bench.py`` (about 12 features read
#: per pair instead of 21 in order of weight). The order changes only the speed: every feature
#: not yet read counts at its largest contribution.
BOUND_FIRST = (
    "loose_coverage",
    "extra_rarity",
    "candidate_coverage",
    "query_coverage",
    "acronym",
    "same_words",
    "query_inside_one_word",
    "extra_generic",
    "distinctive_coverage",
    "sorted_similarity",
    "query_inside",
    "exact_coverage",
    "candidate_inside_one_word",
)
#: features the bound reads last: the dearest to compute; with the current fit their weights
#: are negative, so they can only lower the score and decide only pairs close to the floor
#: (the bound stays sound whatever the signs: a weight only sets what an unread feature may add)
DEAR_FEATURES = frozenset(
    {"short_single_word_typo", "single_word_typo", "single_word_spelling", "rare_coverage"}
)


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


class ScoreBound:
    """Whether matcher v2's score of a pair is surely below ``floor``, read cheaply.

    The score is ``logistic(intercept + Σ weight_f · feature_f)`` with every feature in
    ``[0, 1]``, so before a feature is read its contribution is at most its weight when
    positive and at most 0 when negative. The features are read in the order of
    :data:`BOUND_FIRST`, then strongest positive weight first, the ones in
    :data:`DEAR_FEATURES` last, and the pair is set aside as soon as the logit it could still
    reach is below the logit of ``floor - ROUNDING``. The bound only ever discards; a pair it
    keeps is scored in full by :func:`~bidvet.screening.score.v2_score` (or by
    :meth:`score_reaching`, which gives the same score from the features it has read).
    """

    def __init__(self, floor: float) -> None:
        model = default_model()  # the model v2_score weighs with
        coefs = model.coefficients
        first = [n for n in BOUND_FIRST if n in FEATURES_V2]
        order = first + sorted(
            (n for n in FEATURES_V2 if n not in first),
            key=lambda n: (n in DEAR_FEATURES, coefs[n] <= 0, -coefs[n]),
        )
        self.floor = floor
        self._intercept = model.intercept
        #: the features in the order they are read
        self.order = tuple(order)
        self._steps: list[tuple[Callable[[PairV2], float], float]] = [
            (FEATURES_V2[n], coefs[n]) for n in order
        ]
        self._named = [(n, FEATURES_V2[n], coefs[n]) for n in order]
        # the most the features not yet read can add, before each step (and 0 after the last)
        self._ahead = [sum(max(coefs[n], 0.0) for n in order[i:]) for i in range(len(order) + 1)]
        self._cut = cut_for(floor)
        word_frequencies()  # read now: worker processes forked later share them

    def below(self, query: CanonName, candidate: CanonName) -> bool:
        """True when the pair's score is surely below the floor."""
        pair = PairV2(query, candidate)
        total = self._intercept
        cut = self._cut
        for (feature, coef), ahead in zip(self._steps, self._ahead, strict=False):
            if total + ahead < cut:
                return True
            total += coef * feature(pair)
        return total < cut

    def score_reaching(
        self, query: CanonName, candidate: CanonName, cut: float, policy: ScreeningPolicy
    ) -> tuple[float, dict[str, float]] | None:
        """``v2_score(query, candidate, policy)`` when the pair's score may reach the floor
        whose :func:`cut_for` is ``cut``; None, without reading the features left, once it
        surely cannot. The score is made from the same feature values, weighed and limited by
        :func:`~bidvet.screening.score.limited_score` as ``v2_score`` does: the same number."""
        pair = PairV2(query, candidate)
        total = self._intercept
        values: dict[str, float] = {}
        for (name, feature, coef), ahead in zip(self._named, self._ahead, strict=False):
            if total + ahead < cut:
                return None
            value = feature(pair)
            values[name] = value
            total += coef * value
        if total < cut:
            return None
        return limited_score(pair, values, policy), values


def cut_for(floor: float) -> float:
    """The logit below which a pair's rounded score is surely below ``floor``
    (``-inf`` when every score may reach it)."""
    return _logit(floor - ROUNDING) if floor - ROUNDING > 0.0 else -math.inf
