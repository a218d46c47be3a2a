"""The data-quality log: every value normalised away or rejected is recorded, never dropped."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ACTIONS = ("rejected", "normalised", "skipped", "note")


@dataclass(frozen=True, slots=True)
class QualityIssue:
    action: str
    reason: str
    record: str | None = None
    field: str | None = None
    value: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class QualityLog:
    """Collects issues for one file. ``rejected`` counts whole records refused."""

    file_name: str
    issues: list[QualityIssue] = field(default_factory=list)
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

    def _add(
        self, action: str, reason: str, record: str | None, field: str | None, value: object
    ) -> None:
        text = None if value is None else str(value)
        self.issues.append(QualityIssue(action, reason, record, field, text))
