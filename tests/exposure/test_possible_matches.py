"""A weak name match is a lead to check by hand, never a risk attributed to a supplier."""

from __future__ import annotations

import json
from pathlib import Path

from bidvet.exposure.scan import scan_store
from bidvet.reports.exposure import to_html, to_markdown
from bidvet.sources.loader import load_file
from bidvet.store.db import Store

KNOWLEDGE = """\
bidvet: curated/1
dataset: test-weak-match
title: Fictional listed company (test data)
fictional: true
entities:
  - {id: t-tessalyn, schema: Company, names: [TESSALYN JSC], source: {title: test}}
  - {id: t-vantor, schema: Company, names: [Vantorix Scanning Works JSC], source: {title: test}}
  - id: t-korvan
    schema: Company
    names: [Korvan Detection SA]
    countries: [ch]
    source: {title: test}
listings:
  - {entity: t-tessalyn, list: us-ofac-sdn, list_name: SDN (fictional entry), source: {title: test}}
  - {entity: t-vantor, list: us-ofac-sdn, list_name: SDN (fictional entry), source: {title: test}}
  - {entity: t-korvan, list: us-ofac-sdn, list_name: SDN (fictional entry), source: {title: test}}
"""


def _release(ocid: str, supplier: str, country: str | None = None) -> dict[str, object]:
    party: dict[str, object] = {"id": "s", "name": supplier, "roles": ["supplier"]}
    if country:
        party["address"] = {"countryName": country}
    return {
        "ocid": ocid,
        "id": f"{ocid}-1",
        "date": "2024-03-01T00:00:00Z",
        "tag": ["award", "contract"],
        "buyer": {"id": "b", "name": "Fictional Border Agency"},
        "parties": [
            {"id": "b", "name": "Fictional Border Agency", "roles": ["buyer"]},
            party,
        ],
        "awards": [
            {
                "id": "a",
                "status": "active",
                "date": "2024-03-01",
                "suppliers": [{"id": "s", "name": supplier}],
                "value": {"amount": 500000, "currency": "EUR"},
            }
        ],
        "contracts": [
            {
                "id": "c",
                "awardID": "a",
                "status": "active",
                "items": [
                    {
                        "id": "1",
                        "description": "X-ray baggage scanners with image storage",
                        "classification": {"scheme": "CPV", "id": "38581000"},
                    }
                ],
            }
        ],
    }


def test_weak_match_is_listed_as_possible_not_as_risk(sqlite_store: Store, tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge.yaml"
    knowledge.write_text(KNOWLEDGE, encoding="utf-8")
    load_file(sqlite_store, knowledge)
    history = tmp_path / "history.json"
    package = {
        "uri": "https://example.invalid/history.json",
        "publishedDate": "2024-04-01T00:00:00Z",
        "publisher": {"name": "Fictional publisher"},
        "version": "1.1",
        "releases": [
            # a typed slip in the one distinctive word: held below 0.85 (``typo_only_cap``)
            _release("ocds-test-weak", "Tessalin Holdings Ltd"),
            _release("ocds-test-strong", "Vantorix Scanning Works"),
            # the listed name exactly, but the record is Swiss and the supplier French
            _release("ocds-test-abroad", "Korvan Detection SA", "France"),
        ],
    }
    history.write_text(json.dumps(package), encoding="utf-8")
    load_file(sqlite_store, history)
    result = scan_store(sqlite_store)
    data = result.to_json()
    weak = result.suppliers["Tessalin Holdings Ltd"]
    assert weak.entity_ids == [] and not weak.risky, weak.to_json()
    assert [p["entity_id"] for p in weak.possible] == ["t-tessalyn"], weak.possible
    assert 0.7 <= weak.possible[0]["score"] < 0.85
    assert {e.ocid for e in result.exposures} == {"ocds-test-strong"}, data["exposures"]
    assert "Tessalin Holdings Ltd" not in data["risky_suppliers"]
    # both are leads in the scan's output and its report, with the lists their records are on
    to_check = {x["supplier"]: x for x in data["suppliers_to_check"]}
    assert set(to_check) == {"Tessalin Holdings Ltd", "Korvan Detection SA"}, to_check
    assert [
        (c["entity_id"], c["lists"]) for c in to_check["Tessalin Holdings Ltd"]["candidates"]
    ] == [("t-tessalyn", ["us-ofac-sdn"])]
    abroad = to_check["Korvan Detection SA"]
    assert abroad["country"] == "fr" and [c["entity_id"] for c in abroad["candidates"]] == [
        "t-korvan"
    ]
    assert "none of the record's countries (ch)" in abroad["why"]
    assert "Korvan Detection SA" not in data["risky_suppliers"]
    assert "ocds-test-abroad" not in {e.ocid for e in result.exposures}
    markdown = to_markdown(data)
    assert "## Suppliers to check" in markdown
    assert "Korvan Detection SA (t-korvan), score 1.00, on us-ofac-sdn" in markdown, markdown
    assert "Suppliers to check" in to_html(data)
