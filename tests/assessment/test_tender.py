from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bidvet.assessment.engine import assess
from bidvet.assessment.tender import load_tender
from bidvet.errors import ConfigError
from bidvet.store.db import Store
from tests.assessment.helpers import EXAMPLE


def _variant(tmp_path: Path, edit: Any) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    (tmp_path / "vendors.yaml").write_bytes((EXAMPLE.parent / "vendors.yaml").read_bytes())
    edit(data)
    path = tmp_path / "my-tender.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for name in [data["answers_file"]] if isinstance(data.get("answers_file"), str) else []:
        (tmp_path / name).write_bytes((EXAMPLE.parent / name).read_bytes())
    return path


def test_example_tender_loads() -> None:
    loaded = load_tender(EXAMPLE)
    t = loaded.tender
    assert t.site.type == "diplomatic-mission"
    assert [b.id for b in t.bidders] == ["nuctech", "borealis", "kestrel", "fjordline"]
    assert {b.price.currency for b in t.bidders if b.price} == {"CAD"}
    assert loaded.knowledge_paths() == [EXAMPLE.parent / "vendors.yaml"]


@pytest.mark.parametrize(
    ("edit", "key", "fix"),
    [
        (lambda d: d.update(buyr={"name": "x"}), "buyr", "remove or rename the key 'buyr'"),
        (
            lambda d: d["bidders"][1].update(prise=3),
            "bidders[1] (id=borealis).prise",
            "remove or rename",
        ),
        (lambda d: d.pop("bidders"), "bidders", "add the key 'bidders'"),
        (lambda d: d.update(bidders=[]), "bidders", "correct the value"),
        (lambda d: d.update(date="2020-31-12"), "date", "write dates as YYYY-MM-DD"),
        (
            lambda d: d["bidders"][0]["price"].update(amount="cheap"),
            "bidders[0] (id=nuctech).price.amount",
            "right type",
        ),
        (
            lambda d: d["site"].update(sensitivity="extreme"),
            "site.sensitivity",
            "use one of the allowed values",
        ),
        (
            lambda d: d["bidders"].append(dict(d["bidders"][0])),
            "bidders[4].id",
            "give every entry its own id",
        ),
        (
            lambda d: d.update(knowledge=["nowhere.yaml"]),
            "knowledge[0]",
            "give a path relative to the tender file",
        ),
    ],
)
def test_malformed_tender_names_file_key_and_fix(
    tmp_path: Path, edit: Any, key: str, fix: str
) -> None:
    path = _variant(tmp_path, edit)
    with pytest.raises(ConfigError) as err:
        load_tender(path)
    text = str(err.value)
    assert text.startswith(f"{path}: {key}"), text
    assert fix in text, text


def test_unknown_technology_feature_names_tender_item_and_fix(
    tmp_path: Path, sqlite_store: Store
) -> None:
    path = _variant(
        tmp_path, lambda d: d["items"][0]["technology"]["features"].append("storage.floppy")
    )
    with pytest.raises(ConfigError) as err:
        assess(sqlite_store, path)
    text = str(err.value)
    assert text.startswith(f"{path}: items[0] (xray-baggage).technology"), text
    assert "storage.floppy" in text and "use one of:" in text
