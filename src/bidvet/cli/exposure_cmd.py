"""``bidvet exposure``: scan contract history for sensitive items bought from risky suppliers."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bidvet.cli.common import open_store
from bidvet.dates import parse_as_of
from bidvet.errors import UsageError
from bidvet.exposure.scan import scan_store
from bidvet.reports.exposure import render
from bidvet.sources.loader import load_file, parse_file
from bidvet.store.db import Store


def _ocids_of(store: Store, path: str) -> list[str]:
    """Load ``path`` (a no-op when already loaded) and return the ocids it holds."""
    summary = load_file(store, path)
    if "contracts" not in summary.extra:
        raise UsageError(
            f"{path} holds no contract data (format {summary.format})",
            fix="give OCDS or contract-register CSV files, or - for the whole store",
        )
    snapshot = summary.write.snapshot_id
    with store.view() as view:
        ocids = view.ocids_of_snapshot(snapshot) if snapshot is not None else []
    if len(ocids) != summary.imported:  # a later file re-published some of these processes
        _, batch = parse_file(path)
        ocids = [p.ocid for p in batch.contracts]
    return ocids


@click.command()
@click.argument("contracts", nargs=-1, required=True)
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Judge lists and owners as of this date (YYYY-MM-DD). Default: today in UTC.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON (same as --format json).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "html", "md", "csv"]),
    default=None,
    help="Output format (default md; html includes charts).",
)
@click.option("-o", "--output", default="-", help="Write here instead of stdout.")
@click.pass_context
def exposure(
    ctx: click.Context,
    contracts: tuple[str, ...],
    as_of: str | None,
    as_json: bool,
    fmt: str | None,
    output: str,
) -> None:
    """Scan past contracts: sensitive items from listed, state-linked or legally exposed
    suppliers, with totals, who maintains what, and whether the risk existed at award.

    CONTRACTS are OCDS or contract-register CSV files (loaded first unless already loaded), or
    `-` for every contract in the store.
    """
    if as_json and fmt not in (None, "json"):
        raise UsageError("--json and --format disagree", fix="give one of them")
    fmt = "json" if as_json else (fmt or "md")
    date = parse_as_of(as_of)
    store = open_store(ctx)
    if "-" in contracts:
        if len(contracts) > 1:
            raise UsageError("`-` means the whole store", fix="give `-` alone, or files")
        ocids: list[str] | None = None
    else:
        ocids = []
        for path in contracts:
            ocids.extend(_ocids_of(store, path))
    result = scan_store(store, ocids=ocids, as_of=date)
    text = render(result.to_json(), fmt)
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
