"""Alerts as people read them: listing, acknowledging, and the text of one alert."""

from __future__ import annotations

from typing import Any

from bidvet.store import monitoring
from bidvet.store.db import Store
from bidvet.store.monitoring import AlertRow


def record_acknowledgement(store: Store, alert_id: int, *, by: str, note: str) -> AlertRow:
    """The one place an acknowledgement is recorded (who, when, note): the audit log hooks in
    here."""
    return monitoring.acknowledge(store, alert_id, by=by, note=note)


def alert_json(store: Store, alert: AlertRow) -> dict[str, Any]:
    return {
        "id": alert.id,
        "watch_id": alert.watch_id,
        "raised_at": alert.raised_at.isoformat(),
        "as_of": alert.as_of.isoformat(),
        "summary": alert.summary,
        "acknowledged": (
            {
                "at": alert.acknowledged_at.isoformat(),
                "by": alert.acknowledged_by,
                "note": alert.note,
            }
            if alert.acknowledged_at
            else None
        ),
        "deliveries": [
            {
                "channel": d.channel,
                "status": d.status,
                "attempts": d.attempts,
                "error": d.last_error,
            }
            for d in monitoring.deliveries(store, alert.id)
        ],
        **alert.body,
    }


def alert_text(alert: AlertRow) -> list[str]:
    """The lines ``bidvet alerts`` prints for one alert."""
    state = f"acknowledged by {alert.acknowledged_by}" if alert.acknowledged_at else "open"
    lines = [f"#{alert.id} [{state}] as of {alert.as_of}: {alert.summary}"]
    award = alert.body.get("at_award", {})
    lines.append(
        f"    at award (as of {award.get('as_of')}): "
        + ", ".join(f"{k} {v}" for k, v in sorted(award.get("outcomes", {}).items()))
    )
    for t in alert.body.get("triggers", []):
        pub = t["publication"]
        lines.append(
            f"    {t['change']}: {t['entity']} on the {t['list']}"
            + (f" from {t['since']}" if t["since"] else "")
            + (f" ({t['rule']})" if t["rule"] else "")
            + f"; snapshot {pub['snapshot']} {pub['file']}"
            + f", published {pub['published'] or 'not stated by the file'}"
            + f"; via {t['via']}"
        )
    return lines
