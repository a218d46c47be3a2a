"""A Latin name may write a Cyrillic or Greek letter another way than rigour's transliteration
(``ЭШЕЛОН`` is ``eshelon`` to rigour, ``Echelon`` to the company): matcher v2 reads a Latin word
as the word of the other name it is a spelling of, letter by letter from the source letters,
for organisation names only."""

from __future__ import annotations

import pytest

from bidvet.resolution.config import load_resolution_config
from bidvet.screening.canonical import canonical
from bidvet.screening.features_v2 import PairV2
from bidvet.screening.renderings import renders, source_words
from bidvet.screening.score import compare_names
from bidvet.screening.spellings import as_person


@pytest.mark.parametrize(
    ("source", "latin", "script"),
    [
        ("эшелон", "echelon", "cyrillic"),  # ш as the French write it
        ("нтехлаб", "ntechlab", "cyrillic"),  # х as the Germans do
        ("юрий", "yuri", "cyrillic"),  # -ий
        ("щукин", "schtschukin", "cyrillic"),
        ("алекс", "alex", "cyrillic"),  # кс as x
        ("боско", "bossco", "cyrillic"),  # a letter written twice
        ("χαμάς", "hamas", "greek"),  # χ as h, accent and final sigma
        ("θεσσαλονίκη", "thessaloniki", "greek"),
        ("ростех", "rostec", "cyrillic"),  # тех as the Latin root tec
        ("техмаш", "tecmash", "cyrillic"),
        ("бизон", "bison", "cyrillic"),  # an s between vowels is written з
        ("оазис", "oasis", "cyrillic"),
    ],
)
def test_a_latin_spelling_of_the_source_letters_is_a_rendering(
    source: str, latin: str, script: str
) -> None:
    assert renders(source, latin, script)


@pytest.mark.parametrize(
    ("source", "latin"),
    [
        ("сахаров", "zakharov"),  # с is never z
        ("шаров", "kharov"),  # ш is never kh
        ("зима", "sima"),  # з as the German s: another surname (only between vowels)
        ("бизнес", "bisnes"),  # з before a consonant
        ("эшелон", "echelo"),  # the whole word, not a prefix
        ("эшелон", "echelons"),
        ("бехтерев", "becterev"),  # х as c only in тех
        ("тихон", "ticon"),
    ],
)
def test_spellings_of_another_letter_are_not_renderings(source: str, latin: str) -> None:
    assert not renders(source, latin, "cyrillic")


def test_only_cyrillic_and_greek_are_read_letter_by_letter() -> None:
    assert not renders("حماس", "hamas", "arabic")
    assert not renders("эшелон1", "echelon1", "cyrillic")


def test_source_words_are_found_by_their_transliteration() -> None:
    assert source_words("АО «ЭШЕЛОН» Эшелон") == {"ao": "ао", "eshelon": "эшелон"}
    # two source words read as one transliteration: neither is taken
    assert "e" not in source_words("е э")


@pytest.mark.parametrize(
    ("latin", "other"),
    [
        ("ECHELON JSC", "ЭШЕЛОН"),
        ("NtechLab", "Нтехлаб"),
        ("Hamas", "Χαμάς"),
        ("Tecmash", "„Техмаш“"),  # 0.28 before тех was read as tec
        ("LLC Bison", "ООО “Бизон”"),  # 0.13 before з between vowels was read as s
    ],
)
def test_a_company_named_in_another_spelling_of_its_letters_matches(latin: str, other: str) -> None:
    """Each scored 0.09-0.28 as a slip in a one-word name before (``single_word_typo``)."""
    for a, b in ((latin, other), (other, latin)):
        c = compare_names(a, b)
        assert c.match and c.score >= load_resolution_config().resolve_score, c
        assert any("cross-script rendering" in line for line in c.explanation), c.explanation


def test_people_are_not_read_so() -> None:
    """``Charov`` is a French spelling of ``Шаров`` and also the English one of ``Чаров``,
    another man's name; people are compared in rigour's spelling and the Cyrillic spelling
    rules only. A company so named is read through the rendering."""
    person = PairV2(as_person(canonical("Ivan Charov")), as_person(canonical("Иван Шаров")))
    assert "charov" not in person.candidate.words
    assert not any("rendering" in r for r in person.candidate.readings)
    org = PairV2(canonical("Charov"), canonical("Шаров"))
    assert org.candidate.words == ("charov",)
