"""One writer at a time per store.

**SQLite**: a write transaction starts with ``BEGIN IMMEDIATE``, which takes the database's own
write lock before the first read. That is the lock SQLite already arbitrates between processes:
nothing to clean up when a process dies (the lock goes with its file descriptors), and it covers
every writer, not only the ones that agree to look at a lock file. In WAL mode readers are never
blocked. Because the transaction holds the lock from its first statement, the check "is this
publication already loaded?" and the write that follows see one state: a second load of the
same file waits, then finds the first one's snapshot and does nothing.

**PostgreSQL**: ``pg_advisory_xact_lock`` on one key, taken first thing in the transaction and
released when it commits or rolls back (advisory locks are per database, so per store).

A writer that finds the lock taken says so on stderr ("another load is running") and waits up to
``BIDVET_LOCK_TIMEOUT`` seconds, then fails with a :class:`~bidvet.errors.StoreError`.
"""

from __future__ import annotations

import logging
import math

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet import settings
from bidvet.errors import StoreError

log = logging.getLogger(__name__)

#: advisory lock key of the store's writer: the first 63 bits of sha256("bidvet-store-writer")
WRITER_KEY = 0x3EAD91E950B8F082
#: SQLite's default busy timeout (the sqlite3 module's), restored once the lock is held
SQLITE_BUSY_MS = 5000


def lock_timeout() -> float:
    """``BIDVET_LOCK_TIMEOUT`` in seconds."""
    raw = settings.get("BIDVET_LOCK_TIMEOUT")
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise StoreError(
            f"BIDVET_LOCK_TIMEOUT={raw!r} is not a number of seconds",
            fix="set it to a number such as 300, or unset it",
        )
    return value


def _timed_out(where: str, timeout: float) -> StoreError:
    return StoreError(
        f"another load is still writing to {where} after {timeout:g} s",
        fix="wait for it to finish and run this again, or raise BIDVET_LOCK_TIMEOUT",
    )


def _is_busy(exc: sa.exc.OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


def acquire_writer_lock(conn: Connection, where: str, timeout: float | None = None) -> None:
    """Start ``conn``'s transaction holding the store's writer lock (see the module doc)."""
    timeout = lock_timeout() if timeout is None else timeout
    if conn.dialect.name == "sqlite":
        _sqlite(conn, where, timeout)
    elif conn.dialect.name == "postgresql":
        _postgresql(conn, where, timeout)


def _sqlite(conn: Connection, where: str, timeout: float) -> None:
    conn.exec_driver_sql("PRAGMA busy_timeout = 0")
    try:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except sa.exc.OperationalError as exc:
            if not _is_busy(exc):
                raise
        log.warning("another load is running on %s; waiting up to %g s", where, timeout)
        if timeout <= 0:
            raise _timed_out(where, timeout)
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except sa.exc.OperationalError as exc:
            if _is_busy(exc):
                raise _timed_out(where, timeout) from exc
            raise
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")


def _postgresql(conn: Connection, where: str, timeout: float) -> None:
    if conn.execute(sa.select(sa.func.pg_try_advisory_xact_lock(WRITER_KEY))).scalar():
        return
    log.warning("another load is running on %s; waiting up to %g s", where, timeout)
    if timeout <= 0:
        raise _timed_out(where, timeout)
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{max(1, int(timeout * 1000))}ms'")
    try:
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(WRITER_KEY)))
    except sa.exc.OperationalError as exc:
        raise _timed_out(where, timeout) from exc
    conn.exec_driver_sql("SET LOCAL lock_timeout = 0")


def hold_session_lock(conn: Connection, where: str, timeout: float | None = None) -> None:
    """PostgreSQL: take the writer lock for the session of ``conn`` (an autocommit connection),
    for work done by other processes meanwhile (``pg_dump``, ``pg_restore``); released by
    :func:`release_session_lock` or when the connection closes."""
    timeout = lock_timeout() if timeout is None else timeout
    if conn.execute(sa.select(sa.func.pg_try_advisory_lock(WRITER_KEY))).scalar():
        return
    log.warning("another load is running on %s; waiting up to %g s", where, timeout)
    conn.exec_driver_sql(f"SET lock_timeout = '{max(1, int(timeout * 1000))}ms'")
    try:
        conn.execute(sa.select(sa.func.pg_advisory_lock(WRITER_KEY)))
    except sa.exc.OperationalError as exc:
        raise _timed_out(where, timeout) from exc
    finally:
        conn.exec_driver_sql("SET lock_timeout = 0")


def release_session_lock(conn: Connection) -> None:
    conn.execute(sa.select(sa.func.pg_advisory_unlock(WRITER_KEY)))
