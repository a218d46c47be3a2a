"""FtM exports the way OpenSanctions ships them: each Sanction on its own list, non-lists kept
apart, every dataset of an entity kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bidvet.model.records import ImportBatch
from bidvet.sources.loader import load_file, parse_file
from bidvet.store.db import Store

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "ftm"
EXPORT = HERE / "opensanctions_style.json"


def _parse(path: Path) -> ImportBatch:
    return parse_file(path)[1]


def test_each_sanction_is_placed_on_the_list_of_its_own_dataset_or_program() -> None:
    batch = _parse(EXPORT)
    lists = sorted(lst.list_id for lst in batch.listings if lst.entity_id == "xx-ketrel-drones")
    assert lists == [
        "au-dfat",
        "ca-sema",
        "ch-seco",
        "eu-fsf",
        "gb-fcdo-sanctions",
        "jp-mof",
        "us-bis-entity",
        "us-ofac-sdn",
    ]
    eu = next(lst for lst in batch.listings if lst.list_id == "eu-fsf")
    assert eu.program == "Fictional excerpt: EU Ukraine territorial integrity"
    assert eu.start_date == dt.date(2023, 2, 25)
    gb = next(lst for lst in batch.listings if lst.list_id == "gb-fcdo-sanctions")
    assert gb.program == "GB-RUS"  # no program text: the program key stands in
    assert not any(lst.list_id.startswith("ftm-") for lst in batch.listings)


def test_a_registry_dataset_does_not_name_the_file_or_any_list() -> None:
    batch = _parse(EXPORT)
    assert batch.dataset == "ftm-opensanctions_style"
    assert all(lst.list_id != "ftm-ext_ru_egrul" for lst in batch.listings)


def test_disqualification_is_kept_as_a_fact_and_logged_not_listed() -> None:
    batch = _parse(EXPORT)
    assert not [lst for lst in batch.listings if lst.entity_id == "gb-coh-quill"]
    person = next(e for e in batch.entities if e.id == "gb-coh-quill")
    assert person.properties["datasetKinds"] == ["gb_coh_disqualified=disqualification"]
    skipped = [i for i in batch.quality.issues if i.record == "gb-coh-disq-quill"]
    assert [i.action for i in skipped] == ["skipped"]
    assert "disqualification" in skipped[0].reason
    assert batch.extra["not_listings"] == {"disqualification": 1}


def test_entities_keep_every_dataset_with_its_kind() -> None:
    batch = _parse(EXPORT)
    ketrel = next(e for e in batch.entities if e.id == "xx-ketrel-drones")
    assert ketrel.properties["datasets"][:2] == ["ext_ru_egrul", "eu_fsf"]
    kinds = dict(k.split("=") for k in ketrel.properties["datasetKinds"])
    assert kinds["ext_ru_egrul"] == "registry" and kinds["eu_fsf"] == "sanction"
    assert len(kinds) == 8
    service = next(e for e in batch.entities if e.id == "ru-egrul-ketrel-service")
    assert service.properties["datasetKinds"] == ["ext_ru_egrul=registry"]


def test_bad_and_partial_dates_are_unknown_with_a_note_naming_the_value() -> None:
    batch = _parse(EXPORT)
    ca = next(lst for lst in batch.listings if lst.list_id == "ca-sema")
    ch = next(lst for lst in batch.listings if lst.list_id == "ch-seco")
    assert ca.start_date is None and ch.start_date is None
    notes = {
        (i.record, i.field, i.value)
        for i in batch.quality.issues
        if i.action == "normalised" and i.field in ("startDate", "endDate")
    }
    assert notes == {
        ("ca-sema-ketrel", "startDate", "2022-13-45"),
        ("ch-seco-ketrel", "startDate", "2023-03"),
        ("ru-egrul-own-1", "startDate", "2019"),
    }


def test_an_unknown_dataset_sanction_is_still_listed_under_its_own_name(tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    path.write_text(
        '{"id": "c1", "schema": "Company", "properties": {"name": ["Quorra Fictional Ltd"]},'
        ' "datasets": ["xx_fictional_sanctions", "ext_ru_egrul"]}\n'
        '{"id": "s1", "schema": "Sanction", "properties": {"entity": ["c1"]},'
        ' "datasets": ["xx_fictional_sanctions", "ext_ru_egrul"]}\n'
    )
    batch = _parse(path)
    assert [lst.list_id for lst in batch.listings] == ["ftm-xx_fictional_sanctions"]
    assert batch.dataset == "ftm-mixed"


def test_an_eu_listed_company_loads_as_an_eu_listing(store: Store) -> None:
    summary = load_file(store, EXPORT)
    assert summary.rejected == 0 and summary.extra["not_listings"] == {"disqualification": 1}
    with store.view() as view:
        found = view.listings(["xx-ketrel-drones", "gb-coh-quill"], dt.date(2024, 1, 1))
    assert "eu-fsf" in {lst.list_id for lst in found["xx-ketrel-drones"]}
    assert found["gb-coh-quill"] == []
