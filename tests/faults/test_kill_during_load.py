"""SIGKILL a running ``bidvet load`` at random moments: the store is never left half-written.

Each round starts from a copy of a store holding an older publication, runs
``python -m bidvet load`` on a newer, larger one (fictional entries, written by the test) and
kills it after a random delay. Afterwards the store's content digest (load times left out) must be
the digest from before the load or that of a clean, complete load — nothing in between. The
random delays are seeded; the seed is printed (set ``BIDVET_FAULT_SEED`` to replay a run).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.conftest import PG_URL
from tests.store.sdn_files import fictional_entries, write_sdn

ROUNDS = 20
ENTRIES = 600


def _digest(url: str) -> str:
    store = Store(url, migrate=False)
    try:
        return store.content_digest(include_load_times=False)
    finally:
        store.dispose()


def _start_load(url: str, path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BIDVET_DB": url, "BIDVET_LOG_LEVEL": "ERROR"}
    return subprocess.Popen(
        [sys.executable, "-m", "bidvet", "load", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


class Copies:
    """Fresh copies of a base store, on one backend."""

    def __init__(self, base_url: str, make: Callable[[str], str], drop: Callable[[str], None]):
        self.base_url = base_url
        self._make = make
        self._drop = drop

    @contextmanager
    def copy(self) -> Iterator[str]:
        name = uuid.uuid4().hex[:12]
        url = self._make(name)
        try:
            yield url
        finally:
            self._drop(url)


def _sqlite_copies(tmp_path: Path) -> Iterator[Copies]:
    base = tmp_path / "base.db"

    def make(name: str) -> str:
        target = tmp_path / f"run-{name}.db"
        shutil.copyfile(base, target)
        return f"sqlite:///{target}"

    def drop(url: str) -> None:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    yield Copies(f"sqlite:///{base}", make, drop)


def _pg_copies() -> Iterator[Copies]:
    if not PG_URL:
        pytest.skip("no PostgreSQL server: set BIDVET_TEST_PG=postgresql://…")
    admin = sa.create_engine(
        PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    server = PG_URL.rsplit("/", 1)[0]
    base = f"bidvet_fault_{uuid.uuid4().hex[:12]}"
    made: list[str] = [base]
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{base}"'))

    def make(name: str) -> str:
        db = f"bidvet_fault_{name}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{db}" TEMPLATE "{base}"'))
        made.append(db)
        return f"{server}/{db}"

    def drop(url: str) -> None:
        db = url.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        made.remove(db)

    try:
        yield Copies(f"{server}/{base}", make, drop)
    finally:
        with admin.connect() as conn:
            for db in made:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def copies(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Copies]:
    if request.param == "sqlite":
        yield from _sqlite_copies(tmp_path)
    else:
        yield from _pg_copies()


def test_a_load_killed_at_any_moment_leaves_the_store_before_or_after(
    copies: Copies, tmp_path: Path
) -> None:
    entries = fictional_entries(ENTRIES)
    older = write_sdn(tmp_path / "older.xml", dt.date(2024, 1, 10), entries[: ENTRIES // 2])
    newer = write_sdn(tmp_path / "newer.xml", dt.date(2024, 3, 5), entries[ENTRIES // 4 :])
    base = Store(copies.base_url)
    load_file(base, older)
    base.dispose()
    before = _digest(copies.base_url)

    with copies.copy() as url:
        started = time.monotonic()
        done = _start_load(url, newer)
        _, err = done.communicate(timeout=300)
        clean_seconds = time.monotonic() - started
        assert done.returncode == 0, err.decode()
        after = _digest(url)
    assert after != before

    # the same command on a missing file: start-up and opening the store, no load
    with copies.copy() as url:
        started = time.monotonic()
        _start_load(url, tmp_path / "missing.xml").communicate(timeout=300)
        startup_seconds = min(time.monotonic() - started, clean_seconds)

    seed = int(os.environ.get("BIDVET_FAULT_SEED") or time.time_ns() % 2**32)
    print(
        f"fault injection seed {seed}; a clean load takes {clean_seconds:.2f} s, "
        f"{startup_seconds:.2f} s of it start-up"
    )
    rng = random.Random(seed)
    outcomes = {"before": 0, "after": 0}
    killed = 0
    # most kills land while the file is parsed and written, a few during start-up
    window = (0.8 * startup_seconds, 0.95 * clean_seconds)
    for round_no in range(ROUNDS):
        delay = rng.uniform(*window)
        with copies.copy() as url:
            proc = _start_load(url, newer)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                killed += 1
            state = _digest(url)
        assert state in (before, after), (
            f"round {round_no} (seed {seed}, kill after {delay:.2f} s): the store holds "
            "neither the state before the load nor the state after it"
        )
        outcomes["before" if state == before else "after"] += 1
    print(f"killed {killed} of {ROUNDS} loads; store states: {outcomes}")
    assert killed >= ROUNDS // 4, (killed, seed)  # the kills did happen
