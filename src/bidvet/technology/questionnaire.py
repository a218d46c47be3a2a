"""Questions for bidders (topics D1-D14, question ids D1.1 ...) and what structured answers change.

The questions, their answer types (``yes-no``, ``choice``, ``text``), the evidence each topic
needs, the features that make a topic relevant and what each structured answer does live in
``data/questionnaire.yaml``. ``questions_for(profile)`` picks the relevant ones (all of them
when the item is ``insufficient-information``: we do not know what it is, so nothing can be
ruled out; none for a low-tier non-technology item). ``apply_answers`` reads a bidder's answers
and returns their effects: answers that raise risk (confirming a feature such as vendor-only
maintenance), answers that lower it (controls in place, features ruled out), contradictions for
a person to decide, the required questions left unanswered and the tier after the answers.

Free text never lowers a risk: a ``text`` answer, the ``evidence`` of any answer and the
free-text answers older tenders give per topic (``D4: "..."``) are quoted, not read for
keywords. Only a ``yes-no`` or ``choice`` answer can rule a feature out or credit a control.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

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
TOPIC_ID = r"^D([1-9]|1[0-4])$"
QUESTION_ID = r"^D([1-9]|1[0-4])\.[1-9][0-9]?$"
#: a key of a bidder's answers: a question id (structured) or a topic id (older free text)
ANSWER_KEY = r"^D([1-9]|1[0-4])(\.[1-9][0-9]?)?$"
YES_NO = ("yes", "no")
AnswerType = Literal["yes-no", "choice", "text"]


class EffectSpec(_Strict):
    """What one structured answer does: it raises or lowers the risk, never both."""

    raises: str | None = None
    lowers: str | None = None
    confirms: tuple[str, ...] = ()
    rules_out: tuple[str, ...] = ()
    control: str | None = None


class OptionSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str


class QuestionSpec(_Strict):
    id: str = Field(pattern=QUESTION_ID)
    text: str
    type: AnswerType
    options: tuple[OptionSpec, ...] = ()
    effects: dict[str, EffectSpec] = {}
    required_at: Tier | None = None


class TopicSpec(_Strict):
    id: str = Field(pattern=TOPIC_ID)
    topic: str
    evidence: tuple[str, ...]
    when: tuple[str, ...] = ()
    always: bool = False
    required_at: Tier = Tier.ELEVATED
    questions: tuple[QuestionSpec, ...] = Field(min_length=1)


class ContradictionSpec(_Strict):
    #: question id -> answer; the answers contradict each other when all are given
    answers: dict[str, str] = Field(min_length=2)
    explanation: str


class QuestionnaireSpec(_Strict):
    bidvet: str = Field(pattern=r"^questionnaire/2$")
    id: str
    references: tuple[str, ...] = ()
    lowering_needs_evidence: bool = True
    topics: tuple[TopicSpec, ...]
    contradictions: tuple[ContradictionSpec, ...] = ()


@dataclass(frozen=True)
class LoadedQuestionnaire:
    spec: QuestionnaireSpec
    topics: dict[str, TopicSpec]
    questions: dict[str, QuestionSpec]
    topic_of: dict[str, TopicSpec]

    def allowed(self, qid: str) -> tuple[str, ...]:
        """The answers a structured question accepts (empty for a text question)."""
        q = self.questions[qid]
        if q.type == "yes-no":
            return YES_NO
        return tuple(o.id for o in q.options)


def _check_question(path: Path, tax: LoadedTaxonomy, q: QuestionSpec, where: str) -> None:
    if q.type == "choice":
        ids = [o.id for o in q.options]
        if len(ids) < 2 or len(set(ids)) != len(ids):
            raise InputError(path, "a choice needs two or more distinct options", record=where)
    elif q.options:
        raise InputError(path, f"a {q.type} question has no options", record=where)
    if q.type == "text" and q.effects:
        raise InputError(
            path, "a text answer cannot have effects", record=where, fix="free text never lowers"
        )
    allowed = YES_NO if q.type == "yes-no" else tuple(o.id for o in q.options)
    for value, eff in q.effects.items():
        rec = f"{where}.effects.{value}"
        if value not in allowed:
            raise InputError(path, f"{value!r} is not an answer to this question", record=rec)
        if (eff.raises is None) == (eff.lowers is None):
            raise InputError(path, "give exactly one of raises, lowers", record=rec)
        if eff.raises is not None and (eff.rules_out or eff.control):
            raise InputError(path, "a raising answer only confirms features", record=rec)
        if eff.lowers is not None and eff.confirms:
            raise InputError(path, "a lowering answer cannot confirm features", record=rec)
        for name in (*eff.confirms, *eff.rules_out):
            if name not in tax.features:
                raise InputError(path, f"unknown feature {name!r}", record=rec)
        if eff.control and eff.control not in tax.controls:
            raise InputError(path, f"unknown control {eff.control!r}", record=rec)


def load_questionnaire_file(
    path: str | Path, taxonomy: LoadedTaxonomy | None = None
) -> LoadedQuestionnaire:
    """Read and check a questionnaire file against the taxonomy's features and controls."""
    path = Path(path)
    tax = taxonomy or load_taxonomy()
    spec = validate_yaml(path, QuestionnaireSpec, fix_top="start with `bidvet: questionnaire/2`")
    ids = [t.id for t in spec.topics]
    if sorted(ids, key=lambda i: int(i[1:])) != [f"D{n}" for n in range(1, 15)]:
        raise InputError(path, "topics must be D1 to D14, each once", fix="add or rename")
    categories = {f"category:{f.category}" for f in tax.features.values()}
    questions: dict[str, QuestionSpec] = {}
    topic_of: dict[str, TopicSpec] = {}
    for i, t in enumerate(spec.topics):
        where = f"topics[{i}] (id={t.id})"
        for name in t.when:
            if name not in tax.features and name not in categories:
                raise InputError(
                    path,
                    f"unknown feature {name!r}",
                    record=f"{where}.when",
                    fix="use a taxonomy id",
                )
        for j, q in enumerate(t.questions):
            qwhere = f"{where}.questions[{j}] (id={q.id})"
            if not q.id.startswith(t.id + ".") or q.id in questions:
                raise InputError(
                    path, f"question id {q.id!r} is not new under {t.id}", record=qwhere
                )
            _check_question(path, tax, q, qwhere)
            questions[q.id] = q
            topic_of[q.id] = t
    book = LoadedQuestionnaire(spec, {t.id: t for t in spec.topics}, questions, topic_of)
    for i, c in enumerate(spec.contradictions):
        for qid, value in c.answers.items():
            if qid not in questions or value not in book.allowed(qid):
                raise InputError(
                    path,
                    f"{qid}: {value!r} is not a question and one of its answers",
                    record=f"contradictions[{i}]",
                )
    return book


