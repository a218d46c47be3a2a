"""``bidvet assess``: assess every bidder of a tender and write the report."""

from __future__ import annotations

import sys

import click

from bidvet.cli.common import open_store, write_output
from bidvet.dates import parse_as_of
from bidvet.errors import UsageError


@click.command()
@click.argument("tender", type=click.Path(dir_okay=False))
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Assess as of this date (YYYY-MM-DD). Default: today in UTC, or BIDVET_TODAY.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "md", "html", "pdf"]),
    default="json",
    show_default=True,
    help="Report format.",
)
@click.option("-o", "--output", default=None, help="Write the report to FILE (default stdout).")
@click.option(
    "--framework",
    default=None,
    help="Framework id or YAML file, instead of the one the tender names.",
)
@click.option(
    "--knowledge-anywhere",
    is_flag=True,
    help="Allow the tender's knowledge: files outside the tender's folder.",
)
@click.pass_context
def assess(
    ctx: click.Context,
    tender: str,
    as_of: str | None,
    fmt: str,
    output: str | None,
    framework: str | None,
    knowledge_anywhere: bool,
) -> None:
    """Assess every bidder of TENDER.yaml and report outcomes with findings and evidence.

    The files the tender names under `knowledge:` are loaded into the store first (a no-op when
    unchanged); the bundled reference knowledge is not: install it once with `bidvet knowledge
    install`, and a report says when it is missing. JSON (schema bidvet-assessment/1) is
    byte-identical for the same tender, framework and data snapshot.
    """
    from bidvet.assessment.engine import assess as run
    from bidvet.assessment.engine import check_inputs
    from bidvet.assessment.knowledge import load_tender_knowledge
    from bidvet.assessment.report import build_report, report_json
    from bidvet.assessment.tender import load_tender

    store = open_store(ctx)
    loaded = load_tender(tender, knowledge_anywhere=knowledge_anywhere)
    # everything that can be wrong with the inputs is found before the store is written to
    day = parse_as_of(as_of)
    lf = check_inputs(loaded, framework)
    for summary in load_tender_knowledge(store, loaded):
        if not summary.write.already_loaded:
            click.echo(f"loaded the tender's knowledge file {summary.file}", err=True)
    report = build_report(run(store, loaded, as_of=day, framework=lf))
    if fmt == "json":
        write_output(report_json(report).encode(), output)
        return
    if fmt == "pdf" and output in (None, "-") and sys.stdout.isatty():
        raise UsageError("a PDF report needs -o FILE", fix="add -o report.pdf")
    from bidvet.reports import render

    write_output(render(report, fmt), output)
