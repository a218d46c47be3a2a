"""The source registry (``data/sources.yaml``), parsed strictly.

A source is one publication bidvet can fetch and load: its publisher, URLs, ``bidvet load``
format, licence, how often it is republished, an optional published checksum, a size limit, the
file name it has on disk (and on carried-in media), and the list ids it feeds. Adding a source is a
YAML diff.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from bidvet import settings
from bidvet.errors import ConfigError, InputError
from bidvet.yamlconfig import ErrorStyle, StrictModel, check_unique_ids, validate_yaml

SOURCES_FILE = Path(__file__).resolve().parent.parent / "data" / "sources.yaml"
_ERRORS = ErrorStyle(dotted=True, hint="compare with the bundled data/sources.yaml")
_URL = r"^https?://"


class Source(StrictModel):
    """One fetchable publication."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    #: tried in order; empty when the URL is configured (``url_setting``)
    urls: tuple[str, ...] = ()
    #: the ``BIDVET_*`` setting holding the URL of a source without a built-in one
    url_setting: str | None = Field(default=None, pattern=r"^BIDVET_[A-Z0-9_]+$")
    format: str = Field(min_length=2)
    file: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=200)
    licence: str = Field(min_length=2)
    cadence_days: int = Field(ge=1, le=366)
    checksum_url: str | None = Field(default=None, pattern=_URL)
    max_bytes: int = Field(ge=1)
    lists: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_way_to_find_it(self) -> Source:
        for url in self.urls:
            if not url.startswith(("https://", "http://")):
                raise ValueError(f"url {url!r} is not http(s)")
        if bool(self.urls) == bool(self.url_setting):
            raise ValueError("give either urls or url_setting, not both or neither")
        return self


class SourceRegistry(StrictModel):
    bidvet: Literal["sources/1"]
    sources: tuple[Source, ...]

    def get(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise InputError(
            None,
            f"unknown source {source_id!r}",
            fix="use one of: " + ", ".join(s.id for s in self.sources),
        )


def read_sources(path: Path = SOURCES_FILE) -> SourceRegistry:
    """Parse and check a source registry: ids unique, formats known, list ids known."""
    registry = validate_yaml(
        path, SourceRegistry, fix_top="start the file with 'bidvet: sources/1'", style=_ERRORS
    )
    check_unique_ids(path, [s.id for s in registry.sources], "sources")
    from bidvet.sources.lists import list_registry
    from bidvet.sources.registry import importers

    formats = importers()
    known_lists = {info.id for info in list_registry().lists}
    for i, source in enumerate(registry.sources):
        if source.format not in formats:
            raise ConfigError(
                path,
                f"unknown format {source.format!r}",
                record=f"sources.{i}.format",
                fix="use one of: " + ", ".join(formats),
            )
        for list_id in source.lists:
            if list_id not in known_lists:
                raise ConfigError(
                    path,
                    f"unknown list {list_id!r}",
                    record=f"sources.{i}.lists",
                    fix="use a list id of data/lists.yaml",
                )
        if source.url_setting is not None and source.url_setting not in settings.SETTINGS:
            raise ConfigError(
                path,
                f"unknown setting {source.url_setting!r}",
                record=f"sources.{i}.url_setting",
                fix="name a BIDVET_* setting of bidvet.settings",
            )
    return registry


@lru_cache(maxsize=1)
def source_registry() -> SourceRegistry:
    """The bundled registry, read once."""
    return read_sources()


def source_urls(source: Source, overrides: dict[str, str] | None = None) -> tuple[str, ...]:
    """The URLs to try for ``source``: an override, else the built-in ones, else its setting's
    value; empty when a configured source is not configured."""
    if overrides and source.id in overrides:
        return (overrides[source.id],)
    if source.urls:
        return source.urls
    if source.url_setting is not None:
        value = settings.get(source.url_setting)
        return (value,) if value else ()
    return ()
