"""Knowledge an assessment relies on: the bundled, cited reference case and a tender's own files.

Installing knowledge writes into the store, so it is always an explicit step
(:func:`install_reference` behind ``bidvet knowledge install``; :func:`load_tender_knowledge`
for the files a tender names under ``knowledge:``). An assessment never loads anything itself:
it says in its report which of that knowledge is missing from the store
(:func:`missing_knowledge`).
"""

from __future__ import annotations

from pathlib import Path

from bidvet.assessment.tender import LoadedTender
from bidvet.sources.loader import LoadSummary, load_file, sha256_file
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
    """Load the files the tender names under ``knowledge:`` (any format ``bidvet load`` reads)."""
    return [load_file(store, path) for path in tender.knowledge_paths()]


def missing_knowledge(store: Store, tender: LoadedTender | None = None) -> list[str]:
    """Knowledge the assessment expects that the store does not hold, as sentences for a report.

    A file counts as loaded when a snapshot with its exact content (sha256) is in the store.
    """
    with store.view() as view:
        loaded = {snap.sha256 for snap in view.snapshots()}
    out: list[str] = []
    absent = [p.name for p in reference_files() if sha256_file(p) not in loaded]
    if absent:
        out.append(
            "the bundled reference knowledge is not installed in this store ("
            + ", ".join(absent)
            + "): facts it cites are not counted; run `bidvet knowledge install`"
        )
    if tender is not None:
        for path, name in zip(tender.knowledge_paths(), tender.tender.knowledge, strict=True):
            if sha256_file(path) not in loaded:
                out.append(
                    f"the tender's knowledge file {name} is not loaded in this store: its facts "
                    f"are not counted; run `bidvet load {path}`"
                )
    return out


def knowledge_datasets(store: Store, tender: LoadedTender | None = None) -> set[str]:
    """Datasets of the reference and tender knowledge files that the store holds."""
    wanted = {sha256_file(p) for p in reference_files()}
    if tender is not None:
        wanted.update(sha256_file(p) for p in tender.knowledge_paths())
    with store.view() as view:
        return {snap.dataset for snap in view.snapshots() if snap.sha256 in wanted}
