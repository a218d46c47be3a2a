"""Two words that are one term written another way: ``sistemy`` / ``systems``, ``zavod`` /
``plant``, ``inzhiniring`` / ``engineering``.

The lists name one company in several languages and transliterations (``OKEAN ELEKTRONIKI
OOO`` / ``OCEAN ELECTRONICS LIMITED LIABILITY COMPANY``; ``AO ZAVOD FIOLENT`` / ``JOINT STOCK
COMPANY FIOLENT PLANT``), and an officer types whichever spelling the bid documents use. A
spelling feature sees no likeness between ``zavod`` and ``plant``; two readings of single
words do:

1. **translation** (:func:`term_symbols`): rigour's organisation-name tagger, the multilingual
   vocabulary OpenSanctions' matchers read, gives both words a common symbol of one word —
   ``SYMBOL:SYSTEM`` (``systems``, ``sistemy``), ``DOMAIN:FACTORY`` (``plant``, ``zavod``,
   ``factory``, ``usine``), ``SYMBOL:CENTER`` (``center``, ``tsentr``), a place
   (``LOC:ru-mow``). Only the ``SYMBOL``, ``DOMAIN`` and ``LOC`` categories count: legal forms
   and numbers are read elsewhere (:mod:`bidvet.screening.canonical`).
2. **transliteration** (:func:`sound_keys`): an English word written in Cyrillic and
   transliterated back (``konsalting``, ``menedzhment``, ``venchurs``, ``kraftvey``) keeps
   its consonants. A word's sound key is its consonants after the usual correspondences are
   folded (``dzh``/``zh``/soft ``g`` → ``j``, ``kh``/``ck``/``q``/hard ``c`` → ``k``, soft
   ``c`` → ``s``, ``x`` → ``ks``, ``w`` → ``v``, ``ph`` → ``f``, ``th`` → ``t``, ``-tion``/
   ``-tsiya``/``-tsii`` → ``ts``, ``tur`` → ``chur``), doubled letters single, a plural ``s``
   dropped; ``ch`` is read both as ``ch`` and as ``k`` (``venchurs``, ``technology``), so a
   word has one or two keys. Two words of four consonants or more with a key in common are
   one term: ``konsalting`` / ``consulting`` (``knsltng``), ``sistemy`` / ``systems``
   (``sstm``). Shorter keys say too little (``raiz`` / ``rise``), except three consonants
   between a word with the Russian ending ``-iya`` and one without (``energiya`` /
   ``energy``, ``aviatsiya`` / ``aviation``). A sound key is read only
   when something else ties the two names (:attr:`~bidvet.screening.features_v2.PairV2.sound`):
   a name of one word meeting another only by its consonants (``Beamtree`` / ``BAMTRI``) is
   as likely another company, with nothing else in the names to tell.

Neither is a typo: matcher v2 lets such words partner each other when it aligns two names,
and weighs them with a feature of their own
(:func:`~bidvet.screening.features_v2.other_wording`), fitted like the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from rigour.names import NameTypeTag, analyze_names
from rigour.names.symbol import SymbolCategory

from bidvet.screening.index import codes_many, hash_code, run_starts

if TYPE_CHECKING:
    from rigour.names import Name

#: the tagger's symbol categories read as one term in another language
TERM_CATEGORIES = frozenset({SymbolCategory.SYMBOL, SymbolCategory.DOMAIN, SymbolCategory.LOCATION})
#: letter groups folded before the consonants are read, in this order
SOUND_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "k"),
    ("tsiya", "ts"),
    ("tsii", "ts"),
    ("tion", "ts"),
    ("ph", "f"),
    ("tur", "chur"),
    ("th", "t"),
    ("ck", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
)
#: the fewest consonants a sound key needs to count
MIN_KEY = 4
#: the Russian ending of a borrowed word (-ия: ``energiya``, ``aviatsiya``), and the fewest
#: letters both words need for a key one consonant shorter to count (:func:`same_sound`)
LOAN_ENDING = "iya"
LOAN_MIN_LETTERS = 6
_VOWELS = frozenset("aeiouy")
_SOFT = re.compile(r"([cg])(?=[eiy])")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=262144)
def term_symbols(word: str) -> frozenset[str]:
    """The symbols rigour's organisation-name tagger gives ``word`` read alone (one-word
    spans of :data:`TERM_CATEGORIES`): ``sistemy`` → ``{"[SYMBOL:SYSTEM]"}``.

    A word of a loaded screening index's names is answered from its :class:`TermTable`, so
    that a process screening a name of such words does not build the tagger (about 0.05 s)."""
    if not word or word.isdigit():
        return frozenset()
    for table in _TABLES:
        known = table.get(word)
        if known is not None:
            return known
    return frozenset().union(*map(_symbols_of, _analyzed([word])))


#: the words read by a loaded index's tagging (:func:`use_table`), most recent first
_TABLES: list[TermTable] = []
#: at most this many tables are kept (one per store a process screens against)
MAX_TABLES = 4


def _analyzed(words: list[str]) -> set[Name]:
    """``words`` read as names of organisations by rigour's tagger."""
    return analyze_names(NameTypeTag.ORG, words, consolidate=False, phonetics=False, rewrite=False)


