"""Matcher v2 (``bidvet-name-v2``): one named test per failure class of the v1 matcher.

Pairs of real company names are compared as strings only (no fact about the companies is
asserted); catalog tests use fictional names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bidvet.errors import ConfigError
from bidvet.resolution.config import load_resolution_config
from bidvet.screening.canonical import canonical, legal_word
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import V1, V2, default_policy, policy_for
from bidvet.screening.engine import Match, near_names
from bidvet.screening.features_v2 import FEATURES_V2, PairV2, typo_only
from bidvet.screening.matcher import Matcher, writing_system
from bidvet.screening.model_v2 import MODEL_FILE, default_model, load_model
from bidvet.screening.score import Comparison, compare_names

THRESHOLD = default_policy().scoring.threshold


def _matches_with(a: str, b: str, named: str) -> Comparison:
    c = compare_names(a, b)
    assert c.algorithm == V2
    assert c.score >= THRESHOLD and c.match, c
    assert any(named in line for line in c.explanation), c.explanation
    return c


def _below(a: str, b: str, named: str | None = None) -> Comparison:
    c = compare_names(a, b)
    assert c.score < THRESHOLD and not c.match, c
    if named:
        assert any(named in line for line in c.explanation), c.explanation
    return c


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nuctech Co., td.", "NUCTECH COMPANY LIMITED"),
        ("Nuctech CCo., Ltd.", "Nuctech Co., Ltd."),
        ("Nuctech Company oC.", "Nuctech Company Co."),
    ],
)
def test_v2_legal_form_typo(a: str, b: str) -> None:
    _matches_with(a, b, "legal_form_typo")


def test_v2_legal_form_typo_only_at_the_end() -> None:
    assert legal_word("td") and legal_word("cco") and legal_word("oc")
    assert not legal_word("and") and not legal_word("bank")
    assert canonical("SAI Advisors").words[0] == "sai", "a fuzzy form is never read at the start"


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("LIMITED LIABULITY COMPANY KESTREL IMAGING", "Limited Liability Company Kestrel Imaging"),
        ("Joint zStock Company Borealis Scanning", "JOINT STOCK COMPANY BOREALIS SCANNING"),
        ("Vantor Gates Closed Joist Stock Company", "VANTOR GATES CLOSED JOINT STOCK COMPANY"),
        ("Federl State Unitary Enterprise Quillon", "FEDERAL STATE UNITARY ENTERPRISE QUILLON"),
        ("Obshchestvo s Ogranichennoi Otvetstvenostyu Fjordal", "OOO Fjordal"),
    ],
)
def test_v2_legal_form_phrase_typed_with_a_typo(typed: str, listed: str) -> None:
    """A typo inside a legal form of several words (``limited liabulity company``) is read as
    the form, as a typo in a short one is, instead of leaving its words as distinctive ones."""
    c = _matches_with(typed, listed, "legal_form_typo")
    assert c.score >= compare_names(listed, listed).score - 0.01
    assert canonical(typed).words == canonical(listed).words


def test_v2_legal_form_phrase_typos_need_the_rest_of_the_phrase_exact() -> None:
    # two words off, or a typed word that is not a word: not a form
    assert canonical("Limited Liabulity Compny Kestrel").words[0] == "liabulity"
    assert "joint" in canonical("Joint Stok Kompany Borealis").words
    assert "joint" in canonical("Joint St0ck Company Borealis").words
    assert canonical("Sociedad Anonimo Vantor").forms == frozenset({"jsc"})


def test_v2_legal_form_phrases_are_forms_rigour_reads() -> None:
    from rigour.names import extract_org_types

    from bidvet.screening.canonical import FORM_PHRASES

    for phrase in FORM_PHRASES:
        text = " ".join(phrase)
        assert [surface for surface, _ in extract_org_types(text, generic=True)] == [text]


@pytest.mark.parametrize(
    ("typed", "listed", "reading"),
    [
        # щ and й transliterated another way: the OOO and ZAO rigour reads
        (
            "Obshestvo s Ogranichennoj Otvetstvennostyu Fjordal",
            "OOO Fjordal",
            "legal_form_spelling",
        ),
        ("Zakrytoye Aktsionernoye Obshchestvo Borealis", "ZAO BOREALIS", "legal_form_spelling"),
        # forms rigour does not read: the Spanish S.L., Belarus's ODO in English
        ("Sociedad Limitada Vantor Imaging", "VANTOR IMAGING S.R.L.", "legal_form: 'sociedad"),
        ("Vantor Imaging Sociedad Limitada", "VANTOR IMAGING S.R.L.", "legal_form: 'sociedad"),
        ("Additional Liability Company Quillon", "ODO QUILLON", "legal_form: 'additional"),
        # and typed with a slip, as rigour's forms are
        ("Additional Liaiblity Company Quillon", "ODO QUILLON", "legal_form_typo"),
    ],
)
def test_v2_legal_form_phrase_in_another_spelling(typed: str, listed: str, reading: str) -> None:
    """A legal form of several words written in another transliteration, or one rigour's table
    does not hold, is read as the form, not as words of the name."""
    c = _matches_with(typed, listed, reading)
    assert canonical(typed).words == canonical(listed).words
    assert canonical(typed).forms == canonical(listed).forms
    assert c.score >= compare_names(listed, listed).score - 0.01


def test_v2_unread_legal_form_phrases_only_at_the_ends() -> None:
    from rigour.names import extract_org_types

    from bidvet.screening.canonical import TRANSLITERATED_FORMS, UNREAD_FORM_PHRASES

    # the words read in each one's place are a form rigour reads, or one bidvet reads
    for read in UNREAD_FORM_PHRASES.values():
        text = " ".join(read)
        assert text in TRANSLITERATED_FORMS or [
            surface for surface, _ in extract_org_types(text, generic=True)
        ] == [text]
    assert "sociedad" in canonical("Vantor Sociedad Limitada Imaging").words
    assert canonical("Sociedad Limitada").words == ("sociedad",)  # the whole name: left as typed
    # a word spelt another way is one of the phrase's words; other words are not read as it
    assert "zakrytye" in canonical("Zakrytye Aktsionernye Kompanii Borealis").words


def test_v2_another_name_written_inside_a_name_is_set_aside() -> None:
    """OFAC writes a former name inside the name (``…, AO (f.k.a. …)``): it is another name of
    the entity, not words of this one."""
    listed = "Quillon Promgaz, AO (f.k.a. Otkrytoe Aktsionernoe Obshchestvo Quillon Promgaz)"
    assert canonical(listed).words == ("quillon", "promgaz")
    _matches_with("Quillon Promgaz", listed, "other_name")
    # a bracketed part that is not another name stays (the lists tell entities apart by it)
    assert canonical("Quillon Promgaz (USA) Inc.").words[-2:] == ("united", "states")


@pytest.mark.parametrize(
    ("typed", "words", "form"),
    [
        (
            "Otkrytoe Aktsionernoe Obshchestvo Otkrytogo Tipa Tarn Elevator",
            ("tarn", "elevator"),
            "jsc",
        ),
        ("Eurovantor Engineering EAD", ("eurovantor", "engineering"), "ead"),
        ("OSOO Fjordlab", ("fjordlab",), "osoo"),
    ],
)
def test_v2_more_legal_forms_the_lists_write(typed: str, words: tuple[str, ...], form: str) -> None:
    """``otkrytogo tipa`` after a Russian form, the Bulgarian ``EAD``, the Kyrgyz ``OSOO``."""
    c = canonical(typed)
    assert c.words == words and form in c.forms, c


def test_v2_a_russian_form_reads_alike_in_cyrillic_and_in_its_transliteration() -> None:
    """``АНО`` is a form to rigour in Cyrillic, ``ANO`` not in Latin letters: both are read as
    the one form (:data:`~bidvet.screening.canonical.TRANSLITERATED_FORMS`, each checked
    against rigour's reading of the Cyrillic)."""
    from rigour.names import extract_org_types

    from bidvet.screening.canonical import TRANSLITERATED_FORMS

    cyrillic = {
        "ano": "ано",
        "nko": "нко",
        "fgbu": "фгбу",
        "fku": "фку",
        "nao": "нао",
        "odo": "одо",
    }
    assert set(cyrillic) == set(TRANSLITERATED_FORMS)
    for latin, target in TRANSLITERATED_FORMS.items():
        assert extract_org_types(f"{cyrillic[latin]} тест", generic=True) == [
            (cyrillic[latin], target)
        ]
    typed, in_cyrillic = canonical("ANO TV-Kvillon"), canonical("АНО ТВ-Квиллон")
    assert typed.forms == in_cyrillic.forms == frozenset({"ngo"})
    assert typed.words[0] == "tv" and canonical("Tarn ANO").words == ("tarn",)


def test_v2_a_word_written_in_another_language_is_also_looked_up_in_english() -> None:
    """``Kvillon Tekhnologii`` finds the listed ``Kvillon Technologies`` when the names sharing
    ``kvillon`` or ``tekhnologii`` fill the candidates: the query is also looked up with the
    word in English (:data:`~bidvet.screening.terms.ENGLISH_WORDING`), whose every pair the
    scoring reads as one term."""
    from bidvet.screening.terms import ENGLISH_WORDING, same_term

    for word, english in ENGLISH_WORDING.items():
        assert same_term(word, english) is not None, (word, english)
    policy = policy_for(V2)
    others = [
        f"{a}{b}"
        for a in ("Tarn", "Vor", "Lin", "Mos", "Kur", "Quil")
        for b in ("ova", "eks", "ium", "ax", "ora")
    ]
    entries = [
        Entry("fx-target", [("Kvillon Technologies", "primary")], "Organization"),
        *(
            Entry(f"fx-t{i}", [(f"{o} Tekhnologii", "primary")], "Organization")
            for i, o in enumerate(others)
        ),
        *(
            Entry(f"fx-k{i}", [(f"Kvillon {o}", "primary")], "Organization")
            for i, o in enumerate(others)
        ),
    ]
    m = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    query = m.query_name("Kvillon Tekhnologii")
    assert m.other_wordings(query) == ["kvillon technologies"]
    assert 0 not in m._lookup(query.core, query.core).rows.tolist()  # as typed: crowded out
    assert 0 in m.candidates(query).rows.tolist()
    assert m.match("Kvillon Tekhnologii")[0].entity_id == "fx-target"
    assert m.other_wordings(m.query_name("Kvillon Technologies")) == []


def test_v2_a_long_form_word_typed_with_a_slip_closes_the_name() -> None:
    for typed in ("Tarn Innovation Cooeration", "Tarn Innovation Limted"):
        assert canonical(typed).words == ("tarn", "innovation"), typed


def test_v2_a_two_letter_form_opens_a_name_only_when_it_is_no_english_word() -> None:
    """``AO`` (Russian), ``AB`` (Swedish), ``Oy`` (Finnish) open names as they close them;
    ``AT`` at the start is a word."""
    for typed in ("AO Fjordal", "AB Fjordal", "Oy Fjordal"):
        assert canonical(typed).words == ("fjordal",), typed
    assert canonical("AT Fjordal").words == ("at", "fjordal")
    _matches_with("AO Quillon Tekh", "JOINT STOCK COMPANY QUILLON TECH", "abbreviation")


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Fjordal Agro Private Limited", "FJORDAL AGRO"),
        ("Kestrel Petrochemical Private Joint Stock Company", "KESTREL PETROCHEMICAL COMPANY"),
        ("Quillon Refining Company Private Joint Stock", "QUILLON REFINING COMPANY"),
        ("Vantor Joint Stock Bank", "VANTOR BANK"),
        ("Tarn Beverage Public Company Limited", "Tarn Beverage Co."),
    ],
)
def test_v2_the_kind_of_legal_form_is_read_with_the_form(typed: str, listed: str) -> None:
    """``Private``/``Public``/``Closed``/``Open`` before a legal form, and ``joint stock``
    without ``company``, are the form, not words of the name."""
    assert canonical(typed).words == canonical(listed).words
    assert compare_names(typed, listed).match
    assert canonical("Open Society Fjordal").words[0] == "open"


