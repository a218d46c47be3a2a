"""``bidvet backup``: a verified copy of the whole knowledge store."""

from __future__ import annotations

from pathlib import Path

import click

from bidvet.cli.common import emit_json, open_store
from bidvet.store.backup import backup as backup_store
from bidvet.store.backup import manifest_path


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the backup manifest as JSON.")
@click.pass_context
def backup(ctx: click.Context, path: Path, as_json: bool) -> None:
    """Back up the knowledge store to PATH, with a manifest PATH.manifest.json.

    SQLite: a consistent online copy (SQLite's backup API), safe while a load runs. PostgreSQL:
    `pg_dump -Fc`, taken while holding the store's writer lock; needs the PostgreSQL client
    programs (on PATH or in /usr/lib/postgresql/*/bin). The manifest records the SHA-256 of the
    backup file and the store's content digest (every row of every table), which `bidvet restore`
    verifies. PATH must not exist yet.
    """
    store = open_store(ctx)
    manifest = backup_store(store, path)
    if as_json:
        emit_json({"backup": str(path), "manifest": str(manifest_path(path)), **manifest.as_dict()})
        return
    click.echo(f"backed up {store!r} to {path}")
    click.echo(f"content digest {manifest.content_digest} (in {manifest_path(path)})")
