"""Small Markdown helpers for generated text: tables, cells, code spans and value blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from bidvet.jsonout import dumps


def cell(text: str) -> str:
    """Text made safe for one table cell (no line breaks, no column separators)."""
    return " ".join(text.split()).replace("|", "\\|")


def table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table as lines; cells are used as given (call :func:`cell` on free text)."""
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def code(value: Any) -> str:
    """A scalar or a list of scalars as an inline code span (JSON spelling: ``true``, ``[]``)."""
    text = value if isinstance(value, str) else dumps(value, indent=None, sort_keys=False)
    return f"`{text}`"


def is_simple(value: Any) -> bool:
    """Whether ``value`` reads well inline: a scalar or a flat list of scalars."""
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) for v in value)
    return not isinstance(value, dict)


def drop_none(value: Any) -> Any:
    """``value`` without mapping entries whose value is ``None`` (at any depth)."""
    if isinstance(value, dict):
        return {k: drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_none(v) for v in value]
    return value


def yaml_block(value: Any) -> list[str]:
    """``value`` as a fenced YAML block, keys in their given order."""
    text = yaml.safe_dump(
        drop_none(value), sort_keys=False, allow_unicode=True, default_flow_style=False, width=96
    )
    return ["```yaml", *text.rstrip("\n").splitlines(), "```"]


def json_block(value: Any) -> list[str]:
    """``value`` as a fenced JSON block, indented by two spaces, keys in their given order."""
    return ["```json", *dumps(value, sort_keys=False).splitlines(), "```"]
