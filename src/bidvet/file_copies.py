"""JSON copies, in the user's cache folder, of what was read from a bundled data file.

Parsing YAML and validating it with pydantic is slower than much of a short command: importing
the YAML parser and pydantic and building the schemas takes about 50 ms, a tenth of a warm
``bidvet screen``. The files such a command reads on every run (the screening policy, the
ownership rules, the name model) change only with bidvet itself, so what was read from one is
kept as JSON in ``settings.cache_dir("")``, named by the SHA-256 of the file's bytes and of
whatever else decides what is read from them (for a validated file, the source of the module that
defines its schema). A changed file or schema is a new name; a missing, damaged or unreadable copy
is made again from the file, and a cache folder that cannot be written only means no copy.

:func:`load_checked` gives a file's content as the frozen dataclasses of its schema. pydantic
validates the file against those dataclasses (``__pydantic_config__`` = :data:`STRICT`: unknown
keys are errors, numbers must be finite) when there is no copy; from a copy they are rebuilt by
:func:`from_plain` and their ``__post_init__`` checks run again. Either way the value returned is
the one rebuilt from the JSON, so the two paths cannot differ.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import types
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, cast, get_args, get_origin, get_type_hints

from bidvet import settings

T = TypeVar("T")

#: pydantic's configuration of a schema dataclass (``__pydantic_config__``): a key the schema
#: does not know is an error, and so is ``.inf`` or ``.nan`` for a number
STRICT: dict[str, Any] = {"extra": "forbid", "allow_inf_nan": False}


def through_copy(
    path: Path,
    make: Callable[[bytes], Any],
    *,
    folder: str,
    salt: bytes = b"",
    reuse: bool = True,
) -> Any:
    """``make(raw)`` for the bytes of ``path``, or the JSON copy of an earlier result for the
    same bytes and ``salt`` (unless ``reuse`` is false). The result is written as a copy when it
    is plain JSON data.

    Raises ``OSError`` when ``path`` cannot be read, and whatever ``make`` raises."""
    raw = path.read_bytes()
    digest = hashlib.sha256(salt + raw).hexdigest()[:24]
    copy = settings.cache_dir("") / folder / f"{path.stem}-{digest}.json"
    if reuse:
        try:
            with copy.open(encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError):
            pass
    data = make(raw)
    write_copy(data, copy)
    return data


def write_copy(data: Any, copy: Path) -> None:
    """Write ``data`` as JSON to ``copy`` atomically; not at all when it is not plain JSON data
    or the folder is not writable."""
    try:
        text = json.dumps(data, ensure_ascii=False)
        copy.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=copy.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, copy)
    except (OSError, TypeError, ValueError):
        pass


def _iso_date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")


def load_checked(path: Path, schema: type[T], validate: Callable[[Path], T]) -> T:
    """The content of ``path`` as ``schema``: ``validate(path)`` (which reads and checks the
    file, raising :class:`~bidvet.errors.ConfigError` on any problem) when no copy of its result
    is kept for these bytes and this schema, else rebuilt from the copy."""
    salt = _source_digest(schema.__module__)
    if salt is None:  # the schema's source cannot be read: no copy can be named safely
        return validate(path)

    def make(_: bytes) -> Any:
        # through JSON and back, so that a value read now and one read from the copy later are
        # rebuilt from the same data
        return json.loads(json.dumps(to_plain(validate(path)), default=_iso_date))

    try:
        data = through_copy(path, make, folder="checked", salt=salt)
    except OSError:  # the file cannot be read: validate names the problem
        return validate(path)
    try:
        return cast(T, from_plain(schema, data))
    except (TypeError, ValueError, KeyError, AttributeError):
        # a copy that does not fit (edited by hand, or written by an older schema of the same
        # source digest: not expected) is made again from the file
        data = through_copy(path, make, folder="checked", salt=salt, reuse=False)
        return cast(T, from_plain(schema, data))


@cache
def _source_digest(module: str) -> bytes | None:
    """The SHA-256 of the source of ``module`` (``None`` if it cannot be read)."""
    source = getattr(sys.modules.get(module), "__file__", None)
    if not source:
        return None
    try:
        return hashlib.sha256(Path(source).read_bytes()).digest()
    except OSError:
        return None


def to_plain(value: Any) -> Any:
    """A schema dataclass as a dictionary (of dictionaries, tuples and scalars; dates stay
    dates)."""
    return dataclasses.asdict(value)


def from_plain(kind: Any, value: Any) -> Any:
    """``value`` (JSON data) as the type ``kind``: a schema dataclass, built field by field.

    Understands what the schemas use: dataclasses, ``tuple[X, ...]``, ``dict[str, X]``,
    ``X | None``, ``Literal``, ``Annotated`` (its constraints were checked when the copy was
    made), dates and plain scalars. Anything else is a ``TypeError``.
    """
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if not isinstance(value, dict):
            raise TypeError(f"{kind.__name__}: expected a mapping")
        hints = _hints(kind)
        unknown = set(value) - set(hints)
        if unknown:
            raise TypeError(f"{kind.__name__} has no field {sorted(unknown)}")
        return kind(**{key: from_plain(hints[key], item) for key, item in value.items()})
    origin = get_origin(kind)
    args = get_args(kind)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"cannot read a value of {kind!r}")
        return from_plain(options[0], value)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return tuple(from_plain(args[0], item) for item in _listed(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise TypeError("expected a mapping")
        return {str(key): from_plain(args[1], item) for key, item in value.items()}
    if origin is Literal:
        if value not in args:
            raise ValueError(f"{value!r} is not one of {args}")
        return value
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind in (str, int, bool) and type(value) is kind:
        return value
    raise TypeError(f"cannot read {value!r} as {kind!r}")


def _listed(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


@cache
def _hints(kind: type) -> dict[str, Any]:
    return get_type_hints(kind)
