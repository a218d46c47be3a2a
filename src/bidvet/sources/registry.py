"""Importer registry. Importers register themselves with :func:`register`; every module in
``bidvet.sources`` is imported on first use, so there is no hand-kept list to drift."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar, TypeVar

from bidvet.model.quality import QualityLog
from bidvet.model.records import ImportBatch
from bidvet.plugins import import_submodules


class Importer(ABC):
    """One file format from one publisher.

    ``format`` is the name users pass to ``bidvet load --format``; ``sniff`` looks at the first
    bytes of a file (decoded leniently) and says whether this importer can read it; ``read``
    parses the whole file into an :class:`ImportBatch` or raises :class:`bidvet.errors.InputError`
    naming the record and the fix.
    """

    format: ClassVar[str]
    title: ClassVar[str]
    #: lower number wins when several importers sniff the same file
    priority: ClassVar[int] = 50

    @abstractmethod
    def sniff(self, path: Path, head: str) -> bool: ...

    @abstractmethod
    def read(self, path: Path, log: QualityLog) -> ImportBatch: ...


_REGISTRY: dict[str, type[Importer]] = {}


_T = TypeVar("_T", bound=type[Importer])


def register(cls: _T) -> _T:
    if cls.format in _REGISTRY and _REGISTRY[cls.format] is not cls:
        raise RuntimeError(f"two importers claim format {cls.format!r}")
    _REGISTRY[cls.format] = cls
    return cls


def importers() -> dict[str, Importer]:
    """All registered importers by format name, sorted by name."""
    import_submodules("bidvet.sources")
    return {name: _REGISTRY[name]() for name in sorted(_REGISTRY)}
