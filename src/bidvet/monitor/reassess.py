"""Re-assessment on change: after a load or an update, find exactly which watches the new
snapshots can affect, re-assess those as of today, and raise an alert when an outcome or a
finding changed.

What a change can affect:

* entities whose list entries (added, removed, changed against the dataset's previous
  snapshot), ownership edges or events a new snapshot wrote;
* every entity above and below them in the ownership graph;
* watched bidders and suppliers whose name matches an entity a new list entry names;
* with no new snapshot at all, facts already held that come into force (or end) between a
  watch's last check and today, on the watch's ownership chain: time alone changes outcomes.

A watermark (the last snapshot seen) makes a second run find nothing new; an alert's key (the
watch and the assessment that raised it) keeps the same change from alerting twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bidvet.dates import today
from bidvet.errors import BidvetError
from bidvet.monitor.watch import judge_watch
from bidvet.screening.score import compare_names
from bidvet.store import monitoring
from bidvet.store.db import Store
from bidvet.store.monitoring import Changes, DatedChange, ListingChange, WatchRow

log = logging.getLogger(__name__)


@dataclass
class ReassessResult:
    snapshots: tuple[int, ...] = ()
    affected_entities: int = 0
    rechecked: list[int] = field(default_factory=list)
    alerts: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "snapshots": list(self.snapshots),
            "affected_entities": self.affected_entities,
            "rechecked": self.rechecked,
            "alerts": self.alerts,
            "problems": self.problems,
        }


def _subject_ids(w: WatchRow) -> set[str]:
    out: set[str] = set(w.decision.get("pins", {}).values())
    for block in (w.decision, w.state):
        for subject in block.get("subjects", {}).values():
            if subject.get("entity_id"):
                out.add(subject["entity_id"])
            out.update(subject.get("entity_ids", ()))
    return out


def _names(w: WatchRow) -> list[str]:
    return sorted({s["name"] for s in w.decision.get("subjects", {}).values()})


def _name_matches(
    store: Store, w: WatchRow, entries: Iterable[ListingChange]
) -> list[tuple[ListingChange, str, float]]:
    """New list entries whose entity's names match a watched subject's name."""
    entries = list(entries)
    with store.view() as view:
        facts = view.entities({e.entity_id for e in entries})
    out = []
    for entry in entries:
        ent = facts.get(entry.entity_id)
        names = set(ent.names) | {ent.caption} if ent else set()
        best = max(
            ((compare_names(n, subject), subject) for n in names for subject in _names(w)),
            key=lambda x: x[0].score,
            default=None,
        )
        if best is not None and best[0].match:
            out.append((entry, best[1], best[0].score))
    return out


def _key(findings: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(f["criterion"], f["summary"]) for f in findings}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Per subject: the outcome before and after, the findings added and removed."""
    out = []
    for sid in sorted(set(before) | set(after)):
        old, new = before.get(sid, {}), after.get(sid, {})
        old_f, new_f = old.get("findings", []), new.get("findings", [])
        added = [f for f in new_f if (f["criterion"], f["summary"]) not in _key(old_f)]
        removed = [f for f in old_f if (f["criterion"], f["summary"]) not in _key(new_f)]
        if old.get("outcome") == new.get("outcome") and not added and not removed:
            continue
        out.append(
            {
                "subject": sid,
                "name": new.get("name") or old.get("name"),
                "outcome_before": old.get("outcome"),
                "outcome_now": new.get("outcome"),
                "findings_added": added,
                "findings_removed": removed,
            }
        )
    return out


def _trigger(
    change: ListingChange, props: dict[str, Any], via: str, captions: dict[str, str]
) -> dict[str, Any]:
    notice = "; ".join(props.get("federal_register_notice", []))
    return {
        "entity_id": change.entity_id,
        "entity": captions.get(change.entity_id, change.entity_id),
        "change": change.change,
        "list_id": change.list_id,
        "list": change.list_name,
        "program": change.program,
        "since": change.start_date.isoformat() if change.start_date else None,
        "rule": notice or None,
        "reason": change.reason,
        "source_url": change.source_url,
        "publication": {
            "snapshot": change.snapshot_id,
            "dataset": change.dataset,
            "file": change.file_name,
            "published": change.published.isoformat() if change.published else None,
        },
        "via": via,
    }


def _via(entity_id: str, ids: set[str]) -> str:
    if entity_id in ids:
        return "the watched bidder or supplier itself"
    return "an owner or subsidiary in the watched bidder's ownership chain"


def _summary(
    w: WatchRow,
    diffs: list[dict[str, Any]],
    triggers: list[dict[str, Any]],
    in_force: list[dict[str, Any]],
) -> str:
    parts = []
    for d in diffs:
        if d["outcome_before"] != d["outcome_now"]:
            parts.append(f"{d['name']}: {d['outcome_before']} → {d['outcome_now']}")
        else:
            parts.append(f"{d['name']}: findings changed ({d['outcome_now']})")
    for t in triggers[:3]:
        rule = f", {t['rule']}" if t["rule"] else ""
        since = f" from {t['since']}" if t["since"] else ""
        where = t["publication"]["file"]
        parts.append(f"{t['entity']} {t['change']} on the {t['list']}{since}{rule} ({where})")
    if not triggers:
        for c in in_force[:3]:
            parts.append(f"{c['entity']}: {c['change']} {c['what']} in force {c['date']}")
    return f"watch {w.id} ({w.label}): " + "; ".join(parts)


def _dated(change: DatedChange, ids: set[str], captions: dict[str, str]) -> dict[str, Any]:
    return {
        "entity_id": change.entity_id,
        "entity": captions.get(change.entity_id, change.entity_id),
        "change": change.kind,
        "date": change.date.isoformat(),
        "what": change.what,
        "other_id": change.other_id,
        "snapshot": change.snapshot_id,
        "via": _via(change.entity_id, ids)
        if change.other_id is None or change.entity_id in ids
        else _via(change.other_id, ids),
    }


