"""The seed case: embassy scanners awarded to Nuctech in July 2020, under watch; the Entity
List publication that adds Nuctech (85 FR 83416, effective 2020-12-18) raises one alert."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
TENDER = ROOT / "examples" / "embassy-scanners" / "tender.yaml"
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "monitor" / "seed"


@pytest.fixture
def watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store holding the reference knowledge, the tender's vendors and the July 2020 Entity
    List publication, with the award to Nuctech (2020-07-15) under watch; today is 2020-12-23."""
    monkeypatch.setenv("BIDVET_TODAY", "2020-12-23")
    db = tmp_path / "seed.db"
    for args in (
        ("knowledge", "install"),
        ("load", TENDER.parent / "vendors.yaml"),
        ("load", SEED / "csl-2020-07.csv"),
        ("watch", "add", TENDER, "--awarded-to", "nuctech", "--award-date", "2020-07-15"),
    ):
        result = run_cli(*args, db=db)
        assert result.exit_code == 0, result.output
    return db


def test_the_entity_list_publication_raises_one_alert_naming_what_changed(watched: Path) -> None:
    loaded = run_cli("load", SEED / "csl-2020-12.csv", db=watched)
    assert loaded.exit_code == 0, loaded.output
    assert "1 watches re-checked, 1 alerts raised" in loaded.stderr, loaded.stderr
    shown = run_cli("alerts", "--json", db=watched)
    alerts = json.loads(shown.stdout)
    assert len(alerts) == 1, shown.stdout
    alert = alerts[0]
    text = json.dumps(alert, ensure_ascii=False)
    for needle in ("Nuctech Company Limited", "Entity List", "85 FR 83416", "embassies"):
        assert needle in text, f"{needle!r} missing from {text[:2000]}"
    assert alert["at_award"]["outcomes"] == {"nuctech": "restrict"}
    change = alert["changes"][0]
    assert (change["outcome_before"], change["outcome_now"]) == ("restrict", "exclude")
    trigger = alert["triggers"][0]
    assert trigger["since"] == "2020-12-18"
    assert trigger["rule"] == "85 FR 83416"
    assert trigger["publication"]["file"] == "csl-2020-12.csv"


def test_loading_and_monitoring_again_raise_no_second_alert(watched: Path) -> None:
    for _ in range(2):
        assert run_cli("load", SEED / "csl-2020-12.csv", db=watched).exit_code == 0
    from bidvet.monitor.reassess import reassess
    from bidvet.store import monitoring
    from bidvet.store.db import Store

    store = Store(f"sqlite:///{watched}")
    assert reassess(store).alerts == []
    assert len(monitoring.alerts(store, include_acknowledged=True)) == 1


def test_would_we_have_known_shows_award_now_and_the_listing(watched: Path) -> None:
    assert run_cli("load", SEED / "csl-2020-12.csv", db=watched).exit_code == 0
    shown = run_cli("watch", "history", "1", "--json", db=watched)
    assert shown.exit_code == 0, shown.output
    doc = json.loads(shown.stdout)
    assert doc["at_award"]["outcomes"] == {"nuctech": "restrict"}
    assert doc["now"]["outcomes"] == {"nuctech": "exclude"}
    listed = [e for e in doc["timeline"] if e["kind"] == "listing" and "Entity List" in e["text"]]
    assert listed and listed[0]["date"] == "2020-12-18", doc["timeline"]
    md = run_cli("watch", "history", "1", "--format", "md", db=watched).stdout
    assert "| nuctech | restrict | exclude |" in md, md


def test_an_acknowledged_alert_keeps_who_and_why(watched: Path) -> None:
    assert run_cli("load", SEED / "csl-2020-12.csv", db=watched).exit_code == 0
    acked = run_cli(
        "alerts", "ack", "1", "--note", "contract under review", "--by", "a.reviewer", db=watched
    )
    assert acked.exit_code == 0, acked.output
    assert json.loads(run_cli("alerts", "--json", db=watched).stdout) == []
    kept = json.loads(run_cli("alerts", "--all", "--json", db=watched).stdout)
    assert kept[0]["acknowledged"]["by"] == "a.reviewer"
    assert kept[0]["acknowledged"]["note"] == "contract under review"
