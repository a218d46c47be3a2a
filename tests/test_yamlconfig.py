from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict

from bidvet.errors import ConfigError
from bidvet.yamlconfig import ErrorStyle, check_unique_ids, read_yaml, validate_yaml

FIX_TOP = "start the file with `bidvet: sample/1`"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Strict):
    id: str
    weight: int = 1
    since: dt.date | None = None


class Sample(_Strict):
    bidvet: Literal["sample/1"]
    items: list[Item] = []


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, style: ErrorStyle | None = None) -> str:
    with pytest.raises(ConfigError) as err:
        if style is None:
            validate_yaml(path, Sample, fix_top=FIX_TOP)
        else:
            validate_yaml(path, Sample, fix_top=FIX_TOP, style=style)
    return str(err.value)


def test_valid_file_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, "bidvet: sample/1\nitems: [{id: a, weight: 2}]\n")
    assert validate_yaml(path, Sample, fix_top=FIX_TOP).items[0].weight == 2


def test_unknown_key_names_file_record_key_and_fix(tmp_path: Path) -> None:
    path = _write(tmp_path, "bidvet: sample/1\nitems: [{id: a}, {id: b, wieght: 2}]\n")
    message = _error(path)
    assert message.startswith(f"{path}: items[1] (id=b).wieght: Extra inputs"), message
    assert "remove or rename the key 'wieght'" in message, message


def test_wrong_type_names_file_key_and_fix(tmp_path: Path) -> None:
    path = _write(tmp_path, "bidvet: sample/1\nitems: [{id: a, weight: heavy}]\n")
    message = _error(path)
    assert message.startswith(f"{path}: items[0] (id=a).weight: Input should be"), message
    assert "give 'weight' a value of the right type" in message, message


def test_bad_yaml_syntax_names_file_line_and_fix(tmp_path: Path) -> None:
    path = _write(tmp_path, "bidvet: sample/1\nitems: [unclosed\n")
    with pytest.raises(ConfigError) as err:
        read_yaml(path)
    message = str(err.value)
    assert message.startswith(f"{path}: line 3: not valid YAML"), message
    assert message.endswith("; fix the YAML syntax"), message


def test_missing_file_names_file_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    message = _error(path)
    assert message == f"{path}: no such file; check the path", message


def test_not_a_mapping_gives_the_top_level_fix(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "- just\n- a list\n"))
    assert message.endswith(f"expected a mapping; {FIX_TOP}"), message


def test_missing_key_and_date_and_literal_fixes(tmp_path: Path) -> None:
    assert "add the key 'bidvet'" in _error(_write(tmp_path, "items: []\n"))
    dated = _write(tmp_path, "bidvet: sample/1\nitems: [{id: a, since: 04/05/2018}]\n")
    assert "items[0] (id=a).since" in _error(dated)
    assert "write dates as YYYY-MM-DD" in _error(dated)
    assert "use one of the allowed values ('sample/1')" in _error(
        _write(tmp_path, "bidvet: sample/2\n")
    )


def test_more_problems_are_counted(tmp_path: Path) -> None:
    path = _write(tmp_path, "bidvet: sample/1\nitems: [{id: a, weight: x, since: y}]\n")
    assert "(and 1 more problems)" in _error(path)


def test_style_dotted_unknown_first_and_hint(tmp_path: Path) -> None:
    path = _write(tmp_path, "bidvet: sample/2\nitems: [{id: a, wieght: 2}]\n")
    style = ErrorStyle(dotted=True, unknown_first=True, hint="compare with sample.yaml")
    message = _error(path, style)
    assert message.startswith(f"{path}: items.0.wieght: Extra inputs"), message
    assert message.endswith("; compare with sample.yaml"), message


def test_style_names_items_by_other_keys_and_missing_key_fixes(tmp_path: Path) -> None:
    path = _write(tmp_path, "bidvet: sample/1\nitems: [{key: k1}]\n")
    style = ErrorStyle(ids=("key",), id_label="", missing=(("id", "every item needs an id"),))
    message = _error(path, style)
    assert message.startswith(f"{path}: items[0] (k1).id: Field required"), message
    assert message.endswith("; every item needs an id"), message


