"""The one JSON serialiser for everything bidvet writes out: reports, command output, JSON Lines
and the examples in the generated documentation.

UTF-8 is kept readable (no ``\\u`` escapes). NaN and the infinities are refused with an error
naming where they are (``$.bidders[2].price``), because they are not JSON and would not
round-trip; a value JSON cannot hold is refused too unless the caller passes ``default`` to
convert it. Keys are sorted unless the caller keeps its own order (``sort_keys=False``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from bidvet.errors import InputError


def _non_finite(value: Any, where: str) -> tuple[str, float] | None:
    """Where the first NaN or infinity in ``value`` is, and the value itself."""
    if isinstance(value, float) and not math.isfinite(value):
        return where, value
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = _non_finite(item, f"{where}.{key}")
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _non_finite(item, f"{where}[{index}]")
            if found is not None:
                return found
    return None


def dumps(
    data: Any,
    *,
    indent: int | None = 2,
    sort_keys: bool = True,
    default: Callable[[Any], Any] | None = None,
) -> str:
    """``data`` as JSON text, without a final newline.

    ``indent=None`` gives one line (JSON Lines). Raises :class:`~bidvet.errors.InputError` on
    NaN or an infinity, and on a value JSON cannot hold when there is no ``default``.
    """
    try:
        return json.dumps(
            data,
            ensure_ascii=False,
            indent=indent,
            sort_keys=sort_keys,
            allow_nan=False,
            default=default,
        )
    except ValueError as exc:
        found = _non_finite(data, "$") if "Out of range float" in str(exc) else None
        if found is None:
            raise
        where, value = found
        raise InputError(
            None,
            f"value {value!r} is not valid JSON",
            record=where,
            fix="use null for unknown numbers",
        ) from exc
    except TypeError as exc:
        raise InputError(
            None,
            f"output contains a value JSON cannot hold ({exc})",
            record="$",
            fix="convert dates and decimals to strings or numbers before rendering",
        ) from exc


def canonical(data: Any) -> str:
    """Canonical JSON text: sorted keys, two-space indent, one final newline. The same data
    always gives the same text."""
    return dumps(data) + "\n"
