from __future__ import annotations

import inspect

from bidvet.screening.config import default_policy
from bidvet.screening.features import FEATURES, Pair, allowed_edits, same_word
from bidvet.screening.normalize import normalize


def _pair(a: str, b: str, **kw: object) -> Pair:
    g = default_policy().generic_org_words
    return Pair(normalize(a, g), normalize(b, g), **kw)  # type: ignore[arg-type]


def test_every_feature_explains_itself_and_is_weighed() -> None:
    weights = default_policy().scoring.weights
    for name, fn in FEATURES.items():
        assert inspect.getdoc(fn), f"feature {name} has no docstring"
        assert name in weights, f"feature {name} has no weight in screening.yaml"


def test_typo_tolerance_grows_with_word_length() -> None:
    assert [allowed_edits(n) for n in (3, 4, 5, 9, 10)] == [0, 0, 1, 1, 2]
    assert same_word("scanning", "scannign")  # adjacent swap is one edit
    assert not same_word("spir", "spar")  # short words: only an adjacent swap
    assert same_word("iran", "iarn")


def test_misspelt_legal_form_is_not_held_against_the_name() -> None:
    p = _pair("Tarn Holdings Limitde", "Tarn Holdings Limited")
    assert p.query_words == ("tarn", "holdings")
    assert FEATURES["name_similarity"](p) == 1.0


def test_token_coverage_weighs_rare_words() -> None:
    idf = {"tarn": 8.0, "holdings": 1.0, "barn": 8.0}.get
    p = _pair("Tarn Holdings", "Barn Holdings", idf=lambda w: idf(w) or 1.0)
    assert FEATURES["token_coverage"](p) < 0.2


def test_agreement_features() -> None:
    assert FEATURES["legal_form_agreement"](_pair("Tarn AG", "Tarn Inc")) == -1.0
    assert FEATURES["legal_form_agreement"](_pair("Tarn AG", "Tarn Aktiengesellschaft")) == 1.0
    assert FEATURES["legal_form_agreement"](_pair("Tarn", "Tarn AG")) == 0.0
    p = _pair("Tarn", "Tarn", query_country="GB", candidate_countries=frozenset({"gb"}))
    assert FEATURES["country_agreement"](p) == 1.0
    p = _pair("Tarn", "Tarn", query_country="fr", candidate_countries=frozenset({"gb"}))
    assert FEATURES["country_agreement"](p) == -1.0


def test_acronym() -> None:
    assert FEATURES["acronym"](_pair("QBS", "Quillon Border Systems GmbH")) == 1.0
    assert FEATURES["acronym"](_pair("QBX", "Quillon Border Systems GmbH")) == 0.0
