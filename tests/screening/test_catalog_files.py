"""The saved catalog: columns read back memory-mapped, entities found by binary search, names
read by worker processes when there are many, and the model file's JSON copy."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from bidvet.screening import catalog as catalog_module
from bidvet.screening import features_v2, model_v2
from bidvet.screening.catalog import Catalog, Entry, columns_dir
from bidvet.screening.config import policy_for

# fictional entities; one name outside ASCII, one entity without names
ENTRIES = [
    Entry("e-2", [("Tarnis Holdings Ltd", "primary"), ("TARNIS", "weak")], countries=["DE"]),
    Entry("e-1", [("Borealis Scanning Co., Ltd.", "primary")], identifiers=[("lei", "5299X1")]),
    Entry("e-3", [("Société Kalinor SA", "primary"), ("ООО Калинор", "original")]),
    Entry("e-0", [], schema="Person"),
]


def _catalog() -> Catalog:
    return Catalog.from_entries(ENTRIES, policy_for(None).generic_org_words)


def test_saved_catalog_reads_back_the_same(tmp_path: Path) -> None:
    cat = _catalog()
    cat.precompute_canon()
    path = tmp_path / "catalog.npz"
    cat.save(path)
    loaded = Catalog.load(path)
    assert len(loaded) == len(cat)
    for column in Catalog.ROWS[:-1]:
        assert [loaded.value(column, r) for r in range(len(cat))] == getattr(cat, column)
        assert getattr(loaded, column) == getattr(cat, column)
    for row in range(len(cat)):
        assert loaded.canon(row) == cat.canon(row)
    # entities are found by binary search in the saved id order, absent ones are not
    assert [loaded.entities[e.entity_id] for e in ENTRIES] == [
        cat.entities[e.entity_id] for e in ENTRIES
    ]
    assert "e-9" not in loaded.entities and "e-1" in loaded.entities
    with pytest.raises(KeyError):
        loaded.entities["e-9"]
    assert loaded.identifiers == cat.identifiers


def test_values_read_one_by_one_and_from_the_whole_column_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A saved column's first values are decoded one by one, later ones sliced from the column
    decoded whole (ASCII columns): the same values either way, in ASCII columns and others."""
    monkeypatch.setattr(catalog_module, "WHOLE_AFTER", 2)
    cat = _catalog()
    path = tmp_path / "catalog.npz"
    cat.save(path)
    loaded = Catalog.load(path)
    for column in Catalog.ROWS[:-1]:
        expected = getattr(cat, column)
        read = [loaded.value(column, r) for r in (*range(len(cat)), *range(len(cat)))]
        assert read == expected + expected
    assert "originals" in loaded._cols._reads and loaded._cols._ascii["originals"] is None
    assert isinstance(loaded._cols._ascii["folded"], str)  # decoded whole after two reads


def test_a_cut_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.npz"
    _catalog().save(path)
    text = columns_dir(path) / "originals.text.npy"
    np.save(text, np.load(text)[:-3], allow_pickle=False)
    with pytest.raises(ValueError, match="originals"):
        Catalog.load(path)


def test_names_read_by_workers_as_here(monkeypatch: pytest.MonkeyPatch) -> None:
    here = _catalog()
    here.precompute_canon()
    monkeypatch.setattr(catalog_module, "PARALLEL_NAMES", 2)
    monkeypatch.setattr(catalog_module, "_CHUNK", 2)
    monkeypatch.setattr(catalog_module, "usable_cores", lambda: 2)
    there = _catalog()
    there.precompute_canon()
    for column in Catalog.ROWS[:-1]:
        assert getattr(there, column) == getattr(here, column)
    assert [there.canon(r) for r in range(len(here))] == [here.canon(r) for r in range(len(here))]


def test_model_is_read_from_its_json_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path))
    first = model_v2.load_model()
    copies = list((tmp_path / "models").glob("name_model_v2-*.json"))
    assert len(copies) == 1
    assert model_v2.load_model() == first
    copies[0].write_text("{not json", encoding="utf-8")  # a damaged copy is made again
    assert model_v2.load_model() == first
    assert json.loads(copies[0].read_text(encoding="utf-8"))["intercept"] == first.intercept
    # the word frequencies shared with features_v2 are those of the file
    table = features_v2.word_frequencies()
    data = yaml.safe_load(model_v2.MODEL_FILE.read_text(encoding="utf-8"))
    assert table == features_v2.parse_word_frequencies(data["word_frequencies"])
