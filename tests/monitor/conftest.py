"""Fixtures of the monitoring tests: a store URL on each backend (PostgreSQL when
``BIDVET_TEST_PG`` names a server, see tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import _pg_store


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh store: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'monitor.db'}"
        return
    made = _pg_store()
    store = next(made)
    url = store.url
    store.dispose()
    yield url
    next(made, None)
