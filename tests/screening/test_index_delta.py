"""After a load that only adds names, the screening index is updated with the added names rather
than rebuilt, and gives what a rebuild gives: the same arrays, the same candidates, the same
results, byte for byte. A load that removes or changes a name, or adds many, rebuilds it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import bidvet
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch
from bidvet.screening import engine, index
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import default_policy
from bidvet.screening.engine import Screener
from bidvet.screening.index import NameIndex
from bidvet.store.db import Store
from bidvet.store.writer import write_batch

from .factories import entity

FIXTURES = Path(__file__).parents[1] / "fixtures"
#: a small curated knowledge file, as a tender brings (three fictional vendors)
KNOWLEDGE = FIXTURES / "curated" / "fictional-vendors.yaml"

# fictional name parts: every generated name is made up
_STEMS = (
    "Velkor",
    "Tarnex",
    "Brisolt",
    "Quendra",
    "Morvain",
    "Ostrel",
    "Pellinor",
    "Skarvik",
    "Drumlin",
    "Halvec",
    "Norvane",
    "Ulstra",
)
_WORDS = ("Imaging", "Detection", "Trading", "Logistics", "Systems", "Marine", "Holdings")
_FORMS = ("LLC", "Ltd", "GmbH", "Oy", "Co., Ltd.", "JSC", "")


def _list_like() -> list[EntityRecord]:
    """A few hundred fictional entities shaped like a sanctions list's: shared words and legal
    forms, aliases, and the same name under several entities (so that scores tie)."""
    out = []
    k = 0
    for s, stem in enumerate(_STEMS):
        for w, word in enumerate(_WORDS):
            for f in range(3):
                form = _FORMS[(s + w + f) % len(_FORMS)]
                name = f"{stem} {word} {form}".strip()
                aliases = (f"{stem}-{word[:4]} {form}".strip(),) if (s + w) % 3 == 0 else ()
                out.append(entity(f"test-gen-{k:04d}", name, *aliases, countries=("xx",)))
                k += 1
    # twins: one name, two entities
    out += [entity(f"test-twin-{i}", "Ostrel Detection Ltd") for i in range(3)]
    return out


def _write(store: Store, dataset: str, entities: list[EntityRecord], published: dt.date) -> None:
    batch = ImportBatch(
        dataset=dataset,
        format="test",
        quality=QualityLog(f"{dataset}.yaml"),
        published=published,
        entities=entities,
        imported=len(entities),
    )
    with store.transaction() as conn:
        write_batch(
            conn,
            batch,
            file_name=f"{dataset}.yaml",
            sha256=hashlib.sha256(f"{dataset}-{published}".encode()).hexdigest(),
            now=dt.datetime(2026, 11, 25, 12, 0, 0),
        )


def _load_lists(store: Store) -> None:
    """The official-list-like base: real-format list fixtures and a generated fictional list."""
    for name in ("sdn_v1.xml", "consolidated_small.xml", "csl_small.csv"):
        bidvet.load(store, FIXTURES / "sources" / name)
    _write(store, "test-list", _list_like(), dt.date(2024, 5, 1))


class Indexed:
    """Counts the names cut into index features (the work a build or an update does)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names = 0
        real = index._trigram_postings

        def counting(cores: Sequence[str]) -> object:
            self.names += len(cores)
            return real(cores)

        monkeypatch.setattr(index, "_trigram_postings", counting)


def _fresh(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Screener:
    """A screener whose cache is built from nothing, in a cache folder of its own."""
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "fresh"))
    engine._LOADED.clear()
    screener = Screener(store)
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    return screener


def _queries(screener: Screener) -> list[tuple[str, str | None]]:
    """Every stored name, a typed variant of it, the added names and names that tie."""
    names = list(dict.fromkeys(screener.matcher.catalog.originals))
    typed = [n[:-1] if len(n) > 6 else n + "x" for n in names]
    extra = ["Ostrel Detection", "Ostrel Detection Ltd", "Kestrel Imaging", "Vostok Strategic"]
    countries = [None, "xx", "gb", "ru"]
    every = [*names, *typed, *extra]
    return [(q, countries[i % len(countries)]) for i, q in enumerate(every)]


def _as_bytes(screener: Screener, queries: list[tuple[str, str | None]]) -> bytes:
    results = screener.screen_many(queries, limit=10)
    return json.dumps([[m.to_json() for m in res] for res in results], sort_keys=True).encode()


