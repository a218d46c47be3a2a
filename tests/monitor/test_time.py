"""Time passes: a fact already in the store that comes into force after a watch was last
checked (a listing published earlier with a later start date, an ownership edge that starts
later) re-checks the watch on the next run, with no new load; fictional data only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bidvet.monitor.reassess import reassess
from bidvet.store import monitoring
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES

TIME = FIXTURES / "monitor" / "time"


def _case(tmp_path: Path, *, listing: str, edge: str) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "tender.yaml").write_text((TIME / "tender.yaml").read_text(encoding="utf-8"))
    vendors = (TIME / "vendors.yaml").read_text(encoding="utf-8")
    vendors = vendors.replace("start_date: LISTING_START", f"start_date: {listing}")
    vendors = vendors.replace("start_date: EDGE_START", f"start_date: {edge}")
    (folder / "vendors.yaml").write_text(vendors, encoding="utf-8")
    return folder


def _watched(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch, listing: str, edge: str
) -> Store:
    """The fictional chain loaded and the award (2021-01-05) under watch, today 2021-01-10."""
    monkeypatch.setenv("BIDVET_TODAY", "2021-01-10")
    folder = _case(tmp_path, listing=listing, edge=edge)
    for args in (
        ("load", folder / "vendors.yaml"),
        (
            "watch",
            "add",
            folder / "tender.yaml",
            "--awarded-to",
            "merlin",
            "--award-date",
            "2021-01-05",
        ),
    ):
        result = run_cli(*args, db=db)
        assert result.exit_code == 0, result.output
    return Store(db)


@pytest.mark.parametrize(
    ("listing", "edge", "kind"),
    [
        ("2021-03-01", "2018-01-01", "listing-start"),  # listed in advance, in force later
        ("2019-06-01", "2021-03-01", "ownership-start"),  # an owner's stake starts later
    ],
)
def test_a_fact_coming_into_force_rechecks_the_watch_without_a_load(
    tmp_path: Path,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    listing: str,
    edge: str,
    kind: str,
) -> None:
    store = _watched(tmp_path, db_url, monkeypatch, listing, edge)
    before = monitoring.watches(store)[0].decision["subjects"]["merlin"]["outcome"]
    snapshots = monitoring.latest_snapshot(store)
    # before the date: nothing to re-check
    early = reassess(store, as_of=dt.date(2021, 2, 28))
    assert early.rechecked == [] and early.alerts == []
    # the day it comes into force: re-checked and alerted, though nothing was loaded
    due = reassess(store, as_of=dt.date(2021, 3, 1))
    assert monitoring.latest_snapshot(store) == snapshots
    assert due.rechecked == [1], due
    assert len(due.alerts) == 1, due
    alert = monitoring.alert(store, due.alerts[0])
    change = alert.body["changes"][0]
    assert change["outcome_before"] == before and change["outcome_now"] != before, change
    forced = [c for c in alert.body["in_force"] if c["change"] == kind]
    assert forced and forced[0]["date"] == "2021-03-01", alert.body["in_force"]
    assert "in force 2021-03-01" in alert.summary, alert.summary
    # the next run (same day or later) finds nothing new
    again = reassess(store, as_of=dt.date(2021, 3, 2))
    assert again.rechecked == [] and again.alerts == []


def test_a_fact_in_force_before_the_award_does_not_recheck(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _watched(tmp_path, db_url, monkeypatch, "2019-06-01", "2018-01-01")
    result = reassess(store, as_of=dt.date(2021, 6, 1))
    assert result.rechecked == [] and result.alerts == []


def test_monitor_with_nothing_to_fetch_still_rechecks_on_time(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _watched(tmp_path, db_url, monkeypatch, "2021-03-01", "2018-01-01")
    empty = tmp_path / "media"
    empty.mkdir()
    monkeypatch.setenv("BIDVET_TODAY", "2021-03-05")
    db = db_url
    first = run_cli("monitor", "--from-dir", empty, "--json", db=db)
    assert first.exit_code == 0, first.output
    doc = json.loads(first.stdout)
    assert doc["updates"] == [] and doc["reassessed"]["rechecked"] == [1]
    assert len(doc["reassessed"]["alerts"]) == 1
    second = json.loads(run_cli("monitor", "--from-dir", empty, "--json", db=db).stdout)
    assert second["reassessed"]["rechecked"] == [] and second["reassessed"]["alerts"] == []
    assert len(monitoring.alerts(store)) == 1
