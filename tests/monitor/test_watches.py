"""Contract watches (``watch add --contract``, ``--from-exposure``), ``watch list``,
``watch remove``, the audit entries they write, and the load hook when nothing is watched.

Contract data: the fictional OCDS history and fictional suppliers of tests/fixtures/contracts.
"""

from __future__ import annotations

import json

import pytest

from bidvet.store import monitoring
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES

CONTRACTS = FIXTURES / "contracts"
LISTING = FIXTURES / "monitor" / "contracts" / "borealis-listing.yaml"


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The fictional suppliers and contract history loaded; today is 2024-02-01."""
    monkeypatch.setenv("BIDVET_TODAY", "2024-02-01")
    path = db_url
    for name in ("knowledge.yaml", "history.json"):
        loaded = run_cli("load", CONTRACTS / name, db=path)
        assert loaded.exit_code == 0, loaded.output
    return path


def _list(db: str) -> list[dict[str, object]]:
    shown = run_cli("watch", "list", "--json", db=db)
    assert shown.exit_code == 0, shown.output
    rows: list[dict[str, object]] = json.loads(shown.stdout)
    return rows


def _audit(db: str) -> list[tuple[str, str, str]]:
    with Store(db).read() as conn:
        from bidvet.store import audit

        entries = sorted(audit.entries(conn), key=lambda e: e.seq)
        return [(e.actor, e.action, e.object_id) for e in entries]


def test_a_contract_watch_keeps_its_decision_at_award(db: str) -> None:
    added = run_cli("watch", "add", "--contract", "ocds-fx0001-005", "--json", db=db)
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout) == {"added": [1]}
    [row] = _list(db)
    assert row["kind"] == "contract" and row["ocid"] == "ocds-fx0001-005"
    assert row["award_date"] == "2021-01-01"
    assert row["decision"] == {"Borealis Scanning Oy": "clear"}
    assert row["now"] == row["decision"]
    text = run_cli("watch", "list", db=db).stdout
    assert "ocds-fx0001-005 — Borealis Scanning Oy" in text


def test_a_new_listing_of_a_watched_supplier_alerts_on_load(db: str) -> None:
    assert run_cli("watch", "add", "--contract", "ocds-fx0001-005", db=db).exit_code == 0
    loaded = run_cli("load", LISTING, db=db)
    assert loaded.exit_code == 0, loaded.output
    assert "1 watches re-checked, 1 alerts raised" in loaded.stderr, loaded.stderr
    [alert] = json.loads(run_cli("alerts", "--json", db=db).stdout)
    assert alert["at_award"]["outcomes"] == {"Borealis Scanning Oy": "clear"}
    assert alert["changes"][0]["outcome_now"] == "exposed"
    assert alert["triggers"][0]["list"] == "Fictional Monitoring Test List"
    assert _list(db)[0]["now"] == {"Borealis Scanning Oy": "exposed"}


def test_an_unknown_contract_is_a_clear_error_and_writes_nothing(db: str) -> None:
    added = run_cli("watch", "add", "--contract", "ocds-fx0001-999", db=db)
    assert added.exit_code == 1
    assert "no contracting process 'ocds-fx0001-999'" in added.stderr
    assert _list(db) == [] and _audit(db) == []


def test_from_exposure_watches_what_the_scan_flags_once(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIDVET_TODAY", "2024-02-01")
    fresh = db_url  # the contract files are loaded by the watch command itself
    assert run_cli("load", CONTRACTS / "knowledge.yaml", db=fresh).exit_code == 0
    added = run_cli(
        "watch", "add", "--from-exposure", CONTRACTS / "history.json", "--json", db=fresh
    )
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["added"] == [1, 2, 3, 4]
    ocids = sorted(str(r["ocid"]) for r in _list(fresh))
    assert ocids == [f"ocds-fx0001-00{i}" for i in (1, 2, 3, 4)]  # the clean ones are not
    again = run_cli("watch", "add", "--from-exposure", CONTRACTS / "history.json", db=fresh)
    assert again.exit_code == 0 and "nothing to watch" in again.stdout
    assert len(_list(fresh)) == 4
    no_files = run_cli("watch", "add", "--from-exposure", db=fresh)
    assert no_files.exit_code == 2


def test_remove_drops_the_watch_and_its_alerts(db: str) -> None:
    assert run_cli("watch", "add", "--contract", "ocds-fx0001-005", db=db).exit_code == 0
    assert run_cli("watch", "add", "--contract", "ocds-fx0001-006", db=db).exit_code == 0
    assert run_cli("load", LISTING, db=db).exit_code == 0
    store = Store(db)
    assert [a.watch_id for a in monitoring.alerts(store)] == [1]
    removed = run_cli("watch", "remove", "1", db=db)
    assert removed.exit_code == 0 and "removed watch 1" in removed.stdout
    assert [r["id"] for r in _list(db)] == [2]
    assert monitoring.alerts(store, include_acknowledged=True) == []
    missing = run_cli("watch", "remove", "1", db=db)
    assert missing.exit_code == 1 and "no watch 1" in missing.stderr


def test_watch_add_remove_and_acknowledge_are_audited(db: str) -> None:
    env = {"USER": "c.officer", "LOGNAME": "c.officer"}
    added = run_cli("watch", "add", "--contract", "ocds-fx0001-005", db=db, env=env)
    assert added.exit_code == 0, added.output
    assert run_cli("load", LISTING, db=db).exit_code == 0
    acked = run_cli("alerts", "ack", "1", "--note", "supplier asked", "--by", "a.rev", db=db)
    assert acked.exit_code == 0, acked.output
    twice = run_cli("alerts", "ack", "1", "--note", "again", "--by", "b.rev", db=db)
    assert twice.exit_code == 1 and "already acknowledged by a.rev" in twice.stderr
    assert run_cli("watch", "remove", "1", db=db, env=env).exit_code == 0
    assert _audit(db) == [
        ("c.officer", "watch-add", "1"),
        ("a.rev", "alert-acknowledge", "1"),
        ("c.officer", "watch-remove", "1"),
    ]
    with Store(db).read() as conn:
        from bidvet.store import audit

        details = [e.details for e in sorted(audit.entries(conn), key=lambda e: e.seq)]
    assert details[0]["ocid"] == "ocds-fx0001-005"
    assert details[0]["outcomes"] == {"Borealis Scanning Oy": "clear"}
    assert details[1]["note"] == "supplier asked"
    assert details[2]["alerts_removed"] == 1
    verified = run_cli("audit", "verify", "--json", db=db)
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.stdout)["entries"] == 3


def test_load_without_watches_is_silent_and_never_reassesses(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("re-assessment ran with nothing watched")

    monkeypatch.setattr("bidvet.monitor.reassess.reassess", refuse)
    loaded = run_cli("load", LISTING, db=db)
    assert loaded.exit_code == 0, loaded.output
    assert "monitoring" not in loaded.stderr
    store = Store(db)
    assert not monitoring.has_watches(store) and monitoring.alerts(store) == []
