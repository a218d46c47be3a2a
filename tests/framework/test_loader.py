from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bidvet.errors import ConfigError
from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.loader import FRAMEWORKS, bundled_framework, load_framework

BUNDLED = FRAMEWORKS / "sensitive-procurement-v1.yaml"


def _variant(tmp_path: Path, edit: object) -> Path:
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path = tmp_path / "my-framework.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_bundled_framework_loads_with_every_criterion_parameterised() -> None:
    lf = bundled_framework()
    assert lf.framework.id == "sensitive-procurement-v3"
    assert lf.framework.version == 3
    assert lf.framework.superseded_by is None
    assert len(lf.sha256) == 64
    assert set(lf.params) == {c.id for c in lf.framework.criteria}
    integrity = lf.params["integrity-events"]
    assert integrity.lookback_years == 10  # type: ignore[attr-defined]


def test_every_evaluator_has_a_docstring_and_a_criterion_in_the_bundled_framework() -> None:
    used = {c.evaluator for c in bundled_framework().framework.criteria}
    for name, spec in evaluators().items():
        assert spec.doc and len(spec.doc.splitlines()[0]) > 20, f"{name} lacks a docstring"
        assert name in used, f"evaluator {name} has no criterion in sensitive-procurement-v1"


def test_every_criterion_is_documented_in_yaml() -> None:
    for crit in bundled_framework().framework.criteria:
        assert crit.title and crit.question.endswith("?"), crit.id
        assert crit.references, f"{crit.id} cites no public framework"


@pytest.mark.parametrize(
    ("edit", "key", "fix"),
    [
        (
            lambda d: d["criteria"][0].update(threshhold=3),
            "criteria[0] (id=barring-listing).threshhold",
            "remove or rename the key 'threshhold'",
        ),
        (lambda d: d.update(version="one"), "version", "give 'version' a value of the right type"),
        (
            lambda d: d["criteria"][9]["params"].update(lookback_years="ten"),
            "criteria[9] (id=integrity-events).params.lookback_years",
            "right type",
        ),
        (
            lambda d: d["criteria"][9]["params"].update(look_back=3),
            "criteria[9] (id=integrity-events).params.look_back",
            "remove or rename",
        ),
        (
            lambda d: d["criteria"][0].update(evaluator="no_such_thing"),
            "criteria[0] (id=barring-listing).evaluator",
            "use one of: abnormally_low_price",
        ),
        (
            lambda d: d["criteria"][0].update(severity="severe"),
            "criteria[0] (id=barring-listing).severity",
            "use one of the allowed values",
        ),
        (
            lambda d: d["criteria"][6].update(mitigations=["hope"]),
            "criteria[6] (id=state-control).mitigations",
            "define it under mitigations:",
        ),
        (
            lambda d: d["outcome"]["rules"][4]["when"].update(criteria_all=["state-kontrol"]),
            "outcome.rules[4] (id=state-regime-sensitive).when",
            "name a criterion defined",
        ),
        (lambda d: d.pop("outcome"), "outcome", "add the key 'outcome'"),
        (
            lambda d: d["criteria"].append(dict(d["criteria"][0])),
            "criteria[15]",
            "give every entry its own id",
        ),
    ],
)
def test_malformed_framework_names_file_key_and_fix(
    tmp_path: Path, edit: object, key: str, fix: str
) -> None:
    path = _variant(tmp_path, edit)
    with pytest.raises(ConfigError) as err:
        load_framework(path)
    text = str(err.value)
    assert text.startswith(f"{path}: "), text
    assert key in text, text
    assert fix in text, text


def test_framework_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("bidvet: framework/1\nid: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken.yaml: line \d+: not valid YAML"):
        load_framework(path)
