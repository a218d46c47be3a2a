"""``scripts/serve``: first admin with a one-time password, demo data, and a served workspace.

Setup (``scripts/setup``) is skipped with ``BIDVET_SKIP_SETUP=1``: the test runs in the
environment it checks. The official lists come from a temporary folder laid out like
``../shared/data`` holding a link to one real list (the OFAC consolidated list, when present).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from bidvet.store import workspace
from bidvet.store.db import Store
from bidvet.web import create_app
from tests.conftest import SHARED_DATA
from tests.web.conftest import ROOT, csrf_of
from tests.web.server import free_port, stop, wait_for

SCRIPT = ROOT / "scripts" / "serve"
OFAC = Path("official-lists-2024") / "consolidated.xml"


def _env(tmp_path: Path, db: str, **extra: str) -> dict[str, str]:
    shared = tmp_path / "shared"
    if (SHARED_DATA / OFAC).exists() and not (shared / OFAC).exists():
        (shared / OFAC).parent.mkdir(parents=True)
        (shared / OFAC).symlink_to(SHARED_DATA / OFAC)
    shared.mkdir(exist_ok=True)
    return {
        **os.environ,
        "BIDVET_DB": db,
        "BIDVET_SKIP_SETUP": "1",
        "BIDVET_SHARED_DATA": str(shared),
        **extra,
    }


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(SCRIPT), "--no-serve"], env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _datasets(store: Store) -> list[str]:
    with store.view() as view:
        return sorted(s.dataset for s in view.snapshots())


def test_serve_script_creates_an_admin_loads_demo_data_and_serves(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'workspace.db'}"
    env = _env(tmp_path, db)
    first = _run(env)
    found = re.search(r"One-time password: (\S+)", first.stdout)
    assert found, first.stdout
    password = found.group(1)
    assert "users add alice --role assessor" in first.stdout
    assert "users add bob --role reviewer" in first.stdout

    store = Store(db)
    try:
        with store.read() as conn:
            assert [(u.name, u.role) for u in workspace.users(conn)] == [("admin", "admin")]
        loaded = _datasets(store)
        assert "reference-nuctech" in loaded, loaded  # bidvet knowledge install
        if (SHARED_DATA / OFAC).exists():
            assert "us-ofac-consolidated" in loaded, loaded
        with TestClient(create_app(store=store), follow_redirects=False) as client:
            form = client.get("/login")
            response = client.post(
                "/login",
                data={"name": "admin", "password": password, "csrf_token": csrf_of(form.text)},
            )
            assert response.status_code == 303, "the printed password logs the admin in"

        again = _run(env)  # a second run: no second admin, no list loaded twice
        assert "One-time password" not in again.stdout and "loading" not in again.stderr
        with store.read() as conn:
            assert len(workspace.users(conn)) == 1
        assert _datasets(store) == loaded
    finally:
        store.dispose()

    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(SCRIPT)],
            env=_env(tmp_path, db, PORT=str(port)),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/login", proc, log)
        probe = httpx.head(f"http://127.0.0.1:{port}/login")
        assert probe.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/cases").status_code == 303
    finally:
        stop(proc)
    assert proc.returncode in (0, -signal.SIGTERM), log.read_text()


def test_serve_script_refuses_unknown_arguments(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(SCRIPT), "--bogus"],
        env=_env(tmp_path, f"sqlite:///{tmp_path / 'x.db'}"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "usage" in done.stderr
    assert not (tmp_path / "x.db").exists()
