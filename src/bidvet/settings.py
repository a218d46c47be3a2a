"""The one settings module. Every setting is an environment variable prefixed ``BIDVET_``.

Each setting is declared once in :data:`SETTINGS` with its documentation; the README table of
settings is checked against this registry by the test suite, so docs cannot drift.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    doc: str

    def get(self) -> str:
        value = os.environ.get(self.name)
        return value if value not in (None, "") else self.default


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "BIDVET_DB",
            "sqlite:///bidvet.db",
            "Knowledge store URL: a SQLAlchemy URL (`sqlite:///path.db` or "
            "`postgresql://user@host/db`). The `--db` option overrides it. Default: `bidvet.db` "
            "in the current directory.",
        ),
        Setting(
            "BIDVET_CACHE_DIR",
            "",
            "Where derived, rebuildable files are cached: the screening index, and JSON copies "
            "of what was read from the bundled screening policy, ownership rules and name model. "
            "Default: the index in `.bidvet-cache` next to a SQLite store, or `~/.cache/bidvet` "
            "for a server store; the copies in `~/.cache/bidvet`.",
        ),
        Setting(
            "BIDVET_LOG_LEVEL",
            "WARNING",
            "Log level for messages on stderr (DEBUG, INFO, WARNING, ERROR).",
        ),
        Setting(
            "BIDVET_LOCK_TIMEOUT",
            "300",
            "Seconds a load waits for another load writing to the same store before it fails "
            "(one writer at a time per store). Default: 300.",
        ),
        Setting(
            "BIDVET_FTM_URL",
            "",
            "URL of the FollowTheMoney export (`entities.ftm.json`) that `bidvet update ftm` "
            "fetches, e.g. from the buyer's own OpenSanctions-compatible server. No default: "
            "nothing is fetched until it is set (or `--url ftm=URL` is given).",
        ),
        Setting(
            "BIDVET_TODAY",
            "",
            "Override today's date (YYYY-MM-DD) used as the default as-of date; for reproducible "
            "runs and tests. Default: today's date in UTC. A value that is not a date, or one "
            "before 1900-01-01 or after 2999-12-31, is an error.",
        ),
    )
}


def get(name: str) -> str:
    return SETTINGS[name].get()


def db_url(explicit: str | None = None) -> str:
    """The store URL: explicit argument, else ``BIDVET_DB``, else a SQLite file here."""
    if explicit:
        return explicit
    return get("BIDVET_DB")


def cache_dir(db: str) -> Path:
    """Directory for rebuildable caches belonging to the store at ``db``."""
    configured = get("BIDVET_CACHE_DIR")
    if configured:
        return Path(configured)
    if db.startswith("sqlite:///") and db != "sqlite:///:memory:":
        return Path(db.removeprefix("sqlite:///")).resolve().parent / ".bidvet-cache"
    return Path.home() / ".cache" / "bidvet"
