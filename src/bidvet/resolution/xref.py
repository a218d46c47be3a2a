"""Cross-referencing datasets: which records of one dataset are records of another.

The design follows the resolver workflow of nomenklatura (a blocking index proposes candidate
pairs, a scorer ranks them, a person judges them, and the judgements form clusters), built on
bidvet's own screening index and matcher:

1. **identifier links.** Two records of different datasets carrying the same normalised value
   of a strong scheme (``strong_schemes`` in ``data/resolution.yaml``: LEI, USCC), or the same
   registry number (``country_schemes``: ``regno``, ``ogrn``…) *and* a shared country with no
   registry or tax number disagreeing (``conflict_schemes``), are the same legal person.
   They are linked without asking (a ``positive`` judgement with source ``identifier``, by
   ``bidvet xref``, the reason naming scheme and value) and reported as linked.
2. **name candidates.** The records of the right-hand side are indexed with the screening
   catalog and index (:class:`bidvet.screening.matcher.Matcher`); each left record's name is
   matched in batches (:meth:`~bidvet.screening.matcher.Matcher.match_many`), so a large
   dataset against a larger one is a batch screening, not a cross product.
3. **evidence and score.** Each candidate pair gets the name score of the matcher and its
   explanation, the identifiers that agree and those that disagree (same scheme, different
   value), and the countries that agree or disagree. The pair's score is the name score,
   1.0 when a strong identifier agrees, less ``identifier_disagreement_penalty`` when a strong
   scheme disagrees, less ``country_disagreement_penalty`` when both records name countries and
   none is shared. Pairs below ``min_score``, pairs of one dataset, and pairs already judged
   are not proposed.

**Speed.** A pair's score never exceeds its name score (identifier links aside, which are found
before the names are matched), so a candidate whose name score cannot reach ``min_score`` can never
be proposed. Matcher v2's score is a logistic function of a weighted sum of features in ``[0, 1]``;
:class:`~bidvet.screening.bound.ScoreBound` reads the features one at a time, those that set most
pairs aside first, and counts each one not yet read at its largest possible contribution (its
weight when positive, nothing when negative). Once that upper bound falls below ``min_score`` the
pair is dropped without its full score and explanation, which are made only for pairs that may be
proposed (:func:`match_bounded`). The candidates are the matcher's own (the same index rows,
chosen by the same :meth:`~bidvet.screening.matcher.Matcher.chosen`), so the proposals and their
scores are exactly those of the full matcher; ``propose(..., bound=False)`` runs the full matcher
and the tests compare the two (``tests/resolution/test_xref_speed.py``). The left names are
matched in chunks by ``workers`` processes forked from this one (they share the index), and the
chunks' answers are read back in order, so any number of workers gives the same result.

:func:`propose` is store-free (the bench runs it on generated records); :func:`xref` reads the
store, writes the identifier links and returns the proposals.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from bidvet.forking import can_fork, usable_cores
from bidvet.resolution.config import XrefConfig, load_resolution_config
from bidvet.screening.bound import ROUNDING as ROUNDING  # re-exported, as ScoreBound
from bidvet.screening.bound import ScoreBound as ScoreBound  # callers pass it to match_bounded
from bidvet.screening.canonical import canonical
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import V2, default_policy
from bidvet.screening.index import Candidates
from bidvet.screening.matcher import Matcher, RawMatch, match_chunks
from bidvet.screening.person_names import patronymics
from bidvet.screening.score import country_note, v2_comparison, v2_score
from bidvet.screening.spellings import as_person
from bidvet.store.db import Store
from bidvet.store.resolution import Judgement

#: who the identifier links are recorded as judged by
LINKER = "bidvet xref"
#: queries matched per batch
BATCH = 2000


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a dataset as xref compares it."""

    entity_id: str
    dataset: str
    names: tuple[tuple[str, str], ...]  # (name, kind)
    countries: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme, normalised value)
    schema: str = "Organization"

    @property
    def caption(self) -> str:
        primary = next((n for n, k in self.names if k == "primary"), None)
        return primary or (self.names[0][0] if self.names else self.entity_id)


