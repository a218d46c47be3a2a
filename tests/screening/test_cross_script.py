"""A transliterated name and the company's own Latin name spell some letters differently by
design (``Новелко`` → ``novelko``, the company writes ``Novelco``): matcher v2 reads the two in
one spelling, only across scripts, and only for spellings of one letter of the other script."""

from __future__ import annotations

import pytest

from bidvet.resolution.config import load_resolution_config
from bidvet.screening.canonical import canonical
from bidvet.screening.features_v2 import PairV2
from bidvet.screening.score import compare_names
from bidvet.screening.spellings import cross_script, cross_script_spelling


@pytest.mark.parametrize(
    ("latin", "transliterated"),
    [
        ("novelco", "novelko"),  # к
        ("acuta", "akuta"),
        ("mihail", "mikhail"),  # х
        ("alexandr", "aleksandr"),  # кс
        ("dmitrij", "dmitriy"),  # й
        ("wolkov", "volkov"),  # в
    ],
)
def test_one_spelling_for_the_spellings_of_one_letter_of_the_other_script(
    latin: str, transliterated: str
) -> None:
    assert cross_script_spelling(latin) == cross_script_spelling(transliterated)


@pytest.mark.parametrize(
    ("a", "b"),
    [("zakharov", "sakharov"), ("sharov", "kharov"), ("charov", "kharov"), ("bison", "bizon")],
)
def test_spellings_of_two_letters_of_the_other_script_stay_apart(a: str, b: str) -> None:
    """з and с, ш, ч and х are different letters: Zakharov and Sakharov are two names."""
    assert cross_script_spelling(a) != cross_script_spelling(b)


def test_short_words_and_numbers_are_left_as_they_are() -> None:
    assert cross_script_spelling("zak") == "zak"
    assert cross_script_spelling("z100") == "z100"


@pytest.mark.parametrize(
    ("latin", "other"),
    [("LLC Novelco", "ООО “Новелко”"), ("Acuta", "Акута"), ("Qvant Systems", "Квант Системс")],
)
def test_a_latin_name_meets_its_transliteration_and_the_explanation_says_how(
    latin: str, other: str
) -> None:
    c = compare_names(latin, other)
    assert c.match, c
    assert any("cross-script spelling" in line for line in c.explanation), c.explanation


def test_names_in_one_script_are_compared_as_written() -> None:
    """Among Latin names the same folds would join different words (``Acuta`` and ``Akuta``
    may be two companies), so the two are not read as one word: the one word spelt another way
    is weighed by the fitted ``single_word_spelling``, and the pair stays a possible match for
    a person to judge, below the score a bidder is taken as the entity at."""
    latin = compare_names("Acuta Ltd", "Akuta Ltd")
    assert not any("cross-script" in line for line in latin.explanation)
    assert "word_typos: acuta ~ akuta" in latin.explanation
    assert any(line.startswith("single_word_spelling=1.00") for line in latin.explanation)
    assert latin.score < load_resolution_config().resolve_score
    a, b = canonical("ООО “Новелко”"), canonical("АО “Новелко”")
    assert cross_script(a, b) == (a, b)
    # Chinese names go through pinyin, not these letter folds
    cjk, lat = canonical("海康威视"), canonical("Haikang Weishi")
    assert cross_script(cjk, lat) == (cjk, lat)


def test_the_pair_reads_both_names_in_one_spelling() -> None:
    pair = PairV2(canonical("LLC Novelco"), canonical("ООО “Новелко”"))
    assert pair.query.words == pair.candidate.words == ("novelko",)
