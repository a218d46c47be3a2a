"""GLEIF LEI-CDF / RR-CDF / reporting-exception files from ../shared/data load completely."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree

from bidvet.ownership.report import owners
from bidvet.sources.loader import load_file
from bidvet.store import schema as s
from bidvet.store.db import Store

LEI = "{http://www.gleif.org/data/schema/leidata/2016}"
RR = "{http://www.gleif.org/data/schema/rr/2016}"
REPEX = "{http://www.gleif.org/data/schema/repex/2016}"
KINDS = {
    "IS_DIRECTLY_CONSOLIDATED_BY": "consolidation-direct",
    "IS_ULTIMATELY_CONSOLIDATED_BY": "consolidation-ultimate",
    "IS_FUND-MANAGED_BY": "fund-management",
    "IS_SUBFUND_OF": "subfund",
}


@pytest.fixture
def gleif(shared_data: Path) -> Path:
    return shared_data / "gleif-lei-rr-samples"


def _rows(store: Store, table: sa.Table, *cols: str) -> list[tuple[object, ...]]:
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(sa.select(*(table.c[c] for c in cols))).all()]


@pytest.mark.parametrize("name", ["rr-data.xml", "rr-updates-data2.xml"])
def test_relationship_files_load_every_relationship(
    gleif: Path, sqlite_store: Store, name: str
) -> None:
    path = gleif / name
    tree = etree.parse(str(path))
    records = tree.findall(f".//{RR}RelationshipRecord")
    types = [str(r.findtext(f"{RR}Relationship/{RR}RelationshipType")) for r in records]
    expected = Counter(KINDS[t] for t in types)
    summary = load_file(sqlite_store, path)
    assert summary.format == "gleif-rr"
    assert summary.imported == len(records) and summary.rejected == 0
    kinds = Counter(k for (k,) in _rows(sqlite_store, s.ownership, "kind"))
    assert kinds == expected, kinds


def test_relationship_direction_and_dates(gleif: Path, sqlite_store: Store) -> None:
    load_file(sqlite_store, gleif / "rr-data.xml")
    rows = _rows(sqlite_store, s.ownership, "owner_id", "asset_id", "kind", "start_date")
    tree = etree.parse(str(gleif / "rr-data.xml"))
    first = tree.find(f".//{RR}Relationship")
    assert first is not None
    child = first.findtext(f"{RR}StartNode/{RR}NodeID")
    parent = first.findtext(f"{RR}EndNode/{RR}NodeID")
    start = first.findtext(f"{RR}RelationshipPeriods/{RR}RelationshipPeriod/{RR}StartDate")
    assert start is not None
    assert (
        f"lei-{parent}",
        f"lei-{child}",
        "fund-management",
        dt.date.fromisoformat(start[:10]),
    ) in rows


@pytest.mark.parametrize("name", ["lei-data.xml", "lei-updates-data2.xml"])
def test_entity_files_load_every_lei_record(gleif: Path, sqlite_store: Store, name: str) -> None:
    path = gleif / name
    leis = [e.text for e in etree.parse(str(path)).iter(f"{LEI}LEI")]
    summary = load_file(sqlite_store, path)
    assert summary.imported == len(leis)
    idents = {v for (v,) in _rows(sqlite_store, s.entity_identifiers, "value")}
    assert idents == set(leis)
    ids = {i for (i,) in _rows(sqlite_store, s.entities, "id")}
    assert ids == {f"lei-{x}" for x in leis}


def test_reporting_exceptions_are_kept_and_logged(gleif: Path, sqlite_store: Store) -> None:
    path = gleif / "repex-data.xml"
    count = len(etree.parse(str(path)).findall(f".//{REPEX}Exception"))
    summary = load_file(sqlite_store, path)
    assert summary.imported == count
    assert sum(1 for i in summary.issues if i["action"] == "note") == count
    assert len(_rows(sqlite_store, s.ownership, "key")) == count


def test_consolidation_chain_gives_owners_and_ultimate_parent(
    gleif: Path, sqlite_store: Store
) -> None:
    load_file(sqlite_store, gleif / "rr-updates-data2.xml")
    subject = "lei-98450051BS9C610A8T78"
    data = owners(sqlite_store, subject, dt.date(2023, 11, 6)).to_json()
    by_id = {o["id"]: o for o in data["owners"]}
    direct, top = "lei-2138002YAB7Z9KO21397", "lei-984500501A1B1045PB30"
    assert by_id[direct]["path"] == [direct, subject]
    assert by_id[top]["path"] == [top, direct, subject]
    assert by_id[top]["effective_share"] is None  # consolidation carries no share
    assert [c["id"] for c in data["ultimate_controllers"]] == [top]
    # Before the relationship period starts there is no parent.
    early = owners(sqlite_store, subject, dt.date(2018, 1, 1)).to_json()
    assert early["owners"] == []


def test_reporting_exception_shows_as_declared_unknown_parent(
    gleif: Path, sqlite_store: Store
) -> None:
    load_file(sqlite_store, gleif / "repex-data.xml")
    first = etree.parse(str(gleif / "repex-data.xml")).find(f".//{REPEX}Exception")
    assert first is not None
    lei, reason = first.findtext(f"{REPEX}LEI"), first.findtext(f"{REPEX}ExceptionReason")
    data = owners(sqlite_store, f"lei-{lei}", dt.date(2023, 6, 9)).to_json()
    assert data["owners"] == []
    assert [u["reason"] for u in data["unknown_owners"]] == [reason]
