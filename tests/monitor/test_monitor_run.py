"""``bidvet monitor`` end to end on loopback: the seed case's award under watch, a local HTTP
server publishing the Consolidated Screening List that adds Nuctech, a carried-in directory,
a source that fails, overdue sources, and a second run that does nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bidvet.store import monitoring
from bidvet.store.db import Store
from bidvet.store.fetches import record_success
from tests.cli_helpers import run_cli
from tests.monitor.test_update import Publication, Server

ROOT = Path(__file__).resolve().parents[2]
TENDER = ROOT / "examples" / "embassy-scanners" / "tender.yaml"
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "monitor" / "seed"
DEC = (SEED / "csl-2020-12.csv").read_bytes()


@pytest.fixture
def http() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


@pytest.fixture
def watched(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The award to Nuctech (2020-07-15, Canada) under watch on the July 2020 CSL; today is
    2020-12-23 and downloads go under tmp_path."""
    monkeypatch.setenv("BIDVET_TODAY", "2020-12-23")
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    db = db_url
    for args in (
        ("knowledge", "install"),
        ("load", TENDER.parent / "vendors.yaml"),
        ("load", SEED / "csl-2020-07.csv"),
        ("watch", "add", TENDER, "--awarded-to", "nuctech", "--award-date", "2020-07-15"),
    ):
        result = run_cli(*args, db=db)
        assert result.exit_code == 0, result.output
    return db


def _snapshots(db: str) -> int:
    with Store(db).view() as view:
        return len(view.snapshots())


def test_monitor_over_http_alerts_once_and_a_second_run_does_nothing(
    watched: str, http: Server
) -> None:
    http.routes["/consolidated.csv"] = Publication(DEC, etag='"dec"')
    url = f"us-csl={http.url('/consolidated.csv')}"
    before = _snapshots(watched)
    first = run_cli("monitor", "us-csl", "--url", url, "--json", db=watched)
    assert first.exit_code == 0, first.output
    doc = json.loads(first.stdout)
    assert [(u["source"], u["status"]) for u in doc["updates"]] == [("us-csl", "loaded")]
    [diff] = doc["diffs"]
    added = [e["name"] for ld in diff["lists"] for e in ld["added"]]
    assert added == ["Nuctech Company Limited"], added
    assert len(doc["reassessed"]["alerts"]) == 1 and doc["stale_alerts"] == []
    [alert] = json.loads(run_cli("alerts", "--json", db=watched).stdout)
    assert alert["kind"] == "reassessment"
    assert (alert["changes"][0]["outcome_before"], alert["changes"][0]["outcome_now"]) == (
        "restrict",
        "exclude",
    )
    assert alert["triggers"][0]["rule"] == "85 FR 83416"
    assert _snapshots(watched) == before + 1

    second = run_cli("monitor", "us-csl", "--url", url, db=watched)
    assert second.exit_code == 0, second.output
    assert "us-csl: unchanged: not modified" in second.stdout
    assert "0 watches re-checked, 0 alerts raised, 0 stale-source alerts" in second.stdout
    assert http.requests[-1][1]["if-none-match"] == '"dec"'
    assert _snapshots(watched) == before + 1
    assert len(json.loads(run_cli("alerts", "--all", "--json", db=watched).stdout)) == 1


