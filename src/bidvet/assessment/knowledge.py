"""Knowledge an assessment relies on: the bundled, cited reference case and a tender's own files.

Installing knowledge writes into the store, so it is always an explicit step
(:func:`install_reference` behind ``bidvet knowledge install``; :func:`load_tender_knowledge`
for the files a tender names under ``knowledge:``). An assessment never loads anything itself:
it says in its report which of that knowledge is missing from the store
(:func:`knowledge_state`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bidvet.assessment.tender import LoadedTender
from bidvet.errors import InputError
from bidvet.model.facts import SnapshotInfo
from bidvet.model.records import ImportBatch, WriteStats
from bidvet.sources.loader import (
    LoadSummary,
    load_file,
    parse_file,
    sha256_file,
    write_parsed,
)
from bidvet.sources.registry import Importer
from bidvet.store.db import Store

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"
REFERENCE_FORMAT = "bidvet-curated"


def reference_files() -> list[Path]:
    """The knowledge files bundled with bidvet (the cited reference case)."""
    return sorted(REFERENCE_DIR.glob("*.yaml"))


def install_reference(store: Store) -> list[LoadSummary]:
    """Load the bundled reference knowledge into ``store`` (a no-op for files already loaded)."""
    return [load_file(store, path, REFERENCE_FORMAT) for path in reference_files()]


def load_tender_knowledge(store: Store, tender: LoadedTender) -> list[LoadSummary]:
    """Load the files the tender names under ``knowledge:`` (any format ``bidvet load`` reads).

    Every file is parsed before any is written, so a bad second file leaves the store as it was
    (each file is then written in its own transaction, as ``bidvet load`` does). A file whose
    exact content (SHA-256) the store already holds is not read again — the rule
    :func:`knowledge_state` counts a file as loaded by: its summary is that snapshot's, with
    ``already_loaded`` set (the notes of the load that wrote it are in the store's data-quality
    log, which a report shows)."""
    paths = tender.knowledge_paths()
    if not paths:
        return []
    held = _snapshots_by_sha(store)
    digests = [_digest(path) for path in paths]
    parsed: dict[int, tuple[Path, Importer, ImportBatch]] = {}
    for i, (path, digest) in enumerate(zip(paths, digests, strict=True)):
        if digest in held:
            continue
        try:
            parsed[i] = (path, *parse_file(path))  # a file it cannot read: its error
        except InputError as exc:
            # say which key of which tender named the file
            raise InputError(
                tender.path,
                exc.message,
                record=f"knowledge[{i}]",
                fix=exc.fix,
            ) from exc
    return [
        write_parsed(store, *parsed[i]) if i in parsed else _held(path, held[str(digest)])
        for i, (path, digest) in enumerate(zip(paths, digests, strict=True))
    ]


def _digest(path: Path) -> str | None:
    """The file's SHA-256, or None when it cannot be read (parsing it then says why)."""
    try:
        return sha256_file(path)
    except OSError:
        return None


def _snapshots_by_sha(store: Store) -> dict[str, SnapshotInfo]:
    """The store's snapshots by the SHA-256 of the file each was loaded from."""
    with store.view() as view:
        return {snap.sha256: snap for snap in view.snapshots()}


def _held(path: Path, snap: SnapshotInfo) -> LoadSummary:
    """The summary of a file the store holds already, from its snapshot."""
    return LoadSummary(
        format=snap.format,
        dataset=snap.dataset,
        file=str(path),
        sha256=snap.sha256,
        imported=snap.records,
        rejected=snap.rejected,
        issues=(),
        write=WriteStats(snapshot_id=snap.id, already_loaded=True),
    )


@dataclass(frozen=True)
class KnowledgeState:
    """What the store holds of the knowledge an assessment expects."""

    #: sentences for a report naming each missing file and the command that loads it
    missing: list[str]
    #: datasets of the expected files that the store holds (their data-quality log is reported)
    datasets: set[str]


def knowledge_state(store: Store, tender: LoadedTender | None = None) -> KnowledgeState:
    """Which of the bundled reference files and the tender's ``knowledge:`` files the store
    holds. A file counts as loaded when a snapshot with its exact content (sha256) is there."""
    by_sha = {sha: snap.dataset for sha, snap in _snapshots_by_sha(store).items()}
    missing: list[str] = []
    datasets: set[str] = set()
    absent = []
    for path in reference_files():
        dataset = by_sha.get(sha256_file(path))
        if dataset is None:
            absent.append(path.name)
        else:
            datasets.add(dataset)
    if absent:
        missing.append(
            "the bundled reference knowledge is not installed in this store ("
            + ", ".join(absent)
            + "): facts it cites are not counted; run `bidvet knowledge install`"
        )
    if tender is not None:
        for path, name in zip(tender.knowledge_paths(), tender.tender.knowledge, strict=True):
            dataset = by_sha.get(sha256_file(path))
            if dataset is None:
                missing.append(
                    f"the tender's knowledge file {name} is not loaded in this store: its facts "
                    f"are not counted; run `bidvet load {path}`"
                )
            else:
                datasets.add(dataset)
    return KnowledgeState(missing, datasets)
