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
    assert ev["source"]["published"] == "2020-12-22"
    assert "85 FR 83416" in ev["source"]["title"]
    assert "China National Nuclear Corporation" in evidence_text(b, "controlling-owner")
    assert "CNNC Capital Holdings Co., Ltd. → Tongfang Co., Ltd.: controlling-shareholder" in (
        evidence_text(b, "state-control")
    )
    assert "China National Nuclear Corporation → CNNC Capital Holdings Co., Ltd." in (
        evidence_text(b, "state-control")
    )
    assert "China National Nuclear Corporation is state-owned" in evidence_text(b, "state-control")
    legal = evidence_text(b, "legal-regime")
    assert "National Intelligence Law (2017, as amended 2018-04-27), Articles 7 and 14" in legal
    assert '"All organizations and citizens shall support, assist, and cooperate' in legal
    assert "[verify exact text]" not in legal
    integrity = evidence_text(b, "integrity-events")
    # In the 10-year look-back to 2021-01-01: the reported US airports bar (2014) and the
    # Taiwan case (2016, 2020); Namibia (2008-2009) and the EU duties (2009-2010) are older.
    for word in ("Reported, not confirmed", "US airports", "Taiwan"):
        assert word in integrity, integrity
    for word in ("Namibia", "anti-dumping", "Foreign Subsidies"):
        assert word not in integrity, integrity
    assert "DoD Section 1260H" not in evidence_text(b, "military-links")
    _sourced(b)


def test_nuctech_as_of_2026_06_30_adds_cnnc_dod_1260h(store: Store) -> None:
    b = bidder(report(store, "2026-06-30"), NUCTECH)
    military = [
        e
        for f in findings(b, "military-links")
        for e in f["evidence"]
        if e["kind"] == "listing" and "1260H" in e["text"]
    ]
    assert len(military) == 1, b["findings"]  # the 2026 edition only: earlier ones have ended
    assert (
        "China National Nuclear Corporation is on the DoD Section 1260H list"
        in (military[0]["text"])
    )
    assert military[0]["date"] == "2026-06-08"
    assert military[0]["path"] == ["nuctech", "tongfang", "cnnc-capital", "cnnc"]
    assert military[0]["source"]["published"] == "2026-06-08"
    assert b["outcome"] in ("exclude", "restrict")


def test_nuctech_as_of_2020_12_01_cites_only_what_was_public_then(store: Store) -> None:
    before = bidder(report(store, "2020-12-01"), NUCTECH)
    after = bidder(report(store, "2021-01-01"), NUCTECH)
    criteria = {f["criterion"] for f in before["findings"]}
    # the Entity List starts 2020-12-18; the only source bidvet holds for Tongfang's control of
    # Nuctech (ASPI) was published on 2020-12-17: neither is evidence on 2020-12-01
    assert "restricted-listing" not in criteria
    assert not {"controlling-owner", "state-control", "military-links"} & criteria
    assert {"legal-regime", "missing-information"} <= criteria
    for day, result in (("2020-12-01", before), ("2021-01-01", after)):
        for finding in result["findings"]:
            for ev in finding["evidence"]:
                published = ev["source"]["published"]
                assert published is None or published <= day, (day, finding["criterion"], ev)
    later = {k["kind"]: k for k in before["known_later"]}
    assert (
        later["listing"]["text"]
        == "Nuctech Company Limited is on the Entity List only from 2020-12-18"
    )
    assert later["ownership"]["public_from"] == "2020-12-17"
    assert "Tongfang Co., Ltd. → Nuctech Company Limited" in later["ownership"]["text"]
    # unknown owners at the critical tier restrict until they are declared
    assert before["outcome"] == "restrict"
    assert "unknown-bidder-sensitive" in " ".join(before["rationale"])
    # by 2021-01-01 the Entity List and the control chain are public: state control with a
    # compelling legal regime is not mitigable at the critical tier
    assert after["outcome"] == "exclude"
    assert any("state-regime-critical" in r for r in after["rationale"])
    assert any(
        "restricted-list-critical" in r and "restricted-listing" in r for r in after["rationale"]
    )
    # The Taiwan indictment (2016) and conviction (2020-02-26) are dated, public and in the
    # window; the reported US airports bar comes from the ASPI piece, public only 2020-12-17.
    events = evidence_text(before, "integrity-events")
    assert "2016-07-26: Taiwan" in events and "2020-02-26: Taiwan" in events, events
    assert "barred from US airports" not in events, events
    assert "Namibia" not in events, events
    assert "2014: Reported, not confirmed by a primary source" in evidence_text(
        after, "integrity-events"
    )
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
    # the buyer is Canadian: the OFAC 50 % rule is not its law, so the inherited SDN listing is
    # a risk signal, which still excludes at the critical tier
    assert findings(b, "inherited-barring-listing") == []
    inherited = findings(b, "inherited-restricted-listing")
    assert len(inherited) == 1, b["findings"]
    summary = inherited[0]["summary"]
    assert "under the us_ofac regime through its owner Vostok" in summary
    assert "not a legal bar for a buyer in Canada (federal): a risk signal" in summary
    listing, path = inherited[0]["evidence"][:2]
    assert listing["path"] == ["vostok-strategic"]
    assert path["path"] == ["kestrel-imaging", "tarn-holdings", "vostok-strategic"]
    assert b["outcome"] == "exclude"
    assert any("restricted-list-critical" in r for r in b["rationale"])


def test_listing_reaches_a_bidder_through_its_parents_owner(store: Store) -> None:
    rep = report(store, "2021-01-01", FIXTURES / "inherited-tender.yaml")
    b = bidder(rep, "Merlin Optics Ltd")
    inherited = findings(b, "inherited-barring-listing")
    assert len(inherited) == 1, b["findings"]
    assert (
        "under the us_ofac regime through its owner Ostrander Defence Works JSC"
        in (inherited[0]["summary"])
    )
    assert inherited[0]["evidence"][1]["path"] == ["test-merlin", "test-tarnwell", "test-ostrander"]
    assert b["outcome"] == "exclude"  # a legal bar for a US buyer, even at a low tier
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
