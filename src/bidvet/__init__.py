"""bidvet: security vetting of bidders and technology for sensitive government procurement."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bidvet")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
