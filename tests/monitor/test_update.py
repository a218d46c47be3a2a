"""``bidvet update`` against a real HTTP server on 127.0.0.1 serving fixture publications.

The server (stdlib ``http.server`` in a thread) answers as a list publisher does: ETag and
Last-Modified validators, 304 to a matching conditional request, byte ranges guarded by
``If-Range``; and, per test, the faults a download must survive or refuse: a body cut short, a
404, a 500 before a 200, a server too slow to answer, a body over the size limit.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bidvet.monitor.fetch import FetchError, FetchOptions, download
from bidvet.monitor.update import SourceUpdate, update
from bidvet.sources.registry import importers
from bidvet.store.db import Store
from bidvet.store.fetches import fetch_state
from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES

PUBS = FIXTURES / "monitor" / "publications"
V1 = (PUBS / "sdn_2024-03-01.xml").read_bytes()
V2 = (PUBS / "sdn_2024-04-02.xml").read_bytes()
MODIFIED_V1 = "Fri, 01 Mar 2024 12:00:00 GMT"
MODIFIED_V2 = "Tue, 02 Apr 2024 12:00:00 GMT"


@dataclass
class Publication:
    """What the server serves at one path, and how."""

    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    #: bytes to send before closing (a cut transfer), per request in turn; None sends everything
    cut: list[int | None] = field(default_factory=list)
    #: status codes to answer before serving, per request in turn
    fail_first: list[int] = field(default_factory=list)
    delay: float = 0.0
    honour_range: bool = True
    send_length: bool = True


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up (timeout, size limit) is what some tests do on purpose


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Publication] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                pub = server.routes.get(self.path)
                if pub is None:
                    self.send_error(404, "Not Found")
                    return
                if pub.delay:
                    time.sleep(pub.delay)
                if pub.fail_first:
                    self.send_error(pub.fail_first.pop(0))
                    return
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                if (inm and pub.etag and inm == pub.etag) or (
                    not inm and ims and pub.last_modified and ims == pub.last_modified
                ):
                    self.send_response(304)
                    self.end_headers()
                    return
                body, status, start = pub.body, 200, 0
                rng = self.headers.get("Range")
                if_range = self.headers.get("If-Range")
                if (
                    rng
                    and pub.honour_range
                    and if_range in (pub.etag, pub.last_modified)
                    and rng.startswith("bytes=")
                ):
                    start = int(rng.removeprefix("bytes=").rstrip("-"))
                    status = 206
                chunk = body[start:]
                self.send_response(status)
                if pub.etag:
                    self.send_header("ETag", pub.etag)
                if pub.last_modified:
                    self.send_header("Last-Modified", pub.last_modified)
                if status == 206:
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                if pub.send_length:
                    self.send_header("Content-Length", str(len(chunk)))
                self.end_headers()
                cut = pub.cut.pop(0) if pub.cut else None
                self.wfile.write(chunk if cut is None else chunk[:cut])
                self.wfile.flush()
                if cut is not None or not pub.send_length:
                    self.close_connection = True

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def run(
    sqlite_store: Store, server: Server, tmp_path: Path, sleeps: list[float]
) -> Callable[..., SourceUpdate]:
    """Update the SDN source from the loopback server's ``/sdn.xml``; one result."""

    def _run(*, timeout: float = 5.0, retries: int = 2) -> SourceUpdate:
        options = FetchOptions(timeout=timeout, retries=retries, backoff=0.5, sleep=sleeps.append)
        results = update(
            sqlite_store,
            ["us-ofac-sdn"],
            urls={"us-ofac-sdn": server.url("/sdn.xml")},
            options=options,
            work_dir=tmp_path / "downloads",
        )
        assert len(results) == 1
        return results[0]

    return _run


def _snapshots(store: Store) -> list[tuple[str, object]]:
    with store.view() as view:
        return [(snap.dataset, snap.published) for snap in view.snapshots()]