@pytest.mark.parametrize(
    ("spelt_out", "abbreviated", "short"),
    [
        ("JSC Scientific and Production Association Quillon", "AO NPO Quillon", "npo"),
        ("Research and Production Association Quillon", "NPO Quillon", "npo"),
        ("Nauchno-Proizvodstvennoe Obedinenie Quillon", "NPO Quillon", "npo"),
        ("Scientific Production Company Fjordal", "NPK Fjordal", "npk"),
        ("Nauchno-Proizvodstvennoe Predpriyatie Vantor", "NPP Vantor", "npp"),
        ("Joint Stock Company Experimental Design Bureau Kestrel", "AO OKB Kestrel", "okb"),
        ("Scientific Research Institute Tarn", "NII Tarn", "nii"),
        ("Joint Stock Commercial Bank Velmorbank", "AO AKB Velmorbank", "akb"),
        ("Aktsionerny Kommercheski Bank Velmorbank", "AKB Velmorbank", "akb"),
        ("AO Spetsializirovannyi Zastroishchik Kestrov Park", "AO SZ Kestrov Park", "sz"),
        ("LLC Specialized Developer Kestrov Park", "OOO SZ Kestrov Park", "sz"),
        (
            "Gosudarstvennaya Korporatsiya Velmortekh",
            "State Corporation Velmortekh",
            "goskorporatsiya",
        ),
    ],
)
def test_v2_a_russian_kind_of_organisation_spelt_out_is_its_abbreviation(
    spelt_out: str, abbreviated: str, short: str
) -> None:
    """The lists write a Russian kind of organisation spelt out in English, in transliteration
    or abbreviated: one reading, said in the explanation."""
    assert canonical(spelt_out).words == canonical(abbreviated).words
    assert any(short in r for r in canonical(spelt_out).readings)
    _matches_with(spelt_out, abbreviated, "kind_of_organisation")


