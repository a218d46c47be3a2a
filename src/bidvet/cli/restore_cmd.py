"""``bidvet restore``: replace the knowledge store by a verified backup."""

from __future__ import annotations

from pathlib import Path

import click

from bidvet.cli.common import emit_json, open_store
from bidvet.store.backup import restore as restore_store


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace the contents of a store that already holds data.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the restored manifest as JSON.")
@click.pass_context
def restore(ctx: click.Context, path: Path, force: bool, as_json: bool) -> None:
    """Restore the knowledge store from a backup made by `bidvet backup`.

    Checks the backup file against its manifest (PATH.manifest.json) before touching the store,
    and the restored store's content digest against the manifest after. The store must be empty
    (e.g. a new --db) unless --force is given. A SQLite backup restores into a SQLite store, a
    PostgreSQL one (`pg_restore`, in one transaction) into a PostgreSQL store.
    """
    store = open_store(ctx)
    manifest = restore_store(store, path, force=force)
    if as_json:
        emit_json({"restored": str(path), **manifest.as_dict()})
        return
    click.echo(f"restored {path} into {store!r}")
    click.echo(f"content digest {manifest.content_digest} verified")