def test_a_new_publication_loads_as_a_new_snapshot_and_keeps_the_old(
    run: Callable[..., SourceUpdate], server: Server, sqlite_store: Store
) -> None:
    server.routes["/sdn.xml"] = Publication(V1, etag='"v1"', last_modified=MODIFIED_V1)
    first = run()
    assert first.status == "loaded", first.message
    assert first.dataset == "us-ofac-sdn" and first.snapshot_id is not None
    assert first.sha256 == hashlib.sha256(V1).hexdigest()
    server.routes["/sdn.xml"] = Publication(V2, etag='"v2"', last_modified=MODIFIED_V2)
    second = run()
    assert second.status == "loaded", second.message
    assert second.snapshot_id is not None and second.snapshot_id > first.snapshot_id
    published = [str(p) for _, p in _snapshots(sqlite_store)]
    assert published == ["2024-03-01", "2024-04-02"]
    # the second request asked whether v1 had changed
    assert server.requests[-1][1]["if-none-match"] == '"v1"'
    state = fetch_state(sqlite_store, "us-ofac-sdn")
    assert state is not None and state.etag == '"v2"' and state.snapshot_id == second.snapshot_id


def test_unchanged_by_etag_is_a_304_and_loads_nothing(
    run: Callable[..., SourceUpdate], server: Server, sqlite_store: Store
) -> None:
    server.routes["/sdn.xml"] = Publication(V1, etag='"v1"')
    assert run().status == "loaded"
    again = run()
    assert again.status == "unchanged" and again.snapshot_id is None
    assert "304" in again.message
    assert server.requests[-1][1]["if-none-match"] == '"v1"'
    assert len(_snapshots(sqlite_store)) == 1


def test_unchanged_by_last_modified_is_a_304_and_loads_nothing(
    run: Callable[..., SourceUpdate], server: Server, sqlite_store: Store
) -> None:
    server.routes["/sdn.xml"] = Publication(V1, last_modified=MODIFIED_V1)
    assert run().status == "loaded"
    again = run()
    assert again.status == "unchanged" and "304" in again.message
    headers = server.requests[-1][1]
    assert headers["if-modified-since"] == MODIFIED_V1 and "if-none-match" not in headers
    assert len(_snapshots(sqlite_store)) == 1


def test_same_bytes_without_validators_are_unchanged_by_checksum(
    run: Callable[..., SourceUpdate], server: Server, sqlite_store: Store
) -> None:
    server.routes["/sdn.xml"] = Publication(V1)
    assert run().status == "loaded"
    again = run()
    assert again.status == "unchanged" and "same SHA-256" in again.message
    assert len(_snapshots(sqlite_store)) == 1


def test_a_truncated_download_fails_and_loads_nothing(
    run: Callable[..., SourceUpdate], server: Server, sqlite_store: Store, tmp_path: Path
) -> None:
    # every answer stops 100 bytes short of its Content-Length, and Range is not offered
    server.routes["/sdn.xml"] = Publication(V1, cut=[len(V1) - 100] * 3, honour_range=False)
    result = run(retries=2)
    assert result.status == "failed" and result.snapshot_id is None
    assert "nothing loaded" in result.message and "3 attempts" in result.message
    assert _snapshots(sqlite_store) == []
    assert not (tmp_path / "downloads" / "us-ofac-sdn" / "sdn.xml").exists()
    state = fetch_state(sqlite_store, "us-ofac-sdn")
    assert state is not None and state.status == "failed" and state.etag is None


def test_a_404_fails_at_once(
    run: Callable[..., SourceUpdate], server: Server, sqlite_store: Store, sleeps: list[float]
) -> None:
    result = run()
    assert result.status == "failed" and "HTTP 404" in result.message
    assert server.paths() == ["/sdn.xml"] and sleeps == []  # no retry of a 404
    assert _snapshots(sqlite_store) == []


def test_a_500_then_200_is_retried_with_backoff(
    run: Callable[..., SourceUpdate], server: Server, sleeps: list[float]
) -> None:
    server.routes["/sdn.xml"] = Publication(V1, etag='"v1"', fail_first=[500, 503])
    result = run(retries=3)
    assert result.status == "loaded", result.message
    assert server.paths() == ["/sdn.xml"] * 3
    assert sleeps == [0.5, 1.0]  # exponential backoff


