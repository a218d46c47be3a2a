"""The watch list: awarded contracts and open tenders kept under watch, each with the decision
it was awarded on (outcome and findings per bidder or supplier, data snapshot, framework, as-of
and award dates).

A tender watch keeps the tender file's content and path; re-assessment pins every bidder to the
record it was resolved to at award (the contract was made with that legal person), so a new
record of the same name elsewhere cannot turn the identity ambiguous behind the buyer's back; a
new list entry matching the name still triggers a re-assessment
(:mod:`bidvet.monitor.reassess`). A contract watch keeps a contract from the store's contract
history and is judged by the exposure scan.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bidvet.assessment.engine import assess
from bidvet.assessment.tender import LoadedTender, load_tender
from bidvet.dates import today
from bidvet.errors import InputError
from bidvet.exposure.scan import scan_store
from bidvet.framework.loader import DEFAULT_FRAMEWORK, framework_path, load_framework
from bidvet.store import monitoring
from bidvet.store.db import Store


@dataclass(frozen=True)
class Judged:
    """One assessment of a watch: per subject (bidder or supplier) its outcome and findings."""

    state: dict[str, Any]
    framework_id: str
    framework_hash: str


def _plain(value: Any) -> Any:
    """``value`` as JSON types (dates as ISO text), as the store's JSON columns hold it."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def _finding(criterion: str, summary: str, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    return {"criterion": criterion, "summary": summary, "evidence": _plain(evidence)}


def judge_tender(
    store: Store,
    tender: LoadedTender,
    as_of: dt.date,
    *,
    only: str | None = None,
    pins: dict[str, str] | None = None,
) -> Judged:
    """Assess the tender's bidders (only ``only`` when given) as of ``as_of``, each pinned to
    the entity in ``pins`` when it names one."""
    pins = pins or {}
    bidders = [b for b in tender.tender.bidders if only is None or b.id == only]
    if not bidders:
        raise InputError(
            tender.path,
            f"no bidder {only!r} in the tender",
            fix="give --awarded-to one of: " + ", ".join(b.id for b in tender.tender.bidders),
        )
    pinned = [
        b.model_copy(update={"entity_id": pins[b.id]}) if pins.get(b.id) else b for b in bidders
    ]
    t = tender.tender.model_copy(update={"bidders": pinned})
    result = assess(
        store, LoadedTender(t, tender.path, tender.sha256, tender.answer_files), as_of=as_of
    )
    state: dict[str, Any] = {}
    for b in result.bidders:
        state[b.bidder.id] = {
            "name": b.bidder.name,
            "entity_id": b.entity_id,
            "outcome": str(b.decision.outcome),
            "findings": sorted(
                (
                    _finding(f.criterion, f.summary, [e.to_json() for e in f.evidence])
                    for f in b.findings
                ),
                key=lambda x: (x["criterion"], x["summary"]),
            ),
        }
    fw = result.framework
    return Judged(state, fw.framework.id, fw.sha256)


def judge_contract(store: Store, ocid: str, as_of: dt.date) -> Judged:
    """The exposure scan of one contracting process as of ``as_of``: per supplier, ``exposed``
    (a sensitive item from a risky supplier), ``review`` (risky supplier, item not judgeable)
    or ``clear``, with the reasons as findings."""
    with store.view() as view:
        processes = list(view.processes([ocid]))
    if not processes:
        raise InputError(
            None, f"no contracting process {ocid!r} in the store", fix="load its contract data"
        )
    suppliers = sorted(
        {p.name for p in processes[0].parties if "supplier" in p.roles or "tenderer" in p.roles}
    )
    result = scan_store(store, ocids=[ocid], as_of=as_of)
    state: dict[str, Any] = {
        name: {"name": name, "entity_id": None, "outcome": "clear", "findings": []}
        for name in suppliers
    }
    for outcome, rows in (("review", result.review), ("exposed", result.exposures)):
        for ex in rows:
            entry = state.setdefault(
                ex.supplier, {"name": ex.supplier, "entity_id": None, "findings": []}
            )
            entry["outcome"] = outcome
            entry["entity_id"] = ex.supplier_entity_ids[0] if ex.supplier_entity_ids else None
            entry["entity_ids"] = sorted(ex.supplier_entity_ids)
            entry["findings"] = sorted(
                (
                    _finding(
                        str(r.get("criterion", "")),
                        str(r.get("summary", r)),
                        [r],
                    )
                    for r in ex.reasons
                ),
                key=lambda x: (x["criterion"], x["summary"]),
            )
    fw = load_framework(framework_path(DEFAULT_FRAMEWORK))
    return Judged(state, fw.framework.id, fw.sha256)


def actor_name(actor: str | None) -> str:
    """Who the audit log records: ``actor``, else the operating-system login name."""
    return actor or getpass.getuser()


def _process_award_date(store: Store, ocid: str) -> dt.date | None:
    with store.view() as view:
        for process in view.processes([ocid]):
            dates = [a.date for a in process.awards if a.date]
            return min(dates) if dates else process.date
    return None


