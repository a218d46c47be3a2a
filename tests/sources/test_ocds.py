"""OCDS importer: real publisher samples, packaging variants, and malformed input."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bidvet.sources.loader import load_file, parse_file
from bidvet.store import schema as s
from bidvet.store.db import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contracts"


def _independent_count(path: Path) -> tuple[int, int, int]:
    """Distinct ocids, award ids and contract ids, by plain JSON walking (no bidvet code)."""
    awards: dict[str, set[str]] = defaultdict(set)
    contracts: dict[str, set[str]] = defaultdict(set)
    ocids: set[str] = set()

    def release(rel: dict[str, Any], ocid: str | None = None) -> None:
        oc = ocid or rel["ocid"]
        ocids.add(oc)
        awards[oc].update(str(a["id"]) for a in rel.get("awards") or [])
        contracts[oc].update(str(c["id"]) for c in rel.get("contracts") or [])

    doc = json.loads(path.read_text(encoding="utf-8"))
    if "records" in doc:
        for rec in doc["records"]:
            release(rec["compiledRelease"], rec["ocid"])
    elif "compiledRelease" in doc:
        release(doc["compiledRelease"])
    elif "releases" in doc:
        for rel in doc["releases"]:
            release(rel)
    else:
        release(doc)
    return (
        len(ocids),
        sum(len(v) for v in awards.values()),
        sum(len(v) for v in contracts.values()),
    )


def test_real_ocds_samples_import_with_independent_totals(shared_data: Path) -> None:
    files = sorted((shared_data / "ocds-examples").rglob("*.json"))
    assert len(files) == 59, [f.name for f in files]
    totals = [0, 0, 0]
    for path in files:
        importer, batch = parse_file(path)
        expected = _independent_count(path)
        got = (batch.extra["processes"], batch.extra["awards"], batch.extra["contracts"])
        assert importer.format == "ocds", path
        assert got == expected, f"{path.name}: {got} != {expected}; {batch.quality.issues}"
        assert batch.quality.rejected == 0, f"{path.name}: {batch.quality.issues}"
        totals = [a + b for a, b in zip(totals, got, strict=True)]
    # 59 files: 32 UK Contracts Finder (21 releases, 11 records), 10 NSW, 17 OCP examples
    assert totals == [59, 11, 9], totals


def test_fictional_example_compiles_six_releases(shared_data: Path) -> None:
    path = (
        shared_data
        / "ocds-examples"
        / "_fictional-example-current"
        / "fictional-example_1.1_ocds-213czf-000-00001.json"
    )
    _, batch = parse_file(path)
    (proc,) = batch.contracts
    assert batch.extra["releases"] == 6
    assert proc.ocid == "ocds-213czf-000-00001"
    assert proc.buyer_name == "London Borough of Barnet"
    assert proc.amendments == 1  # the tenderAmendment release
    (award,) = proc.awards
    assert [proc.party(i).name for i in award.supplier_ids] == ["AnyCorp Cycle Provision"]
    (contract,) = proc.contracts
    assert contract.value is not None and contract.value.currency == "GBP"
    assert contract.items[0].scheme == "CPV"


def test_uk_record_without_top_level_ocid_uses_compiled_release(shared_data: Path) -> None:
    path = next(
        (shared_data / "ocds-examples" / "uk-contracts-finder" / "sample" / "records").glob(
            "*.json"
        )
    )
    _, batch = parse_file(path)
    assert [p.ocid for p in batch.contracts] == [path.stem]


def test_malformed_releases_are_rejected_with_record_and_reason() -> None:
    _, batch = parse_file(FIXTURES / "malformed.json")
    assert [p.ocid for p in batch.contracts] == ["ocds-fx0002-good", "ocds-fx0002-dup"]
    rejected = {i.record: i.reason for i in batch.quality.issues if i.action == "rejected"}
    assert batch.quality.rejected == 3, rejected
    assert rejected["releases[3] (release no-ocid-1)"] == "missing ocid"
    reasons = " | ".join(rejected.values())
    assert "release bad-date-2: awards[0].date: bad date '31/02/2023'" in reasons
    assert "release no-cur-1: awards[0].value has amount 250000 without a currency" in reasons
    skipped = [i for i in batch.quality.issues if i.action == "skipped"]
    assert [i.value for i in skipped] == ["ok-2"]  # identical repeat, read once
    assert "identical" in skipped[0].reason


def test_a_release_id_republished_with_other_content_keeps_both_in_date_order() -> None:
    _, batch = parse_file(FIXTURES / "malformed.json")
    dup = next(p for p in batch.contracts if p.ocid == "ocds-fx0002-dup")
    # both versions share one date: file order decides, so the later one's value stands
    assert [a.value.amount for a in dup.awards if a.value] == [9000.0]
    notes = [i for i in batch.quality.issues if i.action == "note" and "dup-1" in i.reason]
    assert len(notes) == 1 and "date order" in notes[0].reason


def test_nothing_of_a_rejected_process_reaches_the_store(store: Store) -> None:
    summary = load_file(store, FIXTURES / "malformed.json")
    assert (summary.extra["processes"], summary.rejected) == (2, 3)
    with store.read() as conn:
        tables = (s.contract_processes, s.contract_awards, s.contract_parties)
        for table in tables:
            ocids = set(conn.execute(sa.select(table.c.ocid)).scalars())
            assert ocids == {"ocds-fx0002-good", "ocds-fx0002-dup"}, (table.name, ocids)
        ocids = set(conn.execute(sa.select(s.contracts.c.ocid)).scalars())
        assert ocids == {"ocds-fx0002-good"}  # the dup process has an award, no contract
        logged = conn.execute(
            sa.select(sa.func.count()).where(s.quality_log.c.action == "rejected")
        ).scalar()
    assert logged == 3


def test_json_lines_releases_compile_with_bids() -> None:
    _, batch = parse_file(FIXTURES / "bids.jsonl")
    (proc,) = batch.contracts
    assert batch.extra == {
        "processes": 1,
        "releases": 3,
        "records": 0,
        "awards": 1,
        "contracts": 0,
        "bids": 3,
    }
    assert proc.bids is not None
    assert [(proc.party(b.tenderer_ids[0]).name, b.value.amount) for b in proc.bids if b.value] == [
        ("Quillfeather Detection Ltd", 600000.0),
        ("Borealis Scanning Oy", 950000.0),
        ("Tarn Holdings Ltd", 990000.0),
    ]


def test_reload_is_idempotent_and_newer_file_replaces_process(store: Store, tmp_path: Path) -> None:
    load_file(store, FIXTURES / "bids.jsonl")
    again = load_file(store, FIXTURES / "bids.jsonl")
    assert again.write.already_loaded
    changed = tmp_path / "bids2.jsonl"
    lines = (FIXTURES / "bids.jsonl").read_text().splitlines()
    changed.write_text("\n".join(lines[:2]) + "\n")  # same ocid, no award yet
    load_file(store, changed)
    with store.read() as conn:
        n_proc = conn.execute(sa.select(sa.func.count()).select_from(s.contract_processes)).scalar()
        n_awards = conn.execute(sa.select(sa.func.count()).select_from(s.contract_awards)).scalar()
        n_bids = conn.execute(sa.select(sa.func.count()).select_from(s.contract_bids)).scalar()
    assert (n_proc, n_awards, n_bids) == (1, 0, 3)


def test_round_trip_through_the_store(store: Store) -> None:
    from bidvet.store.contracts import iter_processes

    _, batch = parse_file(FIXTURES / "history.json")
    load_file(store, FIXTURES / "history.json")
    with store.read() as conn:
        stored = {p.ocid: p for p in iter_processes(conn)}
    assert stored == {p.ocid: p for p in batch.contracts}


@pytest.mark.parametrize("text", ["[1, 2]", '{"ocid": "x"'])
def test_unreadable_json_names_the_fix(tmp_path: Path, text: str) -> None:
    from bidvet.errors import InputError

    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InputError):
        parse_file(path, "ocds")


# --- OCDS as publishers ship it ----------------------------------------------------------------

OCDS_FIXTURES = Path(__file__).parent.parent / "fixtures" / "ocds"
REPEATED = OCDS_FIXTURES / "uk-contracts-finder-repeated-release.json"


def _ocdsmerge_processes(releases: list[dict[str, Any]]) -> int:
    """How many processes the ecosystem's own merge library compiles from ``releases``."""
    ocdsmerge = pytest.importorskip("ocdsmerge")
    merger = ocdsmerge.Merger(merge_rules={})  # no schema download: generic identifier merge
    by_ocid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel in releases:
        by_ocid[rel["ocid"]].append(rel)
    return sum(1 for group in by_ocid.values() if merger.create_compiled_release(group))


