"""Matcher v2 against real unlisted supplier names: one named test per class of false positive
it was fitted to avoid, and the partial names it must keep.

Pairs of real names are compared as strings only (no fact about the companies is asserted);
the supplier names are those of the ACT Government contracts register 2025 and the OCDS
examples in ../shared/data, read in place (the real-data tests are skipped without it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from bench.train_name_model import FLOOR_MARGIN, MAX_SUPPLIER_FP, choose_threshold
from eval.real_lists import all_entries
from eval.screening_eval import unlisted_names

from bidvet.screening.canonical import canonical
from bidvet.screening.catalog import Catalog
from bidvet.screening.config import default_policy
from bidvet.screening.features_v2 import (
    PairV2,
    common_word_typo,
    query_closes_name,
    word_rarity,
)
from bidvet.screening.matcher import Matcher
from bidvet.screening.score import compare_names

THRESHOLD = default_policy().scoring.threshold
DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _pair(query: str, listed: str) -> PairV2:
    return PairV2(canonical(query), canonical(listed))


def test_v2_a_word_closing_another_name_typed_alone_is_not_a_match() -> None:
    """``Integra`` (a supplier) is the last word of ``Ostek-Integra``: typed alone it names
    another company, unlike a word that opens the listed name or keeps a generic word."""
    assert query_closes_name(_pair("Integra", "OSTEK-INTEGRA OOO")) == 1.0
    c = compare_names("Integra", "OSTEK-INTEGRA OOO")
    assert not c.match and c.score < THRESHOLD, c
    assert any(line.startswith("query_closes_name=1.00") for line in c.explanation), c
    for query, listed in (
        ("Huawei", "Huawei Technologies Co., Ltd."),
        ("Dahua Technology", "Zhejiang Dahua Technology Co., Ltd."),
        ("Hikvision Digital Technology", "Hangzhou Hikvision Digital Technology Co., Ltd."),
    ):
        assert query_closes_name(_pair(query, listed)) == 0.0, query
        assert compare_names(query, listed).match, query


def test_v2_a_legal_form_left_in_a_name_does_not_make_it_longer() -> None:
    """``ao`` (joint-stock company) left at the start of a transliterated name is not a word of
    another company's name: ``JSC Shvabe`` against ``АО "ШВАБЕ"`` is not a closing word."""
    assert canonical('АО "ШВАБЕ"').words[-1] == "shvabe"
    assert query_closes_name(_pair("JSC “Shvabe”", 'АО "ШВАБЕ"')) == 0.0


def test_v2_a_slip_from_a_common_listed_word_is_not_a_match() -> None:
    """``InstrumentC Pty Ltd`` (a supplier) is one letter from ``Instrument``, a word many listed
    names use: as likely another name built on that word as a typo. A slip from a word no
    listed name uses weighs nothing here."""
    common = common_word_typo(_pair("InstrumentC Pty Ltd", "INSTRUMENT AO"))
    assert common == pytest.approx(1.0 - word_rarity("instrument")) and common > 0.5
    assert common_word_typo(_pair("Kestrelvisionc Ltd", "KESTRELVISION AO")) == 0.0
    c = compare_names("InstrumentC Pty Ltd", "INSTRUMENT AO")
    assert not c.match and c.score < THRESHOLD, c
    assert any(line.startswith("common_word_typo=") for line in c.explanation), c


def test_v2_operating_point_clears_the_supplier_floor_by_the_rounding_margin() -> None:
    """A supplier name scored a hair below the chosen threshold would read as a match once
    the coefficients and the score are rounded (``Amber Technology Ltd`` / ``Amber SUN``
    0.69999 → 0.7000): the threshold clears it by :data:`FLOOR_MARGIN`."""
    suppliers = np.array([0.0, -5.0, -6.0])  # allowed: none at 3 names (MAX_SUPPLIER_FP)
    assert MAX_SUPPLIER_FP * len(suppliers) < 1
    z = np.array([0.001, 0.002, 3.0, 4.0, -1.0])
    y = np.array([1.0, 1.0, 1.0, 1.0, 0.0])
    chosen = choose_threshold(z, y, suppliers)
    assert chosen.logit_threshold >= suppliers[0] + FLOOR_MARGIN
    assert chosen.supplier_fp_count == 0 and chosen.recall == 0.5


@pytest.fixture(scope="module")
def real_matcher() -> Matcher:
    if not DATA.is_dir():
        pytest.skip(f"real public data not found at {DATA}")
    policy = default_policy()
    return Matcher.build(Catalog.from_entries(all_entries(DATA), policy.generic_org_words), policy)


def test_v2_supplier_false_positives_stay_at_most_half_a_percent(real_matcher: Matcher) -> None:
    names = unlisted_names(DATA)
    assert len(names) > 700
    matched = [n for n in names if any(m.comparison.match for m in real_matcher.match(n))]
    assert len(matched) <= 0.005 * len(names), matched
    for name in ("Integra", "InstrumentC Pty Ltd", "Amber Technology Ltd"):
        assert name in names and name not in matched, name


#: OFAC consolidated non-SDN (NS-CMIC) uid 30946 and the same entry in the trade.gov CSL
HIKVISION = {"ofac-cons-30946", "csl-30946"}


@pytest.mark.parametrize(
    ("query", "entities", "word"),
    [
        ("Huawei", None, "huawei"),
        ("Hik Vision", HIKVISION, "hikvision"),
        ("Hikvision Digital Technology", HIKVISION, "hikvision"),
        ("Hikvison Digital Tech", HIKVISION, "hikvision"),
        # listed as CONCERN KALASHNIKOV / ... CONCERN VKO ALMAZ-ANTEY: a concern is a group
        ("Kalashnikov", None, "kalashnikov"),
        ("Almaz-Antey", None, "almaz"),
    ],
)
def test_v2_partial_names_still_match_the_real_lists(
    real_matcher: Matcher, query: str, entities: set[str] | None, word: str
) -> None:
    found = [m for m in real_matcher.match(query) if m.comparison.match]
    assert found, query
    if entities is not None:
        assert entities <= {m.entity_id for m in found}, found
    names = [real_matcher.catalog.names[m.row].original for m in found]
    assert all(word in canonical(n).words for n in names), names


def test_equal_rate_thresholds_keep_at_most_that_share_of_the_supplier_names() -> None:
    """bench/name_bench.py compares matchers at equal false-positive rates on the supplier
    names: the threshold keeps out every name but the allowed share, whatever the scores."""
    from bench.name_bench import threshold_for

    tops = [0.9, 0.8, 0.8, 0.1, 0.0]
    for rate, allowed in ((0.0, 0), (0.2, 1), (0.5, 2), (1.0, 5)):
        thr = threshold_for(tops, rate)
        assert sum(1 for t in tops if t >= thr) <= allowed, (rate, thr)
    # ties at the boundary stay out together rather than letting one in over the rate
    assert threshold_for(tops, 0.4) > 0.8
