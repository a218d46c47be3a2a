"""The ``bidvet`` command: a thin layer over the library. See ``bidvet --help``.

The program itself (its console script, ``python -m bidvet``) is :func:`bidvet.program.entry`.
"""

from bidvet.cli.app import cli, main

__all__ = ["cli", "main"]
