"""Generate every page under ``docs/`` and compare the files on disk with what they should be."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bidvet.docs_build import cli_help, criteria, indicators
from bidvet.framework.loader import bundled_framework

#: the generator owns these: every file in them is generated, anything else there is extra
MANAGED = (criteria.FOLDER, indicators.FOLDER, cli_help.PATH)
COMMAND = ".venv/bin/python -m bidvet.docs_build"


def repo_root() -> Path:
    """The checkout this module runs from (``src/bidvet/docs_build`` → the repository)."""
    return Path(__file__).resolve().parents[3]


def generate(root: Path) -> dict[str, str]:
    """Every generated page by its path relative to ``root``, sorted by path."""
    pages = {
        **criteria.pages(bundled_framework()),
        **indicators.pages(root),
        **cli_help.pages(),
    }
    return dict(sorted(pages.items()))


def _on_disk(root: Path) -> set[str]:
    found = set()
    for managed in MANAGED:
        path = root / managed
        if path.is_file():
            found.add(managed)
        elif path.is_dir():
            found |= {p.relative_to(root).as_posix() for p in path.rglob("*") if p.is_file()}
    return found


def _differences(root: Path, want: dict[str, str]) -> list[tuple[str, str]]:
    """(kind, path) for every file that is ``stale``, ``missing`` or ``extra``."""
    out = []
    for rel, text in want.items():
        path = root / rel
        if not path.is_file():
            out.append(("missing", rel))
        elif path.read_bytes() != text.encode("utf-8"):
            out.append(("stale", rel))
    out += [("extra", rel) for rel in sorted(_on_disk(root) - set(want))]
    return out


def check(root: Path) -> list[str]:
    """``stale: PATH``, ``missing: PATH`` and ``extra: PATH`` for every file under ``root`` that
    differs from what the generator produces; empty when the docs are current."""
    return [f"{kind}: {rel}" for kind, rel in _differences(root, generate(root))]


def write(root: Path) -> list[str]:
    """Rewrite the stale and missing pages and delete extra files in the generated folders;
    returns ``updated: PATH``, ``created: PATH`` and ``deleted: PATH`` lines."""
    want = generate(root)
    done = {"stale": "updated", "missing": "created", "extra": "deleted"}
    out = []
    for kind, rel in _differences(root, want):
        path = root / rel
        if kind == "extra":
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(want[rel].encode("utf-8"))
        out.append(f"{done[kind]}: {rel}")
    return out


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code (1: ``--check`` found differences)."""
    parser = argparse.ArgumentParser(
        prog="python -m bidvet.docs_build",
        description="Generate docs/criteria, docs/indicators and docs/cli.md from the sources.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 listing stale, missing and extra files",
    )
    parser.add_argument(
        "--root", type=Path, default=None, help="repository root (default: this checkout)"
    )
    args = parser.parse_args(argv)
    root: Path = args.root or repo_root()
    if not (root / indicators.FIXTURES).is_dir():
        parser.error(f"{root} is not a bidvet checkout (no {indicators.FIXTURES}); give --root")
    if args.check:
        problems = check(root)
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            print(f"docs are out of date; regenerate with: {COMMAND}", file=sys.stderr)
            return 1
        print("docs are current", file=sys.stderr)
        return 0
    changes = write(root)
    for line in changes:
        print(line, file=sys.stderr)
    print(f"{len(changes)} files changed", file=sys.stderr)
    return 0
