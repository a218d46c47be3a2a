"""``bidvet update``: fetch the registry's sources and load what is new, one snapshot each.

For each source (all of ``data/sources.yaml`` that have a URL, or those named):

1. over HTTP (:mod:`bidvet.monitor.fetch`): a conditional request with the validators of the last
   successful fetch (kept in the store); a 304 is *unchanged* and loads nothing;
2. or, with ``from_dir``, the source's file name in that directory (media carried into an
   air-gapped site): the network is never touched;
3. the SHA-256 of what was received, checked against the published checksum where the source has
   one (``checksum_url``, or a ``<file>.sha256`` beside a carried-in file); a mismatch fails;
4. the same SHA-256 as the last fetch is *unchanged*; otherwise the file is loaded through the
   normal loader (:func:`bidvet.sources.loader.load_file`), in one transaction, as a new snapshot
   (older snapshots are kept). A file that does not parse loads nothing and fails with the reason.

Every outcome is a :class:`SourceUpdate`, and the store records the attempt
(:mod:`bidvet.store.fetches`). Only this module and the monitor it serves use the network.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

from bidvet import settings
from bidvet.errors import BidvetError, UsageError
from bidvet.monitor.fetch import (
    Download,
    FetchError,
    FetchOptions,
    Validators,
    download,
    fetch_checksum,
    new_client,
    parse_checksum,
    sha256_of,
)
from bidvet.monitor.sources import Source, SourceRegistry, source_registry, source_urls
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from bidvet.store.fetches import FetchState, fetch_state, record_failure, record_success

log = logging.getLogger(__name__)

Status = Literal["loaded", "unchanged", "failed"]


@dataclass(frozen=True)
class SourceUpdate:
    """What ``update`` did for one source."""

    source: str
    status: Status
    snapshot_id: int | None
    dataset: str | None
    message: str
    url: str | None = None  #: where it came from (a ``file:`` URL for a carried-in file)
    sha256: str | None = None
    size: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "snapshot_id": self.snapshot_id,
            "dataset": self.dataset,
            "message": self.message,
            "url": self.url,
            "sha256": self.sha256,
            "size": self.size,
        }


def _now(now: dt.datetime | None) -> dt.datetime:
    value = now or dt.datetime.now(dt.UTC)
    return value.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0) if value.tzinfo else value


def download_dir(store: Store) -> Path:
    """Where downloads (and interrupted ``.part`` files) of this store's sources are kept."""
    return settings.cache_dir(store.url) / "downloads"


def _select(
    registry: SourceRegistry,
    names: Iterable[str] | None,
    from_dir: Path | None,
    overrides: Mapping[str, str],
) -> list[tuple[Source, bool]]:
    """The sources to update, each with whether it was asked for by name."""
    if names is not None:
        picked = list(dict.fromkeys(names))
        unknown = [n for n in picked if n not in {s.id for s in registry.sources}]
        if unknown:
            raise UsageError(
                f"unknown source {unknown[0]!r}",
                fix="use one of: " + ", ".join(s.id for s in registry.sources),
            )
        return [(registry.get(n), True) for n in picked]
    if from_dir is not None:
        return [(s, False) for s in registry.sources if (from_dir / s.file).is_file()]
    return [(s, False) for s in registry.sources if source_urls(s, dict(overrides))]


def _held(store: Store, state: FetchState | None) -> Validators:
    """The validators to send: those of the last success, if what it loaded is still held."""
    if state is None or state.fetched_at is None:
        return Validators()
    if state.snapshot_id is not None:
        with store.view() as view:
            if state.snapshot_id not in {snap.id for snap in view.snapshots()}:
                return Validators()
    return Validators(state.etag, state.last_modified)


def _load(
    store: Store,
    source: Source,
    path: Path,
    *,
    url: str,
    validators: Validators,
    state: FetchState | None,
    now: dt.datetime,
    note: str = "",
) -> SourceUpdate:
    digest = sha256_of(path)
    size = path.stat().st_size
    if state is not None and state.sha256 == digest and state.fetched_at is not None:
        held = state.snapshot_id is None or _snapshot_held(store, state.snapshot_id)
        if held:
            message = f"unchanged: same SHA-256 as the fetch of {state.fetched_at:%Y-%m-%d %H:%M}"
            record_success(
                store,
                source.id,
                url=url,
                etag=validators.etag,
                last_modified=validators.last_modified,
                sha256=digest,
                size=size,
                snapshot_id=state.snapshot_id,
                status="unchanged",
                message=message,
                now=now,
            )
            return SourceUpdate(
                source.id, "unchanged", None, None, message, url=url, sha256=digest, size=size
            )
    try:
        summary = load_file(store, path, source.format)
    except BidvetError as exc:
        return _fail(store, source, f"not loaded: {exc.render()}", now, url=url)
    snap = summary.write.snapshot_id
    if summary.write.already_loaded:
        status: Status = "unchanged"
        message = f"unchanged: this publication is already snapshot {snap}"
    else:
        status = "loaded"
        message = (
            f"loaded as snapshot {snap}: {summary.imported} records, "
            f"{summary.rejected} rejected{note}"
        )
    record_success(
        store,
        source.id,
        url=url,
        etag=validators.etag,
        last_modified=validators.last_modified,
        sha256=digest,
        size=size,
        snapshot_id=snap,
        status=status,
        message=message,
        now=now,
    )
    return SourceUpdate(
        source.id,
        status,
        snap if status == "loaded" else None,
        summary.dataset,
        message,
        url=url,
        sha256=digest,
        size=size,
    )


def _snapshot_held(store: Store, snapshot_id: int) -> bool:
    with store.view() as view:
        return snapshot_id in {snap.id for snap in view.snapshots()}


