"""Creating accounts, shared by ``bidvet users add`` and the admin page."""

from __future__ import annotations

from bidvet.errors import InputError
from bidvet.store import audit, workspace
from bidvet.store.db import Store
from bidvet.web.security import (
    MIN_PASSWORD,
    PRODUCTION_HASHING,
    PasswordHashing,
    generate_password,
    hash_password,
)


def create_user(
    store: Store,
    name: str,
    role: str,
    *,
    actor: str,
    password: str | None = None,
    hashing: PasswordHashing = PRODUCTION_HASHING,
) -> str:
    """Add an active account and return its password (generated when not given); audited.

    ``hashing``: the argon2id cost of the stored hash (the app's setting; production default).
    """
    if role not in workspace.ROLES:
        raise InputError(
            None, f"unknown role {role!r}", fix=f"use one of {', '.join(workspace.ROLES)}"
        )
    if password is not None and len(password) < MIN_PASSWORD:
        raise InputError(
            None,
            f"the password has fewer than {MIN_PASSWORD} characters",
            fix="choose a longer one, or let bidvet generate one",
        )
    secret = password if password is not None else generate_password()
    hashed = hash_password(secret, hashing)
    with store.transaction() as conn:
        if workspace.user_by_name(conn, name) is not None:
            raise InputError(None, f"user {name!r} exists", fix="choose another name")
        workspace.add_user(conn, name=name, password_hash=hashed, role=role, at=audit.now_text())
        audit.append(
            conn,
            actor=actor,
            action="user-add",
            object_type="user",
            object_id=name,
            details={"role": role},
        )
    return secret
