from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bidvet.screening import engine, matcher
from bidvet.screening.config import V1, V2, default_policy
from bidvet.screening.engine import Screener
from bidvet.store.db import Store

from .factories import load_fictional


@pytest.fixture
def screener(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Screener:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    load_fictional(store)
    return Screener(store)


def test_screen_finds_variant_with_direct_listing(screener: Screener) -> None:
    matches = screener.screen("BOREALIS SCANNING LTD")
    best = matches[0]
    assert best.entity_id == "test-borealis" and best.match, matches
    assert best.name == "Borealis Scanning Oy"
    assert best.caption == "Borealis Scanning Oy"
    assert [(x["list_id"], x["program"], x["start_date"]) for x in best.lists] == [
        ("us-bis-entity", "EAR", "2020-12-18")
    ]
    listing = best.lists[0]
    assert listing["inherited"] is False and listing["delisted"] is None
    assert set(best.to_json()) >= {"entity_id", "name", "score", "match", "lists", "explanation"}


def test_original_script_query(screener: Screener) -> None:
    best = screener.screen("北极光探测技术有限公司")[0]
    assert best.entity_id == "test-aurora" and best.match
    assert best.lists[0]["program"] == "CMIC-EO13959"
    best = screener.screen("Тарнис")[0]
    assert best.entity_id == "test-tarnis" and best.match


def test_unrelated_name_does_not_match(screener: Screener) -> None:
    assert not any(m.match for m in screener.screen("Canberra Plumbing Services Pty Ltd"))


def test_identifier_dominates_names(screener: Screener) -> None:
    matches = screener.screen("Completely Different Name", identifiers=["529900t8bm49aursdo55"])
    assert matches[0].entity_id == "test-borealis"
    assert matches[0].score == 1.0 and matches[0].match
    assert "identifier lei" in matches[0].explanation[0]


def test_country_disagreement_lowers_the_v1_score(screener: Screener) -> None:
    v1 = Screener(screener.store, algorithm=V1)
    same = v1.screen("Tarn Holdings Ltd", country="GB")[0]
    other = v1.screen("Tarn Holdings Ltd", country="FR")[0]
    assert same.entity_id == other.entity_id == "test-tarn"
    assert same.score > other.score
    assert same.algorithm == V1 and same.to_json()["algorithm"] == V1


def test_v2_explains_the_country_without_scoring_it(screener: Screener) -> None:
    same = screener.screen("Tarn Holdings Ltd", country="GB")[0]
    other = screener.screen("Tarn Holdings Ltd", country="FR")[0]
    assert same.algorithm == V2
    assert same.score == other.score, "v2's fitted model has no country feature"
    assert any("country gb agrees" in line for line in same.explanation), same.explanation
    assert any("country fr differs" in line for line in other.explanation), other.explanation


def test_as_of_filters_listings(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    load_fictional(store)
    before = Screener(store, as_of=dt.date(2019, 1, 1)).screen("Borealis Scanning Oy")[0]
    assert before.lists == []  # added 2020-12-18
    tarn_2021 = Screener(store, as_of=dt.date(2021, 1, 1)).screen("Tarn Holdings Ltd")[0]
    tarn_now = Screener(store).screen("Tarn Holdings Ltd")[0]
    assert [x["list_id"] for x in tarn_2021.lists] == ["eu-fsf"]
    assert tarn_now.lists == []  # ended 2022-01-01


def test_index_is_cached_by_fingerprint(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    load_fictional(store)
    Screener(store)
    path = engine.cache_path(store, default_policy())
    assert (path / "index" / "indices.npy").is_file() and (path / "catalog.npz").is_file()
    built: list[int] = []
    monkeypatch.setattr(matcher.Matcher, "build", lambda *a, **k: built.append(1))
    assert Screener(store).screen("Tarnis LLC")[0].entity_id == "test-tarnis"
    assert built == []  # served from the cache
    load_fictional(store, published=dt.date(2024, 6, 1))  # a new snapshot: new fingerprint
    assert engine.cache_path(store, default_policy()) != path


def test_a_new_index_replaces_the_stale_one(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    load_fictional(other)
    Screener(other)
    load_fictional(sqlite_store)
    Screener(sqlite_store)
    stale = engine.cache_path(sqlite_store, default_policy())
    load_fictional(sqlite_store, published=dt.date(2024, 6, 1))
    Screener(sqlite_store)
    fresh = engine.cache_path(sqlite_store, default_policy())
    assert fresh.is_dir() and not stale.exists()
    assert list(fresh.parent.glob("screening-*")) == [fresh]
    assert engine.cache_path(other, default_policy()).is_dir(), "another store's cache stays"
    other.dispose()


def test_batch_equals_single(screener: Screener) -> None:
    queries = [
        ("Borealis Imaging", None),
        ("Quillon Border Systems", "de"),
        ("Marten Velkaro", None),
    ]
    many = screener.screen_many(queries)
    for (name, country), got in zip(queries, many, strict=True):
        single = screener.screen(name, country=country)
        assert [m.to_json() for m in got] == [m.to_json() for m in single]


INHERITED = """\
bidvet: curated/1
dataset: test-inherited
title: Fictional ownership chain (test data)
fictional: true
entities:
  - {id: t-owner, schema: Company, names: [Ostrava Fictional Arms JSC], source: {title: test}}
  - {id: t-parent, schema: Company, names: [Pellmore Holdings Ltd], source: {title: test}}
  - {id: t-bidder, schema: Company, names: [Quarrel Scanning Ltd], source: {title: test}}
listings:
  - {entity: t-owner, list: us-ofac-sdn, list_name: SDN (fictional entry), source: {title: test}}
ownership:
  - {owner: t-owner, asset: t-parent, share: 60, source: {title: test}}
  - {owner: t-parent, asset: t-bidder, share: 100, source: {title: test}}
"""


def test_lists_inherited_through_owners_appear_with_regime_and_path(
    sqlite_store: Store, tmp_path: Path
) -> None:
    from bidvet.sources.loader import load_file

    path = tmp_path / "inherited.yaml"
    path.write_text(INHERITED, encoding="utf-8")
    load_file(sqlite_store, path)
    best = Screener(sqlite_store, as_of=dt.date(2021, 1, 1)).screen("Quarrel Scanning")[0]
    assert best.entity_id == "t-bidder", best
    inherited = [item for item in best.lists if item["inherited"]]
    us = [item for item in inherited if item["regime"] == "us_ofac"]
    assert len(us) == 1, best.lists
    assert us[0]["owner_id"] == "t-owner"
    assert us[0]["path"] == ["t-owner", "t-parent", "t-bidder"]
    assert us[0]["aggregate_share"] == pytest.approx(1.0)
    assert not [item for item in best.lists if not item["inherited"]], "no direct listing"
    plain = Screener(sqlite_store, as_of=dt.date(2021, 1, 1), with_inherited=False)
    assert plain.screen("Quarrel Scanning")[0].lists == []
