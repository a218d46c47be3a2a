"""Which typed slips in people's names make another person's name, measured on the lists.

A listed person's own names (primary and aliases, Latin letters) are spellings of one name:
pairs of them that differ in one word by a typed slip (matcher v2's ``word_agrees``) are slips
the lists themselves accept as *one* person (``Mohamed`` / ``Mohammed``, ``Hasan`` /
``Hassan``). Two entities of one list whose names differ the same way are, as a rule, two
people (``Kamal`` / ``Jamal``, ``Naing`` / ``Kaing``). Both kinds are counted after the names
are read as matcher v2 reads a person's name (one spelling of the Cyrillic transliterations,
patronymics set aside), and split by the kind of slip: a consonant changed (:func:`consonants`
differ: ``Zakharov`` / ``Sakharov``), a feminine form (``Ivanov`` / ``Ivanova``), or vowels,
doubled letters and ``h`` only (``Mohamed`` / ``Mohammed``). If a kind of slip were found
mostly between two people and another mostly within one, the matcher could hold only the
first to a possible match; the figures say whether it can (``person_typo_cap``).

It also compares a sample of the pairs of a listed person's own names (any two, drawn with a
fixed seed) as screening compares a query with a listed person, and prints the share that
match and the share taken as the person (at least ``resolve_score``): what a name spelt one of
the ways a list spells it, but compared with another of its spellings, scores.

Run: ``.venv/bin/python eval/person_slips.py [--data ../shared/data] [--show N] [--sample N]``
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.real_lists import all_entries

from bidvet.resolution.config import load_resolution_config
from bidvet.screening.canonical import canonical
from bidvet.screening.features_v2 import word_agrees
from bidvet.screening.person_names import patronymic_positions
from bidvet.screening.score import compare_names
from bidvet.screening.spellings import as_person, cross_script_spelling

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_VOWELS_AND_H = re.compile("[aeiouyh]+")
_DOUBLED = re.compile(r"(.)\1+")


def consonants(word: str) -> str:
    """The consonants of ``word`` in one spelling (the spellings of one letter made one by
    :func:`~bidvet.screening.spellings.cross_script_spelling`), without vowels and ``h``, and
    doubled letters written once: ``mohammed`` and ``muhamed`` are ``mmd``."""
    return _DOUBLED.sub(r"\1", _VOWELS_AND_H.sub("", cross_script_spelling(word)))


def kind(a: str, b: str) -> str:
    """The kind of slip between two words of a person's name (see the module docstring)."""
    if a + "a" == b or b + "a" == a:
        return "feminine form"
    if consonants(a) != consonants(b):
        return "a consonant changed"
    return "vowels, doubled letters or h only"


def read(name: str) -> tuple[str, ...]:
    """The distinctive words of a person's name as matcher v2 compares them with a listed
    person (patronymics left out)."""
    canon = as_person(canonical(name))
    kept = patronymic_positions(canonical(name).words, name)
    return tuple(
        w
        for i, (w, r) in enumerate(zip(canon.words, canon.roles, strict=True))
        if r == "distinctive" and i not in kept
    )


def one_slip(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, str] | None:
    """The two words when ``a`` and ``b`` differ in one word only, by a typed slip."""
    only_a, only_b = set(a) - set(b), set(b) - set(a)
    if len(a) != len(b) or len(only_a) != 1 or len(only_b) != 1:
        return None
    x, y = next(iter(only_a)), next(iter(only_b))
    return (x, y) if word_agrees(x, y) else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--show", type=int, default=10, help="examples of each kind to print")
    ap.add_argument("--sample", type=int, default=3000, help="own-name pairs to compare")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    people = [e for e in all_entries(args.data) if e.schema == "Person"]
    same: list[tuple[str, str]] = []
    buckets: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] = defaultdict(list)
    for e in people:
        names = {read(n) for n, kind in e.names if n.isascii() and kind != "weak"}
        names = {n for n in names if len(n) >= 2}
        for a, b in itertools.combinations(sorted(names), 2):
            if slip := one_slip(a, b):
                same.append(slip)
        source = e.entity_id.split("-")[0]
        for n in names:
            words = sorted(n)
            for i, w in enumerate(words):
                buckets[(source, tuple(words[:i] + words[i + 1 :]))].append((e.entity_id, w))
    two: list[tuple[str, str]] = []
    for items in buckets.values():
        for (e1, w1), (e2, w2) in itertools.combinations(items, 2):
            if e1 != e2 and w1 != w2 and word_agrees(w1, w2):
                two.append((w1, w2))
    print(f"{len(people)} listed people; pairs of names one typed slip apart, by kind of slip:")
    kinds = ("a consonant changed", "feminine form", "vowels, doubled letters or h only")
    for label, pairs in (
        ("within one person's own names", same),
        ("between two entities of one list", two),
    ):
        by_kind = Counter(kind(*p) for p in pairs)
        shares = ", ".join(f"{k} {by_kind[k]} ({by_kind[k] / len(pairs):.1%})" for k in kinds)
        print(f"  {label}: {len(pairs)}: {shares}")
        for k in kinds:
            shown = Counter(p for p in pairs if kind(*p) == k).most_common(args.show)
            print(f"    {k}: {', '.join(f'{a}/{b}' for (a, b), _ in shown)}")

    own: list[tuple[str, str]] = []
    for e in people:
        spelt = sorted(
            {n for n, how in e.names if n.isascii() and how != "weak" and len(n.split()) > 1}
        )
        own += [(a, b) for a, b in itertools.combinations(spelt, 2) if a.lower() != b.lower()]
    drawn = random.Random(args.seed).sample(own, min(args.sample, len(own)))
    resolve_score = load_resolution_config().resolve_score
    scores = [compare_names(a, b, person=True) for a, b in drawn]
    matched = sum(c.match for c in scores) / len(drawn)
    sure = sum(c.score >= resolve_score for c in scores) / len(drawn)
    held = sum(any(x.startswith("person_typo:") for x in c.explanation) for c in scores)
    print(
        f"a listed person's own names compared one with another ({len(drawn)} of {len(own)} "
        f"pairs, seed {args.seed}): matched {matched:.4f}, confident (resolve_score "
        f"{resolve_score}) {sure:.4f}; held by person_typo_cap {held}"
    )


if __name__ == "__main__":
    main()
