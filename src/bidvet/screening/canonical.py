"""How matcher v2 (``bidvet-name-v2``) reads a name: canonical words, each with its role.

``"Hikvison Digital Tech Co., td."``, ``"AT&T Inc."`` and ``"1st International Bank"`` must be
read the way an analyst reads them. Each name becomes a :class:`CanonName`:

1. transliterated to ASCII (rigour: Cyrillic, Greek, Arabic; Chinese, Japanese, Korean to
   pinyin/romaji), lower-cased, ``&`` read as ``and``, apostrophes dropped;
2. legal forms found by rigour's org-type table set aside as *forms* (roman numerals, which that
   table sometimes reads as forms, stay: they name a fund series); so are the legal-form
   abbreviations the lists write that the table does not read (``FSUE``, ``PSC``, ``SAL``,
   ``PVT``, ``FZE``…: :data:`ABBREVIATED_FORMS`), typed exactly, at either end of the name,
   and the Lebanese ``S.A.L. (Off-Shore)``; a two-letter form only at the end, except the
   Russian ``AO``, which opens names too (:data:`START_FORMS`); the word that says which
   kind of form (``Private Limited``, ``Public Joint Stock``: :data:`FORM_QUALIFIERS`) goes
   with it, and so does ``joint stock`` without ``company``. Before that, a Russian kind of
   organisation spelt out is read as the abbreviation the lists also write (``Scientific and
   Production Association`` and ``Nauchno-Proizvodstvennoe Obedinenie`` as ``NPO``:
   :data:`KIND_PHRASES`), and a country's formal name as its short one (``Russian
   Federation`` as ``Russia``: :data:`COUNTRY_NAMES`);
3. punctuation folded, runs of single letters joined (``U.S.`` → ``us``, ``P.L.A.`` → ``pla``);
4. **legal-form words recognised through typos**: at the end of the name, a word of at most six
   letters one slip from a short legal-form word (``td`` → ``ltd``, ``cco`` → ``co``, ``oc`` →
   ``co``, ``akg`` → ``ag``, ``corpp`` → ``corp``), one edit from a long one (``limted``), or a
   lone ``c``/``o`` after another form, is a form, not a core word (:func:`legal_word`,
   :func:`_form_at_end`); at its start only
   exact legal-form words are (``sai`` is not ``sa``); a form glued to the last word in
   another case is split off (``SiemensAG``, ``OROFINOnv``); a legal form of several words
   typed with one typo in one word (``limited liabulity company``, ``joint zstock company``)
   is spelt right before rigour reads the forms (:data:`FORM_PHRASES`);
5. **abbreviations** expanded (``intl`` → ``international``, ``tech`` → ``technology``, ``us`` →
   ``united states``; :data:`ABBREVIATIONS`);
6. **number words** read as digits (``first``/``1st`` → ``1``, ``forty four``/``forty 4`` →
   ``44``, a word one typo from a number word counts: ``fourty``); roman numerals ``ii``…``xx``
   are series marks (:func:`number_value`);
7. a generic word typed with one typo is spelt right (``holdngs`` → ``holdings``; six letters
   or more);
8. each remaining word gets a role: ``stop`` (of, the, and, the transliterated Russian ``i``…),
   ``generic`` (group, holding, international, technology, the Russian kinds NPO/NPP/NII…:
   :data:`GENERIC_WORDS`; and a person's patronymic, placed and
   spelt as one: :mod:`bidvet.screening.person_names`), ``number`` or ``distinctive``.

The original string is kept for display.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rapidfuzz.distance import OSA
from rigour.names import extract_org_types

from bidvet.screening.common_words import zipf
from bidvet.screening.normalize import fold, to_ascii
from bidvet.screening.person_names import patronymic_positions
from bidvet.screening.terms import term_symbols

#: a word of three letters or more this common in English text (Zipf, see
#: :mod:`~bidvet.screening.common_words`) is a word, not a slip from a legal form
COMMON_NOT_SLIP = 4.0
#: short legal-form words recognised through one typo at the ends of a name
LEGAL_WORDS = frozenset(
    [
        "ltd",
        "llc",
        "inc",
        "co",
        "corp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "ab",
        "as",
        "oy",
        "kk",
        "jsc",
        "ojsc",
        "pjsc",
        "cjsc",
        "ooo",
        "oao",
        "zao",
        "pao",
        "llp",
        "lp",
        "pte",
        "pty",
        "bhd",
        "sdn",
        "kg",
        "se",
        "sl",
        "lda",
        "ltda",
        "limited",
        "company",
        "corporation",
        "incorporated",
        "kft",
        "zrt",
        "doo",
        "dd",
        "ad",
        "eood",
        "ead",  # Bulgarian: a one-member joint stock company (ЕАД), beside ``ad``
        "ood",
    ]
)
#: Russian legal-form abbreviations rigour's table reads in Cyrillic but not in their Latin
#: transliteration, with the form it reads them as (``АНО ТВ-новости`` and ``ANO TV-Novosti``
#: are one name): among :data:`ABBREVIATED_FORMS`, read as that form (a test checks each target
#: against rigour's reading of the Cyrillic)
TRANSLITERATED_FORMS: dict[str, str] = {
    "ano": "ngo",  # АНО, autonomous non-profit organisation
    "nko": "ngo",  # НКО, non-commercial organisation
    "fgbu": "soe",  # ФГБУ, federal state budgetary institution
    "fku": "soe",  # ФКУ, federal state institution
    "nao": "jsc",  # НАО, non-public joint stock company
    "odo": "llc",  # ОДО, additional liability company
}
#: legal-form abbreviations the lists write in English transliterations and translations
#: (``FSUE ATOMFLOT``, ``PSC PROMINVESTBANK``, ``… SAL (OFFSHORE)``, ``… PVT LTD``, ``… FZE``,
#: the Kyrgyz ``OSOO``, those of :data:`TRANSLITERATED_FORMS`) that rigour's org-type table does
#: not read; set aside only when typed exactly, at the start or the end of a name (each is one
#: letter from a common word)
ABBREVIATED_FORMS = frozenset(
    [
        "psc",
        "fsue",
        "fgup",
        "gup",
        "mup",
        "fkp",
        "sal",
        "pvt",
        "fzc",
        "fze",
        "fzco",
        "osoo",
        *TRANSLITERATED_FORMS,
    ]
)
#: rigour's tagger symbols of ``company`` and ``corporation``: a word that is one of them in
#: another language (``kompaniya``, ``korporatsiya``, ``compania``) closes a name as they do
FORM_TERMS = frozenset({"[SYMBOL:CO]", "[SYMBOL:CORP]"})
#: words that say what kind of organisation, not which one; they weigh little
GENERIC_WORDS = frozenset(
    [
        "group",
        "groups",
        "holding",
        "holdings",
        "international",
        "global",
        "worldwide",
        "industries",
        "industry",
        "industrial",
        "enterprise",
        "enterprises",
        "trading",
        "trade",
        "services",
        "service",
        "solutions",
        "technology",
        "technologies",
        "systems",
        "company",
        "companies",
        "corporation",
        "corp",
        "limited",
        "products",
        "resources",
        "management",
        "development",
        "manufacturing",
        "investment",
        "investments",
        "partners",
        "ventures",
        # Russian kinds of organisation, abbreviated: research and production association /
        # enterprise / corporation (NPO, NPP, NPK), research institute (NII), design bureau
        # (OKB, SKB): ``NPK URALVAGONZAVOD`` is Uralvagonzavod
        "npo",
        "npp",
        "npk",
        "nii",
        "okb",
        "skb",
        # a joint-stock commercial bank (АКБ): ``AO AKB NOVIKOMBANK`` is ``JOINT STOCK
        # COMMERCIAL BANK NOVIKOMBANK``
        "akb",
        # a specialised developer (специализированный застройщик, СЗ), which Russian law
        # (214-FZ) makes a housing developer write in its name: ``AO SPETSIALIZIROVANNYI
        # ZASTROISHCHIK IKS`` is ``IKS JOINT STOCK COMPANY``
        "sz",
        # a state corporation (государственная корпорация, госкорпорация), a kind of
        # non-profit organisation of Russian law (7-FZ, article 7.1): ``STATE CORPORATION
        # ROSTEC`` is Rostec, ``GOSUDARSTVENNAYA KORPORATSIYA RAZVITIYA VEB.RF`` VEB.RF
        "goskorporatsiya",
        # a concern (концерн, Konzern, koncern): a group of companies, as the lists name Russian
        # defence groups: ``CONCERN KALASHNIKOV`` is Kalashnikov, ``AO KONTSERN NPO AVRORA``
        # is Avrora
        "concern",
        "kontsern",
        "konzern",
        "koncern",
    ]
)
#: words that join the two words around them, read as stop words there only (at the start or
#: the end of a name they may be its own word: ``E-Trade``, ``Plan E``): the Persian and Urdu
#: ezafe (``BANK-E ANSAR`` is ``ANSAR BANK``, ``LASHKAR E JHANGVI`` / ``LASHKAR I JHANGVI``,
#: ``KHANEH-YE``), ``and`` in Portuguese and Italian (``e``), Persian (``va``: ``IRAN VA
#: SHARGH``), Turkish (``ve``: ``SANAYI VE TICARET``) and Arabic (``wa``)
CONNECTORS = frozenset(["e", "ye", "va", "ve", "wa"])
#: words that join others
STOP_WORDS = frozenset(
    ["of", "the", "and", "de", "del", "la", "le", "des", "du", "und", "y", "for", "i", "et"]
)
#: abbreviations an officer types, expanded to the words lists spell out
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "intl": ("international",),
    "int": ("international",),
    "tech": ("technology",),
    # тех, as the lists transliterate it: ``TERRA TEKH`` is ``TERRA TECH``
    "tekh": ("technology",),
    "techs": ("technologies",),
    "mfg": ("manufacturing",),
    "natl": ("national",),
    "dept": ("department",),
    "univ": ("university",),
    "assn": ("association",),
    "assoc": ("association",),
    "bros": ("brothers",),
    "svcs": ("services",),
    "mgmt": ("management",),
    "us": ("united", "states"),
    "usa": ("united", "states"),
    "uk": ("united", "kingdom"),
    "uae": ("united", "arab", "emirates"),
}
#: each word an abbreviation expands to (one word) → the abbreviations, shortest first: a name
#: may write the short form run into the next word (``Infotech``, ``Faratech``)
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    full[0]: tuple(sorted((a for a, f in ABBREVIATIONS.items() if f == full), key=len))
    for full in set(ABBREVIATIONS.values())
    if len(full) == 1
}


def typed_forms(word: str) -> tuple[str, ...]:
    """``word`` and the abbreviations that expand to it (:data:`SHORT_FORMS`): how a name may
    have written it (``technology``: ``tech``)."""
    return (word, *SHORT_FORMS.get(word, ()))


_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
]
NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_UNITS)},
    **{w: 20 + 10 * i for i, w in enumerate(_TENS)},
    **{w: i + 1 for i, w in enumerate(_ORDINALS)},
}
ROMAN = {
    r: i
    for i, r in enumerate(
        ["ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"],
        2,
    )
}
_ORDINAL_DIGITS = re.compile(r"^(\d+)(st|nd|rd|th)$")
_PUNCT_AND = re.compile(r"\s*&\s*")
#: the Lebanese offshore company's form (Legislative Decree 46/1983), ``S.A.L. (Off-Shore)``,
#: which the lists also write ``SAL OFFSHORE`` and ``OFFSHORE S.A.L.``: read as the form
#: ``sal``, not as a word ``offshore`` of the name (``SALASKO OFFSHORE S.A.L.`` is ``Salasko
#: SAL``); ``offshore`` alone stays a word (``Transocean Offshore``)
_SAL = r"s\.?\s?a\.?\s?l\.?"
_SAL_OFFSHORE = re.compile(
    r"(?<![a-z0-9])(?:" + _SAL + r"[\W_]*off[- ]?shore\s*\)?"
    r"|off[- ]?shore[\W_]+" + _SAL + r"(?![a-z0-9]))",
    re.IGNORECASE,
)
_APOS = re.compile(r"['’`´]")
#: a legal form written onto the last word in another case: ``SiemensAG``, ``OROFINOnv``
_GLUED_FORM = re.compile(r"(?<=[a-z])(?=[A-Z]{2,5}\W*$)|(?<=[A-Z]{3})(?=[a-z]{2,5}\W*$)")


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


class _OneEditIndex:
    """Each word's one-letter deletions (and itself) → the words: two words one edit apart
    share a key (the SymSpell idea), so a fuzzy lookup reads a few keys, not every word.
    Hashed by identity: :func:`_one_edit` caches its lookups per index and word."""

    __slots__ = ("keys",)

    def __init__(self, words: Iterable[str]) -> None:
        out: dict[str, set[str]] = {}
        for w in words:
            for key in _deletions(w):
                out.setdefault(key, set()).add(w)
        self.keys = {k: tuple(sorted(v)) for k, v in out.items()}


@lru_cache(maxsize=262144)
def _one_edit(word: str, index: _OneEditIndex) -> tuple[str, ...]:
    """The indexed words within one edit (optimal string alignment) of ``word``, sorted (read
    once per word: the same words recur in name after name)."""
    found = {w for key in _deletions(word) for w in index.keys.get(key, ())}
    return tuple(sorted(w for w in found if OSA.distance(word, w, score_cutoff=1) <= 1))


_SHORT_FORMS = frozenset(f for f in LEGAL_WORDS if len(f) == 2)
_THREE_MINUS_ONE = frozenset(
    f[:i] + f[i + 1 :] for f in LEGAL_WORDS if len(f) == 3 for i in range(3)
)
_LEGAL_INDEX = _OneEditIndex(f for f in LEGAL_WORDS if len(f) <= 4)
#: long legal-form words recognised through one slip at the end of a name
_LONG_FORM_INDEX = _OneEditIndex(
    ["limited", "company", "corporation", "incorporated", "cooperation", "cooperative"]
)
_GENERIC_INDEX = _OneEditIndex(GENERIC_WORDS)
_NUMBER_INDEX = _OneEditIndex(w for w in NUMBER_WORDS if len(w) >= 5)


#: legal forms of several words that rigour's org-type table knows, recognised through one typo
#: in one of their words (``limited liabulity company``, ``joint zstock company``): the
#: phrase is spelt right before the forms are set aside (a test checks rigour reads each)
FORM_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "sociedad de responsabilidad limitada de capital variable",
        "obshchestvo s ogranichennoi otvetstvennostyu",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "sociedad de responsabilidad limitada",
        "spolka z ograniczona odpowiedzialnoscia",
        "sociedad anonima de capital variable",
        "zakrytoe aktsionernoe obshchestvo",
        "otkrytoe aktsionernoe obshchestvo",
        "publichnoe aktsionernoe obshchestvo",
        "federal state unitary enterprise",
        "federal state budgetary institution",
        "federal state budgetary enterprise",
        "closed joint stock company",
        "open joint stock company",
        "public joint stock company",
        "limited liability partnership",
        "limited liability company",
        "state unitary enterprise",
        "public limited company",
        "private limited company",
        "joint stock company",
        "aktsionernoe obshchestvo",
        "naamloze vennootschap",
        "besloten vennootschap",
        "limited partnership",
        "sociedad anonima",
    )
)
#: a word of a legal-form phrase is recognised through a typo only when it is this long (a
#: shorter one changed by a letter is too often another word); in a phrase of two words, one
#: letter longer
PHRASE_TYPO_LETTERS = 5
#: letters of Russian words that transliteration systems write differently, each with the one
#: form phrases are compared in (:func:`_spelling_fold`): щ as ``shch`` or ``sh``, й as ``y``,
#: ``j`` or ``i`` (``obshestvo s ogranichennoj otvetstvennostyu`` is the OOO rigour reads as
#: ``obshchestvo s ogranichennoy otvetstvennostyu``)
_SPELLINGS = (("shch", "sh"), ("j", "y"))
_ENDINGS = (("oye", "oe"), ("yy", "y"), ("iy", "y"), ("ij", "y"), ("oi", "oy"), ("ei", "ey"))


def _spelling_fold(word: str) -> str:
    """``word`` with the letters :data:`_SPELLINGS` and the endings :data:`_ENDINGS` name
    written one way: two transliterations of one Russian word fold alike."""
    for written, fold_to in _SPELLINGS:
        word = word.replace(written, fold_to)
    for ending, fold_to in _ENDINGS:
        if word.endswith(ending):
            return word[: -len(ending)] + fold_to
    return word


#: legal forms of several words that rigour's org-type table does not read, each with the
#: words read in its place, at the start or the end of a name only: the Spanish ``sociedad
#: limitada`` (S.L.), by law the other name of the ``sociedad de responsabilidad limitada``
#: (Ley de Sociedades de Capital, art. 1 and 6; rigour reads ``limitada`` alone and leaves
#: ``sociedad`` a word of the name), and Belarus's additional liability company in English
#: (ОДО, read as ``ODO`` is: :data:`TRANSLITERATED_FORMS`)
UNREAD_FORM_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("sociedad", "limitada"): ("sociedad", "de", "responsabilidad", "limitada"),
    ("additional", "liability", "company"): ("odo",),
}
#: each word of a legal-form phrase (rigour's and :data:`UNREAD_FORM_PHRASES`), as written and
#: folded, → where it stands in which phrases
_PHRASE_STARTS: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
for _phrase in (*FORM_PHRASES, *UNREAD_FORM_PHRASES):
    for _at, _word in enumerate(_phrase):
        for _key in dict.fromkeys((_word, _spelling_fold(_word))):
            _PHRASE_STARTS.setdefault(_key, []).append((_at, _phrase))
_PHRASE_EDGE = ".,;:()\"'«»“”„"
_FOLDED_ENDINGS = tuple(ending for ending, _ in _ENDINGS)


def _phrase_places(token: str) -> list[tuple[int, tuple[str, ...]]]:
    """Where ``token`` (or its spelling fold) stands in legal-form phrases; most words of a
    name are in none, and are not folded to find it out."""
    found = _PHRASE_STARTS.get(token)
    if found is None and ("j" in token or "shch" in token or token.endswith(_FOLDED_ENDINGS)):
        found = _PHRASE_STARTS.get(_spelling_fold(token))
    return found or []


def _phrase_typo(
    tokens: list[str], start: int, phrase: tuple[str, ...]
) -> tuple[int | None, bool] | None:
    """Whether ``tokens[start:]`` spells ``phrase``, its words spelt alike
    (:func:`_spelling_fold`) but one at most one typo off: that word's place (None if none),
    and whether a word was spelt another way; None if the tokens are not the phrase."""
    if start < 0 or start + len(phrase) > len(tokens):
        return None
    wrong = None
    spelt = False
    for at, word in enumerate(phrase):
        token = tokens[start + at].strip(_PHRASE_EDGE)
        if token == word:
            continue
        folded = _spelling_fold(token)
        if folded == _spelling_fold(word):
            spelt = True
            continue
        least = PHRASE_TYPO_LETTERS + (len(phrase) == 2)
        if wrong is not None or len(word) < least or not token.isalpha():
            return None
        if OSA.distance(folded, _spelling_fold(word), score_cutoff=1) > 1:
            return None
        wrong = at
    return wrong, spelt


def _unread_phrase(tokens: list[str]) -> tuple[int, tuple[str, ...]] | None:
    """The phrase of :data:`UNREAD_FORM_PHRASES` ``tokens`` start or end with, and where."""
    words = [t.strip(_PHRASE_EDGE) for t in tokens]
    for phrase in UNREAD_FORM_PHRASES:
        n = len(phrase)
        if len(words) > n and tuple(words[:n]) == phrase:
            return 0, phrase
        if len(words) > n and tuple(words[-n:]) == phrase:
            return len(words) - n, phrase
    return None


def _form_phrase_typos(text: str) -> tuple[str, list[str]]:
    """``text`` with each legal-form phrase typed with one typo or another transliteration
    spelt as rigour reads it (see :data:`FORM_PHRASES`), and one of
    :data:`UNREAD_FORM_PHRASES` at its start or end written as the form rigour reads, with a
    reading for each."""
    tokens = text.split()
    readings: list[str] = []
    i = 0
    while i < len(tokens):
        fixed = False
        for at, phrase in _phrase_places(tokens[i].strip(_PHRASE_EDGE)):
            start = i - at
            found = _phrase_typo(tokens, start, phrase)
            if found is None:
                continue
            wrong, spelt = found
            typed = " ".join(tokens[start : start + len(phrase)])
            if wrong is not None or spelt:
                step = "legal_form_typo" if wrong is not None else "legal_form_spelling"
                readings.append(f"{step}: {typed!r} read as {' '.join(phrase)!r}")
                tokens[start : start + len(phrase)] = phrase
            i, fixed = start + len(phrase), True
            break
        if not fixed:
            i += 1
    unread = _unread_phrase(tokens)
    if unread is not None:
        at, phrase = unread
        form = UNREAD_FORM_PHRASES[phrase]
        readings.append(f"legal_form: {' '.join(phrase)!r} read as {' '.join(form)!r}")
        tokens[at : at + len(phrase)] = form
    return (" ".join(tokens), readings) if readings else (text, readings)


def legal_word(word: str, *, abbreviated: bool = False) -> bool:
    """``word`` is a short legal-form word, or one typical slip from one.

    The slips: two letters swapped (``oc`` → ``co``), one letter of a three-letter form
    missing (``td`` → ``ltd``), a letter doubled (``cco`` → ``co``, ``ltdd`` → ``ltd``), or one
    edit in a form of three letters or more (``lts`` → ``ltd``). Stop words never are, and
    neither is a common English word one edit from a form (Zipf :data:`COMMON_NOT_SLIP` or
    more in :mod:`~bidvet.screening.common_words`: ``sun`` is not ``sdn``, ``ink`` not
    ``inc``): ``Amber SUN`` is a name of two words — unless the name writes it
    ``abbreviated``, closing the name with a full stop as forms are (``Basic Element Crop.``).
    """
    if word in LEGAL_WORDS:
        return True
    if word in STOP_WORDS or len(word) < 2 or len(word) > 6:
        return False
    undoubled = re.sub(r"(.)\1", r"\1", word)
    if undoubled != word and undoubled in LEGAL_WORDS:
        return True
    if len(word) == 2 and (word[::-1] in _SHORT_FORMS or word in _THREE_MINUS_ONE):
        return True
    if len(word) >= 3 and not abbreviated and zipf(word) >= COMMON_NOT_SLIP:
        return False
    if len(word) >= 3 and any(len(f) >= 3 for f in _one_edit(word, _LEGAL_INDEX)):
        return True
    return len(word) >= 6 and bool(_one_edit(word, _LONG_FORM_INDEX))


def _form_term(word: str) -> str | None:
    """``company`` or ``corporation`` when ``word`` is one of them in another language
    (:data:`FORM_TERMS`: ``kompaniya`` → ``company``, ``korporatsiya`` → ``corporation``);
    ``None`` for the legal-form words themselves and any other word."""
    if word in LEGAL_WORDS or len(word) < 4 or not word.isalpha():
        return None
    symbols = term_symbols(word) & FORM_TERMS
    if not symbols:
        return None
    return "corporation" if "[SYMBOL:CORP]" in symbols else "company"


def _form_at_end(word: str, forms: set[str], original: str) -> bool:
    """The last word of a name is a legal form: an exact one, a slip of a short one
    (:func:`legal_word`, six letters at most: ``td``, ``corpp``), a long one typed with one
    slip (``limted``, ``compnay``), an abbreviation of :data:`ABBREVIATED_FORMS`, ``company``
    or ``corporation`` in another language
    (:data:`FORM_TERMS`: ``kompaniya``, ``korporatsiya``, ``compania``), or a lone ``c``/``o``
    left of ``co`` when the name has another legal form or ends with a full stop (``Co.,
    Ltd.`` typed ``C., Ltd.``). A common English word one slip from a form is one only when it
    closes the name with a full stop (``Crop.``, ``Cop.``; ``Amber SUN`` is two words)."""
    if word in LEGAL_WORDS or word in ABBREVIATED_FORMS:
        return True
    if _form_term(word) is not None:
        return True
    if word in ("c", "o"):
        return bool(forms) or original.rstrip().endswith(".")
    closing = original.rstrip().casefold().endswith(f"{word}.")
    if len(word) <= 6 and legal_word(word, abbreviated=closing):
        return True
    return len(word) >= 6 and bool(_one_edit(word, _LONG_FORM_INDEX))


def number_value(word: str) -> int | None:
    """The number a word stands for: digits, ``1st``, ``first``, ``fourty`` (one typo: a word
    that is no English word, :mod:`~bidvet.screening.common_words`, one letter from number
    words of one value, those ending as it does when there are any: ``nineth`` is ``ninth``;
    a slip that could be two numbers is none)."""
    if word.isdigit():
        return int(word)
    m = _ORDINAL_DIGITS.match(word)
    if m:
        return int(m.group(1))
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if len(word) >= 5 and zipf(word) == 0.0:
        # a slip, not an English word one letter from a number word (``light``, ``right``,
        # ``there``, ``forth``, or the Russian ``sever``); of the number words one letter away,
        # those ending as it does (``fourty``: ``forty``, not ``fourth``), and only when
        # they are one number
        near = _one_edit(word, _NUMBER_INDEX)
        same_end = [w for w in near if w[-1] == word[-1]] or near
        values = {NUMBER_WORDS[w] for w in same_end}
        if len(values) == 1:
            return values.pop()
    return None


def _numbers(words: list[str]) -> list[str]:
    """Number words and ordinals as digits; ``forty four`` and ``forty 4`` as ``44``."""
    out: list[str] = []
    i = 0
    while i < len(words):
        value = number_value(words[i])
        if value is None:
            out.append(words[i])
            i += 1
            continue
        if value >= 20 and value % 10 == 0 and value < 100 and i + 1 < len(words):
            nxt = number_value(words[i + 1])
            if nxt is not None and 0 < nxt < 10:
                value += nxt
                i += 1
        out.append(str(value))
        i += 1
    return out


def _generic_spelling(word: str) -> str:
    """A generic word typed with one typo (``holdngs``, ``tecnology``) spelt right; words of
    fewer than six letters are left alone (one letter changed makes another word)."""
    if len(word) < 6 or word in GENERIC_WORDS:
        return word
    near = _one_edit(word, _GENERIC_INDEX)  # sorted: the same spelling wins in every process
    return near[0] if near else word


def _role(word: str) -> str:
    if word in STOP_WORDS:
        return "stop"
    if word in GENERIC_WORDS:
        return "generic"
    if word.isdigit() or word in ROMAN:
        return "number"
    return "distinctive"


@dataclass(frozen=True, slots=True)
class CanonName:
    """A name as matcher v2 reads it; ``words`` and ``roles`` are parallel."""

    original: str
    words: tuple[str, ...]
    roles: tuple[str, ...]
    forms: frozenset[str]
    script: str  # "latin" or the script the name was written in (see ``script_of``)
    #: how the name was read, one named step a line (``legal_form_typo: 'td' read as a legal
    #: form``); explanations quote them
    readings: tuple[str, ...] = ()
    #: read as a person's name (:func:`~bidvet.screening.spellings.as_person`): matcher v2
    #: compares a query with a listed person so, and holds a typed slip in such a name as a
    #: possible match (:func:`~bidvet.screening.features_v2.person_typos`)
    person: bool = False
    #: the words joined by spaces
    text: str = field(init=False, repr=False, compare=False)
    #: the words run together: ``Good Will`` and ``Goodwill`` agree here
    compact: str = field(init=False, repr=False, compare=False)
    #: :attr:`compact` with each expanded abbreviation in its shortest form
    #: (:func:`typed_forms`): ``Fara Tech`` (read ``fara technology``) and ``Faratech`` agree
    #: here
    short_compact: str = field(init=False, repr=False, compare=False)
    #: the distinctive words and the numbers, the words most features read
    core_words: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # read by many features for each pair: made once, when the name is read
        set_ = object.__setattr__
        set_(self, "text", " ".join(self.words))
        set_(self, "compact", "".join(self.words))
        set_(self, "short_compact", "".join(SHORT_FORMS.get(w, (w,))[0] for w in self.words))
        set_(self, "core_words", self._of_role(("distinctive", "number")))

    def _of_role(self, roles: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(w for w, r in zip(self.words, self.roles, strict=True) if r in roles)

    def of_role(self, *roles: str) -> tuple[str, ...]:
        """The words of these roles, in order."""
        if roles == ("distinctive", "number"):
            return self.core_words
        return self._of_role(roles)


#: the scripts :func:`script_of` tells apart, first match wins, by their letters' ranges
SCRIPT_RANGES = (
    ("cjk", r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"),
    ("cyrillic", r"\u0400-\u04ff"),
    ("greek", r"\u0370-\u03ff"),
    ("arabic", r"\u0600-\u06ff"),
)


@lru_cache(maxsize=8)
def char_classes(
    ranges: tuple[tuple[str, str], ...],
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each named set of letter ranges (:data:`SCRIPT_RANGES`) as a compiled character class,
    compiled on first use: the CJK ranges take 3 ms to compile, which a process reading only
    ASCII names never spends."""
    return tuple((name, re.compile(f"[{ranges}]")) for name, ranges in ranges)


