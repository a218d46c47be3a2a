"""The reference questions against the real public lists in ../shared/data (skipped without)."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval.real_lists import all_entries

from bidvet.resolution.config import load_resolution_config
from bidvet.screening.catalog import Catalog
from bidvet.screening.config import default_policy
from bidvet.screening.engine import Screener
from bidvet.screening.matcher import Matcher
from bidvet.sources.loader import load_file
from bidvet.store.db import Store


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    data = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    if not data.is_dir():
        pytest.skip(f"real public data not found at {data}")
    catalog = Catalog.from_entries(all_entries(data), default_policy().generic_org_words)
    return Matcher.build(catalog)


def test_hikvision_is_on_the_ns_cmic_list_and_the_csl(matcher: Matcher) -> None:
    matches = matcher.match("Hangzhou Hikvision Digital Technology Company")
    matched = {m.entity_id for m in matches if m.comparison.match}
    # OFAC consolidated non-SDN (NS-CMIC) uid 30946 and the same entry in the trade.gov CSL
    assert {"ofac-cons-30946", "csl-30946"} <= matched, matches


def test_hikvision_by_uscc_identifier(matcher: Matcher) -> None:
    matches = matcher.match("HIK", identifiers=["91330000733796106P"])
    assert {m.entity_id for m in matches[:2]} == {"ofac-cons-30946", "csl-30946"}
    assert all(m.comparison.score == 1.0 for m in matches[:2])


def test_nuctech_is_in_none_of_these_files(matcher: Matcher, shared_data: Path) -> None:
    """Nuctech was added to the Entity List on 2020-12-18, but the CSL here is a 2023 subset."""
    for path in [
        *(shared_data / "official-lists-2024").glob("*.xml"),
        *(shared_data / "us-csl-2023").glob("*.csv"),
    ]:
        text = path.read_text(encoding="utf-8", errors="replace").lower()
        assert "nuctech" not in text and "同方威视" not in text, path
    matches = matcher.match("NUCTECH CO., LTD.")
    assert not any(m.comparison.match for m in matches), matches


def test_hikvision_through_the_store_with_its_listing(
    sqlite_store: Store, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path: official files loaded by the importers, screened with listings."""
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    load_file(sqlite_store, shared_data / "official-lists-2024" / "consolidated.xml", None)
    load_file(sqlite_store, shared_data / "us-csl-2023" / "csl.csv", None)
    matches = Screener(sqlite_store).screen("Hangzhou Hikvision Digital Technology Company")
    by_id = {m.entity_id: m for m in matches if m.match}
    assert len(by_id) >= 2, matches
    programs = {x["program"] for m in by_id.values() for x in m.lists}
    assert programs == {"CMIC-EO13959"}, by_id
    assert not any(m.match for m in Screener(sqlite_store).screen("NUCTECH CO., LTD."))


def test_a_listed_person_is_found_without_the_patronymic(matcher: Matcher) -> None:
    # the SDN (uid 40275) and the EU file (164294) write "Dmitriy Andreevich ARTYUKHOV"; a
    # register or a typed query leaves the patronymic out
    matches = matcher.match("Dmitriy Artyukhov")
    matched = {m.entity_id for m in matches if m.comparison.match}
    assert {"ofac-40275", "eu-fsf-164294"} <= matched, matches
    why = next(m for m in matches if m.entity_id == "ofac-40275").comparison.explanation
    assert any("patronymic: 'andreevich'" in line for line in why), why


def test_a_listed_person_is_found_in_the_other_transliteration(matcher: Matcher) -> None:
    # the SDN (uid 38661) writes "Vladimir Aleksandrovich IVANOV": typed with an "x", the
    # index's rarest features are the x's, which other names share; the name written the
    # other way is a second query for the index
    matches = matcher.match("Vladimir Alexandrovich Ivanov")
    assert any(m.entity_id == "ofac-38661" and m.comparison.match for m in matches), matches


def test_a_listed_persons_name_one_letter_away_is_never_taken_as_the_person(
    matcher: Matcher,
) -> None:
    # the SDN (uid 39760) and the EU file (132556) list "Valery Nikolayevich ZAKHAROV"; Sakharov
    # is another family's name one letter away: a possible match to judge, not the person
    resolve_score = load_resolution_config().resolve_score
    cap = default_policy().scoring.person_typo_cap
    found = {m.entity_id: m.comparison for m in matcher.match("Valery Sakharov")}
    assert found["ofac-39760"].match and found["ofac-39760"].score == cap < resolve_score
    assert any(x.startswith("person_typo:") for x in found["ofac-39760"].explanation)
    # typed as the lists write it, or in another transliteration, it is the person
    for typed in ("Valery Zakharov", "Valerii Zaharov"):
        found = {m.entity_id: m.comparison for m in matcher.match(typed)}
        assert found["ofac-39760"].score >= resolve_score, (typed, found["ofac-39760"])
