"""The data-quality log: every value normalised away or rejected is recorded, never dropped.

A large file can give hundreds of thousands of notes (one per identifier or country normalised
away), so the log does not hold them all in memory: :class:`QualityIssues` keeps the first
:data:`MEMORY_LIMIT` in a list and appends the rest, in blocks of :data:`FILE_BLOCK`, to an
anonymous temporary file, which it reads back a block at a time, in order.
"""

from __future__ import annotations

import marshal
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import IO, Any, overload

ACTIONS = ("rejected", "normalised", "skipped", "note")

#: issues a log keeps in memory; those after them go to a temporary file
MEMORY_LIMIT = 10_000
#: issues written to (and read back from) the temporary file at a time
FILE_BLOCK = 1_000


@dataclass(frozen=True, slots=True)
class QualityIssue:
    action: str
    reason: str
    record: str | None = None
    field: str | None = None
    value: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


_Row = tuple[str, str, str | None, str | None, str | None]


def _same_items(ours: Sequence[Any], other: object) -> bool | None:
    """``==`` as between lists, against any sequence but a string (None: not comparable)."""
    if not isinstance(other, Sequence) or isinstance(other, str | bytes):
        return None
    if len(ours) != len(other):
        return False
    return all(a == b for a, b in zip(ours, other, strict=True))


def _row(issue: QualityIssue) -> _Row:
    return (issue.action, issue.reason, issue.record, issue.field, issue.value)


