"""The property every importer must keep, whatever the file holds.

``check_load(store, seed, label, body, folder)`` loads the mutated file with
:func:`bidvet.sources.loader.load_file` and returns None when the property holds, or a one-line
description of the failure:

* the load either succeeds, or raises :class:`bidvet.errors.InputError` whose message is one
  line naming the file — any other exception is a failure;
* after a failure the store's content digest (its fingerprint and row counts) is unchanged;
* after a success, a spoiled date that was read is in the data-quality log: the changed value
  appears in the returned issues unless the record holding it was rejected or the file failed.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from bidvet.errors import InputError
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.fuzz.seeds import Seed


def digest(store: Store) -> tuple[str, int, int, int, int]:
    """Fingerprint plus row counts read through the store's view."""
    with store.view() as view:
        counts = (
            len(view.snapshots()),
            len(view.catalog()),
            len(view.all_edges(None)),
            sum(1 for _ in view.processes()),
        )
    return (store.fingerprint(), *counts)


def check_load(store: Store, seed: Seed, label: str, body: bytes, folder: Path) -> str | None:
    path = seed.write(folder, body)
    before = digest(store)
    try:
        summary = load_file(store, path, seed.format)
    except InputError as exc:
        text = str(exc)
        if "\n" in text or str(path) not in text:
            return f"{label}: InputError not one line naming the file: {text[:300]!r}"
        if "XML_PARSE" in text:
            return f"{label}: libxml2 hint in message: {text[:300]!r}"
        after = digest(store)
        if after != before:
            return f"{label}: store changed after a failed load ({before} -> {after})"
        return None
    except Exception as exc:  # the property: nothing but InputError may escape
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        return f"{label}: {type(exc).__name__} at {where}: {str(exc)[:200]!r}"
    if label.startswith("date ") and "->" in label:
        bad = label.rsplit("-> ", 1)[1].strip("b'\"")
        logged = any(
            bad in str(issue.get("value", "")) + str(issue.get("reason", ""))
            for issue in summary.issues
        )
        rejected = summary.rejected > 0
        if not logged and not rejected and bad.encode() in body:
            return f"{label}: impossible date loaded without a note in the quality log"
    return None
