"""The review queues: ambiguous identities, possible owner matches and answers, decided by a
person with a reason, stored as judgements and in the audit log, used by the next run.

Every company here is fictional: the identity case is written below, the owner case is the
resolution tests' fixture (``tests/resolution/fixtures``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from bidvet.sources.loader import load_file
from bidvet.store import audit, workspace
from bidvet.store.db import Store
from tests.resolution.helpers import load_cases
from tests.web.conftest import login

SOURCE = (
    '{title: "Fictional register notice", url: "https://example.invalid/quorvane", '
    "published: 2021-03-01}"
)
#: two records of one fictional name in two fictional datasets: the name cannot tell them apart
REGISTER = f"""# FICTIONAL TEST DATA: no record describes a real company.
bidvet: curated/1
dataset: test-review-register
title: Fictional register for the review queue tests (no real company)
fictional: true
entities:
  - id: rq-register
    schema: Company
    names: ["Quorvane Detection Systems Ltd"]
    countries: [gb]
    source: {SOURCE}
"""
LIST = f"""# FICTIONAL TEST DATA: an invented list entry, no real company.
bidvet: curated/1
dataset: test-review-list
title: Fictional restricted list for the review queue tests (no real company)
fictional: true
entities:
  - id: rq-listed
    schema: Company
    names: ["Quorvane Detection Systems Ltd"]
    countries: [gb]
    source: {SOURCE}
listings:
  - entity: rq-listed
    list: us-bis-entity
    list_name: "Entity List"
    start_date: 2021-03-01
    reason: "Fictional designation for tests"
    source: {SOURCE}
"""
TENDER = """bidvet: tender/1
id: review-queue-test
title: Fictional scanner tender for the review queue tests
fictional: true
buyer: {{name: Fictional buyer, country: ca}}
site: {{type: diplomatic-mission, label: Fictional mission}}
items:
  - id: xray
    description: X-ray baggage screening system with a hard drive for image storage
bidders:
  - {bidder}
