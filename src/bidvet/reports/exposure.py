"""Rendering an exposure scan: JSON, CSV (one row per exposure), Markdown and HTML.

All renderers take the scan's JSON form (:meth:`bidvet.exposure.scan.ExposureResult.to_json`),
so every format shows the same facts; the same scan gives byte-identical output. JSON is
canonical (:func:`bidvet.jsonout.canonical`); Markdown escapes values as the assessment report
does (:func:`bidvet.reports.templating.md_escape`); HTML renders ``templates/exposure.html.j2``
in the shared HTML environment and carries two charts from :mod:`bidvet.reports.charts`: spend
per year by risk, and the top risky suppliers by spend.

The year chart has one point per calendar year from the first to the last year with a dated
contract; a year with no contract in a bucket is drawn as zero, not left out. Its legend says what
each colour means (:data:`BUCKETS`), and the number of contracts behind each year is printed
under the year. Contracts the chart cannot place (no date, no value, another currency) are
counted in a note next to it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from markupsafe import escape

from bidvet.jsonout import canonical
from bidvet.reports.charts import bar_chart, line_chart
from bidvet.reports.templating import html_environment, md_escape

FORMATS = ("json", "csv", "md", "html")
#: the scan's year buckets, in drawing order, and what each means
BUCKETS: Mapping[str, str] = MappingProxyType(
    {
        "risky": "sensitive item from a supplier found risky (an exposure)",
        "sensitive": "sensitive item, no supplier found risky",
        "other": "no sensitive item",
    }
)
BUCKET_COLOURS: Mapping[str, str] = MappingProxyType(
    {"risky": "#b3261e", "sensitive": "#d98e04", "other": "#2f4a73"}
)
#: the key the scan uses for contracts that carry no value
NO_VALUE = "none"
CSV_COLUMNS = (
    "ocid",
    "contract_id",
    "buyer",
    "supplier",
    "supplier_entity_ids",
    "award_date",
    "amount",
    "currency",
    "items",
    "tiers",
    "reasons",
    "timing",
    "maintenance",
)


def money(amount: float | None, currency: str | None) -> str:
    if amount is None:
        return "—"
    return f"{amount:,.0f} {currency or ''}".strip()


def to_json_text(data: Mapping[str, Any]) -> str:
    """The scan as canonical JSON text (sorted keys, two-space indent, final newline)."""
    return canonical(data)


def to_csv(data: Mapping[str, Any]) -> str:
    """One row per exposure (review rows follow, marked ``timing`` as for exposures)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, "kind"])
    for kind in ("exposures", "review"):
        for e in data[kind]:
            writer.writerow(
                [
                    e["ocid"],
                    e["contract_id"],
                    e["buyer"] or "",
                    e["supplier"],
                    ";".join(e["supplier_entity_ids"]),
                    e["award_date"] or "",
                    "" if e["amount"] is None else f"{e['amount']:.2f}",
                    e["currency"] or "",
                    " | ".join(i["description"] for i in e["items"]),
                    " | ".join(i["tier"] for i in e["items"]),
                    " | ".join(f"{r['kind']}: {r['detail']} ({r['timing']})" for r in e["reasons"]),
                    e["timing"],
                    "yes" if e["maintenance"] else "no",
                    "exposure" if kind == "exposures" else "review",
                ]
            )
    return out.getvalue()


def _md_totals(totals: Mapping[str, Mapping[str, float]], label: str) -> list[str]:
    lines = [f"| {label} | Value |", "|---|---:|"]
    for key, by_cur in totals.items():
        for cur, amount in by_cur.items():
            lines.append(f"| {md_escape(key)} | {money(amount, cur)} |")
    return lines


