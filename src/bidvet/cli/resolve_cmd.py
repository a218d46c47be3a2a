"""``bidvet resolve``: record, export and import judgements of whether two records are one
legal person."""

from __future__ import annotations

import click

from bidvet.cli.common import emit_json, open_out, open_store


@click.group()
def resolve() -> None:
    """Judgements of whether two records are the same legal person (entity resolution).

    Positive judgements join records into clusters: the listings and owners of every member
    count for the cluster in screening, ownership and assessment. CSV columns: left_id,
    right_id, judgement (positive|negative|unsure), reason, and optionally by, at (ISO date),
    source (user|identifier|file), cite_title, cite_url, cite_published.
    """


@resolve.command()
@click.argument("left")
@click.argument("right")
@click.argument("judgement", type=click.Choice(["positive", "negative", "unsure"]))
@click.option("--reason", required=True, help="Why (the evidence a reviewer can check).")
@click.option("--by", "by", default="user", show_default=True, help="Who judges.")
@click.option("--json", "as_json", is_flag=True, help="Print the recorded judgement as JSON.")
@click.pass_context
def judge(
    ctx: click.Context, left: str, right: str, judgement: str, reason: str, by: str, as_json: bool
) -> None:
    """Record that LEFT and RIGHT (entity ids) are, are not, or may be one legal person."""
    from bidvet.resolution.judgements import judge as record_judgement

    j = record_judgement(open_store(ctx), left, right, judgement, reason=reason, by=by)
    if as_json:
        emit_json(j.to_json())
        return
    click.echo(f"{j.left_id} ~ {j.right_id}: {j.judgement} (by {j.by}): {j.reason}")


@resolve.command("export")
@click.argument("output", type=click.Path(dir_okay=False, allow_dash=True))
@click.pass_context
def export_cmd(ctx: click.Context, output: str) -> None:
    """Write every judgement to OUTPUT as CSV (`-` for stdout)."""
    from bidvet.resolution.judgements import write_csv

    store = open_store(ctx)
    with store.view() as view:
        judgements = view.judgements()
    with open_out(output) as fh:
        n = write_csv(fh, judgements)
    click.echo(f"{n} judgement(s) written to {output}", err=True)


@resolve.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the import summary as JSON.")
@click.pass_context
def import_cmd(ctx: click.Context, file: str, as_json: bool) -> None:
    """Read judgements from a CSV FILE; every row is checked first, and a bad row (an unknown
    entity id, judgement or date) stops the import with nothing written."""
    from bidvet.resolution.judgements import import_judgements

    result = import_judgements(open_store(ctx), file)
    if as_json:
        emit_json(result.as_dict())
        return
    click.echo(f"{file}: {result.written} judgement(s) recorded")
