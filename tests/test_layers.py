"""The import rules that keep data flowing one way through bidvet.

* ``bidvet.model`` is the floor: it imports nothing of bidvet but itself.
* ``bidvet.store`` is the only package that knows SQL: no other module imports SQLAlchemy,
  alembic or the store's internals (schema, writer, contract tables, validity clauses, the
  migrations); the rest of bidvet opens a :class:`bidvet.store.db.Store` and reads through its
  :class:`bidvet.store.view.View`.
* ``bidvet.store`` does not import the importers (``bidvet.sources``): records live in
  ``bidvet.model``.

Every module under ``src/bidvet`` is parsed with :mod:`ast` (nothing is imported), including
imports inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "bidvet"

#: what modules outside bidvet.store may import from it
STORE_PUBLIC = (
    "bidvet.store",
    "bidvet.store.db",
    "bidvet.store.view",
    "bidvet.store.backup",
    "bidvet.store.resolution",
    "bidvet.store.workspace",
    "bidvet.store.audit",
    "bidvet.store.api_tokens",
    "bidvet.store.monitoring",
    "bidvet.store.fetches",
    "bidvet.store.diffs",
    "bidvet.store.scratch",
)
#: third-party packages only bidvet.store may use
SQL_PACKAGES = ("sqlalchemy", "alembic")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> list[tuple[str, Path]]:
    return sorted((_module_name(p), p) for p in PACKAGE.rglob("*.py"))


def _is_module(name: str) -> bool:
    path = SRC.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``path`` imports, with ``from P import M`` counted as ``P.M`` when M is a
    module of bidvet."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = name.split(".")
                if not is_package:
                    package.pop()
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, node.module] if node.module else package)
            else:
                base = node.module or ""
            out.add(base)
            for alias in node.names:
                if _is_module(f"{base}.{alias.name}"):
                    out.add(f"{base}.{alias.name}")
    return out


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


MODULES = _modules()


def test_every_module_is_seen() -> None:
    names = {name for name, _ in MODULES}
    assert {"bidvet", "bidvet.model.facts", "bidvet.store.view", "bidvet.cli.app"} <= names


def test_no_sql_outside_the_store() -> None:
    problems = []
    for name, path in MODULES:
        if _within(name, "bidvet.store"):
            continue
        for imported in sorted(_imports(name, path)):
            sql = any(_within(imported, p) for p in SQL_PACKAGES)
            internal = _within(imported, "bidvet.store") and imported not in STORE_PUBLIC
            if sql or internal:
                problems.append(f"{name} imports {imported}")
    assert not problems, "only bidvet.store may use SQL or its internals:\n  " + "\n  ".join(
        problems
    )


def test_model_imports_nothing_of_bidvet_but_itself() -> None:
    problems = [
        f"{name} imports {imported}"
        for name, path in MODULES
        if _within(name, "bidvet.model")
        for imported in sorted(_imports(name, path))
        if _within(imported, "bidvet") and not _within(imported, "bidvet.model")
    ]
    assert not problems, "bidvet.model is the floor:\n  " + "\n  ".join(problems)


def test_store_does_not_import_the_importers() -> None:
    problems = [
        f"{name} imports {imported}"
        for name, path in MODULES
        if _within(name, "bidvet.store")
        for imported in sorted(_imports(name, path))
        if _within(imported, "bidvet.sources")
    ]
    assert not problems, "records live in bidvet.model:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import sqlalchemy as sa", {"sqlalchemy"}),
        ("from sqlalchemy.engine import Connection", {"sqlalchemy.engine"}),
        ("from bidvet.store import schema as s", {"bidvet.store", "bidvet.store.schema"}),
        ("from bidvet.store.db import Store", {"bidvet.store.db"}),
        ("def f():\n    from .writer import write_batch", {"bidvet.store.writer"}),
        ("from . import view", {"bidvet.store", "bidvet.store.view"}),
    ],
)
def test_imports_are_read_as_modules(tmp_path: Path, source: str, expected: set[str]) -> None:
    path = tmp_path / "probe.py"
    path.write_text(source + "\n", encoding="utf-8")
    assert _imports("bidvet.store.probe", path) == expected


def test_one_cli_module_per_command() -> None:
    from bidvet.cli.app import COMMANDS

    modules = [target.split(":")[0] for target in COMMANDS.values()]
    shared = sorted({m for m in modules if modules.count(m) > 1})
    assert not shared, f"modules holding several commands: {shared}"
    misnamed = sorted(
        f"{name} -> {target}"
        for name, target in COMMANDS.items()
        if target.split(":")[0] != f"bidvet.cli.{name}_cmd"
    )
    assert not misnamed, "each command lives in bidvet.cli.<command>_cmd:\n  " + "\n  ".join(
        misnamed
    )
    on_disk = {name for name, _ in MODULES if name.endswith("_cmd")}
    assert on_disk == set(modules), "command modules not wired in COMMANDS or missing"