@cache
def load_questionnaire() -> LoadedQuestionnaire:
    """The bundled questionnaire, loaded once per process."""
    return load_questionnaire_file(QUESTIONNAIRE_PATH)


@dataclass(frozen=True)
class Question:
    """A question for bidders, its answer type, why it is asked, whether it is required."""

    id: str
    topic: str
    text: str
    evidence: tuple[str, ...]
    required: bool
    because: tuple[str, ...]
    type: AnswerType = "text"
    #: (answer id, label) pairs a structured question accepts
    options: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "text": self.text,
            "evidence": list(self.evidence),
            "required": self.required,
            "because": list(self.because),
            "type": self.type,
            "allowed": [value for value, _ in self.options],
        }


def _relevant_because(t: TopicSpec, profile: TechnologyProfile) -> tuple[str, ...] | None:
    tax = load_taxonomy()
    hits = []
    for feat in profile.features:
        cat = f"category:{tax.features[feat.feature].category}"
        if feat.feature in t.when or cat in t.when:
            hits.append(feat.feature)
    if hits:
        return tuple(sorted(set(hits)))
    if profile.tier == "insufficient-information":
        return ("insufficient-information",)
    if t.always and profile.status == "technology" and profile.features:
        return ("any technology item",)
    return None


def _options(q: QuestionSpec) -> tuple[tuple[str, str], ...]:
    if q.type == "yes-no":
        return (("yes", "yes"), ("no", "no"))
    return tuple((o.id, o.label) for o in q.options)


