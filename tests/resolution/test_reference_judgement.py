"""The shipped reference judgement: CNNC of the Nuctech case is OFAC NS-CMIC entry 30954."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bidvet.assessment.engine import assess
from bidvet.assessment.report import build_report
from bidvet.resolution.judgements import install_reference_judgements
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.assessment.helpers import bidder, findings, prepare

NUCTECH = "Nuctech Company Limited"


def _ns_cmic_via_judgement(store: Store, as_of: str) -> list[dict[str, object]]:
    rep = build_report(assess(store, prepare(store), as_of=dt.date.fromisoformat(as_of)))
    out = []
    for f in findings(bidder(rep, NUCTECH), "listed-owner"):
        texts = [e["text"] for e in f["evidence"]]
        if "[ofac-30954]" in f["summary"]:
            out.append({"summary": f["summary"], "evidence": texts, "raw": f["evidence"]})
    return out


@pytest.mark.shared_data
def test_nuctech_shows_cnnc_ns_cmic_listing_through_the_judgement(
    sqlite_store: Store, shared_data: Path
) -> None:
    load_file(sqlite_store, shared_data / "official-lists-2024" / "consolidated.xml")
    prepare(sqlite_store)
    (result,) = install_reference_judgements(sqlite_store)
    assert result.written == 1  # the CSL row waits until the CSL is loaded
    assert result.skipped == ("line 3: no entity 'csl-30954' in the store",)

    (hit,) = _ns_cmic_via_judgement(sqlite_store, "2021-06-04")
    summary = str(hit["summary"])
    assert "owner China National Nuclear Corporation holds Nuctech Company Limited" in summary
    assert "NS-CMIC" in summary and "since 2021-06-03" in summary
    link = next(e for e in hit["raw"] if e["kind"] == "screening")  # type: ignore[attr-defined]
    assert (
        "China National Nuclear Corporation (cnnc) and CHINA NATIONAL NUCLEAR CORPORATION"
        in (link["text"])
    )
    assert "judged positive by bidvet reference case" in link["text"]
    assert "uid 30954" in link["source"]["title"]
    assert (
        link["source"]["url"]
        == "https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list"
    )

    # the day before the NS-CMIC listing date the entry is not in force: nothing through it
    assert _ns_cmic_via_judgement(sqlite_store, "2021-06-02") == []
