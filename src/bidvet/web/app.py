"""The workspace application: ``create_app()`` builds a FastAPI app over one store.

Pages are rendered on the server (Jinja2, ``web/templates``); CSS and a few lines of JavaScript
are served from ``web/static`` by the app itself (no CDN, no external fonts: it runs on an
air-gapped network). Every response carries the headers of :data:`SECURITY_HEADERS`. ``HEAD``
is answered wherever ``GET`` is (:class:`HeadAsGet`), with the same status and headers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bidvet.errors import BidvetError
from bidvet.store.db import Store
from bidvet.web.auth import Forbidden, NotLoggedIn
from bidvet.web.security import PRODUCTION_HASHING, SECURITY_HEADERS, Limits, PasswordHashing
from bidvet.web.state import AppState

HERE = Path(__file__).parent


def templates() -> Jinja2Templates:
    """The page templates, compiled once per process (no file check on every render: the
    templates are part of the installed package)."""
    found = Jinja2Templates(directory=str(HERE / "templates"))
    found.env.auto_reload = False
    return found


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render template ``name`` with the session (user, CSRF token) added to ``context``."""
    sess = getattr(request.state, "session", None)
    tpl: Jinja2Templates = request.app.state.templates
    return tpl.TemplateResponse(
        request,
        name,
        {"user": sess.user if sess else None, "csrf": sess.csrf_token if sess else "", **context},
        status_code=status,
    )


class SecurityHeaders:
    """Add :data:`SECURITY_HEADERS` to every response that does not set its own (a plain ASGI
    middleware: no task or stream per request, unlike ``@app.middleware("http")``).

    Files under ``/static`` are the one exception to ``Cache-Control: no-store``: they carry
    ``no-cache``, so a browser keeps them and revalidates with their ETag (304, no body).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in self.headers:
                    if name == b"cache-control" and static:
                        value = b"no-cache"
                    if name not in present:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadAsGet:
    """Answer ``HEAD`` as ``GET`` with the body left out (monitoring probes use ``HEAD``).

    FastAPI routes declared with ``@router.get`` answer only ``GET``; this middleware runs the
    request as ``GET`` through the same route, dependencies and role checks, and sends the
    status and headers (``Content-Length`` included) without the body.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def create_app(
    store_url: str | None = None,
    *,
    store: Store | None = None,
    limits: Limits | None = None,
    secure_cookies: bool | None = None,
    password_hashing: PasswordHashing = PRODUCTION_HASHING,
) -> FastAPI:
    """The workspace over the store at ``store_url`` (or the open ``store``).

    ``secure_cookies``: ``None`` (default) marks cookies Secure when the request came by https
    (behind a TLS proxy, run uvicorn with ``--proxy-headers``); ``True`` always, ``False`` never.

    ``password_hashing``: the argon2id cost of the password hashes the app makes (accounts added
    on the users page, the dummy verification that makes an unknown account as slow as a known
    one). Default: RFC 9106's low-memory profile; keep it, or raise it, in production. Tests pass
    :data:`bidvet.web.security.TEST_HASHING` (still argon2id, at the lowest cost).
    """
    from bidvet.web import (
        routes_admin,
        routes_alerts,
        routes_api,
        routes_auth,
        routes_cases,
        routes_entities,
        routes_match,
        routes_reconcile,
        routes_review,
        routes_tokens,
    )
    from bidvet.web.api_auth import install as install_api_errors

    app = FastAPI(title="bidvet workspace", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.bidvet = AppState(
        store or Store(store_url), limits or Limits(), secure_cookies, password_hashing
    )
    app.state.templates = templates()

    @app.exception_handler(NotLoggedIn)
    async def _login(request: Request, exc: NotLoggedIn) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return page(request, "error.html", {"title": "Not allowed", "message": exc.message}, 403)

    @app.exception_handler(BidvetError)
    async def _bad_input(request: Request, exc: BidvetError) -> Response:
        return page(
            request, "error.html", {"title": "Cannot do that", "message": exc.render()}, 400
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return page(
            request, "error.html", {"title": "Error", "message": str(exc.detail)}, exc.status_code
        )

    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)  # outermost: HEAD runs as GET through everything else
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(routes_auth.router)
    app.include_router(routes_cases.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_alerts.router)
    # entity pages and tokens (sessions); the machine routes (bearer tokens only, JSON errors,
    # their OpenAPI document at /api/v1/openapi.json for token holders)
    app.include_router(routes_entities.router)
    app.include_router(routes_tokens.router)
    routes_review.install(app)  # review queues, and their counts on the case page
    install_api_errors(app)
    for machine in (routes_api, routes_match, routes_reconcile):
        app.include_router(machine.router)
    return app
