"""``bidvet status``: what the knowledge store holds."""

from __future__ import annotations

import click

from bidvet.cli.common import emit_json, open_store
from bidvet.sources.registry import importers


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show what the knowledge store holds: snapshots loaded, the data fingerprint, and the
    sources `bidvet update` fetches that are overdue against their cadence."""
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
    from bidvet.monitor.staleness import freshness

    sources = [f.to_json() for f in freshness(store)]
    data = {
        "store": repr(store),
        "fingerprint": store.fingerprint(),
        "formats": sorted(importers()),
        "snapshots": snapshots,
        "sources": sources,
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
    overdue = [f for f in sources if f["overdue"]]
    fetched = [f for f in sources if f["last_attempt"] is not None]
    if fetched:
        click.echo(f"sources: {len(overdue)} of {len(fetched)} fetched by bidvet update overdue")
        for f in overdue:
            click.echo(f"  {f['source']}: {f['state']}")
