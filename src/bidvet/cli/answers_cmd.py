"""``bidvet answers``: bidders' structured questionnaire answers."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from bidvet.cli.common import emit_json


@click.group()
def answers() -> None:
    """Bidders' structured answers to the questionnaire (`bidvet: answers/1`)."""


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@answers.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--tender", "tender", required=True, type=click.Path(dir_okay=False), help="TENDER.yaml."
)
@click.option("-o", "--output", default=None, help="Write the normalised YAML answer file to OUT.")
@click.option("--check", is_flag=True, help="Only validate; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
def import_(file: str, tender: str, output: str | None, check: bool, as_json: bool) -> None:
    """Check a filled answer form FILE (YAML or CSV) against TENDER and write it normalised.

    Every problem is named with the file, line or row, bidder and question: an unknown
    question id, an answer not among the allowed ones, a bidder not in the tender, a question
    answered twice, a required question left blank. Nothing is written when there is one.
    Without -o the normalised YAML goes to stdout. Put it next to the tender and name it
    there as `answers_file: FILE`.
    """
    from bidvet.assessment.questionnaire import import_answers

    result = import_answers(file, tender)
    problems = result.checked.problems
    if as_json:
        emit_json(result.summary())
    if problems:
        # every problem, one line each, so that one round of corrections can fix them all
        for p in problems:
            click.echo(f"bidvet: error: {p.error().render()}", err=True)
        sys.exit(1)
    answered = sum(len(a) for a in result.checked.answers.values())
    for issue in result.log.issues:
        click.echo(f"{file}: {issue.record}: {issue.action}: {issue.reason}", err=True)
    click.echo(
        f"{file}: {answered} answers from {len(result.checked.answers)} bidder(s) are valid",
        err=True,
    )
    if check:
        return
    if output in (None, "-"):
        if not as_json:
            click.echo(result.text, nl=False)
        return
    out = Path(output)
    _write_atomically(out, result.text)
    folder = Path(tender).resolve().parent
    target = out.resolve()
    if target.is_relative_to(folder):
        click.echo(
            f"wrote {output}; name it in the tender as `answers_file: "
            f"{target.relative_to(folder).as_posix()}`",
            err=True,
        )
    else:
        click.echo(
            f"wrote {output}; a tender names answer files inside its own folder: copy it "
            f"next to {tender}",
            err=True,
        )
