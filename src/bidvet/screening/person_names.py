"""Patronymics in people's names, as matcher v2 reads them.

The lists write Russian, Ukrainian and Belarusian names with the patronymic, the father's given
name made a middle name (``Dmitriy Andreevich ARTYUKHOV``, ``ARTYUKHOV, Dmitriy Andreevich``);
company registers, ownership filings and a typed query usually leave it out (``Dmitriy
Artyukhov``). Read as a distinctive word, the missing patronymic cost such a pair most of its
score (0.30: no match). Read as what it is, a patronymic weighs as a generic word
(:mod:`bidvet.screening.canonical`), so a name without one still matches; and two names that both
carry one, with none in common, are two people (father and son share a surname, brothers a
patronymic): :func:`patronymics_disagree` holds such a pair below the threshold
(:func:`bidvet.screening.score.typo_limits`).

Only a word *placed* as a patronymic counts: in a name of three words or more, a word with a
patronymic ending between the first and the last word, or the last word when the surname comes
first before a comma. ``Roman Abramovich`` (two words) is a given name and a surname.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from rapidfuzz.distance import OSA

#: patronymic endings as the lists transliterate them: Russian -ovich/-evich/-ovna/-evna/
#: -ichna, Ukrainian -ovych/-evych/-ivna, and the short forms of a few fathers' names (Ilyich,
#: Kuzmich, Fomich, Lukich, Nikitich, Savvich)
PATRONYMIC = re.compile(
    r"^[a-z]{2,}(?:ovich|evich|ovych|evych|ovna|evna|ivna|ichna)$"
    r"|^(?:ilyich|ilich|iljich|kuzmich|fomich|lukich|nikitich|savvich)$"
)


def patronymic_positions(words: Sequence[str], original: str) -> frozenset[int]:
    """Positions of the words of a name (folded, as :mod:`~bidvet.screening.canonical` reads
    it) that are placed and spelt as a patronymic; see the module docstring."""
    if len(words) < 3:
        return frozenset()
    found = {i for i in range(1, len(words) - 1) if PATRONYMIC.match(words[i])}
    surname_first = "," in original and original.index(",") < len(original.rstrip()) - 1
    if surname_first and PATRONYMIC.match(words[-1]):
        found.add(len(words) - 1)
    return frozenset(found)


def patronymics(words: Sequence[str], original: str) -> frozenset[str]:
    """The patronymics of a name (:func:`patronymic_positions`) as words."""
    return frozenset(words[i] for i in patronymic_positions(words, original))


#: transliterations of one patronymic told apart only by these spellings read alike
_SPELLINGS = (("ks", "x"), ("yev", "ev"), ("iev", "ev"), ("jev", "ev"), ("kh", "h"), ("j", "y"))
#: two patronymics whose spellings (:data:`_SPELLINGS` applied) are at least this alike (OSA
#: normalised similarity) are one: ``sergeevich`` / ``sergeyevich``, ``alekseevich`` /
#: ``alexeyevich``
SAME_PATRONYMIC = 0.8


def _spelling(word: str) -> str:
    for old, new in _SPELLINGS:
        word = word.replace(old, new)
    return word


def same_patronymic(a: str, b: str) -> bool:
    """Two patronymics are one, however the lists transliterated it."""
    return OSA.normalized_similarity(_spelling(a), _spelling(b)) >= SAME_PATRONYMIC


def patronymics_conflict(ours: Collection[str], theirs: Collection[str]) -> bool:
    """Both sides carry a patronymic and none of one is a spelling of one of the other."""
    return bool(ours and theirs) and not any(same_patronymic(x, y) for x in ours for y in theirs)


def patronymics_disagree(
    a: Sequence[str], a_original: str, b: Sequence[str], b_original: str
) -> bool:
    """Both names carry a patronymic and none of one is a spelling of one of the other: two
    people (``Ivan Sergeevich PETROV`` and ``Ivan Andreevich PETROV``). The screening matcher
    reads a listed person's patronymics from all the entity's names, so an alias written
    without one does not hide them (:meth:`bidvet.screening.matcher.Matcher.entity_patronymics`)."""
    return patronymics_conflict(patronymics(a, a_original), patronymics(b, b_original))
