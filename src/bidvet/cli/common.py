"""Helpers shared by the command modules."""

from __future__ import annotations

import sys
from typing import Any

import click

from bidvet.jsonout import dumps
from bidvet.store.db import Store


def open_store(ctx: click.Context) -> Store:
    obj = ctx.find_root().obj or {}
    return Store(obj.get("db"))


def emit_json(data: Any) -> None:
    """Write one JSON document to stdout, sorted keys, UTF-8 kept readable; values JSON has no
    type for (dates) are written as their text, NaN and infinities are refused."""
    sys.stdout.write(dumps(data, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def emit_jsonl(fh: Any, data: Any) -> None:
    """Write one JSON Lines record to ``fh``, as :func:`emit_json` but on one line."""
    fh.write(dumps(data, indent=None, default=str))
    fh.write("\n")