def test_v2_a_country_s_formal_name_is_its_short_name() -> None:
    """``… of the Islamic Republic of Iran`` and ``… Iran`` name one country; the adjective is
    another word and stays."""
    c = _matches_with(
        "Bank Velmor Iran", "Bank Velmor of the Islamic Republic of Iran", "country: 'islamic"
    )
    assert c.score >= load_resolution_config().resolve_score, c
    assert canonical("Velmor Bank of the Russian Federation").words[-1] == "russia"
    assert canonical("People's Republic of China Velmor Trading").words[0] == "china"
    assert canonical("Russian Velmor Bank").words[0] == "russian"


def test_v2_a_place_or_branch_after_the_legal_form_weighs_as_generic() -> None:
    """The lists write a company's town or branch after its legal form (``… D.O.O.
    GRADISKA``, ``… LTD-BZE``): read as generic words, the name before the form is the one
    that counts. Only after an abbreviated form: ``Corporation`` inside a name is a word of
    it, and more than two words after the form are more than a place."""
    c = _matches_with("Velmor Fruit D.O.O.", "VELMOR FRUIT D.O.O. GRADISKA", "after_legal_form")
    assert c.score >= load_resolution_config().resolve_score, c
    assert canonical("VELMOR SHIPPING LTD-BZE").roles[-1] == "generic"
    assert canonical("Velmor Corporation Kestrel").roles == (
        "distinctive",
        "generic",
        "distinctive",
    )
    assert canonical("Velmor Ltd Kestrel Tarn Vale").roles[-1] == "distinctive"
    # a form rigour leaves inside a name is a form there too
    falcon = canonical("VELMOR STRATEGIC DOO BEOGRAD-PALILULA")
    assert falcon.words == ("velmor", "strategic", "beograd", "palilula"), falcon
    assert "doo" in falcon.forms
    # forms after the form are forms
    assert not any("after_legal_form" in r for r in canonical("Velmor Ltd & Co KG").readings)


