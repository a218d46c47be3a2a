"""A temporary on-disk key index for loaders, so memory does not grow with the file.

:class:`bidvet.sources.spill.Spill` keeps the places of the values it parks in memory while
they are few; past a bound its keys move here: a SQLite file in the temporary folder, deleted
when the index is closed, holding each key's place in first-put order (where the bytes of each
place are is the spill's own business). SQLite's page cache is capped (:data:`CACHE_KIB`), so
the index costs the same memory for ten million keys as for one hundred thousand.

The writer keeps the keys of the listings it has written in a :class:`SeenKeys` the same way.

This is not the store: nothing here outlives the load that made it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterable

#: SQLite page cache of one index, in KiB
CACHE_KIB = 8192

_SCHEMA = "CREATE TABLE spot (key TEXT PRIMARY KEY, place INTEGER NOT NULL) WITHOUT ROWID"


def _scratch_db(schema: str) -> tuple[sqlite3.Connection, str]:
    """A new SQLite file in the temporary folder, set up for one writer and no recovery."""
    handle, path = tempfile.mkstemp(prefix="bidvet-scratch-", suffix=".sqlite")
    os.close(handle)
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in (
        "journal_mode = OFF",
        "synchronous = OFF",
        "locking_mode = EXCLUSIVE",
        "temp_store = FILE",
        f"cache_size = -{CACHE_KIB}",
    ):
        db.execute(f"PRAGMA {pragma}")
    db.execute(schema)
    return db, path


def _drop(db: sqlite3.Connection, path: str) -> None:
    db.close()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


class KeyIndex:
    """Keys → their places (0-based, first-put order), on disk."""

    def __init__(self) -> None:
        self._db, self._path = _scratch_db(_SCHEMA)

    def load(self, places: Iterable[tuple[str, int]]) -> None:
        """Add (key, place) rows in bulk; the keys must be distinct."""
        self._db.executemany("INSERT INTO spot (key, place) VALUES (?, ?)", places)

    def add(self, key: str, place: int) -> bool:
        """Give ``key`` the place ``place``; False (nothing added) when it has one already."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO spot (key, place) VALUES (?, ?)", (key, place)
        )
        return cursor.rowcount == 1

    def find(self, key: str) -> int | None:
        """The place of ``key``, or None."""
        row = self._db.execute("SELECT place FROM spot WHERE key = ?", (key,)).fetchone()
        return None if row is None else int(row[0])

    def close(self) -> None:
        _drop(self._db, self._path)


class SeenKeys:
    """A set of byte strings that answers whether a key was added before: in memory up to
    ``memory_limit`` keys, then on disk, so memory stays flat however many keys come."""

    def __init__(self, memory_limit: int = 100_000) -> None:
        self._limit = memory_limit
        self._memory: set[bytes] | None = set()
        self._db: sqlite3.Connection | None = None
        self._path = ""
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, key: bytes) -> bool:
        if self._memory is not None:
            return key in self._memory
        assert self._db is not None
        return self._db.execute("SELECT 1 FROM seen WHERE key = ?", (key,)).fetchone() is not None

    def add(self, key: bytes) -> bool:
        """Add ``key``; False when it was added before."""
        if self._add(key):
            self._count += 1
            return True
        return False

    def _add(self, key: bytes) -> bool:
        memory = self._memory
        if memory is not None:
            if key in memory:
                return False
            memory.add(key)
            if len(memory) > self._limit:
                self._db, self._path = _scratch_db(
                    "CREATE TABLE seen (key BLOB PRIMARY KEY) WITHOUT ROWID"
                )
                self._db.executemany("INSERT INTO seen (key) VALUES (?)", ((k,) for k in memory))
                self._memory = None
            return True
        assert self._db is not None
        return self._db.execute("INSERT OR IGNORE INTO seen (key) VALUES (?)", (key,)).rowcount == 1

    def close(self) -> None:
        self._memory, self._count = set(), 0
        if self._db is not None:
            _drop(self._db, self._path)
            self._db = None
