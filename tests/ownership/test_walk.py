"""``walk_upward``: the one upward walk behind ``owners`` and the assessment's ownership chain."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bidvet.framework.context import upstream
from bidvet.model.facts import SourceRef
from bidvet.ownership.graph import load_upward, walk_upward
from bidvet.sources.loader import load_file
from bidvet.store.db import Store

AS_OF = dt.date(2021, 1, 1)
SOURCE = '{title: "Fictional test data", url: "https://example.org/w", published: 2020-06-01}'
STRUCTURE = f"""\
bidvet: curated/1
dataset: test-walk
title: Fictional layered ownership for the upward walk (no real company)
fictional: true
entities:
  - {{id: w-subject, schema: Company, names: ["Walk Subject Ltd"], source: {SOURCE}}}
  - {{id: w-a, schema: Company, names: ["Walk A Ltd"], source: {SOURCE}}}
  - {{id: w-b, schema: Company, names: ["Walk B Ltd"], source: {SOURCE}}}
  - {{id: w-x, schema: Company, names: ["Walk X Ltd"], source: {SOURCE}}}
  - {{id: w-y, schema: Company, names: ["Walk Y Ltd"], source: {SOURCE}}}
  - {{id: w-z, schema: Company, names: ["Walk Z Ltd"], source: {SOURCE}}}
ownership:
  - {{key: b-s, owner: w-b, asset: w-subject, share: 60, source: {SOURCE}}}
  - {{key: a-s, owner: w-a, asset: w-subject, share: 40, source: {SOURCE}}}
  - {{key: x-a-votes, owner: w-x, asset: w-a, kind: votes, share: 51, source: {SOURCE}}}
  - {{key: x-a-board, owner: w-x, asset: w-a, kind: board, source: {SOURCE}}}
  - {{key: x-b, owner: w-x, asset: w-b, share: 10, source: {SOURCE}}}
  - {{key: s-x, owner: w-subject, asset: w-x, share: 5, source: {SOURCE}}}
  - {{key: y-x, owner: w-y, asset: w-x, share: 95, start_date: 2020-01-01, source: {SOURCE}}}
  - {{key: z-y, owner: w-z, asset: w-y, share: 100, end_date: 2020-06-30, source: {SOURCE}}}
"""


@pytest.fixture
def walk_store(store: Store, tmp_path: Path) -> Store:
    path = tmp_path / "walk.yaml"
    path.write_text(STRUCTURE, encoding="utf-8")
    load_file(store, path)
    return store


def test_owners_breadth_first_by_shortest_path_with_cycles_cut(walk_store: Store) -> None:
    with walk_store.view() as view:
        walk = walk_upward(view, "w-subject", AS_OF)
    assert [(link.owner_id, link.path) for link in walk.links] == [
        ("w-a", ("w-subject", "w-a")),
        ("w-b", ("w-subject", "w-b")),
        ("w-x", ("w-subject", "w-a", "w-x")),  # reached through w-a first, not w-b
        ("w-y", ("w-subject", "w-a", "w-x", "w-y")),  # w-z's edge ended before the date
    ]
    x = walk.links[2]
    assert [e.key for e in x.edges] == ["test-walk:a-s", "test-walk:x-a-board"]
    assert all(edge.asset_id == below for edge, below in zip(x.edges, x.path, strict=False))
    # every edge in force among them is kept, including the one back to the subject
    assert {e.key.removeprefix("test-walk:") for e in walk.edges} == {
        "b-s", "a-s", "x-a-votes", "x-a-board", "x-b", "s-x", "y-x",
    }  # fmt: skip


def test_depth_limit_and_graph_come_from_the_same_walk(walk_store: Store) -> None:
    with walk_store.view() as view:
        shallow = walk_upward(view, "w-subject", AS_OF, max_depth=2)
    assert [link.owner_id for link in shallow.links] == ["w-a", "w-b", "w-x"]
    graph = load_upward(walk_store, "w-subject", AS_OF)
    assert graph.ids[0] == "w-subject"
    assert set(graph.ids) == {"w-subject", "w-a", "w-b", "w-x", "w-y"}


def test_assessment_chain_carries_the_edge_records(walk_store: Store) -> None:
    with walk_store.view() as view:
        chain = upstream(view, "w-subject", AS_OF)
    assert [link.owner_id for link in chain] == ["w-a", "w-b", "w-x", "w-y"]
    first = chain[0].edges[0]
    assert (first.owner_id, first.asset_id, first.kind, first.share) == (
        "w-a",
        "w-subject",
        "shares",
        0.4,
    )
    assert first.share_text() == "40 %"
    assert first.citation == SourceRef(
        "Fictional test data", "https://example.org/w", dt.date(2020, 6, 1)
    )
    assert chain[2].edges[1].kind == "board"
    assert chain[2].edges[1].share_text() == "share not published"
    assert chain[3].edges[2].start_date == dt.date(2020, 1, 1)
