"""One spelling for the common Latin transliterations of a Russian (Cyrillic) personal name.

The lists, registers and officers write the same Cyrillic name in several transliteration
systems (BGN/PCGN, ISO 9, passport, German and Scandinavian styles): ``Aleksey``, ``Alexey`` and
``Aleksej``; ``Dmitriy``, ``Dmitry``, ``Dmitrij`` and ``Dmitrii``; ``Yevgeniy`` and ``Evgeny``.
Read letter by letter each pair is two or three edits apart: another name to the matcher.
When matcher v2 compares a query with a listed **person**, both names are read through
:func:`respelt` (:func:`as_person`), so the variants of one transliteration are one word
(:meth:`bidvet.screening.matcher.Matcher.rescore`). Organisation names are not: the rules
below would join English words too, and the fitted model was measured to lose on them (three
more false positives on the real supplier names).

The rules only join spellings the systems produce for one Cyrillic letter or ending:

* ``ks`` → ``x`` (кс: Aleksey / Alexey), not at the end of a word;
* ``tj``, ``sj``, ``zj`` → ``ch``, ``sh``, ``zh`` (ч, ш, ж in the Swedish transliteration
  the EU list gives: Viktorovitj / Viktorovich, Misjonova / Mishonova), not at the start;
* ``kh`` → ``h`` (х: Mikhail / Mihail), and ``kkh`` too (кх: Bekkhan / Bekhan);
* ``j`` → ``y`` (й: Aleksej / Aleksey, Dmitrij / Dmitriy), not at the start of a word;
* ``ia``, ``iya``, ``iia`` → ``ya`` and ``iu``, ``iyu``, ``iiu`` → ``yu`` (я, ю, and ия after a
  consonant, as BGN/PCGN and the ICAO passport system write them: Yampolskaya / Yampolskaia,
  Artyukhov / Artiukhov, Natalya / Natalia / Nataliya / Nataliia, Lyudmila / Liudmila);
* ``i`` → ``y`` after ``a`` or ``e`` before a consonant, and after ``a``, ``e`` or ``o`` at
  the end (-ай, -ей, -ой, й: Andrei / Andrey, Taimazov / Taymazov, Khinshtein / Khinshteyn);
* ``ye``, ``ie``, ``iye`` → ``e`` inside a word (е after a vowel, ь or и, and the soft sign
  the lists often leave out: Grigoryev / Grigoriev / Grigorev, Timofeyeva / Timofeieva,
  Bugayenko / Bugaienko, Matviyenko / Matvienko), and ``ye`` → ``e`` at the start before
  ``v``, ``g``, ``k``, ``f`` or ``r`` (Yevgeniy / Evgeniy, Yegor / Egor);
* the endings ``iy``, ``yy``, ``ii``, ``yi`` → ``y`` (-ий, -ый: Dmitriy / Dmitrii / Dmitry).

``ch`` is left alone: English transliteration writes ч with it and German х. Words shorter
than four letters are left alone too.

**Across scripts** (:func:`cross_script`), for every kind of name: when one name is written
in Cyrillic, Greek or Arabic letters (read through rigour's transliteration) and the other in
Latin ones, both are read in one spelling of the letters Latin names write for one letter of
the other script (:data:`CROSS_SCRIPT_RULES`: ``Новелко`` / ``Novelco``, ``Акута`` /
``Acuta``); letters that write two different letters there stay apart (``Zakharov`` /
``Сахаров``), and between two names in one script the folds would join different words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from bidvet.screening.canonical import CanonName
from bidvet.screening.renderings import SCRIPTS as RENDERED
from bidvet.screening.renderings import renders, source_words

#: the roles of the words read in another spelling: a name's own words, not its stop words or
#: numbers
_SPELT_ROLES = ("distinctive", "generic")
#: (pattern, replacement), applied in this order
RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"ks(?!$)"), "x"),
    (re.compile(r"(?<=.)tj"), "ch"),
    (re.compile(r"(?<=.)([sz])j"), r"\1h"),
    (re.compile("k?kh"), "h"),
    (re.compile(r"(?<=.)j"), "y"),
    (re.compile(r"(?:iy|ii|i)(?=[au])"), "y"),
    (re.compile(r"(?<=[ae])i(?=[^aeiouy])|(?<=[aeo])i$"), "y"),
    (re.compile(r"(?<=.)[iy]+e"), "e"),
    (re.compile(r"^ye(?=[vgkfr])"), "e"),
    (re.compile(r"(?:iy|yy|ii|yi)$"), "y"),
)


@lru_cache(maxsize=262144)
def spelling(word: str) -> str:
    """``word`` (lower-case ASCII) with the transliteration variants of :data:`RULES` made
    one; a word of fewer than four letters, or with a digit, as it is."""
    if len(word) < 4 or not word.isalpha():
        return word
    for pattern, replacement in RULES:
        word = pattern.sub(replacement, word)
    return word


def respelt(name: CanonName) -> CanonName:
    """``name`` with its distinctive and generic words (a patronymic weighs as generic) in
    one spelling (:func:`spelling`), the change said in its readings; ``name`` itself when
    nothing changes."""
    return _respelt_by(name, spelling, "transliteration")


def as_person(name: CanonName) -> CanonName:
    """``name`` read as a person's name, as matcher v2 compares a query with a listed person:
    in one spelling of its Cyrillic transliterations (:func:`respelt`) and marked
    :attr:`~bidvet.screening.canonical.CanonName.person`."""
    return replace(respelt(name), person=True)


def _respelt_by(name: CanonName, spell: Callable[[str], str], reading: str) -> CanonName:
    """``name`` with its distinctive and generic words passed through ``spell``, the change
    said in its readings under ``reading``; ``name`` itself when nothing changes."""
    words = tuple(
        spell(w) if r in _SPELT_ROLES else w for w, r in zip(name.words, name.roles, strict=True)
    )
    if words == name.words:
        return name
    changed = [f"{a!r} read as {b!r}" for a, b in zip(name.words, words, strict=True) if a != b]
    return replace(
        name, words=words, readings=(*name.readings, f"{reading}: " + ", ".join(changed))
    )


#: the other direction, for finding candidates: a typed ``x`` may be listed as ``ks``, an ``h``
#: after a vowel or at the start as ``kh``, a final ``-y`` after a consonant as ``-iy``, a
#: final ``-ai``/``-ei`` as ``-ay``/``-ey`` (``Alexandrovich`` → ``Aleksandrovich``,
#: ``Zaharov`` → ``Zakharov``, ``Dmitry`` → ``Dmitriy``, ``Nikolai`` → ``Nikolay``)
OTHER_WAY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=.)x"), "ks"),
    (re.compile(r"(?:(?<=[aeiouy])|^)h"), "kh"),
    (re.compile(r"(?<=[bcdfglmnprstvz])y$"), "iy"),
    (re.compile(r"(?<=[ae])i$"), "y"),
)


def other_spelling(words: Sequence[str]) -> list[str]:
    """``words`` written the other common way where a rule of :data:`OTHER_WAY` applies: a
    second query for the candidate index, which holds names as the lists spell them (the
    matcher then compares both sides in one spelling, :func:`respelt`)."""
    out = []
    for word in words:
        if len(word) >= 4 and word.isalpha():
            for pattern, replacement in OTHER_WAY:
                word = pattern.sub(replacement, word)
        out.append(word)
    return out


#: scripts whose names are read through a Latin transliteration (rigour's), so a Latin name of
#: the same company may spell a letter another way
TRANSLITERATED = frozenset({"cyrillic", "greek", "arabic"})
#: (pattern, replacement) in this order: the spellings Latin names give **one** letter of the
#: other script (х: ``kh``, ``h``; к: ``k``, ``c``, ``q``, ``ck``; в: ``v``, ``w``; ф: ``f``,
#: ``ph``; й/и/ы: ``y``, ``i``, ``j``; кс: ``ks``, ``x``), and doubled letters written once.
#: Letters that write two letters of the other script are left apart: ``z``/``s`` (з, с:
#: Zakharov and Sakharov are two names), ``sh``/``ch``/``kh`` (ш, ч, х: Sharov, Charov and
#: Kharov), so ``c`` before ``h`` stays ``c``.
CROSS_SCRIPT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile("x"), "ks"),
    (re.compile("ph"), "f"),
    (re.compile("kh"), "h"),
    (re.compile("ck|q|c(?!h)"), "k"),
    (re.compile("w"), "v"),
    (re.compile("[yj]"), "i"),
    (re.compile(r"(.)\1"), r"\1"),
)


def _rendered(name: CanonName, other: CanonName) -> CanonName:
    """``name`` (in a script :func:`~bidvet.screening.renderings.renders` reads) with each
    distinctive or generic word that a word of the Latin name ``other`` spells read as that
    word, the change said in its readings; ``name`` itself when there is none, and when
    either is read as a person's name."""
    if name.script not in RENDERED or other.script != "latin" or name.person or other.person:
        return name
    sources = source_words(name.original)
    latin = other.of_role(*_SPELT_ROLES)
    words = list(name.words)
    changed = []
    for i, (word, role) in enumerate(zip(name.words, name.roles, strict=True)):
        source = sources.get(word)
        if source is None or role not in _SPELT_ROLES or word in latin:
            continue
        spelt = next((w for w in latin if renders(source, w, name.script)), None)
        if spelt is not None:
            words[i] = spelt
            changed.append(f"{source!r} written {spelt!r}")
    if not changed:
        return name
    reading = "cross-script rendering: " + ", ".join(changed)
    return replace(name, words=tuple(words), readings=(*name.readings, reading))


