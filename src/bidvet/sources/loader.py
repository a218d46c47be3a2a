"""``bidvet load``: detect a file's format, parse it completely, write it in one transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import ImportBatch, WriteStats
from bidvet.sources.registry import Importer, importers
from bidvet.store.db import Store

log = logging.getLogger(__name__)

HEAD_BYTES = 64 * 1024


@dataclass
class LoadSummary:
    format: str
    dataset: str
    file: str
    sha256: str
    imported: int
    rejected: int
    issues: list[dict[str, Any]]
    write: WriteStats
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": self.format,
            "dataset": self.dataset,
            "file": self.file,
            "sha256": self.sha256,
            "imported": self.imported,
            "rejected": self.rejected,
            **self.extra,
            **self.write.as_dict(),
            "issues": self.issues,
        }
        return out


def _read_head(path: Path) -> str:
    with path.open("rb") as fh:
        raw = fh.read(HEAD_BYTES)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8", errors="replace")


def detect_format(path: Path, head: str | None = None) -> Importer:
    """The importer that recognises ``path``; an error when none or several equally do."""
    head = _read_head(path) if head is None else head
    found = sorted(
        (imp for imp in importers().values() if imp.sniff(path, head)),
        key=lambda imp: (imp.priority, imp.format),
    )
    if not found:
        raise InputError(
            path,
            "format not recognised",
            fix="pass --format with one of: " + ", ".join(importers()),
        )
    if len(found) > 1 and found[0].priority == found[1].priority:
        names = ", ".join(imp.format for imp in found)
        raise InputError(path, f"format is ambiguous ({names})", fix="pass --format")
    return found[0]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_file(path: str | Path, fmt: str | None = None) -> tuple[Importer, ImportBatch]:
    """Parse a file without touching the store."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file", fix="check the path")
    if path.is_dir():
        raise InputError(path, "is a directory", fix="give one file at a time")
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty", fix="check the download or export completed")
    head = _read_head(path)
    if not head.strip():
        raise InputError(path, "file holds only white space", fix="check the export")
    known = importers()
    if fmt is not None:
        if fmt not in known:
            raise InputError(path, f"unknown format {fmt!r}", fix="use one of: " + ", ".join(known))
        importer = known[fmt]
        if not importer.sniff(path, head):
            hint = ""
            with contextlib.suppress(InputError):
                hint = f"; it looks like {detect_format(path, head).format}"
            raise InputError(
                path,
                f"this file is not {importer.title} ({fmt}){hint}",
                fix="check the file, or drop --format to auto-detect",
            )
    else:
        importer = detect_format(path, head)
    quality = QualityLog(file_name=path.name)
    batch = importer.read(path, quality)
    if batch.imported == 0 and batch.quality.rejected == 0:
        raise InputError(
            path,
            f"no records found for format {importer.format}",
            fix="check that the file is a complete export",
        )
    return importer, batch


def load_file(store: Store, path: str | Path, fmt: str | None = None) -> LoadSummary:
    """Import one file into the store, all or nothing.

    Re-loading a file already loaded (same dataset, same SHA-256) changes nothing. A newer full
    publication of a list keeps the older snapshot and marks entries that disappeared as
    delisted on the new publication date.
    """
    path = Path(path)
    importer, batch = parse_file(path, fmt)
    return write_parsed(store, path, importer, batch)


def write_parsed(store: Store, path: Path, importer: Importer, batch: ImportBatch) -> LoadSummary:
    """Write a file already parsed by :func:`parse_file` (one transaction), as
    :func:`load_file` does: for callers that parse several files before writing any."""
    digest = sha256_file(path)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    stats = store.write_batch(batch, file_name=path.name, sha256=digest, now=now)
    if stats.already_loaded:
        log.info("%s: already loaded (snapshot %s); nothing changed", path, stats.snapshot_id)
    return LoadSummary(
        format=importer.format,
        dataset=batch.dataset,
        file=str(path),
        sha256=digest,
        imported=batch.imported,
        rejected=batch.quality.rejected,
        issues=[i.as_dict() for i in batch.quality.issues],
        write=stats,
        extra=dict(batch.extra),
    )
