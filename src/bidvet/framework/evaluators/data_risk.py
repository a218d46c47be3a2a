"""The data-risk tier of what is being bought, from the technology profiles of the items."""

from __future__ import annotations

from pydantic import Field

from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit, SourceRef
from bidvet.model.tiers import Severity, Tier


def _default_severity() -> dict[Tier, Severity]:
    return {Tier.LOW: "info", Tier.ELEVATED: "low", Tier.HIGH: "medium", Tier.CRITICAL: "high"}


class TierParams(Params):
    #: the tier from which this criterion reports
    min_tier: Tier = Tier.ELEVATED
    #: severity of the finding per tier
    severity: dict[Tier, Severity] = Field(default_factory=_default_severity)


@evaluator("data_risk_tier", TierParams)
def data_risk_tier(ctx: EvalContext, params: TierParams) -> list[Hit]:
    """How much the purchased equipment can expose, whoever supplies it.

    Takes the technology profile of each tender item (features such as local storage of scan
    images, network or USB ports, embedded operating systems, vendor-only or remote maintenance,
    and the sensitivity of the site) and reports the highest tier. The tier also sets the bar in
    the outcome rule: the same supplier risk weighs more at a critical tier than at a low one.
    """
    if ctx.tier.rank < params.min_tier.rank:
        return []
    # Answers from the bidder may have changed the tier; the evidence says how.
    evidence = []
    for item in ctx.items:
        profile = item.get("profile") or {}
        for feat in profile.get("features") or []:
            origin = feat.get("source")
            source = ctx.tender_source
            if origin != "explicit":
                source = SourceRef(
                    "bidvet technology taxonomy (inferred from the item description and codes)"
                )
            evidence.append(
                Evidence(
                    "technology",
                    f"item {item.get('id')}: {feat.get('feature')} — {feat.get('evidence')}",
                    source,
                )
            )
    for change in ctx.answer_effects:
        for direction in ("raised", "lowered"):
            for effect in change.get(direction, []):
                evidence.append(
                    Evidence(
                        "answer",
                        f"item {change.get('item')}: answer to {effect.get('question')} "
                        f"{direction} the risk — {effect.get('explanation')} "
                        f'("{effect.get("evidence")}")',
                        ctx.tender_source,
                    )
                )
    if not evidence:
        evidence.append(Evidence("technology", f"tender tier {ctx.tier}", ctx.tender_source))
    summary = f"the purchase is in the {ctx.tier} data-risk tier"
    before = ctx.tender_tier
    if before and before != ctx.tier:
        summary += f" for this bidder (the items alone are {before}; its answers changed that)"
    return [Hit(summary, tuple(evidence), params.severity[ctx.tier.for_decision()])]