def questions_for(profile: TechnologyProfile) -> list[Question]:
    """The questions relevant to this profile, in D-id order, each saying why it is asked."""
    book = load_questionnaire()
    out: list[Question] = []
    rank = tier_rank(profile.tier)
    for t in book.spec.topics:
        because = _relevant_because(t, profile)
        if because is None:
            continue
        for q in t.questions:
            required = rank >= tier_rank(q.required_at or t.required_at)
            out.append(
                Question(q.id, t.topic, q.text, t.evidence, required, because, q.type, _options(q))
            )
    return out


# -- answers -----------------------------------------------------------------------------------


class AnswerEntry(_Strict):
    """One structured answer as written in a tender or an answer file.

    ``answer`` is ``yes``/``no``, an option id or free text (YAML reads an unquoted yes/no as
    true/false; both mean the same)."""

    answer: str | bool | int | float | None = None
    evidence: str | None = None
    attachments: tuple[str, ...] = ()


#: an answer as a tender file holds it
TenderAnswer = str | bool | int | float | AnswerEntry
#: an answer as the functions below take it (a mapping has AnswerEntry's keys)
RawAnswer = TenderAnswer | Mapping[str, Any]


@dataclass(frozen=True)
class GivenAnswer:
    """A bidder's answer to one question, checked against the question's type."""

    question: str
    answer: str
    evidence: str = ""
    attachments: tuple[str, ...] = ()

    def supported(self) -> bool:
        """Whether the answer comes with evidence or an attachment."""
        return bool(self.evidence or self.attachments)

    def quoted(self) -> str:
        """The answer as the findings quote it: the value, the evidence, the attachments."""
        parts = [f'answer "{self.answer}"']
        if self.evidence:
            parts.append(f'evidence: "{self.evidence}"')
        if self.attachments:
            parts.append("attachments: " + ", ".join(self.attachments))
        return "; ".join(parts)


