"""Name-pair features of matcher v2 (``bidvet-name-v2``). Each docstring is its explanation.

Every feature reads a :class:`PairV2` (two :class:`~bidvet.screening.canonical.CanonName`) and
returns a number in ``[0, 1]``. :mod:`bidvet.screening.model_v2` weighs them with the
coefficients fitted by ``bench/train_name_model.py`` (``name_model_v2.yaml``) into the logistic
probability that the two names are one organisation.

Words are weighed by role: distinctive words and numbers 1, generic words
(:data:`~bidvet.screening.canonical.GENERIC_WORDS`) 0.3, stop words 0.1. The weights are fixed,
not read from an index, so a pair scores the same in ``bidvet compare`` and in screening.

The pair is read in the screening direction: ``query`` is what was typed, ``candidate`` the
listed name. A query that is a *part* of the listed name (the officer typed less: ``Huawei``
for ``Huawei Technologies Co., Ltd.``) and a listed name that is a part of the query (``AMBER``
inside ``Amber Technology Ltd``, a different supplier) are different evidence, so coverage is
also measured on each side separately (:func:`query_coverage`, :func:`candidate_coverage`,
:func:`query_inside`, :func:`candidate_inside`).

**Word rarity** (:func:`word_rarity`) comes from the document frequency of each word among the
organisation names of the official lists, counted when the model was fitted and shipped in
``name_model_v2.yaml`` (``word_frequencies``): a fixed table, so scores do not move when a
store's contents change.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from bidvet.screening.canonical import CanonName, legal_word, typed_forms
from bidvet.screening.common_words import zipf
from bidvet.screening.spellings import cross_script, cross_script_spelling
from bidvet.screening.terms import same_sound, same_term

ROLE_WEIGHT = {"distinctive": 1.0, "number": 1.0, "generic": 0.3, "stop": 0.1}
#: the model file holding the word-frequency table (read once, lazily)
_MODEL_FILE = Path(__file__).parent / "name_model_v2.yaml"
#: a word in this many list names or more has rarity 0; a word in one name has rarity 1
RARITY_SATURATION = 1000
#: Zipf frequencies in English text (:mod:`~bidvet.screening.common_words`) read as not common
#: (``0``) at or below the first, fully common (``1``) at or above the second
COMMON_ZIPF = (2.5, 4.5)


@dataclass(frozen=True)
class WordFrequencies:
    """How many organisation names of the official lists contain each word (words in fewer
    than ``min_count`` names are not stored: they count as in one name)."""

    names: int
    min_count: int
    counts: Mapping[str, int]

    def rarity(self, word: str) -> float:
        """``1 - log(count) / log(RARITY_SATURATION)``, clipped to ``[0, 1]``."""
        count = self.counts.get(word, 1)
        return 1.0 - min(math.log(max(count, 1)), math.log(RARITY_SATURATION)) / math.log(
            RARITY_SATURATION
        )


_FREQUENCIES: list[WordFrequencies] = []


def parse_word_frequencies(data: object) -> WordFrequencies:
    """The ``word_frequencies`` section of a model file (``{names, min_count, counts}``, the
    counts one ``word count`` string each)."""
    if not isinstance(data, dict) or not isinstance(data.get("counts"), list):
        raise ValueError("word_frequencies needs names, min_count and a counts list")
    counts: dict[str, int] = {}
    for item in data["counts"]:
        word, _, count = str(item).rpartition(" ")
        counts[word] = int(count)
    return WordFrequencies(int(data["names"]), int(data["min_count"]), counts)


def use_word_frequencies(table: WordFrequencies) -> None:
    """Use ``table`` for :func:`word_rarity` (the training script sets the table it fits with)."""
    _FREQUENCIES[:] = [table]


def word_frequencies() -> WordFrequencies:
    """The table in use: by default the one shipped in ``name_model_v2.yaml``."""
    if not _FREQUENCIES:  # not read with the model (:mod:`~bidvet.screening.model_v2`)
        import yaml

        data = yaml.load(_MODEL_FILE.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        section = data.get("word_frequencies") if isinstance(data, dict) else None
        table = (
            parse_word_frequencies(section)
            if section is not None
            else WordFrequencies(1, 1, {})  # a model fitted without the table: all words rare
        )
        _FREQUENCIES[:] = [table]
    return _FREQUENCIES[0]


def word_rarity(word: str) -> float:
    """How rare ``word`` is among the listed organisation names, ``0`` (in 1,000 names or
    more: ``bank``, ``group``) to ``1`` (in one name)."""
    return word_frequencies().rarity(word)


def tolerated_edits(length: int) -> int:
    """Typos tolerated in a word of ``length`` letters: none up to 4 (an adjacent swap aside),
    one up to 9, two from 10."""
    if length <= 4:
        return 0
    return 1 if length <= 9 else 2


@lru_cache(maxsize=262144)
def word_agrees(a: str, b: str) -> bool:
    """Equal, within :func:`tolerated_edits` typos, or (3-4 letters) an adjacent swap."""
    if a == b:
        return True
    if a.isdigit() or b.isdigit():
        return False
    limit = tolerated_edits(max(len(a), len(b)))
    if limit == 0:
        return (
            len(a) == len(b) >= 3
            and OSA.distance(a, b, score_cutoff=1) <= 1
            and sorted(a) == sorted(b)
        )
    return OSA.distance(a, b, score_cutoff=limit) <= limit


@lru_cache(maxsize=262144)
def word_meets(a: str, b: str, sound: bool = True) -> bool:
    """:func:`word_agrees`, or the two words are one term written another way: a translation
    or (with ``sound``) a transliteration (:func:`~bidvet.screening.terms.same_term`:
    ``zavod`` / ``plant``, ``konsalting`` / ``consulting``)."""
    return word_agrees(a, b) or (
        not (a.isdigit() or b.isdigit()) and same_term(a, b, sound) is not None
    )


def resegmented(query: CanonName, candidate: CanonName) -> CanonName:
    """``query``, whose letters run together are the ``candidate``'s, read in the candidate's
    words: the same letters in the same order with a space typed in another place (``AFKAR
    SYSTE MYAZD`` / ``AFKAR SYSTEM YAZD``, ``An nTeck Tong`` / ``Ann Teck Tong``) or words
    run together or split (``Good Will`` / ``Goodwill``) are one name, not two names sharing
    some words; the change is said in its readings."""
    reading = f"word boundaries: {query.text!r} read as {candidate.text!r}"
    return replace(
        query,
        words=candidate.words,
        roles=candidate.roles,
        readings=(*query.readings, reading),
    )


@dataclass(frozen=True)
class PairV2:
    """Two names as matcher v2 reads them. A name written in a script read through
    transliteration and a Latin one are read in one spelling
    (:func:`~bidvet.screening.spellings.cross_script`: ``Novelco`` / ``Новелко``)."""

    query: CanonName
    candidate: CanonName

    def __post_init__(self) -> None:
        if self.query.script != self.candidate.script:
            query, candidate = cross_script(self.query, self.candidate)
            object.__setattr__(self, "query", query)
            object.__setattr__(self, "candidate", candidate)
        if (
            self.query.words != self.candidate.words
            and self.query.compact == self.candidate.compact
        ):
            object.__setattr__(self, "query", resegmented(self.query, self.candidate))

    @cached_property
    def left_over(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """Each side's words without a partner on the other (:attr:`alignment`), stop words
        aside, with their roles."""
        qm, cm = self.alignment
        return _left_words(self.query, qm), _left_words(self.candidate, cm)

    @cached_property
    def alignment(self) -> tuple[list[bool], list[bool]]:
        """Which words of each side found a partner on the other side.

        A word finds a partner when it :func:`word_meets` a word there, or when it equals
        two adjacent words there run together exactly (``goodwill`` / ``good will``), or a
        word there is exactly two of its own run together. Sound keys count only when
        :attr:`sound` allows them.
        """
        plain = self.plain_alignment
        if not self.sound or (all(plain[0]) and all(plain[1])):
            return plain
        q, c = self.query.words, self.candidate.words
        return _sounded(plain[0], q, c), _sounded(plain[1], c, q)

    @cached_property
    def plain_alignment(self) -> tuple[list[bool], list[bool]]:
        """:attr:`alignment` without sound keys."""
        q, c = self.query.words, self.candidate.words
        return _matched(q, c), _matched(c, q)

    @cached_property
    def fewer_distinctive(self) -> tuple[tuple[str, ...], CanonName]:
        """The distinctive words (and numbers) of the name with fewer of them (the query's on
        a tie), and the other name: what the one-word rules (:func:`single_word_typo`,
        :func:`typo_only`) compare."""
        q = self.query.of_role("distinctive", "number")
        c = self.candidate.of_role("distinctive", "number")
        return (q, self.candidate) if len(q) <= len(c) else (c, self.query)

    @cached_property
    def sound(self) -> bool:
        """Words may meet through their sound keys (:func:`~bidvet.screening.terms.sound_keys`)
        when something else ties the names: both have two distinctive words or more, or they
        share a word (not a stop word) met without them — spelt the same, through a typo or a
        translation (``Zorbalt Ventures`` / ``Zorbalt Venchurs``). A name of one word meeting
        another only by its consonants (``Beamtree`` / ``BAMTRI``) is as likely another
        company."""
        if min(len(n.of_role("distinctive")) for n in (self.query, self.candidate)) >= 2:
            return True
        qm = self.plain_alignment[0]
        return any(m and r != "stop" for m, r in zip(qm, self.query.roles, strict=True))


def run_together(a: str, b: str) -> set[str]:
    """Two adjacent words run together, each as read or as an abbreviation expanding to it
    (:func:`~bidvet.screening.canonical.typed_forms`): ``fara technology`` as ``faratechnology``
    and ``faratech``."""
    return {x + y for x in typed_forms(a) for y in typed_forms(b)}


def _joins(words: tuple[str, ...]) -> set[str]:
    """Every pair of adjacent ``words`` run together (:func:`run_together`)."""
    return {j for a, b in itertools.pairwise(words) for j in run_together(a, b)}


def joined_words(p: PairV2) -> list[str]:
    """Words of one name that are two adjacent words of the other run together."""
    out = []
    for a, b in ((p.query, p.candidate), (p.candidate, p.query)):
        for x, y in itertools.pairwise(b.words):
            found = [
                (xf, yf)
                for xf in typed_forms(x)
                for yf in typed_forms(y)
                if xf + yf in a.words and xf + yf not in b.words
            ]
            if found:  # as typed: an expanded abbreviation in the short form that joined
                xf, yf = found[0]
                out.append(f"{xf} {yf} ~ {xf + yf}")
    return out


def typed_words(p: PairV2) -> list[str]:
    """Words of the query that agree with a word of the listed name through a typo
    (:func:`word_agrees`, not equal): ``imagng ~ imaging``."""
    out = []
    for w in p.query.words:
        if w in p.candidate.words:
            continue
        near = [o for o in p.candidate.words if word_agrees(w, o)]
        if near:
            out.append(f"{w} ~ {near[0]}")
    return out


def other_words(p: PairV2) -> list[str]:
    """Words of the query that meet a word of the listed name only as the same term written
    another way (:func:`~bidvet.screening.terms.same_term`), with how:
    ``zavod ~ plant (translation [DOMAIN:FACTORY])``."""
    return [f"{w} ~ {o} ({how})" for w, o, how in _other_partners(p.query, p.candidate, p.sound)]


def _other_partners(
    name: CanonName, other: CanonName, sound: bool
) -> Iterator[tuple[str, str, str]]:
    """Each word of ``name`` that agrees with no word of ``other`` by spelling but is the same
    term as one (:func:`~bidvet.screening.terms.same_term`), with the first such word and
    how."""
    for w in name.words:
        if w.isdigit() or any(word_agrees(w, o) for o in other.words):
            continue
        for o in other.words:
            how = same_term(w, o, sound)
            if how is not None:
                yield w, o, how
                break


def _sounded(matched: list[bool], words: tuple[str, ...], other: tuple[str, ...]) -> list[bool]:
    """``matched`` (found without sound keys) with the words left over that meet a word of
    ``other`` through their sound keys (:func:`~bidvet.screening.terms.same_sound`)."""
    return [
        m or any(same_sound(w, o) is not None for o in other)
        for m, w in zip(matched, words, strict=True)
    ]


def _matched(words: tuple[str, ...], other: tuple[str, ...]) -> list[bool]:
    """Which ``words`` find a partner in ``other`` by spelling (typos tolerated, words run
    together) or as a translation; sound keys are :func:`_sounded`'s."""
    joined = _joins(other)
    out = [any(word_agrees(w, o) for o in other) or w in joined for w in words]
    # a pair of this side's adjacent words may be one word on the other side
    for i in range(len(words) - 1):
        if not (out[i] and out[i + 1]) and run_together(words[i], words[i + 1]) & set(other):
            out[i] = out[i + 1] = True
    # only the words left without a partner are read as terms (the tagger is the dear part)
    for i, w in enumerate(words):
        if not out[i]:
            out[i] = any(word_meets(w, o, False) for o in other)
    return out


