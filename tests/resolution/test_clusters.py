"""Clusters used where it matters: the ownership walk, listings of the owners report, the
listing criteria and screening results."""

from __future__ import annotations

import datetime as dt

from bidvet import screen
from bidvet.framework.evaluators.registry import evaluators
from bidvet.ownership.report import owners
from bidvet.resolution.clusters import ClusterMatch
from bidvet.resolution.judgements import judge
from bidvet.store.db import Store
from tests.framework.test_evaluators_direct import context
from tests.resolution.helpers import load_cases

AS_OF = dt.date(2024, 6, 1)


def _same_parent(store: Store) -> None:
    judge(
        store,
        "rx-parent",
        "rl-pellucid",
        "positive",
        reason="same name and country in the register and on the list",
        by="analyst",
    )


def test_ownership_walk_treats_a_cluster_as_one_node(sqlite_store: Store) -> None:
    load_cases(sqlite_store)
    before = owners(sqlite_store, "rx-bidder", AS_OF)
    assert [o["id"] for o in before.owners] == ["rx-parent"]
    assert before.owners[0]["lists"] == []
    _same_parent(sqlite_store)
    after = owners(sqlite_store, "rx-bidder", AS_OF)
    by_id = {o["id"]: o for o in after.owners}
    # the listed record's own owner is now an owner of the bidder, through the cluster
    assert set(by_id) == {"rx-parent", "rl-ormsby-owner"}
    assert by_id["rx-parent"]["lists"] == ["Entity List"]


def test_listed_owner_cites_the_judgement(sqlite_store: Store) -> None:
    load_cases(sqlite_store)
    _same_parent(sqlite_store)
    spec = evaluators()["listed_owner"]
    with context(sqlite_store, "rx-bidder", "Harrowgate Scanning Oy") as ctx:
        hits = spec.func(ctx, spec.params())
    (hit,) = hits
    assert "under the record PELLUCID HOLDINGS LIMITED [rl-pellucid]" in hit.summary
    kinds = [e.kind for e in hit.evidence]
    assert kinds == ["listing", "screening", "ownership"]
    link = hit.evidence[1]
    assert "judged positive by analyst" in link.text
    assert "same name and country in the register and on the list" in link.text


def test_screening_returns_one_result_per_cluster(sqlite_store: Store) -> None:
    load_cases(sqlite_store)
    apart = screen(sqlite_store, "Pellucid Holdings Ltd", as_of=AS_OF)
    assert {"rx-parent", "rl-pellucid"} <= {m.entity_id for m in apart}
    _same_parent(sqlite_store)
    grouped = screen(sqlite_store, "Pellucid Holdings Ltd", as_of=AS_OF)
    ids = [m.entity_id for m in grouped]
    assert len([i for i in ids if i in ("rx-parent", "rl-pellucid")]) == 1
    (merged,) = [m for m in grouped if isinstance(m, ClusterMatch)]
    assert merged.cluster_id == "rl-pellucid"
    assert [row["list_name"] for row in merged.lists] == ["Entity List"]
    assert {m["entity_id"] for m in merged.to_json()["cluster"]["members"]} == {
        "rx-parent",
        "rl-pellucid",
    }
