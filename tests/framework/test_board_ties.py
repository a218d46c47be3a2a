"""People's ties: curated ``ties:``, the store keeping them out of ownership, and ``board_ties``.

The data is ``tests/fixtures/ties/board-ties.yaml`` (fictional people and companies).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from bidvet.errors import InputError
from bidvet.framework.findings import Hit
from bidvet.model.facts import TIE_KINDS
from bidvet.ownership.report import inherited_listings, owners
from bidvet.ownership.rules import load_rules
from bidvet.sources.curated import Tie
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.cli_helpers import run_cli
from tests.conftest import FIXTURES
from tests.framework.test_evaluators_direct import _v2, run, v2_params

TIES = FIXTURES / "ties" / "board-ties.yaml"
BIDDER = "bt-quillmere"
NAME = "Quillmere Optics Ltd"


@pytest.fixture
def tied(sqlite_store: Store) -> Store:
    load_file(sqlite_store, TIES)
    return sqlite_store


def _hits(store: Store, as_of: str, entity: str = BIDDER) -> list[Hit]:
    return run(
        store,
        "board_ties",
        v2_params("board-ties"),
        entity,
        NAME,
        as_of=dt.date.fromisoformat(as_of),
    )


def _paths(hits: list[Hit]) -> list[str]:
    return sorted(h.summary.split(":", 1)[0] for h in hits)


def _without_ties(tmp_path: Path) -> Path:
    doc = yaml.safe_load(TIES.read_text(encoding="utf-8"))
    doc.pop("ties")
    out = tmp_path / "no-ties.yaml"
    out.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return out


# -- store and rules ---------------------------------------------------------------------------


def test_tie_kinds_are_declared_non_structural_and_match_the_curated_vocabulary() -> None:
    rules = load_rules()
    for kind in TIE_KINDS:
        assert kind in rules.kinds, kind
        meaning = rules.kind(kind)
        assert not meaning.structural and not meaning.control and meaning.measure is None
    assert set(Tie.model_fields["kind"].annotation.__args__) == set(TIE_KINDS)  # type: ignore[union-attr]


def test_curated_ties_are_stored_with_role_dates_and_source(tied: Store) -> None:
    with tied.view() as view:
        ties = view.ties([BIDDER], None)
        as_owners = view.owners([BIDDER], None)
    chair = next(t for t in ties if t.owner_id == "bt-odran")
    assert (chair.kind, chair.role, chair.start_date) == (
        "directorship",
        "Chair of the board",
        dt.date(2018, 1, 1),
    )
    assert chair.citation.title == "Fictional register of Quillmere"
    assert chair.citation.published == dt.date(2018, 1, 5)
    assert {t.owner_id for t in ties} == {
        "bt-odran",
        "bt-ilse",
        "bt-tobin",
        "bt-petra",
        "bt-kasimir",
    }
    # ownership questions never see a tie
    assert {e.kind for e in as_owners} == {"shares"}
    assert [e.owner_id for e in as_owners] == ["bt-holdco"]


def test_ties_count_only_in_force_and_public(tied: Store) -> None:
    with tied.view() as view:
        early = {t.key for t in view.ties(["bt-kasimir"], dt.date(2023, 1, 1))}
        late = {t.key for t in view.ties(["bt-kasimir"], dt.date(2024, 6, 1))}
        tobin = view.ties(["bt-tobin"], dt.date(2021, 6, 1))
    assert not any("bt-arsenal" in k for k in early)  # its source was published 2024-03-01
    assert any("bt-arsenal" in k for k in late)
    # Tobin's directorship ended on 2020-12-31; the associate tie has no dates
    assert [t.kind for t in tobin] == ["associate"]


def test_loading_ties_changes_no_owner_share_listing_or_controller(
    tied: Store, tmp_path: Path
) -> None:
    plain = Store(f"sqlite:///{tmp_path / 'plain.db'}")
    try:
        load_file(plain, _without_ties(tmp_path))
        for day in (dt.date(2019, 12, 1), dt.date(2021, 6, 1), dt.date(2024, 6, 1)):
            for eid in (BIDDER, "bt-holdco", "bt-ministry", "bt-odran"):
                with_ties = owners(tied, eid, day).to_json()
                without = owners(plain, eid, day).to_json()
                for key in ("owners", "status", "state_linked", "ultimate_controllers", "cycles"):
                    assert with_ties[key] == without[key], (eid, day, key)
                assert inherited_listings(tied, eid, day) == inherited_listings(plain, eid, day)
            with tied.view() as a, plain.view() as b:
                assert a.all_edges(day) == b.all_edges(day)
                assert a.with_owners([BIDDER, "bt-odran"], day) == b.with_owners(
                    [BIDDER, "bt-odran"], day
                )
                assert a.edges_known_later([BIDDER, "bt-arsenal"], day) == []
        # the bidder's 60 % owner is still its owner, the people are not
        report = owners(tied, BIDDER, dt.date(2021, 6, 1)).to_json()
        assert [(o["id"], o["effective_share"]) for o in report["owners"]] == [
            ("bt-holdco", 0.6),
            ("bt-odran", 0.6),
        ]
    finally:
        plain.dispose()


@pytest.mark.parametrize(
    ("tie", "message"),
    [
        ({"person": "bt-a", "to": "bt-a"}, "tied to itself"),
        ({"start_date": "2020-01-02", "end_date": "2020-01-01"}, "before start_date"),
        ({"to": "bt-nobody"}, "refers to entity 'bt-nobody'"),
        ({"kind": "friendship"}, "kind"),
    ],
)
def test_bad_curated_ties_are_refused_with_the_record(
    tmp_path: Path, sqlite_store: Store, tie: dict[str, Any], message: str
) -> None:
    doc: dict[str, Any] = {
        "bidvet": "curated/1",
        "dataset": "test-bad-tie",
        "title": "Fictional bad tie",
        "fictional": True,
        "entities": [
            {"id": eid, "schema": "Person", "names": [eid], "source": {"title": "Fictional"}}
            for eid in ("bt-a", "bt-b")
        ],
        "ties": [
            {
                "person": "bt-a",
                "to": "bt-b",
                "kind": "family",
                "source": {"title": "Fictional"},
                **tie,
            }
        ],
    }
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        load_file(sqlite_store, path)
    assert "ties[0]" in str(err.value)
    with sqlite_store.view() as view:
        assert view.snapshots() == []  # the failed import wrote nothing


# -- the board_ties evaluator ------------------------------------------------------------------


def test_relative_in_state_office_is_found_with_path_dates_and_sources(tied: Store) -> None:
    hits = _hits(tied, "2019-12-01")
    assert _paths(hits) == [
        "Quillmere Optics Ltd ← Odran Vessly (directorship"
    ]  # Ilse starts in 2020, Tobin is listed only in 2021, Kasimir's arsenal post is public in 2024
    hit = hits[0]
    assert "← Maren Vessly (family: daughter, dates not published)" in hit.summary
    assert (
        "Maren Vessly holds office at Ministry of Frontier Works of Ostravel, a state body "
        "(PublicBody) (employment: Deputy Minister, 2019-06-01 to 2023-05-31)" in hit.summary
    )
    titles = {e.source.title for e in hit.evidence}
    assert titles == {
        "Fictional register of Quillmere",  # Odran's directorship
        "Fictional society column",  # the family tie
        "Fictional gazette of Ostravel",  # Maren's office, and the ministry being a public body
    }
    office = next(e for e in hit.evidence if "holds office" in e.text)
    assert office.path == (BIDDER, "bt-odran", "bt-maren", "bt-ministry")
    assert office.source.url == "https://example.invalid/ostravel-gazette-2019"
    assert office.date == dt.date(2019, 6, 1)


def test_pep_executive_counts_from_the_day_the_tie_is_public(tied: Store) -> None:
    # in force from 2020-01-01 but published in the annual report of 2020-02-15
    assert not any("Ilse" in h.summary for h in _hits(tied, "2020-02-01"))
    hit = next(h for h in _hits(tied, "2020-06-01") if "Ilse" in h.summary)
    assert hit.summary.startswith(
        "Quillmere Optics Ltd ← Ilse Carrow (employment: Chief Executive Officer, since "
        "2020-01-01): Ilse Carrow is recorded as a politically exposed person (topic role.pep)"
    )
    assert {e.kind for e in hit.evidence} == {"ownership", "listing"}


def test_listed_associate_of_a_director_counts_but_a_former_director_does_not(
    tied: Store,
) -> None:
    hits = _hits(tied, "2021-06-01")
    listed = [h for h in hits if "Tobin Harl is on the" in h.summary]
    # Tobin left the board on 2020-12-31 and was listed on 2021-03-01: only the path through
    # his business partner Petra, a director, reaches the bidder
    assert [h.summary.split(":", 1)[0] for h in listed] == [
        "Quillmere Optics Ltd ← Petra Sundell (directorship"
    ]
    listing = next(e for e in listed[0].evidence if e.kind == "listing")
    assert listing.path == (BIDDER, "bt-petra", "bt-tobin")
    assert listing.source.title == "Fictional SDN notice on Tobin Harl"
    assert not any("Tobin" in h.summary for h in _hits(tied, "2021-02-01"))


def test_office_ended_or_published_late_follows_the_as_of_date(tied: Store) -> None:
    later = _hits(tied, "2024-06-01")
    # Maren's office ended on 2023-05-31; Kasimir's arsenal post is public from 2024-03-01
    assert not any("Maren" in h.summary for h in later)
    kasimir = next(h for h in later if h.summary.startswith(f"{NAME} ← Kasimir Loft"))
    assert "Ostravel State Arsenal, a government, state-owned or military body (topic mil)" in (
        kasimir.summary
    )
    assert "Corner Bakery" not in kasimir.summary  # not a state or military body
    assert not any("Kasimir" in h.summary for h in _hits(tied, "2024-02-01"))


def test_bidder_whose_people_hold_no_office_is_silent(tied: Store) -> None:
    assert _hits(tied, "2024-06-01", entity="bt-clean") == []


def test_unresolved_bidder_is_silent(tied: Store) -> None:
    assert run(tied, "board_ties", v2_params("board-ties"), None, "Nobody Ltd") == []


def test_criterion_is_high_and_restricts_at_high_tiers() -> None:
    lf = _v2()
    crit = next(c for c in lf.framework.criteria if c.id == "board-ties")
    assert (crit.evaluator, crit.severity) == ("board_ties", "high")
    rule = next(r for r in lf.framework.outcome.rules if r.id == "board-ties-sensitive")
    assert rule.outcome == "restrict"


# -- owners ------------------------------------------------------------------------------------


def test_owners_shows_people_in_json_and_text(tied: Store) -> None:
    args = ("owners", BIDDER, "--as-of", "2021-06-01")
    data = json.loads(run_cli(*args, "--json", db=tied.url).stdout)
    people = {
        (p["id"], p["kind"], p["role"], p["start_date"], p["end_date"]) for p in data["people"]
    }
    assert people == {
        ("bt-odran", "directorship", "Chair of the board", "2018-01-01", None),
        ("bt-petra", "directorship", "Director", "2018-01-01", None),
        ("bt-kasimir", "directorship", "Director", "2018-01-01", None),
        ("bt-ilse", "employment", "Chief Executive Officer", "2020-01-01", None),
    }
    assert all(p["fictional"] and p["direction"] == "at-entity" for p in data["people"])
    assert data["people"][0]["source"]["title"]
    text = run_cli(*args, db=tied.url).stdout
    assert "People tied to it (not owners):" in text
    assert (
        "Ilse Carrow (bt-ilse) [fictional]: employment: Chief Executive Officer, since 2020-01-01"
        in text
    )
