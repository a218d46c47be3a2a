"""The "My tokens" page: each user makes and revokes their own API tokens (CSRF-protected
forms, like every page form). A new token is shown once, on the page that made it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from bidvet.store import api_tokens
from bidvet.store.workspace import Session
from bidvet.web.api_auth import create_token, revoke_token, scopes_for
from bidvet.web.app import page
from bidvet.web.auth import ALL_ROLES, allow
from bidvet.web.state import state

router = APIRouter()
Anyone = Annotated[Session, Depends(allow(*ALL_ROLES))]


def _page(request: Request, sess: Session, created: dict[str, Any] | None) -> Response:
    with state(request).store.read() as conn:
        rows = api_tokens.tokens_of(conn, sess.user.id)
    return page(
        request,
        "tokens.html",
        {"tokens": rows, "scopes": scopes_for(sess.user.role), "created": created},
    )


@router.get("/tokens")
def my_tokens(request: Request, sess: Anyone) -> Response:
    return _page(request, sess, None)


@router.post("/tokens")
def make_token(
    request: Request,
    sess: Anyone,
    name: Annotated[str, Form(min_length=1, max_length=100)],
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    scope = role or sess.user.role
    secret = create_token(
        state(request).store, sess.user.name, name, role=scope, actor=sess.user.name
    )
    return _page(request, sess, {"name": name.strip(), "role": scope, "secret": secret})


@router.post("/tokens/{token_id}/revoke")
def revoke(request: Request, sess: Anyone, token_id: int) -> Response:
    revoke_token(state(request).store, token_id, by=sess.user)
    return RedirectResponse("/tokens", status_code=303)
