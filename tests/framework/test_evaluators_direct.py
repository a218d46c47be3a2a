"""Every registered evaluator called directly, through the registry, on fictional bidders.

The store holds ``tests/fixtures/framework/evaluators/fictional-bidders.yaml``; parameters come
from the bundled framework where it names the evaluator, with variants where a case needs one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import pytest
from pydantic import BaseModel

from bidvet.framework.buyers import BuyerProfile, default_buyer_profiles
from bidvet.framework.context import EvalContext, Question, upstream
from bidvet.framework.evaluators.registry import evaluators
from bidvet.framework.findings import Evidence, Hit
from bidvet.framework.jurisdictions import default_jurisdictions
from bidvet.framework.loader import LoadedFramework, framework_path, load_framework
from bidvet.model.facts import SourceRef
from bidvet.model.tiers import Tier
from bidvet.ownership.rules import load_rules
from bidvet.resolution import Candidate, Resolution
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.conftest import FIXTURES

CASES = FIXTURES / "framework" / "evaluators" / "fictional-bidders.yaml"
AS_OF = dt.date(2024, 6, 1)
TENDER = SourceRef("tender")
STORE = SourceRef("store")

#: every evaluator this file tests; compared with the registry below
TESTED: frozenset[str] = frozenset(
    {
        "abnormally_low_price",
        "board_ties",
        "control_chain",
        "data_risk_tier",
        "direct_listing",
        "identity_unresolved",
        "inherited_listing",
        "listed_owner",
        "integrity_events",
        "legal_regime",
        "military_links",
        "missing_information",
        "owner_name_match",
        "procurement_ban",
        "state_control",
        "stated_controls",
        "unanswered_questions",
    }
)


def _src(title: str, slug: str, published: dt.date) -> SourceRef:
    return SourceRef(title, f"https://example.invalid/{slug}", published)


SDN_NOTICE = _src("Fictional SDN notice", "sdn-notice", dt.date(2022, 4, 1))
BIS_RULE = _src("Fictional Entity List rule", "bis-rule", dt.date(2020, 5, 1))
OFSI_NOTICE = _src("Fictional OFSI notice", "ofsi", dt.date(2019, 1, 1))
NOTICE_1260H = _src("Fictional 1260H notice", "1260h", dt.date(2021, 6, 3))
MEU_RULE = _src("Fictional MEU rule", "meu", dt.date(2025, 2, 1))
SOE_REGISTER = _src("Fictional SOE register", "soe-register", dt.date(2018, 3, 15))
GAZETTE = _src("Fictional gazette of Veltravia", "veltravia-gazette", dt.date(2018, 1, 10))
RIDGE_AR = _src("Fictional Ridgecrest annual report", "ridgecrest-ar", dt.date(2019, 5, 6))
SENTINEL_FILING = _src("Fictional Sentinel filing", "sentinel-filing", dt.date(2019, 5, 7))
MINOR_FILING = _src("Fictional Minority Sensors filing", "minority-filing", dt.date(2019, 5, 8))
LATER_FILING = _src("Fictional Latecomer filing", "latecomer-filing", dt.date(2025, 1, 2))
YEARBOOK = _src("Fictional defence industry yearbook", "corvane", dt.date(2020, 7, 1))
NINE = "Fictional Nine Vendors Procurement Act"

SENTINEL_PATH = (
    "Sentinel Portal Scanning Oy ← Ridgecrest Holdings Ltd (shares, 70 %) ← Veltravian Heavy "
    "Industries Group (controlling-shareholder, share not published) ← Veltravian Ministry of "
    "Industry (shares, 100 %)"
)
PRC_LAW = SourceRef(
    "National Intelligence Law of the People's Republic of China (adopted 2017-06-27, amended "
    "2018-04-27), Articles 7 and 14, English translation by China Law Translate",
    "https://www.chinalawtranslate.com/en/national-intelligence-law-of-the-p-r-c-2017/",
    dt.date(2018, 4, 27),
)
PRC_TEXT = (
    "is under People's Republic of China law: National Intelligence Law (2017, as amended "
    '2018-04-27), Articles 7 and 14 — Article 7: "All organizations and citizens shall '
    "support, assist, and cooperate with national intelligence efforts in accordance with "
    'law, and shall protect national intelligence work secrets they are aware of"; Article 14 '
    "lets national intelligence work institutions require relevant organs, organizations and "
    "citizens to provide that support, assistance and cooperation"
)


@cache
def _framework() -> LoadedFramework:
    return load_framework(framework_path("sensitive-procurement-v1"))


def framework_params(criterion: str, name: str, **changes: Any) -> BaseModel:
    """The criterion's params from the bundled framework (which must use ``name``), with
    ``changes`` applied and validated by the evaluator's params model."""
    lf = _framework()
    crit = next(c for c in lf.framework.criteria if c.id == criterion)
    assert crit.evaluator == name
    base = lf.params[criterion]
    if not changes:
        return base
    return evaluators()[name].params(**{**base.model_dump(), **changes})


def params(name: str, **values: Any) -> BaseModel:
    return evaluators()[name].params(**values)


@pytest.fixture
def bidders(sqlite_store: Store) -> Store:
    load_file(sqlite_store, CASES)
    return sqlite_store


@contextmanager
def context(
    store: Store,
    entity_id: str | None,
    bidder_name: str,
    *,
    as_of: dt.date = AS_OF,
    country: str | None = None,
    tier: Tier = Tier.HIGH,
    tender_tier: Tier | None = None,
    items: tuple[dict[str, Any], ...] = (),
    questions: tuple[Question, ...] = (),
    price_flags: tuple[dict[str, Any], ...] = (),
    answer_effects: tuple[dict[str, Any], ...] = (),
    buyer: BuyerProfile | None = None,
    resolution: Resolution | None = None,
) -> Iterator[EvalContext]:
    with store.view() as view:
        if entity_id is None:
            entity = None
            resolution = resolution or Resolution(
                "unresolved", "screening", explanation="no name match above the threshold"
            )
            chain: tuple[Any, ...] = ()
        else:
            entity = view.entity(entity_id)
            assert entity is not None, entity_id
            resolution = Resolution("resolved", "entity_id", (entity_id,))
            chain = tuple(upstream(view, entity_id, as_of))
        yield EvalContext(
            view=view,
            store=store,
            as_of=as_of,
            bidder_name=bidder_name,
            bidder_country=country,
            entity=entity,
            resolution=resolution,
            chain=chain,
            jurisdictions=default_jurisdictions(),
            tier=tier,
            tender_source=TENDER,
            data_source=STORE,
            items=items,
            questions=questions,
            price_flags=price_flags,
            answer_effects=answer_effects,
            tender_tier=tender_tier,
            buyer=buyer,
        )


def run(
    store: Store,
    name: str,
    evaluator_params: BaseModel,
    entity_id: str | None,
    bidder_name: str,
    **options: Any,
) -> list[Hit]:
    spec = evaluators()[name]
    assert isinstance(evaluator_params, spec.params)
    with context(store, entity_id, bidder_name, **options) as ctx:
        return spec.func(ctx, evaluator_params)


def test_every_registered_evaluator_is_tested_here() -> None:
    registered = set(evaluators())
    assert registered - TESTED == set(), "registered evaluators without a direct test"
    assert TESTED - registered == set(), "tested names that are no longer registered"