class QualityIssues(Sequence[QualityIssue]):
    """The issues of one file in the order logged, the first ``memory_limit`` (default
    :data:`MEMORY_LIMIT`) in memory and the rest in a temporary file (module docstring).

    Reads like a list: ``len``, iteration, an index or a slice (a slice gives a list), and
    ``==`` against any sequence of issues. :meth:`counts` gives how many of each action were
    logged without reading the file. :meth:`close` drops the file; the log is then empty."""

    def __init__(
        self, issues: Iterable[QualityIssue] = (), *, memory_limit: int | None = None
    ) -> None:
        self._limit = MEMORY_LIMIT if memory_limit is None else memory_limit
        self._memory: list[QualityIssue] = []
        self._pending: list[_Row] = []  # issues past the limit not yet written as a block
        self._fh: IO[bytes] | None = None
        self._offsets = array("q")  # where each block written starts in the file
        self._end = 0
        self._stored = 0  # issues written to the file
        self._cached: tuple[int, list[_Row]] = (-1, [])  # the block last read back
        self._counts: Counter[str] = Counter()
        self.extend(issues)

    # -- adding ---------------------------------------------------------------------------------
    def append(self, issue: QualityIssue) -> None:
        self._counts[issue.action] += 1
        if len(self._memory) < self._limit:
            self._memory.append(issue)
            return
        self._pending.append(_row(issue))
        if len(self._pending) >= FILE_BLOCK:
            self._flush()

    def extend(self, issues: Iterable[QualityIssue]) -> None:
        for issue in issues:
            self.append(issue)

    def _flush(self) -> None:
        if self._fh is None:
            # unlinked at once; open as long as the log, closed by close()
            self._fh = tempfile.TemporaryFile(prefix="bidvet-quality-")  # noqa: SIM115
        data = marshal.dumps(self._pending)
        self._fh.seek(self._end)
        self._fh.write(data)
        self._offsets.append(self._end)
        self._end += len(data)
        self._stored += len(self._pending)
        self._pending = []

    # -- reading --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """How many issues of each action (``rejected``, ``normalised`` …) were logged."""
        return dict(self._counts)

    @property
    def in_memory(self) -> int:
        """How many of the issues are held in memory (at most the limit plus one block)."""
        return len(self._memory) + len(self._pending)

    def __len__(self) -> int:
        return len(self._memory) + self._stored + len(self._pending)

    def __bool__(self) -> bool:
        return len(self) > 0

    def _block(self, number: int) -> list[_Row]:
        if self._cached[0] != number:
            assert self._fh is not None
            start = self._offsets[number]
            end = self._offsets[number + 1] if number + 1 < len(self._offsets) else self._end
            self._fh.seek(start)
            self._cached = (number, marshal.loads(self._fh.read(end - start)))
        return self._cached[1]

    def _rows(self, start: int, stop: int) -> Iterator[_Row]:
        """The rows of the issues past the memory part, from ``start`` to ``stop`` (counted
        from the first issue past it), read a block at a time."""
        at = start
        while at < min(stop, self._stored):
            number, skip = divmod(at, FILE_BLOCK)
            rows = self._block(number)[skip : skip + stop - at]
            yield from rows
            at += len(rows)
        if stop > self._stored:
            yield from self._pending[max(start, self._stored) - self._stored : stop - self._stored]

    def _range(self, start: int, stop: int) -> Iterator[QualityIssue]:
        held = len(self._memory)
        if start < held:
            yield from self._memory[start : min(stop, held)]
        if stop > held:
            for row in self._rows(max(start, held) - held, stop - held):
                yield QualityIssue(*row)

    def __iter__(self) -> Iterator[QualityIssue]:
        return self._range(0, len(self))

    @overload
    def __getitem__(self, index: int) -> QualityIssue: ...

    @overload
    def __getitem__(self, index: slice) -> list[QualityIssue]: ...

    def __getitem__(self, index: int | slice) -> QualityIssue | list[QualityIssue]:
        size = len(self)
        if isinstance(index, slice):
            start, stop, step = index.indices(size)
            if step == 1:
                return list(self._range(start, max(start, stop)))
            return [self[i] for i in range(start, stop, step)]
        at = index + size if index < 0 else index
        if not 0 <= at < size:
            raise IndexError(f"quality issue {index} out of range ({size} issues)")
        return next(self._range(at, at + 1))

    def __eq__(self, other: object) -> bool:
        same = _same_items(self, other)
        return NotImplemented if same is None else same

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        first = ", ".join(repr(i) for i in self._memory[:3])
        more = ", …" if len(self) > 3 else ""
        return f"QualityIssues({len(self)} issues: [{first}{more}])"

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt by appending the issues one by one (pickle's list items): the receiver's copy
        # keeps the same memory limit, and pickling reads the file a block at a time rather
        # than making a list of every issue (the pickled bytes still hold them all: only the
        # reading process of GLEIF's overlapped load sends a log this way)
        return (_rebuild, (self._limit,), None, iter(self))

    def close(self) -> None:
        """Drop every issue and the temporary file."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._memory, self._pending, self._offsets = [], [], array("q")
        self._end = self._stored = 0
        self._cached = (-1, [])
        self._counts.clear()

    def dicts(self) -> IssueDicts:
        """The issues as :meth:`QualityIssue.as_dict` dicts, made one at a time when read."""
        return IssueDicts(self)


def _rebuild(memory_limit: int) -> QualityIssues:
    return QualityIssues(memory_limit=memory_limit)


class IssueDicts(Sequence[dict[str, Any]]):
    """A read-only view of :class:`QualityIssues` as dicts (what a load summary reports)."""

    def __init__(self, issues: QualityIssues) -> None:
        self._issues = issues

    def __len__(self) -> int:
        return len(self._issues)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (issue.as_dict() for issue in self._issues)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [issue.as_dict() for issue in self._issues[index]]
        return self._issues[index].as_dict()

    def __eq__(self, other: object) -> bool:
        same = _same_items(self, other)
        return NotImplemented if same is None else same

    __hash__ = None  # type: ignore[assignment]  # a view of a mutable log

    def __repr__(self) -> str:
        return f"IssueDicts({len(self)} issues)"


@dataclass
class QualityLog:
    """Collects issues for one file. ``rejected`` counts whole records refused."""

    file_name: str
    issues: QualityIssues = field(default_factory=QualityIssues)
    rejected: int = 0

    def reject(
        self, record: str, reason: str, *, field: str | None = None, value: object = None
    ) -> None:
        """A whole record was refused; it is not imported."""
        self.rejected += 1
        self._add("rejected", reason, record, field, value)

    def normalised(self, record: str | None, field: str, value: object, reason: str) -> None:
        """A value was changed or dropped while the record itself was kept."""
        self._add("normalised", reason, record, field, value)

    def skipped(
        self, record: str | None, reason: str, *, field: str | None = None, value: object = None
    ) -> None:
        """Something that is not a record (a repeated header, a comment row) was passed over."""
        self._add("skipped", reason, record, field, value)

    def note(self, reason: str, *, record: str | None = None) -> None:
        self._add("note", reason, record, None, None)

    def close(self) -> None:
        """Drop the issues and the temporary file holding those past the memory limit."""
        self.issues.close()

    def _add(
        self, action: str, reason: str, record: str | None, field: str | None, value: object
    ) -> None:
        text = None if value is None else str(value)
        self.issues.append(QualityIssue(action, reason, record, field, text))