def script_of(text: str) -> str:
    """``latin`` for ASCII-transliterable Latin text, else ``cjk``/``cyrillic``/``greek``/
    ``arabic``/``other``: the transliteration path a name takes."""
    if text.isascii():
        return "latin"
    for name, pattern in char_classes(SCRIPT_RANGES):
        if pattern.search(text):
            return name
    return "latin" if to_ascii(text).isascii() and text.isprintable() else "other"


#: two-letter forms of rigour's table read at the start of a name too: the Russian ``AO``
#: (акционерное общество: ``AO TERRA TEKH``). Others may be words there (``AT Kearney``); the
#: two-letter forms of :data:`LEGAL_WORDS` (``AB Volvo``, ``Oy …``) are set aside at the start
#: when typed exactly, after the words are split
START_FORMS = frozenset({"ao"})
#: a word that says which kind of a legal form follows: read with the form (``Private Limited``,
#: ``Public Joint Stock``), not as a word of the name
FORM_QUALIFIERS = ("private", "public", "closed", "open")
_QUALIFIER = r"(?:(?:" + "|".join(FORM_QUALIFIERS) + r")\s+)?"
#: ``joint stock`` without ``company`` (``AVANGARD JOINT STOCK BANK``, ``… COMPANY PRIVATE JOINT
#: STOCK``): the kind of company, read as the form ``jsc`` after rigour's forms
#: legal forms the EU's file writes in its languages and rigour does not read (checked against
#: ``extract_org_types``), as written in ASCII, each with rigour's compare form: Lithuanian
#: (``Akcinė bendrovė „Massandra“``), Greek in Latin letters (``INTELLEXA ANONYMI ETAIREIA``),
#: Hungarian without its accents (``CYTROX HOLDINGS ZARTKORUEN MUKODO RESZVENYTARSASAG``),
#: Maltese (``Kumpanija b’Ishma Konġunti``), Latvian (``SABIEDRIBA AR IEROBEZOTU
#: ATBILDIBU``), Romanian (``Societatea deschisă pe acțiuni``), Slovenian (``Delniška družba``)
#: Swedish (``publikt aktiebolag``) and Slovak (``spoločnosť s ručením obmedzeným``); a
#: private military company (rigour's ``mil``: ``PMC``, ``ЧВК``, ``Private Military Company``)
#: as the EU's file writes it in French, Polish, Spanish, Romanian, Hungarian and Russian
#: transliteration (``ЧВК Конвой`` / ``société militaire privée Convoy``); and the Thai form
#: in the Royal Thai transcription OFAC writes, ``borisat`` (บริษัท, company) before the name and
#: ``chamkat`` (จำกัด, limited; ``chamkat mahachon``, จำกัด (มหาชน), public limited) after it:
#: ``BORISAT RUNGRIN CHAMKAT``, a.k.a. ``RUNGRIN COMPANY LTD.``; longest first
EXTRA_FORMS: tuple[tuple[str, str], ...] = (
    ("prywatne przedsiebiorstwo wojskowe", "mil"),
    ("chastnaya voennaya kompaniya", "mil"),
    ("spolocnost s rucenim obmedzenym", "llc"),
    ("gruparea militara privata", "mil"),
    ("prywatna firma wojskowa", "mil"),
    ("societe militaire privee", "mil"),
    ("empresa militar privada", "mil"),
    ("katonai maganvallalat", "mil"),
    ("sabiedriba ar ierobezotu atbildibu", "llc"),
    ("societatea deschisa pe actiuni", "jsc"),
    ("zartkoruen mukodo reszvenytarsasag", "jsc"),
    ("nyilvanosan mukodo reszvenytarsasag", "jsc"),
    ("uzdaroji akcine bendrove", "jsc"),
    ("kumpanija bishma kongunti", "jsc"),
    ("societatea pe actiuni", "jsc"),
    ("societate pe actiuni", "jsc"),
    ("reszvenytarsasag", "jsc"),
    ("anonymi etaireia", "jsc"),
    ("publikt aktiebolag", "jsc"),
    ("akcine bendrove", "jsc"),
    ("delniska druzba", "jsc"),
    ("chamkat mahachon", "jsc"),
    ("borisat", "company"),
    ("chamkat", "llc"),
)