@dataclass
class Proposal:
    """A candidate pair with its evidence (``linked``: linked on an identifier, no judging
    needed)."""

    left: Record
    right: Record
    score: float
    name_score: float
    left_name: str
    right_name: str
    explanation: list[str] = field(default_factory=list)
    identifiers_agree: list[str] = field(default_factory=list)
    identifiers_disagree: list[str] = field(default_factory=list)
    countries_agree: list[str] = field(default_factory=list)
    countries_disagree: bool = False
    linked: bool = False

    @property
    def pair(self) -> tuple[str, str]:
        a, b = self.left.entity_id, self.right.entity_id
        return (a, b) if a < b else (b, a)

    def to_json(self) -> dict[str, Any]:
        return {
            "left": {
                "entity_id": self.left.entity_id,
                "dataset": self.left.dataset,
                "name": self.left_name,
                "countries": list(self.left.countries),
            },
            "right": {
                "entity_id": self.right.entity_id,
                "dataset": self.right.dataset,
                "name": self.right_name,
                "countries": list(self.right.countries),
            },
            "score": round(self.score, 4),
            "name_score": round(self.name_score, 4),
            "identifiers": {
                "agree": self.identifiers_agree,
                "disagree": self.identifiers_disagree,
            },
            "countries": {
                "agree": self.countries_agree,
                "disagree": self.countries_disagree,
            },
            "explanation": self.explanation,
            "linked": self.linked,
        }


@dataclass
class XrefResult:
    proposals: list[Proposal]
    #: pairs linked on a strong identifier (written as judgements by :func:`xref`)
    links: list[Proposal]
    left_records: int
    right_records: int
    #: candidate names compared with a left name, and those :class:`ScoreBound` set aside
    #: before their full score (both 0 when the full matcher ran: ``bound=False`` or v1)
    candidates_read: int = 0
    candidates_bounded: int = 0


def _schemes(rec: Record) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for scheme, value in rec.identifiers:
        out[scheme.lower()].add(value)
    return out


def compare_identifiers(a: Record, b: Record, cfg: XrefConfig) -> tuple[list[str], list[str], bool]:
    """Identifiers that agree, identifiers that disagree, and whether an agreement links the
    records on its own.

    A strong scheme that agrees links; a country scheme (registry number) that agrees links
    when the records share a country and nothing disagrees. Disagreeing means the same scheme
    with no value in common: a strong scheme always, a country or conflict scheme (a tax
    number) when the records share a country (numbers of different countries' registers say
    nothing against each other)."""
    sa_, sb = _schemes(a), _schemes(b)
    shared_country = bool(set(a.countries) & set(b.countries))
    national = (*cfg.country_schemes, *cfg.conflict_schemes)
    agree: list[str] = []
    disagree: list[str] = []
    strong = registered = False
    for scheme in sorted(set(sa_) & set(sb)):
        same = sorted(sa_[scheme] & sb[scheme])
        if same:
            agree.extend(f"{scheme} {v}" for v in same)
            strong = strong or scheme in cfg.strong_schemes
            registered = registered or (scheme in cfg.country_schemes and shared_country)
        elif scheme in cfg.strong_schemes or (scheme in national and shared_country):
            disagree.append(
                f"{scheme} {', '.join(sorted(sa_[scheme]))} ≠ {', '.join(sorted(sb[scheme]))}"
            )
    return agree, disagree, strong or (registered and not disagree)


