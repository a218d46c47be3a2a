"""Questions for bidders (topics D1-D14) and what their answers change.

The questions, the evidence each answer needs, the features that make a question relevant and
the answer patterns live in ``data/questionnaire.yaml``. ``questions_for(profile)`` picks the
relevant ones (all of them when the item is ``insufficient-information``: we do not know what it
is, so nothing can be ruled out; none for a low-tier non-technology item). ``apply_answers``
reads answers and returns their effects: answers that raise risk (confirming a feature such as
vendor-only maintenance), answers that lower it (controls in place, features ruled out), the
required questions left unanswered (each one a finding) and the tier after the answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import Field

from bidvet.errors import InputError
from bidvet.model.tiers import Tier
from bidvet.technology.profile import (
    ControlInPlace,
    ProfileFeature,
    TechnologyProfile,
    adjust_profile,
    tier_rank,
)
from bidvet.technology.taxonomy import LoadedTaxonomy, load_taxonomy
from bidvet.yamlconfig import StrictModel as _Strict
from bidvet.yamlconfig import validate_yaml

QUESTIONNAIRE_PATH = Path(__file__).resolve().parents[1] / "data" / "questionnaire.yaml"
_WORD = re.compile(r"[\w'-]+")
_CLAUSE = re.compile(r"[.;\n]+")


class RaiseRule(_Strict):
    pattern: str
    feature: str | None = None
    explanation: str


class LowerRule(_Strict):
    pattern: str
    control: str | None = None
    removes: tuple[str, ...] = ()
    explanation: str


class QuestionSpec(_Strict):
    id: str = Field(pattern=r"^D([1-9]|1[0-4])$")
    topic: str
    text: str
    evidence: tuple[str, ...]
    when: tuple[str, ...] = ()
    always: bool = False
    required_at: Tier = Tier.ELEVATED
    raises: tuple[RaiseRule, ...] = ()
    lowers: tuple[LowerRule, ...] = ()


class QuestionnaireSpec(_Strict):
    bidvet: str = Field(pattern=r"^questionnaire/1$")
    id: str
    references: tuple[str, ...] = ()
    negation_words: tuple[str, ...] = ()
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class LoadedQuestionnaire:
    spec: QuestionnaireSpec
    questions: dict[str, QuestionSpec]
    raises: dict[str, tuple[tuple[RaiseRule, re.Pattern[str]], ...]]
    lowers: dict[str, tuple[tuple[LowerRule, re.Pattern[str]], ...]]


def load_questionnaire_file(
    path: str | Path, taxonomy: LoadedTaxonomy | None = None
) -> LoadedQuestionnaire:
    """Read and check a questionnaire file against the taxonomy's features and controls."""
    path = Path(path)
    tax = taxonomy or load_taxonomy()
    spec = validate_yaml(path, QuestionnaireSpec, fix_top="start with `bidvet: questionnaire/1`")
    ids = [q.id for q in spec.questions]
    if sorted(ids, key=lambda i: int(i[1:])) != [f"D{n}" for n in range(1, 15)]:
        raise InputError(path, "questions must be D1 to D14, each once", fix="add or rename")
    categories = {f"category:{f.category}" for f in tax.features.values()}
    raises: dict[str, tuple[tuple[RaiseRule, re.Pattern[str]], ...]] = {}
    lowers: dict[str, tuple[tuple[LowerRule, re.Pattern[str]], ...]] = {}
    for i, q in enumerate(spec.questions):
        where = f"questions[{i}] (id={q.id})"
        for name in q.when:
            if name not in tax.features and name not in categories:
                raise InputError(
                    path,
                    f"unknown feature {name!r}",
                    record=f"{where}.when",
                    fix="use a taxonomy id",
                )
        for r in q.raises:
            if r.feature and r.feature not in tax.features:
                raise InputError(path, f"unknown feature {r.feature!r}", record=f"{where}.raises")
        for low in q.lowers:
            if low.control and low.control not in tax.controls:
                raise InputError(path, f"unknown control {low.control!r}", record=f"{where}.lowers")
            for name in low.removes:
                if name not in tax.features:
                    raise InputError(path, f"unknown feature {name!r}", record=f"{where}.lowers")
        try:
            raises[q.id] = tuple((r, re.compile(r.pattern, re.IGNORECASE)) for r in q.raises)
            lowers[q.id] = tuple((r, re.compile(r.pattern, re.IGNORECASE)) for r in q.lowers)
        except re.error as exc:
            raise InputError(path, f"invalid pattern ({exc})", record=where) from None
    return LoadedQuestionnaire(spec, {q.id: q for q in spec.questions}, raises, lowers)


