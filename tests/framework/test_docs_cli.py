from __future__ import annotations

from pathlib import Path

from bidvet.framework.docs import describe, describe_markdown
from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.loader import FRAMEWORKS, bundled_framework
from tests.cli_helpers import run_cli


def test_show_documents_every_criterion_from_yaml_and_docstring() -> None:
    lf = bundled_framework()
    text = describe_markdown(lf)
    specs = evaluators()
    for crit in lf.framework.criteria:
        assert f"`{crit.id}`" in text
        assert crit.question in text
        assert specs[crit.evaluator].doc.splitlines()[0] in text
    doc = describe(lf)
    assert [c["id"] for c in doc["criteria"]] == [c.id for c in lf.framework.criteria]


def test_cli_framework_check_ok() -> None:
    result = run_cli("framework", "check", FRAMEWORKS / "sensitive-procurement-v1.yaml")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("ok: sensitive-procurement-v1 version 1, 15 criteria"), out


def test_cli_framework_check_bad_file_exits_1_with_fix(tmp_path: Path) -> None:
    path = tmp_path / "fw.yaml"
    path.write_text("bidvet: framework/1\nid: x\n", encoding="utf-8")
    result = run_cli("framework", "check", path)
    assert result.exit_code == 1
    err = result.stderr
    assert err.startswith(f"bidvet: error: {path}: version: Field required"), err
    assert "add the key 'version'" in err


def test_cli_framework_show() -> None:
    result = run_cli("framework", "show")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Sensitive procurement")
    assert "## Outcome rule" in out
