"""A transliterated name and the company's own Latin name spell some letters differently by
design (``Бизон`` → ``bizon``, the company writes ``Bison``): matcher v2 reads the two in one
spelling, and only across scripts."""

from __future__ import annotations

import pytest

from bidvet.screening.canonical import canonical
from bidvet.screening.features_v2 import PairV2
from bidvet.screening.score import compare_names
from bidvet.screening.spellings import cross_script, cross_script_spelling


@pytest.mark.parametrize(
    ("latin", "transliterated"),
    [
        ("bison", "bizon"),  # з
        ("acuta", "akuta"),  # к
        ("novelco", "novelko"),
        ("echelon", "eshelon"),  # ш
        ("hamas", "chamas"),  # Greek χ
        ("alexandr", "aleksandr"),  # кс
    ],
)
def test_one_spelling_for_the_letters_transliterations_write_for_one_sound(
    latin: str, transliterated: str
) -> None:
    assert cross_script_spelling(latin) == cross_script_spelling(transliterated)


def test_short_words_and_numbers_are_left_as_they_are() -> None:
    assert cross_script_spelling("zak") == "zak"
    assert cross_script_spelling("z100") == "z100"


@pytest.mark.parametrize(
    ("latin", "other"),
    [("LLC Bison", "ООО “Бизон”"), ("ECHELON JSC", "ЭШЕЛОН"), ("Hamas", "Χαμάς")],
)
def test_a_latin_name_meets_its_transliteration_and_the_explanation_says_how(
    latin: str, other: str
) -> None:
    c = compare_names(latin, other)
    assert c.match, c
    assert any("cross-script spelling" in line for line in c.explanation), c.explanation


def test_names_in_one_script_are_compared_as_written() -> None:
    """Among Latin names the same folds would join different words: ``Bison`` and ``Bizon``
    are two companies as far as the spelling tells."""
    latin = compare_names("Bison Ltd", "Bizon Ltd")
    assert not latin.match
    assert not any("cross-script" in line for line in latin.explanation)
    a, b = canonical("ООО “Бизон”"), canonical("АО “Бизон”")
    assert cross_script(a, b) == (a, b)
    # Chinese names go through pinyin, not these letter folds
    cjk, lat = canonical("海康威视"), canonical("Haikang Weishi")
    assert cross_script(cjk, lat) == (cjk, lat)


def test_the_pair_reads_both_names_in_one_spelling() -> None:
    pair = PairV2(canonical("LLC Bison"), canonical("ООО “Бизон”"))
    assert pair.query.words == pair.candidate.words == ("bison",)
