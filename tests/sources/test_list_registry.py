from __future__ import annotations

from pathlib import Path

import pytest

from bidvet.errors import ConfigError, NotFoundError
from bidvet.sources.lists import LISTS_FILE, list_registry, load_list_registry

REQUIRED_IDS = (
    "us-ofac-sdn",
    "us-ofac-ns-cmic",
    "us-ofac-nonsdn",
    "eu-fsf",
    "un-sc",
    "us-bis-entity",
    "us-bis-meu",
    "us-bis-dpl",
    "us-bis-uvl",
    "us-state-isn",
    "us-state-itar-debarred",
)


def test_bundled_registry_has_the_lists_importers_use() -> None:
    lists = list_registry()
    assert set(REQUIRED_IDS) <= set(lists.ids())
    assert lists.get("us-bis-entity").topics == ("export.control",)
    assert lists.get("us-bis-entity").kind == "export-control"
    assert lists.get("us-state-itar-debarred").topics == ("debarment",)
    assert lists.get("un-sc").kind == "sanction"


def test_resolve_matches_ids_and_aliases_case_insensitively() -> None:
    lists = list_registry()
    found = lists.resolve("entity list (el) - bureau of industry and security")
    assert found is not None and found.id == "us-bis-entity"
    found = lists.resolve(None, "", "US-OFAC-SDN")
    assert found is not None and found.id == "us-ofac-sdn"
    assert lists.resolve("Ministry of Fictional Affairs") is None


def test_unknown_list_id_names_the_known_ones() -> None:
    with pytest.raises(NotFoundError, match="us-ofac-sdn"):
        list_registry().get("no-such-list")


def test_registry_is_strict_about_keys(tmp_path: Path) -> None:
    bad = tmp_path / "lists.yaml"
    bad.write_text(LISTS_FILE.read_text().replace("    kind: sanction\n", "    knd: sanction\n", 1))
    with pytest.raises(ConfigError, match=r"lists\.0"):
        load_list_registry(bad)


def test_registry_refuses_a_duplicate_alias(tmp_path: Path) -> None:
    bad = tmp_path / "lists.yaml"
    text = LISTS_FILE.read_text().replace(
        "      - OFAC SDN\n", "      - OFAC SDN\n      - eu-fsf\n"
    )
    bad.write_text(text)
    with pytest.raises(ConfigError, match="used by both"):
        load_list_registry(bad)
