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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from bidvet.model.identifiers import identifier_key
from bidvet.screening.catalog import Catalog
from bidvet.screening.config import ScreeningPolicy, default_policy
from bidvet.screening.features import Pair
from bidvet.screening.index import Candidates, NameIndex
from bidvet.screening.normalize import NormalName, normalize_cached
from bidvet.screening.score import Comparison, identifier_comparison, score_pair

#: candidate names scored with every feature, after rapidfuzz ranked the index's proposals
RESCORE = 6
#: rapidfuzz similarity (0..100) below which a candidate is not worth scoring: with half its
#: letters different a name cannot reach the decision threshold
MIN_SIMILARITY = 50.0
#: candidates this far (or further) below the most similar one are not scored either
MAX_BEHIND_BEST = 25.0


@dataclass(frozen=True, slots=True)
class RawMatch:
    """An entity matched by one of its names (``row`` in the catalog; -1 for identifiers)."""

    entity_id: str
    row: int
    comparison: Comparison


class Matcher:
    """A catalog with its index, answering queries."""

    def __init__(
        self, catalog: Catalog, index: NameIndex, policy: ScreeningPolicy | None = None
    ) -> None:
        self.catalog = catalog
        self.index = index
        self.policy = policy or default_policy()
        # exact cores -> rows: a name typed exactly as stored is always a candidate
        self.exact: dict[str, list[int]] = {}
        for row, name in enumerate(catalog.names):
            self.exact.setdefault(name.core, []).append(row)

    @classmethod
    def build(cls, catalog: Catalog, policy: ScreeningPolicy | None = None) -> Matcher:
        index = NameIndex.build([n.core for n in catalog.names], [n.folded for n in catalog.names])
        return cls(catalog, index, policy)

    def query_name(self, name: str) -> NormalName:
        return normalize_cached(name, self.policy.generic_org_words)

    def candidates(self, query: NormalName) -> Candidates:
        ip = self.policy.index
        return self.index.candidates(
            query.core,
            query.folded,
            limit=ip.candidates,
            budget=ip.posting_budget,
            min_features=ip.min_features,
        )

    def candidates_many(self, queries: Sequence[NormalName]) -> list[Candidates]:
        ip = self.policy.index
        return self.index.candidates_many(
            [q.core for q in queries],
            [q.folded for q in queries],
            limit=ip.candidates,
            budget=ip.posting_budget,
            min_features=ip.min_features,
        )

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
        rows = list(dict.fromkeys([*self.exact.get(query.core, ()), *(int(r) for r in cands.rows)]))
        if rows:
            names = [cat.names[r] for r in rows]
            sim = np.maximum(
                process.cdist([query.core], [n.core for n in names], scorer=fuzz.ratio)[0],
                process.cdist(
                    [query.folded], [n.folded for n in names], scorer=fuzz.token_sort_ratio
                )[0],
            )
            floor = max(MIN_SIMILARITY, float(sim.max()) - MAX_BEHIND_BEST)
            for pos in np.argsort(-sim, kind="stable")[:RESCORE]:
                if sim[pos] < floor:
                    break
                row = rows[int(pos)]
                eid = cat.entity_ids[row]
                if eid in best and best[eid].row == -1:
                    continue
                info = cat.entities[eid]
                pair = Pair(
                    query=query,
                    candidate=cat.names[row],
                    query_country=country,
                    candidate_countries=info.countries,
                    candidate_kind=cat.kinds[row],
                    idf=self.index.word_idf,
                )
                comp = score_pair(pair, self.policy)
                current = best.get(eid)
                if current is None or comp.score > current.comparison.score:
                    best[eid] = RawMatch(eid, row, comp)
        floor = self.policy.scoring.report_min
        kept = [m for m in best.values() if m.comparison.score >= floor]
        ordered = sorted(kept, key=lambda m: (-m.comparison.score, m.entity_id))
        return ordered[:limit]
