"""``bidvet xref``: identifier links recorded, name candidates with evidence, judged pairs
skipped."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bidvet.cli.app import cli
from bidvet.resolution.config import load_resolution_config
from bidvet.resolution.xref import Record, propose, xref
from bidvet.store.db import Store
from tests.resolution.helpers import load_cases


def test_xref_links_on_lei_and_proposes_names_with_evidence(sqlite_store: Store) -> None:
    load_cases(sqlite_store)
    result = xref(sqlite_store)
    assert [p.pair for p in result.links] == [("rl-tamsin", "rx-lei-a")]
    assert result.links[0].identifiers_agree == ["lei 5493001KJTIIGC8Y1R12"]
    with sqlite_store.view() as view:
        (link,) = view.judgements(["rx-lei-a"])
    assert (link.judgement, link.source, link.by) == ("positive", "identifier", "bidvet xref")
    pairs = {p.pair: p for p in result.proposals}
    pellucid = pairs[("rl-pellucid", "rx-parent")]
    assert pellucid.name_score > 0.9 and pellucid.countries_agree == ["gb"]
    assert pellucid.identifiers_agree == [] and not pellucid.linked
    # linked pairs are not proposed again, and neither are judged ones
    again = xref(sqlite_store)
    assert again.links == [] and ("rl-tamsin", "rx-lei-a") not in {p.pair for p in again.proposals}


def test_disagreeing_strong_identifier_lowers_the_score() -> None:
    cfg = load_resolution_config().xref
    left = [Record("a-1", "a", (("Quillfeather Optics AB", "primary"),), ("se",), (("lei", "X1"),))]
    same = Record("b-1", "b", (("Quillfeather Optics AB", "primary"),), ("se",), (("lei", "X2"),))
    plain = Record("b-2", "b", (("Quillfeather Optics AB", "primary"),), ("se",))
    result = propose(left, [same, plain], config=cfg)
    scores = {p.right.entity_id: p for p in result.proposals}
    assert scores["b-1"].identifiers_disagree == ["lei X1 ≠ X2"]
    expected = scores["b-2"].score - cfg.identifier_disagreement_penalty
    assert abs(scores["b-1"].score - expected) < 1e-9


def test_cli_xref_json(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    load_cases(Store(db))
    out = CliRunner().invoke(
        cli,
        [
            "--db",
            db,
            "xref",
            "--dataset",
            "test-resolution-registry",
            "--dataset",
            "test-resolution-lists",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert [x["left"]["entity_id"] for x in data["linked"]] == ["rx-lei-a"]
    first = data["proposals"][0]
    assert (first["left"]["entity_id"], first["right"]["entity_id"]) == ("rx-parent", "rl-pellucid")
    assert set(first) >= {"score", "name_score", "identifiers", "countries", "explanation"}
