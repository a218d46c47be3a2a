"""What the case pages do, on the public Python API: a case's tender file and its files are
written to a private folder and read with :func:`bidvet.assessment.tender.load_tender`, assessed
with :func:`bidvet.assess`, and the report is the ``bidvet-assessment/1`` document.

Nothing here renders a page or knows HTTP; errors are :class:`bidvet.errors.InputError` naming
the uploaded file, the record and the fix.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import io
import json
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bidvet.assessment.engine import assess
from bidvet.assessment.knowledge import load_tender_knowledge
from bidvet.assessment.report import build_report, report_json
from bidvet.assessment.tender import LoadedTender, load_tender
from bidvet.errors import InputError
from bidvet.framework.loader import LoadedFramework, framework_path, load_framework
from bidvet.store.db import Store
from bidvet.text_input import decode_utf8

OUTCOMES = ("exclude", "restrict", "mitigate", "accept")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
TENDER_FILE = "tender.yaml"


@dataclass(frozen=True)
class Upload:
    name: str
    content: str


def upload(name: str, raw: bytes) -> Upload:
    """An uploaded text file: its base name checked (no folders), its text UTF-8."""
    base = Path(name or "").name
    if not _SAFE_NAME.match(base) or base == TENDER_FILE:
        raise InputError(
            name or "<upload>",
            "file name is not usable",
            fix="name it with letters, digits, '.', '_' or '-' (and not tender.yaml)",
        )
    return Upload(base, decode_utf8(base, raw))


@contextmanager
def materialised(tender_yaml: str, files: Sequence[Upload]) -> Iterator[Path]:
    """A private folder holding the tender as ``tender.yaml`` and the case's files beside it."""
    with tempfile.TemporaryDirectory(prefix="bidvet-case-") as folder:
        root = Path(folder)
        for f in files:
            (root / f.name).write_text(f.content, encoding="utf-8")
        path = root / TENDER_FILE
        path.write_text(tender_yaml, encoding="utf-8")
        yield path


def check_tender(tender_yaml: str, files: Sequence[Upload], label: str) -> LoadedTender:
    """Validate a tender and the files it names; errors name ``label`` instead of the temp path."""
    with materialised(tender_yaml, files) as path:
        try:
            return load_tender(path)
        except InputError as exc:
            raise InputError(
                label,
                exc.message.replace(str(path), label).removeprefix(f"{label}: "),
                fix=exc.fix,
            ) from None


#: libyaml's safe loader where PyYAML was built with it (ten times faster than pure Python)
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=64)
def _parsed_tender(tender_yaml: str) -> Any:
    return yaml.load(tender_yaml, Loader=_YAML_LOADER)


def tender_data(tender_yaml: str) -> dict[str, Any]:
    """The tender file as a dict (the caller's own copy: it may change it).

    Pages read the same few tender files again and again: the parse is kept per text (a
    changed file is a new text), and each caller gets a deep copy.
    """
    data = _parsed_tender(tender_yaml)
    if not isinstance(data, dict):
        raise InputError("tender.yaml", "not a tender file", fix="start it with `bidvet: tender/1`")
    return copy.deepcopy(data)


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def slug(text: str) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out[:60] or "tender"


def new_tender(
    *,
    title: str,
    buyer: str,
    country: str,
    site_type: str,
    site_label: str,
    items: Sequence[str],
    framework: str | None,
) -> str:
    """The tender file of a tender entered in the form (bidders are added afterwards)."""
    data: dict[str, Any] = {
        "bidvet": "tender/1",
        "id": slug(title),
        "title": title.strip(),
        "buyer": {"name": buyer.strip(), "country": country.strip().lower()},
        "site": {"type": site_type.strip(), "label": site_label.strip()},
        "items": [
            {"id": f"item-{i}", "description": text.strip()}
            for i, text in enumerate((t for t in items if t.strip()), start=1)
        ],
        "bidders": [],
    }
    if framework and framework.strip():
        data["framework"] = framework.strip()
    return dump(data)


