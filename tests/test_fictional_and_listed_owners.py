"""Fictional datasets are marked in every output, and a listed owner is shown as listed at any
share, also where no ownership rule carries its listing down."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bidvet.ownership.report import owners
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES

GROUP = FIXTURES / "ownership" / "fictional-group.yaml"


def test_fictional_records_are_marked_in_screen_and_owners(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert run_cli("load", GROUP, db=db).exit_code == 0
    screened = run_cli("screen", "Heron Vision Systems Ltd", "--json", db=db)
    assert screened.exit_code == 0, screened.stderr
    best = json.loads(screened.stdout)["matches"][0]
    assert best["entity_id"] == "fd-heron-vision" and best["fictional"] is True
    text = run_cli("screen", "Heron Vision Systems Ltd", db=db).stdout
    assert "(FICTIONAL test/example data)" in text
    report = json.loads(run_cli("owners", "fd-heron-vision", "--json", db=db).stdout)
    assert report["fictional"] is True
    assert all(o["fictional"] for o in report["owners"])
    assert "FICTIONAL test/example data" in run_cli("owners", "fd-heron-vision", db=db).stdout


def test_real_sources_are_not_marked_fictional(sqlite_store: Store) -> None:
    load_file(sqlite_store, FIXTURES / "sources" / "sdn_v1.xml")
    with sqlite_store.view() as view:
        assert view.fictional_datasets() == set()
        assert not any(snap.fictional for snap in view.snapshots())


def test_an_owner_on_a_list_no_rule_carries_down_is_still_listed(sqlite_store: Store) -> None:
    # fd-cmic-parent is on the NS-CMIC programme (CMIC-EO13959): no 50 % rule applies to it
    load_file(sqlite_store, GROUP)
    report = owners(sqlite_store, "fd-heron-vision", dt.date(2024, 1, 1))
    parent = next(o for o in report.owners if o["id"] == "fd-cmic-parent")
    assert parent["listed"] is True
    assert parent["lists"] == ["OFAC Non-SDN CMIC List"]
    assert not any(st.inherited for st in report.status.values())
