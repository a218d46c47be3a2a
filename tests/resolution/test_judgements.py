"""Judgements in the store, clusters with a stable canonical id, and the CSV round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bidvet.errors import InputError
from bidvet.resolution.judgements import import_judgements, judge, record, write_csv
from bidvet.store.db import Store
from bidvet.store.resolution import Judgement
from tests.resolution.helpers import load_cases

AT = dt.datetime(2026, 1, 2, 3, 4, 5)


def _j(a: str, b: str, kind: str = "positive") -> Judgement:
    return Judgement(a, b, kind, "tester", AT, f"{a} vs {b}", "user")  # type: ignore[arg-type]


def test_clusters_follow_positive_judgements_with_the_smallest_id(store: Store) -> None:
    load_cases(store)
    record(store, [_j("rx-parent", "rl-pellucid"), _j("rl-tamsin", "rx-lei-a", "negative")])
    with store.view() as view:
        cluster = view.cluster("rx-parent")
        alone = view.cluster("rl-tamsin")
    assert cluster.canonical_id == "rl-pellucid"
    assert cluster.members == ("rl-pellucid", "rx-parent")
    assert [(j.left_id, j.right_id) for j in cluster.links] == [("rl-pellucid", "rx-parent")]
    assert alone.members == ("rl-tamsin",) and alone.links == ()
    # judging the pair again replaces the judgement, and the cluster goes
    record(store, [_j("rl-pellucid", "rx-parent", "negative")])
    with store.view() as view:
        assert view.cluster("rx-parent").members == ("rx-parent",)
        assert [j.judgement for j in view.judgements(["rx-parent"])] == ["negative"]


def test_judgements_are_knowledge_in_the_content_digest(sqlite_store: Store) -> None:
    load_cases(sqlite_store)
    before = sqlite_store.content_digest()
    record(sqlite_store, [_j("rx-parent", "rl-pellucid")])
    assert sqlite_store.content_digest() != before


def test_csv_round_trip(tmp_path: Path) -> None:
    first = Store(f"sqlite:///{tmp_path / 'a.db'}")
    second = Store(f"sqlite:///{tmp_path / 'b.db'}")
    for s in (first, second):
        load_cases(s)
    judge(first, "rx-parent", "rl-pellucid", "positive", reason="same name, same country", by="ann")
    judge(
        first, "rx-grandparent", "rl-ormsby-owner", "unsure", reason="group vs holdings", by="ann"
    )
    out = tmp_path / "judgements.csv"
    with first.view() as view, out.open("w", encoding="utf-8", newline="") as fh:
        assert write_csv(fh, view.judgements()) == 2
    result = import_judgements(second, out)
    assert result.written == 2 and result.skipped == ()
    with first.view() as a, second.view() as b:
        assert [j.to_json() for j in a.judgements()] == [j.to_json() for j in b.judgements()]
        assert b.cluster("rx-parent").canonical_id == "rl-pellucid"


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("left_id,right_id,judgement,reason\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def test_a_bad_row_writes_nothing_and_names_the_row(sqlite_store: Store, tmp_path: Path) -> None:
    load_cases(sqlite_store)
    path = _csv(
        tmp_path,
        "rx-parent,rl-pellucid,positive,same company",
        "rx-bidder,no-such-record,negative,not the same",
    )
    with pytest.raises(InputError) as err:
        import_judgements(sqlite_store, path)
    assert "line 3" in str(err.value) and "'no-such-record'" in str(err.value)
    with sqlite_store.view() as view:
        assert view.judgements() == []


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("rx-parent,rl-pellucid,maybe,x", "judgement 'maybe'"),
        ("rx-parent,rx-parent,positive,x", "judged against itself"),
        ("rx-parent,rl-pellucid,positive,", "empty reason"),
    ],
)
def test_malformed_rows_are_named(
    sqlite_store: Store, tmp_path: Path, row: str, words: str
) -> None:
    load_cases(sqlite_store)
    with pytest.raises(InputError) as err:
        import_judgements(sqlite_store, _csv(tmp_path, row))
    assert "line 2" in str(err.value) and words in str(err.value)
