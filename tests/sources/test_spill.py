"""The spill's compact index: keys found by hash and confirmed on disk, values in first-put
order, each as last put."""

from __future__ import annotations

import datetime as dt

import pytest

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
