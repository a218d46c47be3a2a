"""The Nuctech reference case end to end, against the floors of the assessment issue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bidvet.assessment.engine import assess
from bidvet.assessment.report import build_report
from bidvet.framework.loader import FRAMEWORKS
from bidvet.store.db import Store
from tests.assessment.helpers import FIXTURES, bidder, evidence_text, findings, prepare, report

NUCTECH = "Nuctech Company Limited"
BUNDLED = FRAMEWORKS / "sensitive-procurement-v1.yaml"


def _sourced(b: dict[str, object]) -> None:
    for f in b["findings"]:  # type: ignore[attr-defined]
        assert f["evidence"], f
        for e in f["evidence"]:
            assert e["source"]["title"], (f["criterion"], e)


def test_nuctech_as_of_2021_01_01(store: Store) -> None:
    rep = report(store, "2021-01-01")
    b = bidder(rep, NUCTECH)
    assert b["outcome"] in ("exclude", "restrict"), b["rationale"]
    assert b["resolution"]["method"] == "screening"
    assert b["entity_id"] == "nuctech"
    listing = findings(b, "restricted-listing")
    assert len(listing) == 1, b["findings"]
    ev = listing[0]["evidence"][0]
    assert "Entity List" in ev["text"] and ev["date"] == "2020-12-18", ev
    assert ev["source"]["published"] == "2020-12-17"
    assert "ASPI" in ev["source"]["title"]
    assert "China National Nuclear Corporation" in evidence_text(b, "controlling-owner")
    assert "China National Nuclear Corporation → Tongfang Co., Ltd.: controlling-shareholder" in (
        evidence_text(b, "state-control")
    )
    assert "China National Nuclear Corporation is state-owned" in evidence_text(b, "state-control")
    assert "National Intelligence Law (2017), Article 7" in evidence_text(b, "legal-regime")
    assert "[verify exact text]" in evidence_text(b, "legal-regime")
    integrity = evidence_text(b, "integrity-events")
    for word in ("Namibia", "Taiwan", "anti-dumping", "US airports in 2014"):
        assert word in integrity, integrity
    assert "Foreign Subsidies" not in integrity  # an investigation, not an integrity event kind
    assert "DoD Section 1260H" not in evidence_text(b, "military-links")
    _sourced(b)


def test_nuctech_as_of_2026_06_30_adds_cnnc_dod_1260h(store: Store) -> None:
    b = bidder(report(store, "2026-06-30"), NUCTECH)
    military = [
        e for f in findings(b, "military-links") for e in f["evidence"] if e["kind"] == "listing"
    ]
    assert len(military) == 1, b["findings"]
    assert (
        "China National Nuclear Corporation is on the DoD Section 1260H list"
        in (military[0]["text"])
    )
    assert military[0]["date"] == "2026-06-08"
    assert military[0]["path"] == ["nuctech", "tongfang", "cnnc"]
    assert military[0]["source"]["published"] == "2026-06-08"
    assert b["outcome"] in ("exclude", "restrict")


def test_nuctech_before_the_entity_list_keeps_ownership_findings_and_says_why(
    store: Store,
) -> None:
    before = bidder(report(store, "2020-12-01"), NUCTECH)
    after = bidder(report(store, "2021-01-01"), NUCTECH)
    criteria = {f["criterion"] for f in before["findings"]}
    assert "restricted-listing" not in criteria
    assert {"controlling-owner", "state-control", "legal-regime"} <= criteria
    assert before["outcome"] != after["outcome"], (before["outcome"], after["outcome"])
    assert (before["outcome"], after["outcome"]) == ("restrict", "exclude")
    assert (
        "not counted as of 2020-12-01: Nuctech Company Limited is on the Entity List only "
        "from 2020-12-18"
    ) in before["rationale"]
    assert any(
        "restricted-list-critical" in r and "restricted-listing" in r for r in after["rationale"]
    )
    # The US airports ban is dated by year (2014), so it counts; the undated events reported
    # in an article of 2020-12-17 were not yet known on 2020-12-01.
    events = evidence_text(before, "integrity-events")
    assert "2014: Banned from US airports" in events, events
    assert "Namibia" not in events and "Taiwan" not in events, events
    _sourced(before)


def test_fictional_clean_vendor_has_no_invented_risk(store: Store) -> None:
    b = bidder(report(store, "2021-01-01"), "Borealis Scanning Oy")
    assert b["outcome"] in ("accept", "mitigate"), b["rationale"]
    assert b["resolution"]["method"] == "identifier"
    supplier = [
        f for f in b["findings"] if f["category"] != "technology" and f["severity"] != "info"
    ]
    assert supplier == [], supplier
    assert "Lumikki Capital Oy" in evidence_text(b, "controlling-owner")


def test_fictional_vendor_owned_by_listed_defence_company(store: Store) -> None:
    b = bidder(report(store, "2021-01-01"), "Kestrel Imaging Ltd")
    text = evidence_text(b, "military-links")
    assert "Vostok Strategic Industries JSC" in text
    inherited = findings(b, "inherited-barring-listing")
    assert len(inherited) == 1, b["findings"]
    assert "under the us_ofac regime through its owner Vostok" in inherited[0]["summary"]
    assert inherited[0]["evidence"][0]["path"] == [
        "vostok-strategic",
        "tarn-holdings",
        "kestrel-imaging",
    ]
    assert b["outcome"] == "exclude"


def test_listing_reaches_a_bidder_through_its_parents_owner(store: Store) -> None:
    rep = report(store, "2021-01-01", FIXTURES / "inherited-tender.yaml")
    b = bidder(rep, "Merlin Optics Ltd")
    inherited = findings(b, "inherited-barring-listing")
    assert len(inherited) == 1, b["findings"]
    assert (
        "under the us_ofac regime through its owner Ostrander Defence Works JSC"
        in (inherited[0]["summary"])
    )
    assert inherited[0]["evidence"][0]["path"] == ["test-ostrander", "test-tarnwell", "test-merlin"]
    assert b["outcome"] == "exclude"  # a legal bar, even at a low tier
    assert "legal-bar" in b["rationale"][0]


def test_unknown_bidder_is_a_finding_not_a_pass(store: Store) -> None:
    b = bidder(report(store, "2021-01-01"), "Fjordline Detection AS")
    assert b["entity_id"] is None
    assert b["resolution"]["method"] == "none"
    assert findings(b, "missing-information"), b["findings"]
    assert b["outcome"] == "restrict"


def test_same_supplier_is_treated_more_strictly_at_a_critical_tier(store: Store) -> None:
    low = report(store, "2021-01-01", FIXTURES / "low-tier-tender.yaml")
    assert low["tender"]["tier"] == "low"
    low_b = bidder(low, NUCTECH)
    critical_b = bidder(report(store, "2021-01-01"), NUCTECH)
    assert low_b["outcome"] == "mitigate", low_b["rationale"]
    assert critical_b["outcome"] == "exclude"
    assert {f["criterion"] for f in low_b["findings"]} >= {
        "restricted-listing",
        "state-control",
        "legal-regime",
    }


def test_an_edited_copy_of_the_framework_changes_the_decision(
    sqlite_store: Store, tmp_path: Path
) -> None:
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    data["id"] = "my-stricter-policy"
    for rule in data["outcome"]["rules"]:
        if rule["id"] == "restricted-list-low":
            rule["outcome"] = "exclude"
    framework = tmp_path / "my-stricter-policy.yaml"
    framework.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    tender = FIXTURES / "low-tier-tender.yaml"
    loaded = prepare(sqlite_store, tender)
    rep = build_report(assess(sqlite_store, loaded, as_of=dt.date(2021, 1, 1), framework=framework))
    assert rep["framework"]["id"] == "my-stricter-policy"
    assert bidder(rep, NUCTECH)["outcome"] == "exclude"
    assert bidder(report(sqlite_store, "2021-01-01", tender), NUCTECH)["outcome"] == "mitigate"
