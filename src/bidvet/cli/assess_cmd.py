"""``bidvet assess``, ``bidvet questionnaire`` and ``bidvet framework check|show``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bidvet.cli.common import emit_json, open_store
from bidvet.dates import parse_as_of
from bidvet.errors import UsageError


def _write(data: bytes, output: str | None) -> None:
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(output).write_bytes(data)
        click.echo(f"wrote {output}", err=True)


@click.command()
@click.argument("tender", type=click.Path(dir_okay=False))
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Assess as of this date (YYYY-MM-DD). Default: today (BIDVET_TODAY).",
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
@click.pass_context
def assess(
    ctx: click.Context,
    tender: str,
    as_of: str | None,
    fmt: str,
    output: str | None,
    framework: str | None,
) -> None:
    """Assess every bidder of TENDER.yaml and report outcomes with findings and evidence.

    The files the tender names under `knowledge:` are loaded into the store first (a no-op when
    unchanged); the bundled reference knowledge is not: install it once with `bidvet knowledge
    install`, and a report says when it is missing. JSON (schema bidvet-assessment/1) is
    byte-identical for the same tender, framework and data snapshot.
    """
    from bidvet.assessment.engine import assess as run
    from bidvet.assessment.knowledge import load_tender_knowledge
    from bidvet.assessment.report import build_report, report_json
    from bidvet.assessment.tender import load_tender

    store = open_store(ctx)
    loaded = load_tender(tender)
    for summary in load_tender_knowledge(store, loaded):
        if not summary.write.already_loaded:
            click.echo(f"loaded the tender's knowledge file {summary.file}", err=True)
    report = build_report(run(store, loaded, as_of=parse_as_of(as_of), framework=framework))
    if fmt == "json":
        _write(report_json(report).encode(), output)
        return
    if fmt == "pdf" and output in (None, "-") and sys.stdout.isatty():
        raise UsageError("a PDF report needs -o FILE", fix="add -o report.pdf")
    from bidvet.reports import render

    _write(render(report, fmt), output)


@click.command()
@click.argument("tender", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True
)
@click.option("-o", "--output", default=None, help="Write to FILE (default stdout).")
def questionnaire(tender: str, fmt: str, output: str | None) -> None:
    """Questions every bidder of TENDER.yaml must answer about its equipment's data."""
    from bidvet.assessment.questionnaire import build_questionnaire, render_questionnaire

    _write(render_questionnaire(build_questionnaire(tender), fmt), output)


@click.group()
def framework() -> None:
    """Validate and document assessment frameworks."""


@framework.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(file: str, as_json: bool) -> None:
    """Validate a framework FILE: shape, evaluators, parameters and cross-references."""
    from bidvet.framework.loader import load_framework

    lf = load_framework(file)
    if as_json:
        emit_json({**lf.to_json(), "ok": True, "criteria": len(lf.framework.criteria)})
        return
    click.echo(
        f"ok: {lf.framework.id} version {lf.framework.version}, "
        f"{len(lf.framework.criteria)} criteria, {len(lf.framework.outcome.rules)} "
        f"outcome rules (sha256 {lf.sha256[:12]})"
    )


@framework.command("show")
@click.argument("name", required=False, default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the documentation as JSON.")
def show(name: str | None, as_json: bool) -> None:
    """Document every criterion of a framework (bundled id or YAML file; default the bundled
    sensitive-procurement-v1)."""
    from bidvet.framework.docs import describe, describe_markdown
    from bidvet.framework.loader import DEFAULT_FRAMEWORK, framework_path, load_framework

    lf = load_framework(framework_path(name or DEFAULT_FRAMEWORK))
    if as_json:
        emit_json(describe(lf))
    else:
        click.echo(describe_markdown(lf), nl=False)
