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
    tokens = _NON_ALNUM.sub(" ", text).split()
    out: list[str] = []
    run: list[str] = []
    for tok in tokens:
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
    lower = text.casefold()
    ascii_lower = to_ascii(text)
    found = extract_org_types(lower, generic=True)
    if lower != ascii_lower:
        found += extract_org_types(ascii_lower, generic=True)
    forms = frozenset(target for _, target in found)
    if forms:
        stripped = to_ascii(remove_org_types(lower, replacement=" "))
        stripped = remove_org_types(stripped, replacement=" ")
    else:
        stripped = ascii_lower
    folded = fold(ascii_lower)
    generic = frozenset(generic_words)
    core_tokens = [t for t in fold(stripped).split() if t not in generic]
    core = " ".join(core_tokens) or fold(stripped) or folded
    return NormalName(original=text, folded=folded, core=core, forms=forms)


@lru_cache(maxsize=4096)
def normalize_cached(text: str, generic_words: tuple[str, ...]) -> NormalName:
    """:func:`normalize` with a small cache, for query-side names typed again and again."""
    return normalize(text, generic_words)
