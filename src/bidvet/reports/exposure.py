"""Rendering an exposure scan: JSON, CSV (one row per exposure), Markdown and HTML.

All renderers take the scan's JSON form (:meth:`bidvet.exposure.scan.ExposureResult.to_json`),
so every format shows the same facts; the same scan gives byte-identical output. JSON is
canonical (:func:`bidvet.jsonout.canonical`); Markdown escapes values as the assessment report
does (:func:`bidvet.reports.templating.md_escape`); HTML renders ``templates/exposure.html.j2``
in the shared HTML environment and carries two charts from :mod:`bidvet.reports.charts`: spend
per year by risk, and the top risky suppliers by spend.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from markupsafe import escape

from bidvet.jsonout import canonical
from bidvet.reports.charts import bar_chart, line_chart
from bidvet.reports.templating import html_environment, md_escape

FORMATS = ("json", "csv", "md", "html")
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
    lines += ["", "## By year and risk", "", "| Year | Risk | Value |", "|---|---|---:|"]
    for year, bucket, amount in _by_year(data):
        lines.append(f"| {year} | {bucket} | {amount} |")
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
    if data["notes"]:
        lines += ["", "## Notes", "", *(f"- {md_escape(n)}" for n in data["notes"])]
    return "\n".join(lines) + "\n"


def _by_year(data: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for bucket, years in data["totals"]["by_year"].items():
        for year, by_cur in years.items():
            for cur, amount in by_cur.items():
                rows.append((year, bucket, money(amount, cur)))
    return sorted(rows)


def _main_currency(data: Mapping[str, Any]) -> str | None:
    spend: dict[str, float] = {}
    for years in data["totals"]["by_year"].values():
        for by_cur in years.values():
            for cur, amount in by_cur.items():
                spend[cur] = spend.get(cur, 0.0) + amount
    return max(sorted(spend), key=lambda c: spend[c]) if spend else None


def charts(data: Mapping[str, Any]) -> list[str]:
    """Spend over time by risk, and the top risky suppliers, in the main currency."""
    cur = _main_currency(data)
    if cur is None:
        return []
    by_year = data["totals"]["by_year"]
    years = sorted({y for b in by_year.values() for y in b if y != "unknown"})
    out = []
    if years:
        series = [
            (bucket, [by_year[bucket].get(y, {}).get(cur) for y in years])
            for bucket in ("risky", "sensitive", "other")
        ]
        out.append(line_chart(years, series, title=f"Contract value per year by risk ({cur})"))
    top = sorted(
        ((name, v[cur]) for name, v in data["totals"]["by_supplier"].items() if cur in v),
        key=lambda x: (-x[1], x[0]),
    )[:10]
    if top:
        out.append(
            bar_chart(
                top, title=f"Top risky suppliers by value ({cur})", highlight=[n for n, _ in top]
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
        )
    )


def render(data: Mapping[str, Any], fmt: str) -> str:
    """The scan in one of :data:`FORMATS`."""
    renderers = {"json": to_json_text, "csv": to_csv, "md": to_markdown, "html": to_html}
    return renderers[fmt](data)