class _Chains:
    """The ownership chain (the subjects, everything above and below) of each watch, asked of
    the store once per watch and only when a change could touch it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[int, set[str]] = {}

    def of(self, w: WatchRow) -> set[str]:
        if w.id not in self.cache:
            self.cache[w.id] = monitoring.neighbours(self.store, _subject_ids(w))
        return self.cache[w.id]


def reassess(
    store: Store, *, as_of: dt.date | None = None, channels: Iterable[str] = ()
) -> ReassessResult:
    """Re-assess the watches that something can have changed for, as of ``as_of`` (default
    today), raise an alert per watch whose outcome or findings changed and queue its delivery on
    ``channels``. Two things change an assessment:

    * the snapshots loaded since the watermark (list entries, ownership edges, events, and new
      list entries whose names match a watched subject's);
    * time: facts already in the store dated after the watch was last checked and on or before
      ``as_of`` (a listing published earlier that comes into force later, an ownership edge
      that starts or ends, an event) on a watched subject or its ownership chain — so a
      scheduled run re-checks the watch even when nothing new was loaded.

    Moves the watermark to the newest snapshot; each re-checked watch is then as of ``as_of``,
    so a second run finds nothing to do.
    """
    as_of = as_of or today()
    result = ReassessResult()
    latest = monitoring.latest_snapshot(store)
    watches = monitoring.watches(store)
    mark = monitoring.watermark(store)
    if not watches:
        if mark is None or mark < latest:
            monitoring.set_watermark(store, latest)
        return result
    if mark is None:
        mark = latest
    changes: Changes = (
        monitoring.changes_since(store, mark) if mark < latest else Changes((), (), (), ())
    )
    result.snapshots = changes.snapshots
    changed = changes.entity_ids()
    graph = monitoring.neighbours(store, changed) if changed else set()
    result.affected_entities = len(graph)
    new_entries = [c for c in changes.listings if c.change in ("added", "changed")]
    earliest = min(w.state_as_of for w in watches)
    dated = monitoring.dated_changes(store, earliest, as_of)
    props = monitoring.entity_properties(store, {c.entity_id for c in changes.listings})
    with store.view() as view:
        captions = view.captions(
            {c.entity_id for c in changes.listings} | {c.entity_id for c in dated}
        )
    chains = _Chains(store)
    channels = tuple(channels)
    for w in watches:
        ids = _subject_ids(w)
        by_graph = ids & graph
        matches = _name_matches(store, w, new_entries) if new_entries else []
        due = [c for c in dated if c.date > w.state_as_of]
        timed = (
            [c for c in due if c.entity_id in chains.of(w) or c.other_id in chains.of(w)]
            if due
            else []
        )
        if not by_graph and not matches and not timed:
            continue
        result.rechecked.append(w.id)
        try:
            judged = judge_watch(store, w, as_of)
        except BidvetError as exc:
            result.problems.append(f"watch {w.id}: {exc.render()}")
            continue
        before = w.state.get("subjects", {})
        after = json.loads(json.dumps(judged.state, default=str, sort_keys=True))
        diffs = _diff(before, after)
        new_state = {"subjects": after, "pins": w.decision.get("pins", {})}
        if not diffs:
            monitoring.set_state(store, w.id, new_state, as_of)
            continue
        chain = chains.of(w)
        triggers = [
            _trigger(c, props.get(c.entity_id, {}), _via(c.entity_id, ids), captions)
            for c in changes.listings
            if c.entity_id in chain
        ]
        triggers += [
            _trigger(
                c, props.get(c.entity_id, {}), f"name match with {name} ({score:.2f})", captions
            )
            for c, name, score in matches
        ]
        in_force = [_dated(c, ids, captions) for c in timed]
        edges = [
            {"owner_id": o, "asset_id": a, "snapshot": sid}
            for o, a, sid in changes.ownership
            if o in chain or a in chain
        ]
        events = [{"entity_id": e, "snapshot": sid} for e, sid in changes.events if e in chain]
        subjects = w.decision.get("subjects", {})
        body = {
            "kind": "reassessment",
            "watch": {
                "id": w.id,
                "kind": w.kind,
                "label": w.label,
                "tender": w.tender_path,
                "ocid": w.ocid,
                "awarded_to": w.awarded_to,
                "award_date": w.award_date.isoformat() if w.award_date else None,
            },
            "at_award": {
                "as_of": w.decision_as_of.isoformat(),
                "snapshot": w.snapshot_digest,
                "framework": {"id": w.framework_id, "sha256": w.framework_hash},
                "outcomes": {k: v["outcome"] for k, v in subjects.items()},
            },
            "previous": {"as_of": w.state_as_of.isoformat()},
            "as_of": as_of.isoformat(),
            "changes": diffs,
            "triggers": triggers,
            "in_force": in_force,
            "ownership_changes": edges,
            "event_changes": events,
        }
        digest = hashlib.sha256(json.dumps(after, sort_keys=True).encode("utf-8")).hexdigest()[:40]
        alert_id = monitoring.raise_alert(
            store,
            watch_id=w.id,
            key=f"{w.id}:{digest}",
            as_of=as_of,
            summary=_summary(w, diffs, triggers, in_force),
            body=body,
            state=new_state,
            channels=channels,
        )
        if alert_id is not None:
            result.alerts.append(alert_id)
        else:  # the same assessment alerted before: the watch is now checked as of today
            monitoring.set_state(store, w.id, new_state, as_of)
    if mark < latest or monitoring.watermark(store) is None:
        monitoring.set_watermark(store, latest)
    return result