def test_v2_generic_word_inserted() -> None:
    _matches_with("COMAC America Group Corporation", "COMAC America Corporation", "generic_words")


def test_v2_generic_word_typo() -> None:
    _matches_with("Tarnis Holdngs", "Tarnis Holdings Ltd", "generic_word_typo")


def test_v2_joined_and_split_words() -> None:
    # the same letters: read in the listed words
    _matches_with("Good Will Company", "Goodwill Company", "word boundaries")
    # two words run together beside a word written otherwise: met word by word
    _matches_with("Good Will Trading Company", "Goodwill Trade Company", "joined_words")
    _matches_with("SiemensAG", "Siemens AG", "glued_legal_form")


def test_v2_a_private_military_company_in_another_language_is_one_name() -> None:
    """The EU's file names one private military company in each of its languages; with the
    Russian name read from its own letters (``Конвой`` as ``Convoy``) they are one name."""
    c = _matches_with("ЧВК Кестрвой", "société militaire privée Kestrvoy", "cross-script")
    assert c.score >= load_resolution_config().resolve_score, c


def test_v2_a_space_typed_in_another_place_is_read_in_the_listed_words() -> None:
    """The same letters in the same order are one name: ``An nTeck Tong`` scored 0.07 as two
    names sharing one word of three."""
    c = _matches_with("An nTeck Tong", "Ann Teck Tong", "word boundaries: 'an nteck tong'")
    assert c.score >= load_resolution_config().resolve_score, c
    pair = PairV2(canonical("An nTeck Tong"), canonical("Ann Teck Tong"))
    assert pair.query.words == pair.candidate.words == ("ann", "teck", "tong")
    # letters in another order are not read so
    other = PairV2(canonical("Ann Tong Teck"), canonical("Ann Teck Tong"))
    assert not any("word boundaries" in r for r in other.query.readings)


@pytest.mark.parametrize(
    ("typed", "listed", "slip"),
    [
        ("ANSAR BAxK", "ANSAR BANK", 1.0),  # 'baxk' is no word, 'bank' is
        ("ALLAN GRANGE vARM", "ALLAN GRANGE FARM", 1.0),
        ("ANSAR BANG", "ANSAR BANK", 0.0),  # a word of English: another name
        ("ANSAR BAxKS", "ANSAR BANK", 0.0),  # five letters: word_typos reads it
        ("ANSAR BAxK", "ANSAR TRADE", 0.0),
    ],
)
def test_v2_a_slip_in_a_short_word(typed: str, listed: str, slip: float) -> None:
    """Words of up to four letters tolerate no edit (``tolerated_edits``): a slip in one is
    read by the fitted ``short_word_slip`` when the slipped word is known nowhere and its
    partner is."""
    pair = PairV2(canonical(typed), canonical(listed))
    assert FEATURES_V2["short_word_slip"](pair) == slip
    if slip:
        c = compare_names(typed, listed)
        assert "short_word_slip=1.00" in " ".join(c.explanation), c.explanation
        assert default_model().coefficients["short_word_slip"] > 0


def test_v2_an_abbreviation_run_into_a_word_joins_as_typed() -> None:
    # "Tech" is read as "technology", so "Quorvane Info Tech" ran together is not
    # "infotech": the join reads each abbreviation as it was typed too
    for typed, listed in [
        ("Quorvane Info Tech FZCO", "QUORVANE INFOTECH FZCO"),
        ("Zorvex Tech", "Zorvextech"),
        ("Kestrel Intl Trading", "Kestrel Intltrading"),
    ]:
        c = _matches_with(typed, listed, "joined_words")
        assert c.score >= 0.85, c
    assert any(
        "info tech ~ infotech" in x
        for x in compare_names("Quorvane Info Tech FZCO", "QUORVANE INFOTECH FZCO").explanation
    )


