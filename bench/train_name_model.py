"""Fit matcher v2's coefficients (``src/bidvet/screening/name_model_v2.yaml``).

Everything is built from ../shared/data only, seeded, so it is the same on every run.

**Split by entity.** An organisation of the official lists whose id's SHA-256 starts with
``0``-``3`` (a quarter of them) is *held out*: none of its names appears in the training set;
it gives the validation set. The supplier names of the ACT contracts register are split by the
first hex digit of their SHA-256: even digits train, odd digits (the held-out half) validate;
``bench/name_bench.py`` reports its false positives on the same held-out half, so that figure
is the one the operating point was chosen under, not an independent one.

**Training set**:

* *positives*, pairs of names of one organisation:
  - the lists' own alias groups: each organisation's primary name with each of its other names
    (at most ``--per-entity`` per entity; weak AKAs left out; an alias that is not a spelling
    of the name, a former name or a translation of its distinctive words, is left out too,
    see :func:`related`; translated and transliterated words the matcher reads as one term,
    ``Zavod Fiolent`` / ``Fiolent Plant``, are kept; names in another script are kept when
    they are a transliteration of the name);
  - typed variants of list names, one per failure class the way an officer types them
    (:func:`variants`): one typo (long names), another legal form, a legal-form word typed
    with a slip (``Co., td.``, ``CCo., Ltd.``), a generic word inserted before the legal form,
    ``&`` for ``and``, an abbreviation, a number word for a digit, two words run together or one
    split, one edit in a short distinctive word, the name without its first word or its generic
    words, the name's one distinctive word alone (``Huawei``), its initials (``IRGC``);
* *negatives*, pairs of different organisations that look alike:
  - each sampled list name with the names the candidate index puts nearest to it among the
    *other* entities of the *same* list (siblings, subsidiaries, companies sharing words);
  - the training supplier names with every list name the candidate index proposes for them;
  - siblings made from list names: a country added after the name (``Banco Santander`` /
    ``Banco Santander México``) and fund series (``… Partners VII`` / ``VIII``).
  Pairs whose two names read the same to matcher v2 are dropped from the negatives.

**Validation set** (held-out entities and the validation supplier quarter, built the same way):
positives by failure class (the variants above, alias pairs, transliterations), negatives by
kind (list neighbours, siblings, fund series) and, per held-out supplier name, the highest
score over every list name the candidate index proposes against *all* the lists (persons
too, as screening does): a supplier false positive is a name whose highest score reaches the
threshold.

**Model choices, all made on the validation set**: several candidate models are fitted
(:data:`CONFIGS`: feature set, weight of the negatives); for each, the threshold maximising F1
on the validation pairs while the validation supplier false positives stay at most
:data:`MAX_SUPPLIER_FP` is found (clearing the highest supplier score it keeps below it by
:data:`FLOOR_MARGIN`, more than rounding the file's coefficients and the scores can move
it), the false positives among all the supplier names (both halves: what
``tests/screening/test_matcher_v2_suppliers.py`` counts) staying at most that rate too; the
model with the best validation F1 there is kept. Its intercept is then shifted so
that this threshold reads as the documented default threshold (``screening.yaml``, 0.70): the
shift is recorded in the file (``operating_point``).

**Model**: logistic regression on the features of :mod:`bidvet.screening.features_v2`, fitted
by L-BFGS (scipy) on the log loss summed over pairs, the negatives weighing a configured
multiple of the positives in total (1 = balanced classes), with an L2 penalty ``--l2``
(default 1.0) on the coefficients (not the intercept); among the negatives, a supplier-name
pair weighs ``--supplier-weight`` (default 5) times a list-neighbour pair. The word-frequency
table the rarity features read is counted over every organisation name of the lists
(no labels) and shipped in the model file. The English word frequencies
:func:`~bidvet.screening.features_v2.shared_common` reads come from wordfreq (a dev dependency)
and are shipped beside it (``common_words_en.tsv``, see :mod:`bidvet.screening.common_words`).

nomenklatura's name bench is never read here: it is a test (``bench/name_bench.py``).

Run: ``.venv/bin/python bench/train_name_model.py [--data ../shared/data] [--check]``. It prints
the validation figures of every candidate model and of the one kept. The output is
byte-identical on every run over the same data; ``--check`` fails if the shipped file differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.real_lists import all_entries  # noqa: E402
from eval.screening_eval import unlisted_names  # noqa: E402

from bidvet.screening import common_words  # noqa: E402
from bidvet.screening.canonical import STOP_WORDS, canonical  # noqa: E402
from bidvet.screening.catalog import Catalog, Entry  # noqa: E402
from bidvet.screening.config import V2, default_policy, policy_for  # noqa: E402
from bidvet.screening.features_v2 import (  # noqa: E402
    FEATURES_V2,
    PairV2,
    WordFrequencies,
    acronym,
    feature_vector,
    use_word_frequencies,
    word_rarity,
)
from bidvet.screening.matcher import Matcher  # noqa: E402
from bidvet.screening.model_v2 import ALGORITHM, MODEL_FILE  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
SEED = 20240513
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SUFFIXES = ("Ltd", "Limited", "LLC", "Co., Ltd.", "Inc.", "Corporation", "GmbH", "JSC", "")
#: legal forms a slip is typed into (:func:`form_slip`)
SLIP_FORMS = ("Co., Ltd.", "Ltd.", "Co.", "Inc.", "LLC", "Corp.", "GmbH", "Limited")
INSERTED = ("Group", "Holding", "Holdings", "International", "Company", "Global")
COUNTRIES = ("Mexico", "Brasil", "Chile", "Schweiz", "France", "Deutschland", "Asia", "UK")
ABBREV = {"international": "Intl", "technology": "Tech", "manufacturing": "Mfg", "and": "&"}
NUMBERS = {"1": "One", "2": "Two", "3": "Three", "first": "1st", "second": "2nd"}
Pair = tuple[int, str, str]  # label, query, candidate
KindPair = tuple[str, int, str, str]  # kind, label, query, candidate
#: entity ids whose SHA-256 starts with one of these are held out for validation
HELD_OUT_ENTITY = frozenset("0123")
#: supplier names whose SHA-256 starts with one of these train / validate (the held-out half)
TRAIN_SUPPLIER = frozenset("02468ace")
VALIDATION_SUPPLIER = frozenset("13579bdf")
#: the validation supplier false-positive rate the operating point may not exceed
MAX_SUPPLIER_FP = 0.005
#: the least logit by which the chosen threshold clears the highest supplier score it must
#: keep below it: the model file rounds each coefficient to four decimals and a score is
#: rounded to four decimals, together up to about 0.002 in logit near the threshold, so a
#: supplier name placed a hair below the threshold here could read as a match in use
#: (``Amber Technology Ltd`` / ``Amber SUN`` fitted 0.69999, reported 0.7000)
FLOOR_MARGIN = 0.01
#: the default threshold (screening.yaml) the chosen operating point is shifted to
DEFAULT_THRESHOLD = default_policy().scoring.threshold
ROUND1 = tuple(list(FEATURES_V2)[:19])


@dataclass(frozen=True)
class Config:
    """A candidate model: which features, and the negatives' total weight over the positives."""

    name: str
    features: tuple[str, ...]
    neg_weight: float


