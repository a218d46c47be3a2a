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

That index is bounded: once a spill holds more than ``memory_limit`` values (default
:data:`MEMORY_LIMIT`), it moves to disk — each key's place to a
:class:`bidvet.store.scratch.KeyIndex`, each place's offset and length to a second temporary
file (:class:`_Spans`) — and every later lookup goes there, so memory stays flat however large
the file (a keyed put then costs a few microseconds more; a value without a key, nothing).
"""

from __future__ import annotations

import marshal
import os
import pickle
import struct
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bidvet.store.scratch import KeyIndex

_PROTOCOL = pickle.HIGHEST_PROTOCOL
#: bytes read at a time when the values are read back in order
_WINDOW = 4 << 20
#: the longest key (UTF-8 bytes) a spill holds; ids in bidvet are at most a few hundred
MAX_KEY = 0xFFFF
_KEY_LENGTH = struct.Struct("<H")
#: values a spill indexes in memory before its index moves to disk
MEMORY_LIMIT = 100_000


_SPAN = struct.Struct("=qq")  # as array("q") writes them
#: spans kept in memory before they are written to the spans file
_SPAN_BLOCK = 1 << 16


class _Spans:
    """(offset, length) by place, on disk: appended in blocks, read back in windows."""

    def __init__(self) -> None:
        self._fh = tempfile.TemporaryFile(prefix="bidvet-spans-")  # noqa: SIM115
        self._written = 0  # places in the file
        self._tail = array("q")  # the places after them, offset and length in turn

    def __len__(self) -> int:
        return self._written + len(self._tail) // 2

    def append(self, offset: int, length: int) -> None:
        self._tail.append(offset)
        self._tail.append(length)
        if len(self._tail) >= 2 * _SPAN_BLOCK:
            os.pwrite(self._fh.fileno(), self._tail.tobytes(), self._written * _SPAN.size)
            self._written += len(self._tail) // 2
            self._tail = array("q")

    def __setitem__(self, place: int, span: tuple[int, int]) -> None:
        if place >= self._written:
            at = 2 * (place - self._written)
            self._tail[at], self._tail[at + 1] = span
        else:
            os.pwrite(self._fh.fileno(), _SPAN.pack(*span), place * _SPAN.size)

    def __getitem__(self, place: int) -> tuple[int, int]:
        if place >= self._written:
            at = 2 * (place - self._written)
            return self._tail[at], self._tail[at + 1]
        found: tuple[int, int] = _SPAN.unpack(
            os.pread(self._fh.fileno(), _SPAN.size, place * _SPAN.size)
        )
        return found

    def __iter__(self) -> Iterator[tuple[int, int]]:
        fd = self._fh.fileno()
        for start in range(0, self._written, _SPAN_BLOCK):
            block = array("q")
            block.frombytes(
                os.pread(
                    fd, min(_SPAN_BLOCK, self._written - start) * _SPAN.size, start * _SPAN.size
                )
            )
            yield from zip(block[::2], block[1::2], strict=True)
        tail = self._tail
        yield from zip(tail[::2], tail[1::2], strict=True)

    def close(self) -> None:
        self._fh.close()
        self._written, self._tail = 0, array("q")


class _OnDisk:
    """A spill's index once it is on disk: each key's place, and each place's bytes."""

    def __init__(self) -> None:
        self.keys = KeyIndex()
        self.spans = _Spans()

    def close(self) -> None:
        self.keys.close()
        self.spans.close()


def _pickle(value: Any) -> bytes:
    return pickle.dumps(value, _PROTOCOL)


