"""Passwords, tokens and the response headers of the workspace.

* Passwords: argon2id, PHC strings. The cost is the app's :class:`PasswordHashing` setting
  (``create_app(password_hashing=...)``); the default, :data:`PRODUCTION_HASHING`, is RFC 9106's
  low-memory profile (t=3, 64 MiB, p=4). A stored hash carries its own parameters, so accounts
  hashed at another cost still verify.
* Session tokens: 32 random bytes, URL-safe; only their SHA-256 is stored, so a copy of the
  database does not hand out live sessions.
* CSRF: one random token per session, embedded in every form and compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

SESSION_COOKIE = "bidvet_session"
LOGIN_CSRF_COOKIE = "bidvet_login_csrf"

#: sent with every response (pages, files, errors)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}
#: the exported report (self-contained HTML with its own inline style): no script at all
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


@dataclass(frozen=True)
class Limits:
    """Sessions and login throttling."""

    session_seconds: float = 8 * 3600
    #: failed logins of one account within ``window_seconds`` that lock it for the window
    account_failures: int = 5
    #: failed logins from one client address within the window that block it for the window
    address_failures: int = 20
    window_seconds: float = 15 * 60


@dataclass(frozen=True)
class PasswordHashing:
    """The argon2id cost of new password hashes: a setting of the app (``create_app``).

    Always argon2id with a 16-byte salt and a 32-byte hash; only the cost varies. Deployments
    keep :data:`PRODUCTION_HASHING` (or raise it); :data:`TEST_HASHING` exists so that test
    suites creating many accounts run fast, and must not be used for real accounts.
    """

    #: passes over memory
    time_cost: int = 3
    #: memory in KiB
    memory_kib: int = 64 * 1024
    #: lanes
    parallelism: int = 4

    def __post_init__(self) -> None:
        if self.time_cost < 1 or self.parallelism < 1 or self.memory_kib < 8 * self.parallelism:
            raise ValueError(f"argon2id parameters out of range: {self}")

    def hasher(self) -> PasswordHasher:
        return _hasher(self)


#: RFC 9106 section 4, second recommended option (argon2-cffi's default profile)
PRODUCTION_HASHING = PasswordHashing()
#: the cheapest argon2id parameters: for test suites only
TEST_HASHING = PasswordHashing(time_cost=1, memory_kib=8, parallelism=1)


@lru_cache(maxsize=8)
def _hasher(cost: PasswordHashing) -> PasswordHasher:
    return PasswordHasher(
        time_cost=cost.time_cost,
        memory_cost=cost.memory_kib,
        parallelism=cost.parallelism,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


def hash_password(password: str, hashing: PasswordHashing = PRODUCTION_HASHING) -> str:
    return hashing.hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (at the cost recorded in ``stored``)."""
    try:
        return PRODUCTION_HASHING.hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_verify(password: str, hashing: PasswordHashing = PRODUCTION_HASHING) -> None:
    """Spend the time of one verification at ``hashing``'s cost (an unknown account answers as
    slowly as a known one)."""
    verify_password(_dummy_hash(hashing), password)


@lru_cache(maxsize=8)
def _dummy_hash(hashing: PasswordHashing) -> str:
    return hash_password(secrets.token_urlsafe(16), hashing)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def generate_password() -> str:
    """A one-time password: 20 URL-safe characters (about 120 bits)."""
    return secrets.token_urlsafe(15)


MIN_PASSWORD = 12
