"""The W3C Reconciliation Service API at /reconcile, driven by request bodies in the shapes
OpenRefine sends (form field ``queries``; tests/fixtures/web/README.md names the source)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from bidvet.store.db import Store
from tests.web.api_helpers import bearer, load_vendors

RECORDED = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "web" / "openrefine-reconcile.json").read_text(
        "utf-8"
    )
)


def test_manifest(client: TestClient, web_store: Store) -> None:
    response = client.get("/reconcile", headers=bearer(web_store, "aud", role="reader"))
    assert response.status_code == 200
    manifest = response.json()
    assert "0.2" in manifest["versions"] and manifest["name"]
    assert manifest["identifierSpace"].endswith("/entities/")
    assert manifest["view"]["url"] == "http://testserver/entities/{{id}}"
    assert {"id": "Company", "name": "Company"} in manifest["defaultTypes"]
    auth = manifest["authentication"]
    assert (auth["type"], auth["in"], auth["name"]) == ("apiKey", "header", "Authorization")


def test_openrefine_reconcile_batch_posted_as_form(client: TestClient, web_store: Store) -> None:
    load_vendors(web_store)
    headers = bearer(web_store, "ada")
    response = client.post(
        "/reconcile", data={"queries": json.dumps(RECORDED["reconcile"])}, headers=headers
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert sorted(data) == ["q0", "q1", "q2"]
    for key, answer in data.items():
        assert list(answer) == ["result"] and answer["result"], key
        for r in answer["result"]:
            assert {"id", "name", "type", "score", "match"} <= set(r), r
            assert r["type"][0]["id"] == "Company" and 0 <= r["score"] <= 100
        assert sum(r["match"] for r in answer["result"]) <= 1, "at most one auto-match"
    expected = {"q0": "kestrel-imaging", "q1": "tarn-holdings", "q2": "borealis-scanning"}
    for key, entity_id in expected.items():
        top = data[key]["result"][0]
        assert top["id"] == entity_id and top["match"] is True, (key, top)
    assert data["q0"]["result"][0]["name"] == "Kestrel Imaging Ltd"


def test_openrefine_type_guessing_by_get(client: TestClient, web_store: Store) -> None:
    load_vendors(web_store)
    headers = bearer(web_store, "rui")
    response = client.get(
        "/reconcile", params={"queries": json.dumps(RECORDED["guess_types"])}, headers=headers
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert 1 <= len(data["q0"]["result"]) <= 3
    assert data["q1"]["result"][0]["id"] == "borealis-scanning"


def test_bad_queries_and_missing_token(client: TestClient, web_store: Store) -> None:
    headers = bearer(web_store, "ann")
    for bad in ("not json", "[]", json.dumps({"q0": {"limit": 3}})):
        response = client.post("/reconcile", data={"queries": bad}, headers=headers)
        assert response.status_code == 400, (bad, response.text)
        assert "reconciliation query batch" in response.json()["detail"]
    assert client.get("/reconcile").status_code == 401
    form = {"queries": json.dumps(RECORDED["guess_types"])}
    assert client.post("/reconcile", data=form).status_code == 401