@lru_cache(maxsize=1)
def _extra_forms() -> tuple[tuple[re.Pattern[str], str], ...]:
    """:data:`EXTRA_FORMS` as patterns, compiled when a name first holds one of their first
    words (40 patterns of this module take about 7 ms to compile; most screens need none)."""
    return tuple(
        (re.compile(r"(?<![a-z0-9])" + r"[\W_]+".join(phrase.split()) + r"(?![a-z0-9])"), form)
        for phrase, form in EXTRA_FORMS
    )


#: the first words of :data:`EXTRA_FORMS`: a name that holds none of them holds no such form
_EXTRA_FIRST_WORDS = frozenset(phrase.split()[0] for phrase, _ in EXTRA_FORMS)
_JOINT_STOCK = re.compile(r"(?<![a-z0-9])" + _QUALIFIER + r"joint[- ]stock(?![a-z0-9])")


_AND = r"[- ]+(?:and[- ]+)?"
_SCIPROD = r"(?:scientific|research)" + _AND + r"production[- ]+"
_NAUCHPROIZ = r"nauchno[- ]?proizvodstvenn[a-z]*[- ]+"
#: Russian kinds of organisation spelt out, in English or in transliteration, read as the
#: abbreviation the lists also write (:data:`GENERIC_WORDS`): ``SCIENTIFIC AND PRODUCTION
#: ASSOCIATION ELECTROMASHINA`` and ``NPO ELEKTROMASHINA``, ``EXPERIMENTAL DESIGN BUREAU FAKEL``
#: and ``OKB FAKEL``, ``NAUCHNO-PROIZVODSTVENNOE OBEDINENIE OPTIKA`` and ``NPO OPTIKA``
KIND_PHRASES: tuple[tuple[str, str], ...] = tuple(
    (short, r"(?<![a-z0-9])(?:" + pattern + r")(?![a-z0-9])")
    for short, pattern in (
        ("npo", _SCIPROD + r"association|" + _NAUCHPROIZ + r"ob[^a-z ]?y?edinen[a-z]*"),
        ("npp", _SCIPROD + r"enterprise|" + _NAUCHPROIZ + r"predpriyati[a-z]*"),
        (
            "npk",
            _SCIPROD + r"(?:company|corporation)|" + _NAUCHPROIZ + r"(?:kompani|korporatsi)[a-z]*",
        ),
        (
            "okb",
            r"(?:experimental|pilot)[- ]+design[- ]+bureau|opytn[a-z]*[- ]+konstruktorsk[a-z]*"
            r"[- ]+byuro",
        ),
        (
            "skb",
            r"special(?:i[sz]ed)?[- ]+design[- ]+bureau|spetsialn[a-z]*[- ]+konstruktorsk"
            r"[a-z]*[- ]+byuro",
        ),
        (
            "nii",
            r"scientific" + _AND + r"research[- ]+institute|nauchno[- ]?issledovatelsk[a-z]*"
            r"[- ]+institut[a-z]*",
        ),
        (
            "akb",
            r"joint[- ]stock[- ]+commercial[- ]+bank|aktsionern[a-z]*[- ]+kommerchesk[a-z]*"
            r"[- ]+bank",
        ),
        ("sz", r"speciali[sz]ed[- ]+developer|spetsializirovann[a-z]*[- ]+zastroishchik"),
        (
            "goskorporatsiya",
            r"state[- ]+corporation|gosudarstvenn[a-z]*[- ]+korporatsi[a-z]*",
        ),
    )
)


