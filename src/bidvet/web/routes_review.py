"""Review queues: what in a case's latest assessment needs a person to decide.

Three queues per case, read from the latest assessment's report and the case's tender:

* **identities**: bidders with an ``identity-unresolved`` finding (two or more records match
  the name equally well, or only near names). The assessor picks the record that is the bidder,
  or "none of these", with a reason. A pick pins the bidder to the record in the case's tender
  (``entity_id``, the resolver's strongest evidence) and records a negative resolution
  judgement between the chosen record and each other candidate (skipped where the pair is
  already judged or in one cluster); "none of these" writes the candidates to the bidder's
  ``not_entity_ids``, which the resolver leaves out. Either way the next assessment run uses it;
* **owner matches**: ``possible-listed-owner`` findings. Accept records a positive judgement
  (owner and listed record are one legal person: the next run reports a listed owner), reject
  a negative one (the next run shows nothing);
* **answers**: required questions a bidder left unanswered and answers that contradict each
  other, with a link to attach an answer file.

A decision is written with its audit entry in one transaction. An item already decided stays
on the page, marked as waiting for the next run, and no longer counts. Assessors and admins
act; reviewers and auditors read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from bidvet.errors import InputError
from bidvet.resolution.judgements import checked
from bidvet.store import audit, workspace
from bidvet.store.db import Store
from bidvet.store.resolution import Judgement, write_judgements
from bidvet.store.workspace import RunSummary, Session
from bidvet.web import casework
from bidvet.web.app import page
from bidvet.web.auth import ALL_ROLES, allow
from bidvet.web.state import AppState, state

router = APIRouter()
Reader = Annotated[Session, Depends(allow(*ALL_ROLES))]
Actor = Annotated[Session, Depends(allow("assessor", "admin"))]

IDENTITY = "identity-unresolved"
OWNER = "possible-listed-owner"
NONE_OF_THESE = "none"


@dataclass(frozen=True)
class Choice:
    """A record an ambiguous bidder may be, as the finding's evidence states it."""

    entity_id: str
    text: str


@dataclass(frozen=True)
class IdentityItem:
    bidder_id: str
    bidder_name: str
    summary: str
    choices: tuple[Choice, ...]
    #: what a person already decided in the case's tender (applies at the next run)
    decided: str | None = None


@dataclass(frozen=True)
class OwnerItem:
    bidder_id: str
    bidder_name: str
    owner_id: str
    record_id: str
    summary: str
    evidence: tuple[str, ...]
    #: a positive or negative judgement of the pair (applies at the next run)
    judged: Judgement | None = None


@dataclass(frozen=True)
class AnswerItem:
    bidder_id: str
    bidder_name: str
    unanswered: tuple[tuple[str, str], ...]
    contradictions: tuple[str, ...]


