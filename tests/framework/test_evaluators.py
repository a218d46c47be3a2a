"""Evaluators on small fictional cases, called directly with a context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from bidvet.framework.context import EvalContext, upstream
from bidvet.framework.evaluators.information import MissingParams, missing_information
from bidvet.framework.evaluators.integrity import IntegrityParams, integrity_events
from bidvet.framework.evaluators.listings import BanParams, procurement_ban
from bidvet.framework.findings import SourceRef
from bidvet.framework.jurisdictions import default_jurisdictions
from bidvet.model.tiers import Tier
from bidvet.resolution import Resolution
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.conftest import FIXTURES

CASES = FIXTURES / "framework" / "evaluator-cases.yaml"
AS_OF = dt.date(2021, 1, 1)


@contextmanager
def _ctx(store: Store, entity_id: str | None, name: str) -> Iterator[EvalContext]:
    load_file(store, CASES)
    with store.view() as view:
        ent = view.entity(entity_id) if entity_id else None
        yield EvalContext(
            view=view,
            as_of=AS_OF,
            bidder_name=name,
            bidder_country=None,
            entity=ent,
            resolution=(
                Resolution("resolved", "entity_id", (ent.id,))
                if ent
                else Resolution("unresolved", "none")
            ),
            chain=tuple(upstream(view, entity_id, AS_OF)) if entity_id else (),
            jurisdictions=default_jurisdictions(),
            tier=Tier.CRITICAL,
            tender_source=SourceRef("test tender"),
            data_source=SourceRef("test store"),
            store=store,
        )


BAN = BanParams.model_validate(
    {
        "bans": [
            {
                "id": "test-ban",
                "title": "Fictional Procurement Ban Act",
                "names": ["Quillon"],
                "source": {"id": "test-ban", "title": "Fictional Procurement Ban Act, s. 1"},
            }
        ]
    }
)


def test_ban_reaches_bidder_by_name(sqlite_store: Store) -> None:
    with _ctx(sqlite_store, None, "Quillon Border Systems GmbH") as ctx:
        hits = procurement_ban(ctx, BAN)
    assert len(hits) == 1
    assert (
        hits[0].summary == "Quillon Border Systems GmbH falls under Fictional Procurement Ban Act"
    )
    assert "contains the banned name 'Quillon'" in hits[0].evidence[0].text
    assert hits[0].evidence[0].source.title == "Fictional Procurement Ban Act, s. 1"


def test_ban_reaches_bidder_through_an_owner_at_any_share(sqlite_store: Store) -> None:
    with _ctx(sqlite_store, "t-marten", "Marten Velkaro Oy") as ctx:
        hits = procurement_ban(ctx, BAN)
    assert len(hits) == 1
    ev = hits[0].evidence[0]
    assert ev.kind == "ownership"
    assert ev.path == ("t-marten", "t-quillon-holdings")
    assert "Quillon Holdings AG (shares, 30 %)" in ev.text


def test_ban_does_not_match_inside_other_words(sqlite_store: Store) -> None:
    with _ctx(sqlite_store, "t-solo", "Aquillonaire Ltd") as ctx:
        assert procurement_ban(ctx, BAN) == []


def test_integrity_window_ignores_old_future_undated_late_and_other_kinds(
    sqlite_store: Store,
) -> None:
    with _ctx(sqlite_store, "t-solo", "Solo Sensors Ltd") as ctx:
        hits = integrity_events(ctx, IntegrityParams(lookback_years=10))
        wide = integrity_events(ctx, IntegrityParams(lookback_years=20))
    assert len(hits) == 1
    assert [e.date for e in hits[0].evidence] == [dt.date(2019, 5, 1)]
    assert hits[0].evidence[0].source.published == dt.date(2019, 1, 1)
    assert [e.date for e in wide[0].evidence] == [dt.date(2008, 3, 1), dt.date(2019, 5, 1)]


def test_no_ownership_record_is_a_finding(sqlite_store: Store) -> None:
    with _ctx(sqlite_store, "t-solo", "Solo Sensors Ltd") as ctx:
        hits = missing_information(ctx, MissingParams())
    assert len(hits) == 1
    assert hits[0].summary == "no ownership or control record for Solo Sensors Ltd on 2021-01-01"


def test_recorded_owner_is_not_missing_information(sqlite_store: Store) -> None:
    with _ctx(sqlite_store, "t-marten", "Marten Velkaro Oy") as ctx:
        assert missing_information(ctx, MissingParams()) == []