#: a country's formal name as the short one names carry (``CENTRAL BANK OF THE RUSSIAN
#: FEDERATION`` / ``BANK OF RUSSIA``, ``… OF THE ISLAMIC REPUBLIC OF IRAN`` / ``… OF IRAN``);
#: the adjective (``Russian``, ``Iranian``) is left alone: it is another word
COUNTRY_NAMES: tuple[tuple[str, str], ...] = tuple(
    (short, r"(?<![a-z0-9])(?:" + pattern + r")(?![a-z0-9])")
    for short, pattern in (
        ("russia", r"russian[- ]+federation"),
        ("iran", r"islamic[- ]+republic[- ]+of[- ]+iran"),
        ("china", r"people'?s?[- ]+republic[- ]+of[- ]+china"),
        ("syria", r"syrian[- ]+arab[- ]+republic"),
        ("venezuela", r"bolivarian[- ]+republic[- ]+of[- ]+venezuela"),
        ("belarus", r"republic[- ]+of[- ]+belarus"),
        ("united states", r"united[- ]+states[- ]+of[- ]+america"),
    )
)


#: any of :data:`KIND_PHRASES` and :data:`COUNTRY_NAMES`: one search tells a name with none
_ANY_KIND = re.compile("|".join(p for _, p in (*KIND_PHRASES, *COUNTRY_NAMES)))


