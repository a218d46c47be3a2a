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

from collections.abc import Iterator, Mapping
from pathlib import Path

#: the bundled table
TABLE_FILE = Path(__file__).parent / "common_words_en.tsv"
#: words less frequent than this are left out of the table
MIN_ZIPF = 2.5

_TABLE: list[Mapping[str, float]] = []


def _lines(text: str) -> Iterator[tuple[float, str]]:
    """The table's lines: a Zipf frequency, a tab, and the words that have it, separated by
    spaces (``#`` lines are comments)."""
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
        yield zipf, words


def parse_table(text: str) -> dict[str, float]:
    """The table as a dictionary. Grouped by frequency: reading it is one dictionary update
    per line, not per word (about 10 ms for the 51,000 words)."""
    out: dict[str, float] = {}
    for zipf, words in _lines(text):
        out.update(dict.fromkeys(words.split(), zipf))
    return out


class ZipfTable(Mapping[str, float]):
    """The bundled table, read as it is needed: a word is first found by searching the
    table's text (about 70 µs: the table is searched through for a word it does not hold),
    and once :data:`LOOKUPS` words have been looked up the whole table is read into a
    dictionary. A process that screens one name looks up about a dozen words, and does not
    spend the 10 ms the dictionary takes to build; an assessment looks up about 250."""

    #: words looked up in the text before the dictionary is built
    LOOKUPS = 64

    def __init__(self, text: str) -> None:
        # each line as "\n<zipf>\t <word> <word> … ", so " <word> " finds a whole word
        self._text = "".join(f"\n{zipf!r}\t {words} " for zipf, words in _lines(text))
        self._words: dict[str, float] | None = None
        self._looked_up = 0

    def _all(self) -> dict[str, float]:
        if self._words is None:
            self._words = parse_table(self._text)
        return self._words

    def __getitem__(self, word: str) -> float:
        if self._words is not None or self._looked_up >= self.LOOKUPS:
            return self._all()[word]
        self._looked_up += 1
        # the table holds lowercase a-z words only: anything else (a space, a digit) is not in it
        at = self._text.find(f" {word} ") if word.isascii() and word.isalpha() else -1
        if at < 0 or not word.islower():
            raise KeyError(word)
        start = self._text.rfind("\n", 0, at) + 1
        return float(self._text[start : self._text.index("\t", start)])

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def use_table(table: Mapping[str, float]) -> None:
    """Use ``table`` for :func:`zipf` (the training script sets the one it fits with)."""
    _TABLE[:] = [table]


def table() -> Mapping[str, float]:
    """The table in use: by default the bundled one (:class:`ZipfTable`)."""
    if not _TABLE:
        _TABLE[:] = [ZipfTable(TABLE_FILE.read_text(encoding="utf-8"))]
    return _TABLE[0]


def zipf(word: str) -> float:
    """The Zipf frequency of ``word`` (lowercase) in English text; ``0`` when not listed."""
    return table().get(word, 0.0)
