"""Canonical JSON for reports: the same dict always gives the same bytes.

Keys sorted, two-space indent, UTF-8 kept readable (no ``\\u`` escapes), one trailing newline.
Dates and other non-JSON values are rejected rather than stringified behind the caller's back:
the report builder is responsible for turning them into ISO strings, so the JSON schema stays
what it says.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from bidvet.errors import InputError


def _check_finite(value: Any, where: str) -> None:
    """Refuse NaN and infinities: they are not JSON and would not round-trip."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(
            None,
            f"value {value!r} is not valid JSON",
            record=where,
            fix="use null for unknown numbers",
        )
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_finite(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_finite(item, f"{where}[{index}]")


def canonical_json(data: Any) -> bytes:
    """Serialise ``data`` to canonical JSON bytes (sorted keys, indent 2, UTF-8, final newline)."""
    _check_finite(data, "$")
    try:
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
    except TypeError as exc:
        raise InputError(
            None,
            f"report contains a value JSON cannot hold ({exc})",
            record="$",
            fix="convert dates and decimals to strings or numbers before rendering",
        ) from exc
    return (text + "\n").encode("utf-8")
