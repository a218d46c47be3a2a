"""Scores: features weighed into one number in ``[0, 1]`` with its explanation.

Two versioned algorithms; the policy's ``algorithm`` picks the default and every
:class:`Comparison` records which one scored it, so an old report reproduces:

* ``bidvet-name-v2`` (default): the features of :mod:`bidvet.screening.features_v2` on names read
  by :mod:`bidvet.screening.canonical`, weighed by the logistic regression fitted by
  ``bench/train_name_model.py`` (``name_model_v2.yaml``): the score is the fitted probability.
* ``bidvet-name-v1``: the features below with the hand-set weights of ``screening.yaml``:

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
from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from bidvet.screening.canonical import CanonName, canonical
from bidvet.screening.config import V1, V2, ScreeningPolicy, default_policy
from bidvet.screening.features import FEATURES, Pair
from bidvet.screening.features_v2 import (
    ROLE_WEIGHT,
    PairV2,
    joined_words,
    other_words,
    part_of_name,
    person_typos,
    spelt_out,
    typed_words,
    typo_only,
)
from bidvet.screening.model_v2 import default_model, feature_values, logistic
from bidvet.screening.normalize import normalize_cached
from bidvet.screening.person_names import patronymics, patronymics_conflict, patronymics_disagree
from bidvet.screening.spellings import as_person

#: contributions smaller than this (in log-odds) are left out of explanations
_NEGLIGIBLE = 0.05


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of comparing two names: score, decision and the reasons for it."""

    score: float
    match: bool
    explanation: list[str]
    algorithm: str = V2

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "match": self.match,
            "algorithm": self.algorithm,
            "explanation": list(self.explanation),
        }


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def score_pair(
    pair: Pair,
    policy: ScreeningPolicy | None = None,
    algorithm: str | None = None,
    *,
    candidate_canon: CanonName | None = None,
) -> Comparison:
    """Score ``pair`` with ``algorithm`` (default: the policy's) and explain the result.

    ``candidate_canon`` is the candidate name as matcher v2 reads it, when the caller has it
    already (the catalog keeps it per stored name); it must be ``canonical`` of the candidate.
    """
    policy = policy or default_policy()
    if (algorithm or policy.algorithm) == V2:
        comp = score_v2(
            canonical(pair.query.original),
            candidate_canon or canonical(pair.candidate.original),
            policy,
            weak=pair.candidate_kind == "weak",
        )
        return country_note(comp, pair.query_country, pair.candidate_countries)
    return score_v1(pair, policy)


def country_note(
    comp: Comparison, country: str | None, countries: frozenset[str] | Set[str]
) -> Comparison:
    """Matcher v2 does not score countries; its explanation says whether they agree."""
    if country and countries:
        code = country.lower()
        how = "agrees" if code in countries else "differs"
        note = f"country {code} {how} with the entity's countries (not scored by {V2})"
        comp.explanation.insert(len(comp.explanation) - 1, note)
    return comp


def script_path(query: CanonName, candidate: CanonName) -> str | None:
    """Which script path the comparison took, when either name is not in Latin script."""
    if query.script == candidate.script == "latin":
        return None
    if query.script == candidate.script:
        return f"script: both names in {query.script} script, compared in their transliteration"
    how = {"cjk": "pinyin", "latin": "as written"}
    parts = [
        f"{side} in {n.script} script ({how.get(n.script, 'rigour transliteration')})"
        for side, n in (("query", query), ("listed name", candidate))
    ]
    return "script: " + ", ".join(parts) + ", compared in Latin letters"


def score_v2(
    query: CanonName,
    candidate: CanonName,
    policy: ScreeningPolicy | None = None,
    *,
    weak: bool = False,
) -> Comparison:
    """The fitted logistic probability of matcher v2, with the features that drove it."""
    score, values = v2_score(query, candidate, policy)
    return v2_comparison(query, candidate, score, values, policy, weak=weak)


def v2_score(
    query: CanonName, candidate: CanonName, policy: ScreeningPolicy | None = None
) -> tuple[float, dict[str, float]]:
    """Matcher v2's score of a pair and its feature values, without the explanation (which
    :func:`v2_comparison` makes from them, for the pairs a caller keeps).

    Two rules hold the fitted score of a pair that reaches the threshold with typed slips in
    it (:func:`typo_limits`): no higher than the same pair spelt right, and, when the names
    agree only through typos, no higher than the policy's ``typo_only_cap``."""
    pair = PairV2(query, candidate)
    values = feature_values(pair)
    return limited_score(pair, values, policy or default_policy()), values


