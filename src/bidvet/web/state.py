"""The application's state: its store, limits and settings (one per app, no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from fastapi import Request

from bidvet.store.db import Store
from bidvet.web.data_cache import DataCache
from bidvet.web.run_cache import RunCache
from bidvet.web.security import PRODUCTION_HASHING, Limits, PasswordHashing


@dataclass
class AppState:
    store: Store
    limits: Limits
    #: True: cookies always carry Secure; False: never; None: when the request came by https
    secure_cookies: bool | None
    #: the argon2id cost of password hashes the app makes (new accounts, the dummy verification)
    password_hashing: PasswordHashing = PRODUCTION_HASHING
    #: this worker's parsed reports and bidder-page views of assessment runs
    runs: RunCache = field(default_factory=RunCache)
    #: this worker's searches and entity pages, while the store's knowledge is unchanged
    answers: DataCache = field(default_factory=DataCache)


def state(request: Request) -> AppState:
    return cast(AppState, request.app.state.bidvet)
