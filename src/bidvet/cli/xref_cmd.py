"""``bidvet xref``: candidate pairs of records across datasets, with their evidence."""

from __future__ import annotations

import click

from bidvet.cli.common import emit_json, open_store


@click.command()
@click.option(
    "--dataset",
    "datasets",
    multiple=True,
    help="Dataset to cross-reference (repeat: the first against the others). Default: every "
    "dataset against every other.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Candidate pairs shown at most, best first.",
)
@click.option(
    "--no-link",
    is_flag=True,
    help="Report identifier agreements without recording them as judgements.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes matching the names (default: the cores this process may use, at most 8). "
    "The result is the same with any number.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def xref(
    ctx: click.Context,
    datasets: tuple[str, ...],
    limit: int,
    no_link: bool,
    workers: int | None,
    as_json: bool,
) -> None:
    """Propose pairs of records of different datasets that may be one legal person.

    Each pair comes with its score and evidence: the names and the name score with its
    explanation, identifiers that agree or disagree, countries that agree or disagree. Pairs
    already judged are not proposed again. Records sharing a strong identifier (LEI, USCC, or a
    registry number with a shared country and no registry or tax number disagreeing) are linked
    automatically: the link is recorded as a positive judgement with source `identifier` and
    reported as such. A tax number that agrees is evidence, not a link. Judge the others with
    `bidvet resolve judge`, or export, fill in and import them with `bidvet resolve`.
    """
    from bidvet.resolution.xref import xref as run_xref

    store = open_store(ctx)
    result = run_xref(store, datasets, link=not no_link, workers=workers)
    shown = result.proposals[:limit]
    if as_json:
        emit_json(
            {
                "datasets": list(datasets),
                "left_records": result.left_records,
                "right_records": result.right_records,
                "linked": [p.to_json() for p in result.links],
                "links_recorded": not no_link,
                "proposals": [p.to_json() for p in shown],
                "proposals_total": len(result.proposals),
            }
        )
        return
    verb = "linked" if not no_link else "would link"
    for p in result.links:
        click.echo(
            f"{verb} on identifier: {p.left.entity_id} {p.left_name!r} = {p.right.entity_id} "
            f"{p.right_name!r} ({'; '.join(p.identifiers_agree)})"
        )
    for p in shown:
        ids = (
            "; ".join(
                [
                    *(f"agree {x}" for x in p.identifiers_agree),
                    *(f"disagree {x}" for x in p.identifiers_disagree),
                ]
            )
            or "none shared"
        )
        countries = (
            ", ".join(p.countries_agree)
            if p.countries_agree
            else ("disagree" if p.countries_disagree else "not comparable")
        )
        click.echo(
            f"{p.score:.2f} {p.left.entity_id} [{p.left.dataset}] {p.left_name!r} ~ "
            f"{p.right.entity_id} [{p.right.dataset}] {p.right_name!r}"
        )
        click.echo(
            f"     name score {p.name_score:.2f}; identifiers: {ids}; countries: {countries}"
        )
    click.echo(
        f"{len(result.links)} identifier link(s), {len(result.proposals)} candidate pair(s)"
        + (f", {len(shown)} shown" if len(shown) < len(result.proposals) else ""),
        err=True,
    )
