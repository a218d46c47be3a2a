"""The read-only query layer: every View question on a store loaded through the real importers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bidvet.model.facts import SourceRef
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, IdentifierRecord, ImportBatch, NameRecord
from bidvet.sources.identifiers import identifier_schemes
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from bidvet.store.writer import write_batch
from tests.conftest import FIXTURES

SOURCE = '{title: "Fictional test data", url: "https://example.invalid/v", published: 2020-06-01}'
KNOWLEDGE = f"""\
bidvet: curated/1
dataset: test-view
title: Fictional entities for the query layer (no real company)
fictional: true
entities:
  - id: v-subject
    schema: Company
    names: ["Vantle Subject Ltd", {{name: "Vantle Subject", kind: alias}}]
    countries: [gb, {{country: FR, role: address}}]
    topics: [gov.soe, mil]
    identifiers: [{{scheme: regno, value: "VS-100.200"}}, {{scheme: lei, value: "BAD-LEI"}}]
    source: {SOURCE}
  - id: v-parent
    schema: Company
    names: ["Vantle Parent plc"]
    countries: [cn]
    source: {SOURCE}
  - id: v-state
    schema: State
    names: ["Republic of Vantle"]
    source: {SOURCE}
  - id: v-former
    schema: Company
    names: ["Vantle Former Holder"]
    source: {{title: "Fictional test data"}}
lists:
  - {{id: test-list-a, name: Test List A}}
  - {{id: test-list-b, name: Test List B}}
listings:
  - {{entity: v-parent, list: test-list-b, list_name: Test List B, program: P2,
     start_date: 2020-01-01, source: {SOURCE}}}
  - {{entity: v-parent, list: test-list-a, list_name: Test List A, program: P1,
     start_date: 2019-01-01, end_date: 2020-12-31, source: {SOURCE}}}
  - {{entity: v-parent, list: test-list-a, list_name: Test List A, program: P0,
     start_date: 2023-05-01, source: {SOURCE}}}
ownership:
  - {{key: p-s, owner: v-parent, asset: v-subject, share: 60, start_date: 2019-01-01,
     source: {SOURCE}}}
  - {{key: st-p, owner: v-state, asset: v-parent, kind: state, source: {{title: "State decree"}}}}
  - {{key: f-s, owner: v-former, asset: v-subject, share: "10-20", end_date: 2018-12-31,
     source: {SOURCE}}}
events:
  - {{key: late, entity: v-subject, kind: raid, date: 2024-03, summary: "Fictional raid later.",
     source: {SOURCE}}}
  - {{key: early, entity: v-subject, kind: bribery, date: 2017-02-03,
     summary: "Fictional bribery conviction.", source: {SOURCE}}}
  - {{key: undated, entity: v-subject, kind: other, summary: "Fictional undated note.",
     source: {SOURCE}}}