def _weight(role: str) -> float:
    return ROLE_WEIGHT[role]


def _unmatched(name: CanonName, matched: list[bool], roles: tuple[str, ...]) -> float:
    return sum(1.0 for r, m in zip(name.roles, matched, strict=True) if not m and r in roles)


def text_similarity(p: PairV2) -> float:
    """Edit similarity (rapidfuzz ``ratio``) of the two names' words, legal forms removed."""
    return float(fuzz.ratio(p.query.text, p.candidate.text)) / 100.0


def compact_similarity(p: PairV2) -> float:
    """Edit similarity of the names run together without spaces: joined or split words
    (``SiemensAG``, ``Good Will`` / ``Goodwill``, ``Hik Vision``) cost nothing here."""
    return float(fuzz.ratio(p.query.compact, p.candidate.compact)) / 100.0


def sorted_similarity(p: PairV2) -> float:
    """Edit similarity of the words sorted: word order does not matter here."""
    return float(fuzz.token_sort_ratio(p.query.text, p.candidate.text)) / 100.0


def distinctive_coverage(p: PairV2) -> float:
    """Share of the words, weighed by role, that found a partner on the other side; the
    smaller of the two sides. Generic words (Group, Holding, International…) weigh 0.3."""
    out = 1.0
    for name, matched in zip((p.query, p.candidate), p.alignment, strict=True):
        total = sum(_weight(r) for r in name.roles)
        hit = sum(_weight(r) for r, m in zip(name.roles, matched, strict=True) if m)
        out = min(out, hit / total if total else 0.0)
    return out


