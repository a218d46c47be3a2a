"""Reports people read and defend: JSON, Markdown, self-contained HTML and PDF.

Two entry points, both returning bytes ready to write to a file or stdout:

``render(report, fmt)``
    ``report`` is an assessment report dict of schema ``bidvet-assessment/1`` (built by
    ``bidvet.assessment``); ``fmt`` is ``json`` (canonical: sorted keys, two-space indent, UTF-8,
    trailing newline), ``md``, ``html`` or ``pdf``. The same dict always gives the same bytes.

``render_questionnaire(data, fmt)``
    ``fmt`` is ``md``, ``html`` or ``json``. ``data`` is either
    ``{"tender": {...tender block as in the report...}, "bidders": [{"name": str,
    "questions": [question, ...]}, ...]}`` or a bare list of questions (one unnamed group). A
    question is ``{"id", "topic", "text", "evidence", "required": bool, "answer": str | None}``
    (missing fields print empty); a bare string is accepted as the question text.

The contract-history exposure scan renders through :func:`bidvet.reports.exposure.render`
(json, csv, md, html), with the same serialiser and templating helpers.

Pictures and charts for other reports: :func:`bidvet.reports.svg.ownership_svg`,
:func:`bidvet.reports.charts.bar_chart`, :func:`bidvet.reports.charts.line_chart`.
"""

from __future__ import annotations

from typing import Any

from bidvet.errors import UsageError

REPORT_FORMATS = ("json", "md", "html", "pdf")
QUESTIONNAIRE_FORMATS = ("md", "html", "json")


def render(report: dict[str, Any], fmt: str) -> bytes:
    """Render an assessment report in ``fmt`` (json, md, html or pdf)."""
    if fmt == "json":
        from bidvet.reports.json import canonical_json
        from bidvet.reports.view import check_report

        return canonical_json(check_report(report))
    if fmt == "md":
        from bidvet.reports.markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        from bidvet.reports.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        from bidvet.reports.pdf import render_pdf

        return render_pdf(report)
    raise UsageError(
        f"unknown report format {fmt!r}", fix=f"choose one of {', '.join(REPORT_FORMATS)}"
    )


def render_questionnaire(data: dict[str, Any] | list[Any], fmt: str) -> bytes:
    """Render questions for bidders in ``fmt`` (md, html or json); see the module docstring."""
    from bidvet.reports.view import questionnaire_view

    if fmt == "json":
        from bidvet.reports.json import canonical_json

        questionnaire_view(data)
        return canonical_json(data)
    if fmt == "md":
        from bidvet.reports.markdown import render_questionnaire_markdown

        return render_questionnaire_markdown(data).encode("utf-8")
    if fmt == "html":
        from bidvet.reports.html import render_questionnaire_html

        return render_questionnaire_html(data).encode("utf-8")
    raise UsageError(
        f"unknown questionnaire format {fmt!r}",
        fix=f"choose one of {', '.join(QUESTIONNAIRE_FORMATS)}",
    )


__all__ = ["QUESTIONNAIRE_FORMATS", "REPORT_FORMATS", "render", "render_questionnaire"]
