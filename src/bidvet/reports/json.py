"""Canonical JSON for reports: the same dict always gives the same bytes.

Keys sorted, two-space indent, UTF-8 kept readable (no ``\\u`` escapes), one trailing newline,
written by the package's one serialiser (:mod:`bidvet.jsonout`). NaN, infinities, dates and
other non-JSON values are rejected rather than stringified behind the caller's back: the report
builder is responsible for turning them into ISO strings, so the JSON schema stays what it says.
"""

from __future__ import annotations

from typing import Any

from bidvet.jsonout import canonical


def canonical_json(data: Any) -> bytes:
    """Serialise ``data`` to canonical JSON bytes (sorted keys, indent 2, UTF-8, final newline)."""
    return canonical(data).encode("utf-8")