def answer_value(value: str | bool | int | float | None) -> str:
    """The text of an answer value: YAML's true/false are yes/no; whitespace is trimmed."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value).strip()


def check_answer(
    qid: str, raw: RawAnswer, *, book: LoadedQuestionnaire | None = None
) -> GivenAnswer | None:
    """``raw`` as a :class:`GivenAnswer` to question ``qid``, or ``None`` when it is blank.

    A whitespace-only answer is no answer. A yes-no or choice answer must be one of the
    question's answers (case does not matter). Raises :class:`InputError` naming the question.
    """
    book = book or load_questionnaire()
    if qid not in book.questions:
        raise InputError(
            None, f"answer to unknown question {qid!r}", record="answers", fix="use the D-ids"
        )
    if isinstance(raw, AnswerEntry):
        entry = raw
    elif isinstance(raw, Mapping):
        try:
            entry = AnswerEntry.model_validate(dict(raw))
        except ValidationError as exc:
            raise InputError(
                None,
                f"not an answer ({exc.errors()[0]['msg']})",
                record=f"answers.{qid}",
                fix="give answer, and optionally evidence and attachments",
            ) from None
    else:
        entry = AnswerEntry(answer=raw)
    value = answer_value(entry.answer)
    evidence = (entry.evidence or "").strip()
    attachments = tuple(a.strip() for a in entry.attachments if a.strip())
    if not value:
        if evidence or attachments:
            raise InputError(
                None,
                "evidence or attachments without an answer",
                record=f"answers.{qid}",
                fix="give the answer too",
            )
        return None
    allowed = book.allowed(qid)
    if allowed:
        if value.lower() not in allowed:
            raise InputError(
                None,
                f"answer {value!r} is not one of {', '.join(allowed)}",
                record=f"answers.{qid}",
                fix=f"answer {' or '.join(allowed)}",
            )
        value = value.lower()
    return GivenAnswer(qid, value, evidence, attachments)


@dataclass(frozen=True)
class Effect:
    """One consequence of an answer, quoting the answer that caused it."""

    question: str
    explanation: str
    evidence: str
    feature: str | None = None
    control: str | None = None
    confirms: tuple[str, ...] = ()
    rules_out: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "explanation": self.explanation,
            "evidence": self.evidence,
            "feature": self.feature,
            "control": self.control,
            "confirms": list(self.confirms),
            "rules_out": list(self.rules_out),
        }


@dataclass(frozen=True)
class Contradiction:
    """Answers that cannot all be true; a person decides, and no lowering counts until then."""

    questions: tuple[str, ...]
    explanation: str

    def to_json(self) -> dict[str, Any]:
        return {"questions": list(self.questions), "explanation": self.explanation}


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
    contradictions: tuple[Contradiction, ...] = ()
    #: what was recorded and deliberately not used (free text, unsupported lowering answers)
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "raised": [e.to_json() for e in self.raised],
            "lowered": [e.to_json() for e in self.lowered],
            "controls_in_place": list(self.controls_in_place),
            "unanswered_required": list(self.unanswered_required),
            "original_tier": self.original_tier,
            "adjusted_tier": self.adjusted_tier,
            "contradictions": [c.to_json() for c in self.contradictions],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class SplitAnswers:
    """A bidder's answers: structured ones by question id, older free text by topic id."""

    structured: dict[str, GivenAnswer]
    free_text: dict[str, str]


def split_answers(answers: Mapping[str, RawAnswer]) -> SplitAnswers:
    """Check every answer and separate structured answers from per-topic free text.

    A key that is a topic id (``D4``) holds free text from a tender written before answers
    were structured: it is kept to be quoted, never read. Blank answers are dropped (no
    answer); anything else that does not fit its question is an :class:`InputError`.
    """
    book = load_questionnaire()
    structured: dict[str, GivenAnswer] = {}
    free: dict[str, str] = {}
    for key, raw in answers.items():
        if key in book.topics:
            if not isinstance(raw, str):
                raise InputError(
                    None,
                    f"{key} is a topic: its answer is free text",
                    record=f"answers.{key}",
                    fix="answer the questions " + ", ".join(_question_ids(book, key)),
                )
            if raw.strip():
                free[key] = raw.strip()
            continue
        given = check_answer(key, raw, book=book)
        if given is not None:
            structured[key] = given
    return SplitAnswers(structured, free)


def _contradictions(
    book: LoadedQuestionnaire, given: Mapping[str, GivenAnswer]
) -> list[Contradiction]:
    found: list[Contradiction] = []
    confirmed: dict[str, list[str]] = {}
    ruled_out: dict[str, list[str]] = {}
    for qid, ans in given.items():
        eff = book.questions[qid].effects.get(ans.answer)
        if eff is None:
            continue
        for name in eff.confirms:
            confirmed.setdefault(name, []).append(qid)
        for name in eff.rules_out:
            ruled_out.setdefault(name, []).append(qid)
    tax = load_taxonomy()
    for name in sorted(set(confirmed) & set(ruled_out)):
        for low in ruled_out[name]:
            for high in confirmed[name]:
                found.append(
                    Contradiction(
                        (low, high),
                        f'{low} ("{given[low].answer}") rules out '
                        f"{tax.features[name].label.lower()}, which {high} "
                        f'("{given[high].answer}") confirms',
                    )
                )
    for c in book.spec.contradictions:
        if all(qid in given and given[qid].answer == v for qid, v in c.answers.items()):
            found.append(Contradiction(tuple(c.answers), c.explanation))
    return found


