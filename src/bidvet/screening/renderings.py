"""Whether a Latin word is one of the ways Latin names write a Cyrillic or Greek word.

rigour transliterates a name by one system (``ЭШЕЛОН`` → ``eshelon``, ``Нтехлаб`` →
``ntehlab``, ``Χαμάς`` → ``chamas``), while the company's own Latin name, a list in another
language or an officer writes it by another: ``Echelon`` (ш as the French write it),
``NtechLab`` (х as the Germans do), ``Hamas``. Read letter by letter against rigour's
spelling each is a slip in a one-word name, which matcher v2 reads as another company.

:func:`renders` reads the word from its own letters instead: a Latin word is a rendering of
a source word when it is made, in order, of one of the spellings the transliteration
systems in use give each of its letters (:data:`CYRILLIC`, :data:`GREEK`: national systems,
BGN/PCGN, ISO 9, ICAO passports, the German, French, Polish and Scandinavian styles, ELOT 743
for Greek), a spelling's last letter written twice allowed (``Bossco``). The tables give
every letter its own spellings only: a Latin ``kh`` is never read as ш, nor ``z`` as с, so
``Zakharov`` and ``Сахаров`` stay two names. Spellings that are another letter's usual one
are left out where a letter of the other name would read as a different name: з as the German
``s`` (``Zima`` and ``Sima`` are two surnames; between two vowels it is read so, as an English
``s`` there is written з: :data:`BETWEEN_VOWELS`), ш and ж as ``s`` and ``z`` without their
háčeks, ч and с as ``c``, в as ``f``, г as the Ukrainian ``h``; ш and х keep ``ch`` (the
French and German ways: ``Echelon``, ``NtechLab``), as к keeps ``c`` (``Acuta``). Matcher v2
reads organisation names so, not people's (:func:`~bidvet.screening.spellings.cross_script`),
whose surnames differ by such a letter more often than companies' names do. Arabic script is
not read so: its words are written without most vowels, so its Latin spellings are not a
choice per letter.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bidvet.screening.normalize import fold, to_ascii

#: the Latin spellings of each Cyrillic letter (Russian, Ukrainian, Belarusian, Bulgarian,
#: Serbian and Macedonian); longer keys are read before their first letter alone. ``тех`` is
#: the root of technology (техника, технологии), which Latin names write as the Latin root
#: ``tec``, without the ``h`` the letter х would give: ``Ростех`` is ``Rostec``, the state
#: corporation's own Latin name, ``Техмаш`` the concern ``Tecmash``
CYRILLIC: dict[str, tuple[str, ...]] = {
    "а": ("a",),
    "б": ("b",),
    "в": ("v", "w"),
    "г": ("g",),
    "ґ": ("g",),
    "д": ("d",),
    "ђ": ("dj", "d", "gj"),
    "е": ("e", "ye", "je", "ie"),
    "ё": ("e", "yo", "jo", "io"),
    "є": ("ye", "je", "ie", "e"),
    "ж": ("zh", "j", "zs"),
    "з": ("z",),
    "ѕ": ("dz", "z"),
    "и": ("i", "y"),
    "і": ("i", "y"),
    "ї": ("yi", "ji", "i"),
    "й": ("y", "i", "j", ""),
    "ј": ("j", "y"),
    "к": ("k", "c", "ck", "q"),
    "кс": ("ks", "x", "cs"),
    "л": ("l",),
    "љ": ("lj", "l"),
    "м": ("m",),
    "н": ("n",),
    "њ": ("nj", "n"),
    "о": ("o",),
    "п": ("p",),
    "р": ("r",),
    "с": ("s",),
    "т": ("t",),
    "ћ": ("c", "ch", "tj"),
    "у": ("u", "ou", "oo"),
    "ў": ("u", "w"),
    "ф": ("f", "ph"),
    "х": ("kh", "h", "ch", "x"),
    "ц": ("ts", "c", "tz", "cz", "tc"),
    "ч": ("ch", "tch", "tsch", "cz", "tsh"),
    "џ": ("dzh", "dz", "dj"),
    "ш": ("sh", "ch", "sch", "sz", "sj"),
    "щ": ("shch", "sch", "sc", "sht", "szcz", "schtsch", "stch"),
    "ъ": ("", "a", "u"),
    "ы": ("y", "i"),
    "ь": ("", "i", "y", "j"),
    "э": ("e",),
    "ю": ("yu", "iu", "ju", "u", "you", "ou"),
    "я": ("ya", "ia", "ja", "a"),
    "тех": ("tec",),
    "ий": ("iy", "y", "i", "ij", "ii", "yi"),
    "ый": ("yy", "y", "iy", "yi", "ij", "i"),
}

#: the Latin spellings of each Greek letter, accents removed (ELOT 743 and the older ways)
GREEK: dict[str, tuple[str, ...]] = {
    "α": ("a",),
    "β": ("v", "b"),
    "γ": ("g", "gh", "y"),
    "δ": ("d", "th", "dh"),
    "ε": ("e",),
    "ζ": ("z",),
    "η": ("i", "e"),
    "θ": ("th",),
    "ι": ("i", "y"),
    "κ": ("k", "c"),
    "λ": ("l",),
    "μ": ("m",),
    "ν": ("n",),
    "ξ": ("x", "ks"),
    "ο": ("o",),
    "π": ("p",),
    "ρ": ("r", "rh"),
    "σ": ("s",),
    "τ": ("t",),
    "υ": ("y", "i", "u"),
    "φ": ("f", "ph"),
    "χ": ("ch", "h", "kh", "x"),
    "ψ": ("ps",),
    "ω": ("o",),
    "αι": ("ai", "e"),
    "ει": ("ei", "i"),
    "οι": ("oi", "i"),
    "ου": ("ou", "u"),
    "αυ": ("av", "af", "au"),
    "ευ": ("ev", "ef", "eu"),
    "μπ": ("mp", "b"),
    "ντ": ("nt", "d"),
    "γκ": ("gk", "g", "nk"),
    "γγ": ("ng", "gg"),
}

#: spellings a Cyrillic letter has between two vowels only: the ``s`` of a Latin name between
#: two vowels is voiced, and written з when the name is written in Cyrillic (``Бизон`` for
#: ``Bison``, ``Оазис`` for ``Oasis``, ``Визион`` for ``Vision``); elsewhere з stays ``z``
#: (``Zima`` and ``Sima`` are two surnames)
BETWEEN_VOWELS: dict[str, tuple[str, ...]] = {"з": ("s",)}
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяєіїў")

_TABLES = {"cyrillic": CYRILLIC, "greek": GREEK}
#: the key lengths of the tables, longest first
_SIZES = tuple(sorted({len(k) for t in _TABLES.values() for k in t}, reverse=True))
#: the scripts :func:`renders` reads
SCRIPTS = frozenset(_TABLES)
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def source_words(original: str) -> dict[str, str]:
    """The words of ``original`` written in a script of :data:`SCRIPTS`, by the folded
    transliteration matcher v2 reads them as (``{"eshelon": "эшелон"}`` for ``АО «ЭШЕЛОН»``);
    a word whose transliteration folds to more than one word, or two words folding to one
    transliteration, are left out."""
    found: dict[str, str] = {}
    split: set[str] = set()
    for token in _WORD.findall(original.lower()):
        if token.isascii():
            continue
        key = fold(to_ascii(token))
        if not key or " " in key or key in split:
            continue
        if found.setdefault(key, token) != token:
            split.add(key)
            del found[key]
    return found


def _source_letters(word: str) -> str:
    """``word`` lower-cased, Greek accents and the final sigma read as plain letters (Cyrillic
    й and ё keep their marks: they are letters of their own)."""
    out = []
    for ch in word.lower():
        if "\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff":
            base = unicodedata.normalize("NFD", ch)[0]
            out.append("σ" if base == "ς" else base)
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=65536)
def renders(source: str, latin: str, script: str) -> bool:
    """Whether the folded Latin word ``latin`` is a spelling of the ``script`` word
    ``source`` (``"cyrillic"`` or ``"greek"``) by the tables above: ``renders("эшелон",
    "echelon", "cyrillic")``, ``renders("χαμάς", "hamas", "greek")``; not
    ``renders("сахаров", "zakharov", "cyrillic")``. A source letter the table does not hold
    (a letter of another script) makes it ``False``."""
    table = _TABLES.get(script)
    letters = _source_letters(source)
    if table is None or not letters or not latin.isalpha():
        return False
    # reach[i]: the positions of ``latin`` the first i letters of ``letters`` can spell up to
    reach: list[set[int]] = [set() for _ in range(len(letters) + 1)]
    reach[0].add(0)
    for i in range(len(letters)):
        if not reach[i]:
            continue
        for size in _SIZES:
            unit = letters[i : i + size]
            spellings = table.get(unit) if len(unit) == size else None
            if spellings is None:
                continue
            if size == 1 and unit in BETWEEN_VOWELS and _between_vowels(letters, i, script):
                spellings = spellings + BETWEEN_VOWELS[unit]
            for j in reach[i]:
                for spelt in spellings:
                    end = j + len(spelt)
                    if latin.startswith(spelt, j):
                        reach[i + size].add(end)
                        # the spelling's last letter written twice (``Боско`` as ``Bossco``)
                        if spelt and end < len(latin) and latin[end] == spelt[-1]:
                            reach[i + size].add(end + 1)
    return len(latin) in reach[len(letters)]


def _between_vowels(letters: str, i: int, script: str) -> bool:
    """The letter at ``i`` of a Cyrillic word stands between two vowels."""
    return (
        script == "cyrillic"
        and 0 < i < len(letters) - 1
        and letters[i - 1] in _CYRILLIC_VOWELS
        and letters[i + 1] in _CYRILLIC_VOWELS
    )
