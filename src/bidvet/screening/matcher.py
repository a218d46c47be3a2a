"""Matching a query name against a catalog: index candidates → features → calibrated score.

Store-free, so tests, the evaluation and the benchmark use exactly the code the ``Screener``
uses. Steps for one query:

1. identifiers given with the query are looked up exactly; a shared identifier decides;
2. names whose core is exactly the query's, and the ``index.candidates`` name rows the index
   proposes (rarest features first, under a budget), are the candidates;
3. rapidfuzz ranks those by edit similarity (cores, and whole names in any word order); the
   best :data:`RESCORE` of at least :data:`MIN_SIMILARITY` (and not :data:`MAX_BEHIND_BEST`
   behind the most similar) are scored with every feature
   (:mod:`bidvet.screening.score`);
4. each entity keeps its best-scoring name; entities scoring at least ``report_min`` are
   returned best first.

With ``bidvet-name-v2`` (the policy's ``algorithm``) three things change, so that a name sharing
a rare word, or a typo of one, with the query is never left out:

* the query also asks the index for each pair of adjacent words run together (``Hik Vision``
  finds ``hikvision``), and the deletion neighbours of every word of five letters or more;
* rapidfuzz ranks candidates also by ``token_set_ratio`` (``Huawei`` against ``Huawei
  Technologies Co., Ltd.`` is 100 there) and on the words run together; the best
  :data:`RESCORE_V2` are scored, and the index's :data:`INDEX_BEST` best too (a typo of a rare
  word ranks high there even when generic words mislead rapidfuzz);
* entities scoring at least ``near_floor`` are returned: those below the threshold are the
  *near names*;
* a chosen candidate that cannot change the results is set aside without its full score
  (:meth:`Matcher._rescore_v2`): the features are read one at a time
  (:class:`~bidvet.screening.bound.ScoreBound`) and reading stops once the score the pair could
  still reach is below ``near_floor``, below the ``limit``-th best entity score so far, or
  below the score its entity has from another name. The results are those of scoring every
  candidate (``Matcher(..., bound=False)``; ``tests/screening/test_bound.py`` compares them).
"""

from __future__ import annotations

import heapq
import itertools
import multiprocessing as mp
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from rapidfuzz import fuzz, process

from bidvet.forking import can_fork
from bidvet.model.identifiers import identifier_key
from bidvet.screening import common_words
from bidvet.screening.bound import ScoreBound, cut_for
from bidvet.screening.canonical import CanonName, canonical, char_classes, script_of
from bidvet.screening.catalog import Catalog
from bidvet.screening.config import V2, ScreeningPolicy, default_policy
from bidvet.screening.features import Pair
from bidvet.screening.index import Candidates, IntArray, NameIndex
from bidvet.screening.normalize import NormalName, normalize_cached
from bidvet.screening.person_names import patronymic_positions, patronymics
from bidvet.screening.score import (
    Comparison,
    country_note,
    entity_patronymic_cap,
    identifier_comparison,
    score_pair,
    v2_comparison,
    v2_score,
)
from bidvet.screening.spellings import as_person, other_spelling, spelling
from bidvet.screening.terms import english_wording

#: candidate names scored with every feature, after rapidfuzz ranked the index's proposals
RESCORE = 6
#: rapidfuzz similarity (0..100) below which a candidate is not worth scoring: with half its
#: letters different a name cannot reach the decision threshold
MIN_SIMILARITY = 50.0
#: candidates this far (or further) below the most similar one are not scored either
MAX_BEHIND_BEST = 25.0
#: entities whose candidate names are scored with every feature by matcher v2 (each of their
#: names within MAX_BEHIND_BEST of the most similar), after rapidfuzz ranked the names
RESCORE_V2 = 6
#: and the index's best candidates, scored by matcher v2 whatever rapidfuzz says
INDEX_BEST = 1


def _joined_pairs(folded: str) -> str:
    """``folded`` plus each pair of adjacent words run together (``hik vision`` → ``hikvision``)."""
    words = folded.split()
    return " ".join([*words, *(a + b for a, b in itertools.pairwise(words))])


