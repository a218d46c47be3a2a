"""One exception hierarchy for the package.

Core code raises these; the CLI (and later the web layer) translates them into exit codes or
HTTP status codes at the edge. Every message says what went wrong *and* what to do about it.
"""

from __future__ import annotations

from pathlib import Path


class BidvetError(Exception):
    """Base class of every error bidvet raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(self.render())

    def render(self) -> str:
        if self.fix:
            return f"{self.message}; {self.fix}"
        return self.message


class InputError(BidvetError):
    """A file the user gave us cannot be used as it is.

    Names the file, the record (line, element, id or key) and the fix.
    """

    def __init__(
        self,
        path: str | Path | None,
        message: str,
        *,
        record: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.record = record
        where = self.path or "<input>"
        if record:
            where = f"{where}: {record}"
        super().__init__(f"{where}: {message}", fix=fix)


class ConfigError(InputError):
    """A policy/config YAML file (framework, jurisdictions, taxonomy, tender) is invalid."""


class StoreError(BidvetError):
    """The knowledge store cannot be opened, migrated or written."""


class NotFoundError(BidvetError):
    """A requested entity, list or file does not exist."""


class UsageError(BidvetError):
    """The command was called with arguments that do not fit together."""

    exit_code = 2
