"""``bidvet status``: what the knowledge store holds."""

from __future__ import annotations

import click

from bidvet.cli.common import emit_json, open_store
from bidvet.sources.registry import importers


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show what the knowledge store holds: snapshots loaded and the data fingerprint."""
    store = open_store(ctx)
    with store.view() as view:
        infos = view.snapshots()
    snapshots = [
        {
            "id": snap.id,
            "dataset": snap.dataset,
            "format": snap.format,
            "file_name": snap.file_name,
            "sha256": snap.sha256,
            "published": str(snap.published) if snap.published is not None else None,
            "imported_at": str(snap.imported_at),
            "records": snap.records,
            "rejected": snap.rejected,
            "complete_list": snap.complete_list,
        }
        for snap in infos
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
