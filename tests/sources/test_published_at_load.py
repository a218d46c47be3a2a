"""A file that states no publication date (a CSL export) dated at load: its undated entries
count from that date, not on every date; the date is noted as given at load (fictional and
test fixtures)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bidvet.errors import InputError
from bidvet.screening.lists import listings_not_in_force
from bidvet.sources.loader import load_file
from bidvet.store import schema as s
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES
from tests.store_counts import table_counts

CSL = FIXTURES / "sources" / "csl_small.csv"
PUBLISHED = dt.date(2023, 11, 30)
EARLIER = dt.date(2022, 1, 1)


def _active(store: Store, entity_id: str, as_of: dt.date) -> list[str]:
    with store.view() as view:
        return sorted({f.list_id for f in view.listings([entity_id], as_of)[entity_id]})


def test_undated_entries_count_from_the_date_given_at_load(store: Store) -> None:
    load_file(store, CSL, published=PUBLISHED)
    with store.read() as conn:
        (snapshot,) = conn.execute(sa.select(s.snapshots.c.published)).scalars().all()
        notes = conn.execute(
            sa.select(s.quality_log.c.reason).where(s.quality_log.c.action == "note")
        ).scalars()
        assert any("given at load (--published)" in n for n in notes)
    assert snapshot == PUBLISHED
    # the SDN row gives no start date: not in force before the publication it was seen in
    assert _active(store, "csl-900201", EARLIER) == []
    assert _active(store, "csl-900201", PUBLISHED) == ["us-ofac-sdn"]
    with store.view() as view:
        later = listings_not_in_force(view, ["csl-900201"], EARLIER)["csl-900201"]
    assert [x["program"] for x in later] == ["NPWMD", "SDGT"]  # the row's two programmes
    assert {x["why"] for x in later} == {
        "the list gives no start date and the entry was first seen in its publication of "
        "2023-11-30, after 2022-01-01"
    }
    # a row with its own start date keeps it
    assert _active(store, "csl-b0rea1is", EARLIER) == ["us-bis-meu"]


def test_without_a_date_undated_entries_count_on_every_date(sqlite_store: Store) -> None:
    load_file(sqlite_store, CSL)
    assert _active(sqlite_store, "csl-900201", EARLIER) == ["us-ofac-sdn"]


def test_a_date_that_disagrees_with_the_file_or_a_loaded_file_is_an_error(
    sqlite_store: Store,
) -> None:
    with pytest.raises(InputError, match="states its publication date, 2024-03-01"):
        load_file(sqlite_store, FIXTURES / "sources" / "sdn_v1.xml", published=PUBLISHED)
    with pytest.raises(InputError, match="cannot be given for ftm-json files"):
        load_file(sqlite_store, FIXTURES / "sources" / "ftm_small.json", published=PUBLISHED)
    assert sum(table_counts(sqlite_store).values()) == 0  # nothing written
    load_file(sqlite_store, CSL)
    with pytest.raises(InputError, match=r"already loaded .* with no publication date"):
        load_file(sqlite_store, CSL, published=PUBLISHED)


def test_load_published_on_the_command_line(sqlite_store: Store) -> None:
    db = str(sqlite_store.engine.url)
    bad = run_cli("--db", db, "load", str(CSL), "--published", "30/11/2023")
    assert bad.exit_code == 2 and "--published '30/11/2023' is not a date" in bad.stderr
    good = run_cli("--db", db, "load", str(CSL), "--published", "2023-11-30")
    assert good.exit_code == 0, good.stderr
    assert _active(sqlite_store, "csl-900201", EARLIER) == []
