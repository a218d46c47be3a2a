"""Reading the XLSX workbooks some publishers ship (DFAT's consolidated list, the World Bank's
export of its debarment listing) with openpyxl in read-only mode.

Both files carry stale ``<dimension>`` records (the World Bank export says ``A1:A1288`` for seven
columns), so the sheet's dimensions are reset before reading and every cell present is read.
A file that is not a readable workbook (a cut-off download, a damaged zip) becomes one
:class:`InputError` naming the file.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from bidvet.errors import InputError

XLSX_FIX = "the workbook looks truncated or damaged; download it again"
#: a zip's local-file-header signature: what every XLSX file starts with
ZIP_MAGIC = "PK\x03\x04"
_CORE = "docProps/core.xml"
_DCTERMS = "{http://purl.org/dc/terms/}"

Row = tuple[Any, ...]


def looks_like_zip(head: str) -> bool:
    return head.startswith(ZIP_MAGIC)


def is_damaged_workbook(path: Path, head: str) -> bool:
    """A file that starts like an XLSX workbook (zip entries under ``xl/``) but whose zip
    cannot be opened: a cut-off download. Importers claim it under their ``--format`` so the
    reader can say it is damaged instead of "not recognised"."""
    if not looks_like_zip(head) or "xl/" not in head:
        return False
    try:
        with zipfile.ZipFile(path):
            return False
    except (zipfile.BadZipFile, OSError):
        return True


def first_rows(path: Path, head: str, count: int) -> list[Row]:
    """The first ``count`` rows of the first sheet, or ``[]`` when the file is not a readable
    workbook (used by ``sniff``: never raises)."""
    if not looks_like_zip(head):
        return []
    try:
        out = []
        for row in iter_rows(path):
            out.append(row)
            if len(out) >= count:
                break
        return out
    except InputError:
        return []


def sniff_workbook(
    path: Path, head: str, count: int, header_ok: Callable[[list[Row]], bool]
) -> bool:
    """An importer's ``sniff``: the first ``count`` rows of the first sheet pass
    ``header_ok``, or the file is a damaged workbook (claimed so that the reader can say it is
    damaged instead of "not recognised")."""
    rows = first_rows(path, head, count)
    if rows:
        return header_ok(rows)
    return is_damaged_workbook(path, head)


def iter_rows(path: Path) -> Iterator[Row]:
    """Every row of the workbook's first sheet as a tuple of cell values (trailing empty cells
    dropped)."""
    import openpyxl  # imported on use: only these two formats need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, etree.LxmlError) as exc:
        raise InputError(
            path, f"not a readable XLSX workbook ({_reason(exc)})", fix=XLSX_FIX
        ) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            yield tuple(values)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, etree.LxmlError) as exc:
        raise InputError(
            path, f"damaged worksheet ({_reason(exc)})", record="sheet 1", fix=XLSX_FIX
        ) from None
    finally:
        book.close()


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:120] or type(exc).__name__


def core_modified(path: Path) -> dt.date | None:
    """The workbook's own "last modified" date (``docProps/core.xml``, ``dcterms:modified``),
    or ``None`` when it does not state one."""
    try:
        with zipfile.ZipFile(path) as archive:
            if _CORE not in archive.namelist():
                return None
            root = etree.fromstring(archive.read(_CORE), parser=etree.XMLParser(no_network=True))
    except (zipfile.BadZipFile, OSError, etree.LxmlError):
        return None
    node = root.find(f"{_DCTERMS}modified")
    text = (node.text or "").strip() if node is not None else ""
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def cell_text(value: Any) -> str:
    """A cell as text with runs of white space (and Excel's escaped ``_x000D_``) collapsed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).replace("_x000D_", " ").split())


def cell_date(value: Any) -> dt.date | None:
    """A cell that Excel stores as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
