"""``bidvet knowledge install``: the bundled, cited reference knowledge, loaded on request."""

from __future__ import annotations

import click

from bidvet.cli.common import emit_json, open_store


@click.group()
def knowledge() -> None:
    """The reference knowledge bundled with bidvet (cited facts about real companies)."""


@knowledge.command()
@click.option("--json", "as_json", is_flag=True, help="Print the load summaries as JSON.")
@click.pass_context
def install(ctx: click.Context, as_json: bool) -> None:
    """Load the bundled reference knowledge into the store.

    Assessments never load it themselves; a report says when it is missing. Installing again
    changes nothing when the files are unchanged.
    """
    from bidvet.assessment.knowledge import install_reference
    from bidvet.resolution.judgements import install_reference_judgements

    store = open_store(ctx)
    summaries = install_reference(store)
    # the reference judgements link curated records to list entries: rows whose list entry is
    # not loaded yet are skipped (install again after loading the list)
    judged = install_reference_judgements(store)
    if as_json:
        emit_json([s.as_dict() for s in summaries] + [j.as_dict() for j in judged])
        return
    for s in summaries:
        state = "already installed" if s.write.already_loaded else "installed"
        click.echo(f"{s.file}: {state}: {s.imported} records ({s.dataset})")
    for j in judged:
        click.echo(f"{j.file}: {j.written} judgement(s) recorded")
        for skip in j.skipped:
            click.echo(f"  skipped {skip} (load that list, then install again)")