def _evidence(
    left: Record,
    right: Record,
    name_score: float,
    left_name: str,
    right_name: str,
    explanation: Sequence[str],
    cfg: XrefConfig,
) -> Proposal:
    agree, disagree, links = compare_identifiers(left, right, cfg)
    countries = sorted(set(left.countries) & set(right.countries))
    country_clash = bool(left.countries and right.countries and not countries)
    score = name_score
    if links:
        score = 1.0
    else:
        if disagree:
            score -= cfg.identifier_disagreement_penalty
        if country_clash:
            score -= cfg.country_disagreement_penalty
    return Proposal(
        left,
        right,
        max(0.0, min(1.0, score)),
        name_score,
        left_name,
        right_name,
        list(explanation),
        agree,
        disagree,
        countries,
        country_clash,
        links,
    )


def identifier_links(
    left: Sequence[Record], right: Sequence[Record], cfg: XrefConfig
) -> list[Proposal]:
    """Pairs of records of different datasets that a strong identifier links."""
    wanted = set(cfg.strong_schemes) | set(cfg.country_schemes)
    by_key: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for rec in right:
        for scheme, value in rec.identifiers:
            if scheme.lower() in wanted:
                by_key[(scheme.lower(), value)].append(rec)
    out: dict[tuple[str, str], Proposal] = {}
    for rec in left:
        for scheme, value in rec.identifiers:
            for other in by_key.get((scheme.lower(), value), ()):
                if other.dataset == rec.dataset or other.entity_id == rec.entity_id:
                    continue
                prop = _evidence(rec, other, 0.0, rec.caption, other.caption, (), cfg)
                if prop.linked and prop.pair not in out:
                    prop.explanation = [f"same {scheme.lower()} {value} on both records"]
                    out[prop.pair] = prop
    return [out[k] for k in sorted(out)]


def _rescore_bounded(
    matcher: Matcher,
    query_name: str,
    country: str | None,
    cands: Candidates,
    limit: int,
    bound: ScoreBound,
    counts: list[int],
) -> list[RawMatch]:
    """:meth:`Matcher.rescore` of matcher v2 for a query without identifiers, keeping only the
    entities scoring at least ``bound.floor`` (pairs the bound sets aside are not scored).

    The candidate rows are ranked and chosen exactly as the matcher chooses them; each entity
    keeps its best name; the best ``limit`` get their explanation. ``counts`` gets the
    candidates read and those set aside added to it."""
    cat = matcher.catalog
    query = matcher.query_name(query_name)
    rows, n_exact = matcher.candidate_rows(query, cands)
    if not rows:
        return []
    chosen = matcher.chosen(query, rows, n_exact, cands.rare)
    q_canon = canonical(query.original)
    ours = patronymics(q_canon.words, q_canon.original)
    q_person = as_person(q_canon)
    scored: dict[str, tuple[float, int, dict[str, float]]] = {}
    for pos in chosen:
        row = rows[pos]
        counts[0] += 1
        eid = cat.value("entity_ids", row)
        q, candidate = matcher.read_pair(q_canon, q_person, row, eid)  # as the matcher reads it
        if bound.below(q, candidate):
            counts[1] += 1
            continue
        score, values = v2_score(q, candidate)
        score = matcher.held(ours, eid, score)  # as Matcher._rescore_v2 holds it
        current = scored.get(eid)
        if current is None or score > current[0]:
            scored[eid] = (score, row, values)
    ranked = sorted(
        ((score, eid) for eid, (score, _, _) in scored.items() if score >= bound.floor),
        key=lambda m: (-m[0], m[1]),
    )
    out = []
    for _, eid in ranked[:limit]:
        score, row, values = scored[eid]
        q, candidate = matcher.read_pair(q_canon, q_person, row, eid)
        comp = v2_comparison(
            q,
            candidate,
            score,
            values,
            matcher.policy,
            weak=cat.value("kinds", row) == "weak",
            entity_patronymics=matcher.explained_patronymics(ours, eid),
        )
        out.append(RawMatch(eid, row, country_note(comp, country, cat.entities[eid].countries)))
    return out