def test_v2_ampersand_and() -> None:
    _matches_with("AT&T Inc.", "AT and T Inc.", "ampersand")
    _matches_with("Procter & Gamble Co.", "Procter and Gamble Co.", "ampersand")


def test_v2_number_words() -> None:
    _matches_with("1st International Bank", "First International Bank", "number_word")
    _matches_with("Brigade Forty-Four", "Brigade 44", "number_word")


def test_v2_abbreviation() -> None:
    _matches_with("U.S. Department of State", "United States Department of State", "abbreviation")
    _matches_with("Kestrel Imaging Intl", "Kestrel Imaging International", "abbreviation")


def test_v2_short_word_single_edit() -> None:
    _matches_with("Kestrel Imagng Systems", "Kestrel Imaging Systems Ltd", "word_typos")
    _matches_with("Zhejiang Dahau Technology", "Zhejiang Dahua Technology Co., Ltd.", "word_typos")


@pytest.mark.parametrize(
    ("query", "named"),
    [
        # the query is a part of the listed name (``partial_name`` itself fits near 0 now)
        ("Hikvision Digital Technology", "query_inside"),
        ("Hik Vision Digital Technology", "joined_words"),
        ("Hikvison Digital Tech", "abbreviation"),
    ],
)
def test_v2_partial_names(query: str, named: str) -> None:
    _matches_with(query, "Hangzhou Hikvision Digital Technology Co., Ltd.", named)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Kestrl Imagng Ltd", "Kestrel Imaging Ltd"),
        ("Fjordlin Detecton AS", "Fjordline Detection AS"),
        ("Zhejang Dahau Technology", "Zhejiang Dahua Technology Co., Ltd."),
    ],
)
def test_v2_names_that_agree_only_through_typos_stay_possible_matches(
    query: str, listed: str
) -> None:
    """A typed slip and another company one letter away read alike: a pair whose distinctive
    words all differ by typos is a match a person judges, held below the score from which
    resolution takes a match as the subject, and the explanation says why."""
    c = _matches_with(query, listed, "typo_only:")
    cap = default_policy().scoring.typo_only_cap
    assert c.score == cap < load_resolution_config().resolve_score
    assert any("(typo_only_cap)" in line for line in c.explanation)


_HIK = "Hangzhou Hikvision Digital Technology Co., Ltd."


@pytest.mark.parametrize(
    ("typed", "spelt", "listed"),
    [
        ("Hikvison Digital Tech", "Hikvision Digital Tech", _HIK),
        ("Hikvison Digitel Technology", "Hikvision Digital Technology", _HIK),
        ("Hikvison", "Hikvision", _HIK),
        ("Kestrl Imagng Ltd", "Kestrel Imaging Ltd", "Kestrel Imaging Ltd"),
        ("Nutech", "Nuctech", "Nuctech Company Limited"),
    ],
)
def test_v2_a_typo_never_makes_a_match_the_right_spelling_does_not(
    typed: str, spelt: str, listed: str
) -> None:
    typed_c, spelt_c = compare_names(typed, listed), compare_names(spelt, listed)
    if typed_c.match:
        assert spelt_c.match and typed_c.score <= spelt_c.score
    assert typed_c.score <= max(spelt_c.score, THRESHOLD)


def test_v2_a_score_held_at_the_right_spelling_says_so() -> None:
    listed = "Hangzhou Hikvision Digital Technology Co., Ltd."
    c = compare_names("Hikvison Digital Tech", listed)
    assert c.score == compare_names("Hikvision Digital Tech", listed).score
    assert any(line.startswith("typo_limit:") for line in c.explanation), c.explanation


def test_v2_a_shared_distinctive_word_is_not_typo_only() -> None:
    assert not typo_only(PairV2(canonical("Kestrel Imagin"), canonical("Kestrel Imaging Ltd")))
    assert typo_only(PairV2(canonical("Nutech"), canonical("Nuctech Company Limited")))
    assert not typo_only(PairV2(canonical("Good Will"), canonical("Goodwill Ltd")))
    assert compare_names("Kestrel Imagin", "Kestrel Imaging Ltd").score > 0.9


def test_v2_negatives_stay_below_the_threshold() -> None:
    _below("Banco Santander", "Banco Santander México", "extra_distinctive")
    _below("Apollo Partners VII", "Apollo Partners VIII", "series_conflict")
    _below("Tarn Holdings Ltd", "Barn Holdings Ltd")
    _below("Integra", "Integral", "single_word_typo")


def test_v1_stays_selectable() -> None:
    c = compare_names("Borealis Scanning Oy", "Borealis Scannign Oy", V1)
    assert c.algorithm == V1 and c.explanation[0].startswith("name_similarity")
    assert policy_for(V1).algorithm == V1 and policy_for(None).algorithm == V2
    with pytest.raises(ConfigError, match="unknown algorithm"):
        policy_for("bidvet-name-v9")


