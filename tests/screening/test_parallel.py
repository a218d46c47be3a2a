"""Worker processes match a large batch exactly as one process does."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bidvet.resolution import xref
from bidvet.resolution.config import load_resolution_config
from bidvet.screening import batch
from bidvet.screening.catalog import Catalog
from bidvet.screening.config import V2, policy_for
from bidvet.screening.matcher import Matcher, RawMatch, match_chunks

from . import score_sample


def _matcher() -> Matcher:
    policy = policy_for(V2)
    return Matcher.build(
        Catalog.from_entries(score_sample.entries(), policy.generic_org_words), policy
    )


def _plain(results: Sequence[Sequence[Sequence[RawMatch]]]) -> list[list[object]]:
    return [
        [(m.entity_id, m.row, m.comparison.score, m.comparison.explanation) for m in res]
        for chunk in results
        for res in chunk
    ]


def test_workers_match_chunks_in_order_as_one_process() -> None:
    matcher = _matcher()
    rows = score_sample.queries(120, seed=9)
    chunks = [rows[i : i + 25] for i in range(0, len(rows), 25)]
    alone = list(match_chunks(matcher, chunks, 5, workers=1))
    forked = list(match_chunks(matcher, chunks, 5, workers=2))
    assert len(forked) == len(chunks)
    assert _plain(forked) == _plain(alone)
    assert any(res for chunk in alone for res in chunk)


def test_xref_with_workers_proposes_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xref, "BATCH", 40)  # several chunks from a small sample
    ents = score_sample.entries()[:600]
    right = [xref.Record(e.entity_id, "right", tuple(e.names[:1])) for e in ents]
    left = [
        xref.Record(f"l-{i}", "left", ((q, "primary"),))
        for i, (q, _) in enumerate(score_sample.queries(150, seed=31))
    ]
    cfg = load_resolution_config().xref

    def pairs(workers: int) -> list[tuple[str, str, float]]:
        result = xref.propose(left, right, config=cfg, workers=workers)
        return [(p.left.entity_id, p.right.entity_id, p.score) for p in result.proposals]

    alone = pairs(1)
    assert alone and pairs(2) == alone


def test_batch_screening_parallel_path_is_taken_and_agrees(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batch, "CHUNK", 30)
    monkeypatch.setattr(batch, "PARALLEL_MIN", 60)
    matcher = _matcher()
    used: list[int] = []
    real = match_chunks

    def spy(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        used.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "match_chunks", spy)

    class _Screener:
        def __init__(self) -> None:
            self.matcher = matcher

    queries = [batch.Query(str(i), q, c) for i, (q, c) in enumerate(score_sample.queries(100))]
    chunks = list(batch._chunks(iter(queries), batch.CHUNK))
    forked = list(batch._raw_matches(_Screener(), iter(chunks), 5, workers=2))  # type: ignore[arg-type]
    assert used == [1]
    alone = [matcher.match_many([(q.name, q.country) for q in c], limit=5) for c in chunks]
    assert [c for c, _ in forked] == chunks
    assert _plain([r for _, r in forked]) == _plain(alone)