"""

DAY = dt.date(2021, 6, 1)


@pytest.fixture
def view_store(store: Store, tmp_path: Path) -> Store:
    path = tmp_path / "view.yaml"
    path.write_text(KNOWLEDGE, encoding="utf-8")
    load_file(store, path)
    return store


def test_entities_with_names_countries_topics_and_identifiers(view_store: Store) -> None:
    with view_store.view() as view:
        found = view.entities(["v-subject", "v-state", "nobody"])
        one = view.entity("v-subject")
        assert view.entity("nobody") is None
    assert sorted(found) == ["v-state", "v-subject"]
    assert one == found["v-subject"]
    assert one.schema == "Company" and one.caption == "Vantle Subject Ltd"
    assert one.dataset == "test-view"
    assert one.names == ("Vantle Subject", "Vantle Subject Ltd")
    assert one.countries == ("fr", "gb")
    assert one.country_roles == (("fr", "address"), ("gb", "jurisdiction"))
    assert one.topics == ("gov.soe", "mil")
    # the LEI failed its check: kept out of the store, logged instead
    assert one.identifiers == (("regno", "VS100200"),)
    assert one.source == SourceRef(
        "Fictional test data", "https://example.invalid/v", dt.date(2020, 6, 1)
    )


def test_captions_schemata_topics_and_datasets(view_store: Store) -> None:
    ids = ["v-subject", "v-state", "nobody"]
    with view_store.view() as view:
        assert view.captions(ids) == {
            "v-subject": "Vantle Subject Ltd",
            "v-state": "Republic of Vantle",
        }
        assert view.schemata(ids) == {"v-subject": "Company", "v-state": "State"}
        assert view.topics(ids) == {"v-subject": ["gov.soe", "mil"]}
        assert view.datasets_of(["v-parent", "nobody"]) == {"test-view"}
        assert view.datasets_of([]) == set()


def test_catalog_holds_every_entity_with_names_and_identifiers(view_store: Store) -> None:
    with view_store.view() as view:
        catalog = {c.id: c for c in view.catalog()}
    assert sorted(catalog) == ["v-former", "v-parent", "v-state", "v-subject"]
    subject = catalog["v-subject"]
    assert subject.names == (("Vantle Subject Ltd", "primary"), ("Vantle Subject", "alias"))
    assert sorted(subject.countries) == ["fr", "gb"]
    assert subject.identifiers == (("regno", "VS100200"),)


def test_listings_in_force_and_in_the_future(view_store: Store) -> None:
    with view_store.view() as view:
        every = view.listings(["v-parent", "v-subject"])
        on_day = view.listings(["v-parent", "v-subject"], DAY)
        future = view.future_listings(["v-parent"], DAY)
    assert every["v-subject"] == [] and on_day["v-subject"] == []
    assert [(f.list_id, f.program) for f in every["v-parent"]] == [
        ("test-list-a", "P0"),
        ("test-list-a", "P1"),
        ("test-list-b", "P2"),
    ]
    assert [(f.list_id, f.program) for f in on_day["v-parent"]] == [("test-list-b", "P2")]
    b = on_day["v-parent"][0]
    assert (b.list_name, b.start, b.start_date, b.end_date) == (
        "Test List B",
        dt.date(2020, 1, 1),
        dt.date(2020, 1, 1),
        None,
    )
    assert b.source_url == "https://example.invalid/v" and b.dataset == "test-view"
    assert [(f.list_id, f.program, f.start) for f in future] == [
        ("test-list-a", "P0", dt.date(2023, 5, 1))
    ]


def test_ownership_edges_by_date_and_direction(view_store: Store) -> None:
    with view_store.view() as view:
        into = view.owners(["v-subject"], DAY)
        ever = view.owners(["v-subject"], None)
        out_of = view.owned(["v-state"], DAY)
        every = view.all_edges(DAY)
        owned = view.with_owners(["v-subject", "v-parent", "v-state"], DAY)
        owned_ever = view.with_owners(["v-subject", "v-state"])
        assert view.in_any_edge("v-state") and not view.in_any_edge("nobody")
        sources = view.edge_sources(["v-state", "v-parent", "nobody"])
    assert [e.key for e in into] == ["test-view:p-s"]
    assert [e.key for e in ever] == ["test-view:f-s", "test-view:p-s"]  # by owner id
    edge = into[0]
    assert (edge.owner_id, edge.asset_id, edge.kind, edge.share) == (
        "v-parent",
        "v-subject",
        "shares",
        0.6,
    )
    assert edge.citation == SourceRef(
        "Fictional test data", "https://example.invalid/v", dt.date(2020, 6, 1)
    )
    former = ever[0]
    assert (former.share_min, former.share_max, former.end_date) == (
        0.1,
        0.2,
        dt.date(2018, 12, 31),
    )
    assert [(e.owner_id, e.kind) for e in out_of] == [("v-state", "state")]
    assert [e.key for e in every] == ["test-view:p-s", "test-view:st-p"]
    assert owned == {"v-subject", "v-parent"}
    assert owned_ever == {"v-subject"}
    assert sources == {"v-state": "State decree", "v-parent": "Fictional test data"}


def test_events_undated_first_then_by_date_and_cut_at_the_date(view_store: Store) -> None:
    with view_store.view() as view:
        every = view.events(["v-subject"])
        on_day = view.events(["v-subject"], DAY)
    assert [e.key for e in every] == ["test-view:undated", "test-view:early", "test-view:late"]
    assert [e.key for e in on_day] == ["test-view:undated", "test-view:early"]
    late = every[2]
    assert (late.kind, late.date, late.date_precision) == ("raid", dt.date(2024, 3, 1), "month")
    assert late.source.title == "Fictional test data" and late.dataset == "test-view"


def test_snapshots_quality_and_contract_processes(view_store: Store) -> None:
    summary = load_file(view_store, FIXTURES / "contracts" / "history.json")
    with view_store.view() as view:
        snaps = view.snapshots()
        issues = view.quality(["test-view"])
        assert view.quality(["nobody"]) == []
        ocids = view.ocids_of_snapshot(snaps[1].id)
        assert view.ocids_of_snapshot(snaps[0].id) == []
    assert [s.dataset for s in snaps] == ["test-view", summary.dataset]
    first = snaps[0]
    assert (first.format, first.file_name, first.complete_list) == (
        "bidvet-curated",
        "view.yaml",
        False,
    )
    assert first.to_json()["imported_at"] == first.imported_at.isoformat()
    assert [(q.record, q.field, q.value, q.action) for q in issues] == [
        ("v-subject", "identifiers[1]", "BAD-LEI", "normalised")
    ]
    assert ocids and ocids == sorted(ocids)
    assert len(ocids) == summary.imported


# -- identifiers: stored once in key form, found from any punctuation of the value ------------

#: valid values for schemes with a check; every other scheme gets a plain punctuated value
CHECKED = {
    "lei": ("9845-000T.ARNHOLDING36", "9845000tarnholding36"),
    "uscc": ("91990000-MA0B.0RELAC", "91990000 ma0b0relac"),
    "imo": ("IMO 918-7629", "9187629"),
    "swift": ("DEUT.DE.FF", "deut de ff"),
    "isin": ("US-0378.3310-05", "us0378331005"),
}


def _schemes() -> list[str]:
    return [rule.scheme for rule in identifier_schemes().schemes]


def test_every_scheme_is_exercised() -> None:
    assert set(CHECKED) < set(_schemes())


@pytest.mark.parametrize("scheme", _schemes())
def test_curated_identifier_round_trips_through_any_punctuation(
    store: Store, tmp_path: Path, scheme: str
) -> None:
    stored, looked_up = CHECKED.get(scheme, ("ABC.123", "abc 123"))
    path = tmp_path / "ids.yaml"
    path.write_text(
        f"""\