@cache
def load_questionnaire() -> LoadedQuestionnaire:
    """The bundled questionnaire, loaded once per process."""
    return load_questionnaire_file(QUESTIONNAIRE_PATH)


@dataclass(frozen=True)
class Question:
    """A question for bidders, why it is asked, and whether an answer is required."""

    id: str
    topic: str
    text: str
    evidence: tuple[str, ...]
    required: bool
    because: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "text": self.text,
            "evidence": list(self.evidence),
            "required": self.required,
            "because": list(self.because),
        }


def _relevant_because(q: QuestionSpec, profile: TechnologyProfile) -> tuple[str, ...] | None:
    tax = load_taxonomy()
    hits = []
    for feat in profile.features:
        cat = f"category:{tax.features[feat.feature].category}"
        if feat.feature in q.when or cat in q.when:
            hits.append(feat.feature)
    if hits:
        return tuple(sorted(set(hits)))
    if profile.tier == "insufficient-information":
        return ("insufficient-information",)
    if q.always and profile.status == "technology" and profile.features:
        return ("any technology item",)
    return None


def questions_for(profile: TechnologyProfile) -> list[Question]:
    """The questions relevant to this profile, D1..D14 order, each saying why it is asked."""
    book = load_questionnaire()
    out: list[Question] = []
    rank = tier_rank(profile.tier)
    for q in book.spec.questions:
        because = _relevant_because(q, profile)
        if because is None:
            continue
        required = rank >= tier_rank(q.required_at)
        out.append(Question(q.id, q.topic, q.text, q.evidence, required, because))
    return out


@dataclass(frozen=True)
class Effect:
    """One consequence of an answer, with the words that caused it."""

    question: str
    explanation: str
    evidence: str
    feature: str | None = None
    control: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "explanation": self.explanation,
            "evidence": self.evidence,
            "feature": self.feature,
            "control": self.control,
        }


@dataclass(frozen=True)
class AnswerEffects:
    """What the answers change: raised and lowered risks, controls, gaps, the new tier."""

    raised: tuple[Effect, ...]
    lowered: tuple[Effect, ...]
    controls_in_place: tuple[str, ...]
    unanswered_required: tuple[str, ...]
    adjusted_tier: Tier
    original_tier: Tier
    profile: TechnologyProfile

    def to_json(self) -> dict[str, Any]:
        return {
            "raised": [e.to_json() for e in self.raised],
            "lowered": [e.to_json() for e in self.lowered],
            "controls_in_place": list(self.controls_in_place),
            "unanswered_required": list(self.unanswered_required),
            "original_tier": self.original_tier,
            "adjusted_tier": self.adjusted_tier,
        }


def _negated(text: str, start: int, words: Sequence[str]) -> bool:
    before = _WORD.findall(text[max(0, start - 40) : start].lower())[-3:]
    return any(w in words for w in before)


