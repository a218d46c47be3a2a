from __future__ import annotations

from pathlib import Path

import pytest

from bidvet.errors import ConfigError
from bidvet.screening.config import V1, V2, default_policy, load_policy
from bidvet.screening.score import compare_names


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("NUCTECH CO., LTD.", "Nuctech Company Limited"),
        ("Borealis Scanning Oy", "BOREALIS SCANNING OY"),
        ("Borealis Scanning Oy", "Borealis Scannign Oy"),
        ("Quillon Border Systems GmbH", "Border Systems Quillon GmbH"),
        ("ООО Тарнис", "Tarnis LLC"),
    ],
)
def test_variants_match(a: str, b: str) -> None:
    c = compare_names(a, b)
    assert c.match and c.score >= default_policy().scoring.threshold, c


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tarn Holdings Ltd", "Barn Holdings Ltd"),
        ("Klas Enterprises LLC", "Lora Enterprises Limited"),
        ("Borealis Scanning Oy", "Quillon Border Systems GmbH"),
    ],
)
def test_different_companies_do_not_match(a: str, b: str) -> None:
    c = compare_names(a, b)
    assert not c.match, c


def test_v1_score_is_bounded_and_explained() -> None:
    c = compare_names("Borealis Scanning Oy", "Borealis Scannign Oy", V1)
    assert 0.0 <= c.score <= 1.0
    assert c.explanation[0].startswith("name_similarity"), c.explanation
    assert c.explanation[-1].startswith("match: score")
    assert c.to_json() == {
        "score": c.score,
        "match": True,
        "algorithm": V1,
        "explanation": c.explanation,
    }


def test_v2_is_the_default_and_says_so() -> None:
    c = compare_names("Borealis Scanning Oy", "Borealis Scannign Oy")
    assert c.algorithm == V2 and c.to_json()["algorithm"] == V2
    assert 0.0 <= c.score <= 1.0 and c.match
    assert c.explanation[-1] == f"match: score {c.score:.2f} vs threshold 0.70 ({V2})"


def test_policy_is_strict(tmp_path: Path) -> None:
    bad = tmp_path / "screening.yaml"
    src = (Path(__file__).parents[2] / "src/bidvet/screening/screening.yaml").read_text()
    bad.write_text(src.replace("threshold:", "threshhold:"))
    with pytest.raises(ConfigError, match="threshhold"):
        load_policy(bad)
    bad.write_text(src.replace("acronym:", "acronyms:"))
    with pytest.raises(ConfigError, match="acronyms"):
        load_policy(bad)
