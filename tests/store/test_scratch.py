"""The loaders' scratch indexes on disk answer as their in-memory forms do."""

from __future__ import annotations

import os

from bidvet.store.scratch import KeyIndex, SeenKeys


def test_seen_keys_past_the_memory_limit_answer_as_a_set() -> None:
    seen, plain = SeenKeys(memory_limit=8), set()
    keys = [f"k{i % 37}".encode() for i in range(200)]
    for key in keys:
        assert seen.add(key) == (key not in plain)
        plain.add(key)
    assert seen._memory is None  # moved to disk
    assert len(seen) == len(plain) == 37
    assert b"k36" in seen and b"k37" not in seen
    seen.close()


def test_key_index_keeps_places_and_removes_its_file() -> None:
    index = KeyIndex()
    index.load([("a", 0), ("c", 1)])
    assert index.add("b", 2) and not index.add("a", 3)
    assert [index.find(k) for k in ("a", "b", "c", "zz")] == [0, 2, 1, None]
    path = index._path
    assert os.path.exists(path)
    index.close()
    assert not os.path.exists(path)
