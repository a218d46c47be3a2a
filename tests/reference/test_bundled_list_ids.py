"""Every list id the bundled data names is a list ``data/lists.yaml`` defines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import yaml

from bidvet.assessment.knowledge import reference_files
from bidvet.framework.loader import FRAMEWORKS
from bidvet.sources.curated import parse_curated
from bidvet.sources.lists import list_registry

LIST_KEYS = ("lists", "except_lists")


def _list_ids(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in LIST_KEYS and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _list_ids(value)
    elif isinstance(node, list):
        for item in node:
            yield from _list_ids(item)


def test_every_list_id_a_bundled_framework_names_is_defined() -> None:
    known = set(list_registry().ids())
    files = sorted(FRAMEWORKS.glob("*.yaml"))
    assert files
    for path in files:
        named = set(_list_ids(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert named, path
        assert named <= known, (path.name, sorted(named - known))


def test_every_list_id_of_the_reference_case_is_defined() -> None:
    known = set(list_registry().ids())
    for path in reference_files():
        doc = parse_curated(path)
        assert {lst.list for lst in doc.listings} <= known, path


def test_uk_lists_are_dated_around_the_retirement_of_the_ofsi_list() -> None:
    registry = list_registry()
    assert registry.get("gb-hmt-ofsi").valid_to == dt.date(2026, 1, 27)
    fcdo = registry.get("gb-fcdo-sanctions")
    assert fcdo.valid_to is None and fcdo.jurisdiction == "gb"