def _fail(
    store: Store, source: Source, message: str, now: dt.datetime, *, url: str | None = None
) -> SourceUpdate:
    log.warning("%s: %s", source.id, message)
    record_failure(store, source.id, message=message, now=now)
    return SourceUpdate(source.id, "failed", None, None, message, url=url)


def _from_dir(
    store: Store, source: Source, directory: Path, state: FetchState | None, now: dt.datetime
) -> SourceUpdate:
    path = directory / source.file
    if not path.is_file():
        return _fail(
            store, source, f"{path}: no such file (the file this source is read from)", now
        )
    url = path.resolve().as_uri()
    if path.stat().st_size > source.max_bytes:
        return _fail(store, source, f"{path}: over the limit of {source.max_bytes} bytes", now)
    checksum = path.with_name(path.name + ".sha256")
    note = ""
    if checksum.is_file():
        expected = parse_checksum(checksum.read_text(encoding="utf-8", errors="replace"), path.name)
        if expected is None:
            return _fail(store, source, f"{checksum}: no SHA-256 for {path.name} in it", now)
        actual = sha256_of(path)
        if actual != expected:
            return _fail(
                store,
                source,
                f"{path}: SHA-256 {actual} does not match {checksum.name} ({expected}); "
                "nothing loaded",
                now,
                url=url,
            )
        note = f"; SHA-256 matches {checksum.name}"
    # a carried-in file says nothing about what the server holds: forget its validators
    return _load(
        store, source, path, url=url, validators=Validators(), state=state, now=now, note=note
    )


def _over_http(
    store: Store,
    source: Source,
    urls: tuple[str, ...],
    client: httpx.Client,
    work_dir: Path,
    state: FetchState | None,
    options: FetchOptions,
    now: dt.datetime,
) -> SourceUpdate:
    dest = work_dir / source.id / source.file
    held = _held(store, state)
    problems = []
    got: Download | None = None
    for url in urls:
        try:
            got = download(
                client, url, dest, held=held, max_bytes=source.max_bytes, options=options
            )
            break
        except FetchError as exc:
            problems.append(str(exc))
    if got is None:
        return _fail(store, source, "download failed, nothing loaded: " + "; ".join(problems), now)
    if got.not_modified:
        if state is None:
            return _fail(store, source, f"{got.url}: HTTP 304 to an unconditional request", now)
        since = f" since {state.fetched_at:%Y-%m-%d %H:%M}" if state.fetched_at else ""
        message = f"unchanged: not modified{since} (HTTP 304)"
        record_success(
            store,
            source.id,
            url=got.url,
            etag=got.validators.etag,
            last_modified=got.validators.last_modified,
            sha256=state.sha256,
            size=state.size,
            snapshot_id=state.snapshot_id,
            status="unchanged",
            message=message,
            now=now,
        )
        return SourceUpdate(source.id, "unchanged", None, None, message, url=got.url)
    assert got.path is not None and got.sha256 is not None
    note = "; resumed an interrupted download" if got.resumed else ""
    try:
        if source.checksum_url:
            expected = fetch_checksum(client, source.checksum_url, source.file, options)
            if expected != got.sha256:
                return _fail(
                    store,
                    source,
                    f"SHA-256 {got.sha256} of {got.url} does not match the published "
                    f"{expected} ({source.checksum_url}); nothing loaded",
                    now,
                    url=got.url,
                )
            note += "; SHA-256 matches the published checksum"
        return _load(
            store,
            source,
            got.path,
            url=got.url,
            validators=got.validators,
            state=state,
            now=now,
            note=note,
        )
    except FetchError as exc:
        return _fail(store, source, f"{exc}; nothing loaded", now, url=got.url)
    finally:
        got.path.unlink(missing_ok=True)


def update(
    store: Store,
    sources: Iterable[str] | None = None,
    *,
    from_dir: str | Path | None = None,
    client: httpx.Client | None = None,
    now: dt.datetime | None = None,
    urls: Mapping[str, str] | None = None,
    options: FetchOptions | None = None,
    work_dir: str | Path | None = None,
) -> list[SourceUpdate]:
    """Fetch (or read from ``from_dir``) and load the sources; one :class:`SourceUpdate` each.

    ``sources``: source ids of ``data/sources.yaml`` (default: every source with a URL, or with
    ``from_dir`` every source whose file is in it). ``urls`` overrides a source's URL
    (``{"ftm": "https://…/entities.ftm.json"}``). ``client`` is the HTTP client to use (default: a
    new one, closed afterwards); ``now`` the time recorded. With ``from_dir`` the network is never
    touched. A source that fails is reported and the others still run.
    """
    registry = source_registry()
    overrides = dict(urls or {})
    directory = Path(from_dir) if from_dir is not None else None
    if directory is not None and not directory.is_dir():
        raise UsageError(f"{directory}: not a directory", fix="give --from-dir a directory")
    selected = _select(registry, sources, directory, overrides)
    stamp = _now(now)
    opts = options or FetchOptions()
    results: list[SourceUpdate] = []
    own_client: httpx.Client | None = None
    try:
        for source, _named in selected:
            state = fetch_state(store, source.id)
            if directory is not None:
                results.append(_from_dir(store, source, directory, state, stamp))
                continue
            found = source_urls(source, overrides)
            if not found:
                results.append(
                    _fail(
                        store,
                        source,
                        f"no URL configured: set {source.url_setting} or pass "
                        f"--url {source.id}=URL",
                        stamp,
                    )
                )
                continue
            if client is None and own_client is None:
                own_client = new_client(opts)
            use = client if client is not None else own_client
            assert use is not None
            base = Path(work_dir) if work_dir is not None else download_dir(store)
            results.append(_over_http(store, source, found, use, base, state, opts, stamp))
    finally:
        if own_client is not None:
            own_client.close()
    return results