def match_bounded(
    matcher: Matcher,
    rows: Sequence[tuple[str, str | None]],
    limit: int,
    bound: ScoreBound,
) -> tuple[list[list[RawMatch]], int, int]:
    """For each ``(name, country)``, the entities (at most ``limit``, best first) whose name
    scores at least ``bound.floor``: the entries of ``matcher.match_many(rows, limit=limit)``
    at or above that floor, with the same scores and explanations. Also returns the candidates
    read and those the bound set aside."""
    cands = matcher.candidates_many([matcher.query_name(name) for name, _ in rows])
    counts = [0, 0]
    out = [
        _rescore_bounded(matcher, name, country, c, limit, bound, counts)
        for (name, country), c in zip(rows, cands, strict=True)
    ]
    return out, counts[0], counts[1]


#: what the worker processes inherit when forked (set just before the pool starts)
_FORKED: tuple[Matcher, ScoreBound] | None = None


def _bounded_chunk(
    task: tuple[list[tuple[str, str | None]], int],
) -> tuple[list[list[RawMatch]], int, int]:
    rows, limit = task
    assert _FORKED is not None
    matcher, bound = _FORKED
    return match_bounded(matcher, rows, limit, bound)


def bounded_chunks(
    matcher: Matcher,
    chunks: Sequence[list[tuple[str, str | None]]],
    limit: int,
    bound: ScoreBound,
    workers: int,
) -> Iterator[tuple[list[list[RawMatch]], int, int]]:
    """:func:`match_bounded` of each chunk, in order, by ``workers`` processes forked from this
    one (they share the index and catalog); in this process when there is one chunk or one
    worker, or where processes cannot be forked."""
    workers = min(workers, len(chunks))
    if workers <= 1 or not can_fork():
        for rows in chunks:
            yield match_bounded(matcher, rows, limit, bound)
        return
    global _FORKED
    _FORKED = (matcher, bound)
    matcher.index.postings  # noqa: B018 - made before forking, so the workers share it
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_bounded_chunk, [(rows, limit) for rows in chunks])
    finally:
        _FORKED = None


def propose(
    left: Sequence[Record],
    right: Sequence[Record],
    *,
    judged: Iterable[tuple[str, str]] = (),
    config: XrefConfig | None = None,
    matcher: Matcher | None = None,
    workers: int | None = None,
    bound: bool = True,
) -> XrefResult:
    """Identifier links and name candidates between ``left`` and ``right`` (records of one
    dataset are never paired), best first. ``judged`` pairs (``left_id < right_id``) are not
    proposed again; ``matcher`` may be given when the right side is already indexed.
    ``workers``: processes matching the names (default
    :func:`~bidvet.forking.usable_cores`); the result does not depend on it.
    ``bound``: set aside candidates whose name score cannot reach ``min_score`` before scoring
    them in full (:class:`ScoreBound`; matcher v2 only); the result does not depend on it."""
    cfg = config or load_resolution_config().xref
    done = set(judged)
    links = [p for p in identifier_links(left, right, cfg) if p.pair not in done]
    linked = {p.pair for p in links}
    policy = default_policy()
    if matcher is None:
        entries = (Entry(r.entity_id, r.names, r.schema, r.countries, r.identifiers) for r in right)
        matcher = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    by_id = {r.entity_id: r for r in right}
    found: dict[tuple[str, str], Proposal] = {}
    cat = matcher.catalog
    queries = [(r.caption, r.countries[0] if r.countries else None) for r in left]
    # a name (with its country) typed by several records is matched once, and the names are
    # matched in chunks by worker processes
    distinct = list(dict.fromkeys(queries))
    chunks = [distinct[i : i + BATCH] for i in range(0, len(distinct), BATCH)]
    limit = cfg.candidates_per_record + 1
    answers: dict[tuple[str, str | None], list[RawMatch]] = {}
    n_workers = usable_cores() if workers is None else workers
    read = bounded = 0
    if bound and matcher.policy.algorithm == V2 and cfg.min_score > ROUNDING:
        scorer = ScoreBound(cfg.min_score)
        for rows, (matched, n_read, n_bounded) in zip(
            chunks, bounded_chunks(matcher, chunks, limit, scorer, n_workers), strict=True
        ):
            answers.update(zip(rows, matched, strict=True))
            read += n_read
            bounded += n_bounded
    else:
        for rows, matched in zip(
            chunks, match_chunks(matcher, chunks, limit, n_workers), strict=True
        ):
            answers.update(zip(rows, matched, strict=True))
    for start in range(0, len(left), BATCH):
        chunk = left[start : start + BATCH]
        results = [answers[q] for q in queries[start : start + BATCH]]
        for rec, (query_name, _), raws in zip(
            chunk, queries[start : start + BATCH], results, strict=True
        ):
            kept = 0
            for raw in raws:
                other = by_id.get(raw.entity_id)
                if other is None or other.entity_id == rec.entity_id:
                    continue
                if other.dataset == rec.dataset:
                    continue
                pair = (min(rec.entity_id, other.entity_id), max(rec.entity_id, other.entity_id))
                if pair in done or pair in linked:
                    continue
                kept += 1
                if kept > cfg.candidates_per_record:
                    break
                name = cat.value("originals", raw.row) if raw.row >= 0 else other.caption
                prop = _evidence(
                    rec,
                    other,
                    raw.comparison.score,
                    query_name,
                    name,
                    raw.comparison.explanation,
                    cfg,
                )
                if prop.score < cfg.min_score and not prop.linked:
                    continue
                current = found.get(pair)
                if current is None or prop.score > current.score:
                    found[pair] = prop
    proposals = sorted(
        found.values(), key=lambda p: (-p.score, p.left.entity_id, p.right.entity_id)
    )
    return XrefResult(proposals, links, len(left), len(right), read, bounded)