def test_bundled_framework_uses_only_tested_evaluators() -> None:
    used = {c.evaluator for c in _framework().framework.criteria}
    assert used <= TESTED


# -- direct_listing --------------------------------------------------------------------------


def test_direct_listing_barring_counts_only_sanctions_in_force(bidders: Store) -> None:
    hits = run(
        bidders,
        "direct_listing",
        framework_params("barring-listing", "direct_listing"),
        "dx-grauwolf",
        "Grauwolf Maschinenbau AG",
    )
    text = (
        "Grauwolf Maschinenbau AG is on the OFAC SDN List (us-ofac-sdn, program TEST-SDN) since "
        "2022-04-01: Fictional designation for tests"
    )
    assert hits == [
        Hit(text, (Evidence("listing", text, SDN_NOTICE, dt.date(2022, 4, 1), ("dx-grauwolf",)),))
    ]


def test_direct_listing_restricted_excludes_the_sanctions_lists(bidders: Store) -> None:
    hits = run(
        bidders,
        "direct_listing",
        framework_params("restricted-listing", "direct_listing"),
        "dx-grauwolf",
        "Grauwolf Maschinenbau AG",
    )
    text = "Grauwolf Maschinenbau AG is on the BIS Entity List (us-bis-entity) since 2020-05-01"
    assert hits == [
        Hit(text, (Evidence("listing", text, BIS_RULE, dt.date(2020, 5, 1), ("dx-grauwolf",)),))
    ]


def test_direct_listing_ended_listing_counts_through_its_end_date_only(bidders: Store) -> None:
    barring = framework_params("barring-listing", "direct_listing")
    on_last_day = run(
        bidders,
        "direct_listing",
        barring,
        "dx-grauwolf",
        "Grauwolf Maschinenbau AG",
        as_of=dt.date(2023, 12, 31),
    )
    day_after = run(
        bidders,
        "direct_listing",
        barring,
        "dx-grauwolf",
        "Grauwolf Maschinenbau AG",
        as_of=dt.date(2024, 1, 1),
    )
    uk = (
        "Grauwolf Maschinenbau AG is on the UK Sanctions List (gb-hmt-ofsi, program TEST-UK) "
        "since 2019-01-01"
    )
    assert [h.summary for h in on_last_day] == [
        uk,
        "Grauwolf Maschinenbau AG is on the OFAC SDN List (us-ofac-sdn, program TEST-SDN) "
        "since 2022-04-01: Fictional designation for tests",
    ]
    assert on_last_day[0].evidence == (
        Evidence("listing", uk, OFSI_NOTICE, dt.date(2019, 1, 1), ("dx-grauwolf",)),
    )
    assert [h.summary for h in day_after] == [on_last_day[1].summary]


def test_direct_listing_not_before_the_listings_start(bidders: Store) -> None:
    for criterion in ("barring-listing", "restricted-listing"):
        hits = run(
            bidders,
            "direct_listing",
            framework_params(criterion, "direct_listing"),
            "dx-grauwolf",
            "Grauwolf Maschinenbau AG",
            as_of=dt.date(2018, 12, 31),
        )
        assert hits == [], criterion


def test_direct_listing_unresolved_bidder_has_no_listing(bidders: Store) -> None:
    hits = run(
        bidders,
        "direct_listing",
        framework_params("barring-listing", "direct_listing"),
        None,
        "Grauwolf Maschinenbau AG",
    )
    assert hits == []


# -- inherited_listing -----------------------------------------------------------------------

OFAC_RULE = (
    "US OFAC 50 Percent Rule: OFAC, Revised Guidance on Entities Owned by Persons Whose "
    "Property and Interests in Property Are Blocked (13 August 2014); OFAC FAQs 398-401"
)
BIS_AFFILIATES = (
    "US BIS Affiliates Rule (50 % rule for the Entity List and MEU List): BIS, Expansion of "
    "End-User Controls To Cover Affiliates of Certain Listed Entities, interim final rule, "
    "90 FR 47201, effective 29 September 2025; suspended for one year from 10 November 2025"
)


def _rule_url(regime: str, on: dt.date) -> str | None:
    return load_rules().regime(regime, on).url


def test_inherited_listing_barring_through_a_majority_sdn_owner(bidders: Store) -> None:
    hits = run(
        bidders,
        "inherited_listing",
        framework_params("inherited-barring-listing", "inherited_listing"),
        "dx-lumen",
        "Lumenbrook Optics GmbH",
    )
    text = (
        "Lumenbrook Optics GmbH is treated as listed on the OFAC SDN List under the us_ofac "
        "regime through its owner Grauwolf Maschinenbau AG; listed owners hold 60 % in aggregate"
    )
    assert hits == [
        Hit(
            text,
            (
                Evidence(
                    "listing",
                    "Grauwolf Maschinenbau AG is on the OFAC SDN List since 2022-04-01",
                    SDN_NOTICE,
                    dt.date(2022, 4, 1),
                    ("dx-grauwolf",),
                ),
                Evidence(
                    "ownership",
                    "the us_ofac rule carries the listing down to Lumenbrook Optics GmbH; "
                    "listed owners hold 60 % in aggregate",
                    SourceRef(OFAC_RULE, _rule_url("us_ofac", AS_OF)),
                    None,
                    ("dx-lumen", "dx-grauwolf"),
                ),
            ),
        )
    ]


def test_inherited_listing_not_before_the_owner_edge_is_in_force(bidders: Store) -> None:
    hits = run(
        bidders,
        "inherited_listing",
        framework_params("inherited-barring-listing", "inherited_listing"),
        "dx-lumen",
        "Lumenbrook Optics GmbH",
        as_of=dt.date(2022, 12, 31),
    )
    assert hits == []


def test_inherited_listing_suspended_rule_is_a_flag_and_left_out_when_in_force_only(
    bidders: Store,
) -> None:
    as_of = dt.date(2026, 1, 15)
    flagged = run(
        bidders,
        "inherited_listing",
        framework_params("inherited-restricted-listing", "inherited_listing"),
        "dx-lumen",
        "Lumenbrook Optics GmbH",
        as_of=as_of,
    )
    strict = run(
        bidders,
        "inherited_listing",
        framework_params("inherited-restricted-listing", "inherited_listing", in_force_only=True),
        "dx-lumen",
        "Lumenbrook Optics GmbH",
        as_of=as_of,
    )
    text = (
        "Lumenbrook Optics GmbH is treated as listed on the BIS Entity List under the "
        "us_bis_affiliates regime through its owner Grauwolf Maschinenbau AG; listed owners hold "
        "60 % in aggregate (the rule is suspended or not in effect on the as-of date: a risk "
        "flag, not a legal bar)"
    )
    rule = SourceRef(
        f"{BIS_AFFILIATES} (suspended 2025-11-10 to 2026-11-09: verify whether the suspension "
        "was extended)",
        _rule_url("us_bis_affiliates", as_of),
    )
    assert flagged == [
        Hit(
            text,
            (
                Evidence(
                    "listing",
                    "Grauwolf Maschinenbau AG is on the BIS Entity List since 2020-05-01",
                    BIS_RULE,
                    dt.date(2020, 5, 1),
                    ("dx-grauwolf",),
                ),
                Evidence(
                    "ownership",
                    "the us_bis_affiliates rule carries the listing down to Lumenbrook Optics "
                    "GmbH; listed owners hold 60 % in aggregate",
                    rule,
                    None,
                    ("dx-lumen", "dx-grauwolf"),
                ),
            ),
        )
    ]
    assert strict == []


