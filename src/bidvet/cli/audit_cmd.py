"""``bidvet audit``: the workspace's hash-chained audit log."""

from __future__ import annotations

import click

from bidvet.cli.common import emit_json, open_store
from bidvet.errors import BidvetError


class AuditBrokenError(BidvetError):
    """The audit chain does not verify."""


@click.group()
def audit() -> None:
    """The tamper-evident audit log of the workspace."""


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def verify(ctx: click.Context, as_json: bool) -> None:
    """Recompute the hash chain; name the first entry altered, removed or inserted.

    Exit code 1 when the chain is broken. Record the printed head hash elsewhere: a later
    verify that ends on another head after the same number of entries shows a rewrite.
    """
    from bidvet.store.audit import verify as run

    with open_store(ctx).read() as conn:
        result = run(conn)
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo(f"{result.message}; head {result.head}")
    if not result.ok:
        raise AuditBrokenError(
            f"audit log: {result.message}", fix="compare with a backup to see what was changed"
        )