"""
AS_OF = "2024-06-01"


def _identity_store(store: Store, tmp_path: Path) -> None:
    for name, text in (("register.yaml", REGISTER), ("list.yaml", LIST)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        load_file(store, path)


def _case(client: TestClient, token: str, bidder: str) -> int:
    text = TENDER.format(bidder=bidder).encode()
    files = [("tender", ("tender.yaml", text, "text/yaml"))]
    response = client.post("/cases/upload", data={"csrf_token": token}, files=files)
    assert response.status_code == 303, response.text[:800]
    return int(str(response.headers["location"]).rsplit("/", 1)[1])


def _assess(client: TestClient, token: str, case_id: int) -> None:
    response = client.post(f"/cases/{case_id}/assess", data={"csrf_token": token, "as_of": AS_OF})
    assert response.status_code == 303, response.text[:800]


def _latest_bidder(store: Store, case_id: int) -> dict[str, object]:
    with store.read() as conn:
        runs = workspace.assessments(conn, case_id)
    (bidder,) = json.loads(runs[0].report_json)["bidders"]
    return dict(bidder)


def _criteria(bidder: dict[str, object]) -> set[str]:
    findings = bidder["findings"]
    assert isinstance(findings, list)
    return {str(f["criterion"]) for f in findings}


def _audit(store: Store, action: str) -> list[audit.AuditEntry]:
    with store.read() as conn:
        return [e for e in audit.entries(conn) if e.action == action]


def _tender_bidder(store: Store, case_id: int) -> str:
    with store.read() as conn:
        case = workspace.case(conn, case_id)
    assert case is not None
    return case.tender_yaml


@pytest.fixture
def ambiguous(client: TestClient, web_store: Store, tmp_path: Path) -> tuple[int, str]:
    """A case whose one bidder matches two records equally well, assessed once."""
    _identity_store(web_store, tmp_path)
    token = login(client, "ada")
    case_id = _case(
        client, token, "{id: quorvane, name: Quorvane Detection Systems Ltd, country: gb}"
    )
    _assess(client, token, case_id)
    return case_id, token


def test_ambiguous_identity_is_queued_picked_with_a_reason_and_used_by_the_next_run(
    client: TestClient, web_store: Store, ambiguous: tuple[int, str]
) -> None:
    case_id, token = ambiguous
    bidder = _latest_bidder(web_store, case_id)
    assert "identity-unresolved" in _criteria(bidder) and bidder["entity_id"] is None

    queue = client.get(f"/cases/{case_id}/review").text
    assert "Ambiguous identities (1 waiting)" in queue
    assert 'value="rq-register"' in queue and 'value="rq-listed"' in queue
    assert re.search(r"\(rq-listed\), score [01]\.\d\d, on Entity List", queue)
    assert re.search(r"\(rq-register\), score [01]\.\d\d, on no list", queue)
    assert "Ambiguous identities: 1" in client.get(f"/cases/{case_id}").text

    url = f"/cases/{case_id}/review/identity"
    refused = client.post(
        url, data={"csrf_token": token, "bidder_id": "quorvane", "choice": "rq-register"}
    )
    assert refused.status_code == 400 and "needs a reason" in refused.text
    wrong = client.post(
        url,
        data={"csrf_token": token, "bidder_id": "quorvane", "choice": "rq-other", "reason": "x"},
    )
    assert wrong.status_code == 400 and "not a candidate" in wrong.text
    assert _audit(web_store, "identity-resolve") == []

    reason = "registration number on the bid matches the register record"
    done = client.post(
        url,
        data={
            "csrf_token": token,
            "bidder_id": "quorvane",
            "choice": "rq-register",
            "reason": reason,
        },
    )
    assert done.status_code == 303 and done.headers["location"] == f"/cases/{case_id}/review"
    assert "entity_id: rq-register" in _tender_bidder(web_store, case_id)
    with web_store.view() as view:
        (j,) = view.judgements(["rq-register"])
    assert (j.left_id, j.right_id, j.judgement, j.by) == (
        "rq-listed",
        "rq-register",
        "negative",
        "ada",
    )
    assert reason in j.reason and f"case {case_id}" in j.reason
    (entry,) = _audit(web_store, "identity-resolve")
    assert entry.actor == "ada" and entry.object_id == str(case_id)
    assert entry.details["choice"] == "rq-register" and entry.details["reason"] == reason
    assert sorted(entry.details["candidates"]) == ["rq-listed", "rq-register"]
    with web_store.read() as conn:
        assert audit.verify(conn).ok

    waiting = client.get(f"/cases/{case_id}/review").text
    assert "Ambiguous identities (0 waiting)" in waiting and "pinned to rq-register" in waiting

    _assess(client, token, case_id)
    bidder = _latest_bidder(web_store, case_id)
    assert bidder["entity_id"] == "rq-register"
    assert "identity-unresolved" not in _criteria(bidder)
    after = client.get(f"/cases/{case_id}/review").text
    assert "No bidder's identity is waiting for a decision." in after


def test_none_of_these_leaves_the_bidder_unidentified(
    client: TestClient, web_store: Store, ambiguous: tuple[int, str]
) -> None:
    case_id, token = ambiguous
    done = client.post(
        f"/cases/{case_id}/review/identity",
        data={
            "csrf_token": token,
            "bidder_id": "quorvane",
            "choice": "none",
            "reason": "the bid names a company founded this year; neither record is it",
        },
    )
    assert done.status_code == 303
    (entry,) = yaml.safe_load(_tender_bidder(web_store, case_id))["bidders"]
    assert entry["not_entity_ids"] == ["rq-listed", "rq-register"] and "entity_id" not in entry
    with web_store.view() as view:
        assert view.judgements(["rq-register", "rq-listed"]) == []  # no pair was judged
    _assess(client, token, case_id)
    bidder = _latest_bidder(web_store, case_id)
    assert bidder["entity_id"] is None
    assert "identity-unresolved" not in _criteria(bidder)
    assert "missing-information" in _criteria(bidder)  # assessed as unidentified


def test_reviewer_reads_the_queue_but_cannot_act_and_csrf_is_enforced(
    client: TestClient, web_store: Store, ambiguous: tuple[int, str]
) -> None:
    case_id, _ = ambiguous
    data = {"bidder_id": "quorvane", "choice": "rq-register", "reason": "same registration"}
    forged = client.post(f"/cases/{case_id}/review/identity", data={**data, "csrf_token": "forged"})
    assert forged.status_code == 403 and "security token" in forged.text
    missing = client.post(f"/cases/{case_id}/review/identity", data=data)
    assert missing.status_code == 403

    token = login(client, "rui")
    page = client.get(f"/cases/{case_id}/review")
    assert page.status_code == 200 and "(rq-listed), score " in page.text
    assert "identity-form" not in page.text
    refused = client.post(f"/cases/{case_id}/review/identity", data={**data, "csrf_token": token})
    assert refused.status_code == 403
    overview = client.get("/review")
    assert overview.status_code == 200 and f'href="/cases/{case_id}/review"' in overview.text
    assert _audit(web_store, "identity-resolve") == []
    assert "entity_id: rq-register" not in _tender_bidder(web_store, case_id)


# -- possible owner matches -----------------------------------------------------------------


@pytest.fixture
def owner_case(client: TestClient, web_store: Store) -> tuple[int, str]:
    """A case whose bidder's parent's name matches a listed record nobody has judged yet."""
    load_cases(web_store)
    token = login(client, "ada")
    case_id = _case(
        client,
        token,
        "{id: harrowgate, name: Harrowgate Scanning Oy, country: fi, entity_id: rx-bidder}",
    )
    _assess(client, token, case_id)
    return case_id, token


def _judge_owner(client: TestClient, token: str, case_id: int, verdict: str, reason: str) -> int:
    response = client.post(
        f"/cases/{case_id}/review/owner",
        data={
            "csrf_token": token,
            "bidder_id": "harrowgate",
            "owner_id": "rx-parent",
            "record_id": "rl-pellucid",
            "verdict": verdict,
            "reason": reason,
        },
    )
    return int(response.status_code)


def test_owner_match_accepted_becomes_a_listed_owner(
    client: TestClient, web_store: Store, owner_case: tuple[int, str]
) -> None:
    case_id, token = owner_case
    assert "possible-listed-owner" in _criteria(_latest_bidder(web_store, case_id))
    queue = client.get(f"/cases/{case_id}/review").text
    assert "Possible owner matches (1 waiting)" in queue and "rl-pellucid" in queue
    assert "possible owner matches: 1" in client.get(f"/cases/{case_id}").text

    assert _judge_owner(client, token, case_id, "accept", "  ") == 400
    assert _judge_owner(client, token, case_id, "accept", "same company number in both") == 303
    with web_store.view() as view:
        (j,) = view.judgements(["rl-pellucid"])
    assert (j.left_id, j.right_id, j.judgement, j.by) == (
        "rl-pellucid",
        "rx-parent",
        "positive",
        "ada",
    )
    (entry,) = _audit(web_store, "owner-match-judge")
    assert entry.object_id == "rl-pellucid~rx-parent" and entry.details["judgement"] == "positive"
    assert "Judged positive by ada" in client.get(f"/cases/{case_id}/review").text

    _assess(client, token, case_id)
    criteria = _criteria(_latest_bidder(web_store, case_id))
    assert "listed-owner" in criteria and "possible-listed-owner" not in criteria
    assert "Possible owner matches (0 waiting)" in client.get(f"/cases/{case_id}/review").text


def test_owner_match_rejected_is_gone(
    client: TestClient, web_store: Store, owner_case: tuple[int, str]
) -> None:
    case_id, token = owner_case
    assert _judge_owner(client, token, case_id, "reject", "different company, other country") == 303
    with web_store.view() as view:
        (j,) = view.judgements(["rl-pellucid"])
    assert j.judgement == "negative"
    _assess(client, token, case_id)
    criteria = _criteria(_latest_bidder(web_store, case_id))
    assert "listed-owner" not in criteria and "possible-listed-owner" not in criteria
    page = client.get(f"/cases/{case_id}/review").text
    assert "No possible listed owner is waiting for a judgement." in page


def test_a_pair_not_in_the_findings_is_refused_and_admin_may_act(
    client: TestClient, web_store: Store, owner_case: tuple[int, str]
) -> None:
    case_id, token = owner_case
    response = client.post(
        f"/cases/{case_id}/review/owner",
        data={
            "csrf_token": token,
            "bidder_id": "harrowgate",
            "owner_id": "rx-grandparent",
            "record_id": "rl-tamsin",
            "verdict": "accept",
            "reason": "guess",
        },
    )
    assert response.status_code == 400 and "not a possible owner match" in response.text
    admin = login(client, "ann")
    assert _judge_owner(client, admin, case_id, "reject", "checked the register") == 303
    (entry,) = _audit(web_store, "owner-match-judge")
    assert entry.actor == "ann"


# -- answers and the cross-case view --------------------------------------------------------


def test_answers_queue_lists_unanswered_questions_with_a_link_to_attach(
    client: TestClient, web_store: Store, owner_case: tuple[int, str]
) -> None:
    case_id, _ = owner_case
    bidder = _latest_bidder(web_store, case_id)
    questions = bidder["questions"]
    assert isinstance(questions, list)
    unanswered = [q["id"] for q in questions if q["required"] and not q.get("answer")]
    assert unanswered, "the fixture's bidder has answered nothing"
    page = client.get(f"/cases/{case_id}/review").text
    section = page[page.index('id="queue-answers"') :]
    assert "Answers (1 bidders)" in section
    assert f"{len(unanswered)} required question(s) unanswered" in section
    assert all(f"<code>{qid}</code>" in section for qid in unanswered)
    assert f'href="/cases/{case_id}#attach-answers"' in section

    overview = client.get("/review").text
    row = re.search(rf"<tr><td>{case_id}</td>.*?</tr>", overview, re.S)
    assert row and "<td>0</td><td>1</td><td>1</td>" in row.group(0)


def test_an_unassessed_case_says_its_queues_are_empty(client: TestClient) -> None:
    token = login(client, "ada")
    case_id = _case(client, token, "{id: nobody, name: Nobody Fictional Ltd}")
    page = client.get(f"/cases/{case_id}/review").text
    assert "Not assessed yet" in page
    assert "No bidder's identity is waiting" in page
    assert "The queues fill from the first assessment." in client.get(f"/cases/{case_id}").text
    assert client.get("/cases/999/review").status_code == 404
