"""Every route of the app against every role and anonymous users.

The routes come from ``app.routes``: a route added without a rule here fails
``test_every_route_has_a_rule``. ``HEAD`` is answered wherever ``GET`` is, so every ``GET``
rule is checked for ``HEAD`` too (same status, same redirect, no body).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from bidvet.store.db import Store
from bidvet.web.api_auth import SCOPES, create_token
from tests.web.conftest import ACCOUNTS, login

ALL = {"assessor", "reviewer", "admin", "auditor"}
#: (method, path) -> the roles that may use it; None: public (login only)
RULES: dict[tuple[str, str], set[str] | None] = {
    ("GET", "/login"): None,
    ("POST", "/login"): None,
    ("POST", "/logout"): ALL,
    ("GET", "/"): ALL,
    ("GET", "/cases"): ALL,
    ("GET", "/cases/new"): {"assessor"},
    ("POST", "/cases"): {"assessor"},
    ("POST", "/cases/upload"): {"assessor"},
    ("GET", "/cases/{case_id}"): ALL,
    ("POST", "/cases/{case_id}/bidders"): {"assessor"},
    ("POST", "/cases/{case_id}/bidders/upload"): {"assessor"},
    ("POST", "/cases/{case_id}/files"): {"assessor"},
    ("POST", "/cases/{case_id}/assess"): {"assessor"},
    ("GET", "/assessments/{assessment_id}/bidders/{bidder_id}"): ALL,
    ("POST", "/assessments/{assessment_id}/bidders/{bidder_id}/propose"): {"assessor"},
    ("POST", "/decisions/{decision_id}/approve"): {"reviewer"},
    ("POST", "/decisions/{decision_id}/return"): {"reviewer"},
    ("GET", "/assessments/{assessment_id}/signed.html"): ALL,
    ("GET", "/assessments/{assessment_id}/signed.pdf"): ALL,
    ("GET", "/users"): {"admin"},
    ("POST", "/users"): {"admin"},
    ("POST", "/users/{user_id}"): {"admin"},
    ("GET", "/audit"): {"auditor", "admin"},
    ("GET", "/alerts"): ALL,
    ("POST", "/alerts/{alert_id}/acknowledge"): {"assessor", "reviewer", "admin"},
    ("POST", "/decisions/{decision_id}/watch"): {"assessor", "reviewer", "admin"},
    ("GET", "/review"): ALL,
    ("GET", "/cases/{case_id}/review"): ALL,
    ("POST", "/cases/{case_id}/review/identity"): {"assessor", "admin"},
    ("POST", "/cases/{case_id}/review/owner"): {"assessor", "admin"},
    ("GET", "/entities"): ALL,
    ("GET", "/entities/{entity_id}"): ALL,
    ("GET", "/tokens"): ALL,
    ("POST", "/tokens"): ALL,
    ("POST", "/tokens/{token_id}/revoke"): ALL,
    # machine routes (MACHINE): bearer tokens only; the sets name token scopes
    ("POST", "/api/v1/screen"): ALL | {"reader"},
    ("POST", "/api/v1/assess"): {"assessor"},
    ("GET", "/api/v1/cases/{case_id}/decision"): ALL | {"reader"},
    ("GET", "/api/v1/openapi.json"): ALL | {"reader"},
    ("POST", "/match/{dataset}"): ALL | {"reader"},
    ("GET", "/reconcile"): ALL | {"reader"},
    ("POST", "/reconcile"): ALL | {"reader"},
}
#: paths of the machine routes: no session reaches them, a bearer token of an allowed scope does
MACHINE = ("/api/", "/match/", "/reconcile")


def _walk(routes: Any) -> Iterator[Any]:
    for route in routes:
        included = getattr(route, "original_router", None)  # an included APIRouter
        if included is not None:
            yield from _walk(included.routes)
        else:
            yield route


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for route in _walk(app.routes):
        methods = getattr(route, "methods", None)
        if methods:  # every route but the /static mount
            out.extend((m, route.path) for m in sorted(set(methods) - {"HEAD"}))
    assert out, "no routes found in the app"
    return out


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "999", path)


def _head_matches_get(client: TestClient, path: str, get: Any, who: str) -> None:
    """HEAD on ``path`` answers as GET did: status, redirect target, no body."""
    head = client.head(path)
    assert head.status_code == get.status_code, (who, "HEAD", path, head.status_code)
    assert head.headers.get("location") == get.headers.get("location"), (who, "HEAD", path)
    assert head.content == b"", (who, "HEAD", path)


def test_every_route_has_a_rule(client: TestClient, app: FastAPI) -> None:
    missing = sorted(set(_routes(app)) - set(RULES))
    assert not missing, f"routes without a rule in RULES: {missing}"
    gone = sorted(set(RULES) - set(_routes(app)))
    assert not gone, f"rules for routes that do not exist: {gone}"


def test_anonymous_users_reach_only_the_login(client: TestClient, app: FastAPI) -> None:
    for method, path in _routes(app):
        response = client.request(method, _concrete(path))
        if method == "GET":
            _head_matches_get(client, _concrete(path), response, "anonymous")
        if RULES[(method, path)] is None:
            assert response.status_code in (200, 403, 422), (method, path, response.status_code)
            continue
        if path.startswith(MACHINE):
            assert response.status_code == 401, (method, path, response.status_code)
            continue
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["location"] == "/login", (method, path)


def test_each_role_is_refused_where_it_must_not_go(client: TestClient, app: FastAPI) -> None:
    roles = {role: name for name, role in reversed(ACCOUNTS.items())}
    for role, name in sorted(roles.items()):
        token = login(client, name)
        for method, path in _routes(app):
            allowed = RULES[(method, path)]
            if allowed is None or (method, path) == ("POST", "/logout"):
                continue
            data = {"csrf_token": token} if method == "POST" else None
            response = client.request(method, _concrete(path), data=data)
            if method == "GET":
                _head_matches_get(client, _concrete(path), response, role)
            if path.startswith(MACHINE):  # a session never reaches a machine route
                assert response.status_code == 401, (role, method, path, response.status_code)
                continue
            if role in allowed:
                assert response.status_code not in (401, 403), (role, method, path)
                assert response.status_code != 303 or response.headers["location"] != "/login"
            else:
                assert response.status_code == 403, (role, method, path, response.status_code)


def test_each_token_scope_is_refused_where_it_must_not_go(
    client: TestClient, app: FastAPI, web_store: Store
) -> None:
    users = {role: name for name, role in reversed(ACCOUNTS.items())}
    machine = [(m, p) for m, p in _routes(app) if p.startswith(MACHINE)]
    assert machine, "no machine routes"
    for scope in SCOPES:
        user = users.get(scope, "ada")  # reader: any account's read-only token
        secret = create_token(web_store, user, f"matrix {scope}", role=scope, actor="test")
        headers = {"Authorization": f"Bearer {secret}"}
        for method, path in machine:
            allowed = RULES[(method, path)]
            assert allowed is not None
            response = client.request(method, _concrete(path), headers=headers)
            if scope in allowed:
                assert response.status_code not in (401, 403), (scope, method, path)
            else:
                assert response.status_code == 403, (scope, method, path, response.status_code)


def test_head_is_answered_wherever_get_is(client: TestClient) -> None:
    """Monitoring probes: HEAD /login answers 200 with GET's headers and no body."""
    get = client.get("/login")
    head = client.head("/login")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-security-policy"] == get.headers["content-security-policy"]
    assert int(head.headers["content-length"]) > 0
    static = client.head("/static/app.css")
    assert (static.status_code, static.content) == (200, b"")
    login(client, "aud")
    assert client.head("/audit").status_code == 200
    assert client.head("/users").status_code == 403
    assert client.head("/cases/new").status_code == 403
    assert client.head("/logout").status_code == 405  # POST only: no GET, so no HEAD
