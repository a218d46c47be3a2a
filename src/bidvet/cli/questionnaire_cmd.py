"""``bidvet questionnaire``: the questions every bidder of a tender must answer."""

from __future__ import annotations

import click

from bidvet.cli.common import write_output


@click.command()
@click.argument("tender", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json", "yaml", "csv"]),
    default="md",
    show_default=True,
    help="md, html or json to read; yaml or csv: a fillable answer form for "
    "`bidvet answers import`.",
)
@click.option("-o", "--output", default=None, help="Write to FILE (default stdout).")
def questionnaire(tender: str, fmt: str, output: str | None) -> None:
    """Questions every bidder of TENDER.yaml must answer about its equipment's data.

    Questions are listed by their D-ids (D1.1 …) with the answers each accepts: yes/no, one of
    listed options, or free text, plus evidence and attachments. Only yes/no and listed answers
    can lower a risk; free text is quoted and read by a person.
    """
    from bidvet.assessment.questionnaire import build_questionnaire, render_questionnaire

    write_output(render_questionnaire(build_questionnaire(tender), fmt), output)
