"""A cluster's result shows its members' listings as of the screening date, and a result says
which of its listings are not in force then and why (fictional records)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bidvet.resolution.clusters import ClusterMatch, group_matches
from bidvet.resolution.judgements import judge
from bidvet.screening.engine import Screener
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.resolution.helpers import load_cases

BEFORE = dt.date(2021, 6, 1)  # rl-pellucid is on the fictional Entity List from 2022-01-10
AFTER = dt.date(2023, 6, 1)


@pytest.fixture
def judged(sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    load_cases(sqlite_store)
    judge(sqlite_store, "rx-parent", "rl-pellucid", "positive", reason="same", by="analyst")
    return sqlite_store


def _cluster_result(store: Store, as_of: dt.date) -> ClusterMatch:
    screener = Screener(store, as_of=as_of)
    # the register's record only: the listed member comes in through the cluster
    found = [m for m in screener.screen("Pellucid Holdings Ltd") if m.entity_id == "rx-parent"]
    (merged,) = group_matches(store, found, as_of)
    assert isinstance(merged, ClusterMatch)
    return merged


def test_a_members_listing_counts_only_from_its_date(judged: Store) -> None:
    assert _cluster_result(judged, BEFORE).lists == []
    after = _cluster_result(judged, AFTER).lists
    assert [(x["list_id"], x["member_id"], x["start_date"]) for x in after] == [
        ("us-bis-entity", "rl-pellucid", "2022-01-10")
    ]


def test_screen_says_which_listings_are_not_in_force_and_why(judged: Store) -> None:
    db = str(judged.engine.url)
    out = run_cli("--db", db, "screen", "Pellucid Holdings Ltd", "--as-of", "2021-06-01")
    assert out.exit_code == 0, out.stderr
    assert "lists: no active listing" in out.stdout
    # the result stands for two records, so each listing says which record it is on
    assert (
        "not in force on 2021-06-01: us-bis-entity (record rl-pellucid of test-resolution-lists):"
        " listed from 2022-01-10, after 2021-06-01" in out.stdout
    ), out.stdout
    out = run_cli("--db", db, "screen", "Pellucid Holdings Ltd", "--as-of", "2021-06-01", "--json")
    found = json.loads(out.stdout)["matches"]
    later = {x["list_id"]: x for m in found for x in m["not_in_force"]}
    assert later["us-bis-entity"]["why"] == "listed from 2022-01-10, after 2021-06-01"
    # on a later date the listing is in force and nothing is said of it
    out = run_cli("--db", db, "screen", "Pellucid Holdings Ltd", "--as-of", "2023-06-01")
    assert "us-bis-entity (record rl-pellucid of test-resolution-lists) since 2022-01-10" in (
        out.stdout
    ), out.stdout
    assert "not in force" not in out.stdout, out.stdout


def test_batch_screen_shows_a_members_listing_though_its_name_did_not_match(
    judged: Store, tmp_path: Path
) -> None:
    """``screen --input`` gives a cluster's result the listings of every member, as a single
    screen does: ``Harrowgate Scanning Oy`` judged one with the listed record ``TAMSIN VECTOR
    SYSTEMS`` (a name that does not match the query) shows that record's listing, and on a
    date before it the listing not in force."""
    judge(judged, "rx-bidder", "rl-tamsin", "positive", reason="renamed", by="analyst")
    db = str(judged.engine.url)
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\nq1,Harrowgate Scanning Oy\n", encoding="utf-8")
    single = json.loads(
        run_cli(
            "--db", db, "screen", "Harrowgate Scanning Oy", "--as-of", "2023-06-01", "--json"
        ).stdout
    )["matches"][0]
    out = run_cli("--db", db, "screen", "--input", str(queries), "--as-of", "2023-06-01")
    assert out.exit_code == 0, out.stderr
    (found,) = [m for m in json.loads(out.stdout)["matches"] if m["entity_id"] == "rx-bidder"]
    # its own (through the member) and, from the fixture's judged parent, one through its owner
    own = [x for x in found["lists"] if not x["inherited"]]
    assert [(x["list_id"], x["member_id"]) for x in own] == [("us-bis-entity", "rl-tamsin")]
    assert found["lists"] == single["lists"]
    assert found["cluster"] == single["cluster"] and found["cluster_id"] == "rl-tamsin"
    assert "not_in_force" not in found
    out = run_cli("--db", db, "screen", "--input", str(queries), "--as-of", "2021-06-01")
    (before,) = [m for m in json.loads(out.stdout)["matches"] if m["entity_id"] == "rx-bidder"]
    assert [x for x in before["lists"] if not x["inherited"]] == []
    assert [(x["list_id"], x["member_id"], x["why"]) for x in before["not_in_force"]] == [
        ("us-bis-entity", "rl-tamsin", "listed from 2022-01-10, after 2021-06-01")
    ]
