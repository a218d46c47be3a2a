"""The ``Screener``: screening names against the knowledge store.

The catalog and index are derived data: they are built from the store on first use and cached
under ``settings.cache_dir(store.url)`` in a directory keyed by the store's fingerprint (the hash
of every loaded snapshot) and the screening policy version. Loading a new list changes the
fingerprint, so a stale index is never used.

The cache of the store's previous content is the start of the next one: the names it holds are
not normalised again, and when the store only gained names (a tender's knowledge file, a small
list) its index is updated with the added ones rather than rebuilt, to the same arrays a
rebuild gives (:func:`_updated_index`). The log says which it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bidvet import settings
from bidvet.dates import today
from bidvet.file_copies import to_plain
from bidvet.screening.cache_build import build_elsewhere
from bidvet.screening.catalog import Catalog
from bidvet.screening.config import V2, ScreeningPolicy, default_policy, policy_for
from bidvet.screening.index import NameIndex
from bidvet.screening.lists import listings_as_of
from bidvet.screening.matcher import Matcher, RawMatch
from bidvet.screening.terms import TermTable, use_table
from bidvet.store.db import Store

log = logging.getLogger(__name__)

_INDEX_DIR = "index"
_CATALOG_FILE = "catalog.npz"
#: bump when the catalog or index layout, the way names or identifiers are normalised or the
#: texts the index holds (:meth:`~bidvet.screening.catalog.Catalog.indexed_texts`) change
CACHE_FORMAT = "8"
#: the modules (and data) whose reading of a name the cache holds: a change to one of them is a
#: new cache
_READERS = (
    "normalize.py",
    "canonical.py",
    "spellings.py",
    "renderings.py",
    "terms.py",
    "person_names.py",
    "common_words.py",
    "common_words_en.tsv",
)
_TERMS_DIR = "terms"


@lru_cache(maxsize=1)
def _readers_digest() -> str:
    """The digest of :data:`_READERS` and of the rigour installed: the cache holds its readings
    (the legal forms it finds, the symbols its tagger gives words), so another install is a new
    cache. The install is told by its package file's size and modification time (an upgrade or
    a reinstall writes it again), read without importing the package metadata."""
    import rigour

    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in _READERS:
        h.update((here / name).read_bytes())
    installed = Path(rigour.__file__).stat() if rigour.__file__ else None
    if installed is not None:
        h.update(f"rigour {installed.st_size} {installed.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


@dataclass
class Match:
    """An entity matching a screened name."""

    entity_id: str
    name: str  # the entity's name that matched, as stored
    caption: str
    score: float
    match: bool
    explanation: list[str]
    lists: list[dict[str, Any]] = field(default_factory=list)
    #: the record comes from a fictional dataset (tests, examples), not from a real source
    fictional: bool = False
    #: the matching algorithm that scored it (``bidvet-name-v2``, ``bidvet-name-v1``)
    algorithm: str = V2

    def to_json(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "name": self.name,
            "caption": self.caption,
            "score": self.score,
            "match": self.match,
            "lists": self.lists,
            "explanation": self.explanation,
            "fictional": self.fictional,
            "algorithm": self.algorithm,
        }


def near_names(matches: Sequence[Match], limit: int = 5) -> list[dict[str, Any]]:
    """The results below the threshold, best first, at most ``limit``: the *near names*.

    A screening returns every entity scoring at least the policy's floor (``near_floor`` for
    ``bidvet-name-v2``, ``report_min`` for v1, in ``screening.yaml``), so an empty list means
    no name in the store reached that floor, and only then may "no near name" be said.
    """
    return [
        {"entity_id": m.entity_id, "name": m.name, "score": m.score}
        for m in sorted(matches, key=lambda m: (-m.score, m.entity_id))
        if not m.match
    ][:limit]


def near_floor(policy: ScreeningPolicy | None = None) -> float:
    """The score a name must reach to be reported at all (documented in ``screening.yaml``)."""
    policy = policy or default_policy()
    sp = policy.scoring
    return sp.near_floor if policy.algorithm == V2 else sp.report_min


def cache_path(store: Store, policy: ScreeningPolicy) -> Path:
    """Where the screening index of this store's current content is cached.

    The key joins the store fingerprint with what the index depends on besides the data: the
    cache format and the policy's generic words and index settings.
    """
    recipe = json.dumps(
        [CACHE_FORMAT, _readers_digest(), policy.generic_org_words, to_plain(policy.index)],
        sort_keys=True,
    )
    digest = hashlib.sha256(recipe.encode()).hexdigest()[:10]
    # One folder per store, so several stores may share a cache directory.
    where = hashlib.sha256(store.url.encode()).hexdigest()[:12]
    return (
        settings.cache_dir(store.url)
        / f"store-{where}"
        / f"screening-{digest}-{store.fingerprint()[:24]}"
    )


#: matchers read from the cache by this process, by cache folder, policy and the cache files'
#: size and modification time: a long-running process (a workspace worker) reads the index once
#: per store content, not once per search (reading it costs about a second for the official
#: lists); a rewritten or damaged cache file changes the key and is read again
_LOADED: dict[tuple[Path, str, tuple[int, ...]], Matcher] = {}


def load_matcher(store: Store, policy: ScreeningPolicy | None = None) -> Matcher:
    """The store's matcher, from the cache when it is current, else built and cached (by a
    process of its own when this one runs other threads and the store is large:
    :mod:`bidvet.screening.cache_build`)."""
    policy = policy or default_policy()
    path = cache_path(store, policy)
    matcher = _read_cache(path, policy)
    if matcher is not None:
        return matcher
    if build_elsewhere(store, policy):
        matcher = _read_cache(path, policy)
        if matcher is not None:
            return matcher
        # the store changed while the other process built its cache
        log.info("screening cache %s not found after its build; building here", path)
    return _build(store, policy, path)


def _read_cache(path: Path, policy: ScreeningPolicy) -> Matcher | None:
    """The matcher cached at ``path``, if it is there and readable (``None`` else; a damaged
    cache is removed)."""
    files = [path / _INDEX_DIR / "indices.npy", path / _CATALOG_FILE]
    if not all(f.is_file() for f in files):
        return None
    try:
        stats = [f.stat() for f in files]
        stamp = tuple(n for st in stats for n in (st.st_size, st.st_mtime_ns))
        key = (path, json.dumps(to_plain(policy), sort_keys=True), stamp)
        if key in _LOADED:
            return _LOADED[key]
        catalog = Catalog.load(path / _CATALOG_FILE)
        index = NameIndex.load(path / _INDEX_DIR)
        if index.size != len(catalog):
            raise ValueError(f"{index.size} indexed names, {len(catalog)} in catalog")
        use_table(TermTable.load(path / _TERMS_DIR))
        if len(_LOADED) >= 4:
            _LOADED.clear()
        _LOADED[key] = Matcher(catalog, index, policy)
        return _LOADED[key]
    # A damaged cache (cut, overwritten, hand-edited) is rebuilt whatever the damage is.
    except Exception as exc:
        log.warning("screening cache %s unreadable (%s); rebuilding", path, exc)
        shutil.rmtree(path, ignore_errors=True)
        return None


def _build(store: Store, policy: ScreeningPolicy, path: Path) -> Matcher:
    """Build the store's matcher in this process (from the cache of its previous content where
    there is one) and cache it at ``path``."""
    previous = _previous(path)
    catalog = Catalog.from_store(
        store, policy.generic_org_words, previous[1] if previous is not None else None
    )
    updated = _updated_index(previous, catalog) if previous is not None else None
    matcher = (
        Matcher.build(catalog, policy) if updated is None else Matcher(catalog, updated, policy)
    )
    # matcher v2 reads each stored name once, here, not at query time
    catalog.precompute_canon()
    terms = catalog.term_table(_previous_terms(previous[0]) if previous is not None else None)
    use_table(terms)
    _save(matcher, terms, path)
    return matcher


def _previous_terms(folder: Path) -> TermTable | None:
    """The term table of an earlier cache (its words are not tagged again), if readable."""
    try:
        return TermTable.load(folder / _TERMS_DIR)
    except Exception as exc:  # a damaged earlier cache is only not reused
        log.info("earlier term table %s not reused (%s)", folder, exc)
        return None


def _previous(path: Path) -> tuple[Path, Catalog] | None:
    """The cache folder of this store's previous content with the same recipe, if any, with its
    catalog: after a load, the names it holds are not normalised or read by matcher v2 again,
    and its index is updated rather than rebuilt when the load only added names."""
    recipe = path.name.rsplit("-", 1)[0]
    for old in sorted(path.parent.glob(f"{recipe}-*"), key=lambda p: p.stat().st_mtime)[::-1]:
        if old == path or not (old / _CATALOG_FILE).is_file():
            continue
        try:
            return old, Catalog.load(old / _CATALOG_FILE)
        except Exception as exc:  # a damaged earlier cache is only not reused
            log.info("earlier screening cache %s not reused (%s)", old, exc)
    return None


#: a load may add at most this share of the names already indexed for the index to be updated
#: (:func:`_updated_index`); a larger one rebuilds it. The update is exact at any size; the
#: bound keeps it to what it is for (a tender's knowledge file, a small list), where it saves
#: cutting every name again, and sends bulk loads down the one path every store's first build
#: takes.
DELTA_SHARE = 0.25


def _updated_index(previous: tuple[Path, Catalog], catalog: Catalog) -> NameIndex | None:
    """The previous cache's index updated with the names ``catalog`` adds, when the store's
    change since it only added names (:meth:`Catalog.rows_in`: none removed, changed or
    reordered) and not more than :data:`DELTA_SHARE` of them; else ``None``: rebuild.

    The updated index is the one a rebuild makes, array for array
    (:meth:`NameIndex.extend`), so the results are the same. Whether the store only added is
    read from the names themselves and the texts the index holds of them
    (:meth:`Catalog.indexed_texts`, which also depend on the entity being a person), not from
    its snapshots: a stored name gone (an earlier copy of the store restored), read or indexed
    differently or moved rebuilds; a new snapshot of a list that renames an entity adds a name
    (the store keeps the earlier snapshot's name too) and updates.
    """
    folder, old = previous
    try:
        base = NameIndex.load(folder / _INDEX_DIR)
        if base.size != len(old):
            raise ValueError(f"{base.size} indexed names, {len(old)} in catalog")
        rows = old.rows_in(catalog)
        added = len(catalog) - len(old)
        if rows is None:
            log.info("screening index rebuilt: names were removed, changed or reordered")
            return None
        if added > DELTA_SHARE * len(old):
            log.info(
                "screening index rebuilt: %d names added to %d (more than %.0f%%)",
                added,
                len(old),
                100 * DELTA_SHARE,
            )
            return None
        texts = catalog.indexed_texts()
        kept = rows.tolist()
        if any(texts[row] != text for row, text in zip(kept, old.indexed_texts(), strict=True)):
            # the names are the same but an entity is now read as a person, or no longer
            log.info("screening index rebuilt: a stored name is indexed differently")
            return None
        index = NameIndex.extend(base, rows, catalog.cores, texts)
    except Exception as exc:  # a damaged earlier cache is only not reused
        log.info("earlier screening index %s not reused (%s)", folder, exc)
        return None
    log.info("screening index updated, not rebuilt: %d names added to %d", added, len(old))
    return index


def _save(matcher: Matcher, terms: TermTable, path: Path) -> None:
    """Write the cache atomically: a half-written cache directory is never seen."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=path.parent))
        matcher.index.save(tmp / _INDEX_DIR)
        terms.save(tmp / _TERMS_DIR)
        matcher.catalog.save(tmp / _CATALOG_FILE)
        try:
            os.replace(tmp, path)
        except OSError:  # another process cached it first
            shutil.rmtree(tmp, ignore_errors=True)
        # Indexes of the store's earlier contents are never read again.
        for old in path.parent.glob("screening-*"):
            if old != path:
                shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        log.warning("cannot cache the screening index at %s: %s", path, exc)


class Screener:
    """Screen names against every entity in ``store``; listings are those active on ``as_of``.

    ``with_inherited`` adds the listings that reach a match through its owners (an ownership
    walk per owned match); callers that run the ownership engine themselves turn it off.
    """

    def __init__(
        self,
        store: Store,
        *,
        as_of: dt.date | None = None,
        with_inherited: bool = True,
        algorithm: str | None = None,
    ) -> None:
        self.store = store
        self.as_of = as_of or today()
        self.with_inherited = with_inherited
        self.policy = policy_for(algorithm)
        self.matcher = load_matcher(store, self.policy)

    @property
    def algorithm(self) -> str:
        """The matching algorithm in use (recorded in every result)."""
        return self.policy.algorithm

    def query_notes(self, name: str) -> list[str]:
        """What the results cannot show about a query (e.g. a script no stored name uses)."""
        return self.matcher.script_notes(name)

    def screen(
        self,
        name: str,
        *,
        country: str | None = None,
        identifiers: Sequence[str] = (),
        limit: int = 5,
    ) -> list[Match]:
        """Best matching entities for ``name``, best first, at most ``limit``."""
        raw = self.matcher.match(name, country=country, identifiers=identifiers, limit=limit)
        return self.finish([raw])[0]

    def screen_many(
        self, queries: Sequence[tuple[str, str | None]], *, limit: int = 5
    ) -> list[list[Match]]:
        """Screen many ``(name, country)`` pairs; one index pass and one listings query."""
        return self.finish(self.matcher.match_many(queries, limit=limit))

    def finish(self, results: list[list[RawMatch]]) -> list[list[Match]]:
        """Raw matches (of :meth:`Matcher.match_many`) as results, with their listings."""
        ids = sorted({m.entity_id for res in results for m in res})
        listings = listings_as_of(self.store, ids, self.as_of, inherited=self.with_inherited)
        with self.store.view() as view:
            made_up = view.fictional_ids(ids)
        cat = self.matcher.catalog
        out: list[list[Match]] = []
        for res in results:
            matches = []
            for m in res:
                info = cat.entities[m.entity_id]
                name = cat.value("originals", m.row) if m.row >= 0 else info.caption
                matches.append(
                    Match(
                        entity_id=m.entity_id,
                        name=name,
                        caption=info.caption,
                        score=m.comparison.score,
                        match=m.comparison.match,
                        explanation=list(m.comparison.explanation),
                        lists=listings.get(m.entity_id, []),
                        fictional=m.entity_id in made_up,
                        algorithm=m.comparison.algorithm,
                    )
                )
            out.append(matches)
        return out
