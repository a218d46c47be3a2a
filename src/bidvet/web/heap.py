"""Keep the worker's long-lived objects out of the garbage collector's full passes.

The screening index a worker loads (its name catalog, read on the first search or assessment
over a store's data) stays alive for as long as the data does. CPython's cyclic collector
walks every tracked object on each full (generation 2) pass; with the official lists loaded
that pass takes ~180 ms on the 2-core measuring machine and runs every few searches, stopping
every thread of the worker. :func:`settle` runs once per worker and data version: one full
collection, then ``gc.freeze()``, which moves everything alive into the permanent generation
that later passes skip (measured: full passes fell from 178 ms to 4 ms on average). Frozen
objects are still freed by reference counting when dropped; only cyclic garbage alive at that
moment stays, once per data version.

It is a setting of the process, as the collector is: ``bidvet serve``'s workers turn it on
(:mod:`bidvet.web.asgi`); an app made in a test or a script leaves the collector alone.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Hashable

_lock = threading.Lock()
_settled: set[Hashable] = set()
_enabled = False


#: the collector's thresholds in a served worker: Python's defaults, whether the worker was
#: started by ``bidvet serve --workers 1`` in the command's process (whose thresholds suit a
#: short command: :data:`bidvet.program.GC_THRESHOLD`) or as a new interpreter; short passes
#: keep a request's pause short
SERVED_THRESHOLD = (700, 10, 10)


def enable() -> None:
    """Let :func:`settle` act in this process (a served worker), with the collector's
    :data:`SERVED_THRESHOLD`."""
    global _enabled
    _enabled = True
    gc.set_threshold(*SERVED_THRESHOLD)


def settle(key: Hashable) -> bool:
    """Collect and freeze the heap, once per process and ``key`` (e.g. a data version), when
    enabled; whether it ran now."""
    if not _enabled or key in _settled:
        return False
    with _lock:
        if key in _settled:
            return False
        _settled.add(key)
        gc.collect()
        gc.freeze()
    return True
