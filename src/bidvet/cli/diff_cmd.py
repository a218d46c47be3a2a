"""``bidvet diff``: list entries, ownership edges and events changed between two snapshots."""

from __future__ import annotations

from typing import Any

import click

from bidvet.cli.common import emit_json, open_store


def _fmt(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return "none" if value is None else str(value)


def _print(result: Any) -> None:
    start = result.from_snapshot.label() if result.from_snapshot else "nothing"
    click.echo(f"{result.dataset}: {start} -> {result.to_snapshot.label()}")
    for note in result.notes:
        click.echo(f"  note: {note}")
    if not result.lists:
        click.echo("  no list entry changed")
    for ld in result.lists:
        counts = f"{len(ld.added)} added, {len(ld.removed)} removed, {len(ld.changed)} changed"
        if ld.not_in_newer:
            counts += f", {len(ld.not_in_newer)} not in the newer file (removal unknown)"
        click.echo(f"{ld.list_id} ({ld.list_name}): {counts}")
        for e in ld.added:
            click.echo(f"  + {e.name} [{e.entity_id}] {_fmt(e.programs)}")
        for e in ld.removed:
            click.echo(f"  - {e.name} [{e.entity_id}] {_fmt(e.programs)}")
        for e in ld.not_in_newer:
            click.echo(f"  ? {e.name} [{e.entity_id}] {_fmt(e.programs)}")
        for c in ld.changed:
            parts = []
            for ch in c.changes:
                label = ch.field + (f" ({ch.program})" if ch.program else "")
                if ch.field == "names":
                    parts.append(f"new names: {_fmt(ch.after)}")
                else:
                    parts.append(f"{label}: {_fmt(ch.before)} -> {_fmt(ch.after)}")
            click.echo(f"  ~ {c.name} [{c.entity_id}]: " + "; ".join(parts))
    for keyed in (result.ownership, result.events):
        if keyed is None:
            continue
        gone = keyed.not_carried_by_newer
        gone_text = "unknown" if gone is None else str(len(gone))
        click.echo(
            f"{keyed.kind}: {len(keyed.carried_by_newer)} carried by the newer snapshot, "
            f"{gone_text} last seen in the older one only"
        )
        for row in gone or []:
            click.echo(f"  - {row['key']}")
        click.echo(f"  note: {keyed.note}")


@click.command()
@click.argument("dataset")
@click.option("--from", "from_snapshot", type=int, default=None, help="Older snapshot id.")
@click.option("--to", "to_snapshot", type=int, default=None, help="Newer snapshot id.")
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@click.pass_context
def diff(
    ctx: click.Context,
    dataset: str,
    from_snapshot: int | None,
    to_snapshot: int | None,
    as_json: bool,
) -> None:
    """Entries added, removed and changed between two snapshots of DATASET, per list.

    Default: the last two snapshots by publication date (`bidvet status` lists snapshots and
    their ids). Changes are programmes, published dates, reasons and new names. For a dataset
    not published as complete lists (the CSL, FtM exports) an entry missing from the newer file
    is shown as such, not as removed. Ownership edges and events are compared as far as the store
    can tell, and the output says how far that is.
    """
    from bidvet.monitor.diff import diff_dataset

    store = open_store(ctx)
    result = diff_dataset(store, dataset, from_snapshot, to_snapshot)
    if as_json:
        emit_json(result.as_dict())
    else:
        _print(result)
