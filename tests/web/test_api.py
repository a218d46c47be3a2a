"""The JSON API under /api/v1: screen, assess, a case's signed decision, and its OpenAPI."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from bidvet.store import audit, workspace
from bidvet.store.db import Store
from tests.web.api_helpers import bearer, load_vendors
from tests.web.conftest import EMBASSY


def test_screen_returns_matches_with_lists_and_explanation(
    client: TestClient, web_store: Store
) -> None:
    load_vendors(web_store)
    headers = bearer(web_store, "aud", role="reader")
    body = {
        "names": [
            {"id": "s1", "name": "Kestrel Imaging", "country": "GB"},
            {"name": "Borealis Scanning Oy", "identifiers": ["EXAMPLE-FI-0001"]},
        ],
        "as_of": "2021-01-01",
    }
    response = client.post("/api/v1/screen", json=body, headers=headers)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["as_of"] == "2021-01-01"
    first, second = data["results"]
    assert first["id"] == "s1" and first["matches"][0]["entity_id"] == "kestrel-imaging"
    top = first["matches"][0]
    assert top["match"] is True and top["explanation"] and top["fictional"] is True
    assert any(x["inherited"] for x in top["lists"]), top["lists"]
    assert second["id"] is None and second["matches"][0]["entity_id"] == "borealis-scanning"
    assert second["matches"][0]["lists"] == []


def test_screen_says_which_listings_are_not_in_force_and_why(
    client: TestClient, web_store: Store
) -> None:
    load_vendors(web_store)
    headers = bearer(web_store, "aud", role="reader")
    body = {"names": [{"name": "Vostok Strategic Industries JSC"}], "as_of": "2019-01-01"}
    response = client.post("/api/v1/screen", json=body, headers=headers)
    assert response.status_code == 200, response.text
    top = response.json()["results"][0]["matches"][0]
    assert top["entity_id"] == "vostok-strategic" and top["lists"] == []
    assert [(x["list_id"], x["why"]) for x in top["not_in_force"]] == [
        ("us-ofac-sdn", "listed from 2019-06-01, after 2019-01-01")
    ]


def test_screen_rejects_bad_input_with_a_clear_422(client: TestClient, web_store: Store) -> None:
    headers = bearer(web_store, "ada")
    bodies: list[dict[str, object]] = [
        {"names": []},
        {"names": [{"name": ""}]},
        {"names": [{"name": "x"}], "foo": 1},
    ]
    for body in bodies:
        response = client.post("/api/v1/screen", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert "detail" in response.json()


def test_assess_returns_the_report_and_is_audited(client: TestClient, web_store: Store) -> None:
    headers = bearer(web_store, "ada")
    body = {
        "tender_yaml": (EMBASSY / "tender.yaml").read_text(encoding="utf-8"),
        "files": {
            name: (EMBASSY / name).read_text(encoding="utf-8")
            for name in ("vendors.yaml", "answers-borealis.yaml")
        },
        "as_of": "2021-01-01",
    }
    response = client.post("/api/v1/assess", json=body, headers=headers)
    assert response.status_code == 200, response.text[:800]
    data = response.json()
    outcomes = {b["id"]: b["outcome"] for b in data["report"]["bidders"]}
    assert set(outcomes) >= {"kestrel", "borealis"}, outcomes
    assert outcomes["kestrel"] in ("exclude", "restrict"), outcomes
    assert data["report"]["as_of"] == "2021-01-01"
    assert data["knowledge_loaded"] == ["vendors.yaml"]
    assert len(data["report_sha256"]) == 64
    with web_store.read() as conn:
        (entry,) = audit.entries(conn, action="api-assess")
    assert entry.actor == "ada" and entry.details["token"] == "test token of ada"
    assert entry.details["scope"] == "assessor"
    assert entry.object_id == data["report_sha256"]


def test_assess_with_a_broken_tender_is_a_400_naming_the_file(
    client: TestClient, web_store: Store
) -> None:
    headers = bearer(web_store, "ada")
    tender = (EMBASSY / "tender.yaml").read_text(encoding="utf-8")
    response = client.post("/api/v1/assess", json={"tender_yaml": tender}, headers=headers)
    assert response.status_code == 400, response.text[:500]
    assert "tender.yaml" in response.json()["detail"], response.json()


def _signed_case(store: Store) -> int:
    report = {"bidders": [{"id": "b1", "name": "Fictional One Ltd"}, {"id": "b2", "name": "Two"}]}
    text = json.dumps(report)
    with store.transaction() as conn:
        case_id = workspace.add_case(
            conn, title="Fictional scanners", tender_yaml="x", by="ada", at="2026-11-25T10:00:00Z"
        )
        aid = workspace.add_assessment(
            conn,
            case_id=case_id,
            as_of="2026-11-25",
            by="ada",
            at="2026-11-25T10:01:00Z",
            report_json=text,
            report_sha256="a" * 64,
            data_snapshot="b" * 64,
            framework_sha256="c" * 64,
        )
        did = workspace.add_decision(
            conn,
            assessment_id=aid,
            bidder_id="b1",
            framework_outcome="restrict",
            outcome="exclude",
            reason="parent on a list",
            by="ada",
            at="2026-11-25T10:02:00Z",
        )
        workspace.review_decision(
            conn,
            did,
            status="approved",
            by="rui",
            at="2026-11-25T10:03:00Z",
            note="agreed",
            frozen={
                "signed_report_json": text,
                "signed_report_sha256": "a" * 64,
                "data_snapshot": "b" * 64,
                "framework_sha256": "c" * 64,
            },
        )
    return case_id


def test_decision_names_outcomes_signers_and_digests(client: TestClient, web_store: Store) -> None:
    case_id = _signed_case(web_store)
    headers = bearer(web_store, "aud")
    response = client.get(f"/api/v1/cases/{case_id}/decision", headers=headers)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["complete"] is False and data["unsigned"] == ["b2"]
    (row,) = data["signed"]
    assert row["bidder_id"] == "b1" and row["name"] == "Fictional One Ltd"
    assert (row["outcome"], row["framework_outcome"]) == ("exclude", "restrict")
    assert (row["proposed_by"], row["signed_by"]) == ("ada", "rui")
    assert row["signed_report_sha256"] == "a" * 64 and data["framework_sha256"] == "c" * 64


def test_decision_of_an_unsigned_or_unknown_case_is_404(
    client: TestClient, web_store: Store
) -> None:
    headers = bearer(web_store, "rui")
    missing = client.get("/api/v1/cases/999/decision", headers=headers)
    assert missing.status_code == 404 and missing.json() == {"detail": "no case 999"}
    with web_store.transaction() as conn:
        case_id = workspace.add_case(conn, title="t", tender_yaml="x", by="ada", at="2026")
    unsigned = client.get(f"/api/v1/cases/{case_id}/decision", headers=headers)
    assert unsigned.status_code == 404 and "no signed decision" in unsigned.json()["detail"]


def test_openapi_is_served_to_token_holders_only(client: TestClient, web_store: Store) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 401
    assert client.get("/openapi.json").status_code == 404
    response = client.get("/api/v1/openapi.json", headers=bearer(web_store, "aud"))
    assert response.status_code == 200
    doc = response.json()
    paths = set(doc["paths"])
    assert {"/api/v1/screen", "/api/v1/assess", "/api/v1/cases/{case_id}/decision"} <= paths
    assert {"/match/{dataset}", "/reconcile"} <= paths
    assert not any(p.startswith(("/cases", "/users", "/entities", "/tokens")) for p in paths)
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "ScreenRequest" in doc["components"]["schemas"]
