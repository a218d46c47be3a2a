"""The JSON API for e-procurement systems, under ``/api/v1`` (bearer tokens only).

* ``POST /api/v1/screen``: names → matches (every scope).
* ``POST /api/v1/assess``: a tender YAML, the files it names, an optional as-of date → the
  assessment report (assessor scope; it may load the tender's knowledge files, so it is audited).
* ``GET /api/v1/cases/{case_id}/decision``: the signed decision of a case (every scope).
* ``GET /api/v1/openapi.json``: the OpenAPI document of the machine routes (every scope). It is
  served to token holders only: the workspace answers nobody anonymously but the login form, and
  the document names every route and field an attacker would probe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response

from bidvet.dates import today
from bidvet.errors import BidvetError
from bidvet.resolution.clusters import group_matches, not_in_force
from bidvet.screening.engine import Screener
from bidvet.store import audit, workspace
from bidvet.web import casework
from bidvet.web.api_auth import ANY_SCOPE, ApiError, Caller, token_allow
from bidvet.web.api_models import (
    AssessRequest,
    AssessResponse,
    DecisionResponse,
    ScreenMatch,
    ScreenRequest,
    ScreenResponse,
    ScreenResult,
    SignedBidder,
)
from bidvet.web.state import state

PREFIX = "/api/v1"
#: the paths the OpenAPI document covers
MACHINE_PATHS = (PREFIX + "/", "/match/", "/reconcile")
router = APIRouter(prefix=PREFIX, tags=["API"])
AnyToken = Annotated[Caller, Depends(token_allow(*ANY_SCOPE))]
AssessorToken = Annotated[Caller, Depends(token_allow("assessor"))]


def bad_input(exc: BidvetError) -> ApiError:
    return ApiError(400, exc.render())


@router.post("/screen", response_model=ScreenResponse)
def screen(request: Request, caller: AnyToken, body: ScreenRequest) -> ScreenResponse:
    """Screen names against every entity in the store: best matches first, with their
    listings (direct and through owners) as of ``as_of`` and why each scored as it did."""
    store = state(request).store
    day = body.as_of or today()
    screener = Screener(store, as_of=day)
    results = []
    for item in body.names:
        found = screener.screen(
            item.name,
            country=item.country.lower() if item.country else None,
            identifiers=item.identifiers,
            limit=body.limit,
        )
        grouped = group_matches(store, found, day)
        later = not_in_force(store, grouped, day)
        matches = [ScreenMatch(**m.to_json(), not_in_force=later[m.entity_id]) for m in grouped]
        results.append(ScreenResult(id=item.id, name=item.name, matches=matches))
    return ScreenResponse(as_of=day, results=results)


@router.post("/assess", response_model=AssessResponse)
def assess(request: Request, caller: AssessorToken, body: AssessRequest) -> AssessResponse:
    """Assess every bidder of a tender as of ``as_of`` and return the report. Knowledge files
    the tender names (given in ``files``) are loaded first, as the case page does; audited."""
    store = state(request).store
    try:
        files = [casework.upload(name, text.encode()) for name, text in body.files.items()]
        casework.check_tender(body.tender_yaml, files, "tender.yaml")
        run = casework.run_assessment(store, body.tender_yaml, files, body.as_of or today())
    except BidvetError as exc:
        raise bad_input(exc) from None
    with store.transaction() as conn:
        audit.append(
            conn,
            actor=caller.actor,
            action="api-assess",
            object_type="report",
            object_id=run.report_sha256,
            details={
                **caller.audit_details(),
                "as_of": run.as_of,
                "data_snapshot": run.data_snapshot,
                "knowledge_loaded": run.loaded_knowledge,
                "outcomes": {b["id"]: b["outcome"] for b in run.report["bidders"]},
            },
        )
    return AssessResponse(
        report=run.report,
        report_sha256=run.report_sha256,
        data_snapshot=run.data_snapshot,
        framework_sha256=run.framework_sha256,
        knowledge_loaded=run.loaded_knowledge,
    )


@router.get("/cases/{case_id}/decision", response_model=DecisionResponse)
def decision(request: Request, caller: AnyToken, case_id: int) -> DecisionResponse:
    """The signed decision of a case: of its latest assessment with a signed-off bidder, each
    bidder's outcome, who proposed and who signed it, and the digests the signature covers."""
    st = state(request)
    with st.store.read() as conn:
        found = workspace.case(conn, case_id)
        if found is None:
            raise ApiError(404, f"no case {case_id}")
        for run in workspace.run_summaries(conn, case_id):  # newest first, without reports
            signed = [d for d in workspace.decisions(conn, run.id) if d.status == "approved"]
            if signed:
                break
        else:
            raise ApiError(404, f"case {case_id} has no signed decision yet")
    report = st.runs.report(st.store, run)
    names = {str(b["id"]): str(b.get("name") or b["id"]) for b in report.get("bidders", [])}
    latest = {d.bidder_id: d for d in signed}  # ordered by id: the last signature wins
    rows = [
        SignedBidder(
            bidder_id=d.bidder_id,
            name=names.get(d.bidder_id, d.bidder_id),
            framework_outcome=d.framework_outcome,
            outcome=d.outcome,
            reason=d.reason,
            proposed_by=d.proposed_by,
            proposed_at=d.proposed_at,
            signed_by=str(d.reviewed_by),
            signed_at=str(d.reviewed_at),
            note=d.review_note,
            signed_report_sha256=str(d.signed_report_sha256),
            data_snapshot=str(d.data_snapshot),
            framework_sha256=str(d.framework_sha256),
        )
        for d in latest.values()
    ]
    unsigned = [bid for bid in names if bid not in latest]
    return DecisionResponse(
        case_id=found.id,
        title=found.title,
        assessment_id=run.id,
        as_of=run.as_of,
        report_sha256=run.report_sha256,
        data_snapshot=run.data_snapshot,
        framework_sha256=run.framework_sha256,
        complete=not unsigned,
        signed=rows,
        unsigned=unsigned,
    )


def _walk(routes: Iterable[Any]) -> Iterator[Any]:
    for route in routes:
        included = getattr(route, "original_router", None)  # an included APIRouter
        yield from _walk(included.routes) if included is not None else (route,)


def openapi_document(request: Request) -> dict[str, Any]:
    """The OpenAPI document of the machine routes the app serves (the pages are left out)."""
    routes = [
        r
        for r in _walk(request.app.routes)
        if str(getattr(r, "path", "")).startswith(MACHINE_PATHS)
    ]
    doc = get_openapi(
        title="bidvet workspace API",
        version="1",
        description=(
            "Screening, assessment and signed decisions for e-procurement systems; yente's "
            "/match and the W3C Reconciliation Service API for existing clients. Every route "
            "needs `Authorization: Bearer <token>` (make one on the My tokens page or with "
            "`bidvet users token`)."
        ),
        routes=routes,
    )
    doc.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "a bidvet API token"}
    }
    doc["security"] = [{"bearer": []}]
    return doc


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request, caller: AnyToken) -> Response:
    return JSONResponse(openapi_document(request))
