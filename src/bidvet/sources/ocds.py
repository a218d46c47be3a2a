"""Open Contracting Data Standard (OCDS 1.0 / 1.1) importer.

Reads release packages, record packages, single releases, single records and JSON lines of any
of these. Records contribute their ``compiledRelease`` (or, when absent, their embedded releases
compiled here); bare releases are grouped by ``ocid`` and compiled by the OCDS merge rules
(:mod:`bidvet.sources.ocds_merge`).

Publishers repeat release ids. Fields outside the release schema (``packageInfo``,
``validationErrors`` and the package's own metadata, :data:`NOT_RELEASE_FIELDS`) are dropped
before releases are compared or merged. Releases that share an id and are then equal are one
release, read once with a note; releases that share an id and really differ are all kept and
merged in date order (file order on equal dates) with a note naming the id, as the OCDS merge
rules allow: a process is never dropped for a repeated id.

What rejects a *record* (one process: its ocid's releases, or one OCDS record) — the rest of
the file is imported, and the quality log names the record and the reason: a release without
``ocid``; a date that is not ISO 8601; an amount that is not a number or has no currency; a
release nested deeper than :data:`~bidvet.sources.ocds_release.MAX_DEPTH` levels; a record with
neither a compiled nor an embedded release; a document that is not a JSON object inside a
package. What rejects the *file* (nothing is written): text that is not UTF-8, JSON that does not
parse (also JSON nested too deeply to parse), a top-level value that is not an object, and a file
in which every process was rejected.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bidvet.dates import logged_date
from bidvet.errors import InputError
from bidvet.model.contracts import ProcessRecord
from bidvet.model.quality import QualityLog
from bidvet.model.records import ImportBatch
from bidvet.sources.ocds_merge import compile_releases
from bidvet.sources.ocds_release import (
    NOT_RELEASE_FIELDS,
    ReleaseProblem,
    check_release,
    to_process,
)
from bidvet.sources.registry import Importer, register

_OCID = re.compile(r'"(ocid|releases|records|compiledRelease)"\s*:')


@dataclass
class _Release:
    where: str  # "line 3: releases[0]" — how the quality log names it
    data: dict[str, Any]


@dataclass
class _Record:
    where: str
    data: dict[str, Any]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError(
            path,
            f"not UTF-8 text ({exc.reason})",
            record=f"line {line}",
            fix="OCDS JSON is UTF-8; re-export or convert the file",
        ) from None


def _loads(path: Path, text: str, record: str | None = None) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(
            path,
            "JSON nested too deeply to read",
            record=record,
            fix="check the file is an OCDS export (releases nest a few levels, not hundreds)",
        ) from None


def _documents(path: Path) -> Iterator[tuple[str, Any]]:
    """The JSON documents of a file: one, or one per line (JSON lines)."""
    text = _read_text(path)
    try:
        yield "", _loads(path, text)
        return
    except json.JSONDecodeError as exc:
        if "Extra data" not in exc.msg:
            raise InputError(
                path,
                f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                fix="check the file is a complete OCDS JSON or JSON lines export",
            ) from exc
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield f"line {lineno}: ", _loads(path, line, f"line {lineno}")
        except json.JSONDecodeError as exc:
            raise InputError(
                path,
                f"not valid JSON: {exc.msg}",
                record=f"line {lineno}",
                fix="each line of a JSON lines file must be one complete JSON object",
            ) from exc


def _split(
    path: Path, log: QualityLog, published: list[dt.date]
) -> tuple[list[_Release], list[_Record]]:
    """The releases and records of a file; the packages' publication dates go to ``published``."""
    releases: list[_Release] = []
    records: list[_Record] = []
    for prefix, doc in _documents(path):
        if not isinstance(doc, dict):
            raise InputError(path, "expected a JSON object", record=prefix.rstrip(": ") or None)
        is_package = "ocid" not in doc and (
            isinstance(doc.get("releases"), list) or isinstance(doc.get("records"), list)
        )
        if is_package and "publishedDate" in doc:
            day = logged_date(
                doc["publishedDate"],
                log,
                record=prefix.rstrip(": ") or "package",
                field="publishedDate",
            )
            if day is not None:
                published.append(day)
        if (
            isinstance(doc.get("releases"), list)
            and "ocid" not in doc
            and ("compiledRelease" not in doc)
        ):
            for i, rel in enumerate(doc["releases"]):
                releases.append(_Release(f"{prefix}releases[{i}]", rel))
        elif isinstance(doc.get("records"), list):
            for i, rec in enumerate(doc["records"]):
                records.append(_Record(f"{prefix}records[{i}]", rec))
        elif (
            "compiledRelease" in doc
            or "versionedRelease" in doc
            or (isinstance(doc.get("releases"), list))
        ):
            records.append(_Record(prefix.rstrip(": ") or "record", doc))
        elif "ocid" in doc or "tag" in doc or "tender" in doc or "awards" in doc:
            releases.append(_Release(prefix.rstrip(": ") or "release", doc))
        else:
            log.skipped(prefix.rstrip(": ") or None, "not an OCDS release, record or package")
    return releases, records


def _name(where: str, data: Any) -> str:
    if isinstance(data, dict):
        if data.get("id"):
            return f"{where} (release {data['id']})"
        if data.get("ocid"):
            return f"{where} (ocid {data['ocid']})"
    return where


