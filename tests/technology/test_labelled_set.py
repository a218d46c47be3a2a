"""The labelled item set: well-formed, honest about its sources, and meeting the floors."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from bidvet.technology.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "eval" / "technology" / "labelled_items.yaml"


def _items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["items"]
    return items


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "technology_eval", ROOT / "eval" / "technology_eval.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_is_large_enough_with_a_holdout() -> None:
    items = _items()
    assert len(items) >= 150
    holdout = sum(1 for i in items if i["split"] == "holdout")
    assert 0.2 <= holdout / len(items) <= 0.4, holdout
    assert len({i["id"] for i in items}) == len(items)


def test_every_label_is_a_taxonomy_feature_and_every_item_has_a_source() -> None:
    tax = load_taxonomy()
    for item in _items():
        assert item["source"]["dataset"], item["id"]
        for feat in item["expected"]:
            assert feat in tax.features, (item["id"], feat)
        if "site" in item:
            assert tax.site(item["site"]) is not None


def test_floors_on_dev_and_holdout() -> None:
    module = _eval_module()
    items = _items()
    for split in ("dev", "holdout"):
        res = module.evaluate([i for i in items if i["split"] == split])
        precision, recall, _ = module._prf(*res["counts"])
        assert precision >= 0.9 and recall >= 0.85, (split, precision, recall)


@pytest.mark.shared_data
def test_real_items_quote_the_public_data_exactly(shared_data: Path) -> None:
    with (shared_data / "au-act-contracts-2025" / "act_contracts_2025.csv").open(
        encoding="utf-8"
    ) as fh:
        titles = {row["contract_number"]: row["title"].strip() for row in csv.DictReader(fh)}
    for item in _items():
        source = item["source"]
        if source["dataset"] == "au-act-contracts-2025":
            assert titles[source["record"]] == item["text"], item["id"]
        elif source["dataset"] == "ocds-examples":
            raw = (shared_data / source["file"]).read_text(encoding="utf-8")
            assert json.dumps(item["text"])[1:-1] in raw or item["text"] in raw, item["id"]
