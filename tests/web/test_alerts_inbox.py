"""The workspace inbox: open alerts with what changed, acknowledging with a note (audited),
auditors reading only, and "watch this award" on a signed-off decision."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bidvet.store import audit, monitoring
from bidvet.store.db import Store
from tests.web.conftest import login
from tests.web.test_case_flow import _upload


def _alert(store: Store) -> int:
    """A fictional watch with one alert shaped as re-assessment raises it."""
    watch_id = monitoring.insert_watch(
        store,
        {
            "kind": "contract",
            "label": "Fictional scanners — awarded to Example Scanners Ltd",
            "awarded_to": "Example Scanners Ltd",
            "award_date": dt.date(2020, 7, 15),
            "decision": {"subjects": {"example": {"name": "Example Scanners Ltd"}}, "pins": {}},
            "decision_as_of": dt.date(2020, 7, 15),
            "snapshot_digest": "0" * 64,
            "framework_id": "sensitive-procurement-v2",
            "framework_hash": "0" * 64,
        },
        actor="test",
    )
    body = {
        "kind": "reassessment",
        "watch": {"id": watch_id, "label": "Fictional scanners", "award_date": "2020-07-15"},
        "at_award": {"as_of": "2020-07-15", "outcomes": {"example": "restrict"}},
        "changes": [
            {
                "subject": "example",
                "name": "Example Scanners Ltd",
                "outcome_before": "restrict",
                "outcome_now": "exclude",
                "findings_added": [{"criterion": "C1", "summary": "listed on a test list"}],
                "findings_removed": [],
            }
        ],
        "triggers": [
            {
                "entity": "Example Scanners Ltd",
                "change": "added",
                "list": "Fictional Entity List",
                "program": "TEST",
                "since": "2020-12-18",
                "rule": "Fictional rule 1",
                "publication": {
                    "snapshot": 7,
                    "dataset": "test-list",
                    "file": "test-list-2020-12.csv",
                    "published": None,
                },
                "via": "an owner or subsidiary in the watched bidder's ownership chain",
            }
        ],
    }
    alert_id = monitoring.raise_alert(
        store,
        watch_id=watch_id,
        key=f"{watch_id}:inbox-test",
        as_of=dt.date(2020, 12, 23),
        summary="Example Scanners Ltd: restrict → exclude",
        body=body,
        state=None,
        channels=[],
    )
    assert alert_id is not None
    return alert_id


def test_the_inbox_shows_what_changed_and_auditors_only_read(
    client: TestClient, web_store: Store
) -> None:
    alert_id = _alert(web_store)
    login(client, "aud")
    page = client.get("/alerts")
    assert page.status_code == 200
    for needle in (
        "Example Scanners Ltd: restrict → exclude",  # what changed
        "test-list-2020-12.csv",  # source and publication
        "2020-12-18",  # since when
        "ownership chain",  # path
        "Decision at award (as of 2020-07-15)",
        "Fictional rule 1",
    ):
        assert needle in page.text, needle
    assert f'action="/alerts/{alert_id}/acknowledge"' not in page.text
    assert 'href="/alerts"' in page.text  # the nav link


def test_acknowledging_needs_a_note_and_is_audited(client: TestClient, web_store: Store) -> None:
    alert_id = _alert(web_store)
    token = login(client, "rui")
    page = client.get("/alerts").text
    assert f'action="/alerts/{alert_id}/acknowledge"' in page
    url = f"/alerts/{alert_id}/acknowledge"
    assert client.post(url, data={"note": "x"}).status_code == 403  # no CSRF token
    empty = client.post(url, data={"csrf_token": token, "note": "  "})
    assert empty.status_code == 400 and "needs a note" in empty.text
    done = client.post(url, data={"csrf_token": token, "note": "contract suspended"})
    assert (done.status_code, done.headers["location"]) == (303, "/alerts")
    assert monitoring.alerts(web_store) == []
    stored = monitoring.alert(web_store, alert_id)
    assert (stored.acknowledged_by, stored.note) == ("rui", "contract suspended")
    assert "No open alerts" in client.get("/alerts").text
    shown = client.get("/alerts?all=1").text
    assert "Acknowledged by rui" in shown and "contract suspended" in shown
    again = client.post(url, data={"csrf_token": token, "note": "again"})
    assert again.status_code == 400 and "already acknowledged" in again.text
    assert (
        client.post("/alerts/999/acknowledge", data={"csrf_token": token, "note": "n"}).status_code
        == 400
    )
    with web_store.read() as conn:
        entries = [(e.actor, e.action, e.object_id) for e in audit.entries(conn)]
        assert audit.verify(conn).ok
    assert ("rui", "alert-acknowledge", str(alert_id)) in entries


def test_watch_this_award_on_a_signed_off_decision(
    client: TestClient, web_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    token = login(client, "ada")
    case_url = _upload(client, token)
    run = client.post(f"{case_url}/assess", data={"csrf_token": token, "as_of": "2021-01-01"})
    assert run.status_code == 303, run.text[:800]
    found = re.search(r'href="(/assessments/\d+/bidders/borealis)"', client.get(case_url).text)
    assert found
    url = found.group(1)
    outcome = re.search(r'<option value="(\w+)" selected', client.get(url).text)
    assert outcome
    client.post(f"{url}/propose", data={"csrf_token": token, "outcome": outcome.group(1)})
    did = re.search(r'action="/decisions/(\d+)/approve"', client.get(url).text)
    assert did is None  # (the assessor sees no sign-off form)
    reviewer = login(client, "rita")
    did = re.search(r'action="/decisions/(\d+)/approve"', client.get(url).text)
    assert did
    decision = did.group(1)
    early = client.post(
        f"/decisions/{decision}/watch", data={"csrf_token": reviewer, "award_date": "2021-01-05"}
    )
    assert early.status_code == 400 and "not signed off" in early.text
    assert (
        client.post(f"/decisions/{decision}/approve", data={"csrf_token": reviewer}).status_code
        == 303
    )
    case_page = client.get(case_url).text
    assert f'action="/decisions/{decision}/watch"' in case_page and "Watch this award" in case_page
    watched = client.post(
        f"/decisions/{decision}/watch", data={"csrf_token": reviewer, "award_date": "2021-01-05"}
    )
    assert (watched.status_code, watched.headers["location"]) == (303, "/alerts"), watched.text[
        :800
    ]
    [w] = monitoring.watches(web_store)
    assert (w.awarded_to, w.award_date) == ("borealis", dt.date(2021, 1, 5))
    assert w.decision["subjects"]["borealis"]["outcome"] == outcome.group(1)
    assert w.tender_path and Path(w.tender_path).is_file()
    with web_store.read() as conn:
        entries = [(e.actor, e.action) for e in audit.entries(conn)]
        assert audit.verify(conn).ok
    assert ("rita", "watch-add") in entries
    login(client, "aud")
    assert f'action="/decisions/{decision}/watch"' not in client.get(case_url).text