def test_real_release_republished_under_its_id_is_imported_with_a_note() -> None:
    _, batch = parse_file(REPEATED)
    assert batch.quality.rejected == 0
    (process,) = batch.contracts
    assert process.ocid == "ocds-b5fd17-2c330cf9-adc8-11e6-9901-0019b9f3037b"
    assert process.title is not None and "Climate Science" in process.title
    (note,) = [i for i in batch.quality.issues if i.action == "note"]
    assert "published more than once" in note.reason


def test_real_repeated_release_compiles_as_ocdsmerge_does() -> None:
    releases = json.loads(REPEATED.read_text(encoding="utf-8"))["releases"]
    _, batch = parse_file(REPEATED)
    assert len(batch.contracts) == _ocdsmerge_processes(releases) == 1


def test_uk_contracts_finder_release_files_together_import_every_process(
    shared_data: Path, tmp_path: Path
) -> None:
    folder = shared_data / "ocds-examples/uk-contracts-finder/sample/releases"
    releases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    assert len(releases) == 21 and len({r["id"] for r in releases}) == 11
    path = tmp_path / "uk.json"
    path.write_text(json.dumps({"releases": releases}))
    _, batch = parse_file(path)
    assert batch.quality.rejected == 0
    assert len(batch.contracts) == 11 == _ocdsmerge_processes(releases)
    notes = [i for i in batch.quality.issues if i.action == "note"]
    assert len(notes) == 10  # one of the eleven was published only once


