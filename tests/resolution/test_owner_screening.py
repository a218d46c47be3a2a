"""Owners screened by name: a possible listing through an owner until a person judges it."""

from __future__ import annotations

import datetime as dt

from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.findings import Hit
from bidvet.resolution.judgements import judge
from bidvet.store.db import Store
from tests.framework.test_evaluators_direct import context
from tests.resolution.helpers import load_cases


def _run(store: Store, name: str, as_of: dt.date = dt.date(2024, 6, 1)) -> list[Hit]:
    spec = evaluators()[name]
    with context(store, "rx-bidder", "Harrowgate Scanning Oy", as_of=as_of) as ctx:
        return spec.func(ctx, spec.params())


def test_possible_listing_until_judged(sqlite_store: Store) -> None:
    load_cases(sqlite_store)
    (hit,) = _run(sqlite_store, "owner_name_match")
    assert hit.summary.startswith("possible listing through owner Pellucid Holdings Ltd (match ")
    assert "not yet judged" in hit.summary and "rl-pellucid" in hit.summary
    assert {e.kind for e in hit.evidence} == {"screening", "ownership"}
    assert _run(sqlite_store, "listed_owner") == []
    # before the entry was listed there is nothing to propose
    assert _run(sqlite_store, "owner_name_match", dt.date(2021, 1, 1)) == []


def test_unsure_keeps_it_negative_silences_it(sqlite_store: Store) -> None:
    load_cases(sqlite_store)
    judge(sqlite_store, "rx-parent", "rl-pellucid", "unsure", reason="no register data", by="ann")
    (hit,) = _run(sqlite_store, "owner_name_match")
    assert "judged unsure by ann" in hit.summary
    judge(sqlite_store, "rx-parent", "rl-pellucid", "negative", reason="other company", by="ann")
    assert _run(sqlite_store, "owner_name_match") == []
    assert _run(sqlite_store, "listed_owner") == []


def test_positive_judgement_makes_it_a_listed_owner(sqlite_store: Store) -> None:
    load_cases(sqlite_store)
    judge(sqlite_store, "rl-pellucid", "rx-parent", "positive", reason="same company", by="ann")
    assert _run(sqlite_store, "owner_name_match") == []
    (hit,) = _run(sqlite_store, "listed_owner")
    assert "Entity List" in hit.summary
