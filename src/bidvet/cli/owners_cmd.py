"""``bidvet owners``: who stands behind an entity, and which listings reach it through owners."""

from __future__ import annotations

import click

from bidvet.cli.common import emit_json, open_store
from bidvet.dates import parse_as_of
from bidvet.ownership.report import OwnersReport
from bidvet.ownership.report import owners as owners_report


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{value * 100:.4g} %"


def _span(tie: dict[str, str | None]) -> str:
    start, end = tie["start_date"], tie["end_date"]
    if start and end:
        return f"{start} to {end}"
    if start or end:
        return f"since {start}" if start else f"until {end}"
    return "dates not published"


def _text(report: OwnersReport) -> str:
    data = report.to_json()
    made_up = " — FICTIONAL test/example data" if data["fictional"] else ""
    lines = [f"{data['name']} ({data['entity_id']}) as of {data['as_of']}{made_up}", "", "Owners:"]
    if not data["owners"]:
        lines.append("  none recorded")
    for o in data["owners"]:
        share = _pct(o["effective_share"])
        if o["effective_share"] is None:
            share = f"{_pct(o['min_share'])}–{_pct(o['max_share'])}"
        mark = " [fictional]" if o["fictional"] else ""
        lines.append(f"  {o['name']} ({o['id']}){mark}: {share} via {' → '.join(o['path'])}")
    lines += ["", "People tied to it (not owners):"]
    if not data["people"]:
        lines.append("  none recorded")
    for p in data["people"]:
        mark = " [fictional]" if p["fictional"] else ""
        role = f"{p['kind']}: {p['role']}" if p["role"] else p["kind"]
        held = "" if p["direction"] == "at-entity" else ", held by the entity"
        lines.append(f"  {p['name']} ({p['id']}){mark}: {role}{held}, {_span(p)}")
    listed = [o for o in data["owners"] if o["listed"]]
    lines += ["", "Listed owners (any share):"]
    if not listed:
        lines.append("  none")
    for o in listed:
        share = _pct(o["effective_share"]) if o["effective_share"] is not None else "share unknown"
        lines.append(f"  {o['name']} ({o['id']}), {share}: on {', '.join(o['lists'])}")
    for u in data["unknown_owners"]:
        lines.append(f"  declared unknown owner: {u['reason']}")
    lines += ["", "Listed status through owners:"]
    for regime, st in data["status"].items():
        share = _pct(st["aggregate_listed_share"])
        via = f" ({', '.join(st['via'])})" if st["via"] else ""
        parts = []
        if st["direct"]:
            parts.append("itself on a list this rule counts")
        if st["inherited"]:
            force = "" if st["rule_in_force"] else " (rule not in force on this date: risk flag)"
            parts.append(f"LISTED through owners holding {share}{via}{force}")
        elif st["via"]:
            parts.append(f"listed owners hold {share}{via}, not enough")
        lines.append(f"  {regime}: {'; '.join(parts) or 'no owner on a list this rule counts'}")
    lines += ["", f"State-linked: {'yes' if data['state_linked'] else 'no'}"]
    lines += [f"  {' → '.join(p)}" for p in data["state_link_paths"]]
    lines.append("Ultimate controllers:")
    if not data["ultimate_controllers"]:
        lines.append("  none recorded")
    for c in data["ultimate_controllers"]:
        cycle = " (in a cycle)" if c["in_cycle"] else ""
        lines.append(f"  {c['name']} ({c['id']}){cycle}: {' → '.join(c['path'])}")
    if data["cycles"]:
        lines.append(f"Ownership cycles met: {len(data['cycles'])}")
    return "\n".join(lines)


@click.command()
@click.argument("entity_id")
@click.option(
    "--as-of", "as_of", default=None, help="Date to evaluate (YYYY-MM-DD); default today in UTC."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def owners(ctx: click.Context, entity_id: str, as_of: str | None, as_json: bool) -> None:
    """Upstream owners of ENTITY_ID with effective share and path, and per-rule listed status.

    Status is given under the US OFAC 50 % rule, the EU and UK ownership-and-control tests and
    the BIS affiliates rule (with whether each rule is in force on the date). People tied to the
    entity (directors, executives, representatives, family, associates) are shown beside the
    owners with their role and dates; they are not owners. Edges, ties and listings outside
    their dates, or stated only by a source published later, are ignored.
    """
    day = parse_as_of(as_of)
    report = owners_report(open_store(ctx), entity_id, day)
    if as_json:
        emit_json(report.to_json())
    else:
        click.echo(_text(report))