def test_a_failed_source_does_not_stop_the_others_and_is_reported(
    watched: str, http: Server
) -> None:
    http.routes["/consolidated.csv"] = Publication(DEC, etag='"dec"')
    args = (
        "monitor",
        "us-ofac-sdn",
        "us-csl",
        "--url",
        f"us-ofac-sdn={http.url('/gone/sdn.xml')}",
        "--url",
        f"us-csl={http.url('/consolidated.csv')}",
        "--retries",
        "0",
    )
    first = run_cli(*args, db=watched)
    assert first.exit_code == 1, first.output
    assert "us-ofac-sdn: failed:" in first.stdout and "HTTP 404" in first.stdout
    assert "us-csl: loaded" in first.stdout
    assert "warning: us-ofac-sdn failed" in first.stderr
    kinds = sorted(a["kind"] for a in json.loads(run_cli("alerts", "--json", db=watched).stdout))
    # the SDN list is one Canada's buyers are expected to check, and it was never fetched
    assert kinds == ["reassessment", "stale-source"]
    second = run_cli(*args, db=watched)
    assert second.exit_code == 1
    assert "0 alerts raised, 0 stale-source alerts" in second.stdout  # deduplicated
    assert len(json.loads(run_cli("alerts", "--json", db=watched).stdout)) == 2


def test_monitor_from_a_carried_in_directory(watched: str, tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    shutil.copyfile(SEED / "csl-2020-12.csv", media / "consolidated.csv")
    first = run_cli("monitor", "--from-dir", media, "--json", db=watched)
    assert first.exit_code == 0, first.output
    doc = json.loads(first.stdout)
    assert [(u["source"], u["status"]) for u in doc["updates"]] == [("us-csl", "loaded")]
    assert doc["updates"][0]["url"].startswith("file://")
    assert len(doc["reassessed"]["alerts"]) == 1
    second = json.loads(run_cli("monitor", "--from-dir", media, "--json", db=watched).stdout)
    assert [u["status"] for u in second["updates"]] == ["unchanged"]
    assert second["reassessed"]["alerts"] == [] and second["stale_alerts"] == []


def test_monitor_usage_errors_exit_2(watched: str) -> None:
    bad = run_cli("monitor", "--url", "us-csl", db=watched)
    assert bad.exit_code == 2 and "expected SOURCE=URL" in bad.stderr
    unknown = run_cli("monitor", "no-such-source", db=watched)
    assert unknown.exit_code == 2 and "unknown source 'no-such-source'" in unknown.stderr


def test_overdue_sources_are_listed_and_alerted_once(watched: str, tmp_path: Path) -> None:
    store = Store(watched)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    fetched = {"us-csl": now - dt.timedelta(days=3), "un-sc": now - dt.timedelta(days=2)}
    for source, when in fetched.items():
        record_success(
            store,
            source,
            url="https://example.invalid/x",
            etag=None,
            last_modified=None,
            sha256=None,
            size=None,
            snapshot_id=None,
            status="loaded",
            message="",
            now=when,
        )
    listed = run_cli("update", "--list", "--json", db=watched)
    assert listed.exit_code == 0, listed.output
    state = {r["source"]: r["freshness"] for r in json.loads(listed.stdout)}
    assert state["us-csl"]["overdue"] and state["us-csl"]["age_days"] == 3  # daily
    assert not state["un-sc"]["overdue"]  # weekly
    assert not state["eu-fsf"]["overdue"] and state["eu-fsf"]["last_attempt"] is None
    text = run_cli("update", "--list", db=watched).stdout
    assert "OVERDUE: last successful fetch" in text and "expected every 1 d" in text
    status = run_cli("status", db=watched).stdout
    assert "sources: 1 of 2 fetched by bidvet update overdue" in status
    assert "us-csl: OVERDUE" in status
    assert json.loads(run_cli("status", "--json", db=watched).stdout)["sources"]

    media = tmp_path / "empty"
    media.mkdir()
    first = json.loads(run_cli("monitor", "--from-dir", media, "--json", db=watched).stdout)
    assert len(first["stale_alerts"]) == 1
    alert = monitoring.alert(store, first["stale_alerts"][0])
    assert alert.body["kind"] == "stale-source" and alert.body["source"]["source"] == "us-csl"
    assert "us-bis-entity" in alert.body["expected_lists"]
    assert alert.body["buyer"]["profile"] == "ca"
    second = json.loads(run_cli("monitor", "--from-dir", media, "--json", db=watched).stdout)
    assert second["stale_alerts"] == []