def apply_answers(profile: TechnologyProfile, answers: Mapping[str, RawAnswer]) -> AnswerEffects:
    """Read a bidder's answers (keyed by question id) and say how they change the profile.

    Only structured answers have effects, as ``questionnaire.yaml`` lists them. A lowering
    answer counts only with evidence or an attachment (when the questionnaire says so) and only
    when no other answer contradicts it; a contradiction is reported as a raised risk for a
    person to decide. Free text is quoted in notes and changes nothing.
    """
    book = load_questionnaire()
    tax = load_taxonomy()
    split = split_answers(answers)
    given = split.structured
    contradictions = _contradictions(book, given)
    disputed = {qid for c in contradictions for qid in c.questions}
    raised: list[Effect] = []
    lowered: list[Effect] = []
    notes: list[str] = []
    controls: dict[str, ControlInPlace] = {}
    add: dict[str, ProfileFeature] = {}
    remove: set[str] = set()
    for qid, ans in given.items():
        eff = book.questions[qid].effects.get(ans.answer)
        if eff is None:
            continue
        if eff.raises is not None:
            raised.append(
                Effect(
                    qid,
                    eff.raises,
                    ans.quoted(),
                    feature=eff.confirms[0] if eff.confirms else None,
                    confirms=eff.confirms,
                )
            )
            for name in eff.confirms:
                add[name] = ProfileFeature(name, f"answer {qid}: {ans.answer}", 1.0, "explicit")
            continue
        assert eff.lowers is not None  # checked when the questionnaire was loaded
        if qid in disputed:
            notes.append(f"{qid}: {eff.lowers} — not credited, the answers contradict each other")
            continue
        if book.spec.lowering_needs_evidence and not ans.supported():
            notes.append(f"{qid}: {eff.lowers} — not credited, no evidence or attachment given")
            continue
        lowered.append(
            Effect(qid, eff.lowers, ans.quoted(), control=eff.control, rules_out=eff.rules_out)
        )
        if eff.control:
            controls.setdefault(eff.control, ControlInPlace(eff.control, f"{qid}: {ans.answer}"))
        remove.update(eff.rules_out)
    for c in contradictions:
        raised.append(
            Effect(
                c.questions[0],
                f"contradictory answers ({', '.join(c.questions)}): {c.explanation}; a person "
                "must decide, and no lower risk is credited until then",
                "; ".join(f"{q}: {given[q].quoted()}" for q in c.questions),
            )
        )
    for key, text in sorted(split.free_text.items(), key=lambda kv: int(kv[0][1:])):
        notes.append(f'{key}: free text, quoted and not used to lower any risk: "{text}"')
    for qid, ans in given.items():
        if book.questions[qid].type == "text":
            notes.append(f'{qid}: free text, quoted and not used to lower any risk: "{ans.answer}"')
    remove -= set(add)
    adjusted = adjust_profile(
        profile,
        add_features=list(add.values()),
        remove_features=sorted(remove),
        add_controls=list(controls.values()),
        taxonomy=tax,
    )
    answered = set(given) | {q for t in split.free_text for q in _question_ids(book, t)}
    unanswered = tuple(q.id for q in questions_for(profile) if q.required and q.id not in answered)
    return AnswerEffects(
        raised=tuple(raised),
        lowered=tuple(lowered),
        controls_in_place=tuple(c.control for c in adjusted.controls_in_place),
        unanswered_required=unanswered,
        adjusted_tier=adjusted.tier,
        original_tier=profile.tier,
        profile=adjusted,
        contradictions=tuple(contradictions),
        notes=tuple(notes),
    )


def _question_ids(book: LoadedQuestionnaire, topic: str) -> tuple[str, ...]:
    return tuple(q.id for q in book.topics[topic].questions)
