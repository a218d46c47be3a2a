"""REFERENCE.md §2 test vectors, one named test each, with the US, EU and UK expectations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bidvet.errors import ConfigError
from bidvet.ownership.propagation import explain, propagate_status
from bidvet.ownership.rules import RULES_FILE, load_rules, parse_rules
from bidvet.sources.lists import list_registry

from .factories import graph, mask

#: the EU ownership test changed on 2024-07-03 (Council's updated Best Practices)
BEFORE_EU_CHANGE = dt.date(2024, 7, 2)
EU_CHANGE = dt.date(2024, 7, 3)


def listed(
    lines: tuple[str, ...], regime: str, subject: str, *sources: str, on: dt.date = EU_CHANGE
) -> bool:
    g = graph(*lines)
    rule = load_rules().regime(regime, on)
    res = propagate_status(g, mask(g, *sources), rule)
    return bool(res.listed[g.node(subject)])


CHAIN_50_50 = ("X 50> A", "A 50> B")
TWO_HALVES = ("X 50> A", "X 50> B", "A 25> C", "B 25> C")
DIRECT_PLUS_BLOCKED = ("X 50> A", "X 10> B", "A 40> B")
CHAIN_60_60 = ("X 60> A", "A 60> B")
MINORITY_THEN_WHOLLY = ("X 40> A", "A 100> B")
P25_Q25 = ("P 25> D", "Q 25> D")
P30_Q25 = ("P 30> D", "Q 25> D")


def test_vector_chain_50_50_blocks_b_under_us() -> None:
    assert listed(CHAIN_50_50, "us_ofac", "A", "X")
    assert listed(CHAIN_50_50, "us_ofac", "B", "X")


def test_vector_chain_50_50_is_not_more_than_half_for_eu_before_2024_07_03_and_uk() -> None:
    assert not listed(CHAIN_50_50, "eu", "A", "X", on=BEFORE_EU_CHANGE)
    assert not listed(CHAIN_50_50, "eu", "B", "X", on=BEFORE_EU_CHANGE)
    assert not listed(CHAIN_50_50, "uk", "B", "X")


def test_vector_chain_50_50_blocks_b_under_eu_from_2024_07_03() -> None:
    assert listed(CHAIN_50_50, "eu", "A", "X", on=EU_CHANGE)
    assert listed(CHAIN_50_50, "eu", "B", "X", on=EU_CHANGE)


def test_vector_two_blocked_quarter_holders_block_c_under_us() -> None:
    assert listed(TWO_HALVES, "us_ofac", "C", "X")
    # UK, and EU before 2024-07-03: A and B are only 50 % owned, so not listed; C is not
    # reached. From 2024-07-03 the EU counts 50 %: A and B are listed and pass 25 % + 25 %.
    assert not listed(TWO_HALVES, "eu", "C", "X", on=BEFORE_EU_CHANGE)
    assert listed(TWO_HALVES, "eu", "C", "X", on=EU_CHANGE)
    assert not listed(TWO_HALVES, "uk", "C", "X")


def test_vector_direct_10_plus_blocked_40_blocks_b_under_us() -> None:
    assert listed(DIRECT_PLUS_BLOCKED, "us_ofac", "B", "X")
    assert not listed(DIRECT_PLUS_BLOCKED, "eu", "B", "X", on=BEFORE_EU_CHANGE)
    assert listed(DIRECT_PLUS_BLOCKED, "eu", "B", "X", on=EU_CHANGE)


def test_vector_chain_60_60_blocks_b_under_us_and_eu() -> None:
    assert listed(CHAIN_60_60, "us_ofac", "B", "X")
    assert listed(CHAIN_60_60, "eu", "B", "X", on=BEFORE_EU_CHANGE)
    assert listed(CHAIN_60_60, "eu", "B", "X", on=EU_CHANGE)
    assert listed(CHAIN_60_60, "uk", "B", "X")


def test_vector_minority_then_wholly_owned_is_not_blocked() -> None:
    for regime in ("us_ofac", "eu", "uk"):
        for day in (BEFORE_EU_CHANGE, EU_CHANGE):
            assert not listed(MINORITY_THEN_WHOLLY, regime, "A", "X", on=day), (regime, day)
            assert not listed(MINORITY_THEN_WHOLLY, regime, "B", "X", on=day), (regime, day)


def test_vector_listed_p25_q25_us_yes_eu_no_before_2024_07_03_uk_no() -> None:
    assert listed(P25_Q25, "us_ofac", "D", "P", "Q")
    assert not listed(P25_Q25, "eu", "D", "P", "Q", on=BEFORE_EU_CHANGE)
    assert not listed(P25_Q25, "uk", "D", "P", "Q")


def test_vector_listed_p25_q25_eu_yes_from_2024_07_03() -> None:
    assert listed(P25_Q25, "eu", "D", "P", "Q", on=EU_CHANGE)
    assert listed(P25_Q25, "eu", "D", "P", "Q", on=dt.date(2026, 6, 30))


def test_vector_listed_x50_of_a_eu_no_before_2024_07_03_yes_from_then() -> None:
    assert not listed(("X 50> A",), "eu", "A", "X", on=BEFORE_EU_CHANGE)
    assert listed(("X 50> A",), "eu", "A", "X", on=EU_CHANGE)
    assert listed(("X 50> A",), "us_ofac", "A", "X")
    assert not listed(("X 50> A",), "uk", "A", "X")


def test_vector_listed_p30_q25_us_yes_eu_yes_uk_no() -> None:
    assert listed(P30_Q25, "us_ofac", "D", "P", "Q")
    assert listed(P30_Q25, "eu", "D", "P", "Q", on=BEFORE_EU_CHANGE)
    assert listed(P30_Q25, "eu", "D", "P", "Q", on=EU_CHANGE)
    assert not listed(P30_Q25, "uk", "D", "P", "Q")


def test_eu_rule_version_follows_the_as_of_date() -> None:
    rules = load_rules()
    old, new = rules.regime("eu", BEFORE_EU_CHANGE), rules.regime("eu", EU_CHANGE)
    assert not old.inclusive and old.valid_to == BEFORE_EU_CHANGE, old
    assert new.inclusive and new.valid_from == EU_CHANGE, new
    assert rules.regime("eu", dt.date(2010, 1, 1)) is old
    assert "2024" in new.citation and "more than 50%" in old.citation


def test_dated_versions_must_follow_each_other(tmp_path: Path) -> None:
    text = RULES_FILE.read_text(encoding="utf-8")
    assert "valid_from: 2024-07-03" in text
    bad = tmp_path / "rules.yaml"
    bad.write_text(text.replace("valid_from: 2024-07-03", "valid_from: 2024-07-10"), "utf-8")
    with pytest.raises(ConfigError) as err:
        parse_rules(bad)
    assert "must start the day after the previous one ends (2024-07-02)" in str(err.value)


def test_uk_aggregates_holders_acting_jointly() -> None:
    lines = ("P 30> D @pact", "Q 25> D @pact")
    assert listed(lines, "uk", "D", "P", "Q")


def test_uk_aggregates_a_designated_person_with_what_it_controls() -> None:
    # X holds 30 % directly and 30 % through A, which it owns 60 %: one person, 60 %.
    lines = ("X 60> A", "X 30> B", "A 30> B")
    assert listed(lines, "uk", "B", "X")


def test_uk_counts_votes_separately_from_shares() -> None:
    assert listed(("X votes:60> A",), "uk", "A", "X")
    assert not listed(("X votes:60> A",), "us_ofac", "A", "X")


def test_control_counts_for_eu_and_uk_not_for_us() -> None:
    lines = ("X 10> A", "X board> A")
    assert listed(lines, "eu", "A", "X")
    assert listed(lines, "uk", "A", "X")
    assert not listed(lines, "us_ofac", "A", "X")


def test_ranges_count_at_their_lower_bound() -> None:
    assert not listed(("X 40-60> A",), "us_ofac", "A", "X")
    assert listed(("X 50-60> A",), "us_ofac", "A", "X")


def test_unknown_share_never_makes_an_entity_listed() -> None:
    assert not listed(("X shares> A",), "us_ofac", "A", "X")


def test_propagation_ends_on_a_cycle() -> None:
    g = graph("X 60> A", "A 60> B", "B 60> C", "C 60> A")
    rule = load_rules().regime("us_ofac", EU_CHANGE)
    res = propagate_status(g, mask(g, "X"), rule)
    assert [g.ids[i] for i in range(g.n) if res.listed[i]] == ["X", "A", "B", "C"]


def test_explain_names_listed_owners_and_paths() -> None:
    g = graph(*TWO_HALVES)
    rule = load_rules().regime("us_ofac", EU_CHANGE)
    res = propagate_status(g, mask(g, "X"), rule)
    why = explain(g, res, g.node("C"), rule)
    paths = [[g.ids[i] for i in p] for p in why.paths]
    assert why.listed and why.inherited and not why.direct
    assert why.aggregate == pytest.approx(0.5)
    assert [g.ids[i] for i in why.via] == ["X"]
    assert paths == [["X", "A", "C"], ["X", "B", "C"]], paths


def test_explain_below_threshold_still_names_listed_owner() -> None:
    g = graph(*MINORITY_THEN_WHOLLY)
    rule = load_rules().regime("us_ofac", EU_CHANGE)
    res = propagate_status(g, mask(g, "X"), rule)
    why = explain(g, res, g.node("A"), rule)
    assert not why.listed and why.aggregate == pytest.approx(0.4)
    assert [g.ids[i] for i in why.via] == ["X"]


def test_bis_affiliates_rule_is_dated() -> None:
    rule = load_rules().regime("us_bis_affiliates", EU_CHANGE)
    assert not rule.in_force(dt.date(2025, 9, 28))
    assert rule.in_force(dt.date(2025, 10, 15))
    assert not rule.in_force(dt.date(2025, 11, 10))
    assert not rule.in_force(dt.date(2026, 11, 9))
    assert rule.in_force(dt.date(2026, 11, 10))
    assert "90 FR 47201" in rule.citation_text(dt.date(2026, 1, 1))
    assert "verify whether" in rule.citation_text(dt.date(2026, 1, 1))


def test_ofac_excludes_ns_cmic() -> None:
    rule = load_rules().regime("us_ofac", EU_CHANGE)
    assert "CMIC-EO13959" in rule.excluded_programs
    assert rule.lists == ("us-ofac-sdn",)


def test_eu_counts_a_voting_majority_as_control() -> None:
    assert listed(("X votes:60> A",), "eu", "A", "X")


def test_rules_file_is_strict(tmp_path: Path) -> None:
    text = RULES_FILE.read_text(encoding="utf-8").replace("threshold: 0.5", "threshhold: 0.5", 1)
    bad = tmp_path / "rules.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        parse_rules(bad)
    message = str(err.value)
    assert message.startswith(f"{bad}: regimes.us_ofac.0.threshhold: Extra inputs"), message


def test_directly_listed_subject_is_not_inherited_below_threshold() -> None:
    g = graph("X 10> A")
    rule = load_rules().regime("us_ofac", EU_CHANGE)
    res = propagate_status(g, mask(g, "X", "A"), rule)
    why = explain(g, res, g.node("A"), rule)
    assert why.listed and why.direct and not why.inherited


def test_every_rule_list_is_a_known_list() -> None:
    known = set(list_registry().ids())
    for name, versions in load_rules().regimes.items():
        for rule in versions:
            assert set(rule.lists) <= known, (name, set(rule.lists) - known)