@lru_cache(maxsize=262144)
def cross_script_spelling(word: str) -> str:
    """``word`` with the spellings of :data:`CROSS_SCRIPT_RULES` made one: ``novelco`` and the
    transliterated ``novelko`` (Новелко), ``acuta`` and ``akuta`` (Акута), ``mihail`` and
    ``mikhail`` read alike. A word of fewer than four letters, or with a digit, as it is."""
    if len(word) < 4 or not word.isalpha():
        return word
    for pattern, replacement in CROSS_SCRIPT_RULES:
        word = pattern.sub(replacement, word)
    return word


def cross_script(query: CanonName, candidate: CanonName) -> tuple[CanonName, CanonName]:
    """The two names in one spelling (:func:`cross_script_spelling`) when one was written in a
    script read through transliteration (:data:`TRANSLITERATED`) and the other in Latin
    letters: a transliteration and the company's own Latin name differ in such letters by
    design, not by a slip. First, a word of the Cyrillic or Greek name that a Latin word of
    the other is a spelling of, read from its own letters
    (:func:`~bidvet.screening.renderings.renders`: ``ЭШЕЛОН`` / ``Echelon``, ``Нтехлаб`` /
    ``NtechLab``), is read as that Latin word. Names in one script are compared as written
    (among Latin names these folds would join different words: ``Acuta`` and ``Akuta`` may be
    two companies; a one-word name spelt so is weighed by the fitted
    :func:`~bidvet.screening.features_v2.single_word_spelling`)."""
    scripts = {query.script, candidate.script}
    if "latin" not in scripts or not scripts & TRANSLITERATED:
        return query, candidate
    query, candidate = _rendered(query, candidate), _rendered(candidate, query)
    return (
        _respelt_by(query, cross_script_spelling, "cross-script spelling"),
        _respelt_by(candidate, cross_script_spelling, "cross-script spelling"),
    )
