"""Lists that publish no start dates: an entry counts from the publication that first carried
it, and an earlier assessment says so instead of passing the bidder silently."""

from __future__ import annotations

from pathlib import Path

from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.assessment.helpers import bidder, findings, report
from tests.conftest import FIXTURES

TENDER = """\
bidvet: tender/1
id: undated-list-test
title: Undated list test (fictional)
buyer: {name: Example buyer, country: us}
site: {type: office, label: Ordinary government office}
items:
  - {id: chairs, description: Office chairs (furniture), tier: low}
bidders:
  - {id: tarn, name: Tarn Holdings Ltd, entity_id: ofac-900001}
"""


def test_entry_counts_from_first_publication_and_earlier_reports_say_why(
    sqlite_store: Store, tmp_path: Path
) -> None:
    load_file(sqlite_store, FIXTURES / "sources" / "sdn_v1.xml")  # published 2024-03-01
    tender = tmp_path / "tender.yaml"
    tender.write_text(TENDER, encoding="utf-8")
    before = bidder(report(sqlite_store, "2021-01-01", tender), "Tarn Holdings Ltd")
    after = bidder(report(sqlite_store, "2024-06-01", tender), "Tarn Holdings Ltd")
    assert not findings(before, "barring-listing"), before["findings"]
    later = [k for k in before["known_later"] if k["kind"] == "listing"]
    assert any(
        "publishes no start date; the entry was first seen in the publication of 2024-03-01"
        in k["text"]
        for k in later
    ), before["known_later"]
    assert all(k["public_from"] == "2024-03-01" for k in later)
    assert findings(after, "barring-listing"), after["findings"]
    assert after["outcome"] == "exclude"