def extra_distinctive(p: PairV2) -> float:
    """Distinctive words on either side without a partner (``México`` in ``Banco Santander
    México``), 0 to 3 scaled to ``[0, 1]``."""
    qm, cm = p.alignment
    n = _unmatched(p.query, qm, ("distinctive",)) + _unmatched(p.candidate, cm, ("distinctive",))
    return min(n, 3.0) / 3.0


def extra_generic(p: PairV2) -> float:
    """Generic words on either side without a partner (``Group`` inserted before the legal
    form), 0 to 3 scaled to ``[0, 1]``."""
    qm, cm = p.alignment
    n = _unmatched(p.query, qm, ("generic", "stop")) + _unmatched(
        p.candidate, cm, ("generic", "stop")
    )
    return min(n, 3.0) / 3.0


def _shorter_covered(p: PairV2) -> int:
    """When every word of one name found a partner in the other and the other has words left
    over, the distinctive words (and numbers) of the first; else 0."""
    qm, cm = p.alignment
    if all(qm) and not all(cm):
        name = p.query
    elif all(cm) and not all(qm):
        name = p.candidate
    else:
        return 0
    return len(name.of_role("distinctive", "number"))


def partial_name(p: PairV2) -> float:
    """Every word of the shorter name, two distinctive words at least, found a partner in the
    longer one: a name as an officer types it (``Hikvision Digital Technology``). ``1``/``0``."""
    return 1.0 if _shorter_covered(p) >= 2 else 0.0


