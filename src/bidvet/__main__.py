"""``python -m bidvet`` runs the command-line interface."""

from bidvet.program import entry

entry()
