"""A fixed sample of screening and xref queries over fictional names, and its recorded results.

``tests/screening/fixtures/score_sample.json`` holds the results the sample gave when it was
recorded; ``test_score_sample.py`` checks that candidate generation, caching and batching
changes leave every score and decision as recorded. The names are invented (syllables, common
business words and legal forms), so the fixture carries no real entity.

Regenerate (only when the scoring itself is meant to change, e.g. a refitted model):
``.venv/bin/python -m tests.screening.score_sample``.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

from bidvet.resolution.config import load_resolution_config
from bidvet.resolution.xref import Record, propose
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import V1, V2, policy_for
from bidvet.screening.matcher import Matcher

FIXTURE = Path(__file__).parent / "fixtures" / "score_sample.json"
SRC = Path(__file__).resolve().parents[2] / "src" / "bidvet" / "screening"
#: the files a score depends on: when one of them changed since the fixture was recorded the
#: scores may differ for reasons outside candidate generation, and the fixture is regenerated
SCORING_FILES = {
    V1: ("features.py", "normalize.py", "screening.yaml"),
    V2: ("canonical.py", "features_v2.py", "model_v2.py", "name_model_v2.yaml"),
}

SYLLABLES = (
    "ka", "ri", "to", "mo", "sa", "ve", "lin", "dor", "tar", "nis", "bor", "quil", "lon",
    "mar", "ten", "vel", "zan", "tek", "pol", "gra", "nor", "sun", "tri", "val", "kor",
)  # fmt: skip
BUSINESS = (
    "Group", "Holdings", "International", "Technology", "Trading", "Systems", "Industries",
    "Bank", "Shipping", "Energy", "Logistics", "Digital",
)  # fmt: skip
FORMS = ("Ltd", "LLC", "GmbH", "Co., Ltd.", "Inc.", "SA", "Oy", "AB", "")
COUNTRIES = ("fi", "de", "gb", "cn", "ru", "us")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 4)))).title()


def names(n: int = 3000, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        words = [_word(rng) for _ in range(rng.choice((1, 2, 2, 3)))]
        if rng.random() < 0.5:
            words.append(rng.choice(BUSINESS))
        core = " ".join(words)
        if core not in seen:
            seen.add(core)
            out.append(f"{core} {rng.choice(FORMS)}".strip())
    return out


def variant(name: str, rng: random.Random) -> str:
    """A typed variant: another form, case, one typo, a dropped word, words run together."""
    kind = rng.choice(("form", "case", "typo", "drop", "join", "generic"))
    words = name.split()
    if kind == "form":
        return " ".join([*[w for w in words if w not in " ".join(FORMS).split()], "Limited"])
    if kind == "case":
        return name.upper()
    if kind == "drop" and len(words) > 2:
        return " ".join(words[1:])
    if kind == "join" and len(words) > 2:
        return words[0] + words[1] + " " + " ".join(words[2:])
    if kind == "generic":
        return " ".join([*words[:-1], "Group", words[-1]])
    i = rng.randrange(1, len(name))
    return name[:i] + name[i + 1 :]


def entries() -> list[Entry]:
    rng = random.Random(11)
    out = []
    all_names = names()
    for i, name in enumerate(all_names):
        extra = [(all_names[(i * 7 + 3) % len(all_names)].upper(), "weak")] if i % 17 == 0 else []
        out.append(Entry(f"e-{i}", [(name, "primary"), *extra], countries=[rng.choice(COUNTRIES)]))
    return out


def queries(k: int = 240, seed: int = 3) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    all_names = names()
    out: list[tuple[str, str | None]] = []
    for _ in range(k):
        name = all_names[rng.randrange(len(all_names))]
        out.append((variant(name, rng), rng.choice((None, *COUNTRIES))))
    out += [(_word(rng) + " " + _word(rng) + " Ltd", None) for _ in range(20)]  # unknown names
    return out


def screening_results(algorithm: str, matcher: Matcher | None = None) -> list[Any]:
    """``[query, country, [[entity_id, row, score, match, explanation], ...]]`` per query (one
    by one and in one batch must agree; the batch is recorded)."""
    policy = policy_for(algorithm)
    matcher = matcher or Matcher.build(
        Catalog.from_entries(entries(), policy.generic_org_words), policy
    )
    qs = queries()
    batch = matcher.match_many(qs, limit=5)
    return [
        [
            q,
            c,
            [
                [
                    m.entity_id,
                    m.row,
                    m.comparison.score,
                    m.comparison.match,
                    m.comparison.explanation,
                ]
                for m in res
            ],
        ]
        for (q, c), res in zip(qs, batch, strict=True)
    ]


def xref_results() -> list[Any]:
    """``[left, right, score, name_score, linked]`` of every proposal of a fixed xref."""
    ents = entries()
    right = [
        Record(e.entity_id, "right", tuple(e.names[:1]), tuple(e.countries)) for e in ents[:2000]
    ]
    rng = random.Random(17)
    left = [
        Record(f"l-{i}", "left", ((q, "primary"),), (c,) if c else ())
        for i, (q, c) in enumerate(queries(300, seed=23))
    ]
    left += [
        Record(f"l-d{i}", "left", ((rng.choice(right).caption, "primary"),), ()) for i in range(40)
    ]  # names typed exactly as a right record's, several of them more than once
    result = propose(left, right, config=load_resolution_config().xref)
    return [
        [p.left.entity_id, p.right.entity_id, p.score, p.name_score, p.linked]
        for p in result.proposals
    ]


def scoring_digest(algorithm: str) -> str:
    h = hashlib.sha256()
    for name in SCORING_FILES[algorithm]:
        h.update((SRC / name).read_bytes())
    return h.hexdigest()


def record() -> dict[str, Any]:
    return {
        "about": "scores and decisions of a fixed fictional sample; see score_sample.py",
        "digests": {alg: scoring_digest(alg) for alg in (V1, V2)},
        V1: screening_results(V1),
        V2: screening_results(V2),
        "xref": xref_results(),
    }


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(record(), indent=0) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE}")