@cache
def _kind_pattern(pattern: str) -> re.Pattern[str]:
    """One pattern of :data:`KIND_PHRASES` or :data:`COUNTRY_NAMES`, compiled when a name
    first holds one of them."""
    return re.compile(pattern)


def _kinds(text: str) -> tuple[str, list[str]]:
    """``text`` with each kind of organisation of :data:`KIND_PHRASES` written as its
    abbreviation and each country's formal name of :data:`COUNTRY_NAMES` as its short one,
    and a reading for each."""
    readings: list[str] = []
    if not _ANY_KIND.search(text):  # most names: none of the patterns below is there
        return text, readings
    for what, phrases in (("kind_of_organisation", KIND_PHRASES), ("country", COUNTRY_NAMES)):
        for short, pattern in phrases:
            compiled = _kind_pattern(pattern)
            for found in dict.fromkeys(m.group(0) for m in compiled.finditer(text)):
                readings.append(f"{what}: {found!r} read as {short!r}")
            text = compiled.sub(short, text)
    return text, readings


#: another name of the entity written inside its name, as OFAC writes a former one: ``Gazprom
#: Promgaz, AO (f.k.a. Otkrytoe Aktsionernoe Obshchestvo Gazprom Promgaz)``
_OTHER_NAME = re.compile(r"\(\s*(?:f\.?k\.?a|a\.?k\.?a|formerly|previously)\b[^()]*\)")
#: ``otkrytogo tipa``/``zakrytogo tipa`` (открытого/закрытого типа, "of the open/closed type"),
#: which old Russian and Ukrainian names write after their form
_FORM_TYPE = re.compile(r"(?<![a-z0-9])(?:otkrytogo|zakrytogo)\s+tipa(?![a-z0-9])")


