"""Compiling OCDS releases into one compiled release, by the OCDS merge rules.

The rules (OCDS 1.1 "Merging"): releases are applied in date order; objects merge field by
field; a ``null`` removes a field; an array of objects that all carry an ``id`` merges item by
item on that ``id`` (identifier merge), any other array replaces the earlier one whole. The
release-level ``id``, ``date`` and ``tag`` are not merged: the compiled release gets
``tag: ["compiled"]``, the latest ``date`` and an ``id`` made from the ocid and that date.

Written here rather than taken from ``ocdsmerge`` to keep bidvet's dependencies to the field's
core libraries; the behaviour tested in ``tests/sources/test_ocds_merge.py`` follows the
standard's worked examples.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

_OMIT = ("id", "date", "tag")


def _is_identified(value: list[Any]) -> bool:
    return bool(value) and all(isinstance(v, dict) and "id" in v for v in value)


def _merge_value(old: Any, new: Any) -> Any:
    if isinstance(new, dict):
        base = old if isinstance(old, dict) else {}
        return _merge_object(base, new)
    if isinstance(new, list):
        if _is_identified(new) and (old is None or _is_identified(old)):
            merged: dict[Any, Any] = {}
            for item in old or []:
                merged[_key(item["id"])] = item
            for item in new:
                key = _key(item["id"])
                merged[key] = _merge_object(merged.get(key, {}), item)
            return list(merged.values())
        return copy.deepcopy(new)
    return new


def _key(value: Any) -> Any:
    return value if isinstance(value, (str, int)) else repr(value)


def _merge_object(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out = dict(old)
    for name, value in new.items():
        if value is None:
            out.pop(name, None)
        else:
            out[name] = _merge_value(out.get(name), value)
    return out


def compile_releases(releases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The compiled release of one ocid's releases (sorted by ``date``; ties keep file order)."""
    ordered = sorted(releases, key=lambda r: str(r.get("date") or ""))
    compiled: dict[str, Any] = {}
    for release in ordered:
        body = {k: v for k, v in release.items() if k not in _OMIT}
        compiled = _merge_object(compiled, body)
    last = ordered[-1] if ordered else {}
    compiled["id"] = f"{compiled.get('ocid', '')}-{last.get('date', '')}"
    if last.get("date"):
        compiled["date"] = last["date"]
    compiled["tag"] = ["compiled"]
    return compiled
