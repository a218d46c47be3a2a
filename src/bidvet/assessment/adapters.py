"""Adapters from the other analysis layers (technology, questionnaire, price, ownership).

Each call is a thin adapter that turns the layer's objects into the plain values the
evaluators and the report read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bidvet import price
from bidvet.assessment.tender import Bidder, Item, Money, Site
from bidvet.errors import ConfigError, InputError
from bidvet.framework.context import Question
from bidvet.model.contracts import Money as PriceMoney
from bidvet.model.tiers import Tier, highest_tier
from bidvet.ownership import report as ownership_api
from bidvet.store.db import Store
from bidvet.technology import profile as tech_profile
from bidvet.technology import questionnaire


@dataclass(frozen=True)
class ItemProfile:
    item: Item
    tier: Tier
    profile: dict[str, Any]
    raw: tech_profile.TechnologyProfile
    #: the tier the tender itself sets for the item (its own tier or the site's sensitivity);
    #: answers can lower the profiled tier but never below this floor
    floor: Tier | None = None


def _ident(value: Any, key: str) -> str:
    return str(value.get(key)) if isinstance(value, dict) else str(value)


def profile_item(item: Item, site: Site, *, where: tuple[Path, str] | None = None) -> ItemProfile:
    """The technology profile of one item; the tender's own tier (item or site) is a floor.

    The profiler's ``insufficient-information`` tier counts as ``high``: an item that cannot be
    judged is not treated more leniently than a high-tier one. ``where`` (tender file, item
    record) names the place in the tender file when the technology facts are invalid.
    """
    try:
        raw = tech_profile.profile_item(
            item.description,
            codes=[c.code for c in item.codes],
            site=site.type,
            explicit=dict(item.technology),
        )
    except InputError as exc:
        if where is None:
            raise
        record = f"{where[1]}.technology" + (f" ({exc.record})" if exc.record else "")
        message = exc.message.split(": ", 2)[-1] if exc.path is None else exc.message
        raise ConfigError(where[0], message, record=record, fix=exc.fix) from None
    given = [Tier(t) for t in (item.tier, site.sensitivity) if t is not None]
    floor = highest_tier(*given) if given else None
    return _item_profile(item, raw, floor)


def _item_profile(item: Item, raw: Any, floor: Tier | None) -> ItemProfile:
    data = raw.to_json()
    tier = highest_tier(Tier.parse(getattr(raw, "tier", data.get("tier"))), floor)
    profile = {
        "tier": tier,
        "features": data.get("features", []),
        # ids only: the taxonomy holds the labels and descriptions
        "channels": [_ident(c, "channel") for c in data.get("channels", [])],
        "controls": [_ident(c, "control") for c in data.get("controls", [])],
        "controls_in_place": [_ident(c, "control") for c in data.get("controls_in_place", [])],
    }
    return ItemProfile(item, tier, profile, raw, floor)


def with_answers(
    profiles: list[ItemProfile], answers: Mapping[str, questionnaire.RawAnswer]
) -> tuple[list[ItemProfile], list[dict[str, Any]]]:
    """The item profiles as one bidder's questionnaire answers change them.

    Structured answers that state controls in place (no data leaves the device, ports
    locked, drives destroyed on site), with evidence, can lower an item's tier; answers that
    reveal more exposure (no independent maintenance possible) raise it; contradictory answers
    are flagged and lower nothing. Free text is quoted and changes nothing. The tender's own
    floor for the item still holds. Returns the adjusted profiles and, per item, what the
    answers changed (``raised``, ``lowered``, ``contradictions``, ``notes``).
    """
    if not answers:
        return profiles, []
    adjusted: list[ItemProfile] = []
    effects: list[dict[str, Any]] = []
    for prof in profiles:
        # An answer speaks about the items its question was asked for, not about the others
        # (an answer on image storage says nothing about a walk-through metal detector).
        asked = questionnaire.questions_for(prof.raw)
        relevant = {q.id for q in asked} | {q.id.split(".")[0] for q in asked}
        mine = {qid: value for qid, value in answers.items() if qid in relevant}
        if not mine:
            adjusted.append(prof)
            continue
        result = questionnaire.apply_answers(prof.raw, mine)
        new = _item_profile(prof.item, result.profile, prof.floor)
        adjusted.append(new)
        data = result.to_json()
        if any(data.get(k) for k in ("raised", "lowered", "contradictions", "notes")) or (
            prof.tier != new.tier
        ):
            effects.append(
                {"item": prof.item.id, "tier_before": prof.tier, "tier_after": new.tier, **data}
            )
    return adjusted, effects


def purchase_tier(profiles: list[ItemProfile]) -> Tier:
    """The tier of a purchase: the highest tier of its items."""
    return highest_tier(*(p.tier for p in profiles))


def _evidence_text(evidence: Any, because: Any) -> str:
    """Why a question is asked: its public basis and the item features that raise it."""
    parts = (
        [str(e) for e in evidence]
        if isinstance(evidence, list | tuple)
        else ([str(evidence)] if evidence else [])
    )
    if isinstance(because, list | tuple) and because:
        parts.append("asked because of: " + ", ".join(str(b) for b in because))
    return "; ".join(parts)


def _shown_answer(split: questionnaire.SplitAnswers, qid: str) -> str | None:
    """The answer to ``qid`` as a report shows it: the structured answer with its evidence,
    or the topic's free text from an older tender, marked as not used."""
    given = split.structured.get(qid)
    if given is not None:
        return given.quoted()
    topic = qid.split(".")[0]
    text = split.free_text.get(topic)
    if text is not None:
        return f'free text for {topic} (quoted, not used to lower any risk): "{text}"'
    return None


def questions(
    profiles: list[ItemProfile], answers: Mapping[str, questionnaire.RawAnswer]
) -> list[Question]:
    """Questions for every item's profile, merged by id, with the bidder's answers."""
    split = questionnaire.split_answers(answers)
    merged: dict[str, Question] = {}
    for prof in profiles:
        for q in questionnaire.questions_for(prof.raw):
            data = q.to_json()
            qid = str(data.get("id"))
            if qid in merged:
                continue
            merged[qid] = Question(
                id=qid,
                topic=str(data.get("topic", "")),
                text=str(data.get("text", "")),
                evidence=_evidence_text(data.get("evidence"), data.get("because")),
                required=bool(data.get("required", True)),
                answer=_shown_answer(split, qid),
            )
    return sorted(merged.values(), key=lambda q: tuple(int(p) for p in q.id[1:].split(".")))


def price_flags(
    bidders: list[Bidder],
    estimate: Money | None,
    buyer_country: str | None = None,
    on: dt.date | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The price layer's flags about each bidder, by bidder id (tender-wide flags left out),
    under the rules of the buyer's country and the ECB rates in force ``on`` the date."""
    out: dict[str, list[dict[str, Any]]] = {b.id: [] for b in bidders}
    if not any(b.price for b in bidders):
        return out
    bids = [
        price.Bid(bidder=b.id, value=PriceMoney(b.price.amount, b.price.currency))
        for b in bidders
        if b.price is not None
    ]
    est = PriceMoney(estimate.amount, estimate.currency) if estimate else None
    for flag in price.price_flags(bids, estimate=est, buyer_country=buyer_country, on=on):
        data = flag.to_json()
        if data.get("bidder") in out:
            out[str(data["bidder"])].append(data)
    return out


def ownership_report(store: Store, entity_id: str, as_of: dt.date) -> dict[str, Any]:
    """The ownership engine's report on the bidder (owners, paths, status per regime)."""
    return ownership_api.owners(store, entity_id, as_of).to_json()
