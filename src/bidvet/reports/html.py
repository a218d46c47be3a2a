"""Self-contained HTML rendering of assessment reports and questionnaires.

One file, readable offline and printable: CSS inlined in a ``<style>`` element, ownership
pictures inlined as SVG, no scripts, fonts, images or stylesheets fetched from anywhere. The only
URLs are the links to cited sources, and only ``http``/``https``/``mailto`` links are made
clickable. Print rules (A4 pages, page numbers, a table of contents with page numbers in PDF, one
bidder per page) live in ``templates/report.css``.
"""

from __future__ import annotations

from typing import Any

from bidvet.reports.templating import html_environment
from bidvet.reports.view import questionnaire_view, report_view


def render_html(report: Any) -> str:
    """Render a ``bidvet-assessment/1`` report as one self-contained HTML document."""
    context = report_view(report, with_svg=True)
    return html_environment().get_template("report.html.j2").render(context)


def render_questionnaire_html(data: Any) -> str:
    """Render questionnaire data (see :func:`bidvet.reports.render_questionnaire`) as HTML."""
    context = questionnaire_view(data)
    return html_environment().get_template("questionnaire.html.j2").render(context)
