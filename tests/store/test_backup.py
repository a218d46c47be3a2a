"""Backup and restore round-trip a loaded store with an identical content digest."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bidvet.errors import InputError, StoreError
from bidvet.sources.loader import load_file
from bidvet.store.backup import backup, manifest_path, restore
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES, PG_URL
from tests.store.sdn_files import fictional_entries, write_sdn


def _load(store: Store, tmp_path: Path) -> None:
    entries = fictional_entries(50)
    load_file(store, write_sdn(tmp_path / "v1.xml", dt.date(2024, 1, 10), entries))
    load_file(store, write_sdn(tmp_path / "v2.xml", dt.date(2024, 3, 5), entries[5:]))
    load_file(store, FIXTURES / "curated" / "fictional-vendors.yaml")


@pytest.fixture
def fresh(store: Store, tmp_path: Path) -> Iterator[Store]:
    """A second, empty store on the same backend as ``store``."""
    if store.dialect == "sqlite":
        other = Store(f"sqlite:///{tmp_path / 'restored.db'}")
        yield other
        other.dispose()
        return
    name = f"bidvet_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(
        PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    other = Store(PG_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield other
    finally:
        other.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_backup_and_restore_round_trip_with_an_identical_digest(
    store: Store, fresh: Store, tmp_path: Path
) -> None:
    _load(store, tmp_path)
    before = store.content_digest()
    path = tmp_path / "store.backup"
    manifest = backup(store, path)
    assert manifest.content_digest == before and manifest.backend == store.dialect
    written = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    assert written["content_digest"] == before
    assert fresh.content_digest() != before
    restore(fresh, path)
    assert fresh.content_digest() == before
    assert fresh.fingerprint() == store.fingerprint()
    # the restored store takes further loads
    load_file(fresh, tmp_path / "v1.xml")


def test_restore_into_a_store_with_data_needs_force(
    store: Store, fresh: Store, tmp_path: Path
) -> None:
    _load(store, tmp_path)
    path = tmp_path / "store.backup"
    backup(store, path)
    load_file(fresh, tmp_path / "v1.xml")
    with pytest.raises(StoreError, match="already holds data"):
        restore(fresh, path)
    restore(fresh, path, force=True)
    assert fresh.content_digest() == store.content_digest()


def test_restore_refuses_a_backup_that_does_not_match_its_manifest(
    sqlite_store: Store, tmp_path: Path
) -> None:
    _load(sqlite_store, tmp_path)
    path = tmp_path / "store.backup"
    backup(sqlite_store, path)
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    target = Store(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        with pytest.raises(InputError, match="does not match the manifest"):
            restore(target, path)
        assert target.is_empty()
    finally:
        target.dispose()


def test_restore_refuses_a_digest_mismatch(sqlite_store: Store, tmp_path: Path) -> None:
    _load(sqlite_store, tmp_path)
    path = tmp_path / "store.backup"
    backup(sqlite_store, path)
    mpath = manifest_path(path)
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    manifest["content_digest"] = "0" * 64
    mpath.write_text(json.dumps(manifest), encoding="utf-8")
    target = Store(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        with pytest.raises(InputError, match="content digest"):
            restore(target, path)
        assert target.is_empty()
    finally:
        target.dispose()


def test_backup_refuses_to_overwrite(sqlite_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "exists.backup"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        backup(sqlite_store, path)
    assert path.read_text(encoding="utf-8") == "keep me"


def test_backup_and_restore_commands(tmp_path: Path) -> None:
    db, restored, path = tmp_path / "s.db", tmp_path / "r.db", tmp_path / "b.sqlite"
    assert run_cli("load", FIXTURES / "curated" / "fictional-vendors.yaml", db=db).exit_code == 0
    out = run_cli("backup", path, "--json", db=db)
    assert out.exit_code == 0, out.stderr
    digest = json.loads(out.stdout)["content_digest"]
    out = run_cli("restore", path, db=restored)
    assert out.exit_code == 0, out.stderr
    assert digest in out.stdout
    again = run_cli("restore", path, db=restored)
    assert again.exit_code == 1
    lines = again.stderr.strip().splitlines()
    assert len(lines) == 1 and "--force" in lines[0], again.stderr
    assert run_cli("restore", path, "--force", db=restored).exit_code == 0


def test_db_naming_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list: scanners, gates, cameras\n" * 200, encoding="utf-8")
    out = run_cli("status", db=notes)
    assert out.exit_code == 1, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("bidvet: error: ") and str(notes) in lines[0], out.stderr
    assert "not a SQLite database" in lines[0]
    assert notes.read_text(encoding="utf-8").startswith("shopping list")