#: the candidate models compared on the validation set
CONFIGS = (
    Config("round-1 features, negatives x10", ROUND1, 10.0),
    Config("round-1 features, balanced", ROUND1, 1.0),
    *(
        Config(f"all features, negatives x{w:g}", tuple(FEATURES_V2), w)
        for w in (1.0, 2.0, 3.0, 5.0, 10.0, 20.0)
    ),
)


def digit(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[0]


def is_org(e: Entry) -> bool:
    return e.schema != "Person"


#: a typo is drawn only in names whose distinctive words have at least this many letters: in
#: shorter names one letter changed makes another name (``Integra`` / ``Integral``)
TYPO_MIN_LETTERS = 8


def slip(word: str, rng: random.Random) -> str:
    """One slip inside a word: a letter dropped, doubled, or two letters swapped."""
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if len(letters) < 2:
        return word
    i = rng.choice(letters)
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + word[i + 1 :]
    if op == 1:
        return word[:i] + word[i] + word[i:]
    j = letters[letters.index(i) + 1] if i != letters[-1] else letters[-2]
    a, b = min(i, j), max(i, j)
    return word[:a] + word[b] + word[a + 1 : b] + word[a] + word[b + 1 :]


def typo(name: str, rng: random.Random) -> str | None:
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    distinctive = "".join(canonical(name).of_role("distinctive"))
    if len(distinctive) < TYPO_MIN_LETTERS:
        return None
    i = rng.choice(letters[1:-1])
    op = rng.randrange(4)
    if op == 0:
        return name[:i] + name[i + 1 :]
    if op == 1:
        return name[:i] + rng.choice(LETTERS) + name[i + 1 :]
    if op == 2:
        return name[:i] + rng.choice(LETTERS) + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :] if i + 1 < len(name) else None


