"""``bidvet serve``: run the case workspace with uvicorn."""

from __future__ import annotations

import click

from bidvet.cli.common import open_store


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (use PostgreSQL for more than one on a team server).",
)
@click.option(
    "--secure-cookies/--no-secure-cookies",
    default=None,
    help="Mark cookies Secure always / never. Default: when the request came by https "
    "(behind a TLS proxy on this host, X-Forwarded-Proto is honoured).",
)
@click.pass_context
def serve(
    ctx: click.Context, host: str, port: int, workers: int, secure_cookies: bool | None
) -> None:
    """Serve the case workspace (accounts, cases, review, four-eyes sign-off, audit log).

    Create the first account with `bidvet users add NAME --role admin`. Every page needs a
    login; over plain http (local use) cookies are sent without the Secure flag.
    """
    import os

    import uvicorn

    store = open_store(ctx)  # migrates the store once, before the workers start
    os.environ["BIDVET_DB"] = store.url
    if secure_cookies is not None:
        os.environ["BIDVET_WEB_SECURE_COOKIES"] = "1" if secure_cookies else "0"
    store.dispose()
    click.echo(f"bidvet workspace on http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    uvicorn.run(
        "bidvet.web.asgi:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        log_level="warning",
    )
