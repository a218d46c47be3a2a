"""``bidvet watch``: the watch list of awarded contracts and open tenders."""

from __future__ import annotations

import click

from bidvet.cli.common import emit_json, open_store
from bidvet.dates import parse_as_of


@click.group()
def watch() -> None:
    """Awarded contracts and open tenders under watch, each with the decision it was
    awarded on; `bidvet load` and `bidvet monitor` re-assess them when the data change."""


@watch.command("add")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--awarded-to", default=None, help="Bidder id the tender was awarded to.")
@click.option("--award-date", default=None, help="Award date (YYYY-MM-DD); with --awarded-to.")
@click.option("--contract", "ocid", default=None, help="Watch a contract of the store (ocid).")
@click.option(
    "--from-exposure", is_flag=True, help="PATHS are contract files: watch what the scan flags."
)
@click.option("--json", "as_json", is_flag=True, help="Print the new watch ids as JSON.")
@click.pass_context
def add(
    ctx: click.Context,
    paths: tuple[str, ...],
    awarded_to: str | None,
    award_date: str | None,
    ocid: str | None,
    from_exposure: bool,
    as_json: bool,
) -> None:
    """Watch TENDER.yaml (open, or awarded with --awarded-to/--award-date), a contract
    (--contract OCID) or the flagged contracts of contract files (--from-exposure FILES…)."""
    from bidvet.monitor.watch import add_contract_watch, add_from_exposure, add_tender_watch

    store = open_store(ctx)
    if ocid:
        ids = [add_contract_watch(store, ocid)]
    elif from_exposure:
        if not paths:
            raise click.UsageError("--from-exposure needs contract files", ctx)
        ids = add_from_exposure(store, paths)
    elif len(paths) == 1:
        day = parse_as_of(award_date) if award_date else None
        ids = [add_tender_watch(store, paths[0], awarded_to=awarded_to, award_date=day)]
    else:
        raise click.UsageError("give one TENDER.yaml, --contract OCID or --from-exposure", ctx)
    if as_json:
        emit_json({"added": ids})
    else:
        click.echo("added watch " + ", ".join(str(i) for i in ids) if ids else "nothing to watch")


@watch.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the watches as JSON.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """Every watch with its decision at award and its last assessment."""
    from bidvet.monitor.watch import watch_json
    from bidvet.store import monitoring

    rows = [watch_json(w) for w in monitoring.watches(open_store(ctx))]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(
            f"{r['id']}  {r['label']}  award {r['award_date'] or '-'}: {r['decision']}  "
            f"now ({r['now_as_of']}): {r['now']}"
        )


@watch.command("remove")
@click.argument("watch_id", type=int)
@click.pass_context
def remove(ctx: click.Context, watch_id: int) -> None:
    """Stop watching WATCH_ID (its alerts go with it)."""
    from bidvet.monitor.watch import remove_watch

    remove_watch(open_store(ctx), watch_id)
    click.echo(f"removed watch {watch_id}")


@watch.command("history")
@click.argument("watch_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--format", "fmt", type=click.Choice(["text", "md"]), default="text")
@click.pass_context
def history(ctx: click.Context, watch_id: int, as_json: bool, fmt: str) -> None:
    """Would we have known? The assessment at award next to today's, and the dated list,
    ownership and event changes in between."""
    from bidvet.monitor.timeline import history as build
    from bidvet.monitor.timeline import history_markdown

    doc = build(open_store(ctx), watch_id)
    if as_json:
        emit_json(doc)
    else:
        click.echo(history_markdown(doc), nl=False)
