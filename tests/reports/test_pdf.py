"""PDF output through WeasyPrint."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from bidvet.reports import render
from bidvet.reports.html import render_html


def test_pdf_has_pages_and_is_reproducible(sample_report: dict[str, Any], tmp_path: Path) -> None:
    before = os.environ.get("SOURCE_DATE_EPOCH")
    pdf = render(sample_report, "pdf")
    assert pdf.startswith(b"%PDF-")
    assert render(sample_report, "pdf") == pdf
    assert os.environ.get("SOURCE_DATE_EPOCH") == before, "environment not restored"

    from weasyprint import HTML

    assert len(HTML(string=render_html(sample_report)).render().pages) >= 1
    if shutil.which("pdfinfo"):
        target = tmp_path / "report.pdf"
        target.write_bytes(pdf)
        info = subprocess.run(
            ["pdfinfo", str(target)], capture_output=True, text=True, check=True
        ).stdout
        pages = int(
            next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]
        )
        assert pages >= 1
        assert "Security assessment: X-ray screening equipment" in info


def test_pdf_differs_when_the_report_differs(sample_report: dict[str, Any]) -> None:
    first = render(sample_report, "pdf")
    sample_report["bidders"][0]["outcome"] = "mitigate"
    assert render(sample_report, "pdf") != first
