"""Bearer tokens for the machine routes (``/api/v1``, ``/match``, ``/reconcile``).

* A token is 32 random bytes (URL-safe, prefixed ``bv_``), shown once when it is made; the store
  keeps its SHA-256 (:mod:`bidvet.store.api_tokens`).
* Its scope is its user's role or the read-only ``reader`` scope. It acts with that scope only
  while its user is active and still has that role: an account moved to another role, disabled,
  or a revoked token answers 401.
* Machine routes read only ``Authorization: Bearer …`` and never the session cookie, so a page
  in a browser cannot make them act (no CSRF exposure); pages read only the cookie.
* Errors are JSON ``{"detail": …}``: 401 with ``WWW-Authenticate: Bearer`` without a valid token,
  403 when the token's scope may not use the route.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from bidvet.errors import InputError
from bidvet.store import api_tokens, audit, workspace
from bidvet.store.api_tokens import READER, ApiToken
from bidvet.store.db import Store
from bidvet.store.workspace import User
from bidvet.web.security import new_token, token_hash
from bidvet.web.state import state

#: every scope a token may carry
SCOPES = (*workspace.ROLES, READER)
#: the scopes of the read-only machine routes: every role, and ``reader``
ANY_SCOPE = frozenset(SCOPES)
TOKEN_PREFIX = "bv_"
#: ``last_used_at`` is rewritten at most this often (a write per call would serialise readers)
TOUCH_SECONDS = 60


class ApiError(Exception):
    """A machine route's refusal, answered as JSON ``{"detail": message}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class Caller:
    """Who a machine route acts for: the user, the token and the scope it acts with."""

    user: User
    token: ApiToken

    @property
    def role(self) -> str:
        return self.token.role

    @property
    def actor(self) -> str:
        """The name written to the audit log (the token goes in the entry's details)."""
        return self.user.name

    def audit_details(self) -> dict[str, object]:
        return {"token_id": self.token.id, "token": self.token.name, "scope": self.token.role}


def scopes_for(role: str) -> tuple[str, ...]:
    """The scopes a user of ``role`` may give a token: the role itself, or read-only."""
    return (role, READER)


def create_token(store: Store, user_name: str, name: str, *, role: str | None, actor: str) -> str:
    """Make a token for ``user_name`` (scope ``role``, default the user's role); audited.
    Returns the token, which is not stored and cannot be shown again."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InputError(None, "a token needs a name of 1 to 100 characters", fix="name it")
    secret = TOKEN_PREFIX + new_token()
    with store.transaction() as conn:
        user = workspace.user_by_name(conn, user_name)
        if user is None or not user.active:
            raise InputError(None, f"no active user {user_name!r}", fix="bidvet users list")
        scope = role or user.role
        if scope not in scopes_for(user.role):
            raise InputError(
                None,
                f"a token of {user.name} ({user.role}) cannot have the {scope!r} scope",
                fix=f"use one of {', '.join(scopes_for(user.role))}",
            )
        token_id = api_tokens.add_token(
            conn,
            user_id=user.id,
            name=name,
            token_hash=token_hash(secret),
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            role=scope,
            at=audit.now_text(),
        )
        audit.append(
            conn,
            actor=actor,
            action="token-create",
            object_type="api-token",
            object_id=token_id,
            details={"user": user.name, "name": name, "role": scope},
        )
    return secret


def revoke_token(store: Store, token_id: int, *, by: User) -> ApiToken:
    """Revoke one of ``by``'s own tokens (an admin may revoke anyone's); audited."""
    with store.transaction() as conn:
        found = api_tokens.token(conn, token_id)
        if found is None or (found.user_id != by.id and by.role != "admin"):
            raise InputError(None, f"no token {token_id} of yours", fix="reload the page")
        if not api_tokens.revoke(conn, token_id, audit.now_text()):
            raise InputError(None, f"token {found.name!r} is already revoked", fix="reload")
        audit.append(
            conn,
            actor=by.name,
            action="token-revoke",
            object_type="api-token",
            object_id=token_id,
            details={"user_id": found.user_id, "name": found.name},
        )
    return found


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, {"WWW-Authenticate": 'Bearer realm="bidvet"'})


def _stale(last: str | None, now: dt.datetime) -> bool:
    if last is None:
        return True
    try:
        then = dt.datetime.fromisoformat(last.replace("Z", "+00:00"))
    except ValueError:
        return True
    return (now - then).total_seconds() >= TOUCH_SECONDS


def authenticate(request: Request) -> Caller:
    """The caller of a machine route from its bearer token (cookies are never read)."""
    secret = _bearer(request)
    if secret is None:
        raise _unauthorized("send an API token: Authorization: Bearer <token>")
    st = state(request)
    with st.store.read() as conn:
        found = api_tokens.holder(conn, token_hash(secret))
    if found is None:
        raise _unauthorized("the API token is unknown, revoked, or its user is disabled")
    token, user = found
    if token.role not in scopes_for(user.role):
        raise _unauthorized(
            f"the token's {token.role} scope no longer fits its user's {user.role} role; "
            "make a new token"
        )
    now = dt.datetime.now(dt.UTC)
    if _stale(token.last_used_at, now):
        with st.store.transaction() as conn:
            api_tokens.touch(conn, token.id, audit.now_text())
    return Caller(user, token)


def token_allow(*scopes: str) -> Callable[[Request], Caller]:
    """A dependency admitting a bearer token whose scope is one of ``scopes``."""
    allowed = frozenset(scopes)
    unknown = allowed - ANY_SCOPE
    if unknown:
        raise ValueError(f"unknown scopes {sorted(unknown)}")

    def dependency(request: Request) -> Caller:  # plain def: FastAPI runs it in a thread
        caller = authenticate(request)
        if caller.role not in allowed:
            raise ApiError(403, f"a token with the {caller.role} scope may not use this route")
        request.state.caller = caller
        return caller

    dependency.scopes = allowed  # type: ignore[attr-defined]
    return dependency


def install(app: FastAPI) -> None:
    """Answer :class:`ApiError` as JSON."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=exc.headers)
