"""Each price indicator's documented example (docs/indicators/<id>.md) gives the result its
fixture, tests/fixtures/indicators/<id>.json, expects: status, bidder and key numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bidvet.docs_build.indicators import Example, load_example
from bidvet.price import price_flags

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "indicators"
INDICATORS = [flag.indicator for flag in price_flags([])]


def run(example: Example) -> list[dict[str, object]]:
    return [f.to_json() for f in example.flags()]


@pytest.mark.parametrize("indicator", INDICATORS)
def test_example_gives_the_documented_flags(indicator: str) -> None:
    example = load_example(FIXTURES / f"{indicator}.json")
    assert example.indicator == indicator
    got = run(example)
    assert len(got) == len(example.expect), got
    for flag, want in zip(got, example.expect, strict=True):
        assert flag["status"] == want.status, flag
        assert flag.get("bidder") == want.bidder, flag
        evidence = flag.get("evidence", {})
        assert isinstance(evidence, dict)
        for key, value in want.evidence.items():
            assert evidence.get(key) == pytest.approx(value), (key, flag)


def test_every_example_raises_its_indicator() -> None:
    for indicator in INDICATORS:
        example = load_example(FIXTURES / f"{indicator}.json")
        assert "raised" in {e.status for e in example.expect}, indicator


def test_no_example_without_an_indicator() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.json")) == sorted(INDICATORS)
