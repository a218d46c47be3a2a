"""The case flow: tender → bidders → answers → assessment → review → proposal → four-eyes
sign-off → signed report. Each change is audited in the transaction that makes it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bidvet.dates import parse_as_of
from bidvet.errors import InputError
from bidvet.store import audit, workspace
from bidvet.store.workspace import Case, Session
from bidvet.web import casework, heap, signed
from bidvet.web.app import page
from bidvet.web.auth import ALL_ROLES, Forbidden, allow
from bidvet.web.security import REPORT_CSP
from bidvet.web.state import state

router = APIRouter()
Reader = Annotated[Session, Depends(allow(*ALL_ROLES))]
Assessor = Annotated[Session, Depends(allow("assessor"))]
#: how the assessment identified a bidder (the report's ``resolution.method``), as the page says it
IDENTIFIED_BY = {
    "entity_id": "pinned in the case's tender (given with the bidder, or decided in review)",
    "identifier": "by an identifier the bidder and the record share",
    "screening": "by name",
    "none": "not identified",
}
Reviewer = Annotated[Session, Depends(allow("reviewer"))]


def _case(request: Request, case_id: int) -> tuple[Case, list[casework.Upload]]:
    with state(request).store.read() as conn:
        found = workspace.case(conn, case_id)
        if found is None:
            raise HTTPException(404, f"no case {case_id}")
        files = [casework.Upload(f.name, f.content) for f in workspace.case_files(conn, case_id)]
    return found, files


def _to_case(case_id: int) -> Response:
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


def _read(upload: UploadFile) -> casework.Upload:
    return casework.upload(upload.filename or "", upload.file.read())


@router.get("/")
def home(sess: Reader) -> Response:
    return RedirectResponse("/cases", status_code=303)


@router.get("/cases")
def cases(request: Request, sess: Reader) -> Response:
    with state(request).store.read() as conn:
        rows = workspace.case_summaries(conn)
    return page(request, "cases.html", {"cases": rows})


@router.get("/cases/new")
def new_case(request: Request, sess: Assessor) -> Response:
    return page(request, "case_new.html", {})


@router.post("/cases")
def create_case(
    request: Request,
    sess: Assessor,
    title: Annotated[str, Form(min_length=3, max_length=300)],
    buyer: Annotated[str, Form(min_length=2, max_length=300)],
    country: Annotated[str, Form(pattern=r"^[A-Za-z]{2}$")],
    site_type: Annotated[str, Form(min_length=2, max_length=60)],
    site_label: Annotated[str, Form(min_length=1, max_length=300)],
    items: Annotated[str, Form(min_length=3)],
    framework: Annotated[str, Form()] = "",
) -> Response:
    text = casework.new_tender(
        title=title,
        buyer=buyer,
        country=country,
        site_type=site_type,
        site_label=site_label,
        items=items.splitlines(),
        framework=framework,
    )
    return _store_case(request, sess, title.strip(), text, [], "form")


def _store_case(
    request: Request, sess: Session, title: str, text: str, files: list[casework.Upload], via: str
) -> Response:
    now = audit.now_text()
    with state(request).store.transaction() as conn:
        case_id = workspace.add_case(conn, title=title, tender_yaml=text, by=sess.user.name, at=now)
        for f in files:
            workspace.put_case_file(
                conn,
                case_id=case_id,
                kind="file",
                name=f.name,
                content=f.content,
                by=sess.user.name,
                at=now,
            )
        audit.append(
            conn,
            actor=sess.user.name,
            action="case-create",
            object_type="case",
            object_id=case_id,
            details={"title": title, "via": via, "files": [f.name for f in files]},
        )
    return _to_case(case_id)


@router.post("/cases/upload")
def upload_case(
    request: Request,
    sess: Assessor,
    tender: Annotated[UploadFile, File()],
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    raw = tender.file.read()
    from bidvet.text_input import decode_utf8

    name = tender.filename or "tender.yaml"
    text = decode_utf8(name, raw)
    extra = [_read(f) for f in files or [] if f.filename]
    loaded = casework.check_tender(text, extra, name)
    return _store_case(request, sess, loaded.tender.title, text, extra, "upload")


@router.get("/cases/{case_id}")
def show_case(request: Request, sess: Reader, case_id: int) -> Response:
    st = state(request)
    with st.store.read() as conn:
        found = workspace.case(conn, case_id)
        if found is None:
            raise HTTPException(404, f"no case {case_id}")
        files = workspace.case_file_names(conn, case_id)
        runs = workspace.run_summaries(conn, case_id)  # the list shows no report
        latest = runs[0] if runs else None
        decisions = workspace.decisions(conn, latest.id) if latest else []
    data = casework.tender_data(found.tender_yaml)
    outcomes: dict[str, Any] = {}
    if latest:  # the latest run's report, parsed once per worker
        for b in st.runs.report(st.store, latest).get("bidders", []):
            outcomes[b["id"]] = b
    by_bidder: dict[str, workspace.Decision] = {}
    for d in decisions:
        by_bidder[d.bidder_id] = d
    return page(
        request,
        "case.html",
        {
            "case": found,
            "tender": data,
            "files": files,
            "runs": runs,
            "latest": latest,
            "outcomes": outcomes,
            "decisions": by_bidder,
            "signed": any(d.status == "approved" for d in decisions),
            "today": dt.date.today().isoformat(),
        },
    )


def _edit_tender(
    request: Request,
    sess: Session,
    case_id: int,
    text: str,
    action: str,
    details: dict[str, Any],
    files: list[casework.Upload] | None = None,
    kind: str = "file",
) -> Response:
    found, held = _case(request, case_id)
    merged = {f.name: f for f in held}
    for f in files or []:
        merged[f.name] = f
    casework.check_tender(text, list(merged.values()), "tender.yaml")
    now = audit.now_text()
    with state(request).store.transaction() as conn:
        workspace.update_case(conn, case_id, title=found.title, tender_yaml=text, at=now)
        for f in files or []:
            workspace.put_case_file(
                conn,
                case_id=case_id,
                kind=kind,
                name=f.name,
                content=f.content,
                by=sess.user.name,
                at=now,
            )
        audit.append(
            conn,
            actor=sess.user.name,
            action=action,
            object_type="case",
            object_id=case_id,
            details=details,
        )
    return _to_case(case_id)


@router.post("/cases/{case_id}/bidders")
def add_bidder(
    request: Request,
    sess: Assessor,
    case_id: int,
    bidder_id: Annotated[str, Form(min_length=1, max_length=100)],
    name: Annotated[str, Form(min_length=2, max_length=300)],
    country: Annotated[str, Form(max_length=2)] = "",
    entity_id: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    found, _ = _case(request, case_id)
    row = {
        "id": bidder_id.strip(),
        "name": name.strip(),
        "country": country.strip().lower(),
        "entity_id": entity_id.strip(),
    }
    text = casework.with_bidders(found.tender_yaml, [row], "bidder form")
    return _edit_tender(request, sess, case_id, text, "bidder-add", {"bidders": [row["id"]]})


@router.post("/cases/{case_id}/bidders/upload")
def upload_bidders(
    request: Request, sess: Assessor, case_id: int, csv_file: Annotated[UploadFile, File()]
) -> Response:
    found, _ = _case(request, case_id)
    up = casework.Upload(csv_file.filename or "bidders.csv", "")
    from bidvet.text_input import decode_utf8

    up = casework.Upload(up.name, decode_utf8(up.name, csv_file.file.read()))
    rows = casework.bidders_csv(up.name, up.content)
    text = casework.with_bidders(found.tender_yaml, rows, up.name)
    return _edit_tender(
        request,
        sess,
        case_id,
        text,
        "bidder-add",
        {"bidders": [r["id"] for r in rows], "file": up.name},
    )


@router.post("/cases/{case_id}/files")
def add_files(
    request: Request,
    sess: Assessor,
    case_id: int,
    files: Annotated[list[UploadFile], File()],
    kind: Annotated[str, Form(pattern="^(answers|knowledge)$")] = "answers",
) -> Response:
    found, _ = _case(request, case_id)
    ups = [_read(f) for f in files if f.filename]
    if not ups:
        raise InputError(None, "no file chosen", fix="choose a file to upload")
    text = found.tender_yaml
    if kind == "answers":
        text = casework.with_answer_files(text, [u.name for u in ups])
    else:
        data = casework.tender_data(text)
        data["knowledge"] = list(
            dict.fromkeys([*(data.get("knowledge") or []), *(u.name for u in ups)])
        )
        text = casework.dump(data)
    return _edit_tender(
        request, sess, case_id, text, f"{kind}-attach", {"files": [u.name for u in ups]}, ups, kind
    )


@router.post("/cases/{case_id}/assess")
def assess_case(
    request: Request, sess: Assessor, case_id: int, as_of: Annotated[str, Form()]
) -> Response:
    found, files = _case(request, case_id)
    day = parse_as_of(as_of)
    st = state(request)
    # a plain route: FastAPI runs it in a worker thread, the event loop keeps answering
    run = casework.run_assessment(st.store, found.tender_yaml, files, day)
    heap.settle(("assessment", run.data_snapshot))  # the screening index it loaded stays
    now = audit.now_text()
    with st.store.transaction() as conn:
        aid = workspace.add_assessment(
            conn,
            case_id=case_id,
            as_of=run.as_of,
            by=sess.user.name,
            at=now,
            report_json=run.report_json,
            report_sha256=run.report_sha256,
            data_snapshot=run.data_snapshot,
            framework_sha256=run.framework_sha256,
        )
        audit.append(
            conn,
            actor=sess.user.name,
            action="assessment-run",
            object_type="assessment",
            object_id=aid,
            details={
                "case": case_id,
                "as_of": run.as_of,
                "report_sha256": run.report_sha256,
                "data_snapshot": run.data_snapshot,
                "knowledge_loaded": run.loaded_knowledge,
                "outcomes": {b["id"]: b["outcome"] for b in run.report["bidders"]},
            },
        )
    return _to_case(case_id)


def _run(request: Request, assessment_id: int) -> workspace.AssessmentRun:
    with state(request).store.read() as conn:
        run = workspace.assessment(conn, assessment_id)
    if run is None:
        raise HTTPException(404, f"no assessment {assessment_id}")
    return run


def _summary(request: Request, assessment_id: int) -> workspace.RunSummary:
    with state(request).store.read() as conn:
        run = workspace.run_summary(conn, assessment_id)
    if run is None:
        raise HTTPException(404, f"no assessment {assessment_id}")
    return run


@router.get("/assessments/{assessment_id}/bidders/{bidder_id}")
def review_bidder(request: Request, sess: Reader, assessment_id: int, bidder_id: str) -> Response:
    st = state(request)
    run = _summary(request, assessment_id)
    report = st.runs.report(st.store, run)
    ids = [b.get("id") for b in report.get("bidders", [])]
    if bidder_id not in ids:
        raise HTTPException(404, f"no bidder {bidder_id} in assessment {assessment_id}")
    bidder = st.runs.view(st.store, run)["bidders"][ids.index(bidder_id)]
    raw = report["bidders"][ids.index(bidder_id)]
    resolution = raw.get("resolution") or {}
    identity = {
        "entity_id": raw.get("entity_id"),
        "matched_name": resolution.get("matched_name"),
        "how": IDENTIFIED_BY.get(str(resolution.get("method")), str(resolution.get("method"))),
        "score": resolution.get("score"),
        "explanation": resolution.get("explanation") or "",
    }
    with st.store.read() as conn:
        history = [d for d in workspace.decisions(conn, assessment_id) if d.bidder_id == bidder_id]
    return page(
        request,
        "bidder.html",
        {
            "run": run,
            "bidder_id": bidder_id,
            "b": bidder,
            "framework_outcome": raw["outcome"],
            "identity": identity,
            "history": history,
            "open": next((d for d in history if d.status in ("proposed", "approved")), None),
            "outcomes": casework.OUTCOMES,
        },
    )


@router.post("/assessments/{assessment_id}/bidders/{bidder_id}/propose")
def propose(
    request: Request,
    sess: Assessor,
    assessment_id: int,
    bidder_id: str,
    outcome: Annotated[str, Form(pattern="^(exclude|restrict|mitigate|accept)$")],
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    st = state(request)
    run = _summary(request, assessment_id)
    bidder = next(
        (b for b in st.runs.report(st.store, run).get("bidders", []) if b.get("id") == bidder_id),
        None,
    )
    if bidder is None:
        raise HTTPException(404, f"no bidder {bidder_id} in assessment {assessment_id}")
    framework_outcome = str(bidder["outcome"])
    if outcome != framework_outcome and not reason.strip():
        raise InputError(
            None,
            f"overriding the framework's {framework_outcome!r} needs a reason",
            record=f"bidder {bidder_id}",
            fix="write why in the reason field",
        )
    now = audit.now_text()
    with state(request).store.transaction() as conn:
        live = [
            d
            for d in workspace.decisions(conn, assessment_id)
            if d.bidder_id == bidder_id and d.status in ("proposed", "approved")
        ]
        if live:
            raise InputError(
                None,
                f"bidder {bidder_id} already has a {live[0].status} decision",
                fix="wait for the reviewer, or propose again once it is returned",
            )
        did = workspace.add_decision(
            conn,
            assessment_id=assessment_id,
            bidder_id=bidder_id,
            framework_outcome=framework_outcome,
            outcome=outcome,
            reason=reason.strip() or None,
            by=sess.user.name,
            at=now,
        )
        audit.append(
            conn,
            actor=sess.user.name,
            action="outcome-propose",
            object_type="decision",
            object_id=did,
            details={
                "assessment": assessment_id,
                "bidder": bidder_id,
                "outcome": outcome,
                "framework_outcome": framework_outcome,
                "reason": reason.strip() or None,
            },
        )
    return RedirectResponse(f"/assessments/{assessment_id}/bidders/{bidder_id}", status_code=303)


def _review(
    request: Request, sess: Session, decision_id: int, approve: bool, note: str
) -> Response:
    st = state(request)
    now = audit.now_text()
    with st.store.transaction() as conn:
        d = workspace.decision(conn, decision_id)
        if d is None:
            raise HTTPException(404, f"no decision {decision_id}")
        if d.proposed_by == sess.user.name:
            raise Forbidden("four eyes: a reviewer cannot review their own proposal")
        if not approve and not note.strip():
            raise InputError(
                None, "returning a proposal needs a note", fix="say what the assessor should change"
            )
        frozen = None
        if approve:
            run = workspace.assessment(conn, d.assessment_id)
            assert run is not None
            frozen = {
                "signed_report_json": run.report_json,
                "signed_report_sha256": run.report_sha256,
                "data_snapshot": run.data_snapshot,
                "framework_sha256": run.framework_sha256,
            }
        status = "approved" if approve else "returned"
        if not workspace.review_decision(
            conn,
            decision_id,
            status=status,
            by=sess.user.name,
            at=now,
            note=note.strip() or None,
            frozen=frozen,
        ):
            raise InputError(
                None, f"decision {decision_id} is already {d.status}", fix="reload the page"
            )
        audit.append(
            conn,
            actor=sess.user.name,
            action="sign-off" if approve else "return",
            object_type="decision",
            object_id=decision_id,
            details={
                "assessment": d.assessment_id,
                "bidder": d.bidder_id,
                "outcome": d.outcome,
                "proposed_by": d.proposed_by,
                "note": note.strip() or None,
                **({"report_sha256": frozen["signed_report_sha256"]} if frozen else {}),
            },
        )
    return RedirectResponse(
        f"/assessments/{d.assessment_id}/bidders/{d.bidder_id}", status_code=303
    )


@router.post("/decisions/{decision_id}/approve")
def approve(
    request: Request, sess: Reviewer, decision_id: int, note: Annotated[str, Form()] = ""
) -> Response:
    return _review(request, sess, decision_id, True, note)


@router.post("/decisions/{decision_id}/return")
def return_decision(
    request: Request, sess: Reviewer, decision_id: int, note: Annotated[str, Form()] = ""
) -> Response:
    return _review(request, sess, decision_id, False, note)


def _signed(request: Request, assessment_id: int) -> str:
    run = _run(request, assessment_id)
    with state(request).store.read() as conn:
        found = workspace.case(conn, run.case_id)
        decisions = workspace.decisions(conn, assessment_id)
    if not any(d.status == "approved" for d in decisions):
        raise HTTPException(404, f"assessment {assessment_id} has no signed decision yet")
    assert found is not None
    return signed.signed_html(found, run, decisions)


@router.get("/assessments/{assessment_id}/signed.html")
def signed_html(request: Request, sess: Reader, assessment_id: int) -> Response:
    html = _signed(request, assessment_id)
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": REPORT_CSP,
            "Content-Disposition": f'attachment; filename="signed-{assessment_id}.html"',
        },
    )


@router.get("/assessments/{assessment_id}/signed.pdf")
def signed_pdf(request: Request, sess: Reader, assessment_id: int) -> Response:
    from bidvet.reports.pdf import html_to_pdf

    pdf = html_to_pdf(_signed(request, assessment_id))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="signed-{assessment_id}.pdf"',
        },
    )
