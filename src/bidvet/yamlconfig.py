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
from pydantic import BaseModel, ConfigDict, ValidationError

from bidvet.errors import ConfigError

_M = TypeVar("_M", bound=BaseModel)


class StrictModel(BaseModel):
    """Base of every policy/config model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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


def read_yaml(path: Path) -> Any:
    """The parsed file; a missing file or a YAML syntax error (with its line) is a ConfigError."""
    if not path.is_file():
        raise ConfigError(path, "no such file", fix="check the path")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, f"cannot read ({exc.strerror})", fix="check the path") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        record = f"line {mark.line + 1}" if mark is not None else None
        raise ConfigError(
            path,
            f"not valid YAML ({getattr(exc, 'problem', exc)})",
            record=record,
            fix="fix the YAML syntax",
        ) from None


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
    """Validate parsed YAML against ``model``; the first problem becomes a :class:`ConfigError`.

    ``fix_top`` is the fix when ``data`` is not a mapping. ``data`` may be a part of a larger
    file: ``prefix`` is its location there and ``root`` the whole file, so that the error names
    the place in the file.
    """
    if not isinstance(data, dict):
        record = _where(root, prefix, style) if prefix else None
        raise ConfigError(path, "expected a mapping", record=record, fix=fix_top)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
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
