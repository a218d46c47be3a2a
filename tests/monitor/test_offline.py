"""Every command but ``update`` (and the monitor) works with the network cut off.

Sockets are blocked for the whole test (``socket.socket.connect``, ``connect_ex`` and
``socket.create_connection`` raise), then the everyday commands run through the CLI on a SQLite
store: loading lists, ownership and a contract history, screening, an ownership report, the
assessment of the bundled example tender, an exposure scan and the questionnaire. Any attempt to
open a connection fails the test with the address it tried.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "embassy-scanners" / "tender.yaml"


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    tried: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        tried.append(args[1] if len(args) > 1 else args)
        raise NetworkUsed(f"network connection attempted: {args[1:] or args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return tried


def test_the_block_does_block(no_network: list[object]) -> None:
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))
    with socket.socket() as sock, pytest.raises(NetworkUsed):
        sock.connect(("127.0.0.1", 9))
    assert len(no_network) == 2


def test_everyday_commands_never_open_a_connection(
    no_network: list[object], tmp_path: Path
) -> None:
    db = tmp_path / "offline.db"
    for path in (
        FIXTURES / "monitor" / "publications" / "sdn_2024-03-01.xml",
        FIXTURES / "sources" / "csl_small.csv",
        FIXTURES / "ownership" / "fictional-group.yaml",
        FIXTURES / "contracts" / "knowledge.yaml",
        FIXTURES / "contracts" / "history.json",
    ):
        loaded = run_cli("load", path, db=db)
        assert loaded.exit_code == 0, (path, loaded.stderr)
    screened = run_cli("screen", "Tarn Holdings Ltd", "--json", db=db)
    assert screened.exit_code == 0, screened.stderr
    assert json.loads(screened.stdout)["matches"]
    owners = run_cli("owners", "fd-heron-vision", "--json", db=db)
    assert owners.exit_code == 0, owners.stderr
    out = tmp_path / "report.json"
    assessed = run_cli(
        "assess", EXAMPLE, "--as-of", "2021-01-01", "--format", "json", "-o", out, db=db
    )
    assert assessed.exit_code == 0, assessed.stderr
    assert "Nuctech" in out.read_text(encoding="utf-8")
    exposure = run_cli("exposure", FIXTURES / "contracts" / "history.json", "--json", db=db)
    assert exposure.exit_code == 0, exposure.stderr
    form = run_cli("questionnaire", EXAMPLE, "--format", "md", db=db)
    assert form.exit_code == 0 and form.stdout.strip()
    diffed = run_cli("diff", "us-ofac-sdn", db=db)
    assert diffed.exit_code == 0, diffed.stderr
    assert no_network == []
