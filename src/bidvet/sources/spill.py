"""Records parked on disk while a large file is read, so memory does not grow with the file.

An importer that must see a whole file before anything can be written (FtM links that refer to
entities read later, repeated ids merged into the first record) keeps the records it made in a
:class:`Spill`: an anonymous temporary file of serialised values, with only a compact id →
position index in memory. Reading them back gives them in the order they were first put, each
as last put.

Values are pickled; a spill made with ``plain=True`` holds only plain values (str, int, float,
None, and tuples, lists and dicts of them) and writes them with :mod:`marshal`, several times
faster to write and read back than pickle.

The index holds no key strings: each key is written to the file in front of its value, and
memory keeps, per value, its offset and length and the key's 64-bit hash, with an
open-addressing table of positions over those hashes (about 40 bytes a value, where a dict of
the keys took about 150). A hash that matches is confirmed against the key on disk, so two keys
with the same hash are never taken for one.
"""

from __future__ import annotations

import marshal
import os
import pickle
import struct
import tempfile
from array import array
from collections.abc import Callable, Iterator
from typing import Any

_PROTOCOL = pickle.HIGHEST_PROTOCOL
#: bytes read at a time when the values are read back in order
_WINDOW = 4 << 20
#: the longest key (UTF-8 bytes) a spill holds; ids in bidvet are at most a few hundred
MAX_KEY = 0xFFFF
_KEY_LENGTH = struct.Struct("<H")


def _pickle(value: Any) -> bytes:
    return pickle.dumps(value, _PROTOCOL)


class Spill:
    """Values in first-put order; :meth:`put` with a key already held replaces its value in
    place. Values without a key (:meth:`append`) are kept in the order appended."""

    def __init__(self, *, plain: bool = False) -> None:
        self._dumps: Callable[[Any], bytes] = marshal.dumps if plain else _pickle
        self._loads: Callable[[bytes], Any] = marshal.loads if plain else pickle.loads
        # unlinked at once; open as long as the spill, closed by close()
        self._fh = tempfile.TemporaryFile(prefix="bidvet-spill-")  # noqa: SIM115
        self._end = 0
        self._offsets = array("q")
        self._lengths = array("q")
        self._hashes = array("q")  # the key's hash, by position (0 for values without a key)
        self._keyed = bytearray()  # 1 where the value at that position has a key
        self._slots = array("i", bytes(4 * 16))  # position + 1, or 0 for an empty slot
        self._mask = 15
        self._keys = 0
        self._dirty = False

    def __len__(self) -> int:
        return len(self._offsets)

    def __contains__(self, key: str) -> bool:
        return self._find(key, key.encode("utf-8"))[0] is not None

    def position(self, key: str) -> int | None:
        """The place of ``key`` in first-put order (a small int standing for the key)."""
        return self._find(key, key.encode("utf-8"))[0]

    def _find(self, key: str, raw: bytes) -> tuple[int | None, int, int]:
        """(position of ``key`` or None, its hash, the slot where it is or would go)."""
        h = hash(key)
        mask, slots, hashes = self._mask, self._slots, self._hashes
        i = h & mask
        while True:
            at = slots[i]
            if at == 0:
                return None, h, i
            at -= 1
            if hashes[at] == h and self._key_is(at, raw):
                return at, h, i
            i = (i + 1) & mask

    def _key_is(self, at: int, raw: bytes) -> bool:
        """Whether the key written in front of the value at ``at`` is ``raw``."""
        start = self._offsets[at] - len(raw) - 2
        if start < 0:
            return False
        self._flush()
        found = os.pread(self._fh.fileno(), len(raw) + 2, start)
        return found == _KEY_LENGTH.pack(len(raw)) + raw

    def _write(self, value: Any, key: bytes | None = None) -> tuple[int, int]:
        data = self._dumps(value)
        if key is not None:
            self._end += 2 + len(key)
            offset = self._end
            self._fh.write(b"".join((_KEY_LENGTH.pack(len(key)), key, data)))
        else:
            offset = self._end
            self._fh.write(data)
        self._end += len(data)
        self._dirty = True
        return offset, len(data)

    def append(self, value: Any) -> None:
        offset, length = self._write(value)
        self._offsets.append(offset)
        self._lengths.append(length)
        self._hashes.append(0)
        self._keyed.append(0)

    def put(self, key: str, value: Any) -> None:
        self._put(key, value, replace=True)

    def add(self, key: str, value: Any) -> bool:
        """:meth:`put` when ``key`` is not held yet (True); else nothing is written (False)."""
        return self._put(key, value, replace=False)

    def _put(self, key: str, value: Any, *, replace: bool) -> bool:
        raw = key.encode("utf-8")
        if len(raw) > MAX_KEY:
            raise ValueError(f"spill key longer than {MAX_KEY} bytes")
        at, h, slot = self._find(key, raw)
        if at is not None:
            if replace:
                self._offsets[at], self._lengths[at] = self._write(value, raw)
            return False
        offset, length = self._write(value, raw)
        self._slots[slot] = len(self._offsets) + 1
        self._offsets.append(offset)
        self._lengths.append(length)
        self._hashes.append(h)
        self._keyed.append(1)
        self._keys += 1
        if self._keys * 2 > self._mask + 1:  # at most half full: probes stay short
            self._grow()
        return True

    def _grow(self) -> None:
        size = (self._mask + 1) * 2
        mask = size - 1
        slots = array("i", bytes(4 * size))
        hashes = self._hashes
        for at, keyed in enumerate(self._keyed):
            if keyed:
                i = hashes[at] & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i] = at + 1
        self._slots, self._mask = slots, mask

    def _flush(self) -> None:
        if self._dirty:
            self._fh.flush()
            self._dirty = False

    def get(self, key: str) -> Any:
        """The value last put under ``key`` (a ``KeyError`` when there is none)."""
        at = self._find(key, key.encode("utf-8"))[0]
        if at is None:
            raise KeyError(key)
        self._flush()
        data = os.pread(self._fh.fileno(), self._lengths[at], self._offsets[at])
        return self._loads(data)

    def __iter__(self) -> Iterator[Any]:
        """Every value, in first-put order, each as last put."""
        self._flush()
        fd = self._fh.fileno()
        loads = self._loads
        start, window = 0, b""
        for offset, length in zip(self._offsets, self._lengths, strict=True):
            if offset < start or offset + length > start + len(window):
                start = offset
                window = os.pread(fd, max(_WINDOW, length), offset)
            yield loads(window[offset - start : offset - start + length])

    def close(self) -> None:
        self._fh.close()
        self._offsets = array("q")
        self._lengths = array("q")
        self._hashes = array("q")
        self._keyed = bytearray()
        self._slots = array("i", bytes(4 * 16))
        self._mask = 15
        self._keys = 0
