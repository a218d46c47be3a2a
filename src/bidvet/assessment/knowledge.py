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
from bidvet.sources.loader import (
    LoadSummary,
    load_file,
    parse_file,
    sha256_file,
    write_parsed,
)
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
    (each file is then written in its own transaction, as ``bidvet load`` does)."""
    parsed = []
    for i, path in enumerate(tender.knowledge_paths()):
        try:
            parsed.append((path, *parse_file(path)))
        except InputError as exc:
            # say which key of which tender named the file
            raise InputError(
                tender.path,
                exc.message,
                record=f"knowledge[{i}]",
                fix=exc.fix,
            ) from exc
    return [write_parsed(store, path, importer, batch) for path, importer, batch in parsed]


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
    with store.view() as view:
        by_sha = {snap.sha256: snap.dataset for snap in view.snapshots()}
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
