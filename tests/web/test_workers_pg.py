"""Several uvicorn workers against one PostgreSQL store (the team set-up of ``bidvet serve``).

``bidvet serve --workers 2`` is started on a fresh PostgreSQL database; parallel threads log in,
create cases, upload the embassy example and run its assessment, each over its own connection,
so the requests are spread over both worker processes. Afterwards the audit chain verifies
(``bidvet audit verify``: no gap, no fork), every action is in it once, and every case exists
once. Skipped without ``BIDVET_TEST_PG``, like the other PostgreSQL tests.
"""

from __future__ import annotations

import collections
import json
import subprocess
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from bidvet.store import audit, workspace
from bidvet.store.db import Store
from tests.conftest import _pg_store
from tests.web.conftest import ACCOUNTS, EMBASSY, PASSWORD, add_accounts, csrf_of
from tests.web.server import bidvet_command, serving

T = TypeVar("T")
ASSESSORS = [name for name, role in ACCOUNTS.items() if role == "assessor"]
CASES_PER_SESSION = 4


@pytest.fixture
def pg_store() -> Iterator[Store]:
    yield from _pg_store()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks


def _workers(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]


def _parallel(jobs: Sequence[Callable[[], T]]) -> list[T]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda job: job(), jobs))


class User:
    """One browser-like session: its own HTTP connection, cookies and CSRF token."""

    def __init__(self, base: str, name: str) -> None:
        self.name = name
        self.http = httpx.Client(base_url=base, timeout=300, follow_redirects=False)
        form = self.http.get("/login")
        response = self.http.post(
            "/login",
            data={"name": name, "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        )
        assert response.status_code == 303, (name, response.status_code, response.text[:300])
        self.token = csrf_of(self.http.get("/cases").text)

    def new_case(self, title: str) -> str:
        response = self.http.post(
            "/cases",
            data={
                "csrf_token": self.token,
                "title": title,
                "buyer": "Fictional ministry of examples",
                "country": "ca",
                "site_type": "office",
                "site_label": "Head office",
                "items": "Desktop computers",
            },
        )
        assert response.status_code == 303, response.text[:500]
        return str(response.headers["location"])

    def upload_embassy(self) -> str:
        files = [
            ("tender", ("tender.yaml", (EMBASSY / "tender.yaml").read_bytes(), "text/yaml")),
            ("files", ("vendors.yaml", (EMBASSY / "vendors.yaml").read_bytes(), "text/yaml")),
            (
                "files",
                (
                    "answers-borealis.yaml",
                    (EMBASSY / "answers-borealis.yaml").read_bytes(),
                    "text/yaml",
                ),
            ),
        ]
        response = self.http.post("/cases/upload", data={"csrf_token": self.token}, files=files)
        assert response.status_code == 303, response.text[:500]
        return str(response.headers["location"])

    def cases_status(self) -> int:
        return int(self.http.get("/cases").status_code)

    def assess(self, case_url: str) -> int:
        response = self.http.post(
            f"{case_url}/assess", data={"csrf_token": self.token, "as_of": "2021-01-01"}
        )
        assert response.status_code == 303, response.text.split("<main>", 1)[-1][:800]
        return int(self.http.get(case_url).status_code)


def test_two_workers_on_postgresql_keep_one_audit_chain(pg_store: Store, tmp_path: Path) -> None:
    add_accounts(pg_store)
    url = pg_store.url
    with serving(url, tmp_path / "server.log", workers=2) as (base, proc):
        workers = _workers(proc.pid)
        assert len(workers) >= 2, f"expected two worker processes, found {workers}"
        before = {pid: _cpu_seconds(pid) for pid in workers}

        # concurrent logins: every account twice, each session on its own connection
        names = [*ACCOUNTS, *ACCOUNTS]
        users = _parallel([partial(User, base, n) for n in names])
        assessors = [u for u in users if u.name in ASSESSORS]

        # concurrent case creation, and the embassy example uploaded twice
        titles = [
            f"Parallel case {i}-{j} by {u.name}"
            for i, u in enumerate(assessors)
            for j in range(CASES_PER_SESSION)
        ]
        makers = [u for u in assessors for _ in range(CASES_PER_SESSION)]
        created = _parallel(
            [partial(u.new_case, t) for u, t in zip(makers, titles, strict=True)]
            + [u.upload_embassy for u in assessors[:2]]
        )
        assert len(set(created)) == len(created), "two requests were given the same case"
        uploads = created[-2:]

        # two assessments at once (both load the example's knowledge), with page views beside
        shown = _parallel(
            [partial(u.assess, c) for u, c in zip(assessors[:2], uploads, strict=True)]
            + [u.cases_status for u in users]
        )
        assert set(shown) == {200}
        for u in users:
            u.http.close()

        after = {pid: _cpu_seconds(pid) for pid in workers}
        busy = [pid for pid in workers if after[pid] - before[pid] >= 0.05]
        assert len(busy) >= 2, f"requests did not reach both workers: {before} -> {after}"

    checked = subprocess.run(
        [*bidvet_command(), "--db", url, "audit", "verify", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    result = json.loads(checked.stdout)
    assert result["ok"] is True, result

    with pg_store.read() as conn:
        cases = workspace.cases(conn)
        entries = audit.entries(conn, limit=10_000)
    counts = collections.Counter(c.title for c in cases)
    assert len(cases) == len(titles) + 2
    assert all(counts[t] == 1 for t in titles), counts
    assert sorted(e.seq for e in entries) == list(range(1, len(entries) + 1))
    assert result["entries"] == len(entries)
    actions = collections.Counter(e.action for e in entries)
    assert actions["user-add"] == len(ACCOUNTS)
    assert actions["login"] == len(names)
    assert actions["case-create"] == len(titles) + 2
    assert actions["assessment-run"] == 2
    assert len(entries) == sum(actions.values())
    created_ids = sorted(int(e.object_id) for e in entries if e.action == "case-create")
    assert created_ids == sorted(c.id for c in cases)
