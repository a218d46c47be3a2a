"""Name-pair features. Each feature is a named function; its docstring is its explanation.

A feature reads a :class:`Pair` (query name, candidate name, and what is known around them) and
returns a number in ``[0, 1]`` or, for agreement features, in ``[-1, 1]`` (``-1`` disagreement,
``0`` unknown, ``1`` agreement). :mod:`bidvet.screening.score` weighs them into a calibrated score;
the weights live in ``screening.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from bidvet.screening.normalize import NormalName


def allowed_edits(length: int) -> int:
    """Typos tolerated in a word of ``length`` letters (the longer spelling): none up to 4,
    one up to 9, then two. In shorter words one changed letter makes another word.
    """
    if length <= 4:
        return 0
    if length <= 9:
        return 1
    return 2


def _swapped(a: str, b: str) -> bool:
    """``b`` is ``a`` with two adjacent letters swapped ("iran" / "iarn")."""
    if len(a) != len(b) or sorted(a) != sorted(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1


def same_word(a: str, b: str) -> bool:
    """Equal, or within :func:`allowed_edits` typos (an adjacent swap counts as one).

    Words of three or four letters tolerate only an adjacent swap, the commonest slip of the
    fingers, which rarely turns one short word into another.
    """
    if a == b:
        return True
    limit = allowed_edits(max(len(a), len(b)))
    if limit == 0:
        return len(a) >= 3 and _swapped(a, b)
    return OSA.distance(a, b, score_cutoff=limit) <= limit


def _unit_idf(_token: str) -> float:
    return 1.0


def _near(word: str, legal_word: str) -> bool:
    """A word is a legal-form word of the other name, or that word with one typo."""
    return word == legal_word or (
        min(len(word), len(legal_word)) >= 3 and OSA.distance(word, legal_word, score_cutoff=1) <= 1
    )


def _aligned(core: tuple[str, ...], other: NormalName) -> tuple[str, ...]:
    """``core`` without the words that are legal-form words of ``other`` (typos included).

    rigour's legal-form table misses a misspelt form ("LIMITDE", "OGRANICHENNNOI"), which then
    stays in the core. When the other name has that form, the stray word is dropped here.
    """
    other_core = set(other.tokens)
    legal = [w for w in other.folded.split() if w not in other_core]
    if not legal:
        return core
    kept = tuple(t for t in core if t in other_core or not any(_near(t, w) for w in legal))
    return kept or core


@dataclass(frozen=True)
class Pair:
    """A query name and a candidate name, with the context the features may use.

    ``query_words`` / ``candidate_words`` are the cores aligned against each other (see
    :func:`_aligned`); the name features compare those.
    """

    query: NormalName
    candidate: NormalName
    query_country: str | None = None
    candidate_countries: frozenset[str] = field(default_factory=frozenset)
    candidate_kind: str = "primary"
    idf: Callable[[str], float] = _unit_idf

    @cached_property
    def query_words(self) -> tuple[str, ...]:
        return _aligned(self.query.tokens, self.candidate)

    @cached_property
    def candidate_words(self) -> tuple[str, ...]:
        return _aligned(self.candidate.tokens, self.query)


def name_similarity(p: Pair) -> float:
    """Edit similarity of the two names' cores (legal forms and generic words removed).

    Levenshtein-based (rapidfuzz ``ratio``): one typo in a 20-letter name still gives 0.95. A
    misspelt legal form the other name has is not counted against the match (see ``Pair``).
    """
    return float(fuzz.ratio(" ".join(p.query_words), " ".join(p.candidate_words))) / 100.0


def token_set_similarity(p: Pair) -> float:
    """Edit similarity of the cores with their words sorted, so word order does not matter.

    ``"Hikvision Hangzhou"`` and ``"Hangzhou Hikvision"`` agree fully here.
    """
    q, c = " ".join(p.query_words), " ".join(p.candidate_words)
    return float(fuzz.token_sort_ratio(q, c)) / 100.0


def _covered(tokens: tuple[str, ...], other: tuple[str, ...], idf: Callable[[str], float]) -> float:
    total = 0.0
    hit = 0.0
    for tok in tokens:
        weight = idf(tok)
        total += weight
        if tok in other or any(same_word(tok, o) for o in other):
            hit += weight
    return hit / total if total else 0.0


def token_coverage(p: Pair) -> float:
    """Share of the distinctive words found on both sides, the rarer words weighing more.

    Each word must find itself, or itself with a tolerated typo (:func:`allowed_edits`), in the
    other name; words are weighted by their rarity in the index (IDF), so sharing "trading" and
    "international" counts for little and sharing "hikvision" for a lot. The smaller of the two
    sides' coverage is returned: a name is not matched by a longer name that merely contains
    its common words.
    """
    q, c = p.query_words, p.candidate_words
    if not q or not c:
        return 0.0
    return min(_covered(q, c, p.idf), _covered(c, q, p.idf))


def edit_count(p: Pair) -> float:
    """How many letters differ between the cores: 0, 1/3, 2/3 or 1 (three or more edits).

    Counts insertions, deletions, substitutions and adjacent swaps (optimal string alignment),
    on the words as written or sorted, whichever is closer (word order is not a typo).
    An officer's typo is one edit; another company's name sharing common words is usually
    several ("KLAS Enterprises" vs "LORA Enterprises" is three).
    """
    q, c = p.query_words, p.candidate_words
    d = min(
        OSA.distance(" ".join(q), " ".join(c), score_cutoff=3),
        OSA.distance(" ".join(sorted(q)), " ".join(sorted(c)), score_cutoff=3),
    )
    return min(d, 3) / 3.0


def single_word_inexact(p: Pair) -> float:
    """The core is one word and the two cores are not the same: ``1``, else ``0``.

    With nothing else in the name to anchor it, a one-word name one letter away from a listed
    one is as likely another company ("Integra" vs "Integral") as a typo.
    """
    q, c = p.query_words, p.candidate_words
    if q == c:
        return 0.0
    return 1.0 if len(q) == 1 or len(c) == 1 else 0.0


def legal_form_agreement(p: Pair) -> float:
    """Do the legal forms agree? ``1`` same form, ``-1`` different forms, ``0`` one is unknown.

    A changed suffix (``Ltd`` for ``LLC``) is a common typing variant, so this feature is weak;
    it separates ``"X AG"`` from ``"X Inc"`` only when the names are otherwise close.
    """
    if not p.query.forms or not p.candidate.forms:
        return 0.0
    return 1.0 if p.query.forms & p.candidate.forms else -1.0


def _initials(tokens: tuple[str, ...]) -> str:
    return "".join(t[0] for t in tokens if t)


def acronym(p: Pair) -> float:
    """One name is the acronym of the other (``IRGC`` ↔ ``Islamic Revolutionary Guard Corps``).

    Needs at least three letters and at least three words on the long side; ``1`` or ``0``.
    """
    for short, long_ in ((p.query, p.candidate), (p.candidate, p.query)):
        st, lt = short.tokens, long_.tokens
        if len(st) == 1 and len(lt) >= 3 and len(st[0]) >= 3 and st[0] == _initials(lt):
            return 1.0
        folded_long = tuple(long_.folded.split())
        if len(st) == 1 and len(folded_long) >= 3 and st[0] == _initials(folded_long):
            return 1.0
    return 0.0


def country_agreement(p: Pair) -> float:
    """Does the country given with the query agree with the entity's countries?

    ``1`` when the entity is linked to that country, ``-1`` when it has countries and none is
    that one, ``0`` when either side is unknown.
    """
    if not p.query_country or not p.candidate_countries:
        return 0.0
    return 1.0 if p.query_country.lower() in p.candidate_countries else -1.0


def weak_alias(p: Pair) -> float:
    """The matched name is a weak alias (the list itself marks it as a low-quality AKA): ``1``."""
    return 1.0 if p.candidate_kind == "weak" else 0.0


#: every feature by name; ``screening.yaml`` weighs them
FEATURES: Mapping[str, Callable[[Pair], float]] = {
    f.__name__: f
    for f in (
        name_similarity,
        token_set_similarity,
        token_coverage,
        edit_count,
        single_word_inexact,
        legal_form_agreement,
        acronym,
        country_agreement,
        weak_alias,
    )
}
