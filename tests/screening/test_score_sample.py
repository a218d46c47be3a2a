"""Speed work on candidates, caches and batching must leave every score and decision as it was.

The recorded results (``fixtures/score_sample.json``, see ``score_sample.py``) were computed
before that work; when the scoring files themselves changed since (a refitted model) the
comparison of that algorithm is skipped with the reason, and the fixture is regenerated
(``python -m tests.screening.score_sample``). In CI (``CI`` set) a fixture older than the
scoring files fails instead: a stale fixture would otherwise leave the comparison off unseen.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from bidvet.screening.catalog import Catalog
from bidvet.screening.config import V1, V2, policy_for
from bidvet.screening.matcher import Matcher
from bidvet.screening.score import compare_names

from . import score_sample


@pytest.fixture(scope="module")
def recorded() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(score_sample.FIXTURE.read_text(encoding="utf-8"))
    return data


def _same_scoring(recorded: dict[str, Any], algorithm: str) -> None:
    if recorded["digests"][algorithm] != score_sample.scoring_digest(algorithm):
        why = f"{algorithm}'s scoring files changed since the fixture was recorded"
        if os.environ.get("CI"):
            pytest.fail(f"{why}: regenerate it with python -m tests.screening.score_sample")
        pytest.skip(why)


@pytest.mark.parametrize("algorithm", [V1, V2])
def test_batch_screening_scores_as_recorded(recorded: dict[str, Any], algorithm: str) -> None:
    _same_scoring(recorded, algorithm)
    assert score_sample.screening_results(algorithm) == recorded[algorithm]


@pytest.mark.parametrize("algorithm", [V1, V2])
def test_one_query_at_a_time_scores_as_the_batch(recorded: dict[str, Any], algorithm: str) -> None:
    _same_scoring(recorded, algorithm)
    policy = policy_for(algorithm)
    matcher = Matcher.build(
        Catalog.from_entries(score_sample.entries(), policy.generic_org_words), policy
    )
    for query, country, expected in recorded[algorithm][:80]:
        got = matcher.match(query, country=country, limit=5)
        assert [
            [m.entity_id, m.row, m.comparison.score, m.comparison.match, m.comparison.explanation]
            for m in got
        ] == expected, query


def test_v2_screening_scores_equal_a_plain_comparison(recorded: dict[str, Any]) -> None:
    """Whatever the matcher precomputes about stored names, a pair scores as ``compare``."""
    names = {e.entity_id: e.names for e in score_sample.entries()}
    policy = policy_for(V2)
    matcher = Matcher.build(
        Catalog.from_entries(score_sample.entries(), policy.generic_org_words), policy
    )
    checked = 0
    for query, _country, rows in score_sample.screening_results(V2, matcher)[:60]:
        for eid, row, score, match, _explanation in rows:
            stored = matcher.catalog.names[row].original
            assert stored in [n for n, _ in names[eid]]
            plain = compare_names(query, stored, V2)
            assert (plain.score, plain.match) == (score, match), (query, stored)
            checked += 1
    assert checked > 50


def test_xref_proposals_as_recorded(recorded: dict[str, Any]) -> None:
    _same_scoring(recorded, V2)
    assert score_sample.xref_results() == recorded["xref"]
