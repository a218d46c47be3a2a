"""Patronymics: a name without one matches the listed name with it; two that differ are two
people (fictional names; the real-list case is in test_real_lists.py)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bidvet.cli.app import cli
from bidvet.resolution.config import load_resolution_config
from bidvet.screening.canonical import canonical
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import V2, default_policy, policy_for
from bidvet.screening.index import NameIndex
from bidvet.screening.matcher import Matcher
from bidvet.screening.person_names import (
    patronymic_positions,
    patronymics_disagree,
    same_patronymic,
)
from bidvet.screening.score import compare_names
from bidvet.screening.spellings import spelling


def _words(name: str) -> list[str]:
    return list(canonical(name).words)


def test_a_patronymic_is_known_by_its_place_and_ending() -> None:
    assert patronymic_positions(_words("Dmitriy Andreevich ZORVEKHOV"), "x") == {1}
    # the surname first, before a comma: the patronymic is the last word
    assert patronymic_positions(_words("ZORVEKHOV, Dmitriy Andreevich"), "ZORVEKHOV, D A") == {2}
    # two words are a given name and a surname, whatever the surname's ending
    assert patronymic_positions(_words("Roman Quillovich"), "Roman Quillovich") == frozenset()
    # Ukrainian forms, and a surname ending like a patronymic at the end of the name
    assert patronymic_positions(_words("Olena Petrivna ZORVENKO"), "x") == {1}
    assert patronymic_positions(_words("Olena Zorvenko Quillovich"), "x") == frozenset()


def test_one_patronymic_in_two_transliterations_is_one() -> None:
    assert same_patronymic("sergeevich", "sergeyevich")
    assert same_patronymic("alekseevich", "alexeyevich")
    assert not same_patronymic("andreevich", "petrovich")
    assert not same_patronymic("ivanovich", "ivanovna")


def test_a_name_without_the_patronymic_matches_the_listed_name_with_it() -> None:
    for typed, listed in [
        ("Dmitriy Zorvekhov", "Dmitriy Andreevich ZORVEKHOV"),
        ("Dmitriy Zorvekhov", "ZORVEKHOV, Dmitriy Andreevich"),
        ("Olena Zorvenko", "Olena Petrivna ZORVENKO"),
    ]:
        found = compare_names(typed, listed)
        assert found.match, (typed, listed, found.explanation)
        assert any("patronymic" in line for line in found.explanation), found.explanation


def test_two_patronymics_that_differ_are_two_people() -> None:
    cap = default_policy().scoring.patronymic_conflict_cap
    found = compare_names("Ivan Sergeevich ZORVEKHOV", "Ivan Andreevich ZORVEKHOV")
    assert not found.match and found.score <= cap
    assert patronymics_disagree(
        _words("Ivan Sergeevich ZORVEKHOV"), "", _words("Ivan Andreevich ZORVEKHOV"), ""
    )
    same = compare_names("Ivan Sergeevich ZORVEKHOV", "Ivan Sergeyevich ZORVEKHOV")
    assert same.match, same.explanation
    # brothers share the surname and the patronymic, not the given name
    assert not compare_names("Arkadiy Zorvekhov", "Borislav Romanovich ZORVEKHOV").match
    # two given names and surnames ending like patronymics are still two names
    assert not compare_names("Roman Quillovich", "Roman Zorvekovich").match


def test_an_alias_without_the_patronymic_does_not_hide_the_listed_one() -> None:
    # the entity's full name says Petrovich; the query names a son of another father
    policy = policy_for(V2)
    entries = [
        Entry(
            "fx-zorvekhov",
            [("Alexei Petrovich ZORVEKHOV", "primary"), ("Alexei ZORVEKHOV", "alias")],
            "Person",
        )
    ]
    m = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    assert m.entity_patronymics("fx-zorvekhov") == {"petrovich"}
    (other,) = m.match("Alexei Ivanovich Zorvekhov")
    assert not other.comparison.match
    assert other.comparison.score == policy.scoring.patronymic_conflict_cap
    assert any(
        "(ivanovich) is none of the listed person's (petrovich)" in line
        for line in other.comparison.explanation
    ), other.comparison.explanation
    # the same person typed with or without the patronymic still matches
    assert m.match("Alexei Petrovich Zorvekhov")[0].comparison.match
    assert m.match("Alexei Zorvekhov")[0].comparison.match


def test_a_listed_person_is_found_in_another_transliteration() -> None:
    # read in one spelling only against a person: an organisation's words are left as typed
    policy = policy_for(V2)
    entries = [
        Entry("fx-quill", [("Alexey Sergeevich ZORVEKHOV", "primary")], "Person"),
        Entry("fx-works", [("Aleksey Quillovar Works", "primary")], "Organization"),
    ]
    m = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    for typed in ("Aleksey Zorvekhov", "Alexei Sergeyevich Zorvekhov", "Aleksej Zorvehov"):
        found = {x.entity_id: x.comparison for x in m.match(typed)}
        assert found["fx-quill"].match, (typed, found)
        assert any("transliteration:" in line for line in found["fx-quill"].explanation)
    # the organisation's "Aleksey" is compared as typed: no transliteration reading
    works = {x.entity_id: x.comparison for x in m.match("Alexey Quillovar Works")}["fx-works"]
    assert not any("transliteration:" in line for line in works.explanation), works.explanation
    assert spelling("aleksej") == spelling("alexei") == "alexey"
    assert spelling("dmitrij") == spelling("dmitrii") == spelling("dmitry")
    assert spelling("joint") == "joint" and spelling("works") == "works"


def test_a_person_typed_one_way_is_also_looked_up_the_other_way() -> None:
    policy = policy_for(V2)
    entries = [Entry("fx-quill", [("Alexey Sergeevich ZORVEKHOV", "primary")], "Person")]
    m = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    assert m.other_spellings(m.query_name("Nikita Alexandrovich Zaharov")) == [
        "nikita aleksandrovich zakharov"  # already in the one spelling: the other way only
    ]
    # the one spelling screening compares people in
    assert m.other_spellings(m.query_name("Aleksej Chaika")) == ["alexey chayka"]
    # an organisation's name (a legal form, a generic word) is looked up as typed only
    assert m.other_spellings(m.query_name("Alexa Holdings Ltd")) == []
    assert m.other_spellings(m.query_name("Zaharov")) == []  # one word
    assert m.other_spellings(m.query_name("Ivan Petrov")) == []  # nothing to change


def test_a_listed_person_is_indexed_in_the_one_spelling_too() -> None:
    """The index holds a listed person's name as the list spells it and in the one spelling
    (``quoleyev`` → ``quoleev``), so a query typed in a third transliteration (``Quoleiev``),
    looked up in that spelling, finds it among alike names that fill the candidates; an
    organisation's name is indexed as listed only."""
    policy = policy_for(V2)
    alike = [
        f"Andrey Anatolevich QUO{middle}{end}"
        for middle in ("NOV", "TOV", "SKI", "PAL", "LEN", "MAR")
        for end in ("SKY", "IN", "EV", "OV", "ENKO")
    ]
    entries = [
        Entry("fx-quill", [("Andrey Anatolyevich QUOLEYEV", "primary")], "Person"),
        Entry("fx-works", [("Quoleyev Quillovar Works", "primary")], "Organization"),
        *(Entry(f"fx-alike-{i}", [(name, "primary")], "Person") for i, name in enumerate(alike)),
    ]
    catalog = Catalog.from_entries(entries, policy.generic_org_words)
    texts = dict(zip(catalog.originals, catalog.indexed_texts(), strict=True))
    assert texts["Andrey Anatolyevich QUOLEYEV"].split()[-2:] == ["anatolevich", "quoleev"]
    assert texts["Quoleyev Quillovar Works"] == "quoleyev quillovar works"
    typed = "Andrei Anatolevich QUOLEIEV"
    listed = catalog.originals.index("Andrey Anatolyevich QUOLEYEV")
    as_listed = Matcher(catalog, NameIndex.build(catalog.cores, catalog.folded), policy)
    assert listed not in as_listed.candidates(as_listed.query_name(typed)).rows.tolist()
    m = Matcher.build(catalog, policy)
    assert listed in m.candidates(m.query_name(typed)).rows.tolist()
    found = {x.entity_id: x.comparison for x in m.match(typed)}
    assert found["fx-quill"].match, found


