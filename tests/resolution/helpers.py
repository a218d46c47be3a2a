"""Shared fixtures of the resolution tests: two fictional datasets (a register and a list)."""

from __future__ import annotations

from pathlib import Path

from bidvet.sources.loader import load_file
from bidvet.store.db import Store

FIXTURES = Path(__file__).parent / "fixtures"
REGISTRY = FIXTURES / "registry.yaml"
LISTS = FIXTURES / "lists.yaml"


def load_cases(store: Store) -> Store:
    load_file(store, REGISTRY)
    load_file(store, LISTS)
    return store
