"""``bidvet xref`` at speed: the score bound sets aside only pairs that cannot be proposed, so
the proposals, their scores and explanations are those of the full matcher, with any number of
worker processes."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bidvet.cli.app import cli
from bidvet.resolution import xref
from bidvet.resolution.config import load_resolution_config
from bidvet.screening.canonical import canonical
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import V1, V2, policy_for
from bidvet.screening.features_v2 import FEATURES_V2, PairV2
from bidvet.screening.matcher import Matcher, RawMatch
from bidvet.screening.score import v2_score
from bidvet.store.db import Store
from tests.resolution.helpers import load_cases
from tests.screening import score_sample


def _matcher(algorithm: str = V2) -> Matcher:
    policy = policy_for(algorithm)
    return Matcher.build(
        Catalog.from_entries(score_sample.entries(), policy.generic_org_words), policy
    )


def _plain(res: list[RawMatch]) -> list[tuple[Any, ...]]:
    return [(m.entity_id, m.row, m.comparison.score, m.comparison.explanation) for m in res]


def _records() -> tuple[list[xref.Record], list[xref.Record]]:
    ents = score_sample.entries()
    right = [
        xref.Record(e.entity_id, "right", tuple(e.names), tuple(e.countries)) for e in ents[:1500]
    ]
    rng = random.Random(41)
    left = [
        xref.Record(f"l-{i}", "left", ((q, "primary"),), (c,) if c else ())
        for i, (q, c) in enumerate(score_sample.queries(260, seed=19))
    ]
    # names typed exactly as a right record's (one of them twice), and a record of the right
    # dataset on the left, which is never paired with its own dataset
    left += [
        xref.Record(f"l-x{i}", "left", ((rng.choice(right[:40]).caption, "primary"),), ())
        for i in range(30)
    ]
    left.append(right[3])
    return left, right


def _proposals(result: xref.XrefResult) -> list[tuple[Any, ...]]:
    return [
        (
            p.left.entity_id,
            p.right.entity_id,
            p.score,
            p.name_score,
            p.left_name,
            p.right_name,
            p.explanation,
            p.identifiers_agree,
            p.identifiers_disagree,
            p.countries_agree,
            p.countries_disagree,
            p.linked,
        )
        for p in (*result.links, *result.proposals)
    ]


def test_bound_never_sets_aside_a_pair_reaching_the_floor() -> None:
    matcher = _matcher()
    cat = matcher.catalog
    rng = random.Random(7)
    pairs = []
    for name, _ in score_sample.queries(200, seed=5):
        query = canonical(name)
        cands = matcher.candidates(matcher.query_name(name))
        rows = [int(r) for r in cands.rows[:8]] + [rng.randrange(len(cat)) for _ in range(2)]
        pairs += [(query, cat.canon(r)) for r in rows]
    scores = [v2_score(q, c)[0] for q, c in pairs]
    for q, c in pairs[:400]:  # the bound counts on every feature lying in [0, 1]
        values = [f(PairV2(q, c)) for f in FEATURES_V2.values()]
        assert all(0.0 <= v <= 1.0 for v in values)
    for floor in (0.3, 0.5, 0.7, 0.9):
        bound = xref.ScoreBound(floor)
        below = [bound.below(q, c) for q, c in pairs]
        # sound: a pair whose rounded score reaches the floor is never set aside
        assert not any(b for b, s in zip(below, scores, strict=True) if s >= floor)
        # and useful: most pairs below the floor are set aside without their full score
        under = [b for b, s in zip(below, scores, strict=True) if s < floor]
        assert sum(under) > 0.5 * len(under)


def test_bounded_matching_returns_what_the_full_matcher_returns_above_the_floor() -> None:
    matcher = _matcher()
    rows = score_sample.queries(240, seed=3)
    for floor, limit in ((0.5, 4), (0.3, 2), (0.9, 5)):
        got, read, bounded = xref.match_bounded(matcher, rows, limit, xref.ScoreBound(floor))
        full = matcher.match_many(rows, limit=limit)
        expected = [_plain([m for m in res if m.comparison.score >= floor]) for res in full]
        assert [_plain(res) for res in got] == expected
        assert any(expected) and 0 < bounded < read


def test_propose_with_the_bound_equals_the_full_matcher() -> None:
    left, right = _records()
    cfg = load_resolution_config().xref
    fast = xref.propose(left, right, config=cfg, workers=1)
    full = xref.propose(left, right, config=cfg, workers=1, bound=False)
    assert len(fast.proposals) > 50
    assert _proposals(fast) == _proposals(full)
    assert fast.candidates_bounded > 0.5 * fast.candidates_read
    assert (full.candidates_read, full.candidates_bounded) == (0, 0)
    # every side of the floor is exercised: scores cut by a penalty below it are not proposed
    assert min(p.score for p in fast.proposals) >= cfg.min_score


def test_propose_everyone_against_everyone_is_symmetric_and_bounded_alike() -> None:
    left, right = _records()
    everyone = left[:120] + right[:600]
    cfg = load_resolution_config().xref
    fast = xref.propose(everyone, everyone, config=cfg, workers=1)
    full = xref.propose(everyone, everyone, config=cfg, workers=1, bound=False)
    assert fast.proposals and _proposals(fast) == _proposals(full)


def test_workers_propose_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xref, "BATCH", 50)  # several chunks from a small sample
    left, right = _records()
    cfg = load_resolution_config().xref
    alone = xref.propose(left, right, config=cfg, workers=1)
    forked = xref.propose(left, right, config=cfg, workers=2)
    assert alone.proposals and _proposals(forked) == _proposals(alone)
    assert (forked.candidates_read, forked.candidates_bounded) == (
        alone.candidates_read,
        alone.candidates_bounded,
    )


def test_matcher_v1_runs_the_full_matcher() -> None:
    left, right = _records()
    cfg = load_resolution_config().xref
    policy = policy_for(V1)
    catalog = Catalog.from_entries(
        (Entry(r.entity_id, r.names, r.schema, r.countries) for r in right),
        policy.generic_org_words,
    )
    result = xref.propose(
        left, right, config=cfg, matcher=Matcher.build(catalog, policy), workers=1
    )
    assert result.proposals and result.candidates_read == 0
    # scored by v1: its explanations do not name v2
    assert all(V2 not in p.explanation[-1] for p in result.proposals)


def test_cli_xref_workers_option(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    load_cases(Store(db))
    outputs = []
    for workers in ("1", "2"):
        out = CliRunner().invoke(
            cli, ["--db", db, "xref", "--no-link", "--workers", workers, "--json"]
        )
        assert out.exit_code == 0, out.output
        outputs.append(json.loads(out.stdout))
    assert outputs[0]["proposals"] and outputs[0] == outputs[1]
    bad = CliRunner().invoke(cli, ["--db", db, "xref", "--workers", "0"])
    assert bad.exit_code != 0 and "--workers" in bad.output
