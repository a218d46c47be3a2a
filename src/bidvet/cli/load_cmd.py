"""``bidvet load`` and ``bidvet status``."""

from __future__ import annotations

import click
import sqlalchemy as sa

from bidvet.cli.common import emit_json, open_store
from bidvet.sources.loader import load_file
from bidvet.sources.registry import importers
from bidvet.store import schema as s


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    default=None,
    help="Input format (default: detected). `bidvet load --list-formats` lists them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the import summary as JSON.")
@click.pass_context
def load(ctx: click.Context, paths: tuple[str, ...], fmt: str | None, as_json: bool) -> None:
    """Import list, ownership, contract or curated files into the knowledge store.

    Each file is one transaction: a file that fails writes nothing. Loading the same file twice
    changes nothing; a newer publication of a list keeps the old snapshot and dates delistings.
    """
    store = open_store(ctx)
    summaries = []
    for path in paths:
        summary = load_file(store, path, fmt)
        summaries.append(summary.as_dict())
        if not as_json:
            state = "already loaded, unchanged" if summary.write.already_loaded else "loaded"
            click.echo(
                f"{path}: {summary.format}: {state}: {summary.imported} imported, "
                f"{summary.rejected} rejected, {len(summary.issues)} data-quality notes"
            )
    if as_json:
        emit_json(summaries[0] if len(summaries) == 1 else summaries)


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show what the knowledge store holds: snapshots loaded and the data fingerprint."""
    store = open_store(ctx)
    with store.read() as conn:
        rows = conn.execute(sa.select(s.snapshots).order_by(s.snapshots.c.id)).mappings().all()
    snapshots = [
        {
            k: (str(v) if v is not None and k in ("published", "imported_at") else v)
            for k, v in row.items()
        }
        for row in rows
    ]
    data = {
        "store": repr(store),
        "fingerprint": store.fingerprint(),
        "formats": sorted(importers()),
        "snapshots": snapshots,
    }
    if as_json:
        emit_json(data)
        return
    click.echo(f"store: {data['store']}\nfingerprint: {data['fingerprint']}")
    for snap in snapshots:
        click.echo(
            f"  #{snap['id']} {snap['dataset']} {snap['file_name']} published "
            f"{snap['published']} records {snap['records']} rejected {snap['rejected']}"
        )
