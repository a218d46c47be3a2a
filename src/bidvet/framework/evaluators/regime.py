"""Home-state legal regime: what the law of the bidder's (or its owners') country can compel."""

from __future__ import annotations

from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit


class RegimeParams(Params):
    #: kinds of jurisdiction facts that make this criterion fire
    kinds: tuple[str, ...] = ("compelled-cooperation",)
    #: also look at the countries of every owner above the bidder
    include_owners: bool = True


@evaluator("legal_regime", RegimeParams)
def legal_regime(ctx: EvalContext, params: RegimeParams) -> list[Hit]:
    """The bidder, or an owner above it, is subject to a law that can compel it to cooperate
    with its home state's intelligence or security services.

    Countries come from the tender (the bidder's declared country), the resolved entity's
    recorded countries and — unless ``include_owners`` is false — every owner's countries. Each
    country is looked up in the bundled jurisdiction profiles (``data/jurisdictions.yaml``),
    whose facts carry their citations; facts from secondary summaries are marked "verify".
    """
    countries: dict[str, str] = {}
    if ctx.bidder_country:
        countries.setdefault(ctx.bidder_country.lower(), f"{ctx.bidder_name} (declared)")
    if ctx.entity is not None:
        for country in ctx.entity.countries:
            countries.setdefault(country, ctx.entity.caption)
    if params.include_owners:
        for link in ctx.chain:
            owner = ctx.entity_facts(link.owner_id)
            for country in owner.countries if owner else ():
                countries.setdefault(
                    country,
                    f"{owner.caption if owner else link.owner_id} (owner: {ctx.path_text(link)})",
                )
    evidence = []
    for country in sorted(countries):
        profile = ctx.jurisdictions.profile(country)
        if profile is None:
            continue
        for fact in profile.facts:
            if fact.kind not in params.kinds:
                continue
            verify = " [verify exact text]" if fact.verify else ""
            evidence.append(
                Evidence(
                    "jurisdiction",
                    f"{countries[country]} is under {profile.name} law: {fact.title} — "
                    f"{fact.summary}{verify}",
                    fact.source.ref(),
                    fact.source.published,
                )
            )
    if not evidence:
        return []
    return [
        Hit(
            f"{ctx.bidder_name} is subject to a legal regime that can compel cooperation "
            f"with state intelligence work",
            tuple(evidence),
        )
    ]