def test_v2_model_is_fitted_data_with_its_training_set() -> None:
    model = default_model()
    assert set(model.coefficients) == set(FEATURES_V2)
    training = model.training
    assert len(str(training["sha256"])) == 64
    assert int(training["pairs"]) == int(training["positives"]) + int(training["negatives"])
    assert str(training["date"])[:2] == "20"


def test_v2_model_file_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "model.yaml"
    bad.write_text(MODEL_FILE.read_text().replace("acronym:", "acronyms:"))
    with pytest.raises(ConfigError, match="do not match the code"):
        load_model(bad)


# -- candidates and near names --------------------------------------------------------------

FICTIONAL = [
    Entry("fx-zorvex", [("Zorvex Corporation", "primary")]),
    Entry("fx-kestrel", [("Hangzhou Kestrelvision Digital Technology Co., Ltd.", "primary")]),
    Entry("fx-tarnis", [("Tarnis LLC", "primary"), ("ООО Тарнис", "original")]),
    # many names sharing the generic words, as in a real list, so that those words are common
    *(
        Entry(f"fx-{a}{b}", [(f"{a.title()}{b} Group Corporation", "primary")])
        for a in ("al", "bir", "ced", "dog", "elm", "lar", "map", "row", "syl", "tam")
        for b in ("dor", "fin", "gal", "hol", "kel", "lum", "nex", "pra", "ros", "tek")
    ),
]


@pytest.fixture(scope="module")
def v2_matcher() -> Matcher:
    policy = policy_for(V2)
    return Matcher.build(Catalog.from_entries(FICTIONAL, policy.generic_org_words), policy)


@pytest.mark.parametrize(
    "query",
    ["Zorvex Group Corporation", "Zorvx Group", "Zor Vex", "Zorvex"],
)
def test_v2_candidates_never_miss_a_rare_word_or_a_variant(v2_matcher: Matcher, query: str) -> None:
    found = v2_matcher.match(query)
    assert found and found[0].entity_id == "fx-zorvex", found


@pytest.mark.parametrize(
    "query",
    [
        "Kestrelvision Digital Technology",
        "Kestrel Vision Digital Technology",
        "Kestrelvison Digital Tech",
    ],
)
def test_v2_partial_names_are_found(v2_matcher: Matcher, query: str) -> None:
    found = v2_matcher.match(query)
    assert found and found[0].entity_id == "fx-kestrel" and found[0].comparison.match, found


def _as_match(raw: list) -> list[Match]:  # type: ignore[type-arg]
    return [Match(m.entity_id, "n", "c", m.comparison.score, m.comparison.match, []) for m in raw]


def test_v2_one_rare_word_typed_alone_matches() -> None:
    """A rare word typed alone names its company (``Huawei`` for ``Huawei Technologies``)."""
    _matches_with("Huawei", "Huawei Technologies Co., Ltd.", "query_inside")
    _matches_with("Dahua Technology", "Zhejiang Dahua Technology Co., Ltd.", "query_inside")


def test_v2_screening_direction_matters() -> None:
    """A query that is a part of the listed name is stronger evidence than a listed name that
    is a part of the query (``AMBER`` inside ``Amber Technology Ltd``): a possible match (held
    at ``part_of_name_cap``) against no match."""
    typed_less = _matches_with("Amber", "Amber Technology Ltd", "part_of_name_cap")
    named_more = _below("Amber Technology Ltd", "Amber", "candidate_coverage")
    assert typed_less.score > named_more.score + 0.1


def test_v2_a_rare_word_alone_is_at_least_a_near_name(v2_matcher: Matcher) -> None:
    found = v2_matcher.match("Kestrelvision")
    assert found and found[0].entity_id == "fx-kestrel", found
    assert found[0].comparison.score >= default_policy().scoring.near_floor


def test_v2_near_names_are_reported_below_the_threshold(v2_matcher: Matcher) -> None:
    raw = v2_matcher.match("Kestrelvisio")
    assert raw and not any(m.comparison.match for m in raw), raw
    near = near_names(_as_match(raw))
    assert near and near[0]["entity_id"] == "fx-kestrel"
    assert all(n["score"] >= default_policy().scoring.near_floor for n in near)


def test_v2_no_near_name_only_when_none_reached_the_floor(v2_matcher: Matcher) -> None:
    assert v2_matcher.match("Qqqxv Wwwzy") == []


# -- cross-script ---------------------------------------------------------------------------


def test_v2_cross_script_cyrillic(v2_matcher: Matcher) -> None:
    found = v2_matcher.match("ООО Тарнис")
    assert found[0].entity_id == "fx-tarnis" and found[0].comparison.match
    assert any("cyrillic" in line for line in found[0].comparison.explanation)
    c = compare_names("ООО Ромашка", "Romashka LLC")
    assert c.match and any("query in cyrillic script" in line for line in c.explanation)