def partial_one_word(p: PairV2) -> float:
    """The shorter name has one distinctive word and is found in the longer one (``Amber`` /
    ``Amber Technology``): weaker evidence than :func:`partial_name`. ``1`` or ``0``."""
    return 1.0 if _shorter_covered(p) == 1 else 0.0


def leading_extra(p: PairV2) -> float:
    """The longer name's extra words all stand before the shared ones (a place prefix, as in
    ``Hangzhou Hikvision …``) rather than after them (``Banco Santander México``): ``1``."""
    qm, cm = p.alignment
    for _name, matched in ((p.query, qm), (p.candidate, cm)):
        if not all(matched) and any(matched):
            first = matched.index(True)
            if not any(matched[:first]) and all(matched[first:]):
                return 1.0
    return 0.0


def word_typos(p: PairV2) -> float:
    """Typos inside words that agree (:func:`word_agrees`) without being equal, summed over
    the query's words: 0 to 3 scaled to ``[0, 1]``."""
    total = 0
    for w in p.query.words:
        if w in p.candidate.words:
            continue
        near = [OSA.distance(w, o) for o in p.candidate.words if word_agrees(w, o)]
        if near:
            total += min(near)
    return min(total, 3) / 3.0


def one_word_inexact(p: PairV2) -> float:
    """One of the names is a single distinctive word and the two differ (not as an acronym):
    with nothing else to anchor it, a word one letter from a listed one is as likely another
    company (``Integra`` / ``Integral``) as a typo. ``1`` or ``0``."""
    q = p.query.of_role("distinctive", "number")
    c = p.candidate.of_role("distinctive", "number")
    if sorted(q) == sorted(c) or "".join(q) == "".join(c) or acronym(p):
        return 0.0
    return 1.0 if len(q) <= 1 or len(c) <= 1 else 0.0


def single_word_typo(p: PairV2) -> float:
    """The name with fewer distinctive words has exactly one, and it meets the other name only
    through a typo or as the same term written another way (no word there is spelt the same,
    nor runs it together): the pattern of two different companies (``Duratec`` / ``Duratex``,
    ``Streem`` / ``The Stream``, ``Beamtree`` / ``BAMTRI``). ``1``/``0``.
    """
    short, other = p.fewer_distinctive
    if len(short) != 1:
        return 0.0
    word = short[0]
    if word in other.words or word in (other.compact, other.short_compact) or acronym(p):
        return 0.0
    if word in _joins(other.words):
        return 0.0
    return 1.0 if any(word_meets(word, o, p.sound) for o in other.words) else 0.0


def typo_only(p: PairV2) -> bool:
    """No distinctive word (or number) of the name with fewer of them is found spelt the same
    in the other name (nor run together with its neighbour, nor as the other's whole
    compact form), and at least one meets a word there through a typo: the names agree only
    through typed slips (``Nutech`` / ``Nuctech Company Limited``, ``Hikvison Digital`` /
    ``Hangzhou Hikvision Digital Technology``). Not a fitted feature: the rule behind
    ``typo_only_cap`` in ``screening.yaml``, which keeps such a pair a possible match for a
    person to judge however high the fitted score is, and no higher than the pair
    :func:`spelt_out` scores."""
    short, other = p.fewer_distinctive
    if not short or acronym(p):
        return False
    exact = set(other.words) | _joins(other.words) | {other.compact, other.short_compact}
    if any(w in exact for w in short):
        return False
    return any(word_agrees(w, o) for w in short for o in other.words)


