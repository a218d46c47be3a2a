from __future__ import annotations

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