def test_retries_are_bounded(
    run: Callable[..., SourceUpdate], server: Server, sleeps: list[float]
) -> None:
    server.routes["/sdn.xml"] = Publication(V1, fail_first=[500] * 10)
    result = run(retries=2)
    assert result.status == "failed" and "HTTP 500" in result.message
    assert len(server.requests) == 3 and sleeps == [0.5, 1.0]


def test_a_slow_server_hits_the_timeout(
    run: Callable[..., SourceUpdate], server: Server, sqlite_store: Store
) -> None:
    server.routes["/sdn.xml"] = Publication(V1, delay=1.5)
    started = time.monotonic()
    result = run(timeout=0.3, retries=1)
    assert result.status == "failed" and "timed out after 0.3 s" in result.message
    assert time.monotonic() - started < 1.5 * 2
    assert _snapshots(sqlite_store) == []


def test_a_cut_download_is_resumed_with_a_range_request(
    run: Callable[..., SourceUpdate], server: Server, sqlite_store: Store
) -> None:
    half = len(V1) // 2
    server.routes["/sdn.xml"] = Publication(V1, etag='"v1"', cut=[half])
    result = run()
    assert result.status == "loaded", result.message
    assert "resumed" in result.message
    assert result.sha256 == hashlib.sha256(V1).hexdigest()
    second = server.requests[1][1]
    assert second["range"] == f"bytes={half}-" and second["if-range"] == '"v1"'
    assert len(_snapshots(sqlite_store)) == 1


def test_a_server_ignoring_range_restarts_the_file_cleanly(
    run: Callable[..., SourceUpdate], server: Server
) -> None:
    server.routes["/sdn.xml"] = Publication(V1, etag='"v1"', cut=[200], honour_range=False)
    result = run()
    assert result.status == "loaded", result.message
    assert "resumed" not in result.message
    assert result.sha256 == hashlib.sha256(V1).hexdigest()  # not 200 bytes twice
    assert "range" in server.requests[1][1]


def test_an_interrupted_part_is_resumed_by_the_next_run(
    run: Callable[..., SourceUpdate], server: Server
) -> None:
    half = len(V1) // 2
    server.routes["/sdn.xml"] = Publication(V1, etag='"v1"', cut=[half])
    first = run(retries=0)
    assert first.status == "failed" and "cut short" in first.message
    result = run()
    assert result.status == "loaded" and "resumed" in result.message
    assert server.requests[-1][1]["range"] == f"bytes={half}-"


