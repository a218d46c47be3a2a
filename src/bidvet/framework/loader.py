"""Reading framework files: strict validation with errors that name the file, the key and the fix.

``load_framework(path)`` checks more than the shape: every criterion's evaluator must exist and
its ``params`` must fit that evaluator's parameter model; mitigations, references and the
criteria named by outcome rules must be defined; ids must be unique.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bidvet.errors import ConfigError
from bidvet.framework.models import Framework

FRAMEWORKS = Path(__file__).resolve().parents[1] / "data" / "frameworks"
DEFAULT_FRAMEWORK = "sensitive-procurement-v1"

_M = TypeVar("_M", bound=BaseModel)


def _where(data: Any, loc: Sequence[int | str]) -> str:
    """``criteria[3] (id=integrity-events).params.lookback_years`` from a pydantic location."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict):
                ident = node.get("id") or node.get("name") or node.get("country")
                if ident:
                    out += f" (id={ident})"
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "<top level>"


def _fix(err_type: str, loc: Sequence[int | str], msg: str) -> str:
    key = loc[-1] if loc else None
    if err_type == "extra_forbidden":
        return f"remove or rename the key {key!r} (it is not one this file format knows)"
    if err_type == "missing":
        return f"add the key {key!r}"
    if "date" in err_type:
        return "write dates as YYYY-MM-DD"
    if err_type == "literal_error":
        return f"use one of the allowed values ({msg.removeprefix('Input should be ')})"
    if err_type.endswith("_type") or err_type.endswith("_parsing"):
        return f"give {key!r} a value of the right type ({msg.lower()})"
    return "correct the value"


def read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise ConfigError(path, "no such file", fix="check the path")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
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
) -> _M:
    """Validate parsed YAML against ``model``; the first problem becomes a :class:`ConfigError`."""
    if not isinstance(data, dict):
        raise ConfigError(
            path, "expected a mapping", record=_where(root, prefix) if prefix else None, fix=fix_top
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = (*prefix, *first["loc"])
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise ConfigError(
            path,
            f"{first['msg']}{more}",
            record=_where(root if root is not None else data, loc),
            fix=_fix(first["type"], loc, first["msg"]),
        ) from None


def validate_yaml(path: Path, model: type[_M], *, fix_top: str) -> _M:
    return validate_data(path, read_yaml(path), model, fix_top=fix_top)


@dataclass(frozen=True)
class LoadedFramework:
    """A validated framework, its file's SHA-256 and each criterion's parsed parameters."""

    framework: Framework
    path: Path
    sha256: str
    params: dict[str, BaseModel]

    def to_json(self) -> dict[str, Any]:
        fw = self.framework
        return {"id": fw.id, "version": fw.version, "title": fw.title, "sha256": self.sha256}


def _unique(path: Path, ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            raise ConfigError(
                path,
                f"duplicate id {ident!r}",
                record=f"{what}[{i}]",
                fix="give every entry its own id",
            )
        seen.add(ident)


def load_framework(path: str | Path) -> LoadedFramework:
    """Read, validate and cross-check a framework file."""
    from bidvet.framework.evaluators.registry import evaluators

    path = Path(path)
    data = read_yaml(path)
    fw = validate_data(path, data, Framework, fix_top="start the file with `bidvet: framework/1`")
    _unique(path, [c.id for c in fw.criteria], "criteria")
    _unique(path, [m.id for m in fw.mitigations], "mitigations")
    _unique(path, [r.id for r in fw.references], "references")
    _unique(path, [r.id for r in fw.outcome.rules], "outcome.rules")
    known_eval = evaluators()
    mitigations = {m.id for m in fw.mitigations}
    references = {r.id for r in fw.references}
    criteria = {c.id for c in fw.criteria}
    params: dict[str, BaseModel] = {}
    for i, crit in enumerate(fw.criteria):
        where = f"criteria[{i}] (id={crit.id})"
        spec = known_eval.get(crit.evaluator)
        if spec is None:
            raise ConfigError(
                path,
                f"unknown evaluator {crit.evaluator!r}",
                record=f"{where}.evaluator",
                fix="use one of: " + ", ".join(known_eval),
            )
        params[crit.id] = validate_data(
            path,
            crit.params,
            spec.params,
            prefix=("criteria", i, "params"),
            root=data,
            fix_top="params must be a mapping",
        )
        for ref in crit.mitigations:
            if ref not in mitigations:
                raise ConfigError(
                    path,
                    f"unknown mitigation {ref!r}",
                    record=f"{where}.mitigations",
                    fix="define it under mitigations: or correct the id",
                )
        for ref in crit.references:
            if ref not in references:
                raise ConfigError(
                    path,
                    f"unknown reference {ref!r}",
                    record=f"{where}.references",
                    fix="define it under references: or correct the id",
                )
    for i, rule in enumerate(fw.outcome.rules):
        for ref in (*rule.when.criteria_all, *rule.when.criteria_any):
            if ref not in criteria:
                raise ConfigError(
                    path,
                    f"unknown criterion {ref!r}",
                    record=f"outcome.rules[{i}] (id={rule.id}).when",
                    fix="name a criterion defined under criteria:",
                )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return LoadedFramework(fw, path, digest, params)


def framework_path(name_or_path: str | Path) -> Path:
    """A bundled framework by id (``sensitive-procurement-v1``) or a path to a file."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml"):
        return candidate
    bundled = FRAMEWORKS / f"{name_or_path}.yaml"
    if not bundled.is_file():
        names = sorted(p.stem for p in FRAMEWORKS.glob("*.yaml"))
        raise ConfigError(
            None,
            f"no bundled framework {str(name_or_path)!r}",
            fix="use one of: " + ", ".join(names) + ", or give a .yaml path",
        )
    return bundled


@cache
def bundled_framework(name: str = DEFAULT_FRAMEWORK) -> LoadedFramework:
    """A framework shipped with bidvet, loaded once."""
    return load_framework(framework_path(name))
