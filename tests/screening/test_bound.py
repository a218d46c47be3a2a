"""Matcher v2 sets aside, unscored, the candidates that cannot enter a query's results
(:class:`bidvet.screening.bound.ScoreBound` against a floor that rises as candidates are scored):
the results, their scores, explanations and order are those of scoring every candidate."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from bidvet.resolution import xref
from bidvet.screening import bound as bound_module
from bidvet.screening.bound import ROUNDING, ScoreBound, cut_for
from bidvet.screening.canonical import CanonName, canonical
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import V2, ScreeningPolicy, policy_for
from bidvet.screening.matcher import Matcher, RawMatch
from bidvet.screening.score import v2_score
from tests.screening import score_sample

#: fictional families of names sharing words, so that a query finds many entities above the
#: near floor and the floor rises with the ``limit``-th best
FAMILIES = ("Velmortan", "Quilzanor", "Triskaven")
SUFFIXES = (
    "Shipping Ltd",
    "Shipping GmbH",
    "Shipping Group Oy",
    "Trading LLC",
    "Energy SA",
    "Holdings AB",
    "Logistics Inc.",
    "",
)
LEI = "5299009QZVELMORTAN01"


def _entries() -> list[Entry]:
    out = score_sample.entries()
    for family in FAMILIES:
        for i, suffix in enumerate(SUFFIXES):
            name = f"{family} {suffix}".strip()
            # an alias spelt as another entity's name, and one with another legal form
            aliases = [(f"{family} {SUFFIXES[(i + 1) % len(SUFFIXES)]}".strip(), "alias")]
            aliases += [(f"{name} Limited", "weak")] if i % 2 else []
            out.append(Entry(f"f-{family.lower()}-{i}", [(name, "primary"), *aliases]))
        # the same name on three entities: equal scores, ordered by entity id
        out += [
            Entry(f"d-{family.lower()}-{k}", [(f"{family} Digital Ltd", "primary")]) for k in "cab"
        ]
    out.append(
        Entry("i-velmortan", [("Velmortan Marine Oy", "primary")], identifiers=[("lei", LEI)])
    )
    return out


def _typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name))
    return name[:i] + name[i + 1 :]


def _queries() -> list[tuple[str, str | None]]:
    rng = random.Random(29)
    out = list(score_sample.queries(200, seed=31))
    for family in FAMILIES:
        out += [
            (family, None),  # a partial name
            (f"{family} Shipping", "fi"),
            (f"{family} Shipping Limited", None),  # another legal form
            (f"{family.upper()} DIGITAL CO., LTD.", None),  # the duplicated name
            (_typo(f"{family} Trading LLC", rng), None),
            (_typo(family, rng) + " Energy", None),
            (f"{family} Group", None),
        ]
    return out


@pytest.fixture(scope="module")
def matchers() -> tuple[Matcher, Matcher]:
    policy = policy_for(V2)
    catalog = Catalog.from_entries(_entries(), policy.generic_org_words)
    pruned = Matcher.build(catalog, policy)
    full = Matcher(catalog, pruned.index, policy, bound=False)
    return pruned, full


def _plain(results: Sequence[Sequence[RawMatch]]) -> list[list[tuple[Any, ...]]]:
    return [
        [
            (
                m.entity_id,
                m.row,
                m.comparison.score,
                m.comparison.match,
                m.comparison.algorithm,
                m.comparison.explanation,
            )
            for m in res
        ]
        for res in results
    ]


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 12])
def test_pruned_matching_returns_what_scoring_every_candidate_returns(
    matchers: tuple[Matcher, Matcher], limit: int
) -> None:
    pruned, full = matchers
    rows = _queries()
    got = _plain(pruned.match_many(rows, limit=limit))
    expected = _plain(full.match_many(rows, limit=limit))
    assert got == expected
    # one by one too, and with an identifier that decides for its entity
    for name, country in rows[-21:]:
        for ids in ((), (LEI,)):
            one = pruned.match(name, country=country, identifiers=ids, limit=limit)
            assert _plain([one]) == _plain(
                [full.match(name, country=country, identifiers=ids, limit=limit)]
            ), name
    # at most seven names are scored per query, so a limit of 12 is never filled
    assert limit > 5 or any(len(res) == limit for res in expected), "no query filled its results"
    ties = [res for res in expected if len({m[2] for m in res}) < len(res)]
    assert ties or limit == 1, "no query had entities with equal scores"


def test_the_sample_has_near_names_and_many_entities(matchers: tuple[Matcher, Matcher]) -> None:
    # the sample exercises both sides of the threshold and queries finding many entities
    _, full = matchers
    results = full.match_many(_queries(), limit=12)
    scores = [m.comparison for res in results for m in res]
    assert any(c.match for c in scores) and any(not c.match for c in scores)
    assert max(len(res) for res in results) >= 6


class _Recorder:
    """Records every pair :meth:`ScoreBound.score_reaching` sets aside, with its cut."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.aside: list[tuple[CanonName, CanonName, float]] = []
        real = ScoreBound.score_reaching

        def spy(
            bound: ScoreBound,
            query: CanonName,
            candidate: CanonName,
            cut: float,
            policy: ScreeningPolicy,
        ) -> tuple[float, dict[str, float]] | None:
            got = real(bound, query, candidate, cut, policy)
            if got is None:
                self.aside.append((query, candidate, cut))
            return got

        monkeypatch.setattr(ScoreBound, "score_reaching", spy)