def form_slip(core: str, rng: random.Random) -> str:
    """``core`` with a legal form typed with one slip (``Co., td.``, ``CCo., Ltd.``)."""
    form = rng.choice(SLIP_FORMS)
    parts = form.split()
    k = rng.randrange(len(parts))
    parts[k] = slip(parts[k], rng)
    return f"{core} {' '.join(parts)}"


def _title(words: Sequence[str]) -> str:
    return " ".join(w.title() for w in words)


def variants(name: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    """Officer-typed variants of a list name, each with its failure class."""
    words = name.split()
    canon = canonical(name)
    core = _title(canon.words)
    distinct = canon.of_role("distinctive", "number")
    t = typo(name, rng)
    if t:
        yield "typo", t
    yield "legal_form", f"{core} {rng.choice(SUFFIXES)}".strip()
    yield "legal_form_typo", form_slip(core, rng)
    if distinct:
        yield "generic_inserted", f"{core} {rng.choice(INSERTED)} {rng.choice(SUFFIXES)}".strip()
    swapped = [ABBREV.get(w.lower(), w) for w in words]
    if swapped != words:
        yield "abbreviation_or_ampersand", " ".join(swapped)
    if "&" in name:
        yield "abbreviation_or_ampersand", name.replace("&", " and ")
    numbered = [NUMBERS.get(w.lower(), w) for w in words]
    if numbered != words:
        yield "number_word", " ".join(numbered)
    # run two adjacent distinctive words together, or split one, as written (legal forms and
    # stop words stay whole: a slip inside "Limited Liability" is not what this teaches)
    pairs = [
        (a, b)
        for (a, ra), (b, rb) in zip(
            zip(canon.words, canon.roles, strict=True),
            zip(canon.words[1:], canon.roles[1:], strict=True),
            strict=False,
        )
        if ra == rb == "distinctive"
    ]
    if pairs:
        a, b = rng.choice(pairs)
        joined = re.sub(rf"(?i)\b({re.escape(a)})\s+({re.escape(b)})\b", r"\1\2", name, count=1)
        if joined != name:
            yield "joined_split", joined
    long_words = [w for w in canon.of_role("distinctive") if len(w) >= 8]
    if long_words:
        w = rng.choice(long_words)
        half = len(w) // 2
        split = re.sub(
            rf"(?i)\b({re.escape(w[:half])})({re.escape(w[half:])})\b", r"\1 \2", name, count=1
        )
        if split != name:
            yield "joined_split", split
    short = [w for w in canon.of_role("distinctive") if 5 <= len(w) <= 7]
    if short and len(distinct) >= 2:
        w = rng.choice(short)
        typed = [slip(x, rng) if x == w else x for x in canon.words]
        yield "short_word_edit", f"{_title(typed)} {rng.choice(SUFFIXES)}".strip()
    # partial names: what is left must still name the company (:func:`names_company`); a
    # legal form is typed after half of them
    generic_kept = [w for w, r in zip(canon.words, canon.roles, strict=True) if r != "generic"]
    for kind, part in (
        ("partial_name", canon.words[1:]),  # without its first word (a place prefix)
        ("partial_name", generic_kept),  # without its generic words
        ("partial_one_word", distinct[:1] if canon.words[:1] == distinct[:1] else ()),
    ):
        if not part or list(part) == list(canon.words) or not names_company(part, canon.words):
            continue
        form = rng.choice(SUFFIXES) if rng.random() < 0.5 else ""
        yield kind, f"{_title(part)} {form}".strip()
    initials_of = [w for w in canon.words if w not in STOP_WORDS]
    if 3 <= len(initials_of) <= 6:
        yield "acronym", "".join(w[0] for w in initials_of).upper()


#: a word left alone in a partial name must be at least this rare (:func:`word_rarity`: in
#: about a dozen list names at most) and have five letters
PARTIAL_MIN_RARITY = 0.64


def names_company(words: Sequence[str], whole: Sequence[str]) -> bool:
    """A partial name (``words``, taken from the name ``whole``) still names its company: two
    distinctive words (not numbers); or one rare distinctive word of five letters or more that
    either opens the whole name (``Huawei`` for ``Huawei Technologies``) or keeps a generic word
    after it (``Dahua Technology`` for ``Zhejiang Dahua Technology``). A rare word that closed a
    longer name (``Integra`` from ``Ostek-Integra``) is not taken alone: it often names another
    company."""
    c = canonical(" ".join(words))
    distinct = c.of_role("distinctive")
    if len(distinct) >= 2:
        return True
    if len(distinct) != 1 or len(distinct[0]) < 5 or word_rarity(distinct[0]) < PARTIAL_MIN_RARITY:
        return False
    return whole[0] == distinct[0] or "generic" in c.roles[c.words.index(distinct[0]) :]


def related(a: str, b: str) -> bool:
    """One name is a spelling of the other: every distinctive word of the name with fewer of
    them finds a partner in the other (tolerated typos, and words that are one term written
    another way, :mod:`bidvet.screening.terms`, included), or one is the other's acronym.

    An alias worded differently (a former name: "Sepah" for the IRGC; a translation of its
    distinctive words) is not a spelling of the name: the catalog holds it as a name of its
    own, which a query typed like it matches, and no feature can see the relation, so such
    pairs would only teach the model noise.
    """
    pair = PairV2(canonical(a), canonical(b))
    if acronym(pair) == 1.0:
        return True
    sides = [
        [m for m, r in zip(matched, name.roles, strict=True) if r in ("distinctive", "number")]
        for name, matched in zip((pair.query, pair.candidate), pair.alignment, strict=True)
    ]
    shorter = min(sides, key=len)
    return bool(shorter) and all(shorter)


def positives(orgs: list[Entry], per_entity: int, rng: random.Random) -> list[KindPair]:
    out: list[KindPair] = []
    for e in orgs:
        names = [n for n, k in e.names if k != "weak" and n.strip()]
        if not names:
            continue
        primary = names[0]
        script = canonical(primary).script
        for other in list(dict.fromkeys(names[1:]))[:per_entity]:
            if canonical(other).words != canonical(primary).words and related(other, primary):
                kind = "alias" if canonical(other).script == script else "transliteration"
                out.append((kind, 1, other, primary))
    sample = rng.sample(orgs, min(len(orgs), 4000))
    for e in sample:
        primary = e.names[0][0]
        if canonical(primary).script != "latin":
            continue
        for kind, v in variants(primary, rng):
            if v.strip() and v != primary:
                out.append((kind, 1, v, primary))
    return out


def neighbour_negatives(orgs: list[Entry], rng: random.Random, per_name: int) -> list[KindPair]:
    """Each sampled list name with its index neighbours among other entities of its list."""
    policy = default_policy()
    catalog = Catalog.from_entries(orgs, policy.generic_org_words)
    matcher = Matcher.build(catalog, policy)
    source = [eid.rsplit("-", 1)[0] for eid in catalog.entity_ids]
    out: list[KindPair] = []
    rows = rng.sample(range(len(catalog)), min(len(catalog), 6000))
    for row in rows:
        query = catalog.names[row]
        eid = catalog.entity_ids[row]
        taken = 0
        for cand in matcher.candidates(query).rows:
            c = int(cand)
            if catalog.entity_ids[c] == eid or source[c] != source[row]:
                continue
            out.append(("list_neighbour", 0, query.original, catalog.names[c].original))
            taken += 1
            if taken == per_name:
                break
    return out


def supplier_candidate_rows(matcher: Matcher, name: str) -> list[int]:
    """The rows of every list name the candidate index proposes for ``name`` (and exact
    namesakes), as screening reads them (:meth:`Matcher.candidate_rows`)."""
    q = matcher.query_name(name)
    return matcher.candidate_rows(q, matcher.candidates(q))[0]


def supplier_candidates(matcher: Matcher, name: str) -> list[str]:
    """Every list name the candidate index proposes for ``name`` (and exact namesakes)."""
    return [matcher.catalog.names[r].original for r in supplier_candidate_rows(matcher, name)]


def sibling_negatives(orgs: list[Entry], rng: random.Random) -> list[KindPair]:
    out: list[KindPair] = []
    for e in rng.sample(orgs, min(len(orgs), 1500)):
        name = e.names[0][0]
        if canonical(name).script != "latin":
            continue
        core = _title(canonical(name).words)
        out.append(("sibling", 0, f"{core} {rng.choice(COUNTRIES)}", name))
        k = rng.randrange(2, 9)
        roman = ["II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
        out.append(
            ("fund_series", 0, f"{core} Partners {roman[k - 2]}", f"{core} Partners {roman[k - 1]}")
        )
    return out


def clean(pairs: list[KindPair]) -> list[KindPair]:
    """One space inside names; negatives that read the same dropped; sorted, unique."""
    out = set()
    for kind, y, a, b in pairs:
        a, b = " ".join(a.split()), " ".join(b.split())
        if not a or not b or (y == 0 and canonical(a).words == canonical(b).words):
            continue
        out.add((kind, y, a, b))
    return sorted(out)


@dataclass
class Sets:
    train: list[KindPair]
    train_suppliers: set[str]
    validation: list[KindPair]
    #: per validation supplier name, the list names it would be scored against
    validation_suppliers: dict[str, list[str]]


def word_table(orgs: list[Entry], min_count: int) -> WordFrequencies:
    """How many organisation names of the lists contain each word (no labels read)."""
    counts: Counter[str] = Counter()
    names = 0
    for e in orgs:
        for n, _ in e.names:
            counts.update(set(canonical(n).words))
            names += 1
    kept = {w: c for w, c in counts.items() if c >= min_count}
    return WordFrequencies(names, min_count, dict(sorted(kept.items())))


def common_word_table() -> dict[str, float]:
    """English words (``a``-``z`` only) and their Zipf frequency in wordfreq's ``best`` English
    list, rounded as wordfreq rounds them, at :data:`~common_words.MIN_ZIPF` or more."""
    import wordfreq

    out = {}
    for word, freq in wordfreq.get_frequency_dict("en", wordlist="best").items():
        value = round(math.log10(freq) + 9, 2)
        if value >= common_words.MIN_ZIPF and re.fullmatch("[a-z]+", word):
            out[word] = value
    return dict(sorted(out.items()))


def render_common_words(table: dict[str, float]) -> str:
    from importlib.metadata import version

    lines = [
        "# English words and their Zipf frequency (log10 of occurrences per billion words) in",
        f"# wordfreq {version('wordfreq')}'s 'best' English word list; a-z words only, at Zipf "
        f"{common_words.MIN_ZIPF} or more.",
        "# One line per frequency: the Zipf value, a tab, the words that have it.",
        "# Source: Robyn Speer, wordfreq, https://github.com/rspeer/wordfreq, "
        "doi:10.5281/zenodo.7199437.",
        "# Licence: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), as wordfreq's",
        "# data this table is derived from. Built by bench/train_name_model.py; do not edit.",
    ]
    by_value: dict[float, list[str]] = {}
    for word, value in table.items():
        by_value.setdefault(value, []).append(word)
    lines += [f"{v:.2f}\t{' '.join(ws)}" for v, ws in sorted(by_value.items(), reverse=True)]
    return "\n".join(lines) + "\n"


def build_sets(data: Path, per_entity: int) -> tuple[Sets, WordFrequencies]:
    rng = random.Random(SEED)
    entries = all_entries(data)
    orgs = [e for e in entries if is_org(e)]
    table = word_table(orgs, min_count=5)
    use_word_frequencies(table)  # the rarity features read it from here on
    train_orgs = [e for e in orgs if digit(e.entity_id) not in HELD_OUT_ENTITY]
    held_orgs = [e for e in orgs if digit(e.entity_id) in HELD_OUT_ENTITY]
    # split on the name as read (as bench/name_bench.py does), then one space inside it
    suppliers = unlisted_names(data)
    train_sup = sorted({" ".join(n.split()) for n in suppliers if digit(n) in TRAIN_SUPPLIER})
    val_sup = sorted({" ".join(n.split()) for n in suppliers if digit(n) in VALIDATION_SUPPLIER})
    policy = policy_for(V2)
    full = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    train = positives(train_orgs, per_entity, rng)
    train += neighbour_negatives(train_orgs, rng, per_name=3)
    train += [("supplier", 0, n, c) for n in train_sup for c in supplier_candidates(full, n)]
    train += sibling_negatives(train_orgs, rng)
    validation = positives(held_orgs, per_entity, rng)
    validation += neighbour_negatives(held_orgs, rng, per_name=3)
    validation += sibling_negatives(held_orgs, rng)
    val_cands = {n: supplier_candidates(full, n) for n in val_sup}
    return Sets(clean(train), set(train_sup), clean(validation), val_cands), table


def fit(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    boost: npt.NDArray[np.float64],
    l2: float,
    neg_weight: float,
) -> npt.NDArray[np.float64]:
    """L2-penalised logistic regression, the negatives weighing ``neg_weight`` times the
    positives in total and each pair ``boost`` times its class's share; returns [intercept,
    coefficients]."""
    pos = float((boost * y).sum())
    neg = float((boost * (1 - y)).sum())
    share = neg_weight / (1.0 + neg_weight)
    w = boost * np.where(y == 1, (1.0 - share) / pos, share / neg) * len(y)
    xb = np.hstack([np.ones((len(x), 1)), x])
    penalty = np.full(xb.shape[1], l2)
    penalty[0] = 0.0

    def loss(beta: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        z = xb @ beta
        p = 1.0 / (1.0 + np.exp(-z))
        ll = np.logaddexp(0.0, z) - y * z
        value = float((w * ll).sum() + 0.5 * (penalty * beta**2).sum())
        grad = xb.T @ (w * (p - y)) + penalty * beta
        return value, grad

    res = minimize(
        loss,
        np.zeros(xb.shape[1]),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 2000, "gtol": 1e-10},
    )
    return np.asarray(res.x, dtype=np.float64)


def features_of(pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
    return np.array(
        [feature_vector(PairV2(canonical(a), canonical(b))) for a, b in pairs], dtype=np.float64
    ).reshape(len(pairs), len(FEATURES_V2))


@dataclass
class Validation:
    """Validation figures of one model at its chosen threshold (in its own logit units)."""

    logit_threshold: float
    precision: float
    recall: float
    f1: float
    supplier_fp: float
    supplier_fp_count: int


def supplier_floor(supplier_z: Sequence[float], rate: float = MAX_SUPPLIER_FP) -> float:
    """The highest score a threshold must clear for at most ``rate`` of these supplier names
    (each by its highest score) to reach it: the (allowed+1)-th highest; ``-inf`` when all
    may."""
    allowed = math.floor(rate * len(supplier_z) + 1e-9)
    top = sorted(supplier_z, reverse=True)
    return float(top[allowed]) if allowed < len(top) else -math.inf


def choose_threshold(
    z: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    supplier_z: npt.NDArray[np.float64],
    train_supplier_z: npt.NDArray[np.float64] | None = None,
) -> Validation:
    """The logit threshold with the best F1 on the validation pairs among those keeping the
    validation supplier false positives at most :data:`MAX_SUPPLIER_FP`, and the false
    positives among all the supplier names (``supplier_z`` with ``train_supplier_z``, the
    training half: what the acceptance test counts) at most that rate too."""
    n_sup = len(supplier_z)
    floor = supplier_floor(supplier_z.tolist())
    if train_supplier_z is not None:
        floor = max(floor, supplier_floor([*supplier_z.tolist(), *train_supplier_z.tolist()]))
    # thresholds at least FLOOR_MARGIN above the floor; each candidate sits halfway between
    # two neighbouring validation scores (the floor's neighbour: halfway to the floor, and no
    # nearer to it than FLOOR_MARGIN), so a score rounded to four decimals never lands on the
    # threshold
    best: Validation | None = None
    above = np.unique(z[z > floor + FLOOR_MARGIN])
    if len(above) == 0:
        above = np.array([floor + 1.0])
    lower = np.concatenate([[floor + FLOOR_MARGIN], above[:-1]])
    for t in np.maximum((above + lower) / 2.0, floor + FLOOR_MARGIN):
        pred = z >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if best is None or f1 > best.f1:
            sfp = int((supplier_z >= t).sum())
            best = Validation(float(t), p, r, f1, sfp / max(n_sup, 1), sfp)
    assert best is not None
    return best


def render(
    beta: npt.NDArray[np.float64],
    digest: str,
    n_pos: int,
    n_neg: int,
    date: str,
    l2: float,
    config: Config,
    supplier_weight: float,
    val: Validation,
    shift: float,
    table: WordFrequencies,
) -> str:
    lines = [
        "# Fitted by bench/train_name_model.py: logistic regression, log loss with the negatives",
        f"# weighing {config.neg_weight} times the positives, L2 penalty {l2} on the coefficients;",
        "# model and operating point chosen on the validation set (held-out entities and",
        "# supplier names), the intercept shifted so that operating point reads as the default",
        "# threshold. Regenerate with that script; do not edit by hand.",
        f"algorithm: {ALGORITHM}",
        "training:",
        f"  sha256: {digest}",
        f"  date: '{date}'",
        f"  pairs: {n_pos + n_neg}",
        f"  positives: {n_pos}",
        f"  negatives: {n_neg}",
        f"  l2: {l2}",
        f"  negative_weight: {config.neg_weight}",
        f"  supplier_weight: {supplier_weight}",
        f"  model: {config.name}",
        "operating_point:",
        f"  threshold: {DEFAULT_THRESHOLD}",
        f"  intercept_shift: {shift:.4f}",
        f"  validation_precision: {val.precision:.4f}",
        f"  validation_recall: {val.recall:.4f}",
        f"  validation_f1: {val.f1:.4f}",
        f"  validation_supplier_fp: {val.supplier_fp:.4f}",
        f"intercept: {beta[0] + shift:.4f}",
        "coefficients:",
    ]
    lines += [f"  {name}: {value:.4f}" for name, value in zip(FEATURES_V2, beta[1:], strict=True)]
    lines += [
        "# organisation names of the official lists containing each word (words in fewer than",
        "# min_count names are not listed); the rarity features read it",
        "word_frequencies:",
        f"  names: {table.names}",
        f"  min_count: {table.min_count}",
        "  counts:",
    ]
    lines += [f"  - {w} {c}" for w, c in table.counts.items()]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--per-entity", type=int, default=6)
    ap.add_argument(
        "--supplier-weight",
        type=float,
        default=5.0,
        help="weight of a supplier-name negative against a list-neighbour negative (supplier "
        "names are what is screened in practice)",
    )
    ap.add_argument("--date", help="date recorded in the file (default: the one already there)")
    ap.add_argument("--check", action="store_true", help="fail if --out differs from the fit")
    ap.add_argument("--dump", type=Path, help="write the training pairs (TSV) here")
    ap.add_argument(
        "--show-misses",
        type=int,
        default=0,
        metavar="N",
        help="print up to N validation pairs of each kind the kept model gets wrong",
    )
    args = ap.parse_args()
    if not (args.data / "official-lists-2024").is_dir():
        print(
            f"{args.data}: no official-lists-2024 folder; give --data ../shared/data",
            file=sys.stderr,
        )
        return 2
    common = common_word_table()
    common_words.use_table(common)  # shared_common reads it from here on
    common_text = render_common_words(common)
    sets, table = build_sets(args.data, args.per_entity)
    tsv = "".join(f"{y}\t{a}\t{b}\n" for _, y, a, b in sets.train)
    digest = hashlib.sha256(tsv.encode("utf-8")).hexdigest()
    if args.dump:
        args.dump.write_text(tsv, encoding="utf-8")
    x = features_of([(a, b) for _, _, a, b in sets.train])
    y = np.array([float(p[1]) for p in sets.train])
    boost = np.array(
        [
            args.supplier_weight if y == 0 and a in sets.train_suppliers else 1.0
            for _, y, a, _ in sets.train
        ]
    )
    vx = features_of([(a, b) for _, _, a, b in sets.validation])
    vy = np.array([float(p[1]) for p in sets.validation])
    sup_names = sorted(sets.validation_suppliers)
    sup_pairs = [(n, c) for n in sup_names for c in sets.validation_suppliers[n]]
    sx = features_of(sup_pairs)
    owner = np.array([sup_names.index(n) for n, _ in sup_pairs], dtype=np.int64)
    # the training supplier names' pairs, by name (their highest score is what screening shows)
    train_sup = sorted(sets.train_suppliers)
    train_rows = [
        i for i, (_, y, a, _) in enumerate(sets.train) if y == 0 and a in sets.train_suppliers
    ]
    train_owner = np.array([train_sup.index(sets.train[i][2]) for i in train_rows], dtype=np.int64)
    print(
        f"training: {len(y)} pairs ({int(y.sum())} positives); validation: {len(vy)} pairs "
        f"({int(vy.sum())} positives) from held-out entities, {len(sup_names)} supplier names "
        f"({len(sup_pairs)} candidate pairs)",
        file=sys.stderr,
    )
    results = []
    for config in CONFIGS:
        mask = np.array([f in config.features for f in FEATURES_V2])
        b = fit(x[:, mask], y, boost, args.l2, config.neg_weight)
        beta = np.zeros(len(FEATURES_V2) + 1)
        beta[0] = b[0]
        beta[1:][mask] = b[1:]
        vz = beta[0] + vx @ beta[1:]
        top = np.full(len(sup_names), -np.inf)
        np.maximum.at(top, owner, beta[0] + sx @ beta[1:])
        train_top = np.full(len(train_sup), -np.inf)
        np.maximum.at(train_top, train_owner, beta[0] + x[train_rows] @ beta[1:])
        val = choose_threshold(vz, vy, top, train_top)
        results.append((config, beta, val, vz))
        print(
            f"validation  {config.name:32s} P {val.precision:.3f} R {val.recall:.3f} "
            f"F1 {val.f1:.3f}  supplier FP {val.supplier_fp_count}/{len(sup_names)} "
            f"= {val.supplier_fp:.2%}",
            file=sys.stderr,
        )
    config, beta, val, vz = max(results, key=lambda r: (r[2].f1, -CONFIGS.index(r[0])))
    shift = math.log(DEFAULT_THRESHOLD / (1 - DEFAULT_THRESHOLD)) - val.logit_threshold
    print(f"kept: {config.name} (intercept shifted by {shift:+.4f})", file=sys.stderr)
    kinds = [k for k, _, _, _ in sets.validation]
    pred = vz >= val.logit_threshold
    for kind in sorted(set(kinds)):
        idx = [i for i, k in enumerate(kinds) if k == kind]
        label = int(vy[idx[0]])
        rate = float(pred[idx].mean())
        what = "recall" if label == 1 else "false positive rate"
        print(f"  validation {kind:26s} {what} {rate:.3f} (n={len(idx)})", file=sys.stderr)
        wrong = [i for i in idx if pred[i] != bool(label)][: args.show_misses]
        for i in wrong:
            _, _, typed, listed = sets.validation[i]
            margin = vz[i] - val.logit_threshold
            print(f"    {typed!r} / {listed!r}  logit {margin:+.2f}", file=sys.stderr)
    date = args.date
    if date is None and args.out.is_file():
        for line in args.out.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("date:"):
                date = line.split(":", 1)[1].strip().strip("'")
                break
    date = date or dt.date.today().isoformat()
    n_pos = int(y.sum())
    text = render(
        beta,
        digest,
        n_pos,
        len(y) - n_pos,
        date,
        args.l2,
        config,
        args.supplier_weight,
        val,
        shift,
        table,
    )
    common_file = args.out.parent / common_words.TABLE_FILE.name
    if args.check:
        stale = [
            path
            for path, content in ((args.out, text), (common_file, common_text))
            if not (path.is_file() and path.read_text(encoding="utf-8") == content)
        ]
        for path in stale:
            print(f"{path} differs from the fit")
        if not stale:
            print("name model is current")
        return 1 if stale else 0
    args.out.write_text(text, encoding="utf-8")
    common_file.write_text(common_text, encoding="utf-8")
    print(text.split("word_frequencies:")[0], end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
