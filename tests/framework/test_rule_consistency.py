"""Every bundled framework's outcome rules say what they do: a rule that calls a risk "not
mitigable" cannot give a mitigable outcome, and a legal bar can only exclude."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bidvet.errors import ConfigError
from bidvet.framework.loader import FRAMEWORKS, load_framework

BUNDLED = sorted(FRAMEWORKS.glob("*.yaml"))
CURRENT = [p for p in BUNDLED if not load_framework(p).framework.superseded_by]


def test_there_is_exactly_one_current_bundled_framework() -> None:
    assert [p.stem for p in CURRENT] == ["sensitive-procurement-v3"]


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.stem)
def test_a_rule_that_says_not_mitigable_is_declared_so_and_excludes(path: Path) -> None:
    fw = load_framework(path).framework
    for rule in fw.outcome.rules:
        says = re.search(r"\bnot mitigable\b|\bcannot be mitigated\b", rule.text) is not None
        assert says == (not rule.mitigable), (
            f"{rule.id}: its text and its `mitigable` flag disagree"
        )
        if not rule.mitigable:
            assert rule.outcome == "exclude", rule.id


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_rules_on_exclude_findings_exclude(path: Path) -> None:
    fw = load_framework(path).framework
    for rule in fw.outcome.rules:
        if "exclude" in rule.when.forces_any:
            assert rule.outcome == "exclude", rule.id


def _variant(tmp_path: Path, edit: object) -> Path:
    data = yaml.safe_load(CURRENT[0].read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_framework_check_refuses_a_legal_bar_rule_that_accepts(tmp_path: Path) -> None:
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        data["outcome"]["rules"][0]["outcome"] = "accept"

    with pytest.raises(ConfigError, match="legal bar can only exclude"):
        load_framework(_variant(tmp_path, edit))


def test_framework_check_refuses_an_unmitigable_rule_that_restricts(tmp_path: Path) -> None:
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        for rule in data["outcome"]["rules"]:
            if rule.get("mitigable") is False:
                rule["outcome"] = "restrict"

    with pytest.raises(ConfigError, match="not mitigable"):
        load_framework(_variant(tmp_path, edit))


def test_framework_check_refuses_an_unknown_restriction(tmp_path: Path) -> None:
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        data["criteria"][1]["restrictions"] = ["no-such-restriction"]

    with pytest.raises(ConfigError, match="unknown restriction"):
        load_framework(_variant(tmp_path, edit))
