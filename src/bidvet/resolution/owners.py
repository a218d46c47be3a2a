"""Owners screened by name: listed records that may be an owner in a bidder's chain.

An owner known from a curated chain, GLEIF or BODS carries no list entry of its own; the same
company may be on a list under another record. Every owner's name (and country) is matched
against every record of the store with the screening matcher. A match the screener calls a
match, scoring at least ``owner_match_score`` (``data/resolution.yaml``), on a record that is
listed on the as-of date, is a **possible** listing through that owner: a person must judge
whether the two records are one legal person. It stays possible until judged:

* a ``positive`` judgement (or an identifier link) puts the records in one cluster, and the
  listing then reaches the owner as its own (the listing criteria cite the judgement);
* a ``negative`` judgement silences the match;
* an ``unsure`` judgement keeps it shown, saying so.

Records in the chain itself (the bidder, its owners and their clusters) are never proposed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bidvet.model.facts import ListingFact
from bidvet.resolution.config import ResolutionConfig, load_resolution_config
from bidvet.screening.engine import load_matcher
from bidvet.screening.matcher import Matcher
from bidvet.store.db import Store
from bidvet.store.resolution import Judgement
from bidvet.store.view import View

_MATCHERS: dict[tuple[str, str], Matcher] = {}
#: candidates considered per owner name
_LIMIT = 5


@dataclass(frozen=True)
class OwnerMatch:
    """A listed record whose name matches an owner's."""

    owner_id: str
    owner_name: str
    entity_id: str
    name: str
    score: float
    explanation: tuple[str, ...]
    listings: tuple[ListingFact, ...]
    #: an ``unsure`` judgement of the pair, when a person recorded one
    judgement: Judgement | None = None


def _matcher(store: Store) -> Matcher:
    """The store's screening matcher, kept per store content for the life of the process."""
    key = (store.url, store.fingerprint())
    if key not in _MATCHERS:
        _MATCHERS.clear()
        _MATCHERS[key] = load_matcher(store)
    return _MATCHERS[key]


def screen_owners(
    store: Store,
    view: View,
    owner_ids: Sequence[str],
    as_of: dt.date,
    *,
    exclude: Sequence[str] = (),
    config: ResolutionConfig | None = None,
) -> list[OwnerMatch]:
    """Listed records that may be one of ``owner_ids``, best first per owner (see the module
    docstring); ``exclude`` are records never proposed (the bidder and its chain)."""
    cfg = config or load_resolution_config()
    owners = list(dict.fromkeys(owner_ids))
    if not owners:
        return []
    matcher = _matcher(store)
    if not matcher.catalog.entities:
        return []
    facts = view.entities(owners)
    clusters = view.clusters([*owners, *exclude])
    chain = {m for c in clusters.values() for m in c.members}
    queries = [
        (o, facts[o].caption, facts[o].countries[0] if facts[o].countries else None)
        for o in owners
        if o in facts
    ]
    results = matcher.match_many([(name, country) for _, name, country in queries], limit=_LIMIT)
    found: list[tuple[str, str, str, float, tuple[str, ...]]] = []
    for (owner, owner_name, _), raws in zip(queries, results, strict=True):
        for raw in raws:
            comp = raw.comparison
            if raw.entity_id in chain or not comp.match or comp.score < cfg.owner_match_score:
                continue
            found.append((owner, owner_name, raw.entity_id, comp.score, tuple(comp.explanation)))
    if not found:
        return []
    listed = view.listings({f[2] for f in found}, as_of)
    judged: dict[tuple[str, str], Judgement] = {}
    for j in view.judgements({f[2] for f in found}):
        judged[(j.left_id, j.right_id)] = j
    out: list[OwnerMatch] = []
    for owner, owner_name, eid, score, why in found:
        if not listed.get(eid):
            continue
        verdicts = [
            judged[(min(m, eid), max(m, eid))]
            for m in clusters[owner].members
            if (min(m, eid), max(m, eid)) in judged
        ]
        if any(v.judgement == "negative" for v in verdicts):
            continue
        unsure = next((v for v in verdicts if v.judgement == "unsure"), None)
        name = matcher.catalog.entities[eid].caption
        out.append(OwnerMatch(owner, owner_name, eid, name, score, why, tuple(listed[eid]), unsure))
    return out
