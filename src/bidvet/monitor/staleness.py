"""Which sources are overdue: their last successful fetch is older than their cadence.

A source of ``data/sources.yaml`` is republished every ``cadence_days``; ``bidvet update``
records each attempt (:mod:`bidvet.store.fetches`). A source is *overdue* when ``update`` has
tried it and its last successful fetch (loaded, or confirmed unchanged) is older than its
cadence, or it never succeeded. A source ``update`` never tried is reported as never fetched and
is not overdue: a site that loads its lists by hand (``bidvet load``) is not told its lists are
late by a command it does not use.

:func:`stale_alerts` raises one alert of kind ``stale-source`` per watch whose buyer expects a
list an overdue source feeds, once per last successful fetch (the alert's key holds it), so a
scheduled ``bidvet monitor`` does not repeat it every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from bidvet.framework.buyers import BuyerProfile, default_buyer_profiles
from bidvet.monitor.sources import Source, source_registry
from bidvet.store import monitoring
from bidvet.store.db import Store
from bidvet.store.fetches import FetchState, all_fetch_states
from bidvet.store.monitoring import WatchRow


@dataclass(frozen=True)
class Freshness:
    """How current one source is."""

    source: str
    title: str
    cadence_days: int
    lists: tuple[str, ...]
    last_success: dt.datetime | None  #: UTC, naive, as stored
    last_attempt: dt.datetime | None
    last_status: str | None
    overdue: bool
    age_days: int | None  #: whole days since the last success

    def describe(self) -> str:
        if self.last_attempt is None:
            return "never fetched by bidvet update"
        if self.last_success is None:
            last = f"{self.last_attempt:%Y-%m-%d %H:%M} UTC {self.last_status}"
            return f"OVERDUE: never fetched successfully (last attempt {last})"
        when = f"{self.last_success:%Y-%m-%d %H:%M} UTC, {self.age_days} d ago"
        if self.overdue:
            return f"OVERDUE: last successful fetch {when}; expected every {self.cadence_days} d"
        return f"current: last successful fetch {when}"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "cadence_days": self.cadence_days,
            "lists": list(self.lists),
            "last_success": self.last_success.isoformat() if self.last_success else None,
            "last_attempt": self.last_attempt.isoformat() if self.last_attempt else None,
            "last_status": self.last_status,
            "overdue": self.overdue,
            "age_days": self.age_days,
            "state": self.describe(),
        }


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _freshness(source: Source, state: FetchState | None, now: dt.datetime) -> Freshness:
    success = state.fetched_at if state else None
    age = now - success if success else None
    overdue = state is not None and (age is None or age > dt.timedelta(days=source.cadence_days))
    return Freshness(
        source=source.id,
        title=source.title,
        cadence_days=source.cadence_days,
        lists=source.lists,
        last_success=success,
        last_attempt=state.checked_at if state else None,
        last_status=state.status if state else None,
        overdue=overdue,
        age_days=age.days if age is not None else None,
    )


def freshness(store: Store, *, now: dt.datetime | None = None) -> list[Freshness]:
    """Every source of the registry with how current it is as of ``now`` (UTC, naive)."""
    at = now or utc_now()
    states = {st.source: st for st in all_fetch_states(store)}
    return [_freshness(src, states.get(src.id), at) for src in source_registry().sources]


def watch_buyer(w: WatchRow) -> BuyerProfile:
    """The buyer profile of a watch: its tender's buyer country; a contract watch (no tender)
    gets the default profile."""
    profiles = default_buyer_profiles()
    if w.tender_yaml:
        data = yaml.safe_load(w.tender_yaml)
        buyer = data.get("buyer") if isinstance(data, dict) else None
        country = buyer.get("country") if isinstance(buyer, dict) else None
        return profiles.for_country(country if isinstance(country, str) else None)
    return profiles.default


def stale_alerts(
    store: Store,
    *,
    now: dt.datetime | None = None,
    as_of: dt.date | None = None,
    channels: Iterable[str] = (),
) -> list[int]:
    """Raise a ``stale-source`` alert per watch whose buyer expects a list an overdue source
    feeds (once per source and last success); returns the ids of the alerts raised."""
    at = now or utc_now()
    overdue = [f for f in freshness(store, now=at) if f.overdue]
    if not overdue:
        return []
    raised: list[int] = []
    channels = tuple(channels)
    for w in monitoring.watches(store):
        buyer = watch_buyer(w)
        for f in overdue:
            lists = sorted(set(f.lists) & set(buyer.expected_lists))
            if not lists:
                continue
            since = f.last_success.isoformat() if f.last_success else "never"
            summary = (
                f"watch {w.id} ({w.label}): source {f.source} is overdue ({f.describe()}); "
                f"{buyer.name} expects {', '.join(lists)}"
            )
            alert_id = monitoring.raise_alert(
                store,
                watch_id=w.id,
                key=f"stale:{w.id}:{f.source}:{since}",
                as_of=as_of or at.date(),
                summary=summary,
                body={
                    "kind": "stale-source",
                    "watch": {"id": w.id, "kind": w.kind, "label": w.label},
                    "source": f.to_json(),
                    "buyer": {"profile": buyer.id, "name": buyer.name},
                    "expected_lists": lists,
                    "at_award": {
                        "as_of": w.decision_as_of.isoformat(),
                        "outcomes": {
                            k: v.get("outcome") for k, v in w.decision.get("subjects", {}).items()
                        },
                    },
                },
                state=None,
                channels=channels,
            )
            if alert_id is not None:
                raised.append(alert_id)
    return raised
