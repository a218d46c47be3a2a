"""``bidvet compare``: score two names, or a CSV of pairs, with the explanation."""

from __future__ import annotations

import click

from bidvet.cli.common import batch_options, emit_json, emit_jsonl, open_in, open_out
from bidvet.errors import UsageError


@click.command()
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option(
    "--person",
    is_flag=True,
    help="Compare as people's names, as screening compares a query with a listed person: "
    "both in one spelling of their Cyrillic transliterations (Aleksey / Alexey).",
)
@batch_options("CSV with columns name1,name2")
def compare(
    names: tuple[str, ...], as_json: bool, person: bool, input_path: str | None, output_path: str
) -> None:
    """Compare two names (A B) or a CSV of pairs: score, match decision and explanation.

    A person's patronymic (Dmitriy Andreevich ARTYUKHOV) is read as such with or without
    --person; two that differ hold the pair below the threshold."""
    from bidvet.screening.batch import compare_pairs, read_pairs
    from bidvet.screening.score import compare_names

    if input_path is None:
        if len(names) != 2:
            raise UsageError("give two names A B, or --input pairs.csv", fix="see --help")
        result = compare_names(names[0], names[1], person=person)
        if as_json:
            emit_json(result.to_json())
            return
        verdict = "MATCH" if result.match else "no match"
        click.echo(f"{result.score:.2f} {verdict}")
        for line in result.explanation:
            click.echo(f"  - {line}")
        return
    if names:
        raise UsageError("give either two names or --input, not both", fix="see --help")
    with open_in(input_path) as fin, open_out(output_path) as fout:
        for record in compare_pairs(read_pairs(fin, input_path), person=person):
            emit_jsonl(fout, record)
