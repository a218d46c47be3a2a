"""A whole case: upload the embassy tender, assess, propose, four-eyes sign-off, signed report."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from bidvet.store import audit
from bidvet.store.db import Store
from tests.web.conftest import EMBASSY, login


def _upload(client: TestClient, token: str) -> str:
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
    response = client.post("/cases/upload", data={"csrf_token": token}, files=files)
    assert response.status_code == 303, response.text[:500]
    return str(response.headers["location"])


def test_upload_without_the_files_it_names_is_a_clear_error(client: TestClient) -> None:
    token = login(client, "ada")
    files = [("tender", ("tender.yaml", (EMBASSY / "tender.yaml").read_bytes(), "text/yaml"))]
    response = client.post("/cases/upload", data={"csrf_token": token}, files=files)
    assert response.status_code == 400
    assert "tender.yaml" in response.text and "not found" in response.text, response.text[:800]


def test_case_from_upload_to_signed_report(client: TestClient, web_store: Store) -> None:
    token = login(client, "ada")
    case_url = _upload(client, token)
    run = client.post(f"{case_url}/assess", data={"csrf_token": token, "as_of": "2021-01-01"})
    assert run.status_code == 303, run.text[:800]
    page = client.get(case_url).text
    review = re.search(r'href="(/assessments/(\d+)/bidders/kestrel)"', page)
    assert review, page[:2000]
    bidder_url, aid = review.group(1), review.group(2)
    shown = client.get(bidder_url).text
    assert "Kestrel Imaging Ltd" in shown and "Findings" in shown and "Questionnaire" in shown

    # an override needs a reason
    refused = client.post(f"{bidder_url}/propose", data={"csrf_token": token, "outcome": "accept"})
    assert refused.status_code == 400 and "needs a reason" in refused.text
    ok = client.post(
        f"{bidder_url}/propose",
        data={"csrf_token": token, "outcome": "restrict", "reason": "parent ownership disputed"},
    )
    assert ok.status_code == 303
    decision = re.search(r'action="/decisions/(\d+)/approve"', client.get(bidder_url).text)
    assert decision is None  # an assessor sees no sign-off form

    # the proposer, made reviewer, still cannot approve their own proposal
    admin = login(client, "ann")
    with web_store.read() as conn:
        from bidvet.store import workspace

        ada = workspace.user_by_name(conn, "ada")
        assert ada is not None
    client.post(f"/users/{ada.id}", data={"csrf_token": admin, "role": "reviewer", "active": "yes"})
    own = login(client, "ada")
    did = re.search(r'action="/decisions/(\d+)/approve"', client.get(bidder_url).text)
    assert did, "reviewer sees the sign-off form"
    mine = client.post(f"/decisions/{did.group(1)}/approve", data={"csrf_token": own})
    assert mine.status_code == 403 and "four eyes" in mine.text

    # nothing signed yet
    assert client.get(f"/assessments/{aid}/signed.html").status_code == 404

    other = login(client, "rui")
    signed = client.post(f"/decisions/{did.group(1)}/approve", data={"csrf_token": other})
    assert signed.status_code == 303
    again = client.post(f"/decisions/{did.group(1)}/approve", data={"csrf_token": other})
    assert again.status_code == 400  # already approved

    html = client.get(f"/assessments/{aid}/signed.html")
    assert html.status_code == 200
    assert "script-src" not in html.headers["content-security-policy"]
    first = html.text.split('<section id="summary"', 1)[0]
    assert "Decision and sign-off" in first and "RESTRICT" in first, first[-2000:]
    assert "parent ownership disputed" in first
    assert "<td>rui<br>" in first and "<td>ada<br>" in first, "proposer and signer named"
    pdf = client.get(f"/assessments/{aid}/signed.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    with web_store.read() as conn:
        actions = [e.action for e in audit.entries(conn)]
        assert audit.verify(conn).ok
    for action in ("case-create", "assessment-run", "outcome-propose", "sign-off", "user-change"):
        assert action in actions, actions


def test_return_needs_a_note_and_allows_a_new_proposal(client: TestClient) -> None:
    token = login(client, "ada")
    case_url = _upload(client, token)
    client.post(f"{case_url}/assess", data={"csrf_token": token, "as_of": "2021-01-01"})
    bidder_url = re.search(r'href="(/assessments/\d+/bidders/borealis)"', client.get(case_url).text)
    assert bidder_url
    url = bidder_url.group(1)
    outcome = re.search(r'<option value="(\w+)" selected', client.get(url).text)
    assert outcome
    client.post(f"{url}/propose", data={"csrf_token": token, "outcome": outcome.group(1)})
    reviewer = login(client, "rita")
    did = re.search(r'action="/decisions/(\d+)/return"', client.get(url).text)
    assert did
    assert (
        client.post(f"/decisions/{did.group(1)}/return", data={"csrf_token": reviewer}).status_code
        == 400
    )
    back = client.post(
        f"/decisions/{did.group(1)}/return", data={"csrf_token": reviewer, "note": "check D2"}
    )
    assert back.status_code == 303
    token = login(client, "ada")
    assert 'id="propose"' in client.get(url).text