def _symbols_of(name: Name) -> frozenset[str]:
    return frozenset(
        str(span.symbol)
        for span in name.spans
        if span.symbol.category in TERM_CATEGORIES and len(span.parts) == 1
    )


#: what a word's code is made of besides the word (:func:`~bidvet.screening.index.hash_code`)
_PREFIX = "t:"


def _code(word: str) -> int:
    return hash_code(_PREFIX + word)


class TermTable:
    """:func:`term_symbols` of every word of a screening index's names and of the common
    English words (:mod:`~bidvet.screening.common_words`), read once when the index is built
    (rigour's tagger reads about 45,000 words in 0.35 s in batches) and saved with it: the
    words' codes (:func:`~bidvet.screening.index.hash_code`, sorted) and the symbols of the
    few that have any (1,223 of the 89,297 words of the official lists and of English). A
    word it did not read is read by the tagger as before. A table is only valid for the rigour
    install that made it; the screening cache's key holds the install."""

    #: words tagged per call of the tagger
    BATCH = 5000

    def __init__(self, codes: npt.NDArray[np.int64], symbols: dict[str, frozenset[str]]):
        self.codes = codes
        self.symbols = symbols

    def get(self, word: str) -> frozenset[str] | None:
        """``word``'s symbols (empty: none), or ``None`` when the table did not read it."""
        found = self.symbols.get(word)
        if found is not None:
            return found
        code = _code(word)
        at = int(np.searchsorted(self.codes, code))
        if at < len(self.codes) and int(self.codes[at]) == code:
            return frozenset()
        return None

    @classmethod
    def of_words(cls, words: Iterable[str], previous: TermTable | None = None) -> TermTable:
        """The table of ``words``, and of ``previous``'s when given: the words it read are not
        read again, the others are read by the tagger (:func:`tag_words`)."""
        todo = [w for w in dict.fromkeys(words) if w and not w.isdigit()]
        if previous is not None:
            known = np.isin(codes_many(todo, _PREFIX), previous.codes).tolist()
            todo = [w for w, k in zip(todo, known, strict=True) if not k]
        read = tag_words(todo)
        codes = np.sort(codes_many(list(read), _PREFIX))
        table = cls(codes[run_starts(codes)], {w: s for w, s in read.items() if s})
        return table if previous is None else previous.merged(table)

    def merged(self, other: TermTable) -> TermTable:
        """One table of the words of both."""
        codes = np.sort(np.concatenate([self.codes, other.codes]))
        return TermTable(codes[run_starts(codes)], {**self.symbols, **other.symbols})

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "codes.npy", self.codes, allow_pickle=False)
        listed = {w: sorted(s) for w, s in sorted(self.symbols.items())}
        (folder / "symbols.json").write_text(json.dumps(listed, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> TermTable:
        codes = np.load(folder / "codes.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
        if codes.dtype != np.int64 or (len(codes) > 1 and bool(np.any(codes[1:] <= codes[:-1]))):
            raise ValueError(f"{folder}: term codes are not sorted 64-bit codes")
        listed = json.loads((folder / "symbols.json").read_text("utf-8"))
        return cls(codes, {w: frozenset(s) for w, s in listed.items()})


def tag_words(words: list[str]) -> dict[str, frozenset[str]]:
    """Each word's symbols as :func:`term_symbols` reads them (empty: none), read by rigour's
    tagger :attr:`TermTable.BATCH` words at a time. A word the batch did not read as a name of
    its own (read as no name, or as the same name as another word) is left out: the tagger
    reads it alone when it is asked for."""
    out: dict[str, frozenset[str]] = {}
    for start in range(0, len(words), TermTable.BATCH):
        batch = words[start : start + TermTable.BATCH]
        names = {n.original: n for n in _analyzed(batch)}
        out.update((w, _symbols_of(names[w])) for w in batch if w in names)
    return out


def use_table(table: TermTable) -> None:
    """Answer :func:`term_symbols` from ``table`` for the words it read (a loaded index's)."""
    if any(t is table for t in _TABLES):
        return
    _TABLES.insert(0, table)
    del _TABLES[MAX_TABLES:]


def _soft(m: re.Match[str]) -> str:
    return "s" if m.group(1) == "c" else "j"


@lru_cache(maxsize=262144)
def sound_keys(word: str) -> frozenset[str]:
    """``word``'s sound keys of :data:`MIN_KEY` consonants or more (see the module
    docstring): ``konsalting`` and ``consulting`` → ``{"knsltng"}``."""
    return frozenset(k for k in _all_keys(word) if len(k) >= MIN_KEY)


@lru_cache(maxsize=262144)
def _all_keys(word: str) -> frozenset[str]:
    if not word.isascii() or not word.isalpha():
        return frozenset()
    folded = word
    for typed, read in SOUND_RULES:
        folded = folded.replace(typed, read)
    folded = _SOFT.sub(_soft, folded.replace("ch", "\x00"))
    out = set()
    for ch in ("ch", "k"):
        spelt = _DOUBLE.sub(r"\1", folded.replace("c", "k").replace("\x00", ch))
        key = "".join(c for c in spelt if c not in _VOWELS)
        if len(key) > MIN_KEY and key.endswith("s"):
            key = key[:-1]
        out.add(key)
    return frozenset(out)


@lru_cache(maxsize=262144)
def same_term(a: str, b: str, sound: bool = True) -> str | None:
    """How ``a`` and ``b`` are one term (``"translation [DOMAIN:FACTORY]"``,
    ``"transliteration knsltng"``), or ``None``; without ``sound``, translations only."""
    if a == b:
        return None
    common = term_symbols(a) & term_symbols(b)
    if common:
        return f"translation {min(common)}"
    if not sound:
        return None
    key = same_sound(a, b)
    return None if key is None else f"transliteration {key}"


def same_sound(a: str, b: str) -> str | None:
    """A sound key ``a`` and ``b`` share (:func:`sound_keys`; the first in order), or ``None``.

    A key of three consonants counts too when one word has the Russian ending ``-iya`` (-ия)
    and the other not, both of :data:`LOAN_MIN_LETTERS` letters or more: the English word
    borrowed into Russian and transliterated back (``energiya`` / ``energy``, ``aviatsiya`` /
    ``aviation``), whose key the ending leaves short."""
    keys = sound_keys(a) & sound_keys(b)
    if keys:
        return min(keys)
    if (a.endswith(LOAN_ENDING) != b.endswith(LOAN_ENDING)) and min(
        len(a), len(b)
    ) >= LOAN_MIN_LETTERS:
        short = {k for k in _all_keys(a) & _all_keys(b) if len(k) == MIN_KEY - 1}
        if short:
            return min(short)
    return None


#: words the lists write in another language or transliteration, and their English spelling, for
#: finding candidates only: a query with such a word is also looked up with it written in
#: English (:meth:`~bidvet.screening.matcher.Matcher.other_wordings`), so that ``LIMITED
#: LIABILITY COMPANY DIGITAL TEKHNOLOGII`` finds the listed ``… DIGITAL TECHNOLOGIES`` among
#: the many names sharing ``tekhnologii``. Scoring still reads the two words as one term by
#: :func:`same_term` (a test checks every pair here is one); chosen from the words of the
#: lists' organisation names that name a kind of business
ENGLISH_WORDING: dict[str, str] = {
    **dict.fromkeys(["tekhnologii", "tehnologii", "technologii", "tecnologias"], "technologies"),
    **dict.fromkeys(["tekhnologiya", "tecnologia", "technologie"], "technology"),
    **dict.fromkeys(["grupo", "grupp", "grupa", "grupul", "gruppo", "groupe", "skupina"], "group"),
    "inversiones": "investments",
    **dict.fromkeys(["servicios", "servis"], "services"),
    "servicio": "service",
    **dict.fromkeys(["sistemy", "sistemas"], "systems"),
    "sistema": "system",
    "korporatsiya": "corporation",
    "kompaniya": "company",
    "industriya": "industry",
    "internacional": "international",
    "kholding": "holding",
    "inzhiniring": "engineering",
    "energiya": "energy",
    "finans": "finance",
    "tsentr": "center",
    "menedzhment": "management",
    "konsalting": "consulting",
    "aviatsiya": "aviation",
    "treyding": "trading",
    "resursy": "resources",
}


def english_wording(words: list[str]) -> list[str]:
    """``words`` with each word of :data:`ENGLISH_WORDING` in its English spelling."""
    return [ENGLISH_WORDING.get(w, w) for w in words]
