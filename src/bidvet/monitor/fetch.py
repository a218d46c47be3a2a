"""Downloading one publication over HTTP, safely.

:func:`download` makes a conditional request (``If-None-Match`` / ``If-Modified-Since`` with the
validators of the last successful fetch), streams the body into ``<file>.part`` with a size limit
and a timeout, and renames it into place only when it is complete. A body cut short (the server
closes before ``Content-Length`` bytes) is kept and resumed with an HTTP ``Range`` request guarded
by ``If-Range``; a server that ignores ``Range`` (answers 200) restarts the file from the first
byte. 5xx answers, 429, timeouts and broken connections are retried a bounded number of times with
exponential backoff; any other answer (404, 403 …) fails at once. Every failure is a
:class:`FetchError` saying why, and leaves no complete file behind.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bidvet import __version__

_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_SHA256 = re.compile(r"\b([0-9a-fA-F]{64})\b")


class FetchError(Exception):
    """A download that did not complete; the message says why."""


class _Retry(Exception):
    """A failure worth another attempt (5xx, timeout, broken or truncated transfer)."""


@dataclass(frozen=True)
class FetchOptions:
    """How patient a download is."""

    timeout: float = 60.0  #: seconds to connect, and between two reads
    retries: int = 3  #: further attempts after the first, on 5xx / timeouts / cut transfers
    backoff: float = 2.0  #: seconds before the first retry, doubled for each further one
    max_backoff: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


@dataclass(frozen=True)
class Validators:
    """What a server said identifies a version: sent back to ask "has it changed?"."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Download:
    """The outcome of a download that did not fail."""

    url: str
    not_modified: bool
    path: Path | None = None
    sha256: str | None = None
    size: int | None = None
    validators: Validators = Validators()
    resumed: bool = False  #: part of the file came from an earlier, interrupted transfer
    attempts: int = 1


def new_client(options: FetchOptions) -> httpx.Client:
    """The HTTP client :func:`download` uses when none is given."""
    return httpx.Client(
        follow_redirects=True,
        timeout=options.timeout,
        headers={"User-Agent": f"bidvet/{__version__}"},
    )


