"""``bidvet update``: fetch the official sources and load new publications as snapshots."""

from __future__ import annotations

import sys
from typing import Any

import click

from bidvet.cli.common import emit_json, fetch_options, open_store
from bidvet.errors import UsageError


def overrides(values: tuple[str, ...]) -> dict[str, str]:
    """``--url SOURCE=URL`` values as a mapping."""
    out: dict[str, str] = {}
    for value in values:
        source, sep, url = value.partition("=")
        if not sep or not source or not url.startswith(("https://", "http://")):
            raise UsageError(
                f"--url {value!r}: expected SOURCE=URL", fix="e.g. --url ftm=https://host/x.json"
            )
        out[source] = url
    return out


def _list_sources(ctx: click.Context, as_json: bool) -> None:
    from bidvet.monitor.sources import source_registry, source_urls
    from bidvet.monitor.staleness import freshness

    fresh = {f.source: f for f in freshness(open_store(ctx))}
    rows: list[dict[str, Any]] = [
        {
            "source": s.id,
            "title": s.title,
            "publisher": s.publisher,
            "format": s.format,
            "urls": list(source_urls(s)),
            "url_setting": s.url_setting,
            "file": s.file,
            "licence": s.licence,
            "cadence_days": s.cadence_days,
            "lists": list(s.lists),
            "freshness": fresh[s.id].to_json(),
        }
        for s in source_registry().sources
    ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        where = ", ".join(row["urls"]) or f"(not configured: set {row['url_setting']})"
        click.echo(
            f"{row['source']}: {row['title']} [{row['format']}] every {row['cadence_days']} d"
        )
        click.echo(f"    {where}")
        click.echo(f"    {row['freshness']['state']}")


@click.command()
@click.argument("sources", nargs=-1)
@click.option(
    "--from-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Load the sources from files in this directory (media carried into an air-gapped "
    "site) instead of the network; each source's file name is in `bidvet update --list`.",
)
@click.option(
    "--url",
    "urls",
    multiple=True,
    metavar="SOURCE=URL",
    help="Fetch SOURCE from URL (e.g. ftm=https://yente.example/…/entities.ftm.json).",
)
@fetch_options
@click.option(
    "--list",
    "list_only",
    is_flag=True,
    help="List the sources, each with its last fetch and whether it is overdue, and exit.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_context
def update(
    ctx: click.Context,
    sources: tuple[str, ...],
    from_dir: str | None,
    urls: tuple[str, ...],
    timeout: float,
    retries: int,
    list_only: bool,
    as_json: bool,
) -> None:
    """Fetch the official lists and load each new publication as a new snapshot.

    The only command that uses the network, and only when run. Conditional requests (ETag,
    Last-Modified) make an unchanged publication cost one request; downloads are checked
    (size limit, SHA-256, published checksum where there is one), resumed when cut, retried with
    backoff, and loaded all or nothing; older snapshots are kept. Exit code 1 when a source
    failed (the others are still updated).
    """
    if list_only:
        _list_sources(ctx, as_json)
        return
    from bidvet.monitor.fetch import FetchOptions
    from bidvet.monitor.update import update as run_update

    store = open_store(ctx)
    results = run_update(
        store,
        list(sources) or None,
        from_dir=from_dir,
        urls=overrides(urls),
        options=FetchOptions(timeout=timeout, retries=retries),
    )
    if as_json:
        emit_json([r.as_dict() for r in results])
    else:
        if not results:
            click.echo("no source to update (none configured, or none in --from-dir)")
        for r in results:
            click.echo(f"{r.source}: {r.status}: {r.message}")
    if any(r.status == "failed" for r in results):
        sys.exit(1)
