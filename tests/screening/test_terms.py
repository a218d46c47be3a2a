"""One term written another way: translations (rigour's tagger) and transliterations (sound
keys) partner words in matcher v2; legal-form abbreviations of the lists' transliterations.

Pairs of real company names are compared as strings only (no fact about the companies is
asserted).
"""

from __future__ import annotations

import pytest

from bidvet.screening.canonical import canonical
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import V2, default_policy, policy_for
from bidvet.screening.features_v2 import PairV2, other_wording, word_meets
from bidvet.screening.matcher import Matcher
from bidvet.screening.score import compare_names
from bidvet.screening.terms import same_term, sound_keys, term_symbols

THRESHOLD = default_policy().scoring.threshold


@pytest.mark.parametrize(
    ("a", "b", "symbol"),
    [
        ("zavod", "plant", "[DOMAIN:FACTORY]"),
        ("sistemy", "systems", "[SYMBOL:SYSTEM]"),
        ("tsentr", "center", "[SYMBOL:CENTER]"),
        ("grupp", "group", "[SYMBOL:GRP]"),
    ],
)
def test_a_translation_is_a_symbol_rigour_gives_both_words(a: str, b: str, symbol: str) -> None:
    assert symbol in term_symbols(a) & term_symbols(b)
    assert same_term(a, b) == f"translation {symbol}"


@pytest.mark.parametrize(
    ("a", "b", "key"),
    [
        ("konsalting", "consulting", "knsltng"),
        ("menedzhment", "management", "mnjmnt"),
        ("inzhiniring", "engineering", "njnrng"),
        ("venchurs", "ventures", "vnkr"),
        ("kraftvey", "kraftway", "krftv"),
        ("brokeridzh", "brokerage", "brkrj"),
    ],
)
def test_a_transliteration_keeps_the_consonants(a: str, b: str, key: str) -> None:
    assert key in sound_keys(a) & sound_keys(b)
    assert same_term(a, b) is not None


def test_short_keys_and_different_words_are_not_one_term() -> None:
    assert sound_keys("raiz") == frozenset()  # two consonants say too little
    assert same_term("raiz", "rise") is None
    assert same_term("hikvision", "dahua") is None
    assert same_term("moscow", "moscow") is None  # the same word is not "another way"
    assert sound_keys("1234") == frozenset()


@pytest.mark.parametrize(
    ("borrowed", "english", "key"),
    [("energiya", "energy", "nrj"), ("aviatsiya", "aviation", "vts")],
)
def test_a_borrowed_word_with_the_russian_ending_meets_its_english_form(
    borrowed: str, english: str, key: str
) -> None:
    """The ending -iya leaves the key one consonant short; across it a key of three counts."""
    assert sound_keys(borrowed) == frozenset()
    assert same_term(borrowed, english) == f"transliteration {key}"
    # not between two words without the ending, nor two with it, nor short words
    assert same_term("energy", "enargy") is None
    assert same_term("energiya", "enargiya") is None
    assert same_term("rusiya", "rus") is None
    c = compare_names("Covart Energiya Limited", "COVART ENERGY LIMITED")
    assert c.match and any("energiya ~ energy" in line for line in c.explanation), c


def test_a_sound_key_needs_something_else_to_tie_the_names() -> None:
    # one word alone meeting another by its consonants is as likely another company
    one = PairV2(canonical("Beamtree"), canonical("BAMTRI"))
    assert not one.sound
    assert one.alignment == ([False], [False])
    assert not word_meets("beamtree", "bamtri", False) and word_meets("beamtree", "bamtri")
    two = PairV2(canonical("Yuna Inzhiniring"), canonical("Yuna Engineering LLC"))
    assert two.sound and all(two.alignment[0]) and all(two.alignment[1])
    # one distinctive word on the typed side, tied by it: ventures meets venchurs
    tied = PairV2(canonical("Zorbalt Ventures Systems"), canonical("Zorbalt Venchurs Sistemy"))
    assert tied.sound and all(tied.alignment[0]) and all(tied.alignment[1])


def test_words_met_as_another_wording_are_counted_and_explained() -> None:
    pair = PairV2(canonical("Okean Elektroniki Zavod"), canonical("Ocean Electronics Plant"))
    assert other_wording(pair) > 0
    c = compare_names("AO Zavod Fiolent", "Fiolent Plant JSC")
    assert c.match and c.score >= THRESHOLD, c
    assert any("zavod ~ plant (translation [DOMAIN:FACTORY])" in e for e in c.explanation)


def test_a_transliterated_name_matches_its_english_spelling_as_a_possible_match() -> None:
    c = compare_names("OOO Konkord Menedzhment i Konsalting", "Concord Management and Consulting")
    assert c.match and c.score >= THRESHOLD, c
    assert any("menedzhment ~ management (transliteration" in e for e in c.explanation)
    # no word is spelt the same: held below the score taken as certain, for a person to judge
    assert c.score <= default_policy().scoring.typo_only_cap
    assert any("through typos and words written another way" in e for e in c.explanation)


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("FSUE ATOMFLOT", "FEDERAL STATE UNITARY ENTERPRISE ATOMFLOT"),
        ("PSC PROMINVESTBANK", "PROMINVESTBANK"),
        ("Overseas Petroleum Trading SAL (Off-Shore)", "Overseas Petroleum Trading"),
    ],
)
def test_legal_form_abbreviations_of_the_lists(typed: str, listed: str) -> None:
    assert canonical(typed).words == canonical(listed).words
    assert compare_names(typed, listed).match


def test_a_legal_form_abbreviation_is_read_only_when_exact_and_at_an_end() -> None:
    assert canonical("Salt Offshore Ltd").words == ("salt", "offshore")
    assert canonical("Grand Sal Group").words == ("grand", "sal", "group")  # in the middle
    assert canonical("NPK URALVAGONZAVOD").roles == ("generic", "distinctive")


def test_company_in_another_language_closes_a_name_as_company_does() -> None:
    typed = canonical("EAST STAR KOMPANIYA")
    assert typed.words == canonical("EAST STAR COMPANY").words == ("east", "star")
    assert "company" in typed.forms
    assert any("legal_form_term: 'kompaniya'" in r for r in typed.readings)
    assert "corporation" in canonical("Red Sea Trading Korporatsiya").forms
    # only at the end: inside a name it is a word of the name
    assert "kompaniya" in canonical("Kompaniya Zorvel").words


def test_an_exact_legal_form_at_the_end_is_not_read_as_a_typo() -> None:
    for name in ("Acme Company", "Acme Corp", "Acme Co", "Zorvel PSC"):
        assert not any("legal_form_typo" in r for r in canonical(name).readings), name
    assert any("legal_form_typo: 'compnay'" in r for r in canonical("Acme Compnay").readings)


def test_a_name_sharing_a_rare_word_is_scored_whatever_its_rank() -> None:
    # thirty names share the query's long common word; the one sharing the short rare word
    # ranks last among the candidates and below them by rapidfuzz, yet is scored and matched
    policy = policy_for(V2)
    entries = [
        Entry(f"fx-{i}", [(f"Vel{chr(97 + i % 26)}{i} Inzhiniring OOO", "primary")])
        for i in range(30)
    ]
    entries.append(Entry("fx-cdm", [("CDM Engineering", "primary")]))
    matcher = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    cands = matcher.candidates(matcher.query_name("CDM Inzhiniring"))
    assert len(cands.rare) == 1
    found = matcher.match("CDM Inzhiniring", limit=5)
    assert found[0].entity_id == "fx-cdm" and found[0].comparison.match, found
