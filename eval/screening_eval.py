"""Screening evaluation on the real lists in ../shared/data.

Two measurements at the default threshold of ``screening.yaml``:

* **recall on typed variants** — a test set drawn with a fixed seed from the organisations on the
  OFAC SDN and non-SDN, EU, UN and CSL lists: legal-suffix changes, case changes, one typo,
  known aliases of at least 5 characters, and original-script names the lists carry. A query is
  a hit when a returned match with ``match: true`` is the source entity (*strict*) or an entity
  carrying exactly the same name on another list (*same-name*; lists repeat each other, and at
  most 5 matches are returned).
* **people's names** — people on the lists whose name carries a patronymic (``Dmitriy
  Andreevich ARTYUKHOV``), typed in another common transliteration (``Dmitry Andreevich
  ARTYUHOV``) or without the patronymic (both should match the source entity), with another
  patronymic in its place (another person: should not), and with the first letter of the
  surname changed (``Sergey ZAKHAROV`` → ``Sergey SAKHAROV``, another family's name: may be a
  possible match, never a confident one, ``resolve_score``);
* **false positives on unlisted organisations** — supplier names of the ACT Government contracts
  register 2025 and organisation names of the OCDS examples; a false positive is a name with
  any ``match: true``, a confident one scores at least ``resolve_score`` (a bidder or supplier
  of that name would be taken as the listed record). Those hits are printed for review.

Run: ``.venv/bin/python eval/screening_eval.py [--data ../shared/data] [--seed 2024] [--show N]``
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.real_lists import all_entries
from rigour.names import extract_org_types

from bidvet.resolution.config import load_resolution_config
from bidvet.screening.canonical import canonical
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import default_policy
from bidvet.screening.matcher import Matcher, RawMatch
from bidvet.screening.person_names import patronymics, same_patronymic

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SUFFIXES = (
    "Ltd",
    "Limited",
    "LLC",
    "Co., Ltd.",
    "Company Limited",
    "Inc.",
    "Corporation",
    "Co.",
    "JSC",
    "GmbH",
    "LLP",
    "",
)
LETTERS = "abcdefghijklmnopqrstuvwxyz"
#: one typo is drawn only in names whose letters number at least this many: in shorter names
#: one letter changed makes another name (a 4-letter acronym with a typo is a different acronym)
TYPO_MIN_LETTERS = 8


def change_suffix(name: str, rng: random.Random) -> str:
    """Replace the legal form (or add one when there is none)."""
    found = extract_org_types(name.lower(), generic=True)
    choice = rng.choice(SUFFIXES)
    if found:
        surface = found[-1][0]
        pos = name.lower().rfind(surface)
        if pos >= 0:
            out = (name[:pos] + choice + name[pos + len(surface) :]).strip(" ,")
            if out.lower() != name.lower() and out:
                return out
    return f"{name.rstrip(' .,')} {choice or 'Ltd'}"


def change_case(name: str, rng: random.Random) -> str:
    options = [name.upper(), name.lower(), name.title()]
    options = [o for o in options if o != name] or [name.swapcase()]
    return rng.choice(options)


def one_typo(name: str, rng: random.Random) -> str:
    """Delete, insert, substitute or transpose one letter (never the first)."""
    positions = [i for i, ch in enumerate(name) if ch.isalpha() and i > 0]
    i = rng.choice(positions)
    op = rng.choice(("delete", "insert", "substitute", "transpose"))
    if op == "delete":
        return name[:i] + name[i + 1 :]
    if op == "insert":
        return name[:i] + rng.choice(LETTERS) + name[i:]
    if op == "substitute":
        new = rng.choice([c for c in LETTERS if c != name[i].lower()])
        return name[:i] + (new.upper() if name[i].isupper() else new) + name[i + 1 :]
    if i + 1 < len(name) and name[i + 1].isalpha() and name[i + 1] != name[i]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def build_variants(entries: list[Entry], seed: int, per_kind: int) -> list[dict[str, Any]]:
    """The test set: ``per_kind`` queries of each variant kind, drawn with ``seed``."""
    rng = random.Random(seed)
    orgs = [e for e in entries if e.schema != "Person" and e.names]
    out: list[dict[str, Any]] = []

    def add(kind: str, source: str, query: str, entity: Entry) -> None:
        out.append({"kind": kind, "source": source, "query": query, "entity": entity.entity_id})

    for entity in rng.sample(orgs, per_kind):
        src = entity.names[0][0]
        add("suffix", src, change_suffix(src, rng), entity)
    for entity in rng.sample(orgs, per_kind):
        src = entity.names[0][0]
        add("case", src, change_case(src, rng), entity)
    typo_pool = [e for e in orgs if sum(c.isalpha() for c in e.names[0][0]) >= TYPO_MIN_LETTERS]
    for entity in rng.sample(typo_pool, per_kind):
        src = entity.names[0][0]
        add("typo", src, one_typo(src, rng), entity)
    alias_pool = [(e, n) for e in orgs for n, k in e.names if k == "alias" and len(n.strip()) >= 5]
    for entity, alias in rng.sample(alias_pool, min(per_kind, len(alias_pool))):
        add("alias", alias, alias, entity)
    translit_pool = [(e, n) for e in orgs for n, k in e.names if not n.isascii()]
    for entity, original in rng.sample(translit_pool, min(per_kind, len(translit_pool))):
        add("transliteration", original, original, entity)
    return out


#: English words of organisation names as Russian registers transliterate them (BGN/PCGN-style
#: romanisation of the Russian loanword or translation): a bid written from Russian documents
#: names ``OOO Aviatsiya Kapital`` where a list writes ``Aviation Capital``
RUSSIAN_WORDING = {
    "engineering": "inzhiniring",
    "consulting": "konsalting",
    "management": "menedzhment",
    "systems": "sistemy",
    "technologies": "tekhnologii",
    "technology": "tekhnologiya",
    "center": "tsentr",
    "centre": "tsentr",
    "plant": "zavod",
    "factory": "zavod",
    "group": "grupp",
    "investments": "investitsii",
    "electronics": "elektronika",
    "energy": "energiya",
    "project": "proekt",
    "logistics": "logistika",
    "finance": "finans",
    "capital": "kapital",
    "holding": "kholding",
    "industries": "industriya",
    "ventures": "venchurs",
    "aviation": "aviatsiya",
    "service": "servis",
    "services": "servis",
    "company": "kompaniya",
    "corporation": "korporatsiya",
}


def wording_variants(entries: list[Entry], seed: int, per_kind: int) -> list[dict[str, Any]]:
    """Organisation names with their English words in Russian transliteration
    (:data:`RUSSIAN_WORDING`): every such word of the primary name, outside a legal-form
    phrase (``Joint Stock Company`` stays) except a closing ``Company``/``Corporation``."""
    rng = random.Random(seed)
    pool = []
    for e in entries:
        if e.schema == "Person" or not e.names or not e.names[0][0].isascii():
            continue
        words = e.names[0][0].split()
        last = len(words) - 1
        # "Company" of a legal-form phrase (Joint Stock Company, Limited Liability Company)
        # stays: only a name's own closing word is translated
        keep = {
            i
            for i, w in enumerate(words)
            if w.lower().strip(",.") in ("company", "corporation")
            and (i != last or (i > 0 and words[i - 1].lower() in ("liability", "stock")))
        }
        swap = [
            i
            for i, w in enumerate(words)
            if w.lower().strip(",.") in RUSSIAN_WORDING and i not in keep
        ]
        if swap and len(words) >= 2:
            query = " ".join(
                RUSSIAN_WORDING[w.lower().strip(",.")].upper() if i in swap else w
                for i, w in enumerate(words)
            )
            pool.append(
                {
                    "kind": "russian_wording",
                    "source": e.names[0][0],
                    "query": query,
                    "entity": e.entity_id,
                }
            )
    return rng.sample(pool, min(per_kind, len(pool)))


#: patronymics put in place of a listed person's own to make a query naming another person
OTHER_PATRONYMICS = ("Petrovich", "Ivanovich", "Nikolaevich", "Vladimirovich", "Sergeevich")


def _drop_token(name: str, word: str) -> str | None:
    """``name`` without its token that reads as ``word`` (None when there is none)."""
    tokens = name.replace(",", " , ").split()
    for i, tok in enumerate(tokens):
        if canonical(tok).words == (word,):
            rest = tokens[:i] + tokens[i + 1 :]
            return " ".join(rest).replace(" , ", ", ").strip(" ,")
    return None


#: another common transliteration of the same Cyrillic letters, tried in this order on each word
#: of a listed person's name (``Aleksey`` → ``Alexey``, ``Dmitriy`` → ``Dmitry``)
OTHER_SPELLINGS = (
    ("ks", "x"),
    ("x", "ks"),
    ("kh", "h"),
    ("iy", "y"),
    ("ey", "ei"),
    ("ei", "ey"),
    ("yev", "ev"),
    ("ay", "ai"),
)


def respell(name: str) -> str | None:
    """``name`` with each word written in another common transliteration where one applies
    (None when none does)."""
    out = []
    for token in name.split():
        low = token.lower()
        for old, new in OTHER_SPELLINGS:
            if len(low) >= 4 and old in low[1:]:
                low = low[0] + low[1:].replace(old, new, 1)
                token = low.upper() if token.isupper() else low.capitalize()
                break
        out.append(token)
    respelt = " ".join(out)
    return respelt if respelt.lower() != name.lower() else None


#: a consonant put in place of another at the start of a surname makes another family's name
#: (Zakharov / Sakharov, Belov / Pelov): voiced and voiceless pairs, none two spellings of one
#: Cyrillic letter
OTHER_CONSONANT = {"z": "s", "s": "z", "b": "p", "p": "b", "d": "t", "t": "d", "g": "k", "k": "g"}
OTHER_CONSONANT |= {"v": "f", "f": "v", "m": "n", "n": "m", "l": "r", "r": "l"}


def other_surname(name: str) -> str | None:
    """``name`` with the first letter of its surname (the word the lists write in capitals,
    ``Dmitriy Andreevich ARTYUKHOV``) changed by :data:`OTHER_CONSONANT`; None when no word
    is in capitals or its first letter is not there."""
    tokens = name.split()
    for i, token in enumerate(tokens):
        if len(token) >= 4 and token.isupper() and token.isalpha():
            first = OTHER_CONSONANT.get(token[0].lower())
            if first is None:
                return None
            tokens[i] = first.upper() + token[1:]
            return " ".join(tokens)
    return None


def person_variants(entries: list[Entry], seed: int, per_kind: int) -> list[dict[str, Any]]:
    """People on the lists whose name carries a patronymic (``Dmitriy Andreevich ARTYUKHOV``):
    the name in another common transliteration (``transliterated``: should match), without
    the patronymic (``without_patronymic``: should match), with another patronymic in its
    place (``other_patronymic``: another person, should not) and with the first letter of
    the surname changed (``other_surname``: another family's name, :func:`other_surname`;
    may be a possible match, never a confident one)."""
    rng = random.Random(seed)
    pool = []
    for e in entries:
        if e.schema != "Person" or not e.names or not e.names[0][0].isascii():
            continue
        name = e.names[0][0]
        canon = canonical(name)
        found = sorted(patronymics(canon.words, name))
        if len(found) == 1:
            pool.append((e, name, found[0]))
    out: list[dict[str, Any]] = []
    spelt = [(e, name, v) for e, name, _ in pool if (v := respell(name))]
    for e, name, variant in rng.sample(spelt, min(per_kind, len(spelt))):
        out.append(
            {"kind": "transliterated", "source": name, "query": variant, "entity": e.entity_id}
        )
    for e, name, word in rng.sample(pool, min(per_kind, len(pool))):
        query = _drop_token(name, word)
        if query:
            kind = "without_patronymic"
            out.append({"kind": kind, "source": name, "query": query, "entity": e.entity_id})
        other = rng.choice([p for p in OTHER_PATRONYMICS if not same_patronymic(p.lower(), word)])
        tokens = name.split()
        swapped = " ".join(other if canonical(t).words == (word,) else t for t in tokens)
        out.append(
            {"kind": "other_patronymic", "source": name, "query": swapped, "entity": e.entity_id}
        )
    renamed = [(e, name, v) for e, name, _ in pool if (v := other_surname(name))]
    for e, name, variant in rng.sample(renamed, min(per_kind, len(renamed))):
        out.append(
            {"kind": "other_surname", "source": name, "query": variant, "entity": e.entity_id}
        )
    return out


def unlisted_names(data: Path) -> list[str]:
    """Organisation names from the ACT contracts register and the OCDS examples."""
    names: set[str] = set()
    with (data / "au-act-contracts-2025" / "act_contracts_2025.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for part in (row["suppliers"] or "").split(";"):
                if part.strip():
                    names.add(part.strip())

    def walk(node: Any, key: str = "") -> Iterator[str]:
        if isinstance(node, dict):
            if key in ("parties", "suppliers", "tenderers", "buyer", "procuringEntity") and (
                isinstance(node.get("name"), str)
            ):
                yield node["name"]
            for k, v in node.items():
                if k != "contactPoint":
                    yield from walk(v, k)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, key)

    for path in sorted((data / "ocds-examples").rglob("*.json")):
        names.update(n.strip() for n in walk(json.loads(path.read_text(encoding="utf-8"))))
    return sorted(n for n in names if n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--per-kind", type=int, default=600)
    ap.add_argument("--show", type=int, default=15, help="misses / false positives to print")
    args = ap.parse_args()

    policy = default_policy()
    t0 = time.perf_counter()
    entries = all_entries(args.data)
    catalog = Catalog.from_entries(entries, policy.generic_org_words)
    matcher = Matcher.build(catalog, policy)
    print(
        f"catalog: {len(entries)} entities, {len(catalog)} names, "
        f"built in {time.perf_counter() - t0:.1f} s"
    )
    by_id = {e.entity_id: e for e in entries}

    def same_name(m: RawMatch, v: dict[str, Any]) -> bool:
        """``m`` is the variant's entity, or one listing its source name (the lists repeat an
        organisation under other entity ids)."""
        src_core = matcher.query_name(v["source"]).core
        return m.entity_id == v["entity"] or any(
            matcher.query_name(n).core == src_core for n, _ in by_id[m.entity_id].names
        )

    variants = build_variants(entries, args.seed, args.per_kind)
    hits: Counter[str] = Counter()
    strict: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses = []
    t0 = time.perf_counter()
    for v in variants:
        results = matcher.match(v["query"], limit=5)
        matched = [m for m in results if m.comparison.match]
        totals[v["kind"]] += 1
        same = any(same_name(m, v) for m in matched)
        if any(m.entity_id == v["entity"] for m in matched):
            strict[v["kind"]] += 1
        if same:
            hits[v["kind"]] += 1
        else:
            best = results[0] if results else None
            misses.append((v, best))
    elapsed = time.perf_counter() - t0
    n = sum(totals.values())
    print(
        f"\nrecall at threshold {policy.scoring.threshold} (seed {args.seed}, "
        f"{n} queries, {elapsed / n * 1000:.2f} ms/query):"
    )
    for kind in totals:
        print(
            f"  {kind:16s} {hits[kind] / totals[kind]:.4f} same-name  "
            f"{strict[kind] / totals[kind]:.4f} strict  (n={totals[kind]})"
        )
    print(
        f"  {'ALL':16s} {sum(hits.values()) / n:.4f} same-name  "
        f"{sum(strict.values()) / n:.4f} strict"
    )
    for v, best in misses[: args.show]:
        got = (
            (
                f"{catalog.names[best.row].original if best.row >= 0 else '?'} "
                f"{best.comparison.score:.2f}"
            )
            if best
            else "-"
        )
        print(f"  miss [{v['kind']}] {v['query']!r} (from {v['source']!r}) -> {got}")

    people = person_variants(entries, args.seed, args.per_kind)
    resolve_score = load_resolution_config().resolve_score
    found: Counter[str] = Counter()
    sure: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    wrong = []
    for v in people:
        results = matcher.match(v["query"], limit=5)
        ours = [m for m in results if m.entity_id == v["entity"] and m.comparison.match]
        hit = bool(ours)
        asked[v["kind"]] += 1
        found[v["kind"]] += hit
        confident = any(m.comparison.score >= resolve_score for m in ours)
        sure[v["kind"]] += confident
        failed = (
            confident if v["kind"] == "other_surname" else hit == (v["kind"] == "other_patronymic")
        )
        if failed:
            wrong.append((v, next((m for m in results if m.entity_id == v["entity"]), None)))
    print(
        "\npeople with a patronymic on the lists (strict: the source entity, match: true; "
        f"confident: scored at least resolve_score {resolve_score}, taken as the person):"
    )
    expected = (
        ("transliterated", "should match"),
        ("without_patronymic", "should match"),
        ("other_patronymic", "should not"),
        ("other_surname", "never confident"),
    )
    for kind, should in expected:
        if asked[kind]:
            print(
                f"  {kind:18s} {found[kind] / asked[kind]:.4f} matched, "
                f"{sure[kind] / asked[kind]:.4f} confident ({should}; n={asked[kind]})"
            )
    for v, m in wrong[: args.show]:
        got = f"{m.comparison.score:.2f}" if m else "not among the results"
        print(f"  wrong [{v['kind']}] {v['query']!r} (from {v['source']!r}) -> {got}")

    worded = wording_variants(entries, args.seed, args.per_kind)
    found_among = matched_n = 0
    wording_misses = []
    for v in worded:
        results = matcher.match(v["query"], limit=5)
        ours = [m for m in results if same_name(m, v)]
        found_among += bool(ours)
        hit = any(m.comparison.match for m in ours)
        matched_n += hit
        if not hit:
            wording_misses.append((v, ours[0] if ours else None))
    if worded:
        print(
            "\norganisation names typed with their English words in Russian transliteration "
            f"(n={len(worded)}, same-name): among the results {found_among / len(worded):.4f}, "
            f"matched {matched_n / len(worded):.4f}"
        )
    for v, m in wording_misses[: args.show]:
        got = f"{m.comparison.score:.2f}" if m else "not among the results"
        print(f"  miss {v['query']!r} (from {v['source']!r}) -> {got}")

    names = unlisted_names(args.data)
    fps = []
    for name in names:
        matched = [m for m in matcher.match(name, limit=5) if m.comparison.match]
        if matched:
            fps.append((name, matched[0]))
    n_confident = sum(1 for _, m in fps if m.comparison.score >= resolve_score)
    print(
        f"\nfalse positives on {len(names)} unlisted organisation names: {len(fps)} "
        f"= {len(fps) / len(names):.4%}; {n_confident} of them confident (scored at least "
        f"resolve_score {resolve_score}: a bidder of that name would be taken as the record)"
    )
    for name, m in fps[: args.show]:
        print(
            f"  FP {name!r} -> {catalog.names[m.row].original!r} ({m.entity_id}) "
            f"{m.comparison.score:.2f} {m.comparison.explanation[:3]}"
        )


if __name__ == "__main__":
    main()
