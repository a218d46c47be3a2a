"""What a worker keeps of searches and entity pages between requests.

Both read only knowledge (publications loaded, resolution judgements) and the day they are
asked about, and cost tens of milliseconds of ownership walks each; people ask for the same
few names and entities again and again. An entry is keyed by what was asked (with the day)
and is answered only while the store's knowledge state
(:func:`bidvet.store.workspace.knowledge_state`: a load, a removed publication or a new or
changed judgement changes it) is the one it was computed under; checking costs two aggregate
queries per request. Per app (one per worker process), bounded, least recently used first out,
shared by the route threads; callers treat what it returns as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from bidvet.store import workspace
from bidvet.store.db import Store
from bidvet.web import heap

#: answers a worker keeps (search results and entity pages, a few KB to ~100 KB each)
SIZE = 256
T = TypeVar("T")


class DataCache:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: Store, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, or what it gave for ``key`` under the store's current knowledge state."""
        with store.read() as conn:
            current = workspace.knowledge_state(conn)
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] == current:
                self._items.move_to_end(key)
                return cast(T, found[1])
        value = make()
        heap.settle(("knowledge", current))  # what make() loaded for this data stays
        with self._lock:
            self._items[key] = (current, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
