"""Headers, anonymous access, CSRF, sessions, logout and login throttling."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from bidvet.store import workspace
from bidvet.store.db import Store
from tests.web.conftest import PASSWORD, csrf_of, login


def test_security_headers_on_pages_and_static(client: TestClient) -> None:
    for path in ("/login", "/static/app.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_pages_have_no_inline_script(client: TestClient) -> None:
    login(client, "ada")
    html = client.get("/cases/new").text
    assert "<script>" not in html and "onclick" not in html, html[:400]
    assert '<script src="/static/app.js"' in html


def test_anonymous_is_sent_to_login_and_no_api_docs(client: TestClient) -> None:
    for path in ("/", "/cases", "/users", "/audit"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login", path
    for path in ("/docs", "/openapi.json", "/redoc"):
        assert client.get(path).status_code == 404, path


def test_session_cookie_flags(client: TestClient) -> None:
    form = client.get("/login")
    response = client.post(
        "/login", data={"name": "ada", "password": PASSWORD, "csrf_token": csrf_of(form.text)}
    )
    cookie = response.headers["set-cookie"].lower()
    assert "bidvet_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie  # plain http; https sets Secure (next test)


def test_secure_cookie_over_https(web_store: Store) -> None:
    from bidvet.web import create_app

    with TestClient(create_app(store=web_store), base_url="https://testserver") as c:
        form = c.get("/login")
        response = c.post(
            "/login",
            data={"name": "ada", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
            follow_redirects=False,
        )
    assert "secure" in response.headers["set-cookie"].lower()


def test_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"name": "ada", "password": PASSWORD, "csrf_token": "x"})
    assert response.status_code == 403
    assert "bidvet_session" not in response.headers.get("set-cookie", "")


def test_form_posts_without_or_with_wrong_csrf_are_refused(client: TestClient) -> None:
    token = login(client, "ada")
    data = {
        "title": "Test tender",
        "buyer": "Example buyer",
        "country": "ca",
        "site_type": "office",
        "site_label": "Head office",
        "items": "Desktop computers",
    }
    assert client.post("/cases", data=data).status_code == 403
    assert client.post("/cases", data={**data, "csrf_token": "wrong"}).status_code == 403
    assert client.get("/cases").text.count("/cases/1") == 0
    ok = client.post("/cases", data={**data, "csrf_token": token})
    assert ok.status_code == 303 and ok.headers["location"] == "/cases/1"


def test_csrf_token_of_another_session_is_refused(client: TestClient) -> None:
    other = login(client, "abe")
    login(client, "ada")
    response = client.post("/logout", data={"csrf_token": other})
    assert response.status_code == 403


def test_logout_ends_the_session(client: TestClient) -> None:
    token = login(client, "ada")
    cookie = client.cookies.get("bidvet_session")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    client.cookies.set("bidvet_session", cookie or "")
    assert client.get("/cases").headers["location"] == "/login"


def test_expired_session_is_refused(client: TestClient, web_store: Store) -> None:
    login(client, "ada")
    assert client.get("/cases").status_code == 200
    with web_store.transaction() as conn:
        workspace.delete_expired_sessions(conn, time.time() + 10**6)
    assert client.get("/cases").headers["location"] == "/login"


def test_disabled_user_loses_the_session(client: TestClient, web_store: Store) -> None:
    login(client, "ada")
    with web_store.transaction() as conn:
        user = workspace.user_by_name(conn, "ada")
        assert user is not None
        workspace.update_user(conn, user.id, active=False)
    assert client.get("/cases").headers["location"] == "/login"


def _attempt(client: TestClient, name: str, password: str) -> int:
    form = client.get("/login")
    response = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": csrf_of(form.text)}
    )
    return int(response.status_code)


def test_account_locks_after_repeated_failures(client: TestClient) -> None:
    # limits fixture: 3 failures per account lock it
    assert [_attempt(client, "ada", "wrong password!") for _ in range(3)] == [401, 401, 401]
    assert _attempt(client, "ada", PASSWORD) == 429  # locked even with the right password
    assert _attempt(client, "abe", PASSWORD) == 303  # other accounts are not


def test_address_is_blocked_after_many_failures(client: TestClient) -> None:
    # 8 failures from one address across accounts block the address
    for i in range(8):
        assert _attempt(client, f"nobody{i}", "wrong") == 401
    assert _attempt(client, "abe", PASSWORD) == 429


def test_success_clears_account_failures(client: TestClient) -> None:
    assert _attempt(client, "ada", "bad") == 401
    assert _attempt(client, "ada", "bad") == 401
    assert _attempt(client, "ada", PASSWORD) == 303
    assert _attempt(client, "ada", "bad") == 401
    assert _attempt(client, "ada", PASSWORD) == 303


def test_production_hashing_is_rfc_9106_low_memory_argon2id(web_store: Store) -> None:
    from argon2.profiles import RFC_9106_LOW_MEMORY

    from bidvet.web import create_app
    from bidvet.web.security import PRODUCTION_HASHING, PasswordHashing, hash_password
    from bidvet.web.state import AppState

    cost = (RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost)
    assert (PRODUCTION_HASHING.time_cost, PRODUCTION_HASHING.memory_kib) == cost
    assert PRODUCTION_HASHING.parallelism == RFC_9106_LOW_MEMORY.parallelism
    assert hash_password("a long enough password").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    app_state = create_app(store=web_store).state.bidvet
    assert isinstance(app_state, AppState) and app_state.password_hashing == PRODUCTION_HASHING
    try:
        PasswordHashing(time_cost=1, memory_kib=4, parallelism=1)
    except ValueError as exc:
        assert "out of range" in str(exc)
    else:
        raise AssertionError("argon2id below 8 KiB per lane was accepted")


def test_test_accounts_are_argon2id_at_the_apps_cost(client: TestClient, web_store: Store) -> None:
    """The tests' cheap profile is still argon2id; accounts added in the app use its setting."""
    with web_store.read() as conn:
        ada = workspace.user_by_name(conn, "ada")
    assert ada is not None and ada.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    token = login(client, "ann")
    added = client.post("/users", data={"csrf_token": token, "name": "newbie", "role": "auditor"})
    assert added.status_code == 200
    with web_store.read() as conn:
        newbie = workspace.user_by_name(conn, "newbie")
    assert newbie is not None and newbie.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
