"""Format detection never tracebacks: a first line nested too deeply for Python's JSON parser is
simply not an FtM entity."""

from __future__ import annotations

from pathlib import Path

import pytest

from bidvet.errors import InputError
from bidvet.sources.loader import parse_file


@pytest.mark.parametrize("opener", [b"[", b'{"a":'])
def test_a_first_line_nested_20000_deep_is_an_input_error(tmp_path: Path, opener: bytes) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b'{"id": "x", "schema": ' + opener * 20_000 + b"\n")
    with pytest.raises(InputError):
        parse_file(path)
    with pytest.raises(InputError):
        parse_file(path, "ftm-json")