def test_inherited_listing_regime_filter_and_own_listing(bidders: Store) -> None:
    only_eu = run(
        bidders,
        "inherited_listing",
        params("inherited_listing", regimes=["eu", "uk"]),
        "dx-lumen",
        "Lumenbrook Optics GmbH",
    )
    listed_itself = run(
        bidders,
        "inherited_listing",
        params("inherited_listing"),
        "dx-grauwolf",
        "Grauwolf Maschinenbau AG",
    )
    assert only_eu == []
    assert listed_itself == []


# -- procurement_ban -------------------------------------------------------------------------


def _nine_ban(covers_affiliates: bool = True) -> BaseModel:
    return params(
        "procurement_ban",
        bans=[
            {
                "id": "fictional-nine",
                "title": NINE,
                "names": ["Corvane", "Wexmoor"],
                "covers_affiliates": covers_affiliates,
                "source": {
                    "id": "fictional-nine",
                    "title": f"{NINE}, s. 3",
                    "url": "https://example.invalid/nine-act",
                },
            }
        ],
    )


NINE_SOURCE = SourceRef(f"{NINE}, s. 3", "https://example.invalid/nine-act")


def test_procurement_ban_real_names_do_not_match_inside_other_words(bidders: Store) -> None:
    ban = framework_params("procurement-ban", "procurement_ban")
    for name in ("Dahuanet Trading Ltd", "Aztec Border Technik GmbH", "Hikvisionary Optics"):
        assert run(bidders, "procurement_ban", ban, None, name) == [], name


def test_procurement_ban_reaches_bidder_by_name_and_through_its_owner(bidders: Store) -> None:
    hits = run(
        bidders,
        "procurement_ban",
        _nine_ban(),
        "dx-corvane-vision",
        "Corvane Vision Systems Ltd",
    )
    assert hits == [
        Hit(
            f"Corvane Vision Systems Ltd falls under {NINE}",
            (
                Evidence(
                    "listing",
                    "the bidder's name 'Corvane Vision Systems Ltd' contains the banned name "
                    "'Corvane'",
                    NINE_SOURCE,
                ),
                Evidence(
                    "ownership",
                    "owner 'Corvane Defence Electronics Corp' (Corvane) holds the bidder: "
                    "Corvane Vision Systems Ltd ← Corvane Defence Electronics Corp (shares, 100 %)",
                    NINE_SOURCE,
                    None,
                    ("dx-corvane-vision", "dx-corvane"),
                ),
            ),
        )
    ]


def test_procurement_ban_reaches_affiliate_only_while_the_edge_is_in_force(
    bidders: Store,
) -> None:
    in_force = run(bidders, "procurement_ban", _nine_ban(), "dx-nordlys", "Nordlys Screening AS")
    before = run(
        bidders,
        "procurement_ban",
        _nine_ban(),
        "dx-nordlys",
        "Nordlys Screening AS",
        as_of=dt.date(2019, 12, 31),
    )
    assert in_force == [
        Hit(
            f"Nordlys Screening AS falls under {NINE}",
            (
                Evidence(
                    "ownership",
                    "owner 'Corvane Defence Electronics Corp' (Corvane) holds the bidder: "
                    "Nordlys Screening AS ← Corvane Defence Electronics Corp (shares, 40 %)",
                    NINE_SOURCE,
                    None,
                    ("dx-nordlys", "dx-corvane"),
                ),
            ),
        )
    ]
    assert before == []


def test_procurement_ban_without_affiliates_ignores_owners(bidders: Store) -> None:
    hits = run(
        bidders,
        "procurement_ban",
        _nine_ban(covers_affiliates=False),
        "dx-nordlys",
        "Nordlys Screening AS",
    )
    assert hits == []


# -- control_chain ---------------------------------------------------------------------------