def limited_score(pair: PairV2, values: dict[str, float], policy: ScreeningPolicy) -> float:
    """The fitted score of ``pair`` from its feature ``values``, held by :func:`typo_limits`
    when it reaches the threshold: the one place matcher v2's score is made."""
    score = _fitted_score(values)
    if score >= policy.scoring.threshold:
        score = min([score, *typo_limits(pair, policy).values()])
    return score


def typo_limits(pair: PairV2, policy: ScreeningPolicy) -> dict[str, float]:
    """The limits on the score of a pair: with typed slips, ``spelt`` (the score of the pair
    with each slip written as the listed word, :func:`~bidvet.screening.features_v2.spelt_out`:
    a slip cannot make two names more alike than the right spelling) and, when the names agree
    only through typos (:func:`~bidvet.screening.features_v2.typo_only`), ``typo_only_cap``
    (a typed slip and another company one letter away read alike: a possible match for a
    person to judge, never a confident one); between people's names with a slip in one of the
    query's names (:func:`~bidvet.screening.features_v2.person_typos`), ``person_typo_cap``
    (one letter may make another person's name); with two patronymics that disagree
    (:func:`~bidvet.screening.person_names.patronymics_disagree`), ``patronymic_conflict_cap``
    (two people); when a name of one distinctive word is only a part of the other
    (:func:`~bidvet.screening.features_v2.part_of_name`), ``part_of_name_cap`` (the longer
    name's other words may tell another company). Empty when none applies."""
    q, c = pair.query, pair.candidate
    limits: dict[str, float] = {}
    if patronymics_disagree(q.words, q.original, c.words, c.original):
        limits["patronymic_conflict_cap"] = policy.scoring.patronymic_conflict_cap
    if part_of_name(pair):
        limits["part_of_name_cap"] = policy.scoring.part_of_name_cap
    spelt = spelt_out(pair)
    if spelt.query.words == pair.query.words:
        return limits
    limits["spelt"] = _fitted_score(feature_values(spelt))
    if typo_only(pair):
        limits["typo_only_cap"] = policy.scoring.typo_only_cap
    if person_typos(pair):
        limits["person_typo_cap"] = policy.scoring.person_typo_cap
    return limits


def entity_patronymic_cap(
    ours: frozenset[str], entity_patronymics: frozenset[str], score: float, policy: ScreeningPolicy
) -> float:
    """``score`` held at ``patronymic_conflict_cap`` when the query's patronymics (``ours``)
    are none of those of the listed person's names (``entity_patronymics``: all of them, so an
    alias written without one does not hide them); else ``score``."""
    cap = policy.scoring.patronymic_conflict_cap
    if score <= cap or not patronymics_conflict(ours, entity_patronymics):
        return score
    return cap


def _fitted_score(values: dict[str, float]) -> float:
    model = default_model()
    logit = model.intercept
    for name, coef in model.coefficients.items():
        logit += coef * values[name]
    return round(logistic(logit), 4)


