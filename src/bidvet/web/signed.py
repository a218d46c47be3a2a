"""The signed report: the frozen assessment report with a sign-off page first.

The page names each bidder's proposed outcome (and the framework's, with the reason for an
override), who proposed it and who signed it off, when, and the digests the signature covers:
the report's SHA-256, the data snapshot and the framework hash.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bidvet.reports.html import render_html
from bidvet.store.workspace import AssessmentRun, Case, Decision
from bidvet.web.app import HERE


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
    )


def signed_html(case: Case, run: AssessmentRun, decisions: Sequence[Decision]) -> str:
    """The report of ``run`` with the sign-off section at the top of its first page."""
    report = json.loads(run.report_json)
    names = {b["id"]: b["name"] for b in report.get("bidders", [])}
    latest: dict[str, Decision] = {}
    for d in decisions:
        latest[d.bidder_id] = d
    rows = [(names.get(bid, bid), latest.get(bid)) for bid in names]
    for d in latest.values():
        if d.status == "approved" and d.signed_report_sha256 != run.report_sha256:
            raise ValueError(f"decision {d.id} was signed over another report")
    cover = (
        _environment().get_template("signoff_section.html").render(case=case, run=run, rows=rows)
    )
    html = render_html(report)
    style = (HERE / "static" / "signoff.css").read_text(encoding="utf-8")
    html = html.replace("</head>", f"<style>{style}</style>\n</head>", 1)
    marker = "</header>"
    if marker in html:
        return html.replace(marker, marker + "\n" + cover, 1)
    return html.replace("<body>", "<body>\n" + cover, 1)
