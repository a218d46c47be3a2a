"""Official lists and FtM through ``load_file`` into the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from bidvet.errors import InputError
from bidvet.sources.loader import load_file
from bidvet.store import schema as s
from bidvet.store.db import Store
from tests.conftest import FIXTURES
from tests.store_counts import table_counts

HERE = FIXTURES / "sources"


def test_sdn_load_reload_and_newer_version_delists(store: Store) -> None:
    first = load_file(store, HERE / "sdn_v1.xml")
    assert (first.imported, first.write.entities_created, first.write.listings_created) == (3, 3, 4)
    before = table_counts(store)
    again = load_file(store, HERE / "sdn_v1.xml")
    assert again.write.already_loaded and table_counts(store) == before

    newer = load_file(store, HERE / "sdn_v2.xml")
    assert newer.write.listings_delisted == 1 and newer.write.listings_confirmed == 3
    with store.read() as conn:
        rows = conn.execute(
            sa.select(s.listings.c.entity_id, s.listings.c.delisted, s.listings.c.last_seen)
        ).all()
        snapshots = (
            conn.execute(sa.select(s.snapshots.c.published).order_by(s.snapshots.c.id))
            .scalars()
            .all()
        )
        topics = conn.execute(sa.select(s.entity_topics.c.topic).distinct()).scalars().all()
    delisted = {r.entity_id: r.delisted for r in rows}
    assert delisted["ofac-900002"] == dt.date(2024, 4, 2)
    assert delisted["ofac-900001"] is None
    assert snapshots == [dt.date(2024, 3, 1), dt.date(2024, 4, 2)]
    assert topics == ["sanction"]


def test_csl_json_load_stores_list_topics_and_dates(store: Store) -> None:
    summary = load_file(store, HERE / "csl_small.json")
    assert summary.format == "us-csl-json" and summary.imported == 2
    with store.read() as conn:
        listing = (
            conn.execute(sa.select(s.listings).where(s.listings.c.list_id == "us-bis-entity"))
            .mappings()
            .one()
        )
        topics = (
            conn.execute(
                sa.select(s.entity_topics.c.topic).where(
                    s.entity_topics.c.entity_id == "csl-28b7f3c1aa90d4e2"
                )
            )
            .scalars()
            .all()
        )
    assert listing["start_date"] == dt.date(2023, 3, 1)
    assert listing["list_name"].startswith("BIS Entity List")
    assert topics == ["debarment"]


def test_ftm_load_stores_entities_listings_and_ownership(store: Store) -> None:
    summary = load_file(store, HERE / "ftm_small.json")
    assert summary.dataset == "ftm-fictional_watchlist"
    assert (summary.imported, summary.rejected) == (10, 3)
    with store.read() as conn:
        own = {r.key: r for r in conn.execute(sa.select(s.ownership)).all()}
        lists = dict(conn.execute(sa.select(s.listings.c.entity_id, s.listings.c.list_id)).all())
        log = conn.execute(sa.select(s.quality_log.c.record, s.quality_log.c.action)).all()
    assert own["ftm-fictional_watchlist:ftm-own-1"].share == pytest.approx(0.51)
    assert own["ftm-fictional_watchlist:ftm-own-2"].share_min == pytest.approx(0.25)
    assert own["ftm-fictional_watchlist:ftm-own-3"].share is None
    assert "ftm-fictional_watchlist:ftm-own-4" not in own
    assert lists == {"ftm-tarn": "us-ofac-sdn", "ftm-borealis": "ftm-fictional_watchlist"}
    assert ("ftm-own-4", "rejected") in log and ("ftm-own-5", "rejected") in log


@pytest.mark.parametrize("damage", ["truncate", "wrong-format", "empty"])
def test_bad_input_writes_nothing(store: Store, tmp_path: Path, damage: str) -> None:
    path = tmp_path / "sdn.xml"
    text = (HERE / "sdn_v1.xml").read_text()
    fmt = None
    if damage == "truncate":
        path.write_text(text[: len(text) - 200])
    elif damage == "wrong-format":
        path.write_text(text)
        fmt = "eu-fsf-xml"
    else:
        path.write_text("")
    before = table_counts(store)
    with pytest.raises(InputError):
        load_file(store, path, fmt)
    assert table_counts(store) == before
    assert before["snapshots"] == 0 and before["entities"] == 0


def test_invalid_ftm_line_names_the_line_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "entities.json"
    lines = (HERE / "ftm_small.json").read_text().splitlines()
    lines[3] = lines[3][:-10]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"entities\.json: line 4 column \d+: invalid JSON"):
        load_file(store, path)
    assert table_counts(store)["entities"] == 0


def test_csl_files_never_delist_each_other(store: Store, tmp_path: Path) -> None:
    """The CSL has no publication date, so a later-loaded CSL file must not delist entries of
    an earlier one (the load order says nothing about which is newer)."""
    load_file(store, HERE / "csl_small.json")
    data = json.loads((HERE / "csl_small.json").read_text())
    data["results"] = data["results"][:1]
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data))
    summary = load_file(store, other)
    assert summary.imported == 1
    assert (summary.write.listings_confirmed, summary.write.listings_delisted) == (1, 0)
    with store.read() as conn:
        delisted = conn.execute(
            sa.select(sa.func.count()).where(s.listings.c.delisted.is_not(None))
        ).scalar()
    assert delisted == 0
