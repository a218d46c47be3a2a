"""The generated documentation under ``docs/``: one page per framework criterion
(``docs/criteria``), one page per price indicator (``docs/indicators``) and the ``--help`` of
every command (``docs/cli.md``).

``python -m bidvet.docs_build`` rewrites them; ``--check`` exits 1 listing the stale, missing and
extra files, and ``tests/test_docs_current.py`` fails the same way. The output depends only on
the sources (sorted, no dates, a fixed terminal width), so it is byte-identical from run to run.
"""

from __future__ import annotations

from bidvet.docs_build.build import check, generate, main, write

__all__ = ["check", "generate", "main", "write"]