class Spill:
    """Values in first-put order; :meth:`put` with a key already held replaces its value in
    place. Values without a key (:meth:`append`) are kept in the order appended."""

    def __init__(self, *, plain: bool = False, memory_limit: int = MEMORY_LIMIT) -> None:
        self._dumps: Callable[[Any], bytes] = marshal.dumps if plain else _pickle
        self._loads: Callable[[bytes], Any] = marshal.loads if plain else pickle.loads
        # unlinked at once; open as long as the spill, closed by close()
        self._fh = tempfile.TemporaryFile(prefix="bidvet-spill-")  # noqa: SIM115
        self._end = 0
        self._offsets = array("q")
        self._lengths = array("q")
        self._hashes = array("q")  # the key's hash, by position (0 for values without a key)
        self._keylens = array("i")  # the key's length in bytes, by position (-1: no key)
        self._slots = array("i", bytes(4 * 16))  # position + 1, or 0 for an empty slot
        self._mask = 15
        self._keys = 0
        self._dirty = False
        self._limit = memory_limit
        self._count = 0
        self._disk: _OnDisk | None = None

    def __len__(self) -> int:
        return self._count

    @property
    def on_disk(self) -> bool:
        """Whether the index has moved to disk (more than ``memory_limit`` values)."""
        return self._disk is not None

    def __contains__(self, key: str) -> bool:
        return self.position(key) is not None

    def position(self, key: str) -> int | None:
        """The place of ``key`` in first-put order (a small int standing for the key)."""
        if self._disk is not None:
            return self._disk.keys.find(key)
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
        if self._disk is not None:
            self._disk.spans.append(offset, length)
        else:
            self._offsets.append(offset)
            self._lengths.append(length)
            self._hashes.append(0)
            self._keylens.append(-1)
        self._count += 1
        self._bound()

    def put(self, key: str, value: Any) -> None:
        self._put(key, value, replace=True)

    def add(self, key: str, value: Any) -> bool:
        """:meth:`put` when ``key`` is not held yet (True); else nothing is written (False)."""
        return self._put(key, value, replace=False)

    def _put(self, key: str, value: Any, *, replace: bool) -> bool:
        raw = key.encode("utf-8")
        if len(raw) > MAX_KEY:
            raise ValueError(f"spill key longer than {MAX_KEY} bytes")
        if self._disk is not None:
            return self._put_on_disk(self._disk, key, raw, value, replace=replace)
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
        self._keylens.append(len(raw))
        self._keys += 1
        self._count += 1
        if self._keys * 2 > self._mask + 1:  # at most half full: probes stay short
            self._grow()
        self._bound()
        return True

    def _put_on_disk(
        self, disk: _OnDisk, key: str, raw: bytes, value: Any, *, replace: bool
    ) -> bool:
        end = self._end
        offset, length = self._write(value, raw)
        if disk.keys.add(key, self._count):
            disk.spans.append(offset, length)
            self._count += 1
            return True
        if replace:
            place = disk.keys.find(key)
            assert place is not None
            disk.spans[place] = (offset, length)
        else:  # held already: the bytes just written are not needed
            self._fh.flush()
            self._fh.truncate(end)
            self._fh.seek(end)
            self._end, self._dirty = end, False
        return False

    def _bound(self) -> None:
        """Move the index to disk once it holds more than the memory limit."""
        if self._disk is not None or self._count <= self._limit:
            return
        self._flush()
        disk = _OnDisk()
        fd = self._fh.fileno()

        def keys() -> Iterator[tuple[str, int]]:
            for place, (offset, keylen) in enumerate(
                zip(self._offsets, self._keylens, strict=True)
            ):
                if keylen >= 0:
                    yield os.pread(fd, keylen, offset - keylen).decode("utf-8"), place

        disk.keys.load(keys())
        for offset, length in zip(self._offsets, self._lengths, strict=True):
            disk.spans.append(offset, length)
        self._disk = disk
        self._offsets, self._lengths, self._hashes = array("q"), array("q"), array("q")
        self._keylens = array("i")
        self._slots, self._mask, self._keys = array("i", bytes(4 * 16)), 15, 0

    def _grow(self) -> None:
        size = (self._mask + 1) * 2
        mask = size - 1
        slots = array("i", bytes(4 * size))
        hashes = self._hashes
        for at, keylen in enumerate(self._keylens):
            if keylen >= 0:
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
        if self._disk is not None:
            place = self._disk.keys.find(key)
            if place is None:
                raise KeyError(key)
            offset, length = self._disk.spans[place]
        else:
            at = self._find(key, key.encode("utf-8"))[0]
            if at is None:
                raise KeyError(key)
            offset, length = self._offsets[at], self._lengths[at]
        self._flush()
        return self._loads(os.pread(self._fh.fileno(), length, offset))

    def __iter__(self) -> Iterator[Any]:
        """Every value, in first-put order, each as last put."""
        self._flush()
        fd = self._fh.fileno()
        loads = self._loads
        start, window = 0, b""
        spans: Iterable[tuple[int, int]] = (
            self._disk.spans
            if self._disk is not None
            else zip(self._offsets, self._lengths, strict=True)
        )
        for offset, length in spans:
            if offset < start or offset + length > start + len(window):
                start = offset
                window = os.pread(fd, max(_WINDOW, length), offset)
            yield loads(window[offset - start : offset - start + length])

    def close(self) -> None:
        self._fh.close()
        if self._disk is not None:
            self._disk.close()
            self._disk = None
        self._offsets = array("q")
        self._lengths = array("q")
        self._hashes = array("q")
        self._keylens = array("i")
        self._slots = array("i", bytes(4 * 16))
        self._mask = 15
        self._keys = 0
        self._count = 0