def test_no_pair_set_aside_would_have_entered_the_results(
    matchers: tuple[Matcher, Matcher], monkeypatch: pytest.MonkeyPatch
) -> None:
    pruned, full = matchers
    cat = pruned.catalog
    rows = _queries()
    near = cut_for(pruned.policy.scoring.near_floor)
    for limit in (1, 3, 5):
        recorder = _Recorder(monkeypatch)
        pruned.match_many(rows, limit=limit)
        monkeypatch.undo()
        expected = full.match_many(rows, limit=limit)
        # each query with the stored names returned for it (the catalog keeps each row's
        # reading, so a name set aside is the very object returned when it is)
        returned = {
            (canonical(name).original, id(cat.canon(m.row)))
            for (name, _), res in zip(rows, expected, strict=True)
            for m in res
            if m.row >= 0
        }
        assert recorder.aside, "the bound set nothing aside"
        # the catalog reads a name once for all its rows (two entities listing one name share
        # the reading), so a reading names its row only when no other row has it
        readings = Counter(id(cat.canon(row)) for row in range(len(cat)))
        checked = 0
        for query, candidate, cut in recorder.aside:
            score, _ = v2_score(query, candidate, pruned.policy)
            # surely below the floor it was set aside against, rounding margin included ...
            assert score < _floor_of(cut), (query.original, candidate.original, score)
            # ... so it is not among the matches scoring every candidate returned
            if readings[id(candidate)] == 1:
                assert (query.original, id(candidate)) not in returned
                checked += 1
        assert checked > len(recorder.aside) // 2, (checked, len(recorder.aside))
        if limit < 5:  # the floor rose above the near floor for some queries
            assert any(cut > near for _, _, cut in recorder.aside)


def _floor_of(cut: float) -> float:
    """The floor whose :func:`cut_for` is ``cut``."""
    return 1.0 / (1.0 + math.exp(-cut)) + ROUNDING


def _pairs(matcher: Matcher) -> Iterator[tuple[CanonName, CanonName]]:
    rng = random.Random(13)
    cat = matcher.catalog
    for name, _ in _queries():
        query = canonical(name)
        cands = matcher.candidates(matcher.query_name(name))
        for row in [int(r) for r in cands.rows[:6]] + [rng.randrange(len(cat))]:
            yield query, cat.canon(row)


def test_score_reaching_gives_v2_score_or_a_bound_below_the_floor(
    matchers: tuple[Matcher, Matcher],
) -> None:
    matcher, _ = matchers
    policy = matcher.policy
    bound = ScoreBound(policy.scoring.near_floor)
    pairs = list(_pairs(matcher))
    kept = aside = 0
    for floor in (0.02, 0.3, 0.7, 0.95):
        cut = cut_for(floor)
        for query, candidate in pairs:
            expected = v2_score(query, candidate, policy)
            got = bound.score_reaching(query, candidate, cut, policy)
            if got is None:
                aside += 1
                assert expected[0] < floor, (query.original, candidate.original)
            else:
                kept += 1
                assert got == expected  # the same score from the same feature values
    assert kept and aside


def test_the_bound_lives_in_screening_and_xref_reads_it_there() -> None:
    assert xref.ScoreBound is bound_module.ScoreBound
    assert xref.ROUNDING == bound_module.ROUNDING
    assert cut_for(0.0) == float("-inf")
    assert cut_for(0.5) == pytest.approx(-4e-4, abs=1e-6)
