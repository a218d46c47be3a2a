"""The index is built in numpy: its feature codes and postings are those of the plain definitions
(:func:`hash_code`, :func:`deletion_codes`, :func:`trigram_codes`) name by name."""

from __future__ import annotations

import random

import numpy as np

from bidvet.screening.index import (
    DELETION_MIN,
    NameIndex,
    _deletions_many,
    _listed_words,
    _plain_words,
    codes_many,
    core_code,
    deletion_codes,
    hash_code,
    hashed_features,
    trigram_codes,
)

# fictional names; some repeat a word, some are empty or outside ASCII
CORES = [
    "borealis scanning",
    "tarnis tarnis holdings",
    "",
    "tarnsi",
    "quillon border systems",
    "ab",
    "société générale",
    "kalinor ve",
    "x",
]
FOLDED = [
    "borealis scanning co ltd",
    "tarnis tarnis holdings",
    "limited",
    "tarnsi gmbh",
    "quillon border systems",
    "ab",
    "société générale sa",
    "kalinor ve oy",
    "x y",
]


def test_numpy_codes_are_the_zlib_codes() -> None:
    rng = random.Random(5)
    texts = [
        "".join(rng.choice("abcdefghij 0123456789") for _ in range(rng.choice((0, 1, 5, 40, 700))))
        for _ in range(60)
    ] + ["é", "naïve", "北京"]
    assert codes_many(texts, "c:").tolist() == [hash_code("c:" + t) for t in texts]
    words = [w for t in texts for w in t.split()] + ["a" * 600, "tarnis"]
    codes, ptr = _deletions_many(words)
    for i, word in enumerate(words):
        assert codes[ptr[i] : ptr[i + 1]].tolist() == list(deletion_codes(word)), word


def _reference(cores: list[str], folded: list[str]) -> dict[int, list[int]]:
    """Feature code → the rows having it, from the plain definitions, one name at a time."""
    out: dict[int, set[int]] = {}
    for row, (core, text) in enumerate(zip(cores, folded, strict=True)):
        for code in {*trigram_codes(core), *hashed_features(core, text)}:
            out.setdefault(code, set()).add(row)
    return {code: sorted(rows) for code, rows in out.items()}


def _postings(index: NameIndex) -> dict[int, list[int]]:
    return {
        int(code): index.indices[index.indptr[i] : index.indptr[i + 1]].tolist()
        for i, code in enumerate(index.codes)
    }


def test_build_has_the_features_of_each_name() -> None:
    # the first names are ASCII (the fast path), then all of them (the path for other scripts)
    for n in (6, len(CORES)):
        index = NameIndex.build(CORES[:n], FOLDED[:n])
        assert _postings(index) == _reference(CORES[:n], FOLDED[:n])
        assert index.codes.tolist() == sorted(index.codes.tolist())
        for row, core in enumerate(CORES[:n]):
            assert row in index.exact_candidates(core)
        assert sorted(index.exact_codes.tolist()) == sorted(core_code(c) for c in CORES[:n])
        # a name's norm is the IDF weight of its features
        ref = _reference(CORES[:n], FOLDED[:n])
        idf = {c: np.log((n + 1.0) / (len(rows) + 1.0)) + 1.0 for c, rows in ref.items()}
        for row in range(n):
            want = sum(w for c, w in idf.items() if row in ref[c])
            assert abs(float(index.name_norm[row]) - want) < 1e-9


def test_long_words_share_a_deletion_neighbour_in_the_index() -> None:
    index = NameIndex.build(["tarnis", "tarnsi"])
    assert len("tarnis") >= DELETION_MIN
    shared = {code for code, rows in _postings(index).items() if rows == [0, 1]}
    # both have the deletion neighbour "tarns" (and trigrams such as " ta")
    assert set(deletion_codes("tarnis")) & set(deletion_codes("tarnsi")) <= shared
    assert set(deletion_codes("tarnis")) & shared


def test_empty_index() -> None:
    index = NameIndex.build([])
    assert index.size == 0 and len(index.codes) == 0
    got = index.candidates("tarnis", limit=3, budget=100, min_features=1)
    assert got.rows.tolist() == []


def test_words_found_in_numpy_are_the_words_split_in_python() -> None:
    texts = ["borealis scanning co ltd", "", "x y", "tarnis", "", "a1 b2 c3", "quillon"]
    plain, listed = _plain_words(texts), _listed_words(texts)
    assert plain is not None and listed is not None
    (pbuf, pstart, plen, pcount), (lbuf, lstart, llen, lcount) = plain, listed
    assert pcount.tolist() == lcount.tolist() == [len(t.split()) for t in texts]
    words = [bytes(pbuf[s : s + n]).decode() for s, n in zip(pstart, plen, strict=True)]
    assert words == [bytes(lbuf[s : s + n]).decode() for s, n in zip(lstart, llen, strict=True)]
    assert words == [w for t in texts for w in t.split()]
    empty = _plain_words([""])
    assert _plain_words([]) is not None and empty is not None and empty[3].tolist() == [0]


def test_words_not_as_fold_makes_them_are_split_in_python() -> None:
    # two spaces, a space at an end, a tab, a capital, a hyphen: not the numpy path's words
    for odd in ("a  b", " a", "a ", "a\tb", "Ab", "a-b"):
        assert _plain_words(["tarnis", odd]) is None
        listed = _listed_words(["tarnis", odd])
        assert listed is not None and listed[3].tolist() == [1, len(odd.split())]
    assert _listed_words(["société"]) is None  # not ASCII: hashed one by one