def person_typos(p: PairV2) -> list[tuple[str, str]]:
    """Between two people's names (both read :attr:`~bidvet.screening.canonical.CanonName.
    person`), each distinctive word of the query found in the listed name only through a
    typed slip (:func:`word_agrees`, not equal), with the nearest listed word: ``sakharov`` /
    ``zakharov``, ``ivanova`` / ``ivanov``, ``mohamed`` / ``mohammed``. A slip in a person's
    name may be another spelling of it or another person's name, and the kind of slip does not
    tell which (``eval/person_slips.py``), so such a pair is a possible match for a person to
    judge however many of its other names agree (the rule behind ``person_typo_cap`` in
    ``screening.yaml``). Not read here: patronymics (:mod:`~bidvet.screening.person_names`
    judges them) and transliteration variants, which both names are read in one spelling of
    first (:func:`~bidvet.screening.spellings.respelt`). Empty for any other pair."""
    if not (p.query.person and p.candidate.person):
        return []
    listed = p.candidate.words
    out = []
    for w in p.query.of_role("distinctive"):
        if w in listed:
            continue
        near = sorted((OSA.distance(w, o), o) for o in listed if word_agrees(w, o))
        if near:
            out.append((w, near[0][1]))
    return out


def spelt_out(p: PairV2) -> PairV2:
    """The pair with each query word that meets a listed word only through a typo written as
    that listed word (the nearest, by edit distance): what the officer meant to type. A slip
    cannot make two names more alike than the right spelling does, so a pair that agrees only
    through typos scores at most what this pair scores."""
    words = []
    for w in p.query.words:
        near = [o for o in p.candidate.words if o != w and word_agrees(w, o)]
        if w in p.candidate.words or not near:
            words.append(w)
        else:
            words.append(min(near, key=lambda o: (OSA.distance(w, o), o)))
    return PairV2(replace(p.query, words=tuple(words)), p.candidate)


def short_inexact(p: PairV2) -> float:
    """The names differ and the shorter has few letters: one changed letter in a short name
    often makes another name (``BWI`` / ``BAE``, ``Duratec`` / ``Duratex``). ``1`` at four
    letters or fewer, falling to ``0`` at ten; ``0`` when the names are the same."""
    q, c = p.query.compact, p.candidate.compact
    if q == c:
        return 0.0
    return min(max((10 - min(len(q), len(c))) / 6.0, 0.0), 1.0)


def exact_coverage(p: PairV2) -> float:
    """Share of the words, weighed by role, found spelt exactly the same on the other side
    (typos not counted); the smaller of the two sides."""
    out = 1.0
    for name, other in ((p.query, p.candidate), (p.candidate, p.query)):
        total = sum(_weight(r) for r in name.roles)
        hit = sum(
            _weight(r) for w, r in zip(name.words, name.roles, strict=True) if w in other.words
        )
        out = min(out, hit / total if total else 0.0)
    return out


def series_conflict(p: PairV2) -> float:
    """Numbers or roman numerals differ (``Partners VII`` / ``VIII``, ``Solutions II`` / none):
    a fund series or a sibling company. ``1`` or ``0``."""
    qn = set(p.query.of_role("number"))
    cn = set(p.candidate.of_role("number"))
    return 1.0 if qn != cn else 0.0


def _initials(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w)


def acronym(p: PairV2) -> float:
    """One name is the initials of the other (``PLA`` / ``People's Liberation Army``), with or
    without its stop words; three letters at least. ``1`` or ``0``."""
    for short, long_ in ((p.query, p.candidate), (p.candidate, p.query)):
        if len(short.words) != 1:
            continue
        head = short.words[0]
        if len(head) < 3 or len(long_.words) < 3:
            continue
        if head in (
            _initials(long_.words),
            _initials(long_.of_role("distinctive", "generic", "number")),
        ):
            return 1.0
    return 0.0


def legal_form_conflict(p: PairV2) -> float:
    """Both names have a legal form and they have none in common (``AG`` / ``GmbH``): ``1``."""
    q, c = p.query.forms, p.candidate.forms
    return 1.0 if q and c and not (q & c) else 0.0


def first_word_agrees(p: PairV2) -> float:
    """The first distinctive words agree (within tolerated typos): ``1`` or ``0``."""
    q = p.query.of_role("distinctive", "number")
    c = p.candidate.of_role("distinctive", "number")
    return 1.0 if q and c and word_agrees(q[0], c[0]) else 0.0


def _coverage(name: CanonName, matched: list[bool]) -> float:
    total = sum(_weight(r) for r in name.roles)
    hit = sum(_weight(r) for r, m in zip(name.roles, matched, strict=True) if m)
    return hit / total if total else 0.0


def query_coverage(p: PairV2) -> float:
    """Share of the query's words, weighed by role, that found a partner in the listed name."""
    return _coverage(p.query, p.alignment[0])