def test_control_chain_names_each_link_to_the_ultimate_controller(bidders: Store) -> None:
    hits = run(
        bidders,
        "control_chain",
        framework_params("controlling-owner", "control_chain"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
    )
    assert hits == [
        Hit(
            f"Sentinel Portal Scanning Oy is controlled through {SENTINEL_PATH}; ultimate "
            "controller on record: Veltravian Ministry of Industry",
            (
                Evidence(
                    "ownership",
                    "Ridgecrest Holdings Ltd → Sentinel Portal Scanning Oy: shares, 70 %",
                    SENTINEL_FILING,
                    dt.date(2016, 1, 1),
                    ("dx-sentinel", "dx-ridge"),
                ),
                Evidence(
                    "ownership",
                    "Veltravian Heavy Industries Group → Ridgecrest Holdings Ltd: "
                    "controlling-shareholder, share not published",
                    RIDGE_AR,
                    dt.date(2015, 1, 1),
                    ("dx-sentinel", "dx-ridge", "dx-soe"),
                ),
                Evidence(
                    "ownership",
                    "Veltravian Ministry of Industry → Veltravian Heavy Industries Group: "
                    "shares, 100 %",
                    SOE_REGISTER,
                    dt.date(2010, 1, 1),
                    ("dx-sentinel", "dx-ridge", "dx-soe", "dx-state"),
                ),
            ),
        )
    ]


def test_control_chain_minority_holding_does_not_control(bidders: Store) -> None:
    hits = run(
        bidders,
        "control_chain",
        framework_params("controlling-owner", "control_chain"),
        "dx-minor",
        "Minority Sensors AS",
    )
    assert hits == []


def test_control_chain_threshold_above_the_share_breaks_the_chain(bidders: Store) -> None:
    hits = run(
        bidders,
        "control_chain",
        framework_params("controlling-owner", "control_chain", majority=0.75),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
    )
    assert hits == []


def test_control_chain_only_once_the_edge_is_in_force(bidders: Store) -> None:
    crit = framework_params("controlling-owner", "control_chain")
    before = run(bidders, "control_chain", crit, "dx-later", "Latecomer Devices BV")
    after = run(
        bidders,
        "control_chain",
        crit,
        "dx-later",
        "Latecomer Devices BV",
        as_of=dt.date(2025, 6, 1),
    )
    assert before == []
    assert [h.summary for h in after] == [
        "Latecomer Devices BV is controlled through Latecomer Devices BV ← Veltravian Heavy "
        "Industries Group (shares, 100 %) ← Veltravian Ministry of Industry (shares, 100 %); "
        "ultimate controller on record: Veltravian Ministry of Industry"
    ]
    assert [(e.kind, e.source, e.date) for e in after[0].evidence] == [
        ("ownership", LATER_FILING, dt.date(2025, 1, 1)),
        ("ownership", SOE_REGISTER, dt.date(2010, 1, 1)),
    ]


# -- state_control ---------------------------------------------------------------------------


def test_state_control_through_a_controlling_minority_soe(bidders: Store) -> None:
    hits = run(
        bidders,
        "state_control",
        framework_params("state-control", "state_control"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
    )
    full = ("dx-sentinel", "dx-ridge", "dx-soe", "dx-state")
    assert hits == [
        Hit(
            f"Sentinel Portal Scanning Oy is controlled by the state: {SENTINEL_PATH}",
            (
                Evidence(
                    "ownership",
                    "Veltravian Heavy Industries Group is state-owned",
                    SOE_REGISTER,
                    None,
                    ("dx-soe",),
                ),
                Evidence(
                    "ownership",
                    "Ridgecrest Holdings Ltd → Sentinel Portal Scanning Oy: shares, 70 %",
                    SENTINEL_FILING,
                    dt.date(2016, 1, 1),
                    full,
                ),
                Evidence(
                    "ownership",
                    "Veltravian Heavy Industries Group → Ridgecrest Holdings Ltd: "
                    "controlling-shareholder, share not published",
                    RIDGE_AR,
                    dt.date(2015, 1, 1),
                    full,
                ),
                Evidence(
                    "ownership",
                    "Veltravian Ministry of Industry is a state body",
                    GAZETTE,
                    None,
                    ("dx-state",),
                ),
                Evidence(
                    "ownership",
                    "Veltravian Ministry of Industry → Veltravian Heavy Industries Group: "
                    "shares, 100 %",
                    SOE_REGISTER,
                    dt.date(2010, 1, 1),
                    full,
                ),
            ),
        )
    ]


def test_state_control_minority_state_share_is_partly_owned(bidders: Store) -> None:
    hits = run(
        bidders,
        "state_control",
        framework_params("state-control", "state_control"),
        "dx-minor",
        "Minority Sensors AS",
    )
    assert [h.summary for h in hits] == [
        "Minority Sensors AS is partly owned by the state: Minority Sensors AS ← Veltravian Heavy "
        "Industries Group (shares, 20 %) ← Veltravian Ministry of Industry (shares, 100 %)"
    ]
    assert [(e.text, e.source, e.date) for e in hits[0].evidence] == [
        ("Veltravian Heavy Industries Group is state-owned", SOE_REGISTER, None),
        (
            "Veltravian Heavy Industries Group → Minority Sensors AS: shares, 20 %",
            MINOR_FILING,
            dt.date(2016, 1, 1),
        ),
        ("Veltravian Ministry of Industry is a state body", GAZETTE, None),
        (
            "Veltravian Ministry of Industry → Veltravian Heavy Industries Group: shares, 100 %",
            SOE_REGISTER,
            dt.date(2010, 1, 1),
        ),
    ]
    assert {e.kind for e in hits[0].evidence} == {"ownership"}


def test_state_control_bidder_that_is_itself_an_soe(bidders: Store) -> None:
    hits = run(
        bidders,
        "state_control",
        framework_params("state-control", "state_control"),
        "dx-soe",
        "Veltravian Heavy Industries Group",
    )
    itself = "Veltravian Heavy Industries Group is itself recorded as state-owned or a public body"
    assert hits == [
        Hit(itself, (Evidence("ownership", itself, SOE_REGISTER, None, ("dx-soe",)),)),
        Hit(
            "Veltravian Heavy Industries Group is controlled by the state: Veltravian Heavy "
            "Industries Group ← Veltravian Ministry of Industry (shares, 100 %)",
            (
                Evidence(
                    "ownership",
                    "Veltravian Ministry of Industry is a state body",
                    GAZETTE,
                    None,
                    ("dx-state",),
                ),
                Evidence(
                    "ownership",
                    "Veltravian Ministry of Industry → Veltravian Heavy Industries Group: "
                    "shares, 100 %",
                    SOE_REGISTER,
                    dt.date(2010, 1, 1),
                    ("dx-soe", "dx-state"),
                ),
            ),
        ),
    ]


def test_state_control_not_before_the_state_edge_is_in_force(bidders: Store) -> None:
    crit = framework_params("state-control", "state_control")
    assert run(bidders, "state_control", crit, "dx-later", "Latecomer Devices BV") == []
    assert run(bidders, "state_control", crit, "dx-solent", "Solent Gate Systems Ltd") == []
    # in force from 2025-01-01 but stated only by a filing published on 2025-01-02: not yet
    # public on the first day, so it is not evidence then
    in_force_not_public = run(
        bidders,
        "state_control",
        crit,
        "dx-later",
        "Latecomer Devices BV",
        as_of=dt.date(2025, 1, 1),
    )
    assert in_force_not_public == []
    later = run(
        bidders,
        "state_control",
        crit,
        "dx-later",
        "Latecomer Devices BV",
        as_of=dt.date(2025, 1, 2),
    )
    assert [h.summary for h in later] == [
        "Latecomer Devices BV is controlled by the state: Latecomer Devices BV ← Veltravian Heavy "
        "Industries Group (shares, 100 %) ← Veltravian Ministry of Industry (shares, 100 %)"
    ]


# -- military_links --------------------------------------------------------------------------


def test_military_links_through_a_listed_military_owner(bidders: Store) -> None:
    hits = run(
        bidders,
        "military_links",
        framework_params("military-links", "military_links"),
        "dx-corvane-vision",
        "Corvane Vision Systems Ltd",
    )
    via = (
        "(owner of the bidder: Corvane Vision Systems Ltd ← Corvane Defence Electronics Corp "
        "(shares, 100 %))"
    )
    path = ("dx-corvane-vision", "dx-corvane")
    assert hits == [
        Hit(
            "Corvane Vision Systems Ltd has military or defence links",
            (
                Evidence(
                    "ownership",
                    "Corvane Defence Electronics Corp is recorded as a military or defence "
                    f"company (topic mil) {via}",
                    YEARBOOK,
                    None,
                    path,
                ),
                Evidence(
                    "listing",
                    f"Corvane Defence Electronics Corp is on the DoD Section 1260H List since "
                    f"2021-06-03 {via}",
                    NOTICE_1260H,
                    dt.date(2021, 6, 3),
                    path,
                ),
            ),
        )
    ]


def test_military_links_own_listing_counts_only_from_its_start(bidders: Store) -> None:
    own_only = framework_params("military-links", "military_links", include_owners=False)
    before = run(
        bidders, "military_links", own_only, "dx-corvane-vision", "Corvane Vision Systems Ltd"
    )
    after = run(
        bidders,
        "military_links",
        own_only,
        "dx-corvane-vision",
        "Corvane Vision Systems Ltd",
        as_of=dt.date(2025, 3, 1),
    )
    text = "Corvane Vision Systems Ltd is on the BIS Military End-User List since 2025-02-01"
    assert before == []
    assert after == [
        Hit(
            "Corvane Vision Systems Ltd has military or defence links",
            (Evidence("listing", text, MEU_RULE, dt.date(2025, 2, 1), ("dx-corvane-vision",)),),
        )
    ]


def test_military_links_not_before_the_owner_edge_is_in_force(bidders: Store) -> None:
    hits = run(
        bidders,
        "military_links",
        framework_params("military-links", "military_links"),
        "dx-corvane-vision",
        "Corvane Vision Systems Ltd",
        as_of=dt.date(2018, 12, 31),
    )
    assert hits == []


# -- legal_regime ----------------------------------------------------------------------------

LEGAL_SUMMARY = (
    "is subject to a legal regime that can compel cooperation with state intelligence work"
)


def test_legal_regime_declared_country(bidders: Store) -> None:
    hits = run(
        bidders,
        "legal_regime",
        framework_params("legal-regime", "legal_regime"),
        "dx-corvane-vision",
        "Corvane Vision Systems Ltd",
        country="CN",
    )
    assert hits == [
        Hit(
            f"Corvane Vision Systems Ltd {LEGAL_SUMMARY}",
            (
                Evidence(
                    "jurisdiction",
                    f"Corvane Vision Systems Ltd (declared) {PRC_TEXT}",
                    PRC_LAW,
                    PRC_LAW.published,
                ),
            ),
        )
    ]


def test_legal_regime_through_an_owner_country(bidders: Store) -> None:
    hits = run(
        bidders,
        "legal_regime",
        framework_params("legal-regime", "legal_regime"),
        "dx-nordlys",
        "Nordlys Screening AS",
        country="NO",
    )
    assert hits == [
        Hit(
            f"Nordlys Screening AS {LEGAL_SUMMARY}",
            (
                Evidence(
                    "jurisdiction",
                    "Corvane Defence Electronics Corp (owner: Nordlys Screening AS ← Corvane "
                    f"Defence Electronics Corp (shares, 40 %)) {PRC_TEXT}",
                    PRC_LAW,
                    PRC_LAW.published,
                ),
            ),
        )
    ]


def test_legal_regime_owner_ignored_when_excluded_or_not_in_force(bidders: Store) -> None:
    no_owners = run(
        bidders,
        "legal_regime",
        framework_params("legal-regime", "legal_regime", include_owners=False),
        "dx-nordlys",
        "Nordlys Screening AS",
        country="NO",
    )
    before_edge = run(
        bidders,
        "legal_regime",
        framework_params("legal-regime", "legal_regime"),
        "dx-nordlys",
        "Nordlys Screening AS",
        country="NO",
        as_of=dt.date(2019, 12, 31),
    )
    assert no_owners == []
    assert before_edge == []


def test_legal_regime_country_without_such_a_law(bidders: Store) -> None:
    hits = run(
        bidders,
        "legal_regime",
        framework_params("legal-regime", "legal_regime"),
        "dx-solent",
        "Solent Gate Systems Ltd",
        country="GB",
    )
    assert hits == []


# -- integrity_events ------------------------------------------------------------------------

SOLENT_IN_WINDOW = (
    Evidence(
        "event",
        "Solent Gate Systems Ltd, 2014: Fictional corruption finding dated only by year.",
        _src("Fictional audit report", "audit", dt.date(2015, 3, 1)),
        None,
        ("dx-solent",),
    ),
    Evidence(
        "event",
        "Solent Gate Systems Ltd, 2019-05-01: Fictional corruption conviction of a sales director.",
        _src("Fictional court ruling 1", "ruling-1", dt.date(2019, 5, 2)),
        dt.date(2019, 5, 1),
        ("dx-solent",),
    ),
)
SOLENT_UNDATED = Evidence(
    "event",
    "Solent Gate Systems Ltd (undated): Fictional undated anti-dumping duty.",
    _src("Fictional trade bulletin", "trade", dt.date(2022, 2, 2)),
    None,
    ("dx-solent",),
)


def by_text(evidence: tuple[Evidence, ...] | list[Evidence]) -> list[Evidence]:
    """Evidence in a fixed order, for criteria whose evidence order is not specified."""
    return sorted(evidence, key=lambda e: e.text)


def _one_hit(hits: list[Hit], summary: str) -> Hit:
    assert [h.summary for h in hits] == [summary]
    assert hits[0].severity is None
    return hits[0]


def test_integrity_events_within_the_look_back(bidders: Store) -> None:
    hits = run(
        bidders,
        "integrity_events",
        framework_params("integrity-events", "integrity_events"),
        "dx-solent",
        "Solent Gate Systems Ltd",
    )
    hit = _one_hit(
        hits,
        "3 integrity event(s) on record for Solent Gate Systems Ltd in the 10-year look-back "
        "to 2024-06-01",
    )
    assert by_text(hit.evidence) == by_text([*SOLENT_IN_WINDOW, SOLENT_UNDATED])
    dated = [e for e in hit.evidence if e.date is not None]
    assert dated == [SOLENT_IN_WINDOW[1]]


def test_integrity_events_old_and_late_published_undated_do_not_count(bidders: Store) -> None:
    hits = run(
        bidders,
        "integrity_events",
        framework_params("integrity-events", "integrity_events"),
        "dx-quiet",
        "Quietwater Instruments Ltd",
    )
    assert hits == []


def test_integrity_events_owners_only_when_asked(bidders: Store) -> None:
    hits = run(
        bidders,
        "integrity_events",
        framework_params("integrity-events", "integrity_events", include_owners=True),
        "dx-quiet",
        "Quietwater Instruments Ltd",
    )
    hit = _one_hit(
        hits,
        "3 integrity event(s) on record for Quietwater Instruments Ltd in the 10-year "
        "look-back to 2024-06-01",
    )
    assert by_text(hit.evidence) == by_text([*SOLENT_IN_WINDOW, SOLENT_UNDATED])


def test_integrity_events_without_undated(bidders: Store) -> None:
    hits = run(
        bidders,
        "integrity_events",
        framework_params("integrity-events", "integrity_events", include_undated=False),
        "dx-solent",
        "Solent Gate Systems Ltd",
    )
    hit = _one_hit(
        hits,
        "2 integrity event(s) on record for Solent Gate Systems Ltd in the 10-year look-back "
        "to 2024-06-01",
    )
    assert hit.evidence == SOLENT_IN_WINDOW


def test_integrity_events_month_counts_once_the_month_is_over(bidders: Store) -> None:
    hits = run(
        bidders,
        "integrity_events",
        framework_params("integrity-events", "integrity_events"),
        "dx-solent",
        "Solent Gate Systems Ltd",
        as_of=dt.date(2024, 7, 1),
    )
    hit = _one_hit(
        hits,
        "4 integrity event(s) on record for Solent Gate Systems Ltd in the 10-year look-back "
        "to 2024-07-01",
    )
    in_month = Evidence(
        "event",
        "Solent Gate Systems Ltd, 2024-06: Fictional bribery case in the as-of month.",
        _src("Fictional court ruling 4", "ruling-4", dt.date(2024, 7, 1)),
        None,
        ("dx-solent",),
    )
    assert by_text(hit.evidence) == by_text([*SOLENT_IN_WINDOW, SOLENT_UNDATED, in_month])


def test_integrity_events_longer_look_back_reaches_older_events(bidders: Store) -> None:
    hits = run(
        bidders,
        "integrity_events",
        framework_params("integrity-events", "integrity_events", lookback_years=20),
        "dx-solent",
        "Solent Gate Systems Ltd",
    )
    hit = _one_hit(
        hits,
        "5 integrity event(s) on record for Solent Gate Systems Ltd in the 20-year look-back "
        "to 2024-06-01",
    )
    older = (
        Evidence(
            "event",
            "Solent Gate Systems Ltd, 2013-03-01: Fictional bribery case before the look-back.",
            _src("Fictional court ruling 2", "ruling-2", dt.date(2013, 3, 2)),
            dt.date(2013, 3, 1),
            ("dx-solent",),
        ),
        Evidence(
            "event",
            "Solent Gate Systems Ltd, 2014-05: Fictional corruption case dated by a month before "
            "the look-back.",
            _src("Fictional court ruling 3", "ruling-3", dt.date(2014, 6, 15)),
            None,
            ("dx-solent",),
        ),
    )
    assert by_text(hit.evidence) == by_text([*older, *SOLENT_IN_WINDOW, SOLENT_UNDATED])
    assert [e for e in hit.evidence if e.date is not None] == [older[0], SOLENT_IN_WINDOW[1]]


# -- missing_information ---------------------------------------------------------------------


def test_missing_information_no_ownership_record(bidders: Store) -> None:
    hits = run(
        bidders,
        "missing_information",
        framework_params("missing-information", "missing_information"),
        "dx-solent",
        "Solent Gate Systems Ltd",
    )
    text = "no ownership or control record for Solent Gate Systems Ltd on 2024-06-01"
    assert hits == [Hit(text, (Evidence("missing", text, STORE, None, ("dx-solent",)),))]


def test_missing_information_unresolved_bidder(bidders: Store) -> None:
    hits = run(
        bidders,
        "missing_information",
        framework_params("missing-information", "missing_information"),
        None,
        "Phantom Gatekeeper Ltd",
    )
    text = (
        "Phantom Gatekeeper Ltd was not found in the knowledge store "
        "(no name match above the threshold)"
    )
    assert hits == [Hit(text, (Evidence("missing", text, STORE),))]


def test_missing_information_owner_edge_counts_once_in_force_and_public(bidders: Store) -> None:
    crit = framework_params("missing-information", "missing_information")
    before = run(bidders, "missing_information", crit, "dx-later", "Latecomer Devices BV")
    # in force from 2025-01-01, its filing published 2025-01-02: unknown owners on the first day
    first_day = run(
        bidders,
        "missing_information",
        crit,
        "dx-later",
        "Latecomer Devices BV",
        as_of=dt.date(2025, 1, 1),
    )
    assert [h.summary for h in first_day] == [
        "no ownership or control record for Latecomer Devices BV on 2025-01-01"
    ]
    after = run(
        bidders,
        "missing_information",
        crit,
        "dx-later",
        "Latecomer Devices BV",
        as_of=dt.date(2025, 1, 2),
    )
    assert [h.summary for h in before] == [
        "no ownership or control record for Latecomer Devices BV on 2024-06-01"
    ]
    assert after == []


def test_missing_information_owned_bidder_and_public_body(bidders: Store) -> None:
    crit = framework_params("missing-information", "missing_information")
    assert (
        run(bidders, "missing_information", crit, "dx-sentinel", "Sentinel Portal Scanning Oy")
        == []
    )
    assert (
        run(bidders, "missing_information", crit, "dx-state", "Veltravian Ministry of Industry")
        == []
    )


# -- data_risk_tier --------------------------------------------------------------------------

ITEMS: tuple[dict[str, Any], ...] = (
    {
        "id": "1",
        "profile": {
            "features": [
                {
                    "feature": "local-storage",
                    "evidence": "stores scan images on an internal drive",
                    "source": "explicit",
                },
                {"feature": "network-port", "evidence": "Ethernet port", "source": "inferred"},
            ]
        },
    },
    {"id": "2", "profile": None},
)
TAXONOMY = SourceRef("bidvet technology taxonomy (inferred from the item description and codes)")


def test_data_risk_tier_reports_item_features_with_tier_severity(bidders: Store) -> None:
    hits = run(
        bidders,
        "data_risk_tier",
        framework_params("data-risk-tier", "data_risk_tier"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
        tier=Tier.HIGH,
        tender_tier=Tier.HIGH,
        items=ITEMS,
    )
    assert hits == [
        Hit(
            "the purchase is in the high data-risk tier",
            (
                Evidence(
                    "technology",
                    "item 1: local-storage — stores scan images on an internal drive",
                    TENDER,
                ),
                Evidence("technology", "item 1: network-port — Ethernet port", TAXONOMY),
            ),
            "medium",
        )
    ]


def test_data_risk_tier_answers_that_changed_the_tier(bidders: Store) -> None:
    effects: tuple[dict[str, Any], ...] = (
        {
            "item": "1",
            "tier_before": "critical",
            "tier_after": "high",
            "lowered": [
                {
                    "question": "D3",
                    "explanation": "no data leaves the device",
                    "evidence": "the scanner has no network interface",
                }
            ],
            "raised": [
                {
                    "question": "D5",
                    "explanation": "vendor remote maintenance",
                    "evidence": "maintenance by remote login",
                }
            ],
        },
    )
    hits = run(
        bidders,
        "data_risk_tier",
        framework_params("data-risk-tier", "data_risk_tier"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
        tier=Tier.HIGH,
        tender_tier=Tier.CRITICAL,
        answer_effects=effects,
    )
    assert hits == [
        Hit(
            "the purchase is in the high data-risk tier for this bidder (the items alone are "
            "critical; its answers changed that)",
            (
                Evidence(
                    "answer",
                    "item 1: answer to D5 raised the risk — vendor remote maintenance "
                    '("maintenance by remote login")',
                    TENDER,
                ),
                Evidence(
                    "answer",
                    "item 1: answer to D3 lowered the risk — no data leaves the device "
                    '("the scanner has no network interface")',
                    TENDER,
                ),
            ),
            "medium",
        )
    ]


def test_data_risk_tier_without_features_cites_the_tender_tier(bidders: Store) -> None:
    hits = run(
        bidders,
        "data_risk_tier",
        framework_params("data-risk-tier", "data_risk_tier"),
        None,
        "Phantom Gatekeeper Ltd",
        tier=Tier.ELEVATED,
    )
    assert hits == [
        Hit(
            "the purchase is in the elevated data-risk tier",
            (Evidence("technology", "tender tier elevated", TENDER),),
            "low",
        )
    ]


def test_data_risk_tier_below_min_tier_is_silent(bidders: Store) -> None:
    low = run(
        bidders,
        "data_risk_tier",
        framework_params("data-risk-tier", "data_risk_tier"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
        tier=Tier.LOW,
        items=ITEMS,
    )
    high_bar = run(
        bidders,
        "data_risk_tier",
        framework_params("data-risk-tier", "data_risk_tier", min_tier="critical"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
        tier=Tier.HIGH,
        items=ITEMS,
    )
    assert low == []
    assert high_bar == []


# -- unanswered_questions --------------------------------------------------------------------


def _question(qid: str, required: bool, answer: str | None) -> Question:
    return Question(
        id=qid,
        topic="storage" if qid.startswith("D") else "maintenance",
        text=f"Fictional question {qid}?",
        evidence="fictional basis",
        required=required,
        answer=answer,
    )


def test_unanswered_questions_counts_required_ones_without_an_answer(bidders: Store) -> None:
    questions = (
        _question("D1", True, None),
        _question("D2", True, "Images are deleted after 24 hours."),
        _question("M1", True, ""),
        _question("M2", False, None),
    )
    hits = run(
        bidders,
        "unanswered_questions",
        framework_params("unanswered-questions", "unanswered_questions"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
        questions=questions,
    )
    assert hits == [
        Hit(
            "2 required question(s) unanswered by Sentinel Portal Scanning Oy",
            (
                Evidence("answer", "D1 (storage) unanswered: Fictional question D1?", TENDER),
                Evidence("answer", "M1 (maintenance) unanswered: Fictional question M1?", TENDER),
            ),
        )
    ]


def test_unanswered_questions_silent_when_required_ones_are_answered(bidders: Store) -> None:
    questions = (_question("D1", True, "No local storage."), _question("M2", False, None))
    hits = run(
        bidders,
        "unanswered_questions",
        framework_params("unanswered-questions", "unanswered_questions"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
        questions=questions,
    )
    assert hits == []


# -- stated_controls -------------------------------------------------------------------------


def test_stated_controls_lists_each_lowering_answer(bidders: Store) -> None:
    effects: tuple[dict[str, Any], ...] = (
        {
            "item": "x",
            "tier_before": "high",
            "tier_after": "elevated",
            "lowered": [
                {
                    "question": "D3",
                    "explanation": "no data leaves the device",
                    "evidence": "all outbound interfaces are removed",
                }
            ],
            "raised": [],
        },
        {
            "item": "y",
            "tier_before": "critical",
            "tier_after": "high",
            "lowered": [
                {
                    "question": "U1",
                    "explanation": "USB ports disabled and sealed",
                    "evidence": "ports are epoxy-sealed at the factory",
                }
            ],
            "raised": [
                {"question": "M2", "explanation": "remote maintenance", "evidence": "VPN access"}
            ],
        },
    )
    hits = run(
        bidders,
        "stated_controls",
        framework_params("stated-controls", "stated_controls"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
        answer_effects=effects,
    )
    assert hits == [
        Hit(
            "Sentinel Portal Scanning Oy's answers state 2 control(s) that lower the data risk; "
            "they must become contract conditions",
            (
                Evidence(
                    "answer",
                    'item x: D3: no data leaves the device ("all outbound interfaces are removed")',
                    TENDER,
                ),
                Evidence(
                    "answer",
                    "item y: U1: USB ports disabled and sealed "
                    '("ports are epoxy-sealed at the factory")',
                    TENDER,
                ),
            ),
        )
    ]


def test_stated_controls_silent_when_answers_only_raise_the_risk(bidders: Store) -> None:
    effects: tuple[dict[str, Any], ...] = (
        {
            "item": "x",
            "tier_before": "elevated",
            "tier_after": "high",
            "lowered": [],
            "raised": [
                {"question": "M2", "explanation": "remote maintenance", "evidence": "VPN access"}
            ],
        },
    )
    hits = run(
        bidders,
        "stated_controls",
        framework_params("stated-controls", "stated_controls"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
        answer_effects=effects,
    )
    assert hits == []


# -- abnormally_low_price --------------------------------------------------------------------

ART69 = "EU Directive 2014/24/EU Art. 69 (abnormally low tenders)"


def _flag(
    indicator: str, status: str, message: str, action: str | None, citation: str | None
) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "status": status,
        "message": message,
        "action": action,
        "citation": citation,
        "bidder": "b1",
    }


def test_abnormally_low_price_raised_indicators(bidders: Store) -> None:
    flags = (
        _flag(
            "abnormally-low-vs-others",
            "raised",
            "the bid is 42 % below the mean of the other bids",
            "ask the bidder to explain the price",
            ART69,
        ),
        _flag(
            "abnormally-low-vs-estimate",
            "raised",
            "the bid is 35 % below the buyer's estimate",
            None,
            None,
        ),
        _flag("lowest-to-next-gap", "raised", "wide gap to the next bid", None, None),
        _flag("abnormally-low-vs-others", "not-raised", "within range", None, ART69),
    )
    hits = run(
        bidders,
        "abnormally_low_price",
        framework_params("abnormally-low-price", "abnormally_low_price"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
        price_flags=flags,
    )
    assert hits == [
        Hit(
            "the price offered by Sentinel Portal Scanning Oy is abnormally low: ask for an "
            "explanation",
            (
                Evidence(
                    "price",
                    "the bid is 42 % below the mean of the other bids; ask the bidder to explain "
                    "the price",
                    SourceRef(ART69),
                ),
                Evidence("price", "the bid is 35 % below the buyer's estimate", TENDER),
            ),
        )
    ]


def test_abnormally_low_price_silent_without_a_raised_low_price_flag(bidders: Store) -> None:
    flags = (
        _flag("abnormally-low-vs-others", "not-raised", "within range", None, ART69),
        _flag("abnormally-low-vs-estimate", "cannot-evaluate", "no estimate", None, None),
        _flag("lowest-to-next-gap", "raised", "wide gap to the next bid", None, None),
    )
    hits = run(
        bidders,
        "abnormally_low_price",
        framework_params("abnormally-low-price", "abnormally_low_price"),
        "dx-sentinel",
        "Sentinel Portal Scanning Oy",
        price_flags=flags,
    )
    assert hits == []


# -- buyer jurisdiction (sensitive-procurement-v2 and later) ----------------------------------


@cache
def _v2() -> LoadedFramework:
    return load_framework(framework_path("sensitive-procurement-v2"))


def v2_params(criterion: str) -> BaseModel:
    return _v2().params[criterion]


def _buyer(country: str) -> BuyerProfile:
    return default_buyer_profiles().for_country(country)


def test_sdn_listing_is_a_legal_bar_for_a_us_buyer_with_the_law_cited(bidders: Store) -> None:
    us = _buyer("us")
    barring = run(
        bidders,
        "direct_listing",
        v2_params("barring-listing"),
        "dx-grauwolf",
        "Grauwolf Maschinenbau AG",
        buyer=us,
    )
    assert [h.summary.split(";")[0] for h in barring] == [
        "Grauwolf Maschinenbau AG is on the OFAC SDN List (us-ofac-sdn, program TEST-SDN) since "
        "2022-04-01: Fictional designation for tests"
    ]
    assert "a legal bar for a buyer in United States (federal)" in barring[0].summary
    law = [e for e in barring[0].evidence if e.kind == "jurisdiction"]
    assert len(law) == 1 and law[0].source.title.startswith("31 CFR chapter V")


def test_sdn_listing_is_a_risk_signal_not_a_legal_bar_for_a_canadian_buyer(
    bidders: Store,
) -> None:
    ca = _buyer("ca")
    barring = run(
        bidders,
        "direct_listing",
        v2_params("barring-listing"),
        "dx-grauwolf",
        "Grauwolf Maschinenbau AG",
        buyer=ca,
    )
    restricted = run(
        bidders,
        "direct_listing",
        v2_params("restricted-listing"),
        "dx-grauwolf",
        "Grauwolf Maschinenbau AG",
        buyer=ca,
    )
    assert barring == []
    sdn = [h for h in restricted if "us-ofac-sdn" in h.summary]
    assert len(sdn) == 1
    assert sdn[0].summary.endswith(
        "this list does not bind a buyer in Canada (federal): a risk signal, not a legal bar"
    )
    # every listing lands in exactly one of the two criteria
    assert len(restricted) == 2


def test_inherited_sdn_binds_only_under_the_buyers_own_ownership_rule(bidders: Store) -> None:
    for country, bars in (("us", 1), ("ca", 0), ("de", 0)):
        barring = run(
            bidders,
            "inherited_listing",
            v2_params("inherited-barring-listing"),
            "dx-lumen",
            "Lumenbrook Optics GmbH",
            buyer=_buyer(country),
        )
        foreign = run(
            bidders,
            "inherited_listing",
            v2_params("inherited-restricted-listing"),
            "dx-lumen",
            "Lumenbrook Optics GmbH",
            buyer=_buyer(country),
        )
        assert len(barring) == bars, country
        assert any("us_ofac" in h.summary for h in [*barring, *foreign]), country
        if bars:
            assert not any("OFAC SDN" in h.summary for h in foreign)


def _ban(binding: str, **ban: Any) -> BaseModel:
    base = {
        "id": "fictional-nine",
        "title": NINE,
        "names": ["Corvane", "Wexmoor"],
        "source": {"id": "fictional-nine", "title": f"{NINE}, s. 3"},
    }
    return params("procurement_ban", binding=binding, bans=[{**base, **ban}])


def test_a_ban_binds_only_the_buyers_it_names_and_only_from_its_date(bidders: Store) -> None:
    home = BuyerProfile(id="home", name="Veltravia", binding_bans=["fictional-nine"])
    away = BuyerProfile(id="away", name="Elsewhere")
    hits = {
        (who.id, binding): run(
            bidders,
            "procurement_ban",
            _ban(binding),
            "dx-corvane-vision",
            "Corvane Vision Systems Ltd",
            buyer=who,
        )
        for who in (home, away)
        for binding in ("buyer", "foreign")
    }
    assert [len(hits[k]) for k in sorted(hits)] == [0, 1, 1, 0]  # away/buyer, away/foreign, ...
    assert hits[("away", "foreign")][0].summary.endswith(
        f"{NINE} does not bind a buyer in Elsewhere: a risk signal, not a legal bar"
    )
    assert hits[("home", "buyer")][0].summary.endswith("a legal bar for a buyer in Veltravia")
    before = run(
        bidders,
        "procurement_ban",
        _ban("buyer", valid_from="2030-01-01"),
        "dx-corvane-vision",
        "Corvane Vision Systems Ltd",
        buyer=home,
    )
    assert before == []


def test_a_country_ban_reaches_companies_majority_owned_from_that_country(
    bidders: Store,
) -> None:
    ban = _ban("any", names=[], countries=["de"], owned_over=0.5)
    lumen = run(bidders, "procurement_ban", ban, "dx-lumen", "Lumenbrook Optics GmbH")
    assert len(lumen) == 1
    (evidence,) = lumen[0].evidence
    assert evidence.kind == "ownership"
    assert "Grauwolf Maschinenbau AG (Germany) holds 60 % of the bidder, more than 50 %" in (
        evidence.text
    )
    half = _ban("any", names=[], countries=["de"], owned_over=0.6)
    assert run(bidders, "procurement_ban", half, "dx-lumen", "Lumenbrook Optics GmbH") == []


# -- listed_owner ------------------------------------------------------------------------------


def test_listed_minority_owner_is_a_finding_that_says_no_rule_carried_it(
    bidders: Store,
) -> None:
    hits = run(
        bidders, "listed_owner", v2_params("listed-owner"), "dx-nordlys", "Nordlys Screening AS"
    )
    assert hits, "a 40 % owner on a list must be seen"
    summary = hits[0].summary
    assert summary.startswith(
        "owner Corvane Defence Electronics Corp holds Nordlys Screening AS (40 %) and is on the"
    )
    assert "no ownership rule carries this listing down" in summary
    kinds = [e.kind for e in hits[0].evidence]
    assert kinds == ["listing", "ownership"]
    assert hits[0].evidence[1].path == ("dx-nordlys", "dx-corvane")


def test_listed_majority_owner_names_the_rule_that_carried_it(bidders: Store) -> None:
    hits = run(
        bidders, "listed_owner", v2_params("listed-owner"), "dx-lumen", "Lumenbrook Optics GmbH"
    )
    sdn = [h for h in hits if "OFAC SDN" in h.summary]
    assert len(sdn) == 1
    assert "carried down to the bidder under us_ofac" in sdn[0].summary


def test_listed_owner_silent_without_listed_owners(bidders: Store) -> None:
    assert (
        run(
            bidders,
            "listed_owner",
            v2_params("listed-owner"),
            "dx-grauwolf",
            "Grauwolf Maschinenbau AG",
        )
        == []
    )


# -- identity_unresolved -----------------------------------------------------------------------


def test_ambiguous_identity_names_every_candidate_with_score_and_lists(bidders: Store) -> None:
    ambiguous = Resolution(
        "ambiguous",
        "screening",
        candidates=(
            Candidate("dx-grauwolf", "Grauwolf Maschinenbau AG", 1.0),
            Candidate("dx-lumen", "Lumenbrook Optics GmbH", 0.99),
        ),
    )
    hits = run(
        bidders,
        "identity_unresolved",
        v2_params("identity-unresolved"),
        None,
        "Grauwolf",
        resolution=ambiguous,
    )
    assert len(hits) == 1
    assert "2 records match equally well" in hits[0].summary
    texts = [e.text for e in hits[0].evidence]
    assert texts[0].startswith("candidate Grauwolf Maschinenbau AG (dx-grauwolf), score 1.00, on ")
    assert "OFAC SDN List" in texts[0]
    assert texts[1] == "candidate Lumenbrook Optics GmbH (dx-lumen), score 0.99, on no list"


def test_resolved_identity_is_silent(bidders: Store) -> None:
    assert (
        run(
            bidders,
            "identity_unresolved",
            v2_params("identity-unresolved"),
            "dx-lumen",
            "Lumenbrook Optics GmbH",
        )
        == []
    )


def test_bundled_s889_is_a_legal_bar_for_a_us_buyer_and_a_risk_signal_for_a_canadian_one(
    bidders: Store,
) -> None:
    # only the bidder's name is used: no facts about a real company are stored
    name = "Hikvision test bidder name"
    us_bar = run(
        bidders, "procurement_ban", v2_params("procurement-ban"), None, name, buyer=_buyer("us")
    )
    ca_bar = run(
        bidders, "procurement_ban", v2_params("procurement-ban"), None, name, buyer=_buyer("ca")
    )
    ca_signal = run(
        bidders,
        "procurement_ban",
        v2_params("foreign-procurement-ban"),
        None,
        name,
        buyer=_buyer("ca"),
    )
    assert [h.summary for h in us_bar] == [
        f"{name} falls under NDAA FY2019 Section 889; a legal bar for a buyer in United States "
        "(federal)"
    ]
    assert ca_bar == []
    assert [h.summary for h in ca_signal] == [
        f"{name} falls under NDAA FY2019 Section 889; NDAA FY2019 Section 889 does not bind a "
        "buyer in Canada (federal): a risk signal, not a legal bar"
    ]
    before = run(
        bidders,
        "procurement_ban",
        v2_params("procurement-ban"),
        None,
        name,
        buyer=_buyer("us"),
        as_of=dt.date(2019, 8, 12),
    )
    assert before == []  # s.889(a)(1)(A) took effect on 2019-08-13


# -- owner_name_match (more cases in tests/resolution/test_owner_screening.py) ---------------


def test_owner_name_match_proposes_a_listed_namesake_of_an_owner(sqlite_store: Store) -> None:
    from tests.resolution.helpers import load_cases

    load_cases(sqlite_store)
    (hit,) = run(
        sqlite_store,
        "owner_name_match",
        params("owner_name_match"),
        "rx-bidder",
        "Harrowgate Scanning Oy",
    )
    assert "possible listing through owner Pellucid Holdings Ltd" in hit.summary
    assert "not yet judged" in hit.summary