def v2_comparison(
    query: CanonName,
    candidate: CanonName,
    score: float,
    values: dict[str, float],
    policy: ScreeningPolicy | None = None,
    *,
    weak: bool = False,
    entity_patronymics: frozenset[str] = frozenset(),
) -> Comparison:
    """The :class:`Comparison` of a pair :func:`v2_score` scored: the features that drove the
    score, strongest first, and how each name was read. ``entity_patronymics``: those of all
    the listed entity's names, when the matcher held the score for them
    (:func:`entity_patronymic_cap`)."""
    policy = policy or default_policy()
    model = default_model()
    parts: list[tuple[float, str]] = []
    for name, coef in model.coefficients.items():
        contribution = coef * values[name]
        if abs(contribution) >= _NEGLIGIBLE:
            parts.append((contribution, f"{name}={values[name]:.2f} ({contribution:+.2f})"))
    parts.sort(key=lambda p: -abs(p[0]))
    explanation = [text for _, text in parts]
    pair = PairV2(query, candidate)  # one pair: its alignment is read once
    explanation += [f"query {r}" for r in pair.query.readings]
    explanation += [f"listed name {r}" for r in pair.candidate.readings]
    other = other_words(pair)
    explanation += [f"joined_words: {j}" for j in joined_words(pair)]
    explanation += [f"word_typos: {t}" for t in typed_words(pair)]
    explanation += [f"other_wording: {t}" for t in other]
    generic = sorted(set(query.of_role("generic")) | set(candidate.of_role("generic")))
    if generic:
        explanation.append(f"generic_words: {', '.join(generic)} (weigh {ROLE_WEIGHT['generic']})")
    path = script_path(query, candidate)
    if path:
        explanation.append(path)
    if weak:
        explanation.append("matched a weak alias (the list marks it low quality)")
    fitted = _fitted_score(values)
    if score < fitted:
        limits = typo_limits(pair, policy)
        ours = patronymics(query.words, query.original)
        theirs = entity_patronymics | patronymics(candidate.words, candidate.original)
        if score == policy.scoring.patronymic_conflict_cap and patronymics_conflict(ours, theirs):
            explanation.append(
                f"patronymic_conflict: the query's patronymic ({', '.join(sorted(ours))}) is "
                f"none of the listed person's ({', '.join(sorted(theirs))}): two people; the "
                f"fitted score {fitted:.2f} is held at {score:.2f} (patronymic_conflict_cap)"
            )
        elif score == limits.get("typo_only_cap"):
            how = "typos and words written another way" if other else "typos"
            explanation.append(
                f"typo_only: the names agree only through {how} in their distinctive words; "
                f"the fitted score {fitted:.2f} is held at {score:.2f} (typo_only_cap): a "
                "possible match for a person to judge"
            )
        elif score == limits.get("person_typo_cap"):
            slips = ", ".join(f"{w!r} ~ {o!r}" for w, o in person_typos(pair))
            explanation.append(
                f"person_typo: the person's name meets the listed one only through a typed "
                f"slip ({slips}), which may be another spelling or another person's name; the "
                f"fitted score {fitted:.2f} is held at {score:.2f} (person_typo_cap): a possible "
                "match for a person to judge"
            )
        elif score == limits.get("part_of_name_cap"):
            explanation.append(
                f"part_of_name: a name of one distinctive word is only a part of the other; the "
                f"fitted score {fitted:.2f} is held at {score:.2f} (part_of_name_cap): a possible "
                "match for a person to judge, the other words may tell another company"
            )
        else:
            explanation.append(
                f"typo_limit: the fitted score {fitted:.2f} is held at {score:.2f}, the score "
                "of the names spelt right (a typed slip cannot make them more alike)"
            )
    threshold = policy.scoring.threshold
    match = score >= threshold
    verdict = "match" if match else "no match"
    explanation.append(f"{verdict}: score {score:.2f} vs threshold {threshold:.2f} ({V2})")
    return Comparison(score=score, match=match, explanation=explanation, algorithm=V2)


def score_v1(pair: Pair, policy: ScreeningPolicy | None = None) -> Comparison:
    """Weigh every v1 feature of ``pair`` and explain the result, strongest first."""
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
    return Comparison(score=score, match=match, explanation=explanation, algorithm=V1)


def identifier_comparison(
    scheme: str, value: str, policy: ScreeningPolicy | None = None
) -> Comparison:
    """The comparison when an identifier is shared exactly: it decides on its own."""
    policy = policy or default_policy()
    sp = policy.scoring
    return Comparison(
        score=sp.identifier_score,
        match=sp.identifier_score >= sp.threshold,
        explanation=[f"identifier {scheme} {value} shared exactly (dominates the names)"],
        algorithm=policy.algorithm,
    )


def compare_names(
    a: str, b: str, algorithm: str | None = None, *, person: bool = False
) -> Comparison:
    """Compare two names as the screening engine would, without a store.

    ``algorithm`` is ``bidvet-name-v2`` (default) or ``bidvet-name-v1``. Without an index,
    every word weighs the same in v1's ``token_coverage``; v2 never reads the index.
    ``person``: compare them as people's names, as v2 screening compares a query with a listed
    person (both in one spelling of their Cyrillic transliterations,
    :func:`~bidvet.screening.spellings.as_person`).
    """
    policy = default_policy()
    if (algorithm or policy.algorithm) == V2:
        if person:
            return score_v2(as_person(canonical(a)), as_person(canonical(b)), policy)
        return score_v2(canonical(a), canonical(b), policy)
    generic = policy.generic_org_words
    pair = Pair(query=normalize_cached(a, generic), candidate=normalize_cached(b, generic))
    return score_v1(pair, policy)
