"""``bidvet monitor``: update → diff → re-assess → alert → deliver, once, for a scheduler.

Exit codes: 0 the pass ran and every source updated (alerts raised or not: read them with
``bidvet alerts``); 1 the pass ran but a source failed, a watch could not be re-assessed or a
delivery was dead-lettered (the rest was still done; the reasons are printed); 2 usage error
(nothing was done).
"""

from __future__ import annotations

import sys

import click

from bidvet.cli.common import emit_json, fetch_options, open_store
from bidvet.cli.update_cmd import overrides


@click.command()
@click.argument("sources", nargs=-1)
@click.option(
    "--from-dir",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Load the sources from files in DIR (air-gapped sites) instead of the network.",
)
@click.option(
    "--url",
    "urls",
    multiple=True,
    metavar="SOURCE=URL",
    help="Fetch SOURCE from URL instead of its registry URL (as `bidvet update --url`).",
)
@fetch_options
@click.option(
    "--notify",
    "notify_path",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="Delivery configuration (webhook, SMTP): see bidvet.monitor.notify.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what the run did as JSON.")
@click.pass_context
def monitor(
    ctx: click.Context,
    sources: tuple[str, ...],
    from_dir: str | None,
    urls: tuple[str, ...],
    timeout: float,
    retries: int,
    notify_path: str | None,
    as_json: bool,
) -> None:
    """One monitoring pass: update the sources (all, or SOURCE…), re-assess the watches the
    new data or the passing of time can affect, raise alerts (also for overdue sources a
    watched buyer expects) and deliver them. Running it twice raises nothing new. Uses the
    network only to update, unless --from-dir is given.

    Exit code 0: done, every source updated; 1: done, but a source failed, a watch could not
    be re-assessed or a delivery was dead-lettered (see the messages); 2: usage error.
    """
    from bidvet.monitor.fetch import FetchOptions
    from bidvet.monitor.notify import load_notify_config
    from bidvet.monitor.run import monitor as run

    urls_map = overrides(urls)
    notify = load_notify_config(notify_path) if notify_path else None
    result = run(
        open_store(ctx),
        sources or None,
        from_dir=from_dir,
        urls=urls_map,
        notify=notify,
        options=FetchOptions(timeout=timeout, retries=retries),
    )
    r = result.reassessed
    dead = result.delivered.get("dead", 0)
    if as_json:
        emit_json(result.to_json())
    else:
        for u in result.updates:
            said = u.message if u.message.startswith(u.status) else f"{u.status}: {u.message}"
            click.echo(f"{u.source}: {said}")
        for d in result.diffs:
            counts = [
                f"{ld.list_name}: +{len(ld.added)} -{len(ld.removed)} ~{len(ld.changed)}"
                for ld in d.lists
                if ld.added or ld.removed or ld.changed
            ]
            click.echo(f"diff {d.dataset}: " + ("; ".join(counts) or "no list entry changed"))
        click.echo(
            f"{len(r.rechecked)} watches re-checked, {len(r.alerts)} alerts raised, "
            f"{len(result.stale)} stale-source alerts"
            + (f", deliveries: {result.delivered}" if result.delivered else "")
        )
    for u in result.failed:
        click.echo(f"warning: {u.source} failed: {u.message}", err=True)
    for problem in r.problems:
        click.echo(f"warning: {problem}", err=True)
    if result.failed or r.problems or dead:
        sys.exit(1)
