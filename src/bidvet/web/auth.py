"""Who is asking: sessions from the cookie, role rules per route, CSRF on every form post.

Every route but ``/login`` and ``/static`` depends on :func:`allow`: without a live session it
redirects to the login page, with a role not allowed it answers 403, and a POST whose
``csrf_token`` field differs from the session's is refused (403) before the route runs.

Routes that touch the database or compute are plain ``def`` (FastAPI runs them in its thread
pool), so one slow request never holds up a worker's event loop; the session lookup here runs
in that pool too.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from bidvet.store import workspace
from bidvet.store.workspace import Session
from bidvet.web.security import SESSION_COOKIE, same, token_hash
from bidvet.web.state import state

ALL_ROLES = frozenset(workspace.ROLES)


class NotLoggedIn(Exception):
    """No live session: the page sends the browser to the login form."""


class Forbidden(Exception):
    """A live session whose role may not do this, or a form without the right CSRF token."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def current_session(request: Request) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with state(request).store.read() as conn:
        return workspace.session(conn, token_hash(token), time.time())


def allow(*roles: str) -> Callable[[Request], Awaitable[Session]]:
    """A dependency admitting a live session of one of ``roles`` (POST: with its CSRF token)."""
    allowed = frozenset(roles)
    unknown = allowed - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    async def dependency(request: Request) -> Session:
        # the lookup blocks on the database: in a worker thread, not on the event loop
        sess = await run_in_threadpool(current_session, request)
        if sess is None:
            raise NotLoggedIn()
        if sess.user.role not in allowed:
            raise Forbidden(f"the {sess.user.role} role may not use this page")
        if request.method not in ("GET", "HEAD"):
            form = await request.form()
            sent = form.get("csrf_token")
            if not isinstance(sent, str) or not same(sent, sess.csrf_token):
                raise Forbidden("the form's security token is missing or wrong; reload the page")
        request.state.session = sess
        return sess

    dependency.roles = allowed  # type: ignore[attr-defined]
    return dependency