def test_duplicate_id_names_the_second_entry(tmp_path: Path) -> None:
    path = tmp_path / "sample.yaml"
    with pytest.raises(ConfigError) as err:
        check_unique_ids(path, ["a", "b", "a"], "items")
    assert str(err.value) == f"{path}: items[2].id: duplicate id 'a'; give every entry its own id"


@pytest.mark.parametrize("value", ["0000-00-00", "2020-13-45", "2021-02-29"])
def test_impossible_unquoted_date_names_file_line_and_key(tmp_path: Path, value: str) -> None:
    path = tmp_path / "tender.yaml"
    path.write_text(f"id: t1\nitems:\n  - name: scanner\n    start: {value}\n")
    with pytest.raises(ConfigError) as err:
        read_yaml(path)
    assert str(err.value).startswith(f"{path}: line 4, key 'start': '{value}' is not a date;")


def test_impossible_date_in_a_list_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text("dates:\n  - 2020-01-01\n  - 2020-13-45\n")
    with pytest.raises(ConfigError, match=r"line 3: '2020-13-45' is not a date"):
        read_yaml(path)


def test_quoted_impossible_date_is_a_string(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("a: '2020-13-45'\nb: 2020-02-29\n")
    assert read_yaml(path) == {"a": "2020-13-45", "b": dt.date(2020, 2, 29)}


@pytest.mark.parametrize("depth", [101, 5000])
def test_deep_nesting_is_refused_at_100_levels(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(ConfigError, match="nested more than 100 levels deep"):
        read_yaml(path)


def test_nesting_of_100_levels_is_read(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 100 + "]" * 100 + "\n")
    assert read_yaml(path) is not None


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "framework.yaml"
    path.write_bytes(b"id: x\nname: caf\xe9\n")
    with pytest.raises(ConfigError) as err:
        read_yaml(path)
    message = str(err.value)
    assert message.startswith(f"{path}: line 2: not valid UTF-8 (byte 0xe9 at byte offset 15)")
    assert "\n" not in message


def test_python_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("a: !!python/object/apply:os.system ['touch pwned']\n")
    with pytest.raises(ConfigError, match="could not determine a constructor"):
        read_yaml(path)
    assert not (tmp_path / "pwned").exists()


def test_alias_bomb_does_not_expand(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{c}: &{c} [{','.join(['*' + p] * 9)}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")
    data = read_yaml(path)
    assert data["i"][0] is data["i"][1]  # shared, not copied: 9**9 strings are never built


def _bundled_yaml() -> list[Path]:
    import bidvet

    root = Path(bidvet.__file__).parent
    return sorted(root.rglob("*.yaml")) + sorted((root.parents[1] / "examples").rglob("*.yaml"))


@pytest.mark.parametrize("path", _bundled_yaml(), ids=lambda p: p.name)
def test_fast_and_careful_loaders_read_every_bundled_file_alike(path: Path) -> None:
    import yaml

    from bidvet import yamlconfig

    text = path.read_text(encoding="utf-8")
    careful = yaml.load(text, Loader=yamlconfig._SafeLoader)
    assert yamlconfig._fast_parse(text) == careful
    assert read_yaml(path) == careful


def test_self_referencing_value_is_left_to_the_careful_loader(tmp_path: Path) -> None:
    from bidvet import yamlconfig

    text = "a: &x [1, *x]\n"
    assert yamlconfig._fast_parse(text) is yamlconfig._SLOW
    path = tmp_path / "loop.yaml"
    path.write_text(text)
    data = read_yaml(path)
    assert data["a"][1] is data["a"]


def test_shared_values_are_measured_once_for_nesting() -> None:
    from bidvet import yamlconfig

    inner = "[" * 60 + "]" * 60
    text = f"a: &x {inner}\nb: [*x, *x]\nc: [[*x]]\n"
    assert yamlconfig._fast_parse(text) is not yamlconfig._SLOW
    too_deep = f"a: &x {inner}\nb: {'[' * 41}*x{']' * 41}\n"
    assert yamlconfig._fast_parse(too_deep) is yamlconfig._SLOW
