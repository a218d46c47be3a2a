"""A list's history follows the publication dates of the snapshots held, never load order."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from bidvet.model.facts import ListingFact
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.store.sdn_files import write_sdn

ALDER, BRACK, CINDER, DUN = (
    (810001, "ALDERMOOR FICTIONAL SHIPPING"),
    (810002, "BRACKWATER FICTIONAL METALS"),
    (810003, "CINDERVALE FICTIONAL TRADING"),
    (810004, "DUNHOLLOW FICTIONAL LOGISTICS"),
)
IDS = [f"ofac-{uid}" for uid, _ in (ALDER, BRACK, CINDER, DUN)]
#: v1 lists A, B, C; v2 drops B and adds D; v3 lists B again and drops C
VERSIONS = {
    "v1": (dt.date(2024, 1, 10), [ALDER, BRACK, CINDER]),
    "v2": (dt.date(2024, 3, 5), [ALDER, CINDER, DUN]),
    "v3": (dt.date(2024, 6, 20), [ALDER, BRACK, DUN]),
}
DATES = [
    dt.date(2024, 1, 1),
    dt.date(2024, 1, 10),
    dt.date(2024, 2, 1),
    dt.date(2024, 3, 5),
    dt.date(2024, 4, 1),
    dt.date(2024, 6, 20),
    dt.date(2025, 1, 1),
]


def _files(tmp_path: Path) -> dict[str, Path]:
    return {
        name: write_sdn(tmp_path / f"sdn_{name}.xml", published, entries)
        for name, (published, entries) in VERSIONS.items()
    }


def _answers(store: Store) -> dict[dt.date, dict[str, list[ListingFact]]]:
    with store.view() as view:
        return {as_of: view.listings(IDS, as_of) for as_of in DATES}


def _active(answers: dict[dt.date, dict[str, list[ListingFact]]], as_of: dt.date) -> set[str]:
    return {eid for eid, facts in answers[as_of].items() if facts}


ORDERS = list(itertools.permutations(VERSIONS))


@pytest.mark.parametrize("order", ORDERS, ids=["-".join(o) for o in ORDERS])
def test_every_load_order_gives_the_history_of_the_publication_dates(
    store: Store, tmp_path: Path, order: tuple[str, ...]
) -> None:
    files = _files(tmp_path)
    for name in order:
        load_file(store, files[name])
    got = _answers(store)
    a, b, c, d = IDS
    expected_active = {
        dt.date(2024, 1, 1): set(),
        dt.date(2024, 1, 10): {a, b, c},
        dt.date(2024, 2, 1): {a, b, c},
        dt.date(2024, 3, 5): {a, c, d},
        dt.date(2024, 4, 1): {a, c, d},
        dt.date(2024, 6, 20): {a, b, d},
        dt.date(2025, 1, 1): {a, b, d},
    }
    for as_of, active in expected_active.items():
        assert _active(got, as_of) == active, (order, as_of, got[as_of])
    # the answers are the same, field for field, as loading in publication order
    reference = Store(f"sqlite:///{tmp_path / 'in-order.db'}")
    try:
        for name in ("v1", "v2", "v3"):
            load_file(reference, files[name])
        assert got == _answers(reference), order
    finally:
        reference.dispose()
    with store.view() as view:
        every = view.listings([b])[b]
    assert [(f.first_seen, f.delisted) for f in every] == [
        (dt.date(2024, 1, 10), dt.date(2024, 3, 5)),
        (dt.date(2024, 6, 20), None),
    ], order


def test_loading_an_older_version_after_a_newer_does_not_reactivate_a_delisting(
    store: Store, tmp_path: Path
) -> None:
    files = _files(tmp_path)
    load_file(store, files["v2"])
    older = load_file(store, files["v1"])
    assert older.write.listings_delisted == 0
    with store.view() as view:
        brack = view.listings([IDS[1]], dt.date(2024, 4, 1))[IDS[1]]
    assert brack == [], brack
