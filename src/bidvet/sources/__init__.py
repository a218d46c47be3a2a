"""Importers: each reads one real-world format into records; :func:`load_file` stores them."""

from bidvet.sources.loader import LoadSummary, load_file

__all__ = ["LoadSummary", "load_file"]