def with_bidders(tender_yaml: str, bidders: Sequence[dict[str, Any]], label: str) -> str:
    """The tender with ``bidders`` appended; a repeated or malformed id is an error."""
    data = tender_data(tender_yaml)
    current = list(data.get("bidders") or [])
    ids = {str(b.get("id")) for b in current if isinstance(b, dict)}
    for i, b in enumerate(bidders, start=1):
        bid = str(b.get("id") or "")
        if not _ID.match(bid):
            raise InputError(
                label,
                f"bidder id {bid!r} is not usable",
                record=f"row {i}",
                fix="use letters, digits, '.', '_' or '-'",
            )
        if bid in ids:
            raise InputError(
                label,
                f"bidder id {bid!r} is already in the tender",
                record=f"row {i}",
                fix="give each bidder its own id",
            )
        ids.add(bid)
        current.append({k: v for k, v in b.items() if v not in (None, "")})
    data["bidders"] = current
    return dump(data)


def bidders_csv(name: str, text: str) -> list[dict[str, Any]]:
    """Bidders from a CSV with columns ``id,name`` and optional ``country``, ``entity_id``."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if "id" not in header or "name" not in header:
        raise InputError(
            name,
            f"columns {header} lack id and name",
            record="header",
            fix="give a header row id,name[,country,entity_id]",
        )
    out = []
    for line, row in enumerate(reader, start=2):
        clean = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if not clean.get("id") or not clean.get("name"):
            raise InputError(
                name,
                "id or name is empty",
                record=f"line {line}",
                fix="fill both, or remove the row",
            )
        out.append(
            {
                "id": clean["id"],
                "name": clean["name"],
                "country": clean.get("country", "").lower() or None,
                "entity_id": clean.get("entity_id") or None,
            }
        )
    if not out:
        raise InputError(name, "no bidders", fix="add one row per bidder below the header")
    return out


def with_answer_files(tender_yaml: str, names: Sequence[str]) -> str:
    """The tender naming ``names`` (and the answer files it already names) under
    ``answers_file``."""
    data = tender_data(tender_yaml)
    given = data.get("answers_file") or []
    current = [given] if isinstance(given, str) else list(given)
    for name in names:
        if name not in current:
            current.append(name)
    data["answers_file"] = current
    return dump(data)


@dataclass(frozen=True)
class Run:
    as_of: str
    report: dict[str, Any]
    report_json: str
    report_sha256: str
    data_snapshot: str
    framework_sha256: str
    loaded_knowledge: list[str]


#: bundled frameworks read by this process, by file and its size and modification time (parsing
#: the YAML costs about a third of a warm assessment); a case's own framework file is read anew
_FRAMEWORKS: dict[tuple[Path, int, int], LoadedFramework] = {}


def _framework(loaded: LoadedTender) -> LoadedFramework | None:
    ref = loaded.framework_ref()
    if isinstance(ref, Path):
        return None
    path = framework_path(ref)
    st = path.stat()
    key = (path, st.st_size, st.st_mtime_ns)
    if key not in _FRAMEWORKS:
        _FRAMEWORKS[key] = load_framework(path)
    return _FRAMEWORKS[key]


def run_assessment(store: Store, tender_yaml: str, files: Sequence[Upload], as_of: dt.date) -> Run:
    """Load the tender's knowledge files (a no-op when held), then assess (what
    :func:`bidvet.assess` runs, with the bundled framework read once per process) and build
    the report."""
    with materialised(tender_yaml, files) as path:
        loaded = load_tender(path)
        loaded_now = [
            Path(str(s.file)).name
            for s in load_tender_knowledge(store, loaded)
            if not s.write.already_loaded
        ]
        report = build_report(assess(store, loaded, as_of=as_of, framework=_framework(loaded)))
    text = report_json(report)
    return Run(
        as_of=as_of.isoformat(),
        report=report,
        report_json=text,
        report_sha256=hashlib.sha256(text.encode()).hexdigest(),
        data_snapshot=str(report["data_snapshot"]),
        framework_sha256=str(report["framework"]["sha256"]),
        loaded_knowledge=loaded_now,
    )


def report_bidder(report_text: str, bidder_id: str) -> dict[str, Any] | None:
    report = json.loads(report_text)
    for b in report.get("bidders", []):
        if b.get("id") == bidder_id:
            return dict(b)
    return None
