"""Fixtures of the workspace tests: an app over a fresh SQLite store, one account per role.

Passwords are hashed with :data:`TEST_HASHING` (argon2id at its lowest cost) through the app's
``password_hashing`` setting, and the store with its six accounts is built once per session and
copied for each test, so every test still starts from its own fresh store.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bidvet.store.db import Store
from bidvet.web import create_app
from bidvet.web.accounts import create_user
from bidvet.web.security import TEST_HASHING, Limits

ROOT = Path(__file__).resolve().parents[2]
EMBASSY = ROOT / "examples" / "embassy-scanners"
PASSWORD = "correct horse battery staple"
#: one account per role, plus a second assessor and reviewer (four eyes)
ACCOUNTS = {
    "ada": "assessor",
    "abe": "assessor",
    "rui": "reviewer",
    "rita": "reviewer",
    "ann": "admin",
    "aud": "auditor",
}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_accounts(store: Store) -> None:
    """The accounts of :data:`ACCOUNTS`, all with :data:`PASSWORD`, hashed at test cost."""
    for name, role in ACCOUNTS.items():
        create_user(store, name, role, actor="test", password=PASSWORD, hashing=TEST_HASHING)


@pytest.fixture(scope="session")
def accounts_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite store holding the accounts, built once; tests get copies."""
    path = tmp_path_factory.mktemp("web-template") / "workspace.db"
    store = Store(f"sqlite:///{path}")
    add_accounts(store)
    store.dispose()
    return path


@pytest.fixture
def web_store(tmp_path: Path, accounts_db: Path) -> Iterator[Store]:
    path = tmp_path / "workspace.db"
    for suffix in ("", "-wal"):  # a WAL file is normally checkpointed away on dispose
        source = accounts_db.with_name(accounts_db.name + suffix)
        if source.exists():
            shutil.copyfile(source, path.with_name(path.name + suffix))
    store = Store(f"sqlite:///{path}")
    yield store
    store.dispose()


@pytest.fixture
def limits() -> Limits:
    return Limits(session_seconds=3600, account_failures=3, address_failures=8, window_seconds=600)


@pytest.fixture
def app(web_store: Store, limits: Limits) -> FastAPI:
    return create_app(store=web_store, limits=limits, password_hashing=TEST_HASHING)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as c:
        yield c


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, f"no csrf_token field in {html[:300]!r}"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log ``client`` in as ``name``; returns the session's CSRF token."""
    client.cookies.clear()
    form = client.get("/login")
    response = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": csrf_of(form.text)}
    )
    assert response.status_code == 303, response.text[:500]
    return csrf_of(client.get("/cases").text)
