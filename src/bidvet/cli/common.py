"""Helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from bidvet.store.db import Store


def open_store(ctx: click.Context) -> Store:
    obj = ctx.find_root().obj or {}
    return Store(obj.get("db"))


def emit_json(data: Any) -> None:
    """Write one JSON document to stdout, sorted keys, UTF-8 kept readable."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def emit_jsonl(fh: Any, data: Any) -> None:
    fh.write(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))
    fh.write("\n")
