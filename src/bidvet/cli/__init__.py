"""The ``bidvet`` command: a thin layer over the library. See ``bidvet --help``."""

from bidvet.cli.app import cli, main

__all__ = ["cli", "main"]