bidvet: curated/1
dataset: test-ids
title: Fictional identifiers (no real company)
fictional: true
entities:
  - id: id-holder
    schema: Company
    names: ["Identifier Holder Ltd"]
    identifiers: [{{scheme: {scheme}, value: "{stored}"}}]
    source: {{title: "Fictional test data"}}
  - id: id-other
    schema: Company
    names: ["Other Holder Ltd"]
    source: {{title: "Fictional test data"}}
""",
        encoding="utf-8",
    )
    summary = load_file(store, path)
    assert summary.issues == [], summary.issues
    with store.view() as view:
        assert view.by_identifier(scheme, looked_up) == ["id-holder"]
        assert view.by_identifier(scheme.upper(), stored) == ["id-holder"]
        assert view.by_identifier(None, stored.lower()) == ["id-holder"]
        if scheme not in CHECKED:
            assert view.by_identifier(scheme, "ABC123") == ["id-holder"]
        assert view.by_identifier("other" if scheme != "other" else "tax", looked_up) == []
        assert view.by_identifier(scheme, "ABC124") == []


def test_written_identifier_is_found_by_any_scheme_spelling(store: Store) -> None:
    batch = ImportBatch(dataset="test-batch", format="test", quality=QualityLog("batch"))
    batch.entities.append(
        EntityRecord(
            "b-one",
            "Company",
            [NameRecord("Batch One Ltd")],
            identifiers=[IdentifierRecord("tax", "AB12C3", "ab-12.c3")],
        )
    )
    with store.transaction() as conn:
        write_batch(conn, batch, file_name="batch", sha256="b1", now=dt.datetime(2026, 1, 1))
    with store.view() as view:
        assert view.by_identifier("TAX", "ab 12 c3") == ["b-one"]
        assert view.by_identifier(None, "AB-12-C3") == ["b-one"]
        assert view.by_identifier("regno", "AB12C3") == []