def candidate_coverage(p: PairV2) -> float:
    """Share of the listed name's words, weighed by role, that found a partner in the query."""
    return _coverage(p.candidate, p.alignment[1])


def _left_words(name: CanonName, matched: list[bool]) -> list[tuple[str, str]]:
    return [
        (w, r)
        for w, r, m in zip(name.words, name.roles, matched, strict=True)
        if not m and r != "stop"
    ]


def _inside(p: PairV2) -> str | None:
    """``query`` when every word of the query found a partner and the listed name has words
    other than stop words left over, ``candidate`` for the reverse, else ``None``."""
    qm, cm = p.alignment
    q_left, c_left = p.left_over
    if all(qm) and c_left:
        return "query"
    if all(cm) and q_left:
        return "candidate"
    return None


def _near(a: str, b: str) -> bool:
    """:func:`word_agrees`, or one edit between two words of three or four letters that are
    not numbers (``adeq`` / ``adel``)."""
    if word_agrees(a, b):
        return True
    return (
        min(len(a), len(b)) >= 3
        and max(len(a), len(b)) <= 4
        and not (a.isdigit() or b.isdigit())
        and OSA.distance(a, b, score_cutoff=1) <= 1
    )


def loose_coverage(p: PairV2) -> float:
    """:func:`distinctive_coverage` with one edit tolerated in words of three or four letters
    too: a slip in a short word of a longer name (``Adeq Abad Prison`` / ``Adel Abad
    Prison``), which is another name when the short word stands alone."""
    out = 1.0
    for name, other, matched in (
        (p.query, p.candidate, p.alignment[0]),
        (p.candidate, p.query, p.alignment[1]),
    ):
        if all(matched):
            continue
        loose = [
            m or any(_near(w, o) for o in other.words)
            for w, m in zip(name.words, matched, strict=True)
        ]
        out = min(out, _coverage(name, loose))
    return out


def both_extra(p: PairV2) -> float:
    """Each name has a word (not a stop word) the other lacks, a distinctive one among them
    (``Amber Technology`` / ``Amber Sun``): neither is a part of the other. ``1`` or ``0``."""
    q_left, c_left = p.left_over
    if q_left and c_left and any(r == "distinctive" for _, r in q_left + c_left):
        return 1.0
    return 0.0


def query_inside(p: PairV2) -> float:
    """The query is a part of the listed name (the officer typed less: ``Hikvision Digital
    Technology`` for ``Hangzhou Hikvision Digital Technology Co., Ltd.``). ``1`` or ``0``."""
    return 1.0 if _inside(p) == "query" else 0.0


def candidate_inside(p: PairV2) -> float:
    """The listed name is a part of the query (``AMBER`` inside ``Amber Technology Ltd``):
    the query names more than the list does, weaker evidence. ``1`` or ``0``."""
    return 1.0 if _inside(p) == "candidate" else 0.0


def part_of_name(p: PairV2) -> bool:
    """One name has one distinctive word (or number), every word of it is found in the other
    name, and the other has more words: ``Hudson Pty Ltd`` / ``Hudson Technologies, Ltd.``,
    ``Huawei`` / ``Huawei Technologies Co., Ltd.``, or the reverse (``AMBER`` / ``Amber
    Technology Ltd``). Not a fitted feature: the rule behind ``part_of_name_cap`` in
    ``screening.yaml``, which keeps such a pair a possible match for a person to judge: the
    longer name's other words may tell another company, and nothing else in the names says
    which."""
    inside = _inside(p)
    if inside is None:
        return False
    name = p.query if inside == "query" else p.candidate
    return len(name.of_role("distinctive", "number")) == 1


def query_inside_one_word(p: PairV2) -> float:
    """The query is a part of the listed name and has one distinctive word (``Huawei``,
    ``Dahua Technology``), weighed by that word's :func:`word_rarity`: a rare word typed alone
    names its company, a common one does not. ``0`` to ``1``."""
    if _inside(p) != "query":
        return 0.0
    words = p.query.of_role("distinctive", "number")
    return word_rarity(words[0]) if len(words) == 1 else 0.0


def candidate_inside_one_word(p: PairV2) -> float:
    """The listed name is a part of the query and has one distinctive word (``AMBER`` inside
    ``Amber Technology Ltd``), weighed by that word's :func:`word_rarity`. ``0`` to ``1``."""
    if _inside(p) != "candidate":
        return 0.0
    words = p.candidate.of_role("distinctive", "number")
    return word_rarity(words[0]) if len(words) == 1 else 0.0


def query_inside_one_word_formed(p: PairV2) -> float:
    """The query is a part of the listed name, has one distinctive word and a legal form
    (``Hudson Pty Ltd`` against ``Hudson Technologies, Ltd.``): a complete company name was
    typed, so the listed name's extra words tell another company. ``1`` or ``0``."""
    if _inside(p) != "query" or not p.query.forms:
        return 0.0
    return 1.0 if len(p.query.of_role("distinctive", "number")) == 1 else 0.0


