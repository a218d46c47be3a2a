"""The workspace's operational tables (``ws_*``): accounts, sessions, login attempts, cases,
their files, assessment runs and decisions. The only SQL of ``bidvet serve``.

Every function takes a connection: reads use :meth:`Store.read`, writes
:meth:`Store.transaction` (the writer lock), in which the caller also appends the audit entry
(:mod:`bidvet.store.audit`), so a change and its record commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.store import schema as s
from bidvet.store.rows import insert_id

ROLES = ("assessor", "reviewer", "admin", "auditor")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    active: bool
    created_at: str
    password_hash: str


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires: float


@dataclass(frozen=True)
class Case:
    id: int
    title: str
    tender_yaml: str
    created_by: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class CaseFile:
    id: int
    case_id: int
    kind: str
    name: str
    content: str
    added_by: str
    added_at: str


@dataclass(frozen=True)
class AssessmentRun:
    id: int
    case_id: int
    as_of: str
    run_by: str
    run_at: str
    report_json: str
    report_sha256: str
    data_snapshot: str
    framework_sha256: str


@dataclass(frozen=True)
class Decision:
    id: int
    assessment_id: int
    bidder_id: str
    framework_outcome: str
    outcome: str
    reason: str | None
    status: str
    proposed_by: str
    proposed_at: str
    reviewed_by: str | None
    reviewed_at: str | None
    review_note: str | None
    signed_report_json: str | None
    signed_report_sha256: str | None
    data_snapshot: str | None
    framework_sha256: str | None


def _user(row: Any) -> User:
    return User(
        id=int(row.id),
        name=str(row.name),
        role=str(row.role),
        active=bool(row.active),
        created_at=str(row.created_at),
        password_hash=str(row.password_hash),
    )


# --- users -------------------------------------------------------------------------------------


def add_user(conn: Connection, *, name: str, password_hash: str, role: str, at: str) -> User:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user_id = insert_id(
        conn,
        s.ws_users,
        name=name,
        password_hash=password_hash,
        role=role,
        active=True,
        created_at=at,
    )
    return User(user_id, name, role, True, at, password_hash)


def user_by_name(conn: Connection, name: str) -> User | None:
    row = conn.execute(sa.select(s.ws_users).where(s.ws_users.c.name == name)).first()
    return None if row is None else _user(row)


def user_by_id(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(sa.select(s.ws_users).where(s.ws_users.c.id == user_id)).first()
    return None if row is None else _user(row)


def users(conn: Connection) -> list[User]:
    return [_user(r) for r in conn.execute(sa.select(s.ws_users).order_by(s.ws_users.c.name))]


def count_users(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(s.ws_users)).scalar_one())


def update_user(
    conn: Connection,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    password_hash: str | None = None,
) -> None:
    values: dict[str, Any] = {}
    if role is not None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        values["role"] = role
    if active is not None:
        values["active"] = active
    if password_hash is not None:
        values["password_hash"] = password_hash
    if values:
        conn.execute(s.ws_users.update().where(s.ws_users.c.id == user_id).values(**values))
    if active is False or role is not None:
        delete_user_sessions(conn, user_id)


# --- sessions and login attempts ---------------------------------------------------------------


def add_session(
    conn: Connection, *, token_hash: str, user_id: int, csrf_token: str, now: float, expires: float
) -> None:
    conn.execute(
        s.ws_sessions.insert().values(
            token_hash=token_hash,
            user_id=user_id,
            csrf_token=csrf_token,
            created=now,
            expires=expires,
        )
    )


def session(conn: Connection, token_hash: str, now: float) -> Session | None:
    """The live session with this token hash (unexpired, its user active), or ``None``."""
    t, u = s.ws_sessions, s.ws_users
    row = conn.execute(
        sa.select(t.c.csrf_token, t.c.expires, u)
        .join(u, u.c.id == t.c.user_id)
        .where(t.c.token_hash == token_hash, t.c.expires > now, u.c.active.is_(True))
    ).first()
    if row is None:
        return None
    return Session(_user(row), str(row.csrf_token), float(row.expires))


def delete_session(conn: Connection, token_hash: str) -> None:
    conn.execute(s.ws_sessions.delete().where(s.ws_sessions.c.token_hash == token_hash))


def delete_user_sessions(conn: Connection, user_id: int) -> None:
    conn.execute(s.ws_sessions.delete().where(s.ws_sessions.c.user_id == user_id))


def delete_expired_sessions(conn: Connection, now: float) -> None:
    conn.execute(s.ws_sessions.delete().where(s.ws_sessions.c.expires <= now))


def record_login_attempt(
    conn: Connection, *, name: str, address: str, success: bool, at: float
) -> None:
    conn.execute(
        s.ws_login_attempts.insert().values(at=at, name=name, address=address, success=success)
    )


def failed_logins(conn: Connection, *, since: float, name: str | None = None,
                  address: str | None = None) -> int:  # fmt: skip
    """Failed attempts since ``since`` for an account name or a client address, counted from the
    last successful login of that account (a success clears an account's failures)."""
    t = s.ws_login_attempts
    q = sa.select(sa.func.count()).select_from(t).where(t.c.at >= since, t.c.success.is_(False))
    if name is not None:
        last_ok = conn.execute(
            sa.select(sa.func.max(t.c.at)).where(t.c.name == name, t.c.success.is_(True))
        ).scalar()
        q = q.where(t.c.name == name)
        if last_ok is not None:
            q = q.where(t.c.at > last_ok)
    if address is not None:
        q = q.where(t.c.address == address)
    return int(conn.execute(q).scalar_one())


# --- cases -------------------------------------------------------------------------------------


def _case(row: Any) -> Case:
    return Case(
        int(row.id),
        str(row.title),
        str(row.tender_yaml),
        str(row.created_by),
        str(row.created_at),
        str(row.updated_at),
    )


def add_case(conn: Connection, *, title: str, tender_yaml: str, by: str, at: str) -> int:
    return insert_id(
        conn,
        s.ws_cases,
        title=title,
        tender_yaml=tender_yaml,
        created_by=by,
        created_at=at,
        updated_at=at,
    )


def update_case(conn: Connection, case_id: int, *, title: str, tender_yaml: str, at: str) -> None:
    conn.execute(
        s.ws_cases.update()
        .where(s.ws_cases.c.id == case_id)
        .values(title=title, tender_yaml=tender_yaml, updated_at=at)
    )


def case(conn: Connection, case_id: int) -> Case | None:
    row = conn.execute(sa.select(s.ws_cases).where(s.ws_cases.c.id == case_id)).first()
    return None if row is None else _case(row)


def cases(conn: Connection) -> list[Case]:
    return [_case(r) for r in conn.execute(sa.select(s.ws_cases).order_by(s.ws_cases.c.id.desc()))]


def put_case_file(
    conn: Connection, *, case_id: int, kind: str, name: str, content: str, by: str, at: str
) -> None:
    """Add a file to a case, replacing one of the same name."""
    t = s.ws_case_files
    conn.execute(t.delete().where(t.c.case_id == case_id, t.c.name == name))
    conn.execute(
        t.insert().values(
            case_id=case_id, kind=kind, name=name, content=content, added_by=by, added_at=at
        )
    )


def case_files(conn: Connection, case_id: int) -> list[CaseFile]:
    t = s.ws_case_files
    rows = conn.execute(sa.select(t).where(t.c.case_id == case_id).order_by(t.c.name))
    return [
        CaseFile(
            int(r.id),
            int(r.case_id),
            str(r.kind),
            str(r.name),
            str(r.content),
            str(r.added_by),
            str(r.added_at),
        )
        for r in rows
    ]


# --- assessments and decisions -----------------------------------------------------------------


def _run(row: Any) -> AssessmentRun:
    return AssessmentRun(
        int(row.id),
        int(row.case_id),
        str(row.as_of),
        str(row.run_by),
        str(row.run_at),
        str(row.report_json),
        str(row.report_sha256),
        str(row.data_snapshot),
        str(row.framework_sha256),
    )


def add_assessment(
    conn: Connection,
    *,
    case_id: int,
    as_of: str,
    by: str,
    at: str,
    report_json: str,
    report_sha256: str,
    data_snapshot: str,
    framework_sha256: str,
) -> int:
    return insert_id(
        conn,
        s.ws_assessments,
        case_id=case_id,
        as_of=as_of,
        run_by=by,
        run_at=at,
        report_json=report_json,
        report_sha256=report_sha256,
        data_snapshot=data_snapshot,
        framework_sha256=framework_sha256,
    )


def assessment(conn: Connection, assessment_id: int) -> AssessmentRun | None:
    t = s.ws_assessments
    row = conn.execute(sa.select(t).where(t.c.id == assessment_id)).first()
    return None if row is None else _run(row)


def latest_assessment(conn: Connection, case_id: int) -> AssessmentRun | None:
    """The case's most recent assessment run (without reading the earlier runs' reports)."""
    t = s.ws_assessments
    query = sa.select(t).where(t.c.case_id == case_id).order_by(t.c.id.desc()).limit(1)
    row = conn.execute(query).first()
    return None if row is None else _run(row)


def assessments(conn: Connection, case_id: int) -> list[AssessmentRun]:
    t = s.ws_assessments
    rows = conn.execute(sa.select(t).where(t.c.case_id == case_id).order_by(t.c.id.desc()))
    return [_run(r) for r in rows]


@dataclass(frozen=True)
class RunSummary:
    """An assessment run without its report (what lists and the case page show)."""

    id: int
    case_id: int
    as_of: str
    run_by: str
    run_at: str
    report_sha256: str
    data_snapshot: str
    framework_sha256: str


def _summary_query() -> sa.Select[Any]:
    t = s.ws_assessments
    return sa.select(
        t.c.id,
        t.c.case_id,
        t.c.as_of,
        t.c.run_by,
        t.c.run_at,
        t.c.report_sha256,
        t.c.data_snapshot,
        t.c.framework_sha256,
    )


def _summary(row: Any) -> RunSummary:
    return RunSummary(
        int(row.id),
        int(row.case_id),
        str(row.as_of),
        str(row.run_by),
        str(row.run_at),
        str(row.report_sha256),
        str(row.data_snapshot),
        str(row.framework_sha256),
    )


def run_summaries(conn: Connection, case_id: int) -> list[RunSummary]:
    """The case's assessment runs, newest first, without reading their reports."""
    t = s.ws_assessments
    rows = conn.execute(_summary_query().where(t.c.case_id == case_id).order_by(t.c.id.desc()))
    return [_summary(r) for r in rows]


def run_summary(conn: Connection, assessment_id: int) -> RunSummary | None:
    row = conn.execute(_summary_query().where(s.ws_assessments.c.id == assessment_id)).first()
    return None if row is None else _summary(row)


def latest_run_summaries(conn: Connection, case_ids: list[int]) -> dict[int, RunSummary]:
    """The most recent run of each of ``case_ids`` that has one (one query, no reports)."""
    if not case_ids:
        return {}
    t = s.ws_assessments
    newest = sa.select(sa.func.max(t.c.id)).where(t.c.case_id.in_(case_ids)).group_by(t.c.case_id)
    rows = conn.execute(_summary_query().where(t.c.id.in_(newest)))
    return {int(r.case_id): _summary(r) for r in rows}


def report_text(conn: Connection, assessment_id: int) -> str | None:
    """The report JSON of one run (``None``: no such run)."""
    t = s.ws_assessments
    value = conn.execute(sa.select(t.c.report_json).where(t.c.id == assessment_id)).scalar()
    return None if value is None else str(value)


@dataclass(frozen=True)
class CaseSummary:
    """A case without its tender file (what the case list shows)."""

    id: int
    title: str
    created_by: str
    created_at: str
    updated_at: str


def case_summaries(conn: Connection) -> list[CaseSummary]:
    """Every case, newest first, without reading the tender files."""
    t = s.ws_cases
    query = sa.select(t.c.id, t.c.title, t.c.created_by, t.c.created_at, t.c.updated_at)
    rows = conn.execute(query.order_by(t.c.id.desc()))
    return [
        CaseSummary(
            int(r.id), str(r.title), str(r.created_by), str(r.created_at), str(r.updated_at)
        )
        for r in rows
    ]


def case_file_names(conn: Connection, case_id: int) -> list[str]:
    """The names of a case's files, without their content."""
    t = s.ws_case_files
    rows = conn.execute(sa.select(t.c.name).where(t.c.case_id == case_id).order_by(t.c.name))
    return [str(r.name) for r in rows]


def _decision(row: Any) -> Decision:
    return Decision(**{c.name: row._mapping[c.name] for c in s.ws_decisions.columns})


def add_decision(
    conn: Connection,
    *,
    assessment_id: int,
    bidder_id: str,
    framework_outcome: str,
    outcome: str,
    reason: str | None,
    by: str,
    at: str,
) -> int:
    return insert_id(
        conn,
        s.ws_decisions,
        assessment_id=assessment_id,
        bidder_id=bidder_id,
        framework_outcome=framework_outcome,
        outcome=outcome,
        reason=reason,
        status="proposed",
        proposed_by=by,
        proposed_at=at,
    )


def decision(conn: Connection, decision_id: int) -> Decision | None:
    t = s.ws_decisions
    row = conn.execute(sa.select(t).where(t.c.id == decision_id)).first()
    return None if row is None else _decision(row)


def decisions(conn: Connection, assessment_id: int) -> list[Decision]:
    t = s.ws_decisions
    rows = conn.execute(sa.select(t).where(t.c.assessment_id == assessment_id).order_by(t.c.id))
    return [_decision(r) for r in rows]


def review_decision(
    conn: Connection,
    decision_id: int,
    *,
    status: str,
    by: str,
    at: str,
    note: str | None,
    frozen: dict[str, str] | None = None,
) -> bool:
    """Approve or return a proposed decision; ``False`` when it is no longer ``proposed`` (the
    update is conditional, so two reviewers cannot both sign)."""
    t = s.ws_decisions
    values: dict[str, Any] = {
        "status": status, "reviewed_by": by, "reviewed_at": at, "review_note": note,
    }  # fmt: skip
    values.update(frozen or {})
    result = conn.execute(
        t.update().where(t.c.id == decision_id, t.c.status == "proposed").values(**values)
    )
    return bool(result.rowcount == 1)


# --- what the workspace's per-worker caches are keyed by ---------------------------------------


def knowledge_state(conn: Connection) -> str:
    """A short text that changes whenever what searches and entity pages read may have changed:
    a publication loaded or removed (the snapshots), a resolution judgement added, replaced or
    removed. Two aggregate queries; workers compare it before answering from a cache."""
    snap, judge = s.snapshots, s.resolution_judgements
    loads = conn.execute(
        sa.select(sa.func.count(), sa.func.max(snap.c.id), sa.func.max(snap.c.imported_at))
    ).one()
    judged = conn.execute(
        sa.select(sa.func.count(), sa.func.max(judge.c.id), sa.func.max(judge.c.judged_at))
    ).one()
    return "|".join(str(v) for v in (*loads, *judged))
