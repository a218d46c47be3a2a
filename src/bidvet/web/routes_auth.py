"""Login and logout: throttled, audited, with a double-submit CSRF cookie on the login form."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from bidvet.store import audit, workspace
from bidvet.store.workspace import Session
from bidvet.web.app import page
from bidvet.web.auth import ALL_ROLES, allow
from bidvet.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    dummy_verify,
    new_token,
    same,
    token_hash,
    verify_password,
)
from bidvet.web.state import state

router = APIRouter()


def _secure(request: Request) -> bool:
    configured = state(request).secure_cookies
    return request.url.scheme == "https" if configured is None else configured


def _login_form(request: Request, error: str | None, status: int = 200) -> Response:
    token = new_token()
    response = page(request, "login.html", {"error": error, "login_csrf": token}, status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/login",
    )
    return response


@router.get("/login")
def login_page(request: Request) -> Response:
    return _login_form(request, None)


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    st = state(request)
    if not same(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
        return _login_form(request, "The form expired; please log in again.", 403)
    address = request.client.host if request.client else "unknown"
    now = time.time()
    since = now - st.limits.window_seconds
    with st.store.read() as conn:
        by_address = workspace.failed_logins(conn, since=since, address=address)
        by_account = workspace.failed_logins(conn, since=since, name=name)
        user = workspace.user_by_name(conn, name)
    reason = None
    if by_address >= st.limits.address_failures:
        reason = "too many failed logins from this address"
    elif by_account >= st.limits.account_failures:
        reason = "account locked after repeated failures"
    elif user is None:
        dummy_verify(password, st.password_hashing)
        reason = "unknown account or wrong password"
    elif not verify_password(user.password_hash, password):
        reason = "unknown account or wrong password"
    elif not user.active:
        reason = "account disabled"
    with st.store.transaction() as conn:
        workspace.record_login_attempt(
            conn, name=name, address=address, success=reason is None, at=now
        )
        if reason is not None or user is None:
            audit.append(
                conn,
                actor=name,
                action="login-failure",
                object_type="user",
                object_id=name,
                details={"address": address, "reason": reason},
            )
            token = None
        else:
            token = new_token()
            workspace.delete_expired_sessions(conn, now)
            workspace.add_session(
                conn,
                token_hash=token_hash(token),
                user_id=user.id,
                csrf_token=new_token(),
                now=now,
                expires=now + st.limits.session_seconds,
            )
            audit.append(
                conn,
                actor=user.name,
                action="login",
                object_type="user",
                object_id=user.name,
                details={"address": address},
            )
    if token is None:
        minutes = int(st.limits.window_seconds // 60)
        message = {
            "too many failed logins from this address": (
                f"Too many failed logins from your address; try again in {minutes} minutes."
            ),
            "account locked after repeated failures": (
                f"This account is locked after repeated failures; try again in {minutes} minutes."
            ),
        }.get(reason or "", "Unknown account or wrong password.")
        status = 429 if "minutes" in message else 401
        return _login_form(request, message, status)
    response = RedirectResponse("/cases", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=int(st.limits.session_seconds),
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, sess: Annotated[Session, Depends(allow(*ALL_ROLES))]) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    with state(request).store.transaction() as conn:
        workspace.delete_session(conn, token_hash(token))
        audit.append(
            conn,
            actor=sess.user.name,
            action="logout",
            object_type="user",
            object_id=sess.user.name,
        )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
