"""The hash-chained audit log: appends from the app, verification, tampering detected."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner
from fastapi.testclient import TestClient

from bidvet.cli.app import cli
from bidvet.store import audit
from bidvet.store.db import Store
from tests.web.conftest import login


def _log(store: Store) -> None:
    store.audit(actor="x", action="test", object_type="thing", object_id=1, details={"a": "é"})
    store.audit(actor="y", action="test", object_type="thing", object_id=2)
    store.audit(actor="z", action="test", object_type="thing", object_id=3)


def test_app_actions_are_logged_and_chain_verifies(client: TestClient, web_store: Store) -> None:
    login(client, "ada")
    form = client.get("/login")
    client.post("/login", data={"name": "ada", "password": "nope", "csrf_token": "x"})
    del form
    with web_store.read() as conn:
        actions = [e.action for e in audit.entries(conn)]
        result = audit.verify(conn)
    assert "login" in actions and actions.count("user-add") == 6, actions
    assert result.ok and result.entries == len(actions), result


def test_entry_hash_follows_the_documented_serialisation(web_store: Store) -> None:
    import hashlib
    import json

    entry = web_store.audit(actor="x", action="a", object_type="t", object_id="o", details={})
    body = json.dumps(
        {
            "action": "a",
            "actor": "x",
            "at": entry.at,
            "details": {},
            "object_id": "o",
            "object_type": "t",
            "seq": entry.seq,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert entry.hash == hashlib.sha256(f"{entry.prev_hash}\n{body}".encode()).hexdigest()


def _verify(store: Store) -> audit.Verification:
    with store.read() as conn:
        return audit.verify(conn)


def test_an_edited_entry_is_named(web_store: Store) -> None:
    _log(web_store)
    with web_store.transaction() as conn:
        conn.execute(sa.text("UPDATE ws_audit SET actor = 'mallory' WHERE seq = 8"))
    result = _verify(web_store)
    assert (result.ok, result.seq, result.problem) == (False, 8, "altered"), result


def test_a_removed_entry_is_named(web_store: Store) -> None:
    _log(web_store)
    with web_store.transaction() as conn:
        conn.execute(sa.text("DELETE FROM ws_audit WHERE seq = 7"))
    result = _verify(web_store)
    assert (result.ok, result.seq, result.problem) == (False, 7, "removed"), result


def test_an_inserted_entry_is_named(web_store: Store) -> None:
    _log(web_store)
    with web_store.transaction() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO ws_audit VALUES (10, '2026-01-01T00:00:00.000000Z', 'mallory', "
                "'sign-off', 'decision', '1', '{}', :prev, :h)"
            ),
            {"prev": "1" * 64, "h": "2" * 64},
        )
    result = _verify(web_store)
    assert (result.ok, result.seq, result.problem) == (False, 10, "inserted"), result


def test_cli_audit_verify(web_store: Store) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["--db", web_store.url, "audit", "verify", "--json"])
    assert ok.exit_code == 0 and '"ok": true' in ok.output, ok.output
    with web_store.transaction() as conn:
        conn.execute(sa.text('UPDATE ws_audit SET details = \'{"role":"admin"}\' WHERE seq = 2'))
    broken = runner.invoke(cli, ["--db", web_store.url, "audit", "verify"])
    assert broken.exit_code == 1
    assert "entry 2 altered" in str(broken.exception) + broken.output


def test_cli_users_add_and_list(tmp_path: object) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path}/u.db"
    added = runner.invoke(cli, ["--db", db, "users", "add", "boss", "--role", "admin"])
    assert added.exit_code == 0, added.output
    password = added.output.strip().splitlines()[0]
    assert len(password) >= 16
    given = runner.invoke(
        cli,
        ["--db", db, "users", "add", "eve", "--role", "auditor", "--password-stdin"],
        input="a long enough password\n",
    )
    assert given.exit_code == 0
    listed = runner.invoke(cli, ["--db", db, "users", "list"])
    assert listed.output.splitlines() == ["boss\tadmin\tactive", "eve\tauditor\tactive"]
