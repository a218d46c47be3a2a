"""Open Contracting Data Standard (OCDS 1.0 / 1.1) importer.

Reads release packages, record packages, single releases, single records and JSON lines of any
of these. Records contribute their ``compiledRelease`` (or, when absent, their embedded releases
compiled here); bare releases are grouped by ``ocid`` and compiled by the OCDS merge rules
(:mod:`bidvet.sources.ocds_merge`).

A process is imported whole or not at all: when any of its releases is malformed (missing
``ocid``, a date that is not ISO 8601, an amount without a currency, the same release ``id``
published twice with different content) the process is rejected and the quality log names the
record and the reason. A release repeated byte for byte is noted and read once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bidvet.errors import InputError
from bidvet.model.contracts import ProcessRecord
from bidvet.model.quality import QualityLog
from bidvet.model.records import ImportBatch
from bidvet.sources.ocds_merge import compile_releases
from bidvet.sources.ocds_release import ReleaseProblem, check_release, to_process
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


def _documents(path: Path) -> Iterator[tuple[str, Any]]:
    """The JSON documents of a file: one, or one per line (JSON lines)."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        yield "", json.loads(text)
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
            yield f"line {lineno}: ", json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                path,
                f"not valid JSON: {exc.msg}",
                record=f"line {lineno}",
                fix="each line of a JSON lines file must be one complete JSON object",
            ) from exc


def _split(path: Path, log: QualityLog) -> tuple[list[_Release], list[_Record]]:
    releases: list[_Release] = []
    records: list[_Record] = []
    for prefix, doc in _documents(path):
        if not isinstance(doc, dict):
            raise InputError(path, "expected a JSON object", record=prefix.rstrip(": ") or None)
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
        releases, records = _split(path, log)
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
        batch = ImportBatch(dataset=_dataset(processes), format=self.format, quality=log)
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
        seen: dict[str, dict[str, Any]] = {}
        unique = []
        for rel in releases:
            rid = str(rel.get("id") or "")
            try:
                check_release(rel)
            except ReleaseProblem as exc:
                raise ReleaseProblem(f"release {rid or '(no id)'}: {exc}") from exc
            if rid and rid in seen:
                if seen[rid] == rel:
                    log.skipped(where, "release published twice, identical; read once", value=rid)
                    continue
                raise ReleaseProblem(
                    f"release id {rid} published twice with different content; "
                    "a publisher must give each release a new id"
                )
            if rid:
                seen[rid] = rel
            unique.append(rel)
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
