"""Reading framework files: strict validation (:mod:`bidvet.yamlconfig`) and cross-checks.

``load_framework(path)`` checks more than the shape: every criterion's evaluator must exist and
its ``params`` must fit that evaluator's parameter model; mitigations, references and the
criteria named by outcome rules must be defined; ids must be unique.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bidvet.errors import ConfigError
from bidvet.framework.models import Framework
from bidvet.yamlconfig import check_unique_ids, read_yaml, validate_data

FRAMEWORKS = Path(__file__).resolve().parents[1] / "data" / "frameworks"
DEFAULT_FRAMEWORK = "sensitive-procurement-v3"


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


def load_framework(path: str | Path) -> LoadedFramework:
    """Read, validate and cross-check a framework file."""
    from bidvet.framework.evaluators.registry import evaluators

    path = Path(path)
    data = read_yaml(path)
    fw = validate_data(path, data, Framework, fix_top="start the file with `bidvet: framework/1`")
    check_unique_ids(path, [c.id for c in fw.criteria], "criteria")
    check_unique_ids(path, [m.id for m in fw.mitigations], "mitigations")
    check_unique_ids(path, [r.id for r in fw.references], "references")
    check_unique_ids(path, [r.id for r in fw.restrictions], "restrictions")
    check_unique_ids(path, [r.id for r in fw.outcome.rules], "outcome.rules")
    known_eval = evaluators()
    mitigations = {m.id for m in fw.mitigations}
    restrictions = {r.id for r in fw.restrictions}
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
        for ref in crit.restrictions:
            if ref not in restrictions:
                raise ConfigError(
                    path,
                    f"unknown restriction {ref!r}",
                    record=f"{where}.restrictions",
                    fix="define it under restrictions: or correct the id",
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
        if "exclude" in rule.when.forces_any and rule.outcome != "exclude":
            raise ConfigError(
                path,
                f"rule {rule.id} applies to findings that force exclude (legal bars) but gives "
                f"{rule.outcome!r}",
                record=f"outcome.rules[{i}] (id={rule.id}).outcome",
                fix="a legal bar can only exclude: set outcome: exclude",
            )
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
