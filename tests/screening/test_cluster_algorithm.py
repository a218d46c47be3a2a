"""A cluster's screening result keeps the algorithm that scored its best member."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bidvet.resolution.clusters import ClusterMatch, group_matches
from bidvet.resolution.judgements import judge
from bidvet.screening.config import V1, V2
from bidvet.screening.engine import Screener
from bidvet.store.db import Store
from tests.resolution.helpers import load_cases


@pytest.mark.parametrize("algorithm", [V1, V2])
def test_cluster_result_says_which_algorithm_scored_it(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, algorithm: str
) -> None:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    load_cases(sqlite_store)
    judge(sqlite_store, "rx-parent", "rl-pellucid", "positive", reason="same", by="analyst")
    screener = Screener(sqlite_store, as_of=dt.date(2024, 6, 1), algorithm=algorithm)
    found = screener.screen("Pellucid Holdings Ltd")
    assert {m.algorithm for m in found} == {algorithm}
    (merged,) = [
        m for m in group_matches(sqlite_store, found, screener.as_of) if isinstance(m, ClusterMatch)
    ]
    assert merged.algorithm == algorithm
    assert merged.to_json()["algorithm"] == algorithm
