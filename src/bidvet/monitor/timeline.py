""" "Would we have known?": a watched award's assessment as of the award date next to today's,
and the dated list, ownership and event changes in between for the entities of the awarded
bidder's ownership chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bidvet.dates import today
from bidvet.monitor.watch import judge_watch
from bidvet.store import monitoring
from bidvet.store.db import Store


def _in(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start < day <= end


def history(store: Store, watch_id: int, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """The award-time decision, today's assessment and the dated timeline between them."""
    w = monitoring.watch(store, watch_id)
    as_of = as_of or today()
    start = w.award_date or w.decision_as_of
    now = judge_watch(store, w, as_of)
    ids: set[str] = set(w.decision.get("pins", {}).values())
    for subject in [*w.decision.get("subjects", {}).values(), *now.state.values()]:
        if subject.get("entity_id"):
            ids.add(subject["entity_id"])
    chain = monitoring.neighbours(store, ids) if ids else set()
    events: list[dict[str, Any]] = []
    with store.view() as view:
        names = view.captions(chain)
        for entity_id, facts in view.listings(chain, None).items():
            for lst in facts:
                for day, what in ((lst.start, "listed"), (lst.delisted, "delisted")):
                    if _in(day, start, as_of):
                        assert day is not None
                        events.append(
                            {
                                "date": day.isoformat(),
                                "kind": "listing",
                                "text": f"{names.get(entity_id, entity_id)} {what} on the "
                                f"{lst.list_name}" + (f" ({lst.reason})" if lst.reason else ""),
                                "source": lst.source.to_json(),
                            }
                        )
        edges = {e.key: e for e in [*view.owners(chain, None), *view.owned(chain, None)]}
        for edge in edges.values():
            for day, what in ((edge.start_date, "from"), (edge.end_date, "until")):
                if _in(day, start, as_of):
                    assert day is not None
                    events.append(
                        {
                            "date": day.isoformat(),
                            "kind": "ownership",
                            "text": f"{names.get(edge.owner_id, edge.owner_id)} → "
                            f"{names.get(edge.asset_id, edge.asset_id)} ({edge.kind}, "
                            f"{edge.share_text()}) {what} this date",
                            "source": edge.citation.to_json(),
                        }
                    )
        for ev in view.events(chain, as_of):
            if _in(ev.date, start, as_of):
                assert ev.date is not None
                events.append(
                    {
                        "date": ev.date.isoformat(),
                        "kind": "event",
                        "text": f"{names.get(ev.entity_id, ev.entity_id)}: {ev.summary}",
                        "source": ev.source.to_json(),
                    }
                )
    events.sort(key=lambda e: (e["date"], e["kind"], e["text"]))
    subjects = w.decision.get("subjects", {})
    return {
        "watch": {"id": w.id, "label": w.label, "awarded_to": w.awarded_to},
        "at_award": {
            "as_of": w.decision_as_of.isoformat(),
            "snapshot": w.snapshot_digest,
            "framework": {"id": w.framework_id, "sha256": w.framework_hash},
            "outcomes": {k: v["outcome"] for k, v in subjects.items()},
        },
        "now": {
            "as_of": as_of.isoformat(),
            "outcomes": {k: v["outcome"] for k, v in now.state.items()},
            "findings": {
                k: sorted({f["criterion"] for f in v["findings"]}) for k, v in now.state.items()
            },
        },
        "timeline": events,
    }


def history_markdown(doc: dict[str, Any]) -> str:
    award, now = doc["at_award"], doc["now"]
    lines = [f"# Would we have known? — watch {doc['watch']['id']}", "", doc["watch"]["label"], ""]
    lines.append("| bidder | at award (" + award["as_of"] + ") | now (" + now["as_of"] + ") |")
    lines.append("|---|---|---|")
    for key in sorted(set(award["outcomes"]) | set(now["outcomes"])):
        lines.append(f"| {key} | {award['outcomes'].get(key)} | {now['outcomes'].get(key)} |")
    lines += ["", "## What changed in between", ""]
    for e in doc["timeline"]:
        src = e["source"].get("title") or ""
        lines.append(f"- {e['date']} ({e['kind']}): {e['text']} — {src}")
    if not doc["timeline"]:
        lines.append("- nothing dated between the award and now")
    return "\n".join(lines) + "\n"
