"""``bidvet profile``: the data-risk profile of one item description."""

from __future__ import annotations

import sys

import click

from bidvet.cli.common import emit_json
from bidvet.errors import ConfigError, UsageError
from bidvet.technology.profile import profile_item
from bidvet.technology.questionnaire import questions_for


@click.command()
@click.argument("description")
@click.option(
    "--code",
    "codes",
    multiple=True,
    help="UNSPSC or CPV code, e.g. CPV:38581000 or UNSPSC:46171610 (repeatable).",
)
@click.option(
    "--site",
    default=None,
    help="Site type: diplomatic-mission, border-crossing, airport, seaport, prison, court, "
    "critical-infrastructure, major-event, office (aliases such as embassy accepted).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the profile as JSON.")
def profile(description: str, codes: tuple[str, ...], site: str | None, as_json: bool) -> None:
    """Data-risk tier of an item from its DESCRIPTION ("-" reads it from stdin).

    Shows the features found (with the words or code behind each and a confidence), the exposure
    channels that drive the tier, the controls that would lower it and the bidder questions it
    calls for. An empty or unrecognisable description gives insufficient-information.
    """
    if description == "-":
        description = sys.stdin.read()
    try:
        result = profile_item(description, codes=codes, site=site)
    except ConfigError as exc:
        if site and "site type" in exc.message:
            raise UsageError(f"--site: unknown site type {site!r}", fix=exc.fix) from None
        raise
    data = result.to_json()
    data["questions"] = [q.to_json() for q in questions_for(result)]
    if as_json:
        emit_json(data)
        return
    click.echo(f"tier: {result.tier} (score {result.score:.2f}, site {result.site or '-'})")
    for feat in result.features:
        how = f"implied by {feat.implied_by}" if feat.implied_by else repr(feat.evidence)
        click.echo(f"  {feat.feature:32} {feat.confidence:.2f}  {how}")
    for channel in result.channels:
        click.echo(
            f"channel {channel.channel}: {channel.score:.2f} ({', '.join(channel.features)})"
        )
    for ctl in result.controls_in_place:
        click.echo(f"in place: {ctl.control} ({ctl.evidence!r})")
    for advice in result.controls:
        click.echo(f"would lower: {advice.control} — {advice.label}")
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