def test_compare_as_people_reads_the_names_as_screening_reads_a_listed_person() -> None:
    import bidvet

    typed, listed = "Aleksey Zorvekhov", "Alexey Sergeevich ZORVEKHOV"
    assert not bidvet.compare(typed, listed).match  # as organisation names: two words differ
    assert bidvet.compare(typed, listed, person=True).match
    out = CliRunner().invoke(cli, ["compare", "--person", "--json", typed, listed])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["match"] and any("transliteration:" in x for x in result["explanation"])


def test_a_slip_in_a_persons_name_is_a_possible_match_never_the_person() -> None:
    policy = policy_for(V2)
    cap = policy.scoring.person_typo_cap
    resolve_score = load_resolution_config().resolve_score
    entries = [Entry("fx-quill", [("Sergey Nikolaevich ZORVEKHOV", "primary")], "Person")]
    m = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    # another family's name one letter away, a feminine form, a doubled letter
    for typed, slip in [
        ("Sergey Sorvekhov", "'sorvehov' ~ 'zorvehov'"),
        ("Sergey Zorvekhova", "'zorvehova' ~ 'zorvehov'"),
        ("Sergey Zorrvekhov", "'zorrvehov' ~ 'zorvehov'"),
    ]:
        got = m.match(typed)[0].comparison
        assert got.match and got.score == cap < resolve_score, (typed, got)
        line = next(x for x in got.explanation if x.startswith("person_typo:"))
        assert slip in line and "(person_typo_cap)" in line, line
    # as listed, without the patronymic, or in another transliteration: the person
    for typed in ("Sergey Zorvekhov", "Sergei Zorvehov", "Sergej Nikolajevitj Zorvekhov"):
        got = m.match(typed)[0].comparison
        assert got.score >= resolve_score, (typed, got)
        assert not any(x.startswith("person_typo:") for x in got.explanation), got
    # organisations' names are read as before: the rule is for people's names only
    as_orgs = compare_names("Sergey Sorvekhov", "Sergey ZORVEKHOV")
    as_people = compare_names("Sergey Sorvekhov", "Sergey ZORVEKHOV", person=True)
    assert as_orgs.score > cap and as_people.score == cap, (as_orgs, as_people)
    assert not any(x.startswith("person_typo:") for x in as_orgs.explanation)


def test_the_lists_transliterations_of_one_letter_are_one_spelling() -> None:
    for spellings in [
        ("yampolskaya", "yampolskaia"),  # я: BGN/PCGN, ICAO passports
        ("artyukhov", "artiukhov"),  # ю
        ("natalya", "natalia", "nataliya", "nataliia"),  # ья / ия
        ("taymazov", "taimazov"),  # й inside the word
        ("timofeyeva", "timofeieva", "timofeeva"),  # е after a vowel
        ("grigoryeva", "grigorieva", "grigoreva"),  # ье, the soft sign left out
        ("viktorovich", "viktorovitj"),  # the EU list's Swedish transliteration of ч
        ("mishonova", "misjonova"),  # and of ш
        ("bekkhan", "bekhan"),  # кх
    ]:
        assert len({spelling(w) for w in spellings}) == 1, spellings
    # two letters of the other script stay two (з/с), and so do English words
    assert spelling("zakharov") != spelling("sakharov")
    assert spelling("ivanov") != spelling("ivanova")
    assert spelling("joint") == "joint"
