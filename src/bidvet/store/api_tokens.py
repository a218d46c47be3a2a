"""Per-user API tokens of the workspace (``ws_api_tokens``): the SQL of ``bidvet users token``,
the "My tokens" page and the bearer authentication of ``/api/v1``, ``/match`` and ``/reconcile``.

A token is stored as its SHA-256 only, with the first characters of the token (``prefix``) so its
owner can tell tokens apart. ``role`` is the scope it was created with: the user's role, or the
read-only :data:`READER` scope. Like :mod:`bidvet.store.workspace`, every function takes a
connection; the caller appends the audit entry in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.store import schema as s
from bidvet.store.rows import insert_id
from bidvet.store.workspace import User, _user

#: the read-only scope any account may give a token: screen, match, reconcile, read decisions
READER = "reader"


@dataclass(frozen=True)
class ApiToken:
    id: int
    user_id: int
    name: str
    prefix: str
    role: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _token(row: Any) -> ApiToken:
    m = row._mapping
    return ApiToken(
        id=int(m["id"]),
        user_id=int(m["user_id"]),
        name=str(m["name"]),
        prefix=str(m["prefix"]),
        role=str(m["role"]),
        created_at=str(m["created_at"]),
        last_used_at=m["last_used_at"],
        revoked_at=m["revoked_at"],
    )


_COLUMNS = tuple(c for c in s.ws_api_tokens.c if c.name != "token_hash")


def add_token(
    conn: Connection, *, user_id: int, name: str, token_hash: str, prefix: str, role: str, at: str
) -> int:
    return insert_id(
        conn,
        s.ws_api_tokens,
        user_id=user_id,
        name=name,
        token_hash=token_hash,
        prefix=prefix,
        role=role,
        created_at=at,
    )


def tokens_of(conn: Connection, user_id: int) -> list[ApiToken]:
    """The user's tokens, newest first (revoked ones included)."""
    t = s.ws_api_tokens
    rows = conn.execute(sa.select(*_COLUMNS).where(t.c.user_id == user_id).order_by(t.c.id.desc()))
    return [_token(r) for r in rows]


def token(conn: Connection, token_id: int) -> ApiToken | None:
    t = s.ws_api_tokens
    row = conn.execute(sa.select(*_COLUMNS).where(t.c.id == token_id)).first()
    return None if row is None else _token(row)


def revoke(conn: Connection, token_id: int, at: str) -> bool:
    """Revoke a live token; ``False`` when it was already revoked."""
    t = s.ws_api_tokens
    result = conn.execute(
        t.update().where(t.c.id == token_id, t.c.revoked_at.is_(None)).values(revoked_at=at)
    )
    return bool(result.rowcount == 1)


def holder(conn: Connection, token_hash: str) -> tuple[ApiToken, User] | None:
    """The unrevoked token with this hash and its active user, or ``None``."""
    t, u = s.ws_api_tokens, s.ws_users
    row = conn.execute(
        sa.select(*(c.label(f"t_{c.name}") for c in _COLUMNS), u)
        .join(u, u.c.id == t.c.user_id)
        .where(t.c.token_hash == token_hash, t.c.revoked_at.is_(None), u.c.active.is_(True))
    ).first()
    if row is None:
        return None
    m = row._mapping
    found = ApiToken(
        id=int(m["t_id"]),
        user_id=int(m["t_user_id"]),
        name=str(m["t_name"]),
        prefix=str(m["t_prefix"]),
        role=str(m["t_role"]),
        created_at=str(m["t_created_at"]),
        last_used_at=m["t_last_used_at"],
        revoked_at=m["t_revoked_at"],
    )
    return found, _user(row)


def touch(conn: Connection, token_id: int, at: str) -> None:
    """Record when the token was last used."""
    t = s.ws_api_tokens
    conn.execute(t.update().where(t.c.id == token_id).values(last_used_at=at))
