"""Property-based fuzzing of every importer through ``load_file`` (issue 12): valid small files
mutated (truncation, byte flips, invalid UTF-8, nesting, huge fields, duplicate records, bad
dates, extreme numbers) either load with every spoiled date in the quality log, or fail with a
one-line InputError naming the file and leave the store's digest unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from bidvet.sources.loader import load_file, parse_file
from bidvet.store.db import Store
from tests.fuzz.mutations import Mutated, mutations
from tests.fuzz.properties import check_load
from tests.fuzz.seeds import Seed, clear, seeds

SEEDS = seeds()
#: targets whose importers are outside this package's fuzz fixes, with the failure found
KNOWN_FAILURES: dict[str, str] = {}


def _store(folder: Path) -> Store:
    """A SQLite store holding one list already, so that a change to it would show."""
    store = Store(f"sqlite:///{folder / 'store.db'}")
    load_file(store, Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "sdn_v2.xml")
    return store


def run_target(seed: Seed, folder: Path, max_examples: int | None = None) -> tuple[int, list[str]]:
    """Run the property over ``seed`` (the loaded hypothesis profile, or ``max_examples``
    cases); the number of cases tried and the failures."""
    store = _store(folder)
    failures: list[str] = []
    tried = [0]
    case = folder / "case"

    @given(mutations(seed.text))
    def prop(mutated: Mutated) -> None:
        label, body = mutated
        clear(case)
        tried[0] += 1
        if not body:
            return
        problem = check_load(store, seed, label, body, case)
        if problem is not None:
            failures.append(problem)

    if max_examples is not None:
        prop = settings(max_examples=max_examples)(prop)
    try:
        prop()
    finally:
        store.dispose()
    return tried[0], failures


def test_seeds_are_valid(tmp_path: Path) -> None:
    """Every unmutated seed parses with records: the property is tested from a valid start."""
    for name, seed in SEEDS.items():
        _importer, batch = parse_file(seed.write(tmp_path / name, seed.text), seed.format)
        assert batch.imported > 0, (name, batch.quality.issues)


@pytest.mark.parametrize("target", sorted(SEEDS))
def test_importer_never_tracebacks_or_changes_the_store_on_failure(target: str) -> None:
    if target in KNOWN_FAILURES:
        pytest.skip(KNOWN_FAILURES[target])
    with tempfile.TemporaryDirectory() as tmp:
        _tried, failures = run_target(SEEDS[target], Path(tmp))
    assert failures == [], "\n".join(sorted(set(failures))[:20])