def _answer_text(qid: str, answer: str | Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """The free text of an answer and any control ids it states directly."""
    if isinstance(answer, str):
        return answer, ()
    if not isinstance(answer, Mapping):
        raise InputError(None, "answer must be text or a mapping", record=f"answers.{qid}")
    unknown = set(answer) - {"answer", "text", "controls", "evidence"}
    if unknown:
        raise InputError(
            None,
            f"unknown answer keys {sorted(unknown)}",
            record=f"answers.{qid}",
            fix="use answer, controls, evidence",
        )
    text = str(answer.get("answer") or answer.get("text") or "")
    controls = tuple(str(c) for c in answer.get("controls") or ())
    return text, controls


_R = TypeVar("_R", "RaiseRule", "LowerRule")


def _fresh_hits(
    rules: Sequence[tuple[_R, re.Pattern[str]]],
    clause: str,
    words: Sequence[str],
    seen: set[tuple[str, str]],
    kind: str,
) -> Iterator[tuple[_R, re.Match[str]]]:
    """Rules whose pattern occurs, not negated, in ``clause`` and whose effect (the feature or
    control it names, else its explanation) was not already counted; marks them counted."""
    for rule, pattern in rules:
        m = pattern.search(clause)
        if not m or _negated(clause, m.start(), words):
            continue
        key = (
            kind,
            getattr(rule, "feature", None) or getattr(rule, "control", None) or rule.explanation,
        )
        if key in seen:
            continue
        seen.add(key)
        yield rule, m


def apply_answers(
    profile: TechnologyProfile, answers: Mapping[str, str | Mapping[str, Any]]
) -> AnswerEffects:
    """Read bidder answers (keyed D1..D14) and say how they change the profile.

    Each answer is matched against its own question's patterns first and then every other
    question's, so "all data stays on device, ports lockable, drives destroyed on site" counts
    wherever it is written. A pattern preceded by a negation word ("no", "not", "cannot") does
    not count. Empty answers count as unanswered.
    """
    book = load_questionnaire()
    tax = load_taxonomy()
    words = book.spec.negation_words
    raised: list[Effect] = []
    lowered: list[Effect] = []
    controls: dict[str, ControlInPlace] = {}
    add: dict[str, ProfileFeature] = {}
    remove: set[str] = set()
    answered: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for qid, answer in answers.items():
        if qid not in book.questions:
            raise InputError(
                None, f"answer to unknown question {qid!r}", record="answers", fix="use D1..D14"
            )
        text, stated = _answer_text(qid, answer)
        if not text.strip() and not stated:
            continue
        answered.add(qid)
        for ctl in stated:
            if ctl not in tax.controls:
                raise InputError(
                    None,
                    f"unknown control {ctl!r}",
                    record=f"answers.{qid}.controls",
                    fix="use one of: " + ", ".join(sorted(tax.controls)),
                )
            controls.setdefault(ctl, ControlInPlace(ctl, f"{qid}: stated"))
            lowered.append(Effect(qid, tax.controls[ctl].label, "stated", control=ctl))
        order = [qid, *(q for q in book.questions if q != qid)]
        for clause in (c.strip() for c in _CLAUSE.split(text)):
            if not clause:
                continue
            for source in order:
                for rule, m in _fresh_hits(book.raises[source], clause, words, seen, "raise"):
                    raised.append(Effect(qid, rule.explanation, m.group(0), feature=rule.feature))
                    if rule.feature:
                        add[rule.feature] = ProfileFeature(
                            rule.feature, f"answer {qid}: {m.group(0)}", 1.0, "explicit"
                        )
                for low, m in _fresh_hits(book.lowers[source], clause, words, seen, "lower"):
                    lowered.append(Effect(qid, low.explanation, m.group(0), control=low.control))
                    if low.control:
                        controls.setdefault(
                            low.control, ControlInPlace(low.control, f"{qid}: {m.group(0)}")
                        )
                    remove.update(low.removes)
    remove -= set(add)
    adjusted = adjust_profile(
        profile,
        add_features=list(add.values()),
        remove_features=sorted(remove),
        add_controls=list(controls.values()),
    )
    unanswered = tuple(q.id for q in questions_for(profile) if q.required and q.id not in answered)
    in_place = tuple(c.control for c in adjusted.controls_in_place)
    return AnswerEffects(
        raised=tuple(raised),
        lowered=tuple(lowered),
        controls_in_place=in_place,
        unanswered_required=unanswered,
        adjusted_tier=adjusted.tier,
        original_tier=profile.tier,
        profile=adjusted,
    )