def _same_index(a: NameIndex, b: NameIndex) -> None:
    for name in NameIndex._ARRAYS:
        x, y = np.asarray(getattr(a, name)), np.asarray(getattr(b, name))
        assert x.dtype == y.dtype and x.shape == y.shape, name
        assert x.tobytes() == y.tobytes(), name


def test_a_small_load_updates_the_index_to_what_a_rebuild_gives(
    sqlite_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    engine._LOADED.clear()
    _load_lists(sqlite_store)
    before = len(Screener(sqlite_store).matcher.catalog)
    bidvet.load(sqlite_store, KNOWLEDGE)
    indexed = Indexed(monkeypatch)
    with caplog.at_level(logging.INFO, logger="bidvet.screening.engine"):
        updated = Screener(sqlite_store)
    added = len(updated.matcher.catalog) - before
    assert 0 < added < 10
    # only the added names were cut into features, not the hundreds already indexed
    assert indexed.names == added
    assert "screening index updated, not rebuilt" in caplog.text
    fresh = _fresh(sqlite_store, tmp_path, monkeypatch)
    assert indexed.names == added + len(fresh.matcher.catalog)  # the rebuild cut every name
    _same_index(updated.matcher.index, fresh.matcher.index)
    queries = _queries(fresh)
    assert len(queries) > 500
    assert _as_bytes(updated, queries) == _as_bytes(fresh, queries)
    # the added names are found, and the twins tie and keep their order
    best = updated.screen("Kestrel Imaging Ltd")[0]
    assert best.entity_id.endswith("kestrel-imaging") and best.match
    twins = [m for m in updated.screen("Ostrel Detection Ltd", limit=10) if "twin" in m.entity_id]
    assert len(twins) == 3 and len({m.score for m in twins}) == 1
    # the updated cache is read back as any other
    engine._LOADED.clear()
    _same_index(Screener(sqlite_store).matcher.index, fresh.matcher.index)


def test_names_removed_since_the_cache_rebuild_the_index(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An earlier copy of the store restored (names the cache holds are gone), then a small
    load: the index is rebuilt, not updated."""
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    engine._LOADED.clear()
    _load_lists(sqlite_store)
    Screener(sqlite_store)
    db = sqlite_store.sqlite_path
    assert db is not None
    sqlite_store.dispose()
    shutil.copy(db, tmp_path / "earlier.db")
    bidvet.load(sqlite_store, KNOWLEDGE)
    Screener(sqlite_store)  # the cache now holds the knowledge file's names
    sqlite_store.dispose()
    shutil.copy(tmp_path / "earlier.db", db)
    _write(
        sqlite_store,
        "test-tender",
        [entity("test-velkor", "Velkoria Imaging Oy")],
        dt.date(2024, 6, 1),
    )
    indexed = Indexed(monkeypatch)
    rebuilt = Screener(sqlite_store)
    assert indexed.names == len(rebuilt.matcher.catalog)
    assert "Kestrel Imaging Ltd" not in rebuilt.matcher.catalog.originals
    fresh = _fresh(sqlite_store, tmp_path, monkeypatch)
    _same_index(rebuilt.matcher.index, fresh.matcher.index)
    queries = _queries(fresh)
    assert _as_bytes(rebuilt, queries) == _as_bytes(fresh, queries)


def test_a_superseding_snapshot_that_renames_updates_exactly(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new snapshot of the same list renaming an entity: the store keeps the earlier name (a
    name is a fact of its snapshot), so the catalog only gains one; the update is exact."""
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    engine._LOADED.clear()
    _load_lists(sqlite_store)
    before = len(Screener(sqlite_store).matcher.catalog)
    renamed = [entity("test-gen-0000", "Velkor Imaging Group LLC", countries=("xx",))]
    _write(sqlite_store, "test-list", renamed, dt.date(2024, 6, 1))
    indexed = Indexed(monkeypatch)
    updated = Screener(sqlite_store)
    assert len(updated.matcher.catalog) == before + 1 and indexed.names == 1
    fresh = _fresh(sqlite_store, tmp_path, monkeypatch)
    _same_index(updated.matcher.index, fresh.matcher.index)
    queries = _queries(fresh)
    assert _as_bytes(updated, queries) == _as_bytes(fresh, queries)


def test_a_large_load_rebuilds(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    engine._LOADED.clear()
    _load_lists(sqlite_store)
    before = len(Screener(sqlite_store).matcher.catalog)
    many = [entity(f"test-bulk-{i}", f"Brisolt Bulk Carrier {i} Ltd") for i in range(before // 3)]
    _write(sqlite_store, "test-bulk", many, dt.date(2024, 6, 1))
    indexed = Indexed(monkeypatch)
    rebuilt = Screener(sqlite_store)
    assert len(rebuilt.matcher.catalog) - before > engine.DELTA_SHARE * before
    assert indexed.names == len(rebuilt.matcher.catalog)


def _catalog(names: Sequence[tuple[str, str]], previous: Catalog | None = None) -> Catalog:
    return Catalog.from_entries(
        [Entry(eid, [(name, "primary")]) for eid, name in names],
        default_policy().generic_org_words,
        previous,
    )


@pytest.mark.parametrize("built_from_it", [False, True])
def test_rows_in_accepts_only_added_names(built_from_it: bool) -> None:
    """Read from the names (a catalog built from nothing) or from the rows the new catalog
    found in the earlier one while it was built: the same answer."""
    base = [("a", "Velkor Imaging LLC"), ("b", "Tarnex Marine Oy"), ("c", "Quendra Systems")]
    old = _catalog(base)

    def later(names: Sequence[tuple[str, str]]) -> Catalog:
        return _catalog(names, old if built_from_it else None)

    # a name added, another entity's name that the earlier catalog holds under "a"
    grown = later([base[0], ("ab", "Ostrel Ltd"), *base[1:], ("d", "Velkor Imaging LLC")])
    rows = old.rows_in(grown)
    assert rows is not None and rows.tolist() == [0, 2, 3]
    assert old.rows_in(later(base[:2])) is None  # a name removed
    assert old.rows_in(later([base[0], ("b", "Tarnex Marine Oyj"), base[2]])) is None
    assert old.rows_in(later([base[1], base[0], base[2]])) is None  # reordered
    assert old.rows_in(later([("a", "Velkor Imaging LLC"), ("x", "Tarnex Marine Oy")])) is None


@pytest.mark.parametrize("added", [0, 1, 7, 40])
def test_extend_builds_the_same_arrays(added: int) -> None:
    cores = [f"{s.lower()} {w.lower()}" for s in _STEMS for w in _WORDS] + ["östrel", "x", ""]
    folded = [f"{c} ltd" if i % 2 else c for i, c in enumerate(cores)]
    rng = np.random.default_rng(added)
    new = set(rng.choice(len(cores), size=added, replace=False).tolist())
    kept = np.asarray([r for r in range(len(cores)) if r not in new], dtype=np.int64)
    base = NameIndex.build([cores[r] for r in kept], [folded[r] for r in kept])
    _same_index(NameIndex.extend(base, kept, cores, folded), NameIndex.build(cores, folded))
    q = NameIndex.extend(base, kept, cores, folded).candidates(
        "velkor imaging", limit=20, budget=10_000, min_features=3
    )
    full = NameIndex.build(cores, folded).candidates(
        "velkor imaging", limit=20, budget=10_000, min_features=3
    )
    assert q.rows.tolist() == full.rows.tolist() and q.scores.tobytes() == full.scores.tobytes()


def test_extend_refuses_a_base_out_of_order() -> None:
    base = NameIndex.build(["tarnex", "velkor"])
    with pytest.raises(ValueError, match="order"):
        NameIndex.extend(base, np.asarray([1, 0]), ["velkor", "tarnex", "quendra"])


def test_an_entity_read_as_a_person_since_the_cache_rebuilds_exactly(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index holds a person's name in the one spelling too
    (:meth:`~bidvet.screening.catalog.Catalog.indexed_texts`): a new snapshot that makes an
    entity a person, its names unchanged, changes what the index holds of them, so the index
    is not updated from the earlier one but made as a rebuild makes it."""
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    engine._LOADED.clear()
    _load_lists(sqlite_store)
    name = "Andrey Anatolyevich QUOLEYEV"
    _write(sqlite_store, "test-people", [entity("test-quoleyev", name)], dt.date(2024, 5, 1))
    Screener(sqlite_store)
    person = entity("test-quoleyev", name, schema="Person")
    _write(sqlite_store, "test-people", [person], dt.date(2024, 6, 1))
    later = Screener(sqlite_store)
    assert later.matcher.catalog.entities["test-quoleyev"].schema == "Person"
    fresh = _fresh(sqlite_store, tmp_path, monkeypatch)
    _same_index(later.matcher.index, fresh.matcher.index)
    found = later.screen("Andrei Anatolevich QUOLEIEV")
    assert found and found[0].entity_id == "test-quoleyev" and found[0].match
