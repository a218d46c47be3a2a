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


@pytest.mark.parametrize(
    ("name", "list_id"),
    [
        ("us_ofac_sdn", "us-ofac-sdn"),
        ("eu_fsf", "eu-fsf"),
        ("un_sc_sanctions", "un-sc"),
        ("gb_fcdo_sanctions", "gb-fcdo-sanctions"),
        ("ca_dfatd_sema_sanctions", "ca-sema"),
        ("au_dfat_sanctions", "au-dfat"),
        ("ch_seco_sanctions", "ch-seco"),
        ("jp_mof_sanctions", "jp-mof"),
        ("nz_russia_sanctions", "nz-russia"),
        ("worldbank_debarred", "world-bank-debarred"),
        ("us_dod_chinese_milcorps", "us-dod-1260h"),
        ("us_fcc_covered_list", "us-fcc-covered"),
        ("US-BIS-EL", "us-bis-entity"),
        ("US-BIS-MEU", "us-bis-meu"),
        ("us_bis_denied", "us-bis-dpl"),
    ],
)
def test_opensanctions_dataset_names_and_program_keys_resolve(name: str, list_id: str) -> None:
    found = list_registry().resolve(name)
    assert found is not None and found.id == list_id


def test_datasets_that_are_not_lists_have_their_kind() -> None:
    lists = list_registry()
    assert lists.dataset_kind("ext_ru_egrul") == "registry"
    assert lists.dataset_kind("gb_coh_disqualified") == "disqualification"
    assert lists.dataset_kind("ext_some_register") == "external"
    assert lists.dataset_kind("eu_fsf") == "sanction"
    assert lists.dataset_kind("xx_never_heard_of") == "unknown"


def test_a_dataset_cannot_be_both_a_list_and_not_a_list(tmp_path: Path) -> None:
    bad = tmp_path / "lists.yaml"
    text = LISTS_FILE.read_text().replace("  - name: ext_ru_egrul\n", "  - name: eu_fsf\n")
    bad.write_text(text)
    with pytest.raises(ConfigError, match="eu_fsf"):
        load_list_registry(bad)