class ExactCores:
    """Core → the rows of the names with exactly that core (ascending), read from the index's
    core codes and checked against the catalog's text."""

    def __init__(self, catalog: Catalog, index: NameIndex) -> None:
        self._catalog = catalog
        self._index = index

    def get(self, core: str, default: Sequence[int] = ()) -> Sequence[int]:
        rows = [
            r for r in self._index.exact_candidates(core) if self._catalog.value("cores", r) == core
        ]
        return rows or default


@dataclass(frozen=True, slots=True)
class RawMatch:
    """An entity matched by one of its names (``row`` in the catalog; -1 for identifiers)."""

    entity_id: str
    row: int
    comparison: Comparison


#: how many queries' :meth:`Matcher.alternatives` a matcher keeps (a batch's candidates are
#: looked up for every query before any is scored)
_ALTERNATIVES_KEPT = 20_000


class Matcher:
    """A catalog with its index, answering queries."""

    def __init__(
        self,
        catalog: Catalog,
        index: NameIndex,
        policy: ScreeningPolicy | None = None,
        *,
        bound: bool = True,
    ) -> None:
        self.catalog = catalog
        self.index = index
        self.policy = policy or default_policy()
        # exact cores -> rows: a name typed exactly as stored is always a candidate
        self.exact = ExactCores(catalog, index)
        #: matcher v2 sets aside, unscored, the candidates that cannot enter the results
        #: (:meth:`_rescore_v2`); false scores every chosen candidate in full, with the same
        #: results (the tests compare the two)
        self.bound = bound
        self._patronymics: dict[str, frozenset[str]] = {}
        self._person_names: dict[int, CanonName] = {}
        self._alternatives: dict[NormalName, tuple[str, ...]] = {}

    @cached_property
    def score_bound(self) -> ScoreBound:
        """The upper bound on matcher v2's score that sets candidates aside."""
        return ScoreBound(self.policy.scoring.near_floor)

    @classmethod
    def build(cls, catalog: Catalog, policy: ScreeningPolicy | None = None) -> Matcher:
        index = NameIndex.build(catalog.cores, catalog.indexed_texts())
        return cls(catalog, index, policy)

    @cached_property
    def scripts(self) -> frozenset[str]:
        """The scripts the catalog's names are written in (``latin``, ``han``, ``hangul``,
        ``cyrillic``…: :func:`writing_system`)."""
        return frozenset(writing_system(n) for n in self.catalog.originals if not n.isascii())

    @cached_property
    def _rows_by_entity(self) -> dict[str, list[int]]:
        cat = self.catalog
        out: dict[str, list[int]] = {}
        for row in range(len(cat)):
            out.setdefault(cat.value("entity_ids", row), []).append(row)
        return out

    def entity_patronymics(self, entity_id: str) -> frozenset[str]:
        """The patronymics of all the entity's names (a person listed as ``Alexei Petrovich
        ZORVEKHOV`` aka ``Alexei ZORVEKHOV`` has ``petrovich``), read once per entity."""
        got = self._patronymics.get(entity_id)
        if got is None:
            found: set[str] = set()
            for row in self._rows_by_entity.get(entity_id, ()):
                name = self.catalog.canon(row)
                found |= patronymics(name.words, name.original)
            got = self._patronymics[entity_id] = frozenset(found)
        return got

    def held(self, ours: frozenset[str], entity_id: str, score: float) -> float:
        """``score`` of a query with the patronymics ``ours`` against the entity, held below
        the threshold when the entity's names carry others
        (:func:`~bidvet.screening.score.entity_patronymic_cap`)."""
        if not ours:
            return score
        return entity_patronymic_cap(ours, self.entity_patronymics(entity_id), score, self.policy)

    def explained_patronymics(self, ours: frozenset[str], entity_id: str) -> frozenset[str]:
        """What :meth:`held` read of the entity, for the explanation (none without ``ours``)."""
        return self.entity_patronymics(entity_id) if ours else frozenset()

    def read_pair(
        self, query: CanonName, person_query: CanonName, row: int, entity_id: str
    ) -> tuple[CanonName, CanonName]:
        """The query and row ``row``'s name as matcher v2 compares them: against a listed
        person, both in one spelling of their Cyrillic transliterations (``person_query`` is
        :func:`~bidvet.screening.spellings.as_person` of ``query``)."""
        if self.catalog.entities[entity_id].schema != "Person":
            return query, self.catalog.canon(row)
        listed = self._person_names.get(row)
        if listed is None:
            listed = self._person_names[row] = as_person(self.catalog.canon(row))
        return person_query, listed

    def script_notes(self, name: str) -> list[str]:
        """Say so when the query's script is one no stored name is written in (Korean names
        in the data do not help a query in Chinese characters, so those are told apart)."""
        script = writing_system(name)
        if script == "latin" or script in self.scripts:
            return []
        how = "pinyin" if script == "han" else "rigour's transliteration"
        return [
            f"the query is in {CJK_LABELS.get(script, script)} script and no name in the data "
            f"is: it was compared through its {how} only"
        ]

    def query_name(self, name: str) -> NormalName:
        return normalize_cached(name, self.policy.generic_org_words)

    @property
    def v2(self) -> bool:
        return self.policy.algorithm == V2

    def _folded(self, query: NormalName) -> str:
        return _joined_pairs(query.folded) if self.v2 else query.folded

    def other_spellings(self, query: NormalName) -> list[str]:
        """A person's name typed in one transliteration, written the other common ways, as
        more queries for the index, which holds names as the lists spell them: each word
        written the other way (:func:`~bidvet.screening.spellings.other_spelling`:
        ``Alexandrovich`` → ``Aleksandrovich``) and in the one spelling screening compares
        people in (:func:`~bidvet.screening.spellings.spelling`, mostly the BGN/PCGN forms the
        lists use: ``Chaika`` → ``Chayka``, ``Yampolskaia`` → ``Yampolskaya``). Empty for
        other queries (v1, a legal form or a generic word in the name, one word, or nothing
        to change)."""
        if not self.v2 or query.forms:
            return []
        canon = canonical(query.original)
        kept = patronymic_positions(canon.words, canon.original)
        if len(canon.words) < 2 or any(
            r != "distinctive" and i not in kept for i, r in enumerate(canon.roles)
        ):
            return []
        words = query.core.split()
        found = (" ".join(other_spelling(words)), " ".join(spelling(w) for w in words))
        return [x for x in dict.fromkeys(found) if x != query.core]

    def other_wordings(self, query: NormalName) -> list[str]:
        """The query with its words that the lists also write in English written so
        (:func:`~bidvet.screening.terms.english_wording`: ``digital tekhnologii`` →
        ``digital technologies``), as one more query for the index; empty when there is no
        such word (or with v1)."""
        if not self.v2:
            return []
        words = query.core.split()
        english = " ".join(english_wording(words))
        return [english] if english != query.core else []

    def alternatives(self, query: NormalName) -> tuple[str, ...]:
        """The other ways the query is looked up and ranked: :meth:`other_spellings` (a
        person's name) and :meth:`other_wordings` (words written in English). Worked out once
        per query: looking its candidates up and choosing among them both read them."""
        found = self._alternatives.get(query)
        if found is None:
            if len(self._alternatives) >= _ALTERNATIVES_KEPT:
                self._alternatives.clear()
            found = (*self.other_spellings(query), *self.other_wordings(query))
            self._alternatives[query] = found
        return found

    def _lookup(self, core: str, folded: str) -> Candidates:
        ip = self.policy.index
        return self.index.candidates(
            core,
            folded,
            limit=ip.candidates,
            budget=ip.posting_budget,
            min_features=ip.min_features,
            all_deletions=self.v2,
        )

    def _lookup_many(self, cores: list[str], folded: list[str]) -> list[Candidates]:
        ip = self.policy.index
        return self.index.candidates_many(
            cores,
            folded,
            limit=ip.candidates,
            budget=ip.posting_budget,
            min_features=ip.min_features,
            all_deletions=self.v2,
        )

    def candidates(self, query: NormalName) -> Candidates:
        found = self._lookup(query.core, self._folded(query))
        for other in self.alternatives(query):
            found = _joined(found, self._lookup(other, other))
        return found

    def candidates_many(self, queries: Sequence[NormalName]) -> list[Candidates]:
        extra = [(i, o) for i, q in enumerate(queries) for o in self.alternatives(q)]
        spelt = [o for _, o in extra]
        found = self._lookup_many(
            [q.core for q in queries] + spelt, [self._folded(q) for q in queries] + spelt
        )
        out = found[: len(queries)]
        for k, (i, _) in enumerate(extra):
            out[i] = _joined(out[i], found[len(queries) + k])
        return out

    def match(
        self,
        name: str,
        *,
        country: str | None = None,
        identifiers: Sequence[str] = (),
        limit: int = 5,
    ) -> list[RawMatch]:
        """Best entities for one query, best first, at most ``limit``."""
        query = self.query_name(name)
        return self.rescore(query, self.candidates(query), country, identifiers, limit)

    def match_many(
        self, rows: Sequence[tuple[str, str | None]], *, limit: int = 5
    ) -> list[list[RawMatch]]:
        """Best entities for many ``(name, country)`` queries; candidates found in one pass."""
        queries = [self.query_name(name) for name, _ in rows]
        cands = self.candidates_many(queries)
        return [
            self.rescore(q, c, country, (), limit)
            for q, c, (_, country) in zip(queries, cands, rows, strict=True)
        ]

    def rescore(
        self,
        query: NormalName,
        cands: Candidates,
        country: str | None,
        identifiers: Sequence[str],
        limit: int,
    ) -> list[RawMatch]:
        cat = self.catalog
        best: dict[str, RawMatch] = {}
        for raw in identifiers:
            value = identifier_key(raw)
            for eid, scheme in cat.identifiers.get(value, ()):
                best[eid] = RawMatch(eid, -1, identifier_comparison(scheme, value, self.policy))
        rows, n_exact = self.candidate_rows(query, cands)
        if rows:
            chosen = self.chosen(query, rows, n_exact, cands.rare)
            if self.v2:
                return self._rescore_v2(query, rows, chosen, best, country, limit)
            for pos in chosen:
                row = rows[pos]
                eid = cat.value("entity_ids", row)
                if eid in best and best[eid].row == -1:
                    continue
                info = cat.entities[eid]
                pair = Pair(
                    query=query,
                    candidate=cat.names[row],
                    query_country=country,
                    candidate_countries=info.countries,
                    candidate_kind=cat.value("kinds", row),
                    idf=self.index.word_idf,
                )
                comp = score_pair(pair, self.policy)
                current = best.get(eid)
                if current is None or comp.score > current.comparison.score:
                    best[eid] = RawMatch(eid, row, comp)
        sp = self.policy.scoring
        floor = sp.near_floor if self.v2 else sp.report_min
        kept = [m for m in best.values() if m.comparison.score >= floor]
        ordered = sorted(kept, key=lambda m: (-m.comparison.score, m.entity_id))
        return ordered[:limit]

    def candidate_rows(self, query: NormalName, cands: Candidates) -> tuple[list[int], int]:
        """The rows a query's matches come from, each once: its exact namesakes first, then
        the index's candidates; and how many namesakes lead (:meth:`chosen` reads both)."""
        exact = self.exact.get(query.core, ())
        return list(dict.fromkeys([*exact, *(int(r) for r in cands.rows)])), len(exact)

    def chosen(self, query: NormalName, rows: list[int], n_exact: int, rare: IntArray) -> list[int]:
        """The positions in ``rows`` (the exact namesakes, ``n_exact`` of them, then the index's
        candidates) that are scored, in the order they are scored: those rapidfuzz finds most
        alike (within ``MAX_BEHIND_BEST`` of the best; with matcher v2, every such name of the
        ``RESCORE_V2`` entities whose names are most alike); with matcher v2 also the index's own
        best (rarest shared words, typos of them: scored even when generic words make other
        names look more alike to rapidfuzz) and every row of ``rare``, kept for sharing a rare
        word of the query (``CDM Inzhiniring`` / ``CDM Engineering``, where the names sharing
        the common word look more alike). A person's name typed in another transliteration is
        also compared in the lists' spellings (:meth:`other_spellings`: ``Igor Chaika`` with
        ``Igor CHAYKA`` as ``Igor Chayka``). ``bidvet xref`` chooses with this too."""
        cat = self.catalog
        cores = [cat.value("cores", r) for r in rows]
        texts = [query.core, *(self.alternatives(query) if self.v2 else ())]
        sim = np.maximum(
            process.cdist(texts, cores, scorer=fuzz.ratio).max(axis=0),
            process.cdist(
                [query.folded], [cat.value("folded", r) for r in rows], scorer=fuzz.token_sort_ratio
            )[0],
        )
        if self.v2:
            sim = np.maximum(
                sim, process.cdist(texts, cores, scorer=fuzz.token_set_ratio).max(axis=0)
            )
            compact = query.core.replace(" ", "")
            sim = np.maximum(
                sim,
                process.cdist([compact], [c.replace(" ", "") for c in cores], scorer=fuzz.ratio)[0],
            )
        floor = max(MIN_SIMILARITY, float(sim.max()) - MAX_BEHIND_BEST)
        order = [int(p) for p in np.argsort(-sim, kind="stable") if sim[p] >= floor]
        if not self.v2:
            return order[:RESCORE]
        # the names of the RESCORE_V2 most similar entities (their names alike to the query
        # do not crowd out other entities: ``Igor CHAIKA`` listed twice, the company ``PJSC
        # CHAIKA`` twice, and the listed Igor CHAYKA still scored)
        entities = [cat.value("entity_ids", rows[p]) for p in order]
        first = set(list(dict.fromkeys(entities))[:RESCORE_V2])
        chosen = [p for p, eid in zip(order, entities, strict=True) if eid in first]
        chosen += range(n_exact, min(n_exact + INDEX_BEST, len(rows)))
        if len(rare):
            kept = set(rare.tolist())
            chosen += [p for p, r in enumerate(rows) if r in kept]
        return list(dict.fromkeys(chosen))

    def _rescore_v2(
        self,
        query: NormalName,
        rows: list[int],
        chosen: list[int],
        best: dict[str, RawMatch],
        country: str | None,
        limit: int,
    ) -> list[RawMatch]:
        """Matcher v2's scores of the chosen candidates; each stored name is read as the
        catalog keeps it, and only the matches returned get their explanation.

        The candidates are scored in the order they were chosen (most similar first, then the
        index's best), and each entity keeps the first of its best-scoring names. A candidate
        is set aside unscored when its score is surely (rounding included) below the floor it
        must reach to change the results: ``near_floor``; once ``limit`` entities are kept,
        the ``limit``-th best entity score (a lower one cannot enter the best ``limit``; an
        equal one may, as ties go by entity id, and is never set aside); and the score its
        entity has already (it keeps that name unless another scores higher). Matcher v2's
        typo limits only lower a fitted score, so the fitted score's bound holds."""
        cat = self.catalog
        q_canon = canonical(query.original)
        # a query naming a person with a patronymic is held below the threshold against a
        # listed person whose names carry another (score.entity_patronymic_cap)
        ours = patronymics(q_canon.words, q_canon.original)
        q_person = as_person(q_canon)
        floor = self.policy.scoring.near_floor
        bound = self.score_bound if self.bound else None
        # the entities' best scores at or above the floor so far (identifier matches included)
        kept = [m.comparison.score for m in best.values() if m.comparison.score >= floor]
        scored: dict[str, tuple[float, int, dict[str, float]]] = {}
        for pos in chosen:
            row = rows[pos]
            eid = cat.value("entity_ids", row)
            if eid in best and best[eid].row == -1:
                continue
            current = scored.get(eid)
            q, listed = self.read_pair(q_canon, q_person, row, eid)
            if bound is None:
                score, values = v2_score(q, listed, self.policy)
            else:
                cut = self._cut(kept, floor, limit)
                if current is not None:  # another name of the entity must score higher
                    cut = max(cut, cut_for(current[0]))
                got = bound.score_reaching(q, listed, cut, self.policy)
                if got is None:
                    continue
                score, values = got
            score = self.held(ours, eid, score)
            if current is None or score > current[0]:
                scored[eid] = (score, row, values)
                if score >= floor:
                    if current is not None and current[0] >= floor:
                        kept.remove(current[0])
                    kept.append(score)
        ranked = [m for m in best.values() if m.comparison.score >= floor]
        ranked += [
            RawMatch(eid, row, Comparison(score, False, [], V2))  # explained below if kept
            for eid, (score, row, _) in scored.items()
            if score >= floor
        ]
        ranked.sort(key=lambda m: (-m.comparison.score, m.entity_id))
        out = []
        for m in ranked[:limit]:
            if m.row >= 0 and m.entity_id in scored:
                score, row, values = scored[m.entity_id]
                q, listed = self.read_pair(q_canon, q_person, row, m.entity_id)
                comp = v2_comparison(
                    q,
                    listed,
                    score,
                    values,
                    self.policy,
                    weak=cat.value("kinds", row) == "weak",
                    entity_patronymics=self.explained_patronymics(ours, m.entity_id),
                )
                m = RawMatch(
                    m.entity_id,
                    row,
                    country_note(comp, country, cat.entities[m.entity_id].countries),
                )
            out.append(m)
        return out

    @staticmethod
    def _cut(kept: list[float], floor: float, limit: int) -> float:
        """The logit a candidate's score must be able to reach to change the results: that of
        ``floor`` until ``limit`` entities are kept, then that of the ``limit``-th best entity
        score (a name surely scoring below it cannot enter the best ``limit``; the bound's
        rounding margin keeps a name that could tie with it, as ties go by entity id)."""
        if 0 < limit <= len(kept):
            return cut_for(max(floor, heapq.nlargest(limit, kept)[-1]))
        return cut_for(floor)


