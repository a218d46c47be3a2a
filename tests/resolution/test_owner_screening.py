"""Owners screened by name: a possible listing through an owner until a person judges it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.findings import Hit
from bidvet.resolution.judgements import judge
from bidvet.sources.loader import load_file
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


HELD_OWNER = """\
bidvet: curated/1
dataset: test-owner-held
title: Fictional owner and listed company (test data)
fictional: true
entities:
  - id: oh-bidder
    schema: Company
    names: [Quarto Sensing Oy]
    countries: [fi]
    source: {title: test}
  - {id: oh-owner, schema: Company, names: [Velmora], countries: [gb], source: {title: test}}
  - id: oh-listed
    schema: Company
    names: [Velmora Technologies Ltd]
    countries: [gb]
    source: {title: test}
ownership:
  - key: oh-1
    owner: oh-owner
    asset: oh-bidder
    share: 80
    start_date: 2019-01-01
    source: {title: test}
listings:
  - entity: oh-listed
    list: us-bis-entity
    list_name: Entity List
    start_date: 2020-01-01
    source: {title: test}
"""


def test_an_owner_held_at_a_possible_match_is_still_proposed(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """An owner named with one word of a listed name (``Velmora`` / ``Velmora Technologies
    Ltd``) is a possible match screening holds below resolve_score (``part_of_name_cap``): a
    possible listing through the owner, as this finding proposes."""
    knowledge = tmp_path / "owner.yaml"
    knowledge.write_text(HELD_OWNER, encoding="utf-8")
    load_file(sqlite_store, knowledge)
    spec = evaluators()["owner_name_match"]
    with context(sqlite_store, "oh-bidder", "Quarto Sensing Oy", as_of=dt.date(2024, 6, 1)) as ctx:
        (hit,) = spec.func(ctx, spec.params())
    assert hit.summary.startswith("possible listing through owner Velmora (match 0.84"), hit