def read_records(store: Store, datasets: Sequence[str] | None = None) -> list[Record]:
    """The store's entities (those of ``datasets`` when given) as xref records."""
    with store.view() as view:
        where = view.entity_datasets(datasets)
        catalog = view.catalog()
    out = []
    for ent in catalog:
        dataset = where.get(ent.id)
        if dataset is None:
            continue
        names = tuple(ent.names) or ((ent.caption, "primary"),)
        if not any(k == "primary" for _, k in names):
            names = ((ent.caption, "primary"), *names)
        out.append(
            Record(ent.id, dataset, names, tuple(ent.countries), tuple(ent.identifiers), ent.schema)
        )
    return out


def xref(
    store: Store,
    datasets: Sequence[str] = (),
    *,
    link: bool = True,
    now: dt.datetime | None = None,
    workers: int | None = None,
) -> XrefResult:
    """Cross-reference the store's datasets: ``datasets`` empty — every dataset against every
    other; one — it against all others; two or more — the first against the rest. Identifier
    links are written as judgements (source ``identifier``) unless ``link`` is false.
    ``workers``: processes matching the names (see :func:`propose`)."""
    from bidvet.resolution.judgements import now as utcnow
    from bidvet.resolution.judgements import record

    everyone = read_records(store)
    if datasets:
        left = [r for r in everyone if r.dataset == datasets[0]]
        rest = set(datasets[1:])
        right = [r for r in everyone if (r.dataset in rest if rest else r.dataset != datasets[0])]
    else:
        left = right = everyone
    with store.view() as view:
        judged = {(j.left_id, j.right_id) for j in view.judgements()}
    result = propose(left, right, judged=judged, workers=workers)
    if link and result.links:
        when = now or utcnow()
        record(
            store,
            [
                Judgement(
                    p.left.entity_id,
                    p.right.entity_id,
                    "positive",
                    LINKER,
                    when,
                    f"linked on a shared identifier: {'; '.join(p.identifiers_agree)}",
                    "identifier",
                )
                for p in result.links
            ],
        )
    return result
