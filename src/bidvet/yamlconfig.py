"""Reading bidvet's YAML files: strict validation, errors that name the file, the key and the fix.

Every vocabulary, policy and hand-written input file (frameworks, jurisdictions, taxonomy,
questionnaire, screening policy, list registry, identifier schemes, ownership rules, exposure and
price thresholds, contract column maps, tenders, curated facts) is read by :func:`read_yaml` and
checked by :func:`validate_data` against a pydantic model with ``extra="forbid"``. The first
problem becomes a :class:`~bidvet.errors.ConfigError`::

    criteria.yaml: criteria[3] (id=integrity-events).params.lookback_years: Input should be a
    valid integer (and 1 more problems); give 'lookback_years' a value of the right type (...)

:class:`ErrorStyle` holds the few ways file formats differ in how they name a place in the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from bidvet.errors import ConfigError
from bidvet.text_input import MAX_NESTING, UTF8_FIX, decode_utf8, utf8_problem

_M = TypeVar("_M")

#: the error types pydantic gives for a schema that is a dataclass, as those of a model: an
#: unknown key and a missing one read the same whichever the schema is
_AS_MODEL_ERRORS = {
    "unexpected_keyword_argument": ("extra_forbidden", "Extra inputs are not permitted"),
    "missing_argument": ("missing", "Field required"),
}


class StrictModel(BaseModel):
    """Base of every policy/config model: unknown keys are errors, values are frozen, and a
    number must be finite (``.inf`` and ``.nan`` are errors, not values)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


@dataclass(frozen=True)
class ErrorStyle:
    """How one file format names the place of a problem and its fix."""

    #: keys whose value names a list item: ``criteria[3] (id=integrity-events)``
    ids: tuple[str, ...] = ("id", "name", "country")
    #: written before that value; ``""`` gives ``entities[2] (nuctech)``
    id_label: str = "id="
    #: ``lists.0.kind``: the pydantic location joined by dots, list items not named
    dotted: bool = False
    #: name an unknown key before any other problem (a typo is the likeliest cause of the rest)
    unknown_first: bool = False
    #: the fix for particular missing keys, as (key, fix) pairs
    missing: tuple[tuple[str, str], ...] = ()
    #: added to every fix, e.g. "compare with the bundled lists.yaml"
    hint: str | None = None


DEFAULT_STYLE = ErrorStyle()


def _where(data: Any, loc: Sequence[int | str], style: ErrorStyle) -> str:
    """``criteria[3] (id=integrity-events).params.lookback_years`` from a pydantic location."""
    if style.dotted:
        return ".".join(str(part) for part in loc) or "<top level>"
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict):
                ident = next((node[key] for key in style.ids if node.get(key)), None)
                if ident:
                    out += f" ({style.id_label}{ident})"
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "<top level>"


def _fix(err_type: str, loc: Sequence[int | str], msg: str, style: ErrorStyle) -> str:
    key = loc[-1] if loc else None
    fix = "correct the value"
    if err_type == "extra_forbidden":
        fix = f"remove or rename the key {key!r} (it is not one this file format knows)"
    elif err_type == "missing":
        fix = dict(style.missing).get(str(key), f"add the key {key!r}")
    elif "date" in err_type:
        fix = "write dates as YYYY-MM-DD"
    elif err_type == "literal_error":
        fix = f"use one of the allowed values ({msg.removeprefix('Input should be ')})"
    elif err_type.endswith("_type") or err_type.endswith("_parsing"):
        fix = f"give {key!r} a value of the right type ({msg.lower()})"
    return f"{fix}; {style.hint}" if style.hint else fix


class _YamlInputError(yaml.YAMLError):
    """A value the safe loader would turn into a traceback, with its place in the file."""

    def __init__(self, message: str, mark: Any, key: str | None, fix: str) -> None:
        super().__init__(message)
        self.message, self.mark, self.key, self.fix = message, mark, key, fix


