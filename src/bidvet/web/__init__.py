"""The case workspace (``bidvet serve``): a FastAPI application over the public Python API."""

from __future__ import annotations

from bidvet.web.app import create_app

__all__ = ["create_app"]
