"""``bidvet monitor`` as one function: update → diff → re-assess → alert → deliver, once.

Idempotent: an update that loads nothing new moves no watermark and raises nothing; a second
run after a successful one finds nothing to re-assess (each re-checked watch is then as of
today), no stale source it has not already alerted on, and no pending delivery. A source that
fails does not stop the others: it is reported in :attr:`MonitorRun.updates` and
:attr:`MonitorRun.failed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bidvet.monitor.diff import DatasetDiff, diff_dataset
from bidvet.monitor.fetch import FetchOptions
from bidvet.monitor.notify import NotifyConfig, deliver
from bidvet.monitor.reassess import ReassessResult, reassess
from bidvet.monitor.staleness import stale_alerts
from bidvet.monitor.update import SourceUpdate, update
from bidvet.store.db import Store


@dataclass
class MonitorRun:
    """What one pass did."""

    updates: list[SourceUpdate] = field(default_factory=list)
    #: per dataset loaded, what changed against its previous snapshot (``bidvet diff``)
    diffs: list[DatasetDiff] = field(default_factory=list)
    reassessed: ReassessResult = field(default_factory=ReassessResult)
    #: ids of the ``stale-source`` alerts raised
    stale: list[int] = field(default_factory=list)
    delivered: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> list[SourceUpdate]:
        return [u for u in self.updates if u.status == "failed"]

    @property
    def alerts(self) -> list[int]:
        """Every alert this pass raised (re-assessment and stale sources)."""
        return [*self.reassessed.alerts, *self.stale]

    def to_json(self) -> dict[str, Any]:
        return {
            "updates": [u.as_dict() for u in self.updates],
            "diffs": [d.as_dict() for d in self.diffs],
            "reassessed": self.reassessed.to_json(),
            "stale_alerts": self.stale,
            "delivered": self.delivered,
        }


def monitor(
    store: Store,
    sources: Iterable[str] | None = None,
    *,
    from_dir: str | Path | None = None,
    urls: Mapping[str, str] | None = None,
    notify: NotifyConfig | None = None,
    as_of: dt.date | None = None,
    now: dt.datetime | None = None,
    client: httpx.Client | None = None,
    options: FetchOptions | None = None,
    work_dir: str | Path | None = None,
) -> MonitorRun:
    """One monitoring pass over ``store``: :func:`bidvet.monitor.update.update` (``sources``,
    ``from_dir``, ``urls``, ``client``, ``options``, ``work_dir`` as there), the diff of every
    dataset loaded, :func:`bidvet.monitor.reassess.reassess` as of ``as_of`` (default today),
    ``stale-source`` alerts for overdue sources as of ``now`` (UTC, naive; default the clock),
    and delivery on the channels of ``notify``."""
    run = MonitorRun()
    run.updates = update(
        store,
        sources,
        from_dir=from_dir,
        urls=urls,
        client=client,
        now=now,
        options=options,
        work_dir=work_dir,
    )
    for u in run.updates:
        if u.status == "loaded" and u.dataset:
            run.diffs.append(diff_dataset(store, u.dataset, None, u.snapshot_id))
    channels = notify.channels() if notify else []
    run.reassessed = reassess(store, as_of=as_of, channels=channels)
    run.stale = stale_alerts(store, now=now, as_of=as_of, channels=channels)
    if notify is not None:
        run.delivered = deliver(store, notify)
    return run
