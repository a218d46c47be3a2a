"""The ``bidvet`` command: a thin layer over the library. See ``bidvet --help``."""

from bidvet.cli.app import cli, entry, main

__all__ = ["cli", "entry", "main"]
