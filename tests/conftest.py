"""Shared fixtures.

``store`` runs a test against SQLite and, when ``BIDVET_TEST_PG`` names a PostgreSQL server,
against PostgreSQL too (a fresh database per test). CI sets ``BIDVET_REQUIRE_PG=1`` so a missing
server fails instead of skipping.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bidvet.store.db import Store

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PG_URL = os.environ.get("BIDVET_TEST_PG", "")


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never depend on the calendar."""
    monkeypatch.setenv("BIDVET_TODAY", "2026-11-25")


@pytest.fixture
def shared_data() -> Path:
    """The real public data in ../shared/data; tests using it skip where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real public data not found at {SHARED_DATA}")
    return SHARED_DATA


def _pg_store() -> Iterator[Store]:
    if not PG_URL:
        if os.environ.get("BIDVET_REQUIRE_PG"):
            pytest.fail("BIDVET_REQUIRE_PG is set but BIDVET_TEST_PG is empty")
        pytest.skip("no PostgreSQL server: set BIDVET_TEST_PG=postgresql://…")
    name = f"bidvet_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(
        PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    store = Store(url)
    try:
        yield store
    finally:
        store.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated knowledge store on each backend."""
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'store.db'}")
        yield s
        s.dispose()
    else:
        yield from _pg_store()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store, for tests whose subject is not the backend."""
    s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.dispose()


@pytest.fixture
def another_thread() -> Iterator[None]:
    """A second thread running, as in the workspace's server."""
    done = threading.Event()
    thread = threading.Thread(target=done.wait, daemon=True)
    thread.start()
    yield
    done.set()
    thread.join()
