from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from bidvet.errors import InputError
from bidvet.sources.curated import REPORTED_PREFIX
from bidvet.sources.loader import load_file, parse_file
from bidvet.store import schema as s
from bidvet.store.db import Store
from tests.conftest import FIXTURES

VENDORS = FIXTURES / "curated" / "fictional-vendors.yaml"


def _count(store: Store, table: sa.Table) -> int:
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def test_curated_file_loads_every_fact_with_its_source(store: Store) -> None:
    summary = load_file(store, VENDORS)
    assert summary.format == "bidvet-curated"
    assert summary.imported == 3 + 1 + 2 + 1, summary.as_dict()
    assert summary.rejected == 0
    with store.read() as conn:
        own = conn.execute(sa.select(s.ownership).order_by(s.ownership.c.key)).mappings().all()
        names = conn.execute(
            sa.select(s.entity_names.c.name, s.entity_names.c.kind, s.entity_names.c.lang).where(
                s.entity_names.c.entity_id == "vostok-strategic"
            )
        ).all()
        ident = conn.execute(sa.select(s.entity_identifiers.c.value)).scalar()
    by_asset = {row["asset_id"]: row for row in own}
    assert by_asset["tarn-holdings"]["share"] == pytest.approx(0.6)
    assert by_asset["kestrel-imaging"]["share"] is None
    assert by_asset["kestrel-imaging"]["share_min"] == pytest.approx(0.25)
    assert by_asset["kestrel-imaging"]["share_max"] == pytest.approx(0.5)
    assert all(row["source"] == "Fictional test data" for row in own)
    assert ("Восток Стратегические Индустрии", "original", "ru") in [tuple(n) for n in names]
    assert ident == "HE123456"


def test_reloading_the_same_file_changes_nothing(store: Store) -> None:
    load_file(store, VENDORS)
    before = {t.name: _count(store, t) for t in s.metadata.sorted_tables}
    again = load_file(store, VENDORS)
    assert again.write.already_loaded
    assert {t.name: _count(store, t) for t in s.metadata.sorted_tables} == before