def _meta_path(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def _read_meta(part: Path) -> Validators | None:
    """The validators of the version a ``.part`` file holds the start of."""
    try:
        data = json.loads(_meta_path(part).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    etag, modified = data.get("etag"), data.get("last_modified")
    if not isinstance(etag, str | None) or not isinstance(modified, str | None):
        return None
    return Validators(etag=etag, last_modified=modified)


def _discard(part: Path) -> None:
    part.unlink(missing_ok=True)
    _meta_path(part).unlink(missing_ok=True)


def _validators(resp: httpx.Response) -> Validators:
    return Validators(resp.headers.get("etag"), resp.headers.get("last-modified"))


def _resume_from(part: Path) -> tuple[int, str | None]:
    """Bytes already held and the ``If-Range`` value for them (0 when the part is unusable)."""
    if not part.is_file():
        _discard(part)
        return 0, None
    meta = _read_meta(part)
    if_range = None
    if meta is not None:
        # If-Range needs a strong ETag or a date
        if meta.etag and not meta.etag.startswith("W/"):
            if_range = meta.etag
        elif meta.last_modified:
            if_range = meta.last_modified
    size = part.stat().st_size
    if if_range is None or size == 0:
        _discard(part)
        return 0, None
    return size, if_range


def _attempt(
    client: httpx.Client,
    url: str,
    part: Path,
    held: Validators,
    max_bytes: int,
    options: FetchOptions,
) -> tuple[bool, Validators, bool]:
    """One request; returns (not modified, validators of the body, resumed)."""
    # byte ranges and Content-Length count the bytes of the file itself, never a compressed form
    headers: dict[str, str] = {"Accept-Encoding": "identity"}
    if held.etag:
        headers["If-None-Match"] = held.etag
    if held.last_modified:
        headers["If-Modified-Since"] = held.last_modified
    offset, if_range = _resume_from(part)
    if offset:
        headers["Range"] = f"bytes={offset}-"
        headers["If-Range"] = if_range or ""
    with client.stream("GET", url, headers=headers, timeout=options.timeout) as resp:
        status = resp.status_code
        if status == 304:
            _discard(part)
            return True, _validators(resp) if resp.headers.get("etag") else held, False
        if status >= 500 or status == 429:
            raise _Retry(f"HTTP {status} {resp.reason_phrase}".strip())
        if status == 416:  # the part no longer fits the file: start again
            _discard(part)
            raise _Retry("HTTP 416 (range not satisfiable): restarting the download")
        total: int | None
        if status == 206 and offset:
            match = _CONTENT_RANGE.match(resp.headers.get("content-range", ""))
            if match is None or int(match.group(1)) != offset:
                _discard(part)
                raise _Retry("the server resumed at another byte than asked: restarting")
            total = int(match.group(3)) if match.group(3) != "*" else None
            mode, resumed = "ab", True
            validators = _read_meta(part) or _validators(resp)
        elif status == 200:
            offset, mode, resumed = 0, "wb", False  # a server ignoring Range restarts cleanly
            length = resp.headers.get("content-length")
            total = int(length) if length and length.isdigit() else None
            validators = _validators(resp)
        else:
            raise FetchError(f"HTTP {status} {resp.reason_phrase}".strip() + f" from {url}")
        if total is not None and total > max_bytes:
            _discard(part)
            raise FetchError(f"{url} is {total} bytes, over the limit of {max_bytes}")
        part.parent.mkdir(parents=True, exist_ok=True)
        if mode == "wb":
            _discard(part)
        _meta_path(part).write_text(
            json.dumps({"etag": validators.etag, "last_modified": validators.last_modified}),
            encoding="utf-8",
        )
        size = offset
        with part.open(mode) as fh:
            for block in resp.iter_raw():  # as received: a cut transfer keeps its bytes
                size += len(block)
                if size > max_bytes:
                    fh.close()
                    _discard(part)
                    raise FetchError(f"{url} sent more than the limit of {max_bytes} bytes")
                fh.write(block)
        if total is not None and size != total:
            raise _Retry(f"transfer cut short at {size} of {total} bytes")
    return False, validators, resumed


def download(
    client: httpx.Client,
    url: str,
    dest: Path,
    *,
    held: Validators = Validators(),
    max_bytes: int,
    options: FetchOptions = FetchOptions(),
) -> Download:
    """Fetch ``url`` into ``dest`` (see the module docstring); :class:`FetchError` on failure."""
    part = dest.with_name(dest.name + ".part")
    problem = ""
    resumed = False
    for attempt in range(options.retries + 1):
        if attempt:
            options.sleep(min(options.backoff * 2 ** (attempt - 1), options.max_backoff))
        try:
            not_modified, validators, this_resumed = _attempt(
                client, url, part, held, max_bytes, options
            )
        except _Retry as exc:
            problem = str(exc)
            continue
        except httpx.TimeoutException as exc:
            problem = f"timed out after {options.timeout:g} s ({type(exc).__name__})"
            continue
        except httpx.RemoteProtocolError as exc:
            problem = f"transfer cut short ({exc})"
            continue
        except httpx.TransportError as exc:
            problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            continue
        resumed = resumed or this_resumed
        if not_modified:
            return Download(url, True, validators=validators, attempts=attempt + 1)
        dest.unlink(missing_ok=True)
        part.replace(dest)
        _meta_path(part).unlink(missing_ok=True)
        return Download(
            url,
            False,
            path=dest,
            sha256=sha256_of(dest),
            size=dest.stat().st_size,
            validators=validators,
            resumed=resumed,
            attempts=attempt + 1,
        )
    tries = options.retries + 1
    raise FetchError(f"{url}: {problem} (gave up after {tries} attempt{'s' * (tries > 1)})")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_checksum(text: str, file_name: str) -> str | None:
    """The SHA-256 a checksum file gives for ``file_name`` (``sha256sum`` lines, or one bare
    digest); ``None`` when it gives none."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and parts[-1].lstrip("*").rsplit("/", 1)[-1] == file_name:
            match = _SHA256.fullmatch(parts[0])
            if match:
                return match.group(1).lower()
    digests = [m.group(1).lower() for line in lines for m in [_SHA256.search(line)] if m]
    return digests[0] if len(digests) == 1 else None


def fetch_checksum(client: httpx.Client, url: str, file_name: str, options: FetchOptions) -> str:
    """The published SHA-256 at ``url``; :class:`FetchError` when it cannot be had."""
    last = ""
    for attempt in range(options.retries + 1):
        if attempt:
            options.sleep(min(options.backoff * 2 ** (attempt - 1), options.max_backoff))
        try:
            resp = client.get(url, timeout=options.timeout)
        except httpx.TransportError as exc:
            last = type(exc).__name__
            continue
        if resp.status_code >= 500:
            last = f"HTTP {resp.status_code}"
            continue
        if resp.status_code != 200:
            raise FetchError(f"checksum {url}: HTTP {resp.status_code}")
        if len(resp.content) > 1 << 20:
            raise FetchError(f"checksum {url}: larger than 1 MiB, not a checksum file")
        digest = parse_checksum(resp.text, file_name)
        if digest is None:
            raise FetchError(f"checksum {url}: no SHA-256 for {file_name} in it")
        return digest
    raise FetchError(f"checksum {url}: {last} (gave up after {options.retries + 1} attempts)")
