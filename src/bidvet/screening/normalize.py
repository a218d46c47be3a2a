"""What a name is compared as: transliterated, folded, with its legal form taken apart.

``"NUCTECH CO., LTD."`` and ``"Nuctech Company Limited"`` must meet; so must ``"ООО Ромашка"`` and
``"Romashka LLC"``. Each name becomes a :class:`NormalName`:

1. case-folded; legal forms found by rigour's org-type table (in the original script and in
   the transliteration) and set aside as canonical *forms* (``co., ltd.`` → ``llc``,
   ``Gesellschaft mit beschränkter Haftung`` → ``llc``, ``Aktiengesellschaft`` → ``ag``);
2. transliterated to ASCII with rigour (``Шевченко → Shevchenko``, Chinese to pinyin);
3. punctuation folded to spaces, runs of single letters joined (``I.R.G.C.`` → ``irgc``), and the
   generic company words of the screening policy (``company``, ``corporation``…) dropped.

What is left is the *core*: the part of the name that identifies the organisation. The original
string is kept for display; nothing here changes what the user sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rigour.names import extract_org_types, remove_org_types

try:  # some rigour releases (1.0, 2.1) leave transliteration to normality, a rigour dependency
    from rigour.text import ascii_text
except ImportError:  # pragma: no cover - depends on the installed rigour
    from normality import ascii_text

_APOSTROPHES = re.compile(r"['’`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: a word of one letter in a folded name (a letter run to join)
_SINGLE_LETTER = re.compile(r"(?:^| )[a-z](?: |$)")


@dataclass(frozen=True, slots=True)
class NormalName:
    """A name prepared for comparison; ``original`` is what the list or the user wrote."""

    original: str
    folded: str  # whole name, ASCII, lower case, punctuation folded
    core: str  # folded name without legal forms and generic company words
    forms: frozenset[str]  # canonical legal forms found (rigour's compare forms: llc, ag, jsc…)
    tokens: tuple[str, ...] = field(init=False)  # the core's words

    def __post_init__(self) -> None:
        object.__setattr__(self, "tokens", tuple(self.core.split()))


def fold(text: str) -> str:
    """ASCII, lower case, punctuation as single spaces, single-letter runs joined."""
    text = _APOSTROPHES.sub("", text.lower())
    joined = " ".join(_NON_ALNUM.sub(" ", text).split())
    if not _SINGLE_LETTER.search(joined):  # nothing to join (most names)
        return joined
    out: list[str] = []
    run: list[str] = []
    for tok in joined.split():
        if len(tok) == 1 and tok.isalpha():
            run.append(tok)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(tok)
    if run:
        out.append("".join(run))
    return " ".join(out)


def to_ascii(text: str) -> str:
    """Transliterate any script to ASCII (rigour), lower-cased."""
    if text.isascii():
        return text.lower()
    return str(ascii_text(text)).lower()


def normalize(text: str, generic_words: Iterable[str] = ()) -> NormalName:
    """Prepare ``text`` for comparison; see the module docstring for the steps."""
    folded, core, forms = normal_parts(text, frozenset(generic_words))
    return NormalName(original=text, folded=folded, core=core, forms=forms)


def normal_parts(text: str, generic: frozenset[str]) -> tuple[str, str, frozenset[str]]:
    """:func:`normalize`'s folded name, core and legal forms, without the object (the catalog
    reads every name of a store this way)."""
    lower = text.casefold()
    ascii_lower = to_ascii(text)
    found = extract_org_types(lower, generic=True)
    if lower != ascii_lower:
        found += extract_org_types(ascii_lower, generic=True)
    forms = frozenset(target for _, target in found)
    folded = fold(ascii_lower)
    if forms:
        stripped = to_ascii(remove_org_types(lower, replacement=" "))
        folded_stripped = fold(remove_org_types(stripped, replacement=" "))
    else:
        folded_stripped = folded
    core_tokens = [t for t in folded_stripped.split() if t not in generic]
    core = " ".join(core_tokens) or folded_stripped or folded
    return folded, core, forms


@lru_cache(maxsize=4096)
def normalize_cached(text: str, generic_words: tuple[str, ...]) -> NormalName:
    """:func:`normalize` with a small cache, for query-side names typed again and again."""
    return normalize(text, generic_words)
