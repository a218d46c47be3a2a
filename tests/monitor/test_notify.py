"""Alert delivery against real servers on loopback: SMTP (aiosmtpd), a webhook receiver that
checks the HMAC signature, and a failing receiver that makes a delivery dead-letter."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from bidvet.monitor.notify import SIGNATURE_HEADER, NotifyConfig, deliver, load_notify_config
from bidvet.store import monitoring
from bidvet.store.db import Store

SECRET = "loopback-test-secret"


class _Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Any] = []

    def handle_message(self, message: Any) -> None:
        self.messages.append(message)


def _receiver(status: int, seen: list[tuple[bytes, str]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((body, self.headers.get(SIGNATURE_HEADER, "")))
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def webhook_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[tuple[bytes, str]]]]:
    seen: list[tuple[bytes, str]] = []
    server = HTTPServer(("127.0.0.1", 0), _receiver(request.param, seen))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", seen
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[int, _Inbox]]:
    with socket.socket() as probe:  # a free port (the controller cannot be given port 0)
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def _store_with_alert(tmp_path: Path, channels: list[str]) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'n.db'}")
    day = dt.date(2020, 12, 23)
    watch_id = monitoring.insert_watch(
        store,
        {
            "kind": "contract",
            "label": "Fictional scanners for Example Ministry — awarded to Example Scanners Ltd",
            "awarded_to": "Example Scanners Ltd",
            "award_date": dt.date(2020, 7, 15),
            "decision": {"subjects": {}, "pins": {}},
            "decision_as_of": dt.date(2020, 7, 15),
            "snapshot_digest": "0" * 64,
            "framework_id": "sensitive-procurement-v2",
            "framework_hash": "0" * 64,
        },
        actor="test",
    )
    monitoring.raise_alert(
        store,
        watch_id=watch_id,
        key=f"{watch_id}:test",
        as_of=day,
        summary="Example Scanners Ltd: restrict → exclude",
        body={"changes": [{"name": "Example Scanners Ltd"}]},
        state={"subjects": {}, "pins": {}},
        channels=channels,
    )
    return store


@pytest.mark.parametrize("webhook_server", [200], indirect=True)
def test_webhook_and_mail_arrive_signed_once(
    tmp_path: Path,
    webhook_server: tuple[str, list[tuple[bytes, str]]],
    smtp_inbox: tuple[int, _Inbox],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, seen = webhook_server
    port, inbox = smtp_inbox
    monkeypatch.setenv("BIDVET_TEST_WEBHOOK_SECRET", SECRET)
    cfg_path = tmp_path / "notify.yaml"
    cfg_path.write_text(
        f"webhook: {{url: '{url}', secret_env: BIDVET_TEST_WEBHOOK_SECRET}}\n"
        f"email: {{host: 127.0.0.1, port: {port}, from: bidvet@example.org, "
        "to: [security@example.org]}\n",
        encoding="utf-8",
    )
    config = load_notify_config(cfg_path)
    store = _store_with_alert(tmp_path, config.channels())
    assert deliver(store, config) == {"delivered": 2, "dead": 0}
    assert len(seen) == 1
    body, signature = seen[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, expected), signature
    assert json.loads(body)["summary"] == "Example Scanners Ltd: restrict → exclude"
    assert len(inbox.messages) == 1
    assert "Example Scanners Ltd" in inbox.messages[0]["Subject"]
    # delivered alerts are not sent again
    assert deliver(store, config) == {"delivered": 0, "dead": 0}
    assert len(seen) == 1 and len(inbox.messages) == 1


@pytest.mark.parametrize("webhook_server", [500], indirect=True)
def test_a_failing_receiver_is_retried_with_backoff_then_dead_lettered(
    tmp_path: Path,
    webhook_server: tuple[str, list[tuple[bytes, str]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, seen = webhook_server
    monkeypatch.setenv("BIDVET_TEST_WEBHOOK_SECRET", SECRET)
    config = NotifyConfig.model_validate(
        {
            "webhook": {
                "url": url,
                "secret_env": "BIDVET_TEST_WEBHOOK_SECRET",
                "max_attempts": 3,
                "backoff_seconds": 0.5,
            }
        }
    )
    store = _store_with_alert(tmp_path, ["webhook"])
    waits: list[float] = []
    assert deliver(store, config, sleep=waits.append) == {"delivered": 0, "dead": 1}
    assert len(seen) == 3
    assert waits == [0.5, 1.0]
    (row,) = monitoring.deliveries(store, 1)
    assert (row.status, row.attempts) == ("dead", 3)
    assert row.last_error is not None and "500" in row.last_error


def test_a_missing_secret_is_a_config_error(tmp_path: Path) -> None:
    from bidvet.errors import ConfigError

    cfg = tmp_path / "notify.yaml"
    cfg.write_text("webhook: {url: 'http://127.0.0.1:9/x', secret_env: BIDVET_NOT_SET_X}\n")
    with pytest.raises(ConfigError, match="BIDVET_NOT_SET_X"):
        load_notify_config(cfg)
