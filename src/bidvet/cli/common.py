"""Helpers shared by the command modules."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from bidvet.errors import InputError
from bidvet.jsonout import dumps
from bidvet.store.db import Store
from bidvet.text_input import decode_utf8


def open_store(ctx: click.Context) -> Store:
    """The store the command line names (``--db`` / ``BIDVET_DB``), disposed of (its
    connections closed) when the command's context closes."""
    obj = ctx.find_root().obj or {}
    store = Store(obj.get("db"))
    ctx.call_on_close(store.dispose)
    return store


def emit_json(data: Any) -> None:
    """Write one JSON document to stdout, sorted keys, UTF-8 kept readable; values JSON has no
    type for (dates) are written as their text, NaN and infinities are refused."""
    sys.stdout.write(dumps(data, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def emit_jsonl(fh: Any, data: Any) -> None:
    """Write one JSON Lines record to ``fh``, as :func:`emit_json` but on one line."""
    fh.write(dumps(data, indent=None, default=str))
    fh.write("\n")


def write_output(data: bytes, output: str | None) -> None:
    """Write ``data`` to the file ``output``, or to stdout when it is ``None`` or ``-``."""
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(output).write_bytes(data)
        click.echo(f"wrote {output}", err=True)


_F = TypeVar("_F", bound=Callable[..., Any])


@contextmanager
def open_in(path: str) -> Iterator[IO[str]]:
    """A text file to read (UTF-8, BOM dropped), or stdin for ``-``; text that is not UTF-8 is
    an InputError naming the byte offset."""
    if path == "-":
        raw_in = getattr(sys.stdin, "buffer", None)
        if raw_in is None:
            yield sys.stdin
            return
        yield io.StringIO(decode_utf8("<stdin>", raw_in.read()), newline="")
        return
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}", fix="check the path") from exc
    yield io.StringIO(decode_utf8(path, raw), newline="")


@contextmanager
def open_out(path: str) -> Iterator[IO[str]]:
    """A text file to write (UTF-8), or stdout for ``-``."""
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        fh = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror}", fix="check the path") from exc
    with fh:
        yield fh


def fetch_options(command: _F) -> _F:
    """``--timeout`` and ``--retries`` of a command that downloads publications."""
    command = click.option(
        "--retries",
        type=click.IntRange(0, 10),
        default=3,
        show_default=True,
        help="Further attempts on 5xx, timeouts and cut transfers (exponential backoff).",
    )(command)
    return click.option(
        "--timeout", type=float, default=60.0, show_default=True, help="Seconds per read."
    )(command)


def batch_options(csv_columns: str) -> Callable[[_F], _F]:
    """``--input`` (a CSV of ``csv_columns``, ``-`` for stdin) and ``--output`` (JSON lines,
    stdout by default) of a command that also takes a batch."""

    def decorate(command: _F) -> _F:
        command = click.option(
            "--output",
            "output_path",
            type=click.Path(dir_okay=False, allow_dash=True),
            default="-",
            show_default=True,
            help="Batch: JSON lines output file; '-' writes stdout.",
        )(command)
        return click.option(
            "--input",
            "input_path",
            type=click.Path(dir_okay=False, allow_dash=True),
            help=f"Batch: {csv_columns}; '-' reads stdin.",
        )(command)

    return decorate