def short_single_word_typo(p: PairV2) -> float:
    """:func:`single_word_typo` where that one word has fewer than eight letters (``Streem``
    / ``Stream``): in a short word one letter changed makes another name. ``1`` or ``0``."""
    if single_word_typo(p) == 0.0:
        return 0.0
    short, _ = p.fewer_distinctive
    return 1.0 if len(short[0]) < 8 else 0.0


def single_word_spelling(p: PairV2) -> float:
    """:func:`single_word_typo` where the one word and its partner are spelt alike once the
    letters Latin transliterations write for one letter are read as one
    (:func:`~bidvet.screening.spellings.cross_script_spelling`: ``c``/``k``, ``w``/``v``,
    ``y``/``i``, ``kh``/``h``, ``x``/``ks``, doubled letters): ``Elekond`` / ``Elecond``,
    ``Megakom`` / ``Megacom``, ``Favaris`` / ``Fawaris`` — one name written two ways more often
    than a slip, though two companies may be spelt so too (``Acuta`` / ``Akuta``); fitted
    like the rest. ``1`` or ``0``."""
    if single_word_typo(p) == 0.0:
        return 0.0
    short, other = p.fewer_distinctive
    key = cross_script_spelling(short[0])
    return 1.0 if any(cross_script_spelling(o) == key for o in other.words) else 0.0


def shared_rarity(p: PairV2) -> float:
    """The :func:`word_rarity` of the rarest distinctive word of the query that found a
    partner in the listed name: sharing ``Hikvision`` says more than sharing ``Bank``."""
    qm = p.alignment[0]
    return max(
        (
            word_rarity(w)
            for w, r, m in zip(p.query.words, p.query.roles, qm, strict=True)
            if m and r == "distinctive"
        ),
        default=0.0,
    )


def extra_rarity(p: PairV2) -> float:
    """The :func:`word_rarity` of the rarest distinctive word, on either side, without a
    partner: a rare word left over names another company. ``0`` when none is left over."""
    out = 0.0
    for name, matched in zip((p.query, p.candidate), p.alignment, strict=True):
        for w, r, m in zip(name.words, name.roles, matched, strict=True):
            if not m and r == "distinctive":
                out = max(out, word_rarity(w))
    return out


def rare_coverage(p: PairV2) -> float:
    """Share of the words, each weighed by its :func:`word_rarity` (a floor of 0.05), that
    found a partner on the other side; the smaller of the two sides."""
    out = 1.0
    for name, matched in zip((p.query, p.candidate), p.alignment, strict=True):
        weights = [max(word_rarity(w), 0.05) for w in name.words]
        total = sum(weights)
        hit = sum(w for w, m in zip(weights, matched, strict=True) if m)
        out = min(out, hit / total if total else 0.0)
    return out


def same_words(p: PairV2) -> float:
    """The two names have exactly the same words, in any order: ``1`` or ``0``."""
    return 1.0 if sorted(p.query.words) == sorted(p.candidate.words) else 0.0


def query_closes_name(p: PairV2) -> float:
    """The query is one distinctive word alone (no generic word with it) and meets the last
    word of the listed name, which has a distinctive word of its own before it (``Integra``
    against ``Ostek-Integra``): a word that closes another name, typed alone, often names a
    different company, while a word that opens the listed name (``Huawei``) or keeps a
    generic word after it (``Dahua Technology``) is how an officer shortens a name; the
    training set's partial names follow the same rule. A legal-form abbreviation left in a
    name (:func:`~bidvet.screening.canonical.legal_word`: ``ao`` in ``АО "ШВАБЕ"``) is not
    such a word. ``1`` or ``0``."""
    if _inside(p) != "query" or "generic" in p.query.roles:
        return 0.0
    words = p.query.of_role("distinctive", "number")
    if len(words) != 1:
        return 0.0
    kept = [i for i, r in enumerate(p.candidate.roles) if r != "stop"]
    if len(kept) < 2 or not word_agrees(words[0], p.candidate.words[kept[-1]]):
        return 0.0
    before = zip(p.candidate.words[: kept[-1]], p.candidate.roles[: kept[-1]], strict=True)
    return 1.0 if any(r == "distinctive" and not legal_word(w) for w, r in before) else 0.0


def common_word_typo(p: PairV2) -> float:
    """:func:`single_word_typo` weighed by how common the listed word is (``1 -``
    :func:`word_rarity` of the listed word the one word meets): a slip away from a word many
    listed names use (``InstrumentC`` / ``Instrument``) is as likely another name built on
    that word as a typo, while a slip in a rare listed word is most likely a typo. The rarity
    is read on the listed side because a typed slip makes any word look rare. ``0`` to ``1``."""
    if single_word_typo(p) == 0.0:
        return 0.0
    q = p.query.of_role("distinctive", "number")
    c = p.candidate.of_role("distinctive", "number")
    if len(q) > len(c):  # the listed name is the one word
        return 1.0 - word_rarity(c[0])
    return 1.0 - max(word_rarity(o) for o in p.candidate.words if word_meets(q[0], o, p.sound))


