from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from bidvet.errors import InputError
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
