"""``bidvet screen``: a name, or a CSV of names, against the lists."""

from __future__ import annotations

from typing import Any

import click

from bidvet.cli.common import batch_options, emit_json, emit_jsonl, open_in, open_out, open_store
from bidvet.dates import parse_as_of
from bidvet.errors import NotFoundError, UsageError


def _since(item: dict[str, Any]) -> str:
    """When a listing counts from: its start date; for a list that publishes none, the
    publication bidvet first saw it in; else it counts on every date (bidvet.store.validity)."""
    if item.get("start_date"):
        return f" since {item['start_date']}"
    if item.get("first_seen"):
        return f" since {item['first_seen']} (no start date: first seen in that publication)"
    if item.get("inherited"):
        return ""
    return " (no start date or publication date: counted on every date)"


def _named(item: dict[str, Any], record: str | None = None) -> str:
    """A listing's list and programme: ``us-ofac-ns-cmic CMIC-EO13959``; with ``record`` (the
    result is a cluster of several records), which record and dataset it is on:
    ``us-ofac-nonsdn UKRAINE-EO13662 (record ofac-19686 of us-ofac-consolidated)``."""
    named = f"{item['list_id']} {item['program']}" if item.get("program") else item["list_id"]
    if record is None or item.get("inherited"):
        return named
    of = f" of {item['dataset']}" if item.get("dataset") else ""
    return f"{named} (record {item.get('member_id', record)}{of})"


def _record(match: Any) -> str | None:
    """The result's own record when it stands for a cluster of several records (whose
    listings must then say which record they are on), else ``None``."""
    return match.entity_id if len(getattr(match, "members", ())) > 1 else None


def _describe_lists(lists: list[dict[str, Any]], record: str | None = None) -> str:
    parts = []
    for item in lists:
        since = _since(item)
        via = ""
        if item.get("inherited"):
            share = item.get("aggregate_share")
            held = f" holding {share:.0%}" if isinstance(share, float) else ""
            flag = "" if item.get("rule_in_force", True) else ", rule not in force: risk flag"
            via = f" (inherited under {item['regime']} via {item.get('owner_name')}{held}{flag})"
        parts.append(f"{_named(item, record)}{since}{via}")
    return "; ".join(parts) if parts else "no active listing"


@click.command()
@click.argument("name", required=False)
@click.option("--country", help="ISO country code of the bidder (two letters), e.g. CN.")
@click.option(
    "--identifier",
    "identifiers",
    multiple=True,
    help="An identifier of the bidder (LEI, USCC, registry number); matches exactly and "
    "dominates the names. Repeatable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@batch_options("CSV with columns id,name (optional country)")
@click.option(
    "--as-of", "as_of", help="Listings active on this date (YYYY-MM-DD). Default: today in UTC."
)
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50))
@click.pass_context
def screen(
    ctx: click.Context,
    name: str | None,
    country: str | None,
    identifiers: tuple[str, ...],
    as_json: bool,
    input_path: str | None,
    output_path: str,
    as_of: str | None,
    limit: int,
) -> None:
    """Screen NAME (or a CSV of names) against every list in the knowledge store.

    Shows the best matches, best first: score in [0, 1], the match decision at the default
    threshold (0.70, set in bidvet/screening/screening.yaml), the entity's listings active on
    the as-of date with program and dates, and the explanation. The first screen after a load
    builds the screening index (cached next to the store).
    """
    from bidvet.resolution.clusters import (
        group_matches,
        group_matches_many,
        not_in_force,
        not_in_force_many,
    )
    from bidvet.screening.engine import Screener, near_floor, near_names

    if (name is None) == (input_path is None):
        raise UsageError("give either NAME or --input FILE.csv", fix="see bidvet screen --help")
    store = open_store(ctx)
    screener = Screener(store, as_of=parse_as_of(as_of))
    if not screener.matcher.catalog.entities:
        raise NotFoundError(
            f"the knowledge store {store!r} holds no entities to screen against",
            fix="load lists first, e.g. bidvet load ../shared/data/official-lists-2024/sdn.xml",
        )
    if name is not None:
        matches = screener.screen(name, country=country, identifiers=identifiers, limit=limit)
        # one result per resolution cluster, with the listings of all its records
        matches = group_matches(store, matches, screener.as_of)
        later = not_in_force(store, matches, screener.as_of)
        if as_json:
            emit_json(
                {
                    "name": name,
                    "country": country,
                    "as_of": screener.as_of.isoformat(),
                    "algorithm": screener.algorithm,
                    "matches": [
                        {**m.to_json(), "not_in_force": later[m.entity_id]} for m in matches
                    ],
                    "near_names": near_names(matches),
                    "notes": screener.query_notes(name),
                }
            )
            return
        for note in screener.query_notes(name):
            click.echo(f"{name}: {note}")
        if not matches:
            cat = screener.matcher.catalog
            click.echo(
                f"{name}: no match and no near name (none scored {near_floor(screener.policy):.2f}"
                f" or more) among {len(cat):,} names of {len(cat.entities):,} entities in the store"
            )
        elif not any(m.match for m in matches):
            near = ", ".join(f"{n['name']} ({n['score']:.2f})" for n in near_names(matches))
            click.echo(f"{name}: no match; near names below the threshold: {near}")
        for m in matches:
            verdict = "MATCH" if m.match else "no match"
            mark = " (FICTIONAL test/example data)" if m.fictional else ""
            click.echo(f"{m.score:.2f} {verdict:8s} {m.name} [{m.entity_id}]{mark}")
            own = _record(m)
            click.echo(f"     lists: {_describe_lists(m.lists, own)}")
            if later[m.entity_id]:
                other = "; ".join(f"{_named(x, own)}: {x['why']}" for x in later[m.entity_id])
                click.echo(f"     not in force on {screener.as_of.isoformat()}: {other}")
            click.echo(f"     why: {'; '.join(m.explanation)}")
        return
    assert input_path is not None
    from rich.progress import Progress

    from bidvet.screening.batch import batch_record, read_queries, screen_chunks

    with open_in(input_path) as fin:
        queries = list(read_queries(fin, input_path))
    with (
        open_out(output_path) as fout,
        Progress(console=_stderr_console(), transient=True) as bar,
    ):
        task = bar.add_task("screening", total=len(queries))
        # per chunk, one result per cluster with the listings of every member (whether or not
        # its own name matched) and the listings not in force, as a single screen shows them
        for chunk, results in screen_chunks(screener, queries, limit=limit):
            grouped = group_matches_many(store, results, screener.as_of)
            held_back = not_in_force_many(store, grouped, screener.as_of)
            for q, found, held in zip(chunk, grouped, held_back, strict=True):
                emit_jsonl(fout, batch_record(q, found, screener.algorithm, held))
            bar.advance(task, len(chunk))


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)