def test_a_body_over_the_size_limit_is_refused(server: Server, tmp_path: Path) -> None:
    server.routes["/big.xml"] = Publication(V1)
    server.routes["/big-chunked.xml"] = Publication(V1, send_length=False)
    server.thread.name = "loopback"
    import httpx

    with httpx.Client() as client:
        with pytest.raises(FetchError, match=r"is \d+ bytes, over the limit of 1000"):
            download(client, server.url("/big.xml"), tmp_path / "big.xml", max_bytes=1000)
        with pytest.raises(FetchError, match="sent more than the limit of 1000 bytes"):
            download(client, server.url("/big-chunked.xml"), tmp_path / "big2.xml", max_bytes=1000)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_published_checksum_is_checked(
    sqlite_store: Store, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bidvet.monitor import sources as registry_module
    from bidvet.monitor import update as update_module

    registry = tmp_path / "sources.yaml"
    registry.write_text(
        "bidvet: sources/1\nsources:\n"
        "  - id: us-ofac-sdn\n    title: SDN list\n    publisher: OFAC\n"
        f"    urls: ['{server.url('/sdn.xml')}']\n"
        f"    checksum_url: {server.url('/sdn.xml.sha256')}\n"
        "    format: ofac-sdn-xml\n    file: sdn.xml\n    licence: public domain\n"
        "    cadence_days: 1\n    max_bytes: 100000\n    lists: [us-ofac-sdn]\n",
        encoding="utf-8",
    )
    parsed = registry_module.read_sources(registry)
    monkeypatch.setattr(update_module, "source_registry", lambda: parsed)
    server.routes["/sdn.xml"] = Publication(V1)
    server.routes["/sdn.xml.sha256"] = Publication(
        f"{hashlib.sha256(V2).hexdigest()}  sdn.xml\n".encode()
    )
    opts = FetchOptions(retries=0, sleep=lambda _: None)
    bad = update(sqlite_store, options=opts, work_dir=tmp_path / "dl")
    assert [r.status for r in bad] == ["failed"]
    assert "does not match the published" in bad[0].message
    assert _snapshots(sqlite_store) == []
    server.routes["/sdn.xml.sha256"] = Publication(
        f"{hashlib.sha256(V1).hexdigest()}  sdn.xml\n".encode()
    )
    good = update(sqlite_store, options=opts, work_dir=tmp_path / "dl")
    assert good[0].status == "loaded" and "matches the published checksum" in good[0].message


def test_from_dir_loads_carried_in_files_without_the_network(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("update --from-dir opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    media = tmp_path / "media"
    media.mkdir()
    (media / "sdn.xml").write_bytes(V1)
    (media / "sdn.xml.sha256").write_text(f"{hashlib.sha256(V1).hexdigest()}  sdn.xml\n")
    results = update(sqlite_store, from_dir=media)
    assert [(r.source, r.status) for r in results] == [("us-ofac-sdn", "loaded")]
    assert "matches sdn.xml.sha256" in results[0].message
    assert update(sqlite_store, from_dir=media)[0].status == "unchanged"
    (media / "sdn.xml").write_bytes(V2)  # a newer publication, the old checksum file
    bad = update(sqlite_store, from_dir=media)
    assert bad[0].status == "failed" and "does not match sdn.xml.sha256" in bad[0].message
    assert len(_snapshots(sqlite_store)) == 1
    (media / "sdn.xml.sha256").unlink()
    assert update(sqlite_store, from_dir=media)[0].status == "loaded"
    assert [str(p) for _, p in _snapshots(sqlite_store)] == ["2024-03-01", "2024-04-02"]


def test_a_file_that_does_not_parse_loads_nothing(sqlite_store: Store, tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    (media / "sdn.xml").write_bytes(V1[: len(V1) // 2])  # cut mid-element
    result = update(sqlite_store, ["us-ofac-sdn"], from_dir=media)[0]
    assert result.status == "failed" and result.message.startswith("not loaded:")
    assert _snapshots(sqlite_store) == []


def test_a_configured_source_without_a_url_is_not_fetched(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BIDVET_FTM_URL", raising=False)
    result = update(sqlite_store, ["ftm"], client=None)[0]
    assert result.status == "failed" and "BIDVET_FTM_URL" in result.message


def test_cli_update_reports_and_exits_1_on_failure(server: Server, tmp_path: Path) -> None:
    server.routes["/sdn.xml"] = Publication(V1, etag='"v1"')
    db = tmp_path / "cli.db"
    env = {"BIDVET_CACHE_DIR": str(tmp_path / "cache")}
    ok = run_cli(
        "update", "us-ofac-sdn", "--url", f"us-ofac-sdn={server.url('/sdn.xml')}", db=db, env=env
    )
    assert ok.exit_code == 0, ok.stderr
    assert ok.stdout.startswith("us-ofac-sdn: loaded: loaded as snapshot 1")
    again = run_cli(
        "update",
        "us-ofac-sdn",
        "--url",
        f"us-ofac-sdn={server.url('/sdn.xml')}",
        "--json",
        db=db,
        env=env,
    )
    assert again.exit_code == 0 and '"status": "unchanged"' in again.stdout
    missing = run_cli(
        "update", "us-ofac-sdn", "--url", f"us-ofac-sdn={server.url('/gone.xml')}", db=db, env=env
    )
    assert missing.exit_code == 1 and "HTTP 404" in missing.stdout
    unknown = run_cli("update", "no-such-source", db=db, env=env)
    assert unknown.exit_code == 2 and "unknown source 'no-such-source'" in unknown.stderr


def test_the_bundled_registry_names_every_official_list_source() -> None:
    from bidvet.monitor.sources import source_registry

    sources = {s.id: s for s in source_registry().sources}
    official = {"us-ofac-sdn", "us-ofac-consolidated", "eu-fsf", "un-sc", "us-csl", "ftm"}
    assert official | {"gb-fcdo-sanctions", "ca-sema", "au-dfat"} <= set(sources)
    formats = importers()
    assert all(s.format in formats for s in sources.values()), "every source names an importer"
    assert all(url.startswith("https://") for s in sources.values() for url in s.urls)
    assert sources["ftm"].urls == () and sources["ftm"].url_setting == "BIDVET_FTM_URL"


def test_a_bad_registry_is_refused_with_the_place_and_the_fix(tmp_path: Path) -> None:
    from bidvet.errors import ConfigError
    from bidvet.monitor.sources import read_sources

    path = tmp_path / "sources.yaml"
    body = (
        "bidvet: sources/1\nsources:\n"
        "  - id: x\n    title: A list\n    publisher: Someone\n"
        "    urls: ['https://example.org/x.xml']\n"
        "    format: {fmt}\n    file: x.xml\n    licence: public domain\n"
        "    cadence_days: 1\n    max_bytes: 10\n    lists: [{lst}]\n"
    )
    path.write_text(body.format(fmt="no-such-format", lst="us-ofac-sdn"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources\.0\.format: unknown format 'no-such-format'"):
        read_sources(path)
    path.write_text(body.format(fmt="ofac-sdn-xml", lst="no-such-list"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources\.0\.lists: unknown list 'no-such-list'"):
        read_sources(path)
    path.write_text(
        body.format(fmt="ofac-sdn-xml", lst="us-ofac-sdn") + "    colour: red\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="colour"):
        read_sources(path)


def test_download_state_stays_out_of_the_data_digest(
    run: Callable[..., SourceUpdate], server: Server, sqlite_store: Store
) -> None:
    server.routes["/sdn.xml"] = Publication(V1, etag='"v1"')
    assert run().status == "loaded"
    before = sqlite_store.content_digest(include_load_times=False)
    assert run().status == "unchanged"  # the fetch state row is rewritten
    server.routes.clear()
    assert run().status == "failed"
    assert sqlite_store.content_digest(include_load_times=False) == before


def test_from_dir_loads_real_official_publications(
    sqlite_store: Store, shared_data: Path, tmp_path: Path
) -> None:
    media = tmp_path / "media"  # the registry's file names, linked to the real files
    media.mkdir()
    official = shared_data / "official-lists-2024"
    (media / "consolidated.xml").symlink_to(official / "consolidated.xml")
    (media / "un_consolidated.xml").symlink_to(official / "un_consolidated.xml")
    results = update(sqlite_store, from_dir=media)
    assert [(r.source, r.status, r.dataset) for r in results] == [
        ("us-ofac-consolidated", "loaded", "us-ofac-consolidated"),
        ("un-sc", "loaded", "un-sc"),
    ]
    assert "443 records" in results[0].message
    again = update(sqlite_store, from_dir=media)
    assert [r.status for r in again] == ["unchanged", "unchanged"]


def test_from_dir_loads_the_national_lists_under_their_published_names(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """The UK, Canadian and Australian sources take the real excerpts in tests/fixtures under
    the names their publishers give the files."""
    media = tmp_path / "media"
    media.mkdir()
    national = FIXTURES / "sources" / "national"
    (media / "UK-Sanctions-List.xml").symlink_to(FIXTURES / "uk_fcdo" / "UK-Sanctions-List.xml")
    (media / "sema-lmes.xml").symlink_to(national / "sema-lmes.xml")
    (media / "regulation8_consolidated.xlsx").symlink_to(national / "regulation8_consolidated.xlsx")
    results = update(sqlite_store, from_dir=media)
    assert [(r.source, r.status, r.dataset) for r in results] == [
        ("gb-fcdo-sanctions", "loaded", "gb-fcdo-sanctions"),
        ("ca-sema", "loaded", "ca-sema"),
        ("au-dfat", "loaded", "au-dfat"),
    ]
    assert "3 records" in results[0].message
