"""How common a word is in English text: the evidence a shared word carries depends on it.

Two names sharing ``Hikvision`` are very likely one company; two names sharing ``Amber`` or
``Star`` may well be two, because many unrelated companies are named with a dictionary word.
The lists alone cannot tell: ``amber`` is in few listed names, so its rarity there
(:func:`~bidvet.screening.features_v2.word_rarity`) calls it rare. Matcher v2's
:func:`~bidvet.screening.features_v2.shared_common` reads how common the shared words are in
English text instead.

The table (``common_words_en.tsv``) gives each word's Zipf frequency (``log10`` of its
occurrences per billion words) in English text, from wordfreq's ``best`` English word list:
Robyn Speer, *wordfreq* (v3.1.1), https://github.com/rspeer/wordfreq, doi:10.5281/zenodo.7199437;
its data is licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), and so is
this table, which is derived from it. Only lowercase ``a``-``z`` words at Zipf
:data:`MIN_ZIPF` or more are listed; every other word counts as ``0``. The table is built by
``bench/train_name_model.py`` with the model (``--check`` verifies both) and is fixed, so
scores do not move when wordfreq does.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

#: the bundled table
TABLE_FILE = Path(__file__).parent / "common_words_en.tsv"
#: words less frequent than this are left out of the table
MIN_ZIPF = 2.5

_TABLE: list[Mapping[str, float]] = []


def parse_table(text: str) -> dict[str, float]:
    """The table's lines: a Zipf frequency, a tab, and the words that have it, separated by
    spaces (``#`` lines are comments). Grouped so: reading it is one dictionary update per
    line, not per word (a few milliseconds for the 51,000 words)."""
    out: dict[str, float] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        value, sep, words = line.partition("\t")
        try:
            zipf = float(value)
        except ValueError:
            zipf = -1.0
        if not sep or zipf < 0:
            raise ValueError(f"{TABLE_FILE.name} line {number}: expected zipf<TAB>words")
        out.update(dict.fromkeys(words.split(), zipf))
    return out


def use_table(table: Mapping[str, float]) -> None:
    """Use ``table`` for :func:`zipf` (the training script sets the one it fits with)."""
    _TABLE[:] = [table]


def table() -> Mapping[str, float]:
    """The table in use: by default the bundled one, read once."""
    if not _TABLE:
        _TABLE[:] = [parse_table(TABLE_FILE.read_text(encoding="utf-8"))]
    return _TABLE[0]


def zipf(word: str) -> float:
    """The Zipf frequency of ``word`` (lowercase) in English text; ``0`` when not listed."""
    return table().get(word, 0.0)