@pytest.mark.parametrize(
    ("patch", "record", "fix"),
    [
        (("    share: 60\n", "    shares: 60\n"), "ownership[0]", "remove or rename the key"),
        (("    share: 60\n", "    share: 160\n"), "ownership[0]", "correct the value"),
        (("    date: 2018-05-04\n", "    date: 04/05/2018\n"), "events[0]", "YYYY-MM-DD"),
        (
            ("  - owner: tarn-holdings\n", "  - owner: tarn-holding\n"),
            "ownership[1]",
            "add it under entities",
        ),
    ],
)
def test_bad_curated_file_names_record_and_fix_and_writes_nothing(
    store: Store, tmp_path: Path, patch: tuple[str, str], record: str, fix: str
) -> None:
    text = VENDORS.read_text(encoding="utf-8")
    assert patch[0] in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(patch[0], patch[1], 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_file(store, bad)
    message = str(err.value)
    assert str(bad) in message and record in message and fix in message, message
    assert _count(store, s.snapshots) == 0
    assert _count(store, s.entities) == 0


def test_fact_without_source_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "nosource.yaml"
    bad.write_text(
        "bidvet: curated/1\ndataset: t\ntitle: t\nentities:\n"
        "  - id: a\n    schema: Company\n    names: [Alpha Testing Oy]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"entities\[0\] \(a\)\.source.*needs source"):
        parse_file(bad)


def _load_patched(store: Store, tmp_path: Path, old: str, new: str) -> str:
    """Load the fixture with ``old`` replaced by ``new``; the error message it must raise."""
    text = VENDORS.read_text(encoding="utf-8")
    assert old in text, old
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_file(store, bad)
    assert _count(store, s.snapshots) == 0 and _count(store, s.ownership) == 0
    message = str(err.value)
    assert message.startswith(f"{bad}: "), message
    return message


OWNERSHIP_A = """  - owner: vostok-strategic
    asset: tarn-holdings
    share: 60
"""


def test_repeated_ownership_key_is_an_error_naming_both_records(
    store: Store, tmp_path: Path
) -> None:
    message = _load_patched(
        store,
        tmp_path,
        OWNERSHIP_A,
        OWNERSHIP_A.replace("  - owner:", "  - key: k1\n    owner:")
        + '    source: {title: "Fictional test data"}\n'
        + "  - key: k1\n    owner: vostok-strategic\n    asset: kestrel-imaging\n    share: 10\n",
    )
    assert "ownership[1]: repeats the key 'k1' of ownership[0]" in message, message
    assert "give each record its own key" in message


def test_repeated_entity_id_is_an_error_naming_both_records(store: Store, tmp_path: Path) -> None:
    message = _load_patched(store, tmp_path, "  - id: kestrel-imaging\n", "  - id: tarn-holdings\n")
    assert "entities[2]: repeats the id 'tarn-holdings' of entities[1]" in message, message


def test_nan_share_is_refused(store: Store, tmp_path: Path) -> None:
    message = _load_patched(store, tmp_path, "    share: 60\n", "    share: .nan\n")
    assert "ownership[0]" in message and "is not a number" in message, message


def test_infinite_share_is_refused(store: Store, tmp_path: Path) -> None:
    message = _load_patched(store, tmp_path, "    share: 60\n", "    share: .inf\n")
    assert "ownership[0]" in message and "is not a number" in message, message


def test_owners_holding_more_than_the_whole_company_are_refused(
    store: Store, tmp_path: Path
) -> None:
    extra = (
        OWNERSHIP_A + '    start_date: 2019-01-01\n    source: {title: "Fictional test data"}\n'
        "  - owner: kestrel-imaging\n    asset: tarn-holdings\n    share: 92\n"
    )
    message = _load_patched(store, tmp_path, OWNERSHIP_A, extra)
    assert "the shares held in 'tarn-holdings' on 2019-01-01 add up to 152 %" in message, message
    assert "ownership[0], ownership[1]" in message and "end_date" in message


def test_successive_owners_may_each_hold_the_whole_company(store: Store, tmp_path: Path) -> None:
    first = OWNERSHIP_A + '    start_date: 2019-01-01\n    source: {title: "Fictional test data"}\n'
    text = VENDORS.read_text(encoding="utf-8")
    assert first in text
    successive = (
        first.replace("share: 60", "share: 100").replace(
            "    source:", "    end_date: 2019-12-31\n    source:"
        )
        + "  - owner: kestrel-imaging\n    asset: tarn-holdings\n    share: 100\n"
        + '    start_date: 2020-01-01\n    source: {title: "Fictional test data"}\n'
    )
    path = tmp_path / "successive.yaml"
    path.write_text(text.replace(first, successive, 1), encoding="utf-8")
    assert load_file(store, path).imported == 3 + 1 + 3 + 1


def test_company_owning_itself_is_refused(store: Store, tmp_path: Path) -> None:
    message = _load_patched(
        store, tmp_path, "    asset: tarn-holdings\n", "    asset: vostok-strategic\n"
    )
    assert "ownership[0]: 'vostok-strategic' owns itself" in message, message


def test_end_date_before_start_date_is_refused(store: Store, tmp_path: Path) -> None:
    message = _load_patched(
        store,
        tmp_path,
        "    start_date: 2019-01-01\n",
        "    start_date: 2019-01-01\n    end_date: 2018-12-31\n",
    )
    assert "ownership[0]: end_date 2018-12-31 is before start_date 2019-01-01" in message


def test_unknown_list_id_is_refused(store: Store, tmp_path: Path) -> None:
    message = _load_patched(
        store, tmp_path, "    list: test-sanctions\n", "    list: test-sanctionz\n"
    )
    assert "listings[0]: list 'test-sanctionz' is not a list bidvet knows" in message, message
    assert "data/lists.yaml" in message and "lists:" in message


def test_repeated_listing_of_one_list_and_program_is_refused(store: Store, tmp_path: Path) -> None:
    listing = "  - entity: vostok-strategic\n    list: test-sanctions\n"
    message = _load_patched(
        store,
        tmp_path,
        listing,
        listing.replace("  - entity", "  - entity", 1)
        + "    list_name: Fictional Sanctions List\n    program: TEST-1\n"
        + '    source: {title: "Fictional test data"}\n'
        + listing,
    )
    assert "listings[1]: repeats the entity, list and program" in message, message


def test_reported_event_is_stored_as_reported(store: Store, tmp_path: Path) -> None:
    text = VENDORS.read_text(encoding="utf-8").replace(
        "    date: 2018-05-04\n", "    date: 2018-05-04\n    status: reported\n", 1
    )
    path = tmp_path / "reported.yaml"
    path.write_text(text, encoding="utf-8")
    load_file(store, path)
    with store.read() as conn:
        summary = conn.execute(sa.select(s.events.c.summary)).scalar()
    assert summary == REPORTED_PREFIX + "Fictional bribery conviction used in tests."
    assert REPORTED_PREFIX.startswith("Reported, not confirmed")
