"""The spill's compact index: keys found by hash and confirmed on disk, values in first-put
order, each as last put."""

from __future__ import annotations

import datetime as dt

import pytest

from bidvet.sources import spill as spill_module
from bidvet.sources.spill import Spill


class _SameHash(str):
    """A key whose hash is the same as every other's: each lookup meets every other key."""

    def __hash__(self) -> int:
        return 7


@pytest.mark.parametrize("plain", [False, True])
def test_keys_with_one_hash_are_kept_apart(plain: bool) -> None:
    spill = Spill(plain=plain)
    keys = [_SameHash(f"id-{i}") for i in range(40)]
    for i, key in enumerate(keys):
        assert spill.add(key, (i, "first"))
    assert not spill.add(keys[3], (3, "ignored"))
    spill.put(keys[5], (5, "last"))
    assert [spill.position(k) for k in keys] == list(range(40))
    assert _SameHash("id-40") not in spill and spill.position(_SameHash("id-4")) == 4
    assert spill.get(keys[3]) == (3, "first") and spill.get(keys[5]) == (5, "last")
    with pytest.raises(KeyError):
        spill.get(_SameHash("absent"))
    assert [v[1] for v in spill].count("last") == 1 and len(list(spill)) == 40
    spill.close()


def test_many_keys_grow_the_index_and_keep_their_places() -> None:
    spill = Spill(plain=True)
    for i in range(5000):
        spill.put(f"c{i}", [i])
        if i % 7 == 0:
            spill.append(["no key", i])
    for i in range(0, 5000, 3):  # replaced in place
        spill.put(f"c{i}", [i, "again"])
    values = list(spill)
    assert len(values) == len(spill) == 5000 + 715
    keyed = [v for v in values if v[0] != "no key"]
    assert [v[0] for v in keyed] == list(range(5000))
    assert all((len(v) == 2) == (v[0] % 3 == 0) for v in keyed)
    assert spill.position("c4999") is not None and "c5000" not in spill
    spill.close()


def test_pickled_values_keep_dates_and_unicode_keys() -> None:
    spill = Spill()
    spill.put("Ääkkönen Oy", {"d": dt.date(2024, 2, 29)})
    spill.put("北京", ("x",))
    assert spill.get("Ääkkönen Oy") == {"d": dt.date(2024, 2, 29)}
    assert "北京" in spill and "北" not in spill
    spill.close()


@pytest.mark.parametrize("plain", [False, True])
def test_past_the_memory_limit_the_index_moves_to_disk_and_answers_the_same(plain: bool) -> None:
    small, big = Spill(plain=plain, memory_limit=50), Spill(plain=plain)
    for spill in (small, big):
        for i in range(300):
            assert spill.add(f"k{i}", (i, "first"))
            if i % 11 == 0:
                spill.append(("no key", i))
        assert not spill.add("k3", (3, "ignored")) and not spill.add("k299", (299, "ignored"))
        for i in range(0, 300, 4):
            spill.put(f"k{i}", (i, "again"))
        spill.put("late", ("late", "first"))
    assert small.on_disk and not big.on_disk
    assert len(small) == len(big) == 300 + 28 + 1
    assert list(small) == list(big)
    for key in ("k0", "k3", "k298", "late", "absent", "k"):
        assert small.position(key) == big.position(key)
        assert (key in small) == (key in big)
    assert small.get("k4") == (4, "again") and small.get("k299") == (299, "first")
    with pytest.raises(KeyError):
        small.get("absent")
    small.close()
    big.close()


def test_a_repeat_refused_on_disk_leaves_no_bytes_behind() -> None:
    spill = Spill(plain=True, memory_limit=2)
    for i in range(5):
        spill.put(f"k{i}", [i])
    size = spill._end
    assert not spill.add("k1", ["x" * 1000])
    assert spill._end == size and list(spill) == [[i] for i in range(5)]
    spill.append(["tail"])
    assert list(spill)[-1] == ["tail"]
    spill.close()


def test_spans_on_disk_cross_the_block_they_are_written_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spill_module, "_SPAN_BLOCK", 4)
    spill = Spill(plain=True, memory_limit=3)
    for i in range(23):
        spill.put(f"k{i}", [i])
        spill.append(["free", i])
    for i in (0, 5, 22):  # written to the spans file, and still in memory
        spill.put(f"k{i}", [i, "again"])
    values = list(spill)
    assert len(values) == len(spill) == 46
    assert values[0] == [0, "again"] and values[10] == [5, "again"] and values[-2] == [22, "again"]
    assert [spill.get(f"k{i}") for i in (1, 5, 21)] == [[1], [5, "again"], [21]]
    assert spill.position("k5") == 10
    spill.close()
