"""The term table a screening index is saved with (:class:`bidvet.screening.terms.TermTable`):
the symbols rigour's tagger gives every word of the indexed names, read in batches when the
index is built, so that a process screening a name of those words does not build the tagger.
It must answer exactly what the tagger answers, say when it did not read a word, and not read
again the words of an earlier table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rigour.names import Name

from bidvet.screening import engine, terms
from bidvet.screening.canonical import canonical
from bidvet.screening.config import default_policy
from bidvet.screening.engine import Screener
from bidvet.screening.features_v2 import word_meets
from bidvet.screening.terms import TermTable, same_term, term_symbols, use_table
from bidvet.store.db import Store

from .factories import load_fictional
from .test_cache_reuse import _load_small_file

WORDS = [
    "zavod",
    "plant",
    "sistemy",
    "systems",
    "tsentr",
    "moscow",
    "kompaniya",
    "borealis",
    "scanning",
    "velkoria",
    "imaging",
    "o'neill",
]


def _forget_readings() -> None:
    """Forget every word's symbols and every name read, as a new process starts."""
    for cached in (term_symbols, same_term, word_meets, canonical):
        cached.cache_clear()


@pytest.fixture
def no_tables() -> Iterator[None]:
    """No table in use, and the words' symbols read afresh, before and after."""
    saved = list(terms._TABLES)
    terms._TABLES.clear()
    _forget_readings()
    yield
    terms._TABLES[:] = saved
    _forget_readings()


@pytest.fixture
def fictional(sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The fictional lists in a store whose screening cache has a folder of its own."""
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "cache"))
    engine._LOADED.clear()
    load_fictional(sqlite_store)
    return sqlite_store


def _saved_table(store: Store) -> TermTable:
    """The term table of the store's screening cache."""
    return TermTable.load(engine.cache_path(store, default_policy()) / "terms")


def _tagger_off(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the words the tagger is asked to read, and fail if it is asked."""
    asked: list[list[str]] = []

    def refuse(words: list[str]) -> set[Name]:
        asked.append(list(words))
        raise AssertionError(f"the tagger read {words}")

    monkeypatch.setattr(terms, "_analyzed", refuse)
    return asked


def test_the_table_answers_what_the_tagger_answers(
    no_tables: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one = {w: term_symbols(w) for w in WORDS}
    assert one_by_one["zavod"] == one_by_one["plant"] == {"[DOMAIN:FACTORY]"}
    table = TermTable.of_words([*WORDS, "zavod", "", "2020"])
    table.save(tmp_path / "terms")
    read = TermTable.load(tmp_path / "terms")
    for word in WORDS:
        assert read.get(word) == table.get(word) == one_by_one[word], word
    assert read.get("hikvision") is None  # not read: the tagger is asked
    assert read.get("2020") is None
    # in use, the table answers its words without the tagger
    _forget_readings()
    use_table(read)
    _tagger_off(monkeypatch)
    assert {w: term_symbols(w) for w in WORDS} == one_by_one


def test_a_word_the_table_did_not_read_goes_to_the_tagger(no_tables: None) -> None:
    use_table(TermTable.of_words(["borealis"]))
    assert term_symbols("zavod") == {"[DOMAIN:FACTORY]"}
    assert term_symbols("borealis") == frozenset()


def test_the_words_of_an_earlier_table_are_not_read_again(
    no_tables: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = TermTable.of_words(["zavod", "borealis"])
    asked: list[list[str]] = []
    real = terms._analyzed

    def counting(words: list[str]) -> set[Name]:
        asked.append(list(words))
        return real(words)

    monkeypatch.setattr(terms, "_analyzed", counting)
    later = TermTable.of_words(["zavod", "borealis", "plant"], earlier)
    assert asked == [["plant"]]
    assert later.get("zavod") == later.get("plant") == frozenset({"[DOMAIN:FACTORY]"})
    assert later.get("borealis") == frozenset()


def test_a_damaged_table_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "terms"
    TermTable.of_words(["zavod", "plant", "borealis"]).save(folder)
    import numpy as np

    np.save(folder / "codes.npy", np.asarray([3, 2, 1], dtype=np.int64))
    with pytest.raises(ValueError, match="not sorted"):
        TermTable.load(folder)


def test_a_screen_from_the_cache_reads_its_words_without_the_tagger(
    no_tables: None, fictional: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = Screener(fictional).screen("Borealis Scanning Ltd")
    assert _saved_table(fictional).get("borealis") == frozenset()
    # a new process: the cache is read, the tables and the words' symbols start empty
    engine._LOADED.clear()
    terms._TABLES.clear()
    _forget_readings()
    asked = _tagger_off(monkeypatch)
    again = Screener(fictional).screen("Borealis Scanning Ltd")
    assert asked == []
    assert [(m.entity_id, m.score) for m in again] == [(m.entity_id, m.score) for m in built]
    assert built and built[0].match


def test_another_rigour_install_is_another_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_store: Store
) -> None:
    """The cache holds rigour's readings (its legal forms, its tagger's symbols): an upgraded
    or reinstalled rigour (its package file written again) reads into a new cache."""
    import rigour

    before = engine.cache_path(sqlite_store, default_policy())
    other = tmp_path / "__init__.py"
    other.write_text("# another install\n")
    monkeypatch.setattr(rigour, "__file__", str(other))
    engine._readers_digest.cache_clear()
    try:
        assert engine.cache_path(sqlite_store, default_policy()) != before
    finally:
        monkeypatch.undo()
        engine._readers_digest.cache_clear()
    assert engine.cache_path(sqlite_store, default_policy()) == before


def test_after_a_small_load_only_the_new_names_words_are_read(
    no_tables: None, fictional: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Screener(fictional)
    first = _saved_table(fictional)
    _load_small_file(fictional)  # adds "Velkoria Imaging Oy"
    asked: list[str] = []
    real = terms._analyzed

    def counting(words: list[str]) -> set[Name]:
        asked.extend(words)
        return real(words)

    monkeypatch.setattr(terms, "_analyzed", counting)
    Screener(fictional)
    later = _saved_table(fictional)
    assert asked == ["velkoria"]  # "imaging" and "oy": read before, or common English words
    assert later.get("velkoria") == frozenset()
    # every word of the earlier table is in the later one, with its symbols
    assert set(first.codes.tolist()) <= set(later.codes.tolist())
    assert later.symbols.items() >= first.symbols.items()
    # the table a cache built from nothing holds: the same
    monkeypatch.setattr(terms, "_analyzed", real)
    monkeypatch.setenv("BIDVET_CACHE_DIR", str(tmp_path / "fresh"))
    engine._LOADED.clear()
    Screener(fictional)
    fresh = _saved_table(fictional)
    assert fresh.codes.tolist() == later.codes.tolist() and fresh.symbols == later.symbols


def test_the_table_is_read_without_forking(
    no_tables: None, fictional: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workspace's server builds caches in its threads: forking one while rigour's tagger
    may be in use hung a worker (the browser test's assessment, one run in two). The table's
    words (the 51,000 common English words among them) are read in this process."""
    import multiprocessing

    def no_fork(*args: object, **kwargs: object) -> None:
        raise AssertionError("the term table forked a worker")

    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    Screener(fictional)
    assert _saved_table(fictional).get("borealis") == frozenset()
