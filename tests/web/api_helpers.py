"""Helpers of the entity, API, match and reconciliation tests: the fictional embassy vendors
loaded into the workspace store, and bearer headers for a user's token."""

from __future__ import annotations

import bidvet
from bidvet.store.db import Store
from bidvet.web.api_auth import create_token
from tests.web.conftest import EMBASSY


def load_vendors(store: Store) -> None:
    """The embassy example's FICTIONAL vendors: owners, an invented listing, identifiers."""
    bidvet.load(store, EMBASSY / "vendors.yaml")


def bearer(store: Store, user: str, role: str | None = None) -> dict[str, str]:
    secret = create_token(store, user, f"test token of {user}", role=role, actor="test")
    return {"Authorization": f"Bearer {secret}"}