@register
class OcdsImporter(Importer):
    format = "ocds"
    title = "OCDS release or record package, release or record, or JSON lines"
    priority = 40

    def sniff(self, path: Path, head: str) -> bool:
        return head.lstrip().startswith("{") and bool(_OCID.search(head))

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        published: list[dt.date] = []
        releases, records = _split(path, log, published)
        processes: dict[str, ProcessRecord] = {}
        for rec in records:
            self._read_record(rec, processes, log)
        by_ocid: dict[str, list[_Release]] = {}
        for rel in releases:
            if not isinstance(rel.data, dict):
                log.reject(rel.where, "release is not a JSON object")
                continue
            ocid = str(rel.data.get("ocid") or "").strip()
            if not ocid:
                log.reject(_name(rel.where, rel.data), "missing ocid", field="ocid")
                continue
            by_ocid.setdefault(ocid, []).append(rel)
        for ocid, group in by_ocid.items():
            self._read_releases(ocid, group, processes, log)
        if not processes and log.rejected:
            first = next(i for i in log.issues if i.action == "rejected")
            raise InputError(
                path,
                f"no process could be imported; {log.rejected} rejected, the first: {first.reason}",
                record=first.record,
                fix="correct the rejected releases (the quality log names each) and load again",
            )
        batch = ImportBatch(
            dataset=_dataset(processes),
            format=self.format,
            quality=log,
            # the newest package publication date: when the file's content was public
            published=max(published) if published else None,
        )
        batch.contracts = list(processes.values())
        batch.imported = len(processes)
        batch.extra = {
            "processes": len(processes),
            "releases": len(releases),
            "records": len(records),
            "awards": sum(len(p.awards) for p in processes.values()),
            "contracts": sum(len(p.contracts) for p in processes.values()),
            "bids": sum(len(p.bids or ()) for p in processes.values()),
        }
        return batch

    def _read_record(
        self, rec: _Record, processes: dict[str, ProcessRecord], log: QualityLog
    ) -> None:
        data = rec.data
        if not isinstance(data, dict):
            log.reject(rec.where, "record is not a JSON object")
            return
        compiled = data.get("compiledRelease")
        embedded = [r for r in data.get("releases") or [] if isinstance(r, dict) and "tag" in r]
        ocid = str(data.get("ocid") or (compiled or {}).get("ocid") or "").strip()
        where = f"{rec.where} (ocid {ocid})" if ocid else rec.where
        if not ocid:
            log.reject(where, "missing ocid", field="ocid")
            return
        try:
            if not isinstance(compiled, dict):
                if not embedded:
                    raise ReleaseProblem(
                        "record has neither a compiledRelease nor embedded releases "
                        "(only linked releases): load the release packages instead"
                    )
                compiled = self._compile(embedded, log, where)
            process = to_process({**compiled, "ocid": ocid}, where, log)
        except ReleaseProblem as exc:
            log.reject(where, str(exc))
            return
        self._keep(process, where, processes, log)

    def _compile(
        self, releases: list[dict[str, Any]], log: QualityLog, where: str
    ) -> dict[str, Any]:
        seen: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
        unique = []
        for rel in releases:
            rid = str(rel.get("id") or "")
            try:
                check_release(rel)
            except ReleaseProblem as exc:
                raise ReleaseProblem(f"release {rid or '(no id)'}: {exc}") from exc
            body = {k: v for k, v in rel.items() if k not in NOT_RELEASE_FIELDS}
            if rid and rid in seen:
                same = next((raw for raw, other in seen[rid] if other == body), None)
                if same is not None:
                    outside = sorted(
                        k
                        for k in NOT_RELEASE_FIELDS
                        if (k in rel or k in same) and rel.get(k) != same.get(k)
                    )
                    why = (
                        "differing only in fields outside the release schema "
                        f"({', '.join(outside)})"
                        if outside
                        else "identical"
                    )
                    log.skipped(where, f"release published twice, {why}; read once", value=rid)
                    continue
                log.note(
                    f"release id {rid} published more than once with different content; "
                    "every version is kept and merged in date order (file order on equal "
                    "dates), as the OCDS merge rules allow",
                    record=where,
                )
            if rid:
                seen.setdefault(rid, []).append((rel, body))
            unique.append(body)
        return compile_releases(unique)

    def _read_releases(
        self,
        ocid: str,
        group: list[_Release],
        processes: dict[str, ProcessRecord],
        log: QualityLog,
    ) -> None:
        where = f"ocid {ocid} ({', '.join(r.where for r in group[:3])}"
        where += ", …)" if len(group) > 3 else ")"
        try:
            compiled = self._compile([r.data for r in group], log, where)
            process = to_process(compiled, where, log)
        except ReleaseProblem as exc:
            log.reject(where, str(exc))
            return
        self._keep(process, where, processes, log)

    @staticmethod
    def _keep(
        process: ProcessRecord, where: str, processes: dict[str, ProcessRecord], log: QualityLog
    ) -> None:
        if process.ocid in processes:
            log.note(
                "ocid appears in two records or in a record and releases; the later one is kept",
                record=where,
            )
        processes[process.ocid] = process


def _dataset(processes: dict[str, ProcessRecord]) -> str:
    """``ocds-<prefix>``: the publisher's registered ocid prefix (e.g. ``ocds-b5fd17``)."""
    prefixes = sorted({"-".join(ocid.split("-")[:2]) for ocid in processes})
    if len(prefixes) == 1 and prefixes[0].startswith("ocds-"):
        return prefixes[0]
    return "ocds"