def _other_names(text: str) -> tuple[str, list[str]]:
    """``text`` without another name written inside it (:data:`_OTHER_NAME`), and a reading."""
    readings = [f"other_name: {m.group(0)!r} set aside" for m in _OTHER_NAME.finditer(text)]
    if not readings:
        return text, readings
    rest = _OTHER_NAME.sub(" ", text)
    return (rest, readings) if fold(to_ascii(rest)).split() else (text, [])


#: a bracketed word: ``(CAGL)``, ``(AAS-T)``
_BRACKETED = re.compile(r"\(\s*([^()\s]{2,12})\s*\)")
#: where the words an acronym stands for begin at the latest: a bracket, or a ``;`` between two
#: names written as one
_NAME_BREAK = re.compile(r"[;()]")


def _own_acronym(text: str) -> tuple[str, list[str]]:
    """``text`` without a bracketed acronym of the words before it: ``ANSAR AL-SHARI'A IN
    TUNISIA (AAS-T)``, ``COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)``. The name's own acronym
    says nothing its words do not, and a query of the acronym alone meets the words' initials
    (:func:`~bidvet.screening.features_v2.acronym`). The words are those since the previous
    bracket or ``;`` (a list may write two names in one: ``… (CAGL) ; GREAT LAKES BUSINESS
    COMPANY (GLBC)``); their initials, with or without the stop words, may differ from an
    acronym of three letters or more by one letter, so that a name typed with two words run
    together or one split (``GLOBAL RELIEFFOUNDATION (GRF)``) is read as the listed one is. A
    bracket that is not their acronym stays a word (the lists tell entities apart by such
    parts: ``AERO CONTINENTE (USA) INC.``)."""
    readings: list[str] = []
    for m in reversed(list(_BRACKETED.finditer(text))):
        letters = "".join(ch for ch in fold(to_ascii(m.group(1))) if ch.isalnum())
        before = fold(to_ascii(_NAME_BREAK.split(text[: m.start()])[-1])).split()
        if len(letters) < 2 or len(before) < 2:
            continue
        slips = 1 if len(letters) >= 3 else 0
        initials = (
            "".join(w[0] for w in before),
            "".join(w[0] for w in before if w not in STOP_WORDS),
        )
        if any(OSA.distance(letters, i, score_cutoff=slips) <= slips for i in initials):
            text = f"{text[: m.start()]} {text[m.end() :]}"
            readings.append(f"own_acronym: {m.group(0)!r} is the initials of the words before it")
    return text, readings