@dataclass(frozen=True)
class Queues:
    case_id: int
    run: RunSummary | None
    identities: tuple[IdentityItem, ...] = ()
    owners: tuple[OwnerItem, ...] = ()
    answers: tuple[AnswerItem, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


def _findings(bidder: dict[str, Any], criterion: str) -> list[dict[str, Any]]:
    return [f for f in bidder.get("findings", []) if f.get("criterion") == criterion]


def _paths(finding: dict[str, Any]) -> list[list[str]]:
    return [list(e["path"]) for e in finding.get("evidence", []) if e.get("path")]


def identity_choices(bidder: dict[str, Any]) -> list[Choice]:
    """The candidates the bidder's identity-unresolved finding names, in its order."""
    out: dict[str, Choice] = {}
    for f in _findings(bidder, IDENTITY):
        for e in f.get("evidence", []):
            path = e.get("path") or []
            if len(path) == 1 and path[0] not in out:
                out[path[0]] = Choice(str(path[0]), str(e.get("text", "")))
    return list(out.values())


def owner_pairs(bidder: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(owner id, listed record id, finding) of each possible-listed-owner finding."""
    out = []
    for f in _findings(bidder, OWNER):
        pairs = [p for p in _paths(f) if len(p) == 2]
        if pairs:
            out.append((str(pairs[0][0]), str(pairs[0][1]), f))
    return out


def _tender_bidders(tender_yaml: str) -> dict[str, dict[str, Any]]:
    data = casework.tender_data(tender_yaml)
    return {str(b.get("id")): b for b in data.get("bidders") or [] if isinstance(b, dict)}


def _identity_decided(current: dict[str, Any] | None, choices: list[Choice]) -> str | None:
    if current is None:
        return None
    if current.get("entity_id"):
        return f"pinned to {current['entity_id']}"
    rejected = set(current.get("not_entity_ids") or [])
    if choices and {c.entity_id for c in choices} <= rejected:
        return "none of these"
    return None


def queues(st: AppState, case: workspace.Case, run: RunSummary | None) -> Queues:
    """The three queues of ``case`` from its latest assessment ``run``."""
    if run is None:
        return Queues(case.id, None, counts={"identities": 0, "owners": 0, "answers": 0})
    store = st.store
    report = st.runs.report(store, run)
    current = _tender_bidders(case.tender_yaml)
    identities: list[IdentityItem] = []
    pending_owners: list[tuple[str, str, str, str, dict[str, Any]]] = []
    answers: list[AnswerItem] = []
    for b in report.get("bidders", []):
        bid, name = str(b.get("id")), str(b.get("name"))
        choices = identity_choices(b)
        if choices:
            summary = " ".join(f["summary"] for f in _findings(b, IDENTITY))
            decided = _identity_decided(current.get(bid), choices)
            identities.append(IdentityItem(bid, name, summary, tuple(choices), decided))
        for owner_id, record_id, f in owner_pairs(b):
            pending_owners.append((bid, name, owner_id, record_id, f))
        unanswered = tuple(
            (str(q["id"]), str(q["text"]))
            for q in b.get("questions", [])
            if q.get("required") and not q.get("answer")
        )
        contradictions = tuple(
            dict.fromkeys(
                f"{', '.join(c['questions'])}: {c['explanation']}"
                for effect in b.get("answer_effects", [])
                for c in effect.get("contradictions", [])
            )
        )
        if unanswered or contradictions:
            answers.append(AnswerItem(bid, name, unanswered, contradictions))
    judged: dict[tuple[str, str], Judgement] = {}
    if pending_owners:
        with store.view() as view:
            for found in view.judgements({p[3] for p in pending_owners}):
                judged[(found.left_id, found.right_id)] = found
    owners = []
    for bid, name, owner_id, record_id, f in pending_owners:
        j = judged.get((min(owner_id, record_id), max(owner_id, record_id)))
        owners.append(
            OwnerItem(
                bid,
                name,
                owner_id,
                record_id,
                str(f["summary"]),
                tuple(str(e["text"]) for e in f.get("evidence", [])),
                j if j is not None and j.judgement != "unsure" else None,
            )
        )
    counts = {
        "identities": sum(1 for i in identities if i.decided is None),
        "owners": sum(1 for o in owners if o.judged is None),
        "answers": len(answers),
    }
    return Queues(case.id, run, tuple(identities), tuple(owners), tuple(answers), counts)


def _latest(store: Store, case_id: int) -> tuple[workspace.Case, RunSummary | None]:
    with store.read() as conn:
        found = workspace.case(conn, case_id)
        if found is None:
            raise HTTPException(404, f"no case {case_id}")
        run = workspace.latest_run_summaries(conn, [case_id]).get(case_id)
    return found, run


def case_counts(st: AppState, case_id: int) -> dict[str, int]:
    """How many items wait in each queue of a case (for the case page)."""
    found, run = _latest(st.store, case_id)
    return queues(st, found, run).counts


def install(app: FastAPI) -> None:
    """Add the queue routes to ``app`` and ``review_counts(case_id)`` to its templates."""
    app.include_router(router)
    st: AppState = app.state.bidvet
    app.state.templates.env.globals["review_counts"] = lambda case_id: case_counts(st, case_id)


@router.get("/review")
def all_queues(request: Request, sess: Reader) -> Response:
    st = state(request)
    with st.store.read() as conn:
        found = workspace.cases(conn)
        latest = workspace.latest_run_summaries(conn, [c.id for c in found])
    listed = [(c, queues(st, c, latest.get(c.id))) for c in found]
    return page(request, "review_all.html", {"listed": listed})


@router.get("/cases/{case_id}/review")
def case_queues(request: Request, sess: Reader, case_id: int) -> Response:
    st = state(request)
    found, run = _latest(st.store, case_id)
    return page(
        request,
        "review.html",
        {"case": found, "q": queues(st, found, run), "none_of_these": NONE_OF_THESE},
    )


def _need_reason(reason: str, what: str) -> str:
    text = reason.strip()
    if not text:
        raise InputError(None, f"{what} needs a reason", fix="write why in the reason field")
    return text


def _report_bidder(
    st: AppState, run: RunSummary | None, case_id: int, bidder_id: str
) -> dict[str, Any]:
    if run is None:
        raise InputError(None, f"case {case_id} has no assessment yet", fix="run one first")
    for bidder in st.runs.report(st.store, run).get("bidders", []):
        if bidder.get("id") == bidder_id:
            return dict(bidder)
    raise HTTPException(404, f"no bidder {bidder_id} in assessment {run.id}")


def _to_queue(case_id: int) -> Response:
    return RedirectResponse(f"/cases/{case_id}/review", status_code=303)


@router.post("/cases/{case_id}/review/identity")
def decide_identity(
    request: Request,
    sess: Actor,
    case_id: int,
    bidder_id: Annotated[str, Form(min_length=1, max_length=100)],
    choice: Annotated[str, Form(min_length=1, max_length=200)],
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    st = state(request)
    found, run = _latest(st.store, case_id)
    bidder = _report_bidder(st, run, case_id, bidder_id)
    assert run is not None
    text = _need_reason(reason, "deciding an identity")
    candidates = [c.entity_id for c in identity_choices(bidder)]
    if not candidates:
        raise InputError(
            None,
            f"bidder {bidder_id} has no unresolved identity in assessment {run.id}",
            fix="reload the review page",
        )
    if choice != NONE_OF_THESE and choice not in candidates:
        raise InputError(
            None,
            f"{choice!r} is not a candidate for bidder {bidder_id}",
            fix=f"choose one of {', '.join(candidates)} or none of these",
        )
    data = casework.tender_data(found.tender_yaml)
    entry = next(
        (b for b in data.get("bidders") or [] if isinstance(b, dict) and b.get("id") == bidder_id),
        None,
    )
    if entry is None:
        raise InputError(
            None, f"bidder {bidder_id} is no longer in the tender", fix="reload the case"
        )
    rejected = [c for c in candidates if c != choice]
    judgements: list[Judgement] = []
    if choice == NONE_OF_THESE:
        entry.pop("entity_id", None)
        entry["not_entity_ids"] = sorted({*(entry.get("not_entity_ids") or []), *candidates})
    else:
        entry["entity_id"] = choice
        remaining = [e for e in entry.get("not_entity_ids") or [] if e != choice]
        if remaining:
            entry["not_entity_ids"] = remaining
        else:
            entry.pop("not_entity_ids", None)
        judgements = _identity_judgements(
            st.store, choice, rejected, sess.user.name, case_id, bidder_id, text
        )
    tender_yaml = casework.dump(data)
    with st.store.read() as conn:
        files = [casework.Upload(f.name, f.content) for f in workspace.case_files(conn, case_id)]
    casework.check_tender(tender_yaml, files, "tender.yaml")
    now = audit.now_text()
    with st.store.transaction() as conn:
        workspace.update_case(conn, case_id, title=found.title, tender_yaml=tender_yaml, at=now)
        if judgements:
            write_judgements(conn, judgements)
        audit.append(
            conn,
            actor=sess.user.name,
            action="identity-resolve",
            object_type="case",
            object_id=case_id,
            details={
                "assessment": run.id,
                "bidder": bidder_id,
                "choice": choice,
                "candidates": candidates,
                "reason": text,
                "judgements": [j.to_json() for j in judgements],
            },
        )
    return _to_queue(case_id)


def _identity_judgements(
    store: Store,
    chosen: str,
    others: list[str],
    by: str,
    case_id: int,
    bidder_id: str,
    reason: str,
) -> list[Judgement]:
    """A negative judgement between the chosen record and each other candidate, except pairs
    already judged or already in one cluster (a person said otherwise before)."""
    with store.view() as view:
        judged = {(j.left_id, j.right_id) for j in view.judgements([chosen])}
        same = set(view.clusters([chosen])[chosen].members)
    out = []
    for other in others:
        if other in same or (min(chosen, other), max(chosen, other)) in judged:
            continue
        why = (
            f"case {case_id}, bidder {bidder_id}: {chosen} was chosen as the bidder, "
            f"not {other}: {reason}"
        )
        out.append(checked(store, chosen, other, "negative", reason=why, by=by))
    return out


@router.post("/cases/{case_id}/review/owner")
def decide_owner(
    request: Request,
    sess: Actor,
    case_id: int,
    bidder_id: Annotated[str, Form(min_length=1, max_length=100)],
    owner_id: Annotated[str, Form(min_length=1, max_length=200)],
    record_id: Annotated[str, Form(min_length=1, max_length=200)],
    verdict: Annotated[str, Form(pattern="^(accept|reject)$")],
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    st = state(request)
    _, run = _latest(st.store, case_id)
    bidder = _report_bidder(st, run, case_id, bidder_id)
    assert run is not None
    text = _need_reason(reason, f"{'accepting' if verdict == 'accept' else 'rejecting'} a match")
    if (owner_id, record_id) not in {(o, r) for o, r, _ in owner_pairs(bidder)}:
        raise InputError(
            None,
            f"{owner_id} ~ {record_id} is not a possible owner match of bidder {bidder_id}",
            fix="reload the review page",
        )
    kind = "positive" if verdict == "accept" else "negative"
    j = checked(st.store, owner_id, record_id, kind, reason=text, by=sess.user.name)
    with st.store.transaction() as conn:
        write_judgements(conn, [j])
        audit.append(
            conn,
            actor=sess.user.name,
            action="owner-match-judge",
            object_type="judgement",
            object_id=f"{j.left_id}~{j.right_id}",
            details={
                "case": case_id,
                "assessment": run.id,
                "bidder": bidder_id,
                "owner": owner_id,
                "record": record_id,
                "judgement": kind,
                "reason": text,
            },
        )
    return _to_queue(case_id)
