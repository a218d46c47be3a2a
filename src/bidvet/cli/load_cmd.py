"""``bidvet load``: import files into the knowledge store, each all or nothing."""

from __future__ import annotations

import click

from bidvet.cli.common import emit_json, open_store
from bidvet.dates import parse_day_option
from bidvet.sources.loader import load_file
from bidvet.sources.registry import importers
from bidvet.store.db import Store


def _list_formats(as_json: bool) -> None:
    rows = [{"format": name, "title": imp.title} for name, imp in importers().items()]
    if as_json:
        emit_json(rows)
        return
    width = max((len(row["format"]) for row in rows), default=0)
    for row in rows:
        click.echo(f"{row['format']:<{width}}  {row['title']}")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    default=None,
    help="Input format (default: detected). `bidvet load --list-formats` lists them.",
)
@click.option(
    "--list-formats",
    is_flag=True,
    help="List the formats bidvet can import (name and title) and exit.",
)
@click.option(
    "--published",
    "published",
    default=None,
    help="Publication date (YYYY-MM-DD) of files that state none (a Consolidated Screening "
    "List export), from where they were obtained: their undated entries then count from it, "
    "not on every date.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the import summary as JSON.")
@click.pass_context
def load(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str | None,
    published: str | None,
    list_formats: bool,
    as_json: bool,
) -> None:
    """Import list, ownership, contract or curated files into the knowledge store.

    Each file is one transaction: a file that fails writes nothing. Loading the same file twice
    changes nothing; a newer publication of a list keeps the old snapshot and dates delistings.
    """
    if list_formats:
        _list_formats(as_json)
        return
    if not paths:
        raise click.UsageError("Missing argument 'PATHS...'.", ctx)
    day = parse_day_option(published, "--published") if published is not None else None
    store = open_store(ctx)
    summaries = []
    for path in paths:
        summary = load_file(store, path, fmt, published=day)
        if as_json:  # the notes as dicts only when they are printed
            summaries.append(summary.as_dict())
        else:
            state = "already loaded, unchanged" if summary.write.already_loaded else "loaded"
            click.echo(
                f"{path}: {summary.format}: {state}: {summary.imported} imported, "
                f"{summary.rejected} rejected, {len(summary.issues)} data-quality notes"
            )
    if as_json:
        emit_json(summaries[0] if len(summaries) == 1 else summaries)
    _reassess_watches(store)


def _reassess_watches(store: Store) -> None:
    """After a successful load, re-assess the watches the new data can affect (if any)."""
    from bidvet.monitor.reassess import reassess
    from bidvet.store import monitoring

    if not monitoring.has_watches(store):
        return
    result = reassess(store)
    click.echo(
        f"monitoring: {len(result.rechecked)} watches re-checked, "
        f"{len(result.alerts)} alerts raised (`bidvet alerts`)",
        err=True,
    )
    for problem in result.problems:
        click.echo(f"monitoring: warning: {problem}", err=True)