def to_markdown(data: Mapping[str, Any]) -> str:
    lines = [
        f"# Contract-history exposure (as of {data['as_of']})",
        "",
        f"Policy {data['policy']}; {data['processes']} processes, {data['contracts']} contracts, "
        f"{data['suppliers']} distinct suppliers ({data['suppliers_screened']} screened).",
        "",
        f"**{len(data['exposures'])}** contracts put a sensitive item in the hands of a risky "
        f"supplier; {len(data['review'])} more need review of the item.",
        "",
        "## Exposures",
        "",
        "| Supplier | Buyer | Contract | Award date | Value | Items | Why risky | Timing |",
        "|---|---|---|---|---:|---|---|---|",
    ]
    for e in data["exposures"]:
        items = "; ".join(f"{i['description']} [{i['tier']}]" for i in e["items"])
        why = "; ".join(f"{r['kind']}: {r['detail']} ({r['timing']})" for r in e["reasons"])
        lines.append(
            f"| {md_escape(e['supplier'])} | {md_escape(e['buyer'] or '')} | "
            f"{md_escape(e['ocid'] + '/' + e['contract_id'])} | "
            f"{e['award_date'] or 'unknown'} | {money(e['amount'], e['currency'])} | "
            f"{md_escape(items)} | {md_escape(why)} | {e['timing']} |"
        )
    lines += [
        "",
        "## Totals by supplier",
        "",
        *_md_totals(data["totals"]["by_supplier"], "Supplier"),
    ]
    lines += ["", "## Totals by buyer", "", *_md_totals(data["totals"]["by_buyer"], "Buyer")]
    lines += ["", "## Contracts per year and risk", ""]
    lines += [f"- **{bucket}**: {meaning}" for bucket, meaning in BUCKETS.items()]
    lines += ["", "| Year | Risk | Contracts | Value |", "|---|---|---:|---:|"]
    for year, bucket, count, amount in _by_year(data):
        lines.append(f"| {year} | {bucket} | {count} | {amount} |")
    lines += ["", "## Who maintains what", ""]
    for w in data["who_maintains_what"]:
        inst = ", ".join(
            s["supplier"] + (" (risky)" if s["risky"] else "") for s in w["installed_by"]
        )
        maint = ", ".join(
            s["supplier"] + (" (risky)" if s["risky"] else "") for s in w["maintained_by"]
        )
        lines.append(
            f"- {md_escape(w['buyer'])}, {md_escape(w['equipment'])}: "
            f"installed by {md_escape(inst or 'unknown')}; maintained by {md_escape(maint)}"
        )
    to_check = data.get("suppliers_to_check") or []  # absent from scans saved before it
    if to_check:
        lines += [
            "",
            "## Suppliers to check",
            "",
            "Taken as no record of the knowledge store; their names match records a person "
            "should look at. No risk is attributed to them until a person decides.",
            "",
            "| Supplier | Country | Why no record was taken | Records to check |",
            "|---|---|---|---|",
        ]
        for x in to_check:
            records = "; ".join(
                f"{c['name']} ({c['entity_id']}), score {c['score']:.2f}"
                + (f", on {', '.join(c['lists'])}" if c["lists"] else "")
                for c in x["candidates"]
            )
            lines.append(
                f"| {md_escape(x['supplier'])} | {md_escape(x['country'] or '')} | "
                f"{md_escape(x['why'])} | {md_escape(records)} |"
            )
    if data["notes"]:
        lines += ["", "## Notes", "", *(f"- {md_escape(n)}" for n in data["notes"])]
    return "\n".join(lines) + "\n"


