"""Effective (look-through) interest: products along paths, sums over paths, bounds, cycles."""

from __future__ import annotations

import numpy as np
import pytest

from bidvet.ownership.effective import effective_interest, listed_lookthrough

from .factories import graph, mask


def interest(lines: tuple[str, ...], subject: str) -> dict[str, tuple[float, float, float | None]]:
    g = graph(*lines)
    res = effective_interest(g, g.node(subject))
    return {g.ids[k]: (v.lo, v.hi, v.effective) for k, v in res.owners.items()}


def test_x_60_a_60_b_is_36_percent() -> None:
    got = interest(("X 60> A", "A 60> B"), "B")
    assert got["X"][2] == pytest.approx(0.36)
    assert got["A"][2] == pytest.approx(0.60)


def test_sums_over_paths() -> None:
    got = interest(("X 50> A", "X 10> B", "A 40> B"), "B")
    assert got["X"][2] == pytest.approx(0.30)


def test_ranges_propagate_both_bounds() -> None:
    got = interest(("X 25-50> A", "A 60> B"), "B")
    lo, hi, exact = got["X"]
    assert lo == pytest.approx(0.15) and hi == pytest.approx(0.30) and exact is None


def test_unknown_share_gives_zero_to_full_bounds() -> None:
    got = interest(("X board> A", "A 60> B"), "B")
    lo, hi, exact = got["X"]
    assert lo == 0.0 and hi == pytest.approx(0.6) and exact is None


def test_three_cycle_terminates_and_never_counts_the_subject() -> None:
    g = graph("A 50> B", "B 50> C", "C 50> A", "X 40> A")
    res = effective_interest(g, g.node("C"))
    got = {g.ids[k]: v.lo for k, v in res.owners.items()}
    assert "C" not in got
    assert got == {"B": pytest.approx(0.5), "A": pytest.approx(0.25), "X": pytest.approx(0.1)}
    assert res.cycles, "the cycle is reported"


def test_mutual_100_percent_holding_is_100_not_200() -> None:
    got = interest(("Alpha 100> Beta", "Beta 100> Alpha"), "Alpha")
    assert got == {"Beta": (1.0, 1.0, 1.0)}


def test_strongest_path_is_the_evidence() -> None:
    g = graph("X 10> B", "X 90> A", "A 90> B")
    res = effective_interest(g, g.node("B"))
    rec = res.owners[g.node("X")]
    assert [g.ids[i] for i in rec.path] == ["X", "A", "B"]
    assert rec.paths == 2


def test_whole_graph_lookthrough_matches_the_walk_on_a_dag() -> None:
    g = graph("X 60> A", "A 60> B", "X 10> B", "B 50> C", "Y 30> C")
    lt = listed_lookthrough(g, mask(g, "X"))
    assert lt.converged
    assert lt.values[g.node("B")] == pytest.approx(0.46)
    assert lt.values[g.node("C")] == pytest.approx(0.23)
    walk = effective_interest(g, g.node("C")).owners[g.node("X")]
    assert walk.lo == pytest.approx(lt.values[g.node("C")])


def test_whole_graph_lookthrough_stops_at_listed_owners_and_ends_on_cycles() -> None:
    g = graph("X 50> A", "A 50> B", "B 50> A", "Y 100> X")
    lt = listed_lookthrough(g, mask(g, "X", "Y"), max_iter=200)
    # A = 0.5 (from X) + 0.5 * B, B = 0.5 * A  =>  A = 2/3, B = 1/3; Y's stake stops at X.
    assert lt.values[g.node("A")] == pytest.approx(2 / 3, abs=1e-6)
    assert lt.values[g.node("B")] == pytest.approx(1 / 3, abs=1e-6)
    assert lt.values[g.node("X")] == pytest.approx(1.0)
    assert np.all(lt.values <= 1.0)


def test_whole_graph_lookthrough_upper_bounds_follow_ranges() -> None:
    g = graph("X 25-50> A", "A 60> B")
    lo = listed_lookthrough(g, mask(g, "X")).values[g.node("B")]
    hi = listed_lookthrough(g, mask(g, "X"), upper=True).values[g.node("B")]
    assert (lo, hi) == (pytest.approx(0.15), pytest.approx(0.30))


def test_whole_graph_lookthrough_ends_on_a_full_mutual_holding() -> None:
    g = graph("X 100> A", "A 100> B", "B 100> A")
    lt = listed_lookthrough(g, mask(g, "X"), max_iter=30)
    assert not lt.converged and lt.iterations == 30  # the series diverges: reported, not hung
    assert lt.values[g.node("A")] == 1.0 and lt.values[g.node("B")] == 1.0
