"""Backup and restore of a whole store, verified by its content digest.

**SQLite**: a consistent online copy through SQLite's backup API (one step, so the copy is the
database as of one moment even while a load writes). **PostgreSQL**: ``pg_dump -Fc`` and
``pg_restore`` (found on ``PATH`` or in ``/usr/lib/postgresql/*/bin``), run while this process
holds the store's writer lock, so no load changes the store between the digest and the dump.

Next to the backup ``PATH`` goes a manifest ``PATH.manifest.json``: the backend, the schema
revision, the SHA-256 of the backup file and the store's content digest
(:func:`bidvet.store.digest.content_digest`). Restore refuses a backup whose file does not match
its manifest, refuses to replace a store that holds data unless forced, and checks that the
restored store has the digest the manifest records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlalchemy as sa

from bidvet.errors import InputError, StoreError
from bidvet.store.db import Store, head_revision
from bidvet.store.digest import content_digest
from bidvet.store.locking import hold_session_lock, release_session_lock

FORMAT = "bidvet-backup/1"


@dataclass(frozen=True)
class Manifest:
    format: str
    backend: str
    revision: str
    file_sha256: str
    content_digest: str
    created: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program (the newest installed), or a clear error."""
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    found = shutil.which(name)
    if found:
        return found
    raise StoreError(
        f"{name} not found: backing up or restoring a PostgreSQL store needs the PostgreSQL "
        "client programs",
        fix="install them (Debian: apt-get install postgresql-client) or put them on PATH",
    )


def _pg_env(store: Store) -> tuple[str, dict[str, str]]:
    """A libpq URL for the store without its password, and an environment carrying it."""
    url = store.engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise StoreError(f"{what} failed: {detail}", fix="see the message above; nothing was kept")


@contextlib.contextmanager
def _pg_locked(store: Store) -> Iterator[None]:
    with store.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        hold_session_lock(conn, repr(store))
        try:
            yield
        finally:
            release_session_lock(conn)


def backup(store: Store, path: Path) -> Manifest:
    """Write a backup of ``store`` to ``path`` and its manifest next to it."""
    path = Path(path)
    if path.exists() or manifest_path(path).exists():
        raise InputError(path, "already exists", fix="choose a new backup path")
    if not path.parent.is_dir():
        raise InputError(path, "directory does not exist", fix="create it first")
    try:
        if store.dialect == "sqlite":
            digest = _backup_sqlite(store, path)
        elif store.dialect == "postgresql":
            digest = _backup_postgresql(store, path)
        else:  # pragma: no cover - only the two backends exist
            raise StoreError(f"cannot back up a {store.dialect} store")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    manifest = Manifest(
        format=FORMAT,
        backend=store.dialect,
        revision=head_revision(),
        file_sha256=_file_sha256(path),
        content_digest=digest,
        created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )
    manifest_path(path).write_text(
        json.dumps(manifest.as_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def _sqlite_source(store: Store) -> Path:
    source = store.sqlite_path
    if source is None:
        raise StoreError("an in-memory store cannot be backed up or restored")
    return source


def _read_only_digest(path: Path) -> str:
    """The content digest of a SQLite file, read without changing a byte of it."""
    engine = sa.create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    )
    try:
        with engine.connect() as conn:
            return content_digest(conn)
    except sa.exc.DatabaseError as exc:
        raise InputError(
            path, f"not a readable bidvet backup ({exc.orig})", fix="use another copy"
        ) from exc
    finally:
        engine.dispose()


def _backup_sqlite(store: Store, path: Path) -> str:
    source = sqlite3.connect(_sqlite_source(store))
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # all pages in one step: one consistent moment
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()
        source.close()
    return _read_only_digest(path)


def _backup_postgresql(store: Store, path: Path) -> str:
    url, env = _pg_env(store)
    with _pg_locked(store):
        digest = store.content_digest()
        _run(
            [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), url],
            env,
            "pg_dump",
        )
    return digest


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup at ``path``, checked against the backup file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such backup file", fix="check the path")
    mpath = manifest_path(path)
    try:
        data = json.loads(mpath.read_text(encoding="utf-8"))
        manifest = Manifest(**{k: str(data[k]) for k in Manifest.__dataclass_fields__})
    except FileNotFoundError as exc:
        raise InputError(
            mpath, "backup manifest missing", fix="keep the manifest next to its backup"
        ) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(mpath, f"not a bidvet backup manifest ({exc})", fix="check it") from exc
    if manifest.format != FORMAT:
        raise InputError(mpath, f"unknown backup format {manifest.format!r}", fix=f"use {FORMAT}")
    actual = _file_sha256(path)
    if actual != manifest.file_sha256:
        raise InputError(
            path,
            f"file SHA-256 {actual} does not match the manifest's {manifest.file_sha256}",
            fix="the backup is damaged or was changed; use another copy",
        )
    return manifest


def restore(store: Store, path: Path, *, force: bool = False) -> Manifest:
    """Replace the contents of ``store`` by the backup at ``path`` (see the module doc)."""
    path = Path(path)
    manifest = read_manifest(path)
    if manifest.backend != store.dialect:
        raise InputError(
            path,
            f"a {manifest.backend} backup cannot be restored into a {store.dialect} store",
            fix=f"restore it into a {manifest.backend} store",
        )
    if not force and not store.is_empty():
        raise StoreError(
            f"{store!r} already holds data; restoring would replace it",
            fix="restore into a new store, or pass --force to replace its contents",
        )
    if store.dialect == "sqlite":
        _restore_sqlite(store, path, manifest)
    else:
        _restore_postgresql(store, path)
    store.dispose()
    restored = store.content_digest()
    if restored != manifest.content_digest:
        raise StoreError(
            f"the restored store's digest {restored} differs from the backup's "
            f"{manifest.content_digest}",
            fix="restore again from another copy of the backup",
        )
    return manifest


def _restore_sqlite(store: Store, path: Path, manifest: Manifest) -> None:
    digest = _read_only_digest(path)
    if digest != manifest.content_digest:
        raise InputError(
            path,
            f"content digest {digest} does not match the manifest's {manifest.content_digest}",
            fix="the backup is damaged or was changed; use another copy",
        )
    store.dispose()
    target = sqlite3.connect(_sqlite_source(store), timeout=0)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(target)  # takes the store's write lock for the copy
    except sqlite3.OperationalError as exc:
        raise StoreError(
            f"cannot restore into {store.sqlite_path}: {exc}",
            fix="stop the programs using the store and run restore again",
        ) from exc
    finally:
        source.close()
        target.close()


def _restore_postgresql(store: Store, path: Path) -> None:
    url, env = _pg_env(store)
    store.dispose()
    with _pg_locked(store):
        _run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                url,
                str(path),
            ],
            env,
            "pg_restore",
        )