def add_tender_watch(
    store: Store,
    path: str | Path,
    *,
    awarded_to: str | None = None,
    award_date: dt.date | None = None,
    actor: str | None = None,
) -> int:
    """Watch a tender: awarded to bidder ``awarded_to`` on ``award_date``, or open (every
    bidder, decided as of today). Records the decision as of the award date; the audit log
    records ``actor`` (default: the login name) as who added it."""
    tender = load_tender(path)
    if awarded_to is None and award_date is not None:
        raise InputError(path, "an award date without --awarded-to", fix="name the bidder")
    as_of = award_date or today()
    judged = judge_tender(store, tender, as_of, only=awarded_to)
    pins = {k: v["entity_id"] for k, v in judged.state.items() if v["entity_id"]}
    if monitoring.watermark(store) is None:
        monitoring.set_watermark(store, monitoring.latest_snapshot(store))
    kind = "contract" if awarded_to else "tender"
    to = f" — awarded to {judged.state[awarded_to]['name']}" if awarded_to else " (open)"
    label = tender.tender.title + to
    return monitoring.insert_watch(
        store,
        {
            "kind": kind,
            "label": label,
            "tender_path": str(Path(path).resolve()),
            "tender_yaml": Path(path).read_text(encoding="utf-8"),
            "tender_sha256": tender.sha256,
            "awarded_to": awarded_to,
            "award_date": award_date,
            "decision": {"subjects": judged.state, "pins": pins},
            "decision_as_of": as_of,
            "snapshot_digest": store.fingerprint(),
            "framework_id": judged.framework_id,
            "framework_hash": judged.framework_hash,
            "state": {"subjects": judged.state, "pins": pins},
            "state_as_of": as_of,
        },
        actor=actor_name(actor),
    )


def add_decided_case(
    store: Store,
    tender_path: str | Path,
    bidder_id: str,
    award_date: dt.date,
    *,
    actor: str | None = None,
) -> int:
    """Watch a case decided in the workspace: the tender, the bidder it was awarded to and the
    award date (the workspace's "watch this award" on a signed-off case calls this)."""
    return add_tender_watch(
        store, tender_path, awarded_to=bidder_id, award_date=award_date, actor=actor
    )


def add_contract_watch(store: Store, ocid: str, *, actor: str | None = None) -> int:
    """Watch a contract of the store's contract history, decided as of its award date."""
    award = _process_award_date(store, ocid) or today()
    judged = judge_contract(store, ocid, award)
    suppliers = ", ".join(sorted(judged.state)) or "no named supplier"
    if monitoring.watermark(store) is None:
        monitoring.set_watermark(store, monitoring.latest_snapshot(store))
    return monitoring.insert_watch(
        store,
        {
            "kind": "contract",
            "label": f"{ocid} — {suppliers}",
            "ocid": ocid,
            "awarded_to": suppliers,
            "award_date": award,
            "decision": {"subjects": judged.state, "pins": {}},
            "decision_as_of": award,
            "snapshot_digest": store.fingerprint(),
            "framework_id": judged.framework_id,
            "framework_hash": judged.framework_hash,
        },
        actor=actor_name(actor),
    )


def remove_watch(store: Store, watch_id: int, *, actor: str | None = None) -> None:
    """Stop watching ``watch_id`` (its alerts go with it); audited with ``actor``."""
    monitoring.remove_watch(store, watch_id, actor=actor_name(actor))


def add_from_exposure(
    store: Store, paths: Sequence[str | Path], *, actor: str | None = None
) -> list[int]:
    """Load contract files and watch every contract the exposure scan flags (exposed or to
    review)."""
    from bidvet.sources.loader import load_file

    ocids: set[str] = set()
    with store.view() as view:
        for path in paths:
            summary = load_file(store, path)
            if summary.write.snapshot_id is not None:
                ocids.update(view.ocids_of_snapshot(summary.write.snapshot_id))
    result = scan_store(store, ocids=sorted(ocids))
    flagged = sorted({e.ocid for e in [*result.exposures, *result.review]})
    held = {w.ocid for w in monitoring.watches(store) if w.ocid}
    return [add_contract_watch(store, ocid, actor=actor) for ocid in flagged if ocid not in held]


def tender_of(watch: monitoring.WatchRow) -> LoadedTender:
    """The watched tender, read from its path (its knowledge files sit beside it); a tender
    whose file is gone or changed is an error naming the watch."""
    assert watch.tender_path is not None and watch.tender_yaml is not None
    path = Path(watch.tender_path)
    if not path.is_file():
        raise InputError(path, f"watch {watch.id}: the tender file is gone", fix="restore it")
    current = hashlib.sha256(path.read_bytes()).hexdigest()
    if current != watch.tender_sha256:
        raise InputError(
            path,
            f"watch {watch.id}: the tender file changed since it was watched",
            fix="restore the watched version, or remove the watch and add it again",
        )
    return load_tender(path)


def judge_watch(store: Store, watch: monitoring.WatchRow, as_of: dt.date) -> Judged:
    """Re-assess a watch as of ``as_of`` the way it was assessed at award."""
    if watch.tender_path:
        pins = dict(watch.decision.get("pins", {}))
        return judge_tender(store, tender_of(watch), as_of, only=watch.awarded_to, pins=pins)
    assert watch.ocid is not None
    return judge_contract(store, watch.ocid, as_of)


def watch_json(w: monitoring.WatchRow) -> dict[str, Any]:
    subjects = w.decision.get("subjects", {})
    return {
        "id": w.id,
        "kind": w.kind,
        "label": w.label,
        "tender": w.tender_path,
        "ocid": w.ocid,
        "awarded_to": w.awarded_to,
        "award_date": w.award_date,
        "decision_as_of": w.decision_as_of,
        "decision": {k: v["outcome"] for k, v in subjects.items()},
        "snapshot": w.snapshot_digest,
        "framework": {"id": w.framework_id, "sha256": w.framework_hash},
        "now": {k: v["outcome"] for k, v in w.state.get("subjects", {}).items()},
        "now_as_of": w.state_as_of,
    }