def test_v2_cross_script_cjk_against_original_script_names() -> None:
    policy = policy_for(V2)
    entries = [
        Entry(
            "fx-aurora",
            [
                ("Northern Aurora Detection Technology Co., Ltd.", "primary"),
                ("北极光探测技术有限公司", "original"),
            ],
        )
    ]
    m = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    found = m.match("北极光探测技术有限公司")
    assert found[0].entity_id == "fx-aurora" and found[0].comparison.match
    assert any("both names in cjk script" in line for line in found[0].comparison.explanation)
    assert m.script_notes("北极光探测技术有限公司") == []


def test_v2_cjk_query_without_cjk_names_says_so(v2_matcher: Matcher) -> None:
    notes = v2_matcher.script_notes("北极光探测技术有限公司")
    assert notes and "han (Chinese) script and no name in the data is" in notes[0]
    assert "pinyin" in notes[0]
    assert v2_matcher.script_notes("Zorvex") == []


def test_korean_names_in_the_data_do_not_hide_a_chinese_query_without_peers() -> None:
    # the real EU list carries Korean names in hangul and no Chinese characters: a query in
    # Chinese characters still gets the note, a query in hangul does not
    policy = policy_for(V2)
    entries = [
        Entry("fx-kim", [("Kim Il Zorvex", "primary"), ("김일조벡", "original")]),
        Entry("fx-aurora", [("Northern Aurora Detection Technology Co., Ltd.", "primary")]),
    ]
    m = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    assert writing_system("김일조벡") == "hangul" and writing_system("北极光") == "han"
    assert writing_system("ノーザンオーロラ株式会社") == "kana"
    assert m.script_notes("김일조벡") == []
    notes = m.script_notes("北极光探测技术有限公司")
    assert notes and "han (Chinese)" in notes[0] and "pinyin" in notes[0]


def test_v2_one_word_spelt_another_way_is_not_read_as_a_slip() -> None:
    """A name of one word written in another transliteration (``c``/``k``, ``w``/``v``,
    ``y``/``i``, ``kh``/``h``, doubled letters) is one name written two ways more often than
    a typed slip (pairs from the lists' own aliases: ``AO ELEKOND`` / ``JOINT STOCK COMPANY
    ELECOND``): a possible match, never a confident one (``typo_only_cap``), while a letter
    that is no such spelling keeps the one-word pair apart."""
    resolve = load_resolution_config().resolve_score
    for typed, listed in [
        ("AO ELEKOND", "JOINT STOCK COMPANY ELECOND"),
        ("Megakom", "MEGACOM LIMITED LIABILITY COMPANY"),
        ("Favaris LLC", "FAWARIS LIMITED LIABILITY COMPANY"),
    ]:
        c = _matches_with(typed, listed, "single_word_spelling=1.00")
        assert c.score < resolve, c
    assert not any("single_word_spelling" in x for x in _below("Duratec", "Duratex").explanation)
    _below("Integra", "Integral", "single_word_typo")


def test_v2_a_name_of_one_word_inside_another_is_never_a_confident_match() -> None:
    """``Hudson Pty Ltd`` against ``Hudson Technologies, Ltd.`` (a real supplier name and a
    listed one): every word of the short name is in the long one, whose other words may tell
    another company. A possible match for a person to judge, held below the score resolution
    takes a match at; two distinctive words inside a longer name are not held."""
    resolve = load_resolution_config().resolve_score
    for short, listed in [
        ("Hudson Pty Ltd", "Hudson Technologies, Ltd."),
        ("Huawei", "Huawei Technologies Co., Ltd."),
        ("Amber Technology Ltd", "AMBER"),
    ]:
        c = compare_names(short, listed)
        assert c.score < resolve, c
    held = _matches_with("Hudson Pty Ltd", "Hudson Technologies, Ltd.", "part_of_name_cap")
    assert any("the fitted score 0.9" in line for line in held.explanation), held.explanation
    both = compare_names(
        "Hikvision Digital Technology", "Hangzhou Hikvision Digital Technology Co., Ltd."
    )
    assert both.score >= resolve and not any("part_of_name" in x for x in both.explanation)


def test_v2_a_connector_between_two_words_weighs_as_a_stop_word() -> None:
    """The Persian and Urdu ezafe and ``and`` in other languages join the words around them
    (pairs from the lists' own aliases: ``BANK-E ANSAR`` / ``ANSAR BANK``, ``LASHKAR E
    JHANGVI`` / ``LASHKAR I JHANGVI``); at the start or the end of a name the word is its own
    (``E-Trade``, ``Plan E``)."""
    c = canonical("SHERKAT-E IRAN VA SHARGH")
    assert c.roles == ("distinctive", "stop", "distinctive", "stop", "distinctive")
    assert "connector: 'e', 'va' between two words weighs as a stop word" in c.readings
    assert canonical("E-Trade Holdings").roles[0] == "distinctive"
    assert canonical("Plan E").roles == ("distinctive", "distinctive")
    _matches_with("BANK-E ANSAR", "ANSAR BANK", "connector:")
    _matches_with("LASHKAR E JHANGVI", "LASHKAR I JHANGVI", "connector:")