def _strip_forms(lower: str) -> tuple[str, set[str]]:
    """Remove the legal forms rigour finds (not roman numerals), each with a qualifier before
    it (:data:`FORM_QUALIFIERS`), then those of :data:`EXTRA_FORMS` and ``joint stock`` left
    without ``company``; return text and forms."""
    forms: set[str] = set()
    for surface, target in extract_org_types(lower, generic=True):
        bare = surface.strip(" .").replace(".", "")
        if bare in ROMAN:
            continue
        body = _QUALIFIER + re.escape(surface)
        pattern = r"(?<![a-z0-9])" + body + r"(?![a-z0-9])"
        if len(bare) <= 2:
            # a two-letter form ("at", "as") is read as a form only at the end of the name;
            # those of START_FORMS at its start too
            end = pattern + r"[\s.,;:()]*$"
            pattern = end + (rf"|^[\W_]*{body}\s" if bare in START_FORMS else "")
        new = re.sub(pattern, " ", lower)
        if new != lower:
            forms.add(target)
            lower = new
    extras = _extra_forms() if any(w in lower for w in _EXTRA_FIRST_WORDS) else ()
    for extra, form in extras:
        new = extra.sub(" ", lower)
        if new != lower and new.strip():
            forms.add(form)
            lower = new
    new = _JOINT_STOCK.sub(" ", lower)
    if new != lower and new.strip():
        forms.add("jsc")
        lower = new
    if forms:
        lower = _FORM_TYPE.sub(" ", lower)
    return lower, forms


#: Chinese legal forms in pinyin, longest first ("gu fen you xian gong si" = 股份有限公司)
PINYIN_FORMS = (
    ("gu", "fen", "you", "xian", "gong", "si"),
    ("you", "xian", "ze", "ren", "gong", "si"),
    ("you", "xian", "gong", "si"),
    ("ji", "tuan", "gong", "si"),
    ("gong", "si"),
)


def _strip_pinyin_forms(words: list[str], forms: set[str]) -> list[str]:
    """Drop a Chinese legal form (in pinyin) at the end of the name."""
    for form in PINYIN_FORMS:
        n = len(form)
        if len(words) > n and tuple(words[-n:]) == form:
            forms.add("".join(form))
            return words[:-n]
    return words


def _unglue(original: str) -> str:
    """``SiemensAG`` → ``Siemens AG`` when the glued tail is a legal-form word."""
    parts = _GLUED_FORM.split(original.rstrip(), maxsplit=1)
    if len(parts) == 2 and parts[1].strip(" .,").lower() in LEGAL_WORDS:
        return f"{parts[0]} {parts[1]}"
    return original