def _joined(first: Candidates, second: Candidates) -> Candidates:
    """``first``'s candidates, then those of ``second`` that ``first`` lacks."""
    new = ~np.isin(second.rows, first.rows)
    return Candidates(
        np.concatenate([first.rows, second.rows[new]]),
        np.concatenate([first.scores, second.scores[new]]),
        np.union1d(first.rare, second.rare),
    )


#: the writing systems :func:`~bidvet.screening.canonical.script_of` reads as ``cjk`` (all
#: take the CJK path), first match wins: a Japanese name mixing kana and kanji is ``kana``
CJK_RANGES = (
    ("hangul", r"\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"),
    ("kana", r"\u3040-\u30ff"),
    ("han", r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"),
)


#: how a note names them
CJK_LABELS = {"han": "han (Chinese)", "hangul": "hangul (Korean)", "kana": "kana (Japanese)"}


def writing_system(text: str) -> str:
    """:func:`~bidvet.screening.canonical.script_of`, with ``cjk`` told apart as ``han``,
    ``hangul`` or ``kana``."""
    script = script_of(text)
    if script != "cjk":
        return script
    return next(
        (name for name, pattern in char_classes(CJK_RANGES) if pattern.search(text)), script
    )


#: the matcher worker processes inherit when forked (set just before the pool starts)
_FORKED: Matcher | None = None


def _match_chunk(task: tuple[list[tuple[str, str | None]], int]) -> list[list[RawMatch]]:
    rows, limit = task
    assert _FORKED is not None
    return _FORKED.match_many(rows, limit=limit)


def match_chunks(
    matcher: Matcher,
    chunks: Sequence[list[tuple[str, str | None]]],
    limit: int,
    workers: int,
) -> Iterator[list[list[RawMatch]]]:
    """:meth:`Matcher.match_many` of each chunk, in order, by ``workers`` processes forked from
    this one (they share the loaded index and catalog); in this process when there is one
    chunk or one worker, or where processes cannot be forked."""
    workers = min(workers, len(chunks))
    if workers <= 1 or not can_fork():
        for rows in chunks:
            yield matcher.match_many(rows, limit=limit)
        return
    global _FORKED
    _FORKED = matcher
    matcher.index.postings  # noqa: B018 - made before forking, so the workers share it
    if matcher.v2 and matcher.bound:
        matcher.score_bound  # noqa: B018 - made before forking, so the workers share it
    len(common_words.table())  # the whole table read before forking, for the workers to share
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_match_chunk, [(rows, limit) for rows in chunks])
    finally:
        _FORKED = None