@pytest.mark.parametrize(
    ("name", "words", "form"),
    [
        ("Delniška družba DUKS", ("duks",), "jsc"),
        ("Societatea deschisă pe acțiuni «MINSK»", ("minsk",), "jsc"),
        ("INTELLEXA ANONYMI ETAIREIA", ("intellexa",), "jsc"),
        ("CYTROX HOLDINGS ZARTKORUEN MUKODO RESZVENYTARSASAG", ("cytrox", "holdings"), "jsc"),
        ("Kumpanija b’Ishma Konġunti “Vektorel”", ("vektorel",), "jsc"),
        ("SABIEDRIBA AR IEROBEZOTU ATBILDIBU 'FALON'", ("falon",), "llc"),
        ("Akcinė bendrovė „Massandra“", ("massandra",), "jsc"),
        ("Vektorel spoločnosť s ručením obmedzeným", ("vektorel",), "llc"),
        ("société militaire privée Velmor", ("velmor",), "mil"),
        ("Prywatna Firma Wojskowa Velmor", ("velmor",), "mil"),
        ("Velmor katonai magánvállalat", ("velmor",), "mil"),
        ("BORISAT RUNGTAVI CHAMKAT", ("rungtavi",), "llc"),
        ("Borisat Rungtavi Chamkat (Mahachon)", ("rungtavi",), "jsc"),
    ],
)
def test_v2_legal_forms_the_eu_file_writes_in_its_languages(
    name: str, words: tuple[str, ...], form: str
) -> None:
    """Forms rigour does not read, as the EU's file writes them (EXTRA_FORMS), and the Thai
    form in the transcription OFAC writes."""
    c = canonical(name)
    assert c.words == words and form in c.forms, c
    assert canonical("publikt aktiebolag").words == ("publikt", "aktiebolag"), "a form alone"


def test_v2_a_thai_name_in_transcription_is_its_english_alias() -> None:
    """OFAC lists ``BORISAT RUNGRIN CHAMKAT`` a.k.a. ``RUNGRIN COMPANY LTD.`` (บริษัท …
    จำกัด): the Thai form read as the English one, the pair scored 0.20 before."""
    c = _matches_with("BORISAT RUNGTAVI CHAMKAT", "RUNGTAVI COMPANY LTD.", "query_coverage")
    assert c.score >= load_resolution_config().resolve_score, c


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Telvora SAL", "TELVORA SAL OFFSHORE"),
        ("Telvora SAL", "TELVORA OFFSHORE S.A.L."),
        ("Telvora", "TELVORA S.A.L. (OFFSHORE)"),
    ],
)
def test_v2_a_lebanese_offshore_form_is_a_form(typed: str, listed: str) -> None:
    """``offshore`` beside ``SAL`` is the Lebanese offshore company's form, not a word of the
    name (``SALASKO OFFSHORE S.A.L.`` / ``Salasko SAL`` scored 0.84, a partial name)."""
    assert canonical(listed).words == ("telvora",), canonical(listed)
    c = compare_names(typed, listed)
    assert c.score >= load_resolution_config().resolve_score, c
    # alone, it is a word of the name
    assert canonical("Telvora Offshore").words == ("telvora", "offshore")


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("KATS", "KESTREL AIR TRANSPORT SERVICES (KATS)"),  # 0.38 before
        ("Kestrel Air Transport Services", "KESTREL AIR TRANSPORT SERVICES (KATS)"),  # 0.59
        ("Ansar al-Velmor in Tarnia", "ANSAR AL-VELMOR IN TARNIA (AAV-T)"),  # 0.57
        ("Velmor ReliefFund (VRF)", "Velmor Relief Fund (VRF)"),  # words run together
    ],
)
def test_v2_a_name_s_own_acronym_in_brackets_is_read_as_its_initials(
    typed: str, listed: str
) -> None:
    """The lists write a name's acronym after it in brackets; it says nothing the words do not,
    and an officer types either the words or the acronym."""
    c = _matches_with(typed, listed, "own_acronym")
    assert c.score >= load_resolution_config().resolve_score, c
    assert "kats" not in canonical("KESTREL AIR TRANSPORT SERVICES (KATS)").words
    # two names written as one, each with its acronym
    assert canonical("VELMOR AIR (VA) ; KESTREL LAKES TRADING (KLT)").words == (
        "velmor",
        "air",
        "kestrel",
        "lakes",
        "trading",
    )
    # a bracket that is not the initials stays a word: the lists tell entities apart so
    assert canonical("AERO KESTREL (USA) INC.").words[-2:] == ("united", "states")
    assert "tx" in canonical("Kestrel Air Transport (TX)").words
