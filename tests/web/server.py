"""A real ``bidvet serve`` (uvicorn) in a child process, for browser and multi-worker tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def bidvet_command() -> list[str]:
    """The ``bidvet`` console script of the running interpreter's environment."""
    script = Path(sys.executable).parent / "bidvet"
    if script.exists():
        return [str(script)]
    found = shutil.which("bidvet")
    assert found, "the bidvet command is not installed (pip install -e .)"
    return [found]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    """Poll ``url`` until it answers 200; fail with the server's log if it dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')}"
            )
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {timeout}s:\n{log.read_text(errors='replace')}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers (its own process group, started by :func:`serving`)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextmanager
def serving(
    db_url: str, log: Path, *, workers: int = 1
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``bidvet --db DB serve`` on 127.0.0.1 and a free port; yields its base URL and process."""
    port = free_port()
    env = {**os.environ, "BIDVET_LOG_LEVEL": "WARNING"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                *bidvet_command(),
                "--db",
                db_url,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/login", proc, log)
        yield base, proc
    finally:
        stop(proc)
