"""Accounts (admin) and the audit log (auditor, admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from bidvet.store import audit, workspace
from bidvet.store.workspace import Session
from bidvet.web.accounts import create_user
from bidvet.web.app import page
from bidvet.web.auth import allow
from bidvet.web.state import state

router = APIRouter()
Admin = Annotated[Session, Depends(allow("admin"))]
AuditReader = Annotated[Session, Depends(allow("auditor", "admin"))]


@router.get("/users")
def users(request: Request, sess: Admin) -> Response:
    with state(request).store.read() as conn:
        rows = workspace.users(conn)
    return page(request, "users.html", {"users": rows, "roles": workspace.ROLES, "password": None})


@router.post("/users")
def add_user(
    request: Request,
    sess: Admin,
    name: Annotated[str, Form(min_length=2, max_length=100, pattern=r"^[\w.@-]+$")],
    role: Annotated[str, Form(pattern="^(assessor|reviewer|admin|auditor)$")],
) -> Response:
    st = state(request)
    password = create_user(st.store, name, role, actor=sess.user.name, hashing=st.password_hashing)
    with state(request).store.read() as conn:
        rows = workspace.users(conn)
    return page(
        request,
        "users.html",
        {"users": rows, "roles": workspace.ROLES, "password": (name, password)},
    )


@router.post("/users/{user_id}")
def change_user(
    request: Request,
    sess: Admin,
    user_id: int,
    role: Annotated[str, Form(pattern="^(assessor|reviewer|admin|auditor)$")],
    active: Annotated[str, Form(pattern="^(yes|no)$")],
) -> Response:
    with state(request).store.transaction() as conn:
        user = workspace.user_by_id(conn, user_id)
        if user is None:
            raise HTTPException(404, f"no user {user_id}")
        workspace.update_user(conn, user_id, role=role, active=active == "yes")
        audit.append(
            conn,
            actor=sess.user.name,
            action="user-change",
            object_type="user",
            object_id=user.name,
            details={"role": [user.role, role], "active": [user.active, active == "yes"]},
        )
    return RedirectResponse("/users", status_code=303)


@router.get("/audit")
def audit_log(
    request: Request,
    sess: AuditReader,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: str = "",
    until: str = "",
) -> Response:
    filters = {
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "since": since,
        "until": until,
    }
    with state(request).store.read() as conn:
        rows = audit.entries(
            conn,
            actor=actor or None,
            action=action or None,
            object_type=object_type or None,
            object_id=object_id or None,
            since=since or None,
            until=until or None,
        )
        check = audit.verify(conn)
    return page(request, "audit.html", {"entries": rows, "filters": filters, "check": check})
