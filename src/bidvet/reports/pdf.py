"""PDF rendering through WeasyPrint, from the same HTML as :func:`render_html`.

System libraries (Debian/Ubuntu package names): WeasyPrint needs Pango ≥ 1.44
(``libpango-1.0-0``, ``libpangoft2-1.0-0``) and fonts. The stylesheet names
``fonts-dejavu-core`` first (Latin, Greek, Cyrillic), then Noto Sans CJK (``fonts-noto-cjk``:
Chinese, Japanese and Korean names) and Noto Sans Arabic (``fonts-noto-core``); the glyphs used
are embedded as subsets, so the PDF shows them on any reader. Without a face for a script the
names in it print as empty boxes. ``libharfbuzz-subset0`` is recommended: without it WeasyPrint
falls back to fontTools for font subsetting and logs a warning on every render.

The PDF is reproducible: the document dates come from the report's as-of date
(``dcterms.created`` / ``dcterms.modified`` in the HTML head), the file identifier from the
content, and the timestamps fontTools writes into embedded font subsets from the same as-of date
(through ``SOURCE_DATE_EPOCH``, set only while the PDF is written and restored afterwards).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from bidvet.errors import BidvetError
from bidvet.reports.html import render_html

#: used when a report has no readable as-of date (2000-01-01T00:00:00Z)
DEFAULT_EPOCH = 946684800


class PdfUnavailableError(BidvetError):
    """WeasyPrint or its system libraries are not installed."""


@contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    """Pin the clock fontTools reads for font timestamps, then put the environment back."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def _epoch(as_of: Any) -> int:
    """Seconds since 1970 at midnight UTC of ``as_of`` (ISO date), or :data:`DEFAULT_EPOCH`."""
    try:
        day = date.fromisoformat(str(as_of))
    except ValueError:
        return DEFAULT_EPOCH
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Reports are self-contained; fetching anything would be a bug (and a network call)."""
    raise ValueError(f"report tried to load an external resource: {url}")


def html_to_pdf(html: str, *, epoch: int = DEFAULT_EPOCH) -> bytes:
    """Lay out ``html`` (self-contained, no external resources) and return PDF bytes."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(
            f"PDF output needs WeasyPrint and Pango ({exc})",
            fix="install the system packages libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core "
            "fonts-noto-cjk fonts-noto-core (scripts/setup does), or choose --format html",
        ) from exc
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = HTML(string=html, url_fetcher=_refuse_fetch)
    with _source_date_epoch(epoch):
        pdf: bytes = document.write_pdf(pdf_identifier=identifier)
    return pdf


def render_pdf(report: Any) -> bytes:
    """Render a ``bidvet-assessment/1`` report as PDF bytes (same report ⇒ same bytes)."""
    as_of = report.get("as_of") if isinstance(report, dict) else None
    return html_to_pdf(render_html(report), epoch=_epoch(as_of))
