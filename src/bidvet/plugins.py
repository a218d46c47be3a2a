"""Registries that fill themselves: importing every module of a package runs its decorators.

The importers (``bidvet.sources``), the framework's evaluators and the price indicators each
register by decorator; :func:`import_submodules` is how each registry finds them, so nothing
keeps a hand list.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache


@cache
def import_submodules(package_name: str) -> None:
    """Import every module directly inside ``package_name`` (once per process)."""
    package = importlib.import_module(package_name)
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package_name}.{info.name}")