#: at most this many words after a legal form inside a name are read as what they usually
#: are there, a place or a branch (:func:`_after_form`)
AFTER_FORM_WORDS = 2
#: the legal forms :func:`_after_form` reads inside a name: abbreviations of three letters or
#: more only. ``company``, ``corporation`` and ``limited`` there are words of the name
#: (``MILITARY INDUSTRIAL CORPORATION MASHINOSTROYENIA``), a two-letter form or ``spa`` is as
#: likely a word (``as``, ``co``, ``ad``), and :data:`ABBREVIATED_FORMS` are forms only at an
#: end of a name (``Grand Sal Group``)
_FORM_ABBREVIATIONS = frozenset(
    w
    for w in LEGAL_WORDS
    if len(w) >= 3 and w not in {"company", "corporation", "incorporated", "limited", "spa"}
)


def _after_form(original: str, words: list[str]) -> int:
    """How many of the last ``words`` follow a legal form written inside the name: the words
    after the last legal-form abbreviation of ``original`` (:data:`_FORM_ABBREVIATIONS`) when
    it is neither its first nor its last word, they are at most
    :data:`AFTER_FORM_WORDS`, none is a legal form or a stop word, and they close ``words``
    after at least one word: ``FRUIT ECO D.O.O. GRADISKA``, ``GLOBAL UNITED SHIPPING LTD-BZE``,
    ``HONGYUAN MARINE CO LTD HONG UNION`` (the lists' way of naming a company's town or
    branch); ``0`` otherwise."""
    if len(words) < 2:  # a word after the form and one before it at least
        return 0
    tokens = fold(to_ascii(original.casefold())).split()
    for k in range(len(tokens) - 2, 0, -1):
        if tokens[k] in _FORM_ABBREVIATIONS:
            tail = tokens[k + 1 :]
            if (
                len(tail) <= AFTER_FORM_WORDS
                and all(t.isalpha() and t not in STOP_WORDS and not legal_word(t) for t in tail)
                and len(words) > len(tail)
                and words[-len(tail) :] == tail
            ):
                return len(tail)
            return 0
    return 0


@lru_cache(maxsize=65536)
def canonical(original: str) -> CanonName:
    """Read ``original`` as matcher v2 does; see the module docstring for the steps."""
    script = script_of(original)
    readings: list[str] = []
    text = _unglue(original)
    if text != original:
        readings.append(f"glued_legal_form: {original.strip()!r} read as {text.strip()!r}")
    text = _SAL_OFFSHORE.sub(" sal ", _APOS.sub("", text.casefold()))
    text, others = _other_names(text)
    readings.extend(others)
    text, acronyms = _own_acronym(text)
    readings.extend(acronyms)
    if "&" in text:
        readings.append("ampersand: '&' read as 'and'")
    text = _PUNCT_AND.sub(" and ", text)
    text, typed = _form_phrase_typos(text)
    readings.extend(typed)
    text, kinds = _kinds(text)
    readings.extend(kinds)
    lower, forms = _strip_forms(text)
    ascii_lower = to_ascii(lower)
    if ascii_lower != lower:  # forms written in the transliteration (e.g. pinyin "youxiangongsi")
        ascii_lower, kinds = _kinds(ascii_lower)
        readings.extend(kinds)
        ascii_lower, more = _strip_forms(ascii_lower)
        forms |= more
    words = fold(ascii_lower).split()
    if script == "cjk":
        # one word: pinyin syllables split per character, which says nothing about word limits
        words = ["".join(_strip_pinyin_forms(words, forms))]
    # legal-form words through typos at the end of the name (short words only), exact ones at
    # its start too
    closing = len(words)
    while len(words) > 1 and _form_at_end(words[-1], forms, original):
        word = words.pop()
        term = _form_term(word)
        if term is not None:
            readings.append(f"legal_form_term: {word!r} read as the legal form {term!r}")
            word = term
        elif word not in LEGAL_WORDS and word not in ABBREVIATED_FORMS:
            readings.append(f"legal_form_typo: {word!r} read as a legal form")
        forms.add(TRANSLITERATED_FORMS.get(word, word))
    if len(words) < closing and len(words) > 1 and words[-1] in FORM_QUALIFIERS:
        # ``Public Company Limited``: the word says which kind of form closes the name
        readings.append(f"legal_form: {words.pop()!r} read with the legal form after it")
    while len(words) > 1 and (
        (words[0] in LEGAL_WORDS and words[0] not in ROMAN) or words[0] in ABBREVIATED_FORMS
    ):
        word = words.pop(0)
        forms.add(TRANSLITERATED_FORMS.get(word, word))
    expanded: list[str] = []
    for w in words:
        full = ABBREVIATIONS.get(w, (w,)) if len(words) > 1 else (w,)
        if full != (w,):
            readings.append(f"abbreviation: {w!r} read as {' '.join(full)!r}")
        expanded.extend(full)
    numbered = _numbers(expanded)
    if numbered != expanded:
        changed = [w for w in expanded if w not in numbered]
        digits = [w for w in numbered if w not in expanded]
        readings.append(f"number_word: {' '.join(changed)!r} read as {' '.join(digits)!r}")
    spelt = [_generic_spelling(w) for w in numbered]
    for before, after in zip(numbered, spelt, strict=True):
        if before != after:
            readings.append(f"generic_word_typo: {before!r} read as {after!r}")
    words = spelt or words
    if not words:
        words = fold(to_ascii(text)).split() or [original.casefold()]
    tail = _after_form(original, words)
    if tail and len(words) > tail + 1 and words[-tail - 1] in _FORM_ABBREVIATIONS:
        # the form rigour leaves inside a name (``… DOO BEOGRAD-PALILULA``) is a form there too
        form = words.pop(-tail - 1)
        forms.add(TRANSLITERATED_FORMS.get(form, form))
        readings.append(f"legal_form: {form!r} read as the legal form before a place or branch")
    roles = [_role(w) for w in words]
    joined = [i for i in range(1, len(words) - 1) if words[i] in CONNECTORS]
    for i in joined:
        roles[i] = "stop"
    if joined:
        said = ", ".join(dict.fromkeys(repr(words[i]) for i in joined))
        readings.append(f"connector: {said} between two words weighs as a stop word")
    for i in sorted(patronymic_positions(words, original)):
        if roles[i] == "distinctive":
            roles[i] = "generic"
            readings.append(f"patronymic: {words[i]!r} weighs as a generic word")
    for i in range(len(words) - tail, len(words)):
        if roles[i] == "distinctive":
            roles[i] = "generic"
            readings.append(
                f"after_legal_form: {words[i]!r} weighs as a generic word (a place or branch "
                "written after the legal form)"
            )
    return CanonName(
        original=original,
        words=tuple(words),
        roles=tuple(roles),
        forms=frozenset(forms),
        script=script,
        readings=tuple(readings),
    )
