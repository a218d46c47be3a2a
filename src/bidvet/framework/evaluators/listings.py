"""Restricted lists: the bidder's own listings, listings inherited through owners, and
procurement bans that reach a bidder by name or through ownership."""

from __future__ import annotations

import re

from pydantic import Field

from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit, SourceRef
from bidvet.framework.models import Reference
from bidvet.model.facts import ListingFact
from bidvet.ownership.report import inherited_listings


class ListParams(Params):
    #: list ids this criterion counts; empty = every list not in ``except_lists``
    lists: tuple[str, ...] = ()
    except_lists: tuple[str, ...] = ()

    def counts(self, list_id: str) -> bool:
        if list_id in self.except_lists:
            return False
        return not self.lists or list_id in self.lists


def _listing_text(name: str, lst: ListingFact) -> str:
    since = f" since {lst.start.isoformat()}" if lst.start else " (start date not published)"
    program = f", program {lst.program}" if lst.program else ""
    reason = f": {lst.reason}" if lst.reason else ""
    return f"{name} is on the {lst.list_name} ({lst.list_id}{program}){since}{reason}"


@evaluator("direct_listing", ListParams)
def direct_listing(ctx: EvalContext, params: ListParams) -> list[Hit]:
    """The bidder itself is on one of the named restricted lists on the as-of date.

    Looks up every listing of the resolved entity whose start date (or, when the list publishes
    none, the date bidvet first saw it) is on or before the as-of date and which had not ended
    or been delisted by then. A listing that starts after the as-of date is not counted: an
    assessment "as of" a past date sees only what was in force then.
    """
    if ctx.entity is None:
        return []
    hits = []
    for lst in ctx.listings(ctx.entity.id):
        if not params.counts(lst.list_id):
            continue
        text = _listing_text(ctx.entity.caption, lst)
        hits.append(
            Hit(text, (Evidence("listing", text, lst.source, lst.start, (ctx.entity.id,)),))
        )
    return hits


class InheritedParams(ListParams):
    #: ownership regimes whose result counts (``us_ofac``, ``eu``, ``uk``,
    #: ``us_bis_affiliates`` as ``data/ownership_rules.yaml`` names them); empty = all
    regimes: tuple[str, ...] = ()
    #: count only regimes in force on the as-of date (not suspended, not yet to come)
    in_force_only: bool = False


@evaluator("inherited_listing", InheritedParams)
def inherited_listing(ctx: EvalContext, params: InheritedParams) -> list[Hit]:
    """The bidder is treated as listed because listed owners hold enough of it.

    Asks the ownership engine (``bidvet.ownership.report.inherited_listings``) which list entries
    reach the bidder through its owners under each propagation regime on the as-of date: the US
    OFAC 50 % rule (≥ 50 % in aggregate, blocked intermediaries pass their full stake), the EU
    test (> 50 % aggregated, or control), the UK test (> 50 %, not aggregated unless acting
    jointly) and the BIS affiliates rule. Each hit names the regime, the listed owner, the list,
    the aggregate listed share and the ownership path. A regime that is suspended or not yet in
    effect on the as-of date is reported as a risk flag, not a legal bar, and is left out when
    ``in_force_only`` is set.
    """
    if ctx.entity is None or ctx.store is None:
        return []
    hits = []
    for row in inherited_listings(ctx.store, ctx.entity.id, ctx.as_of):
        list_id = str(row["list_id"])
        regime = str(row["regime"])
        if not params.counts(list_id) or (params.regimes and regime not in params.regimes):
            continue
        in_force = bool(row.get("rule_in_force", True))
        if params.in_force_only and not in_force:
            continue
        share = row.get("aggregate_share")
        share_text = (
            f"; listed owners hold {float(share) * 100:g} % in aggregate"
            if isinstance(share, int | float)
            else ""
        )
        flag = (
            ""
            if in_force
            else (
                " (the rule is suspended or not in effect on the as-of date: a risk flag, not a "
                "legal bar)"
            )
        )
        text = (
            f"{ctx.entity.caption} is treated as listed on the {row['list_name']} under the "
            f"{regime} regime through its owner {row['owner_name']}{share_text}{flag}"
        )
        path = tuple(str(p) for p in row.get("path") or ())
        source = SourceRef(str(row.get("rule") or regime), row.get("source_url"))
        hits.append(Hit(text, (Evidence("listing", text, source, None, path or None),)))
    return hits


class Ban(Params):
    id: str
    title: str
    names: list[str] = Field(min_length=1)
    covers_affiliates: bool = True
    source: Reference


class BanParams(Params):
    bans: list[Ban] = Field(min_length=1)


def _tokens(name: str) -> list[str]:
    return re.findall(r"[0-9a-z\u00c0-\uffff]+", name.casefold())


def _contains(name: str, banned: str) -> bool:
    hay, needle = _tokens(name), _tokens(banned)
    if not needle:
        return False
    return any(hay[i : i + len(needle)] == needle for i in range(len(hay) - len(needle) + 1))


@evaluator("procurement_ban", BanParams)
def procurement_ban(ctx: EvalContext, params: BanParams) -> list[Hit]:
    """The bidder is covered by a statutory procurement ban (Section 889-style).

    Some laws bar buying equipment from named companies *and their subsidiaries and
    affiliates* (e.g. NDAA FY2019 s.889: Huawei, ZTE, Hytera, Hikvision, Dahua). A ban reaches a
    bidder when the bidder's name (or a name of its resolved entity) contains a banned name, or
    when any owner above it on the as-of date does. The banned names and their legal source are
    cited data in the framework file.
    """
    names = [ctx.bidder_name, *(ctx.entity.names if ctx.entity else ())]
    hits = []
    for ban in params.bans:
        source = SourceRef(ban.source.title, ban.source.url)
        evidence = []
        for banned in ban.names:
            own = next((n for n in names if _contains(n, banned)), None)
            if own is not None:
                evidence.append(
                    Evidence(
                        "listing",
                        f"the bidder's name {own!r} contains the banned name {banned!r}",
                        source,
                    )
                )
            if not ban.covers_affiliates:
                continue
            for link in ctx.chain:
                owner = ctx.entity_facts(link.owner_id)
                owner_names = owner.names if owner else (link.owner_id,)
                match = next((n for n in owner_names if _contains(n, banned)), None)
                if match is not None:
                    evidence.append(
                        Evidence(
                            "ownership",
                            f"owner {match!r} ({banned}) holds the bidder: {ctx.path_text(link)}",
                            source,
                            None,
                            link.path,
                        )
                    )
        if evidence:
            hits.append(Hit(f"{ctx.bidder_name} falls under {ban.title}", tuple(evidence)))
    return hits
