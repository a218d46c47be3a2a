"""``assess`` checks every input before it writes anything, and a tender cannot point outside its
folder or carry numbers JSON cannot hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bidvet.assessment import knowledge
from bidvet.assessment.knowledge import load_tender_knowledge
from bidvet.assessment.tender import load_tender
from bidvet.errors import ConfigError
from bidvet.store.db import Store
from tests.cli_helpers import run_cli, sqlite_url

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "embassy-scanners"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "tender"
    shutil.copytree(EXAMPLE, folder)
    return folder / "tender.yaml"


def _snapshots(db: Path) -> int:
    with Store(sqlite_url(db)).view() as view:
        return len(view.snapshots())


def test_an_infinite_amount_names_the_tender_and_the_key(tmp_path: Path) -> None:
    tender = _copy(tmp_path)
    text = tender.read_text(encoding="utf-8").replace("amount: 9400000", "amount: .inf", 1)
    tender.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tender\.yaml: bidders\[\d\] \(id=\w+\)\.price\.amount"):
        load_tender(tender)


@pytest.mark.parametrize(
    "args",
    [("--as-of", "2021-02-30"), ("--framework", "no-such-framework")],
    ids=["bad-as-of", "unknown-framework"],
)
def test_a_bad_option_fails_before_the_tender_knowledge_is_written(
    tmp_path: Path, args: tuple[str, str]
) -> None:
    db = tmp_path / "store.db"
    Store(sqlite_url(db)).dispose()
    result = run_cli("assess", _copy(tmp_path), *args, db=db)
    assert result.exit_code in (1, 2), result.stderr
    assert _snapshots(db) == 0, "the tender's knowledge file was loaded before the error"


def test_knowledge_outside_the_tender_folder_needs_the_flag(tmp_path: Path) -> None:
    tender = _copy(tmp_path)
    outside = tmp_path / "vendors-elsewhere.yaml"
    shutil.move(tender.parent / "vendors.yaml", outside)
    text = tender.read_text(encoding="utf-8").replace(
        "knowledge: [vendors.yaml]", "knowledge: [../vendors-elsewhere.yaml]"
    )
    tender.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="outside the tender's folder"):
        load_tender(tender)
    assert load_tender(tender, knowledge_anywhere=True).knowledge_paths() == [outside.resolve()]
    db = tmp_path / "store.db"
    refused = run_cli("assess", tender, "--as-of", "2021-01-01", db=db)
    assert refused.exit_code == 1 and "--knowledge-anywhere" in refused.stderr
    allowed = run_cli("assess", tender, "--as-of", "2021-01-01", "--knowledge-anywhere", db=db)
    assert allowed.exit_code == 0, allowed.stderr


def test_a_bad_knowledge_file_names_the_tender_key_and_writes_nothing(tmp_path: Path) -> None:
    tender = _copy(tmp_path)
    vendors = tender.parent / "vendors.yaml"
    vendors.write_text(
        vendors.read_text(encoding="utf-8").replace("share: 60", "share: .nan", 1),
        encoding="utf-8",
    )
    assert ".nan" in vendors.read_text(encoding="utf-8")
    db = tmp_path / "store.db"
    Store(sqlite_url(db)).dispose()
    result = run_cli("assess", tender, "--as-of", "2021-01-01", db=db)
    assert result.exit_code == 1
    assert "tender.yaml: knowledge[0]: " in result.stderr and "vendors.yaml" in result.stderr
    assert _snapshots(db) == 0


def test_a_knowledge_file_the_store_holds_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tender = _copy(tmp_path)
    store = Store(sqlite_url(tmp_path / "store.db"))
    loaded = load_tender(tender)
    first = load_tender_knowledge(store, loaded)
    assert [s.write.already_loaded for s in first] == [False]

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file the store holds was parsed again")

    monkeypatch.setattr(knowledge, "parse_file", no_parse)
    again = load_tender_knowledge(store, loaded)
    assert [s.write.already_loaded for s in again] == [True]
    assert again[0].write.snapshot_id == first[0].write.snapshot_id
    assert (again[0].dataset, again[0].format, again[0].imported) == (
        first[0].dataset,
        first[0].format,
        first[0].imported,
    )
    # a changed file is read and written as a new snapshot
    vendors = tender.parent / "vendors.yaml"
    vendors.write_text(vendors.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="parsed again"):
        load_tender_knowledge(store, loaded)
    store.dispose()