def other_wording(p: PairV2) -> float:
    """Words on either side whose only partner on the other side is the same term written
    another way (:func:`~bidvet.screening.terms.same_term`: ``Okean Elektroniki`` / ``Ocean
    Electronics``, ``Zavod Fiolent`` / ``Fiolent Plant``), 0 to 3 scaled to ``[0, 1]``: weaker
    evidence than the same word, and a generic term (``plant``, ``bank``) shared in two
    languages says little."""
    n = sum(
        1
        for name, other in ((p.query, p.candidate), (p.candidate, p.query))
        for _ in _other_partners(name, other, p.sound)
    )
    return min(n, 3) / 3.0


#: the lengths of a word :func:`short_word_slip` reads a slip in (longer words are met
#: through :func:`tolerated_edits` already)
SHORT_SLIP_LENGTHS = (3, 4)


def short_word_slip(p: PairV2) -> float:
    """A short word left without a partner that is a typed slip of a short word left over on
    the other side: one edit apart (:func:`tolerated_edits` tolerates none up to four
    letters), the slipped word known neither to the lists' names (not stored in the word
    frequencies) nor to English text, the other known to one of them (``ANSAR BAxK`` /
    ``ANSAR BANK``, ``ALLAN GRANGE vARM`` / ``… FARM``). Two listed companies whose short
    words differ by a letter write real words on both sides (``ALFA`` / ``ALGA``). ``1`` or
    ``0``."""
    q_left, c_left = ([w for w, _ in side] for side in p.left_over)
    if not (q_left and c_left):
        return 0.0
    low, high = SHORT_SLIP_LENGTHS
    for slipped, other in ((q_left, c_left), (c_left, q_left)):
        for w in slipped:
            if not (low <= len(w) <= high and w.isalpha()) or _known_word(w):
                continue
            for o in other:
                if (
                    o.isalpha()
                    and abs(len(o) - len(w)) <= 1
                    and _known_word(o)
                    and OSA.distance(w, o) == 1
                ):
                    return 1.0
    return 0.0


def _known_word(word: str) -> bool:
    """``word`` is stored in the lists' word frequencies or is a word of English text."""
    return word in word_frequencies().counts or zipf(word) > 0


def word_commonness(word: str) -> float:
    """How common ``word`` is in English text, ``0`` (Zipf :data:`COMMON_ZIPF` [0] or less:
    ``hikvision``, ``nuctech``) to ``1`` (Zipf :data:`COMMON_ZIPF` [1] or more: ``star``,
    ``city``); ``amber`` (3.97) reads 0.74."""
    low, high = COMMON_ZIPF
    return min(max((zipf(word) - low) / (high - low), 0.0), 1.0)


def shared_common(p: PairV2) -> float:
    """How common in English text the words are that tie the two names: of the distinctive
    words of the query that found a partner in the listed name, the least common
    (:func:`word_commonness`; a word counts as common as its partner when that is commoner,
    so ``Streem`` meeting ``Street`` reads as ``street``). Sharing a coined word
    (``Hikvision``) says more than sharing a dictionary word that many unrelated companies
    are named with (``Amber Technology`` / ``Amber Sun``, ``Star Group`` / ``Star Aviation
    Group``), though both are rare in the lists. ``0`` when no distinctive word is shared."""
    qm = p.alignment[0]
    return min(
        (
            max(
                [word_commonness(w)]
                + [word_commonness(o) for o in p.candidate.words if word_meets(w, o, p.sound)]
            )
            for w, r, m in zip(p.query.words, p.query.roles, qm, strict=True)
            if m and r == "distinctive"
        ),
        default=0.0,
    )


#: every v2 feature by name; ``name_model_v2.yaml`` weighs them
FEATURES_V2: Mapping[str, Callable[[PairV2], float]] = {
    f.__name__: f
    for f in (
        text_similarity,
        compact_similarity,
        sorted_similarity,
        distinctive_coverage,
        exact_coverage,
        extra_distinctive,
        extra_generic,
        partial_name,
        partial_one_word,
        leading_extra,
        word_typos,
        one_word_inexact,
        single_word_typo,
        short_inexact,
        series_conflict,
        acronym,
        legal_form_conflict,
        first_word_agrees,
        same_words,
        query_coverage,
        candidate_coverage,
        query_inside,
        candidate_inside,
        both_extra,
        loose_coverage,
        query_inside_one_word,
        candidate_inside_one_word,
        query_inside_one_word_formed,
        short_single_word_typo,
        single_word_spelling,
        shared_rarity,
        extra_rarity,
        rare_coverage,
        query_closes_name,
        common_word_typo,
        other_wording,
        shared_common,
        short_word_slip,
    )
}


def feature_vector(p: PairV2) -> list[float]:
    """Every feature of ``p`` in :data:`FEATURES_V2` order."""
    return [f(p) for f in FEATURES_V2.values()]
