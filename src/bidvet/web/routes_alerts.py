"""The workspace inbox of monitoring alerts, and "watch this award" on a signed-off decision.

``GET /alerts`` lists the open alerts (``?all=1``: with the acknowledged ones): what changed,
in which source and publication, since when, through which path, and the decision at award.
Assessors, reviewers and admins acknowledge an alert with a note; auditors read only. Both the
acknowledgement and a new watch are appended to the audit log in the transaction that records
them (:func:`bidvet.monitor.alerts.record_acknowledgement`,
:func:`bidvet.monitor.watch.add_decided_case`).

A watched case's tender is written with its files to
``<cache dir>/watched-cases/decision-<id>/`` (re-assessment reads it from there and refuses a
file that changed); the watch also keeps the tender's text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from bidvet import settings
from bidvet.dates import parse_as_of
from bidvet.errors import InputError
from bidvet.monitor.alerts import alert_json, record_acknowledgement
from bidvet.monitor.watch import add_decided_case
from bidvet.store import monitoring, workspace
from bidvet.store.workspace import Session
from bidvet.web import casework
from bidvet.web.app import page
from bidvet.web.auth import ALL_ROLES, allow
from bidvet.web.state import state

router = APIRouter()
Reader = Annotated[Session, Depends(allow(*ALL_ROLES))]
Actor = Annotated[Session, Depends(allow("assessor", "reviewer", "admin"))]


@router.get("/alerts")
def inbox(request: Request, sess: Reader, all: str = "") -> Response:
    store = state(request).store
    rows = monitoring.alerts(store, include_acknowledged=bool(all))
    alerts = [alert_json(store, a) for a in reversed(rows)]
    return page(
        request,
        "alerts.html",
        {
            "alerts": alerts,
            "show_all": bool(all),
            "can_ack": sess.user.role in ("assessor", "reviewer", "admin"),
        },
    )


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(
    request: Request,
    sess: Actor,
    alert_id: int,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if not note.strip():
        raise InputError(
            None, "an acknowledgement needs a note", fix="say why the alert is settled"
        )
    store = state(request).store
    monitoring.alert(store, alert_id)  # 400 with "no alert N" before anything is written
    record_acknowledgement(store, alert_id, by=sess.user.name, note=note.strip())
    return RedirectResponse("/alerts", status_code=303)


def _watch_folder(store_url: str, decision_id: int) -> Path:
    return settings.cache_dir(store_url) / "watched-cases" / f"decision-{decision_id}"


@router.post("/decisions/{decision_id}/watch")
def watch_award(
    request: Request,
    sess: Actor,
    decision_id: int,
    award_date: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Watch the award a signed-off decision made: its case's tender, its bidder, the award
    date given (default: the day of the sign-off)."""
    store = state(request).store
    with store.read() as conn:
        d = workspace.decision(conn, decision_id)
        if d is None:
            raise HTTPException(404, f"no decision {decision_id}")
        run = workspace.assessment(conn, d.assessment_id)
        assert run is not None
        found = workspace.case(conn, run.case_id)
        assert found is not None
        files = [casework.Upload(f.name, f.content) for f in workspace.case_files(conn, found.id)]
    if d.status != "approved":
        raise InputError(
            None,
            f"decision {decision_id} is {d.status}, not signed off",
            fix="watch an award once a reviewer has approved it",
        )
    day = parse_as_of(award_date or (d.reviewed_at or "")[:10])
    folder = _watch_folder(store.url, decision_id)
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        (folder / f.name).write_text(f.content, encoding="utf-8")
    tender = folder / casework.TENDER_FILE
    tender.write_text(found.tender_yaml, encoding="utf-8")
    add_decided_case(store, tender, d.bidder_id, day, actor=sess.user.name)
    return RedirectResponse("/alerts", status_code=303)
