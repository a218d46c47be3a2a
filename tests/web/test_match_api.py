"""yente's /match/{dataset}: a request recorded in the shape yente's clients send, answered in
yente's response shape (tests/fixtures/web/README.md names the source)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bidvet.store.db import Store
from tests.web.api_helpers import bearer, load_vendors

RECORDED = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "web" / "yente-match.json").read_text("utf-8")
)


def _post(client: TestClient, headers: dict[str, str], **params: Any) -> Any:
    req = RECORDED["request"]
    return client.post(
        req["path"], json=req["body"], params={**req["params"], **params}, headers=headers
    )


def test_recorded_yente_request_gets_a_yente_shaped_answer(
    client: TestClient, web_store: Store
) -> None:
    load_vendors(web_store)
    response = _post(client, bearer(web_store, "ada"))
    assert response.status_code == 200, response.text
    assert response.headers["x-batch-size"] == "2"
    data = response.json()
    shape = RECORDED["response"]
    assert sorted(data) == sorted(shape["keys"]) and data["limit"] == 3
    assert sorted(data["responses"]) == ["q1", "q2"]
    for key, res in data["responses"].items():
        assert sorted(res) == sorted(shape["response_keys"]), key
        assert res["status"] == 200 and sorted(res["total"]) == sorted(shape["total_keys"])
        assert sorted(res["query"]) == sorted(shape["query_keys"])
        assert res["results"], key
        for result in res["results"]:
            assert sorted(result) == sorted(shape["result_keys"]), sorted(result)
            assert all(isinstance(v, list) for v in result["properties"].values())
            assert result["match"] == (result["score"] >= 0.7)
            assert set(result["explanations"]) == set(result["features"])
    q1 = data["responses"]["q1"]
    top = q1["results"][0]
    assert top["id"] == "kestrel-imaging" and top["match"] is True, top
    assert top["schema"] == "Company" and top["datasets"] == ["example-fictional-vendors"]
    assert "Kestrel Imaging Ltd" in top["properties"]["name"]
    assert q1["query"]["schema"] == "Company" and q1["query"]["properties"]["country"] == ["gb"]
    q2 = data["responses"]["q2"]
    assert q2["results"][0]["id"] == "vostok-strategic" and q2["results"][0]["target"] is True
    assert q2["query"]["properties"]["name"] == ["Vostok Strategic Industries"]


def test_threshold_decides_match_and_limit_caps_results(
    client: TestClient, web_store: Store
) -> None:
    load_vendors(web_store)
    headers = bearer(web_store, "rui", role="reader")
    strict = _post(client, headers, threshold=0.999, limit=1).json()
    for res in strict["responses"].values():
        assert len(res["results"]) <= 1
        assert all(r["match"] == (r["score"] >= 0.999) for r in res["results"])
    assert strict["limit"] == 1


def test_dataset_algorithm_and_schema_are_checked(client: TestClient, web_store: Store) -> None:
    load_vendors(web_store)
    headers = bearer(web_store, "ada")
    body = RECORDED["request"]["body"]
    assert client.post("/match/example-fictional-vendors", json=body, headers=headers).is_success
    unknown = client.post("/match/no-such-dataset", json=body, headers=headers)
    assert unknown.status_code == 404 and "no dataset" in unknown.json()["detail"]
    algo = client.post(
        "/match/default", json=body, params={"algorithm": "neural-net"}, headers=headers
    )
    assert algo.status_code == 400
    bad = {"queries": {"x": {"schema": "Banana", "properties": {"name": ["Kestrel"]}}}}
    assert client.post("/match/default", json=bad, headers=headers).status_code == 400
    no_schema = {"queries": {"x": {"properties": {"name": "Banana"}}}}
    assert client.post("/match/default", json=no_schema, headers=headers).status_code == 422
    people = {"queries": {"p": {"schema": "Person", "properties": {"name": ["Kestrel Imaging"]}}}}
    answer = client.post("/match/default", json=people, headers=headers).json()
    assert answer["responses"]["p"]["results"] == [], "a Person query returns only people"


def test_match_needs_a_token(client: TestClient) -> None:
    response = client.post("/match/default", json=RECORDED["request"]["body"])
    assert response.status_code == 401 and "Bearer" in response.headers["www-authenticate"]
