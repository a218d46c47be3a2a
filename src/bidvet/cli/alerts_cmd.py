"""``bidvet alerts``: alerts raised by re-assessment; acknowledge them with a note."""

from __future__ import annotations

import getpass

import click

from bidvet.cli.common import emit_json, open_store


@click.group(invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="Include acknowledged alerts.")
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as JSON.")
@click.pass_context
def alerts(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """Open alerts (all with --all): what changed, in which publication, since when, through
    which path, and the decision at award."""
    if ctx.invoked_subcommand is not None:
        return
    from bidvet.monitor.alerts import alert_json, alert_text
    from bidvet.store import monitoring

    store = open_store(ctx)
    rows = monitoring.alerts(store, include_acknowledged=show_all)
    if as_json:
        emit_json([alert_json(store, a) for a in rows])
        return
    for a in rows:
        for line in alert_text(a):
            click.echo(line)
    if not rows:
        click.echo("no open alerts", err=True)


@alerts.command("ack")
@click.argument("alert_id", type=int)
@click.option("--note", required=True, help="Why the alert is settled (kept with it).")
@click.option("--by", "by", default=None, help="Who acknowledges (default: the login name).")
@click.pass_context
def ack(ctx: click.Context, alert_id: int, note: str, by: str | None) -> None:
    """Acknowledge ALERT_ID with a note."""
    from bidvet.monitor.alerts import record_acknowledgement

    row = record_acknowledgement(open_store(ctx), alert_id, by=by or getpass.getuser(), note=note)
    click.echo(f"alert {row.id} acknowledged by {row.acknowledged_by} at {row.acknowledged_at}")
