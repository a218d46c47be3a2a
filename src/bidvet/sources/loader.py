"""``bidvet load``: detect a file's format, parse it completely, write it in one transaction.

Importers that can (:class:`StreamingImporter`: FtM, GLEIF JSON) give an
:class:`~bidvet.model.records.ImportStream` instead of an in-memory batch: the file is read
once into records parked on disk, which the writer reads back and writes in chunks, still in
one transaction, so memory does not grow with the file.

Importers whose records can be written as soon as they are read (:class:`ChunkingImporter`:
GLEIF JSON) are read by a second process when the machine has a core to spare, which hands the
records over in chunks through a pipe while this one writes them, in one transaction
(:func:`bidvet.store.writer.write_chunks`): reading and writing overlap on two cores; without
a core to spare, this process writes each chunk as it reads it (nothing is parked on disk and
read back). When the file turns out to need the whole-file path (an id given twice, a
publication already held) or the reading process fails, the write is rolled back and the file
loaded the ordinary way, which gives the same store or the same error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import multiprocessing
import os
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from bidvet.errors import InputError
from bidvet.forking import can_fork
from bidvet.model.quality import QualityLog
from bidvet.model.records import ImportBatch, ImportStream, StreamRestart, WriteStats
from bidvet.sources.json_stream import cyclic_gc_paused
from bidvet.sources.registry import Importer, importers
from bidvet.store.db import Store

log = logging.getLogger(__name__)

HEAD_BYTES = 64 * 1024


@runtime_checkable
class StreamingImporter(Protocol):
    """An importer that can also give its records as a stream (see the module docstring)."""

    def read_stream(self, path: Path, log: QualityLog) -> ImportStream: ...


Chunk = tuple[str, list[Any]]


@runtime_checkable
class ChunkingImporter(Protocol):
    """An importer that gives its records in chunks as it reads them (see the module
    docstring); the header of the stream is complete when the chunks end."""

    def chunk_stream(self, path: Path, log: QualityLog) -> tuple[ImportStream, Iterator[Chunk]]: ...


@dataclass
class LoadSummary:
    format: str
    dataset: str
    file: str
    sha256: str
    imported: int
    rejected: int
    #: the data-quality notes as dicts, made one at a time when read (a file's notes can
    #: outnumber what memory should hold: :class:`bidvet.model.quality.QualityIssues`)
    issues: Sequence[dict[str, Any]]
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
            "issues": list(self.issues),
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
    importer = choose_importer(path, fmt)
    quality = QualityLog(file_name=path.name)
    batch = importer.read(path, quality)
    _check_found(path, importer, batch.imported, batch.quality.rejected)
    return importer, batch


def _check_found(path: Path, importer: Importer, imported: int, rejected: int) -> None:
    if imported == 0 and rejected == 0:
        raise InputError(
            path,
            f"no records found for format {importer.format}",
            fix="check that the file is a complete export",
        )


def choose_importer(path: Path, fmt: str | None = None) -> Importer:
    """The importer for ``path`` (``fmt`` when given and it fits); an error naming the file
    when there is none."""
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
    return importer


def load_file(
    store: Store, path: str | Path, fmt: str | None = None, *, published: dt.date | None = None
) -> LoadSummary:
    """Import one file into the store, all or nothing.

    Re-loading a file already loaded (same dataset, same SHA-256) changes nothing. A newer full
    publication of a list keeps the older snapshot and marks entries that disappeared as
    delisted on the new publication date.

    ``published``: the publication date of a file that states none (a Consolidated Screening
    List export), known from where it was obtained. Its entries without a start date then
    count from that date rather than on every date (:mod:`bidvet.store.validity`), and its age
    can be checked; the import's data-quality notes say the date was given at load. A file
    that states its own date keeps it: a different ``published`` is an error.
    """
    path = Path(path)
    importer = choose_importer(path, fmt)
    if published is not None and isinstance(importer, (ChunkingImporter, StreamingImporter)):
        raise InputError(
            path,
            f"a publication date cannot be given for {importer.format} files: the format "
            "states its own",
            fix="load it without --published",
        )
    if isinstance(importer, ChunkingImporter):
        load = _load_overlapped if _spare_core() else _load_chunked
        summary = load(store, path, importer)
        if summary is not None:
            return summary
    if not isinstance(importer, StreamingImporter):
        quality = QualityLog(file_name=path.name)
        batch = importer.read(path, quality)
        _check_found(path, importer, batch.imported, batch.quality.rejected)
        if published is None:
            return write_parsed(store, path, importer, batch)
        summary = write_parsed(store, path, importer, _dated(path, batch, published))
        _check_dated(store, path, summary, published)
        return summary
    # the cycle collector is paused while the stream is read and written: its full passes walk
    # every object held (the id index, the records of a chunk), which made up a third of a
    # large load's time; the records are acyclic and freed by reference counting at once
    with cyclic_gc_paused():
        stream = importer.read_stream(path, QualityLog(file_name=path.name))
        try:
            _check_found(path, importer, stream.imported, stream.quality.rejected)
            digest = sha256_file(path)
            stats = store.write_stream(stream, file_name=path.name, sha256=digest, now=_now())
        finally:
            stream.close()
    return _summary(path, importer.format, stream, digest, stats)


def _spare_core() -> bool:
    """Whether a second process would find a core to run on: more than one core, and the
    machine's load (last minute) leaving one free. On a saturated machine the overlap only adds
    the cost of handing the records over. Never from a process running other threads (a web
    server's workers): a forked copy of it could wait forever on a lock one of them held."""
    cores = os.cpu_count() or 1
    return cores > 1 and can_fork() and os.getloadavg()[0] <= cores - 1


def _produce(importer: ChunkingImporter, path: Path, pipe: Connection) -> None:
    """In the reading process: every chunk, then ``("end", header)``, or ``("failed", why)``."""
    try:
        log = QualityLog(file_name=path.name)
        stream, chunks = importer.chunk_stream(path, log)
        for chunk in chunks:
            pipe.send_bytes(pickle.dumps(chunk, _PICKLE))
        header = (stream.imported, stream.published, stream.extra, log.issues, log.rejected)
        pipe.send_bytes(pickle.dumps(("end", header), _PICKLE))
    except BaseException as exc:  # the parent loads the file again and reports it
        with contextlib.suppress(BaseException):
            pipe.send_bytes(pickle.dumps(("failed", repr(exc)), _PICKLE))
    finally:
        pipe.close()


_PICKLE = pickle.HIGHEST_PROTOCOL


def _load_overlapped(store: Store, path: Path, importer: ChunkingImporter) -> LoadSummary | None:
    """The file read in a second process while this one writes (module docstring); None when
    it must be loaded the ordinary way (nothing has then been written)."""
    digest = sha256_file(path)
    stream, _unused = importer.chunk_stream(path, QualityLog(file_name=path.name))
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    reader = context.Process(target=_produce, args=(importer, path, send), daemon=True)
    reader.start()
    send.close()

    def chunks() -> Iterator[Chunk]:
        while True:
            try:
                kind, payload = pickle.loads(receive.recv_bytes())
            except EOFError:
                raise StreamRestart("the reading process ended early") from None
            if kind == "failed":
                raise StreamRestart(payload)
            if kind == "end":
                imported, published, extra, issues, rejected = payload
                stream.imported, stream.published = imported, published
                stream.extra.update(extra)
                stream.quality.close()
                stream.quality.issues, stream.quality.rejected = issues, rejected
                _check_found(path, importer, imported, rejected)  # type: ignore[arg-type]
                return
            yield kind, payload

    try:
        stats = _write_chunks(store, path, stream, chunks(), digest, "without overlap")
    finally:
        receive.close()
        reader.join(timeout=5)
        if reader.is_alive():
            reader.terminate()
            reader.join()
    return None if stats is None else _summary(path, stream.format, stream, digest, stats)


def _load_chunked(store: Store, path: Path, importer: ChunkingImporter) -> LoadSummary | None:
    """:func:`_load_overlapped` in this one process, when no core is spare: the records are
    written as they are read, never parked on disk and read back; None when the file must be
    loaded the ordinary way (nothing has then been written)."""
    digest = sha256_file(path)
    stream, chunks = importer.chunk_stream(path, QualityLog(file_name=path.name))

    def checked() -> Iterator[Chunk]:
        yield from chunks
        _check_found(path, importer, stream.imported, stream.quality.rejected)  # type: ignore[arg-type]

    stats = _write_chunks(store, path, stream, checked(), digest, "as a whole")
    return None if stats is None else _summary(path, stream.format, stream, digest, stats)


def _write_chunks(
    store: Store,
    path: Path,
    stream: ImportStream,
    chunks: Iterator[Chunk],
    digest: str,
    fallback: str,
) -> WriteStats | None:
    """Write a publication chunk by chunk in one transaction; None (nothing written) when the
    stream must restart and the file be loaded another way, which ``fallback`` names."""
    try:
        with cyclic_gc_paused():
            return store.write_chunks(
                stream, chunks, file_name=path.name, sha256=digest, now=_now()
            )
    except StreamRestart as why:
        log.info("%s: loaded %s (%s)", path, fallback, why)
        return None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _check_dated(store: Store, path: Path, summary: LoadSummary, published: dt.date) -> None:
    """A file loaded before with another publication date (or none) was not changed, so the
    date given at load was not applied: an error that says so."""
    if not summary.write.already_loaded:
        return
    with store.view() as view:
        (snap,) = [x for x in view.snapshots() if x.id == summary.write.snapshot_id]
    if snap.published != published:
        when = snap.published.isoformat() if snap.published else "no publication date"
        raise InputError(
            path,
            f"already loaded (snapshot {snap.id}) with {when}; a loaded file is not "
            "changed, so --published was not applied",
            fix="load it into a new store to date it",
        )


def _dated(path: Path, batch: ImportBatch, published: dt.date) -> ImportBatch:
    """``batch`` with the publication date given at load (see :func:`load_file`)."""
    if batch.published is not None and batch.published != published:
        raise InputError(
            path,
            f"the file states its publication date, {batch.published.isoformat()}, not "
            f"{published.isoformat()}",
            fix="load it without --published",
        )
    if batch.published is None:
        batch.published = published
        batch.quality.note(
            f"publication date {published.isoformat()} given at load (--published): the file "
            "states none"
        )
    return batch


def write_parsed(store: Store, path: Path, importer: Importer, batch: ImportBatch) -> LoadSummary:
    """Write a file already parsed by :func:`parse_file` (one transaction), as
    :func:`load_file` does: for callers that parse several files before writing any."""
    digest = sha256_file(path)
    stats = store.write_batch(batch, file_name=path.name, sha256=digest, now=_now())
    return _summary(path, importer.format, batch, digest, stats)


def _summary(
    path: Path,
    format_name: str,
    header: ImportBatch | ImportStream,
    digest: str,
    stats: WriteStats,
) -> LoadSummary:
    """What a load reports, from the parsed publication's header and what the writer did."""
    if stats.already_loaded:
        log.info("%s: already loaded (snapshot %s); nothing changed", path, stats.snapshot_id)
    return LoadSummary(
        format=format_name,
        dataset=header.dataset,
        file=str(path),
        sha256=digest,
        imported=header.imported,
        rejected=header.quality.rejected,
        issues=header.quality.issues.dicts(),
        write=stats,
        extra=dict(header.extra),
    )
