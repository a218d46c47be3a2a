"""What a worker keeps of assessment runs between requests: each run's parsed report and the
view the bidder pages render from it (findings, sources, ownership diagrams).

A run's report is written once and never changed, so neither goes stale; the key is the run's
id *and* its report's SHA-256, so a store replaced under a running app (a restored backup) is
never answered from another report. The cache is per app (one per worker process), bounded,
least recently used first out, and safe to share between the threads that run the routes.
Callers treat what it returns as read-only.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from bidvet.store import workspace
from bidvet.store.db import Store
from bidvet.store.workspace import RunSummary

#: runs whose parsed report a worker keeps (~2 MB each for the example tender)
REPORTS = 16
#: runs whose bidder-page view a worker keeps
VIEWS = 8


class _Lru:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[int, str], dict[str, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[int, str], make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
                return found
        value = make()  # outside the lock: two threads may both make it; both are equal
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


class RunCache:
    """Parsed reports and bidder-page views of assessment runs, by (run id, report SHA-256)."""

    def __init__(self, reports: int = REPORTS, views: int = VIEWS) -> None:
        self._reports = _Lru(reports)
        self._views = _Lru(views)

    def report(self, store: Store, run: RunSummary) -> dict[str, Any]:
        """The run's ``bidvet-assessment/1`` report, parsed."""

        def load() -> dict[str, Any]:
            with store.read() as conn:
                text = workspace.report_text(conn, run.id)
            if text is None:
                raise LookupError(f"no assessment {run.id}")
            report = json.loads(text)
            assert isinstance(report, dict)
            return report

        return self._reports.get((run.id, run.report_sha256), load)

    def view(self, store: Store, run: RunSummary) -> dict[str, Any]:
        """:func:`bidvet.reports.view.report_view` of the run's report, with the diagrams."""
        from bidvet.reports.view import report_view

        return self._views.get(
            (run.id, run.report_sha256),
            lambda: report_view(self.report(store, run), with_svg=True),
        )