def _counts(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Contracts per bucket, year and currency; None for a scan made before they were counted."""
    counts = data["totals"].get("contracts_by_year")
    return counts if isinstance(counts, Mapping) else None


def _by_year(data: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """(year, bucket, contracts, value) rows for every bucket, year and currency in the scan."""
    values = data["totals"]["by_year"]
    counts = _counts(data) or {}
    rows = []
    for bucket in sorted(set(values) | set(counts)):
        bucket_values = values.get(bucket, {})
        bucket_counts = counts.get(bucket, {})
        for year in sorted(set(bucket_values) | set(bucket_counts)):
            by_cur = bucket_values.get(year, {})
            n_by_cur = bucket_counts.get(year, {})
            for cur in sorted(set(by_cur) | set(n_by_cur)):
                n = n_by_cur.get(cur)
                shown = "" if n is None else str(n)
                if cur == NO_VALUE:
                    rows.append((year, bucket, shown, "no value stated"))
                else:
                    rows.append((year, bucket, shown, money(by_cur.get(cur, 0.0), cur)))
    return sorted(rows)


def _main_currency(data: Mapping[str, Any]) -> str | None:
    spend: dict[str, float] = {}
    for years in data["totals"]["by_year"].values():
        for by_cur in years.values():
            for cur, amount in by_cur.items():
                spend[cur] = spend.get(cur, 0.0) + amount
    return max(sorted(spend), key=lambda c: spend[c]) if spend else None


@dataclass(frozen=True)
class YearSeries:
    """What the year chart draws, in one currency: every year, each bucket's value and count."""

    currency: str
    years: list[str]
    values: dict[str, list[float]]
    #: None when the scan did not count contracts
    counts: dict[str, list[int]] | None
    #: contracts not on the chart: no date, no value, other currencies (None when not counted)
    undated: int | None
    without_value: int | None
    other_currency: dict[str, int]


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit()


def year_series(data: Mapping[str, Any], currency: str) -> YearSeries:
    """The year chart's data: every calendar year from the first dated contract to the last.

    Years come from the values and, when the scan counted them, from the contract counts (so a
    year whose contracts carry no value is on the axis, at zero). A year with nothing in a bucket
    is zero in that bucket.
    """
    values = data["totals"]["by_year"]
    counts = _counts(data)
    dated = {y for b in values.values() for y in b if _is_year(y)}
    if counts is not None:
        dated |= {y for b in counts.values() for y in b if _is_year(y)}
    years = [str(y) for y in range(int(min(dated)), int(max(dated)) + 1)] if dated else []
    drawn = {
        bucket: [float(values.get(bucket, {}).get(y, {}).get(currency, 0.0)) for y in years]
        for bucket in BUCKETS
    }
    if counts is None:
        return YearSeries(currency, years, drawn, None, None, None, {})
    per_year = {
        bucket: [int(counts.get(bucket, {}).get(y, {}).get(currency, 0)) for y in years]
        for bucket in BUCKETS
    }
    undated = without_value = 0
    others: dict[str, int] = {}
    for bucket_counts in counts.values():
        for year, by_cur in bucket_counts.items():
            for cur, n in by_cur.items():
                if not _is_year(year):
                    undated += int(n)
                elif cur == NO_VALUE:
                    without_value += int(n)
                elif cur != currency:
                    others[cur] = others.get(cur, 0) + int(n)
    return YearSeries(currency, years, drawn, per_year, undated, without_value, others)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def year_chart_note(series: YearSeries) -> str:
    """One sentence saying what the year chart shows and which contracts it leaves out."""
    text = (
        f"Value in {series.currency} of the contracts awarded each year (contract signature "
        f"date, else award date), by risk; under each year, the number of contracts in "
        f"{series.currency} that year."
    )
    if series.counts is None:
        return text.split(";")[0] + ". This scan did not count contracts per year."
    left_out = []
    if series.undated:
        left_out.append(f"{_plural(series.undated, 'contract')} without a date")
    if series.without_value:
        left_out.append(f"{_plural(series.without_value, 'dated contract')} without a value")
    for cur, n in sorted(series.other_currency.items()):
        left_out.append(f"{_plural(n, 'contract')} in {cur}")
    if left_out:
        text += " Not on the chart: " + ", ".join(left_out) + "."
    return text


def year_chart(data: Mapping[str, Any]) -> tuple[str, str] | None:
    """The year chart and its note, in the main currency; None when nothing has a value."""
    cur = _main_currency(data)
    if cur is None:
        return None
    series = year_series(data, cur)
    if not series.years:
        return None
    notes = None
    point_notes = None
    if series.counts is not None:
        counts = series.counts
        notes = [f"n = {sum(counts[b][i] for b in BUCKETS)}" for i in range(len(series.years))]
        point_notes = {b: [_plural(n, "contract") for n in counts[b]] for b in BUCKETS}
    svg = line_chart(
        series.years,
        [(bucket, list[float | None](series.values[bucket])) for bucket in BUCKETS],
        title=f"Contract value per year by risk ({cur})",
        colours=BUCKET_COLOURS,
        descriptions=BUCKETS,
        x_title="Year of award" + ("; n = contracts that year" if notes else ""),
        y_title=f"Contract value ({cur})",
        x_notes=notes,
        point_notes=point_notes,
    )
    return svg, year_chart_note(series)


def charts(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(SVG, caption) for spend per year by risk and for the top risky suppliers (main currency)."""
    cur = _main_currency(data)
    if cur is None:
        return []
    out = []
    drawn = year_chart(data)
    if drawn is not None:
        out.append(drawn)
    top = sorted(
        ((name, v[cur]) for name, v in data["totals"]["by_supplier"].items() if cur in v),
        key=lambda x: (-x[1], x[0]),
    )[:10]
    if top:
        out.append(
            (
                bar_chart(
                    top,
                    title=f"Top risky suppliers by value ({cur})",
                    highlight=[n for n, _ in top],
                ),
                f"The {len(top)} risky suppliers with the highest value of exposures in {cur}.",
            )
        )
    return out


def _totals_table(totals: Mapping[str, Mapping[str, float]]) -> str:
    rows = "".join(
        f'<tr><td>{escape(k)}</td><td class="num">{escape(money(a, c))}</td></tr>'
        for k, by_cur in totals.items()
        for c, a in by_cur.items()
    )
    return f"<table><tr><th></th><th>Value</th></tr>{rows}</table>" if rows else "<p>None.</p>"


def to_html(data: Mapping[str, Any]) -> str:
    """The scan as one self-contained HTML page with its charts."""
    return (
        html_environment()
        .get_template("exposure.html.j2")
        .render(
            r=data,
            charts=charts(data),
            money=money,
            totals_table=_totals_table,
            by_year=_by_year(data),
            buckets=BUCKETS,
            bucket_colours=BUCKET_COLOURS,
        )
    )


def render(data: Mapping[str, Any], fmt: str) -> str:
    """The scan in one of :data:`FORMATS`."""
    renderers = {"json": to_json_text, "csv": to_csv, "md": to_markdown, "html": to_html}
    return renderers[fmt](data)
