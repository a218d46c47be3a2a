from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from bidvet.screening.index import NameIndex, deletion_codes, trigram_codes, word_code

CORES = [
    "borealis scanning",
    "tarn holdings",
    "tarnis",
    "quillon border systems",
    "northern aurora detection technology",
]


def _cand(index: NameIndex, core: str) -> list[int]:
    return [int(r) for r in index.candidates(core, limit=3, budget=1000, min_features=3).rows]


def test_typo_and_word_order_find_the_name() -> None:
    index = NameIndex.build(CORES)
    assert _cand(index, "borealis scannign")[0] == 0
    assert _cand(index, "border systems quillon")[0] == 3
    assert _cand(index, "zzzz") == []


def test_features_of_a_name() -> None:
    index = NameIndex.build(["ab"])
    expected = sorted([*trigram_codes("ab"), word_code("ab")])
    assert index.codes.tolist() == expected
    assert index.postings.indices.tolist() == [0, 0, 0]
    assert index.word_idf("ab") < index.word_idf("never-seen")


def test_deletion_neighbours_catch_a_typo() -> None:
    assert set(deletion_codes("tarnis")) & set(deletion_codes("tarnsi"))  # adjacent swap
    assert set(deletion_codes("tarnis")) & set(deletion_codes("tarmis"))  # substitution
    assert word_code("tarnis") not in set(deletion_codes("tarnis"))  # separate namespaces


def test_budget_reads_rarest_features_first() -> None:
    cores = [f"common name {i}" for i in range(200)] + ["common name rarity"]
    index = NameIndex.build(cores)
    # a tiny budget still reaches the one name with the rare word
    got = index.candidates("common name rarity", limit=1, budget=5, min_features=1)
    assert got.rows.tolist() == [200]


def test_batch_equals_single_and_save_load_round_trips(tmp_path: Path) -> None:
    index = NameIndex.build(CORES)
    queries = ["tarn holding", "quillon", "aurora detection"]
    assert index.postings is not None  # the matrix made: the batch takes the product path
    many = index.candidates_many(queries, limit=3, budget=1000, min_features=3)
    for q, c in zip(queries, many, strict=True):
        single = index.candidates(q, limit=3, budget=1000, min_features=3)
        assert c.rows.tolist() == single.rows.tolist()
        assert np.allclose(c.scores, single.scores)
    path = tmp_path / "index.npz"
    index.save(path)
    loaded = NameIndex.load(path)
    assert loaded.codes.tolist() == index.codes.tolist()
    for q in queries:
        assert _cand(loaded, q) == _cand(index, q)


def test_ties_at_the_cut_keep_the_lowest_rows_on_both_paths() -> None:
    # eight names tied for the query, three kept: the lowest rows, whether the candidates come
    # from one query's postings or from the batch product (whose rows arrive in another order)
    cores = ["zebra lantern works"] * 4 + ["quillon"] + ["zebra lantern works"] * 4
    index = NameIndex.build(cores)
    query = ["zebra lantern works"]
    small = index.candidates_many(query, limit=3, budget=1000, min_features=3)
    single = index.candidates(query[0], limit=3, budget=1000, min_features=3)
    assert index.postings is not None
    product = index.candidates_many(query, limit=3, budget=1000, min_features=3)
    assert single.rows.tolist() == [0, 1, 2]
    assert small[0].rows.tolist() == product[0].rows.tolist() == [0, 1, 2]


def test_a_name_sharing_a_rare_word_is_always_a_candidate() -> None:
    # eight names share the query's long word (and so most of its trigrams), one the short
    # rare "cdm": ranked by the share of the query they hold, the eight fill the five places
    # (the way "CDM Inzhiniring" met only the lists' other "... Inzhiniring" names); the rare
    # word keeps "cdm plant" in too, on both paths
    rng = random.Random(1)
    syllables = ["ka", "lo", "mi", "ru", "te", "zo", "ve", "na", "pi", "so"]
    filler = [
        " ".join("".join(rng.choice(syllables) for _ in range(3)) for _ in range(2))
        for _ in range(300)
    ]
    cores = [f"vel{i:02d} zentavorixalumbrane" for i in range(8)] + ["cdm plant", *filler]
    index = NameIndex.build(cores)
    query = "cdm zentavorixalumbrane"
    limit = 5
    # the ranked cut alone, with no rare rows kept after it
    no_rare = np.empty(0, np.int64)
    assert 8 not in index._top(*_shared(index, query), limit=limit, rare=no_rare).rows.tolist()
    single = index.candidates(query, limit=limit, budget=1000, min_features=3)
    assert single.rows.tolist()[-1] == 8 and len(single.rows) == limit + 1
    assert index.rare_word_rows(query, limit).tolist() == [8]
    assert single.rare.tolist() == [8]  # marked, so the matcher scores it whatever its rank
    assert index.postings is not None
    product = index.candidates_many([query], limit=limit, budget=1000, min_features=3)
    assert product[0].rows.tolist() == single.rows.tolist()
    assert product[0].rare.tolist() == [8]
    # a word more names share than the limit is not rare
    assert index.rare_word_rows("zentavorixalumbrane", limit).tolist() == []


def _shared(index: NameIndex, query: str) -> tuple[np.ndarray, np.ndarray, float, float]:
    feats = index.features(query)
    chosen, _, _ = index._select(feats, 1000, 3)
    rows = np.concatenate([index.indices[index.indptr[f] : index.indptr[f + 1]] for f in chosen])
    weights = np.repeat(index.idf[chosen], index.indptr[chosen + 1] - index.indptr[chosen])
    uniq, inverse = np.unique(rows, return_inverse=True)
    shared = np.bincount(inverse, weights=weights).astype(np.float64)
    return (
        uniq.astype(np.int64),
        shared,
        float(index.idf[chosen].sum()),
        float(index.idf[feats].sum()),
    )
