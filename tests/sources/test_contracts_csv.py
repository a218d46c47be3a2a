"""Contract-register CSV importer: the ACT register (real) and AusTender's export columns."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bidvet.errors import ConfigError
from bidvet.sources.contracts_csv import registers
from bidvet.sources.loader import load_file, parse_file
from bidvet.store.db import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contracts"


def test_act_register_every_row_accounted_for(shared_data: Path) -> None:
    path = shared_data / "au-act-contracts-2025" / "act_contracts_2025.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))  # independent count: 1,296 data rows
    total = sum(float(r["amount"]) for r in rows)
    importer, batch = parse_file(path)
    assert importer.format == "contracts-csv"
    assert batch.extra["register"] == "act-contracts"
    assert batch.extra["rows"] == len(rows) == 1296
    assert batch.extra["processes"] + batch.quality.rejected == len(rows)
    assert batch.extra["contracts"] == 1296 and batch.quality.rejected == 0
    assert sum(p.contracts[0].value.amount for p in batch.contracts if p.contracts[0].value) == (
        pytest.approx(total)
    )
    # two contract numbers appear twice with different rows: both kept, each noted
    renamed = [
        i for i in batch.quality.issues if i.action == "normalised" and i.field == "contract_number"
    ]
    assert sorted(str(i.value) for i in renamed) == ["H2625763", "PIEP0010135"]
    assert all(len(p.contracts[0].supplier_ids) == 1 for p in batch.contracts)


def test_act_register_loads_into_the_store(shared_data: Path, sqlite_store: Store) -> None:
    path = shared_data / "au-act-contracts-2025" / "act_contracts_2025.csv"
    summary = load_file(sqlite_store, path).as_dict()
    assert (summary["processes"], summary["contracts"], summary["awards"], summary["rejected"]) == (
        1296,
        1296,
        0,
        0,
    )


def test_austender_export_columns_are_built_in() -> None:
    _, batch = parse_file(FIXTURES / "austender.csv")
    assert batch.extra["register"] == "austender"
    assert (batch.extra["rows"], batch.extra["processes"], batch.quality.rejected) == (6, 3, 3)
    first = batch.contracts[0]
    supplier = first.party(first.contracts[0].supplier_ids[0])
    assert supplier is not None
    assert (supplier.name, supplier.identifiers) == (
        "Vantor Detection Systems Ltd",
        [("AU-ABN", "11111111111")],
    )
    c = first.contracts[0]
    assert (
        c.value.amount if c.value else None,
        c.date_signed.isoformat() if c.date_signed else None,
    ) == (
        1250000.0,
        "2021-02-03",
    )
    assert batch.contracts[1].contracts[0].amendments == 1  # has a parent CN
    rejected = {i.record: i.reason for i in batch.quality.issues if i.action == "rejected"}
    assert rejected == {
        "row 5 (contract CN9000003)": "date '32/03/2022' is not a date",
        "row 6 (contract CN9000004)": "amount 'twelve' is not a number",
        "row 7": "no contract number",
    }
    notes = [i.reason for i in batch.quality.issues if i.action == "note"]
    assert any("no bid data" in n for n in notes), notes


def test_exact_duplicate_row_is_rejected(tmp_path: Path) -> None:
    lines = (FIXTURES / "austender.csv").read_text().splitlines()
    path = tmp_path / "dup.csv"
    path.write_text("\n".join([lines[0], lines[1], lines[1]]) + "\n")
    _, batch = parse_file(path)
    assert batch.extra["processes"] == 1
    (issue,) = [i for i in batch.quality.issues if i.action == "rejected"]
    assert (issue.record, issue.reason) == (
        "row 3 (contract CN9000001)",
        "exact duplicate of row 2",
    )


def test_mapping_file_is_strict(tmp_path: Path) -> None:
    path = tmp_path / "cols.yaml"
    path.write_text("version: 1\nregisters: []\ntypo: 1\n")
    with pytest.raises(ConfigError, match="typo"):
        registers(path)
