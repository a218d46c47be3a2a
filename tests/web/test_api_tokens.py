"""API tokens: made on the My tokens page or by ``bidvet users token``, shown once, stored
hashed, scoped, revocable, audited; machine routes take only tokens, pages only sessions."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bidvet.errors import InputError
from bidvet.store import api_tokens, audit, workspace
from bidvet.store.db import Store
from bidvet.web.api_auth import create_token
from bidvet.web.security import token_hash
from tests.cli_helpers import run_cli
from tests.web.conftest import login

SCREEN = {"names": [{"name": "Kestrel Imaging"}]}


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_token_made_on_the_page_is_shown_once_and_stored_hashed(
    client: TestClient, web_store: Store
) -> None:
    csrf = login(client, "ada")
    made = client.post("/tokens", data={"csrf_token": csrf, "name": "e-procurement"})
    assert made.status_code == 200, made.text[:500]
    shown = re.search(r"<code>(bv_[A-Za-z0-9_-]{40,})</code>", made.text)
    assert shown, made.text[:2000]
    secret = shown.group(1)
    assert secret not in client.get("/tokens").text, "a token is shown only once"
    with web_store.read() as conn:
        rows = conn.execute(sa.text("SELECT token_hash, role, name FROM ws_api_tokens")).all()
        actions = [(e.action, e.actor) for e in audit.entries(conn)]
    assert rows == [(token_hash(secret), "assessor", "e-procurement")]
    assert ("token-create", "ada") in actions
    ok = client.post("/api/v1/screen", json=SCREEN, headers=_bearer(secret))
    assert ok.status_code == 200, ok.text


def test_token_form_needs_the_csrf_token(client: TestClient) -> None:
    login(client, "ada")
    refused = client.post("/tokens", data={"csrf_token": "forged", "name": "x"})
    assert refused.status_code == 403


def test_revoked_token_is_refused_and_revocation_is_audited(
    client: TestClient, web_store: Store
) -> None:
    secret = create_token(web_store, "rui", "script", role=None, actor="test")
    assert client.post("/api/v1/screen", json=SCREEN, headers=_bearer(secret)).status_code == 200
    with web_store.read() as conn:
        rui = workspace.user_by_name(conn, "rui")
        assert rui is not None
        (tok,) = api_tokens.tokens_of(conn, rui.id)
    assert tok.last_used_at is not None, "use is recorded"
    other = login(client, "ada")
    assert client.post(f"/tokens/{tok.id}/revoke", data={"csrf_token": other}).status_code == 400
    own = login(client, "rui")
    assert client.post(f"/tokens/{tok.id}/revoke", data={"csrf_token": own}).status_code == 303
    refused = client.post("/api/v1/screen", json=SCREEN, headers=_bearer(secret))
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
    assert "revoked" in client.get("/tokens").text
    with web_store.read() as conn:
        assert [e.actor for e in audit.entries(conn, action="token-revoke")] == ["rui"]


def test_scope_is_the_role_or_read_only(web_store: Store, client: TestClient) -> None:
    with pytest.raises(InputError, match="cannot have the 'admin' scope"):
        create_token(web_store, "ada", "too wide", role="admin", actor="test")
    reader = create_token(web_store, "ada", "read only", role="reader", actor="test")
    tender = {"tender_yaml": "bidvet: tender/1\ntitle: x\n"}
    refused = client.post("/api/v1/assess", json=tender, headers=_bearer(reader))
    assert refused.status_code == 403, refused.text
    assert client.post("/api/v1/screen", json=SCREEN, headers=_bearer(reader)).status_code == 200


def test_a_role_change_or_disabled_user_voids_the_token(
    client: TestClient, web_store: Store
) -> None:
    secret = create_token(web_store, "abe", "old role", role=None, actor="test")
    reader = create_token(web_store, "abe", "reader", role="reader", actor="test")
    with web_store.transaction() as conn:
        abe = workspace.user_by_name(conn, "abe")
        assert abe is not None
        workspace.update_user(conn, abe.id, role="auditor")
    assert client.post("/api/v1/screen", json=SCREEN, headers=_bearer(secret)).status_code == 401
    assert client.post("/api/v1/screen", json=SCREEN, headers=_bearer(reader)).status_code == 200
    with web_store.transaction() as conn:
        workspace.update_user(conn, abe.id, active=False)
    assert client.post("/api/v1/screen", json=SCREEN, headers=_bearer(reader)).status_code == 401


def test_machine_routes_ignore_the_session_and_pages_ignore_tokens(
    client: TestClient, web_store: Store
) -> None:
    login(client, "ada")  # the client now carries a live session cookie
    assert client.post("/api/v1/screen", json=SCREEN).status_code == 401
    secret = create_token(web_store, "ada", "t", role=None, actor="test")
    client.cookies.clear()
    page = client.get("/cases", headers=_bearer(secret))
    assert page.status_code == 303 and page.headers["location"] == "/login"
    for bad in ("Basic abc", "Bearer", "Bearer not-a-token"):
        refused = client.post("/api/v1/screen", json=SCREEN, headers={"Authorization": bad})
        assert refused.status_code == 401, bad


def test_cli_makes_a_token(web_store: Store) -> None:
    result = run_cli("users", "token", "aud", "--name", "committee", db=web_store.url)
    assert result.exit_code == 0, result.stderr
    secret = result.stdout.strip()
    assert secret.startswith("bv_")
    with web_store.read() as conn:
        found = api_tokens.holder(conn, token_hash(secret))
    assert found is not None and found[0].role == "auditor" and found[1].name == "aud"
    wrong = run_cli("users", "token", "aud", "--name", "x", "--role", "admin", db=web_store.url)
    assert wrong.exit_code == 1 and "scope" in wrong.stderr, wrong.stderr