class _SafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` (no ``!!python`` tags, no arbitrary objects) that refuses nesting
    deeper than :data:`MAX_NESTING` levels and names the key of an impossible unquoted date
    (``2020-13-45``, ``0000-00-00``) instead of raising ``ValueError``."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise _YamlInputError(
                    f"nested more than {MAX_NESTING} levels deep",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                    None,
                    "no bidvet file nests this deep; flatten the structure",
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if value_node.tag == _TIMESTAMP:
                    key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                    self._check_date(value_node, str(key) if key is not None else None)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        self._check_date(node, None)
        return super().construct_yaml_timestamp(node)

    def _check_date(self, node: Any, key: str | None) -> None:
        try:
            yaml.SafeLoader.construct_yaml_timestamp(self, node)
        except (ValueError, OverflowError):
            raise _YamlInputError(
                f"{node.value!r} is not a date",
                node.start_mark,
                key,
                "write a real date as YYYY-MM-DD, or quote the value if it is not meant as one",
            ) from None


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SafeLoader.add_constructor(_TIMESTAMP, _SafeLoader.construct_yaml_timestamp)


_FastLoader: type[Any] | None = getattr(yaml, "CSafeLoader", None)


def _fast_parse(text: str) -> Any:
    """The parsed text by libyaml's safe loader, or ``_SLOW`` when the careful loader must
    decide: libyaml is absent, the text does not parse, or the result nests deeper than
    :data:`MAX_NESTING` (or refers to itself). Only a clean result is returned, so every
    problem is still reported by the careful loader with its line and key."""
    if _FastLoader is None:
        return _SLOW
    try:
        data = yaml.load(text, Loader=_FastLoader)  # a safe loader: no python tags
    except Exception:  # any problem is reported again by the careful loader
        return _SLOW
    return data if _within_nesting(data) else _SLOW


_SLOW = object()


def _within_nesting(data: Any) -> bool:
    """True when no chain of mappings and lists in ``data`` is deeper than MAX_NESTING and
    nothing contains itself; shared values (YAML aliases) are measured once."""
    depth_of: dict[int, int] = {}
    # iterative post-order walk: (node, children visited?)
    stack: list[tuple[Any, bool]] = [(data, False)]
    open_ids: set[int] = set()
    while stack:
        node, done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        key = id(node)
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            open_ids.discard(key)
            below = [depth_of.get(id(c), 0) for c in children if isinstance(c, (dict, list))]
            depth_of[key] = 1 + max(below, default=0)
            if depth_of[key] > MAX_NESTING:
                return False
            continue
        if key in depth_of:
            continue
        if key in open_ids:
            return False  # a value that contains itself
        open_ids.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, (dict, list)))
    return True


def parse_yaml(path: Path, text: str) -> Any:
    """Parse YAML text read from ``path`` safely; every problem is a :class:`ConfigError`
    naming the file and the line (and the key where there is one).

    Text is parsed by libyaml's safe loader when it is installed (about ten times faster);
    when that fails or the result is suspect, the careful pure-Python loader parses it again
    and reports the problem with its line and key."""
    data = _fast_parse(text)
    if data is not _SLOW:
        return data
    try:
        return yaml.load(text, Loader=_SafeLoader)  # a SafeLoader: no python tags
    except _YamlInputError as exc:
        record = f"line {exc.mark.line + 1}" if exc.mark is not None else None
        if exc.key:
            record = f"{record}, key {exc.key!r}" if record else f"key {exc.key!r}"
        raise ConfigError(path, exc.message, record=record, fix=exc.fix) from None
    except RecursionError:
        raise ConfigError(
            path,
            f"nested more than {MAX_NESTING} levels deep",
            fix="no bidvet file nests this deep; flatten the structure",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        record = f"line {mark.line + 1}" if mark is not None else None
        if isinstance(exc, yaml.reader.ReaderError):
            # a character YAML does not allow (e.g. a NUL byte): name it and where it is
            problem = f"character {exc.character!r} is not allowed in YAML"
            record = f"character {exc.position + 1}"
        else:
            problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise ConfigError(
            path,
            f"not valid YAML ({problem})",
            record=record,
            fix="fix the YAML syntax",
        ) from None


def read_yaml(path: Path) -> Any:
    """The parsed file; a missing file, text that is not UTF-8 (with its byte offset) or a YAML
    problem (with its line) is a ConfigError. Nesting is limited to :data:`MAX_NESTING`
    (100) levels."""
    if not path.is_file():
        raise ConfigError(path, "no such file", fix="check the path")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, f"cannot read ({exc.strerror})", fix="check the path") from exc
    problem = utf8_problem(raw)
    if problem is not None:
        raise ConfigError(path, problem[0], record=problem[1], fix=UTF8_FIX)
    return parse_yaml(path, decode_utf8(path, raw))


def validate_data(
    path: Path,
    data: Any,
    model: type[_M],
    *,
    fix_top: str,
    prefix: Sequence[int | str] = (),
    root: Any = None,
    style: ErrorStyle = DEFAULT_STYLE,
) -> _M:
    """Validate parsed YAML against ``model`` (a pydantic model, or a dataclass with a
    ``__pydantic_config__``: :mod:`bidvet.file_copies`); the first problem becomes a
    :class:`ConfigError`.

    ``fix_top`` is the fix when ``data`` is not a mapping. ``data`` may be a part of a larger
    file: ``prefix`` is its location there and ``root`` the whole file, so that the error names
    the place in the file.
    """
    if not isinstance(data, dict):
        record = _where(root, prefix, style) if prefix else None
        raise ConfigError(path, "expected a mapping", record=record, fix=fix_top)
    try:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate(data)
        return TypeAdapter(model).validate_python(data)
    except ValidationError as exc:
        errors = [_as_model_error(e) for e in exc.errors()]
        if style.unknown_first:
            errors = sorted(errors, key=lambda e: e["type"] != "extra_forbidden")
        first = errors[0]
        loc = (*prefix, *first["loc"])
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise ConfigError(
            path,
            f"{first['msg']}{more}",
            record=_where(root if root is not None else data, loc, style),
            fix=_fix(first["type"], loc, first["msg"], style),
        ) from None


def _as_model_error(error: Any) -> Any:
    kind, msg = _AS_MODEL_ERRORS.get(error["type"], (error["type"], error["msg"]))
    return {**error, "type": kind, "msg": msg}


def validate_yaml(
    path: Path, model: type[_M], *, fix_top: str, style: ErrorStyle = DEFAULT_STYLE
) -> _M:
    """Read and validate a file (:func:`read_yaml`, then :func:`validate_data`)."""
    return validate_data(path, read_yaml(path), model, fix_top=fix_top, style=style)


def check_unique_ids(path: Path, ids: Sequence[str], what: str) -> None:
    """The entries of the list ``what`` must have distinct ids; the second of a pair is named."""
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            raise ConfigError(
                path,
                f"duplicate id {ident!r}",
                record=f"{what}[{i}].id",
                fix="give every entry its own id",
            )
        seen.add(ident)
