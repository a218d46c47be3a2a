"""Every file the package reads at run time ships in its wheel: a data file left out of
``[tool.setuptools.package-data]`` works from a source checkout and fails once installed."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "bidvet"


def _shipped(path: Path, patterns: list[str]) -> bool:
    rel = path.relative_to(PACKAGE)
    for pattern in patterns:
        # setuptools globs: "**/" also matches no folder at all
        if rel.match(pattern) or (pattern.startswith("**/") and rel.match(pattern[3:])):
            return True
        if (
            pattern.endswith("/**/*")
            and rel.parts[: len(Path(pattern).parts) - 2] == Path(pattern).parts[:-2]
        ):
            return True
    return False


def test_every_data_file_of_the_package_is_declared_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bidvet"]
    files = [
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert any(p.name == "common_words_en.tsv" for p in files)
    missing = [str(p.relative_to(PACKAGE)) for p in files if not _shipped(p, patterns)]
    assert not missing, f"add to [tool.setuptools.package-data] in pyproject.toml: {missing}"
