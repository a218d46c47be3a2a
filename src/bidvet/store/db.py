"""Opening the store: engine creation and migration to the current schema."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bidvet import settings
from bidvet.errors import StoreError
from bidvet.store.digest import content_digest, row_count
from bidvet.store.locking import acquire_writer_lock
from bidvet.store.view import View

if TYPE_CHECKING:
    from bidvet.model.records import ImportBatch, ImportStream, WriteStats
    from bidvet.store.audit import AuditEntry

MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic_config(connection: Connection) -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION_LINE = re.compile(
    r"""^(revision|down_revision)\s*(?::[^=\n]*)?=\s*["']?([\w.-]+)["']?\s*$""", re.M
)


def _head_from_files() -> str | None:
    """The head revision read from the migration files' ``revision`` / ``down_revision`` lines,
    without loading alembic (about half a second of every command); None when that reading is
    not clear-cut, and alembic's :func:`head_revision` answers."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found or "down_revision" not in found:
            return None
        revisions.add(found["revision"])
        parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    if head is None:  # pragma: no cover - a packaging error
        raise StoreError("no migrations found", fix="reinstall bidvet")
    return head


def create_engine(url: str) -> Engine:
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        engine = sa.create_engine(url, future=True)
    except Exception as exc:
        raise StoreError(
            f"cannot use store URL {url!r}: {exc}",
            fix="give --db sqlite:///path.db or --db postgresql://user@host/dbname",
        ) from exc
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

    return engine


class Store:
    """A handle on the knowledge store at one URL.

    Opening migrates the schema to the current head (a no-op when it is current). All writes go
    through :meth:`transaction`, so an import is all-or-nothing.
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = settings.db_url(url)
        self.engine = create_engine(self.url)
        if migrate:
            self.migrate()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    @property
    def dialect(self) -> str:
        return str(self.engine.dialect.name)

    @property
    def sqlite_path(self) -> Path | None:
        """The database file of a SQLite store (``None`` for a server or in-memory store)."""
        if self.dialect != "sqlite" or self.engine.url.database in (None, "", ":memory:"):
            return None
        return Path(str(self.engine.url.database))

    def _where(self) -> str:
        path = self.sqlite_path
        return str(path) if path is not None else repr(self)

    def migrate(self) -> None:
        """Bring the schema to the current head; the writer lock is taken only when it is not."""

        def current(conn: Connection) -> str | None:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

        try:
            with self.engine.connect() as conn:
                if current(conn) == (_head_from_files() or head_revision()):
                    return
            from alembic import command

            with self.transaction() as conn:
                if current(conn) != head_revision():
                    command.upgrade(_alembic_config(conn), "head")  # type: ignore[arg-type]
        except sa.exc.DatabaseError as exc:
            path = self.sqlite_path
            if path is not None and "not a database" in str(exc.orig):
                raise StoreError(
                    f"{path}: not a SQLite database ({exc.orig})",
                    fix="give --db the path of a bidvet store, or a new file name to create one",
                ) from exc
            raise StoreError(
                f"cannot open the store at {self!r}: {exc.orig}",
                fix="check --db / BIDVET_DB, that the directory exists and the server is running",
            ) from exc

    @contextmanager
    def transaction(self, *, lock_timeout: float | None = None) -> Iterator[Connection]:
        """One write transaction holding the store's writer lock (:mod:`bidvet.store.locking`):
        committed when the block ends, rolled back on any exception.

        ``lock_timeout`` (seconds) overrides ``BIDVET_LOCK_TIMEOUT``.
        """
        with self.engine.connect() as conn:
            acquire_writer_lock(conn, self._where(), lock_timeout)
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def write_batch(
        self, batch: ImportBatch, *, file_name: str, sha256: str, now: dt.datetime
    ) -> WriteStats:
        """Write one parsed publication in one transaction: all of it, or nothing.

        Loads are serialised by the writer lock; a publication already held (same dataset and
        SHA-256, e.g. loaded by a concurrent load that got the lock first) changes nothing.
        """
        from bidvet.store.writer import write_batch  # not imported by commands that only read

        with self.transaction() as conn:
            return write_batch(conn, batch, file_name=file_name, sha256=sha256, now=now)

    def write_stream(
        self, stream: ImportStream, *, file_name: str, sha256: str, now: dt.datetime
    ) -> WriteStats:
        """:meth:`write_batch` for a file read as a stream: written in chunks, in one
        transaction, all of it or nothing (:func:`bidvet.store.writer.write_stream`)."""
        from bidvet.store.writer import write_stream

        with self.transaction() as conn:
            return write_stream(conn, stream, file_name=file_name, sha256=sha256, now=now)

    def write_chunks(
        self,
        stream: ImportStream,
        chunks: Iterable[tuple[str, list[Any]]],
        *,
        file_name: str,
        sha256: str,
        now: dt.datetime,
    ) -> WriteStats:
        """:meth:`write_stream` for records written while the file is still being read, in one
        transaction (:func:`bidvet.store.writer.write_chunks`; ``StreamRestart``: rolled back)."""
        from bidvet.store.writer import write_chunks

        with self.transaction() as conn:
            return write_chunks(conn, stream, chunks, file_name=file_name, sha256=sha256, now=now)

    def content_digest(self, *, include_load_times: bool = True) -> str:
        """SHA-256 over every row of every table (:func:`bidvet.store.digest.content_digest`)."""
        with self.read() as conn:
            return content_digest(conn, include_load_times=include_load_times)

    def is_empty(self) -> bool:
        """Whether the store holds no rows (a new, migrated store)."""
        with self.read() as conn:
            return row_count(conn) == 0

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def view(self) -> Iterator[View]:
        """The read-only query layer over one connection (:class:`bidvet.store.view.View`)."""
        with self.engine.connect() as conn:
            yield View(conn)

    def fingerprint(self) -> str:
        """A hash of every snapshot in the store: the "data snapshot" a report was made from."""
        with self.view() as view:
            rows = sorted((snap.dataset, snap.sha256) for snap in view.snapshots())
        digest = hashlib.sha256()
        for dataset, sha in rows:
            digest.update(f"{dataset}:{sha}\n".encode())
        return digest.hexdigest()

    def audit(
        self,
        *,
        actor: str,
        action: str,
        object_type: str,
        object_id: str | int,
        details: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Append one entry to the workspace audit log in its own transaction
        (:func:`bidvet.store.audit.append`; inside a transaction, call that directly)."""
        from bidvet.store.audit import append

        with self.transaction() as conn:
            return append(
                conn,
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=object_id,
                details=details,
            )

    def dispose(self) -> None:
        self.engine.dispose()
