"""OCDS merge rules, as the standard's "Merging" section describes them."""

from __future__ import annotations

from bidvet.sources.ocds_merge import compile_releases


def test_later_release_overrides_fields_and_null_removes() -> None:
    compiled = compile_releases(
        [
            {
                "ocid": "o",
                "id": "2",
                "date": "2020-02-01",
                "tag": ["tender"],
                "tender": {"status": "complete", "description": None},
            },
            {
                "ocid": "o",
                "id": "1",
                "date": "2020-01-01",
                "tag": ["tender"],
                "tender": {"status": "active", "title": "T", "description": "D"},
            },
        ]
    )
    assert compiled["tender"] == {"status": "complete", "title": "T"}, compiled
    assert compiled["tag"] == ["compiled"]
    assert compiled["date"] == "2020-02-01"
    assert compiled["id"] == "o-2020-02-01"


def test_arrays_of_objects_with_ids_merge_by_id() -> None:
    compiled = compile_releases(
        [
            {
                "ocid": "o",
                "id": "1",
                "date": "2020-01-01",
                "awards": [{"id": "a1", "status": "pending", "title": "first"}],
            },
            {
                "ocid": "o",
                "id": "2",
                "date": "2020-02-01",
                "awards": [{"id": "a1", "status": "active"}, {"id": "a2", "status": "active"}],
            },
        ]
    )
    assert compiled["awards"] == [
        {"id": "a1", "status": "active", "title": "first"},
        {"id": "a2", "status": "active"},
    ], compiled["awards"]


def test_arrays_without_ids_are_replaced_whole() -> None:
    compiled = compile_releases(
        [
            {
                "ocid": "o",
                "id": "1",
                "date": "2020-01-01",
                "tender": {"submissionMethod": ["a", "b"]},
            },
            {"ocid": "o", "id": "2", "date": "2020-02-01", "tender": {"submissionMethod": ["c"]}},
        ]
    )
    assert compiled["tender"]["submissionMethod"] == ["c"]
