"""Markdown rendering of assessment reports and questionnaires.

GitHub-flavoured Markdown (tables, ``<a id>`` anchors) that reads well as plain text too. Every
value from the report is escaped (see :mod:`bidvet.reports.templating`), so a bidder called
``Harbour & <Gate> | Systems`` neither breaks a table nor injects markup. The ownership chain is
given as a table here; the picture is in the HTML and PDF reports.
"""

from __future__ import annotations

from typing import Any

from bidvet.reports.templating import markdown_environment
from bidvet.reports.view import questionnaire_view, report_view


def render_markdown(report: Any) -> str:
    """Render a ``bidvet-assessment/1`` report as Markdown text."""
    context = report_view(report, with_svg=False)
    return markdown_environment().get_template("report.md.j2").render(context)


def render_questionnaire_markdown(data: Any) -> str:
    """Render questionnaire data (see :func:`bidvet.reports.render_questionnaire`) as Markdown."""
    context = questionnaire_view(data)
    return markdown_environment().get_template("questionnaire.md.j2").render(context)
