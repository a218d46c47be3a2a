"""Validated files read back from a JSON copy of what was validated (:mod:`bidvet.file_copies`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bidvet.errors import ConfigError
from bidvet.file_copies import from_plain, load_checked, to_plain
from bidvet.ownership import rules as rules_module
from bidvet.ownership.rules import RULES_FILE, OwnershipRules, parse_rules
from bidvet.screening import config as config_module
from bidvet.screening.config import POLICY_FILE, ScreeningPolicy, load_policy
from tests.cli_helpers import run_cli

FTM = Path(__file__).parent / "fixtures" / "ftm" / "opensanctions_style.json"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(folder))
    return folder


def _counting(validate: Callable[[Path], Any], calls: list[Path]) -> Callable[[Path], Any]:
    def counted(path: Path) -> Any:
        calls.append(path)
        return validate(path)

    return counted


@pytest.mark.parametrize(
    ("path", "schema", "validate"),
    [
        (POLICY_FILE, ScreeningPolicy, config_module._validate),
        (RULES_FILE, OwnershipRules, rules_module._validate),
    ],
    ids=["screening-policy", "ownership-rules"],
)
def test_a_file_is_validated_once_then_read_from_its_copy(
    cache: Path, path: Path, schema: type, validate: Callable[[Path], Any]
) -> None:
    calls: list[Path] = []
    counted = _counting(validate, calls)
    first = load_checked(path, schema, counted)
    again = load_checked(path, schema, counted)
    assert calls == [path]  # the second read came from the copy
    assert again == first == validate(path)
    copies = list((cache / "checked").glob(f"{path.stem}-*.json"))
    assert len(copies) == 1
    # a damaged copy, or one that no longer fits the schema, is made again from the file
    for damage in ("{not json", json.dumps({"version": 1})):
        copies[0].write_text(damage, encoding="utf-8")
        assert load_checked(path, schema, counted) == first
    assert len(calls) == 3
    assert load_checked(path, schema, counted) == first and len(calls) == 3


def test_a_changed_file_is_validated_again(cache: Path, tmp_path: Path) -> None:
    policy = tmp_path / "screening.yaml"
    text = POLICY_FILE.read_text(encoding="utf-8")
    policy.write_text(text, encoding="utf-8")
    before = load_policy(policy)
    assert "threshold: 0.70" in text
    policy.write_text(text.replace("threshold: 0.70", "threshold: 0.80", 1), encoding="utf-8")
    assert load_policy(policy).scoring.threshold == 0.8 != before.scoring.threshold
    # a problem is found whatever copies exist: the changed bytes have none
    policy.write_text(text.replace("threshold: 0.70", "threshold: 1.5", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"scoring\.threshold: Input should be less than 1"):
        load_policy(policy)
    assert len(list((cache / "checked").glob("screening-*.json"))) == 2


def test_a_cache_folder_that_cannot_be_written_only_means_no_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(blocker / "cache"))
    assert parse_rules(RULES_FILE) == rules_module._validate(RULES_FILE)


def test_a_missing_file_is_named(cache: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        parse_rules(tmp_path / "absent.yaml")


def test_unknown_and_missing_keys_read_as_they_did_with_models(cache: Path, tmp_path: Path) -> None:
    """A dataclass schema's errors are named as a model's: ``Extra inputs are not permitted``
    and ``Field required``, with the fix for each."""
    text = RULES_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "rules.yaml"
    bad.write_text(text.replace("      citation:", "      citations:", 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        parse_rules(bad)
    message = str(err.value)
    assert "regimes.us_ofac.0.citations: Extra inputs are not permitted" in message, message
    assert "remove or rename the key 'citations'" in message
    bad.write_text(text.replace("      inclusive: true\n", "", 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        parse_rules(bad)
    assert "inclusive: Field required" in str(err.value)
    assert "add the key 'inclusive'" in str(err.value)


def test_a_suspension_that_ends_before_it_starts_is_refused(cache: Path, tmp_path: Path) -> None:
    regime = parse_rules(RULES_FILE).regimes["us_bis_affiliates"][0]
    plain = json.loads(json.dumps(to_plain(regime), default=str))
    assert from_plain(rules_module.Regime, plain) == regime
    plain["suspensions"] = [{"start": "2025-02-01", "end": "2025-01-01", "note": ""}]
    with pytest.raises(ValueError, match="ends before it starts"):
        from_plain(rules_module.Regime, plain)


def test_from_plain_refuses_what_the_schema_does_not_hold() -> None:
    policy = json.loads(json.dumps(to_plain(load_policy())))  # as a copy holds it
    assert from_plain(ScreeningPolicy, policy) == load_policy()
    with pytest.raises(TypeError, match="expected a list"):
        from_plain(ScreeningPolicy, {**policy, "generic_org_words": "group"})
    with pytest.raises(ValueError, match="bidvet-name-v9"):
        from_plain(ScreeningPolicy, {**policy, "algorithm": "bidvet-name-v9"})
    with pytest.raises(TypeError, match="has no field"):
        from_plain(ScreeningPolicy, {**policy, "unknown": 1})


def test_a_warm_screen_loads_neither_pydantic_nor_a_yaml_parser(tmp_path: Path) -> None:
    """Once the copies exist, ``bidvet screen`` reads the policy, the rules and the model from
    them: neither pydantic nor PyYAML is imported (about 50 ms of the command). The first
    screen in a fresh cache folder validates the files (pydantic) and writes the copies."""
    db = tmp_path / "s.db"
    env = {"BIDVET_CACHE_DIR": str(tmp_path / "cache")}
    loaded = run_cli("load", FTM, db=db, env=env)
    assert loaded.exit_code == 0, loaded.stderr
    probe = (
        "import sys\n"
        "from bidvet.program import entry\n"
        f"sys.argv = ['bidvet', '--db', {f'sqlite:///{db}'!r}, 'screen', 'Ketrel Service Ltd']\n"
        "try:\n"
        "    entry()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "heavy = ('pydantic', 'yaml', 'bidvet.yamlconfig')\n"
        "print('loaded:', ','.join(m for m in heavy if m in sys.modules) or 'none')\n"
    )
    seen = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Ketrel Service LLC" in done.stdout
        seen.append(done.stdout.strip().splitlines()[-1])
    assert seen == ["loaded: pydantic,yaml,bidvet.yamlconfig", "loaded: none"], seen