def _release(rid: str, ocid: str, **extra: Any) -> dict[str, Any]:
    return {"id": rid, "ocid": ocid, "date": "2024-03-01T00:00:00Z", "tag": ["tender"], **extra}


def test_repackaged_copy_differing_only_outside_the_schema_is_read_once(tmp_path: Path) -> None:
    release = _release("r1", "ocds-fx0003-a", tender={"id": "t1", "title": "Baggage scanners"})
    copy = {**release, "packageInfo": {"uri": "https://example.org/p.json"}, "validationErrors": []}
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"releases": [release, copy]}))
    _, batch = parse_file(path)
    assert len(batch.contracts) == 1 and batch.quality.rejected == 0
    (issue,) = batch.quality.issues
    assert issue.action == "skipped" and "packageInfo, validationErrors" in issue.reason


def test_release_nested_500_deep_is_a_rejected_record_not_a_crash(tmp_path: Path) -> None:
    good = _release("r1", "ocds-fx0003-good")
    deep = json.dumps(_release("r2", "ocds-fx0003-deep", tender="DEEP"))
    deep = deep.replace('"DEEP"', '{"items": ' + "[" * 499 + "]" * 499 + "}")
    path = tmp_path / "p.json"
    path.write_text('{"releases": [' + json.dumps(good) + ", " + deep + "]}")
    _, batch = parse_file(path)
    assert [p.ocid for p in batch.contracts] == ["ocds-fx0003-good"]
    (issue,) = [i for i in batch.quality.issues if i.action == "rejected"]
    assert "nested more than 64 levels" in issue.reason


def test_a_file_whose_only_release_is_rejected_is_an_error(store: Store, tmp_path: Path) -> None:
    from bidvet.errors import InputError

    path = tmp_path / "p.json"
    path.write_text(json.dumps({"releases": [_release("r1", "ocds-fx0003-x", date="31/02/2024")]}))
    with pytest.raises(InputError, match="no process could be imported"):
        load_file(store, path)
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(s.snapshots)).scalar() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"releases": [{"ocid": "ocds-x", "id": "\xff"}]}', "not UTF-8"),
        (b'{"releases": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", "too deeply|not valid JSON"),
    ],
)
def test_unparseable_files_are_one_line_errors(
    tmp_path: Path, content: bytes, message: str
) -> None:
    from bidvet.errors import InputError

    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        parse_file(path, "ocds")
