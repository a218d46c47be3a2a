"""``python -m bidvet`` runs the command-line interface."""

from bidvet.cli import entry

entry()
