"""The workspace's per-worker caches and threads: routes run in the thread pool, pages read only
what they show, searches and entity pages follow every change of the store's knowledge, and
static files may be kept by the browser while pages may not.

The companies are the review-queue tests' fictional register and list entries.
"""

from __future__ import annotations

import gc
import inspect
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from bidvet import program
from bidvet.resolution.judgements import checked
from bidvet.sources.loader import load_file
from bidvet.store import workspace
from bidvet.store.db import Store
from bidvet.store.resolution import write_judgements
from bidvet.web import heap
from tests.web.conftest import login
from tests.web.test_review_queues import LIST, REGISTER, _assess, _case
from tests.web.test_role_matrix import _walk

QUORVANE = "Quorvane Detection Systems Ltd"


def _load(store: Store, tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    load_file(store, path)


def _result_ids(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('<h2><a href="/entities/')[1:]]


def test_every_route_that_can_block_runs_in_the_thread_pool(app: FastAPI) -> None:
    routes = [r for r in _walk(app.routes) if isinstance(r, APIRoute)]
    assert len(routes) > 30
    blocking = [r.path for r in routes if inspect.iscoroutinefunction(r.endpoint)]
    assert blocking == []


def test_search_follows_loads_and_judgements(
    client: TestClient, web_store: Store, tmp_path: Path
) -> None:
    login(client, "ada")
    assert _result_ids(client.get("/entities", params={"q": QUORVANE}).text) == []
    assert client.get("/entities/rq-register").status_code == 404

    _load(web_store, tmp_path, "register.yaml", REGISTER)  # a load changes the answer
    assert _result_ids(client.get("/entities", params={"q": QUORVANE}).text) == ["rq-register"]
    assert client.get("/entities/rq-register").status_code == 200
    _load(web_store, tmp_path, "list.yaml", LIST)
    found = _result_ids(client.get("/entities", params={"q": QUORVANE}).text)
    assert sorted(found) == ["rq-listed", "rq-register"]
    assert "Entity List" not in client.get("/entities/rq-register").text

    # a judgement (the two records are one company) changes it too: one result, both listings
    same = checked(web_store, "rq-register", "rq-listed", "positive", reason="test", by="ada")
    with web_store.transaction() as conn:
        write_judgements(conn, [same])
    assert len(_result_ids(client.get("/entities", params={"q": QUORVANE}).text)) == 1
    assert "rq-listed" in client.get("/entities/rq-register").text


def test_case_and_bidder_pages_read_one_report_once(
    client: TestClient, web_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(web_store, tmp_path, "register.yaml", REGISTER)
    token = login(client, "ada")
    case_id = _case(client, token, f"{{id: quorvane, name: {QUORVANE}, country: gb}}")
    for _ in range(3):
        _assess(client, token, case_id)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a page read every past report")

    read: list[int] = []
    real = workspace.report_text

    def counted(conn: object, assessment_id: int) -> str | None:
        read.append(assessment_id)
        return real(conn, assessment_id)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace, "assessments", refuse)
    monkeypatch.setattr(workspace, "report_text", counted)
    with web_store.read() as conn:
        runs = workspace.run_summaries(conn, case_id)
    assert len(runs) == 3 and runs[0].id > runs[-1].id
    for _ in range(3):
        page = client.get(f"/cases/{case_id}")
        assert page.status_code == 200
        assert f'href="/assessments/{runs[0].id}/bidders/quorvane"' in page.text
        bidder = client.get(f"/assessments/{runs[0].id}/bidders/quorvane")
        assert bidder.status_code == 200 and "Identified as" in bidder.text
        assert client.get(f"/cases/{case_id}/review").status_code == 200
    assert read == [runs[0].id]  # the latest report only, parsed once for every page
    assert client.get(f"/assessments/{runs[-1].id}/bidders/quorvane").status_code == 200
    assert read == [runs[0].id, runs[-1].id]


def test_static_files_may_be_revalidated_pages_never_stored(client: TestClient) -> None:
    css = client.get("/static/app.css")
    assert css.status_code == 200 and css.headers["cache-control"] == "no-cache"
    again = client.get("/static/app.css", headers={"if-none-match": css.headers["etag"]})
    assert again.status_code == 304
    assert "default-src 'self'" in again.headers["content-security-policy"]
    page = client.get("/login")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"


def test_run_summaries_and_knowledge_state_read_only_what_they_name(
    client: TestClient, web_store: Store, tmp_path: Path
) -> None:
    _load(web_store, tmp_path, "register.yaml", REGISTER)
    token = login(client, "ada")
    first = _case(client, token, f"{{id: quorvane, name: {QUORVANE}, country: gb}}")
    second = _case(client, token, "{id: nobody, name: Nobody Fictional Ltd}")
    unassessed = _case(client, token, "{id: none, name: Nobody Else Fictional Ltd}")
    for case_id in (first, second, first):
        _assess(client, token, case_id)
    with web_store.read() as conn:
        latest = workspace.latest_run_summaries(conn, [first, second, unassessed])
        every = workspace.run_summaries(conn, first)
        full = workspace.assessment(conn, latest[first].id)
        before = workspace.knowledge_state(conn)
    assert sorted(latest) == [first, second]  # a case without a run has none
    assert [r.id for r in every] == sorted((r.id for r in every), reverse=True)
    assert latest[first] == every[0] and len(every) == 2
    assert full is not None and full.report_sha256 == latest[first].report_sha256
    assert not hasattr(latest[first], "report_json")
    _load(web_store, tmp_path, "list.yaml", LIST)
    with web_store.read() as conn:
        after = workspace.knowledge_state(conn)
        assert workspace.knowledge_state(conn) == after  # stable while nothing changes
    assert after != before


def test_a_served_worker_settles_its_heap_once_per_data_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(heap, "_settled", set())
    monkeypatch.setattr(heap, "_enabled", False)
    assert not heap.settle(("knowledge", "v1"))  # an app in a test or script: left alone
    assert ("knowledge", "v1") not in heap._settled
    monkeypatch.setattr(heap, "_enabled", True)
    try:
        assert heap.settle(("knowledge", "v1"))
        assert gc.get_freeze_count() > 0
        assert not heap.settle(("knowledge", "v1"))  # once per data version
        assert heap.settle(("knowledge", "v2"))
    finally:
        gc.unfreeze()


def test_a_served_worker_collects_with_short_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    """``bidvet serve --workers 1`` runs its worker in the command's process, whose collector
    is tuned for a short command (one pass per million objects): the worker sets its own."""
    before = gc.get_threshold()
    monkeypatch.setattr(heap, "_enabled", False)
    try:
        gc.set_threshold(*program.GC_THRESHOLD)
        heap.enable()
        assert gc.get_threshold() == heap.SERVED_THRESHOLD
        assert heap.SERVED_THRESHOLD[0] < program.GC_THRESHOLD[0]
    finally:
        gc.set_threshold(*before)
