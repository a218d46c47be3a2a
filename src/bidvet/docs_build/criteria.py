"""One page per criterion of the bundled framework, and an index, written under
``docs/criteria`` by the framework's own documentation generator
(:func:`bidvet.framework.docs.pages`, which ``bidvet framework show`` prints from too)."""

from __future__ import annotations

from bidvet.docs_build.markdown import header
from bidvet.framework import docs
from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.loader import LoadedFramework

#: where the pages go, relative to the repository root
FOLDER = "docs/criteria"


def _sources(lf: LoadedFramework, name: str) -> str:
    """What the page ``name`` is generated from: the framework file, and for a criterion page the
    module of its evaluator."""
    framework = f"`src/bidvet/data/frameworks/{lf.path.name}`"
    if name == docs.INDEX:
        return framework
    crit = lf.framework.criterion(name.removesuffix(".md"))
    module = evaluators()[crit.evaluator].func.__module__
    return f"{framework} and `src/{module.replace('.', '/')}.py`"


def pages(lf: LoadedFramework) -> dict[str, str]:
    """Every criterion page and the index, by path relative to the repository root."""
    return {
        f"{FOLDER}/{name}": f"{header(_sources(lf, name))}\n\n{text}"
        for name, text in docs.pages(lf).items()
    }
