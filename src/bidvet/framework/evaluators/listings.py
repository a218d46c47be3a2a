"""Restricted lists: the bidder's own listings, listings inherited through owners, and
procurement bans that reach a bidder by name or through ownership."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, model_validator

from bidvet.dates import in_window
from bidvet.framework.buyers import Binding as BuyerBinding
from bidvet.framework.context import EvalContext
from bidvet.framework.evaluators.registry import Params, evaluator
from bidvet.framework.findings import Evidence, Hit, SourceRef
from bidvet.framework.models import Reference
from bidvet.model.countries import country_name
from bidvet.model.facts import ListingFact
from bidvet.ownership.graph import UpwardLink
from bidvet.resolution.clusters import link_source, link_text, path_between
from bidvet.resolution.owners import screen_owners

Binding = Literal["any", "buyer", "foreign"]


class ListParams(Params):
    #: list ids this criterion counts; empty = every list not in ``except_lists``
    lists: tuple[str, ...] = ()
    except_lists: tuple[str, ...] = ()
    #: ``buyer``: only entries that are a legal bar for the tender's buyer (a list that binds
    #: its jurisdiction on the as-of date, see ``data/buyers.yaml``); ``foreign``: every other
    #: entry (foreign sanctions, export controls, military-company lists): risk signals;
    #: ``any``: both
    binding: Binding = "any"
    #: programmes whose entries never bind, whatever list carries them (e.g. ``CMIC-EO13959``:
    #: NS-CMIC entries are investment restrictions, not blocking sanctions)
    except_programs: tuple[str, ...] = ()

    def selected(self, list_id: str) -> bool:
        if list_id in self.except_lists:
            return False
        return not self.lists or list_id in self.lists

    def binding_of(self, ctx: EvalContext, lst_id: str, program: str) -> BuyerBinding | None:
        """The law that makes this entry a legal bar for the buyer, or ``None``."""
        if program in self.except_programs:
            return None
        return ctx.buyer_profile.binding(lst_id, ctx.as_of)

    def counts(self, ctx: EvalContext, list_id: str, program: str) -> bool:
        if not self.selected(list_id):
            return False
        if self.binding == "any":
            return True
        bound = self.binding_of(ctx, list_id, program) is not None
        return bound if self.binding == "buyer" else not bound


def _listing_text(name: str, lst: ListingFact) -> str:
    since = f" since {lst.start.isoformat()}" if lst.start else " (start date not published)"
    program = f", program {lst.program}" if lst.program else ""
    reason = f": {lst.reason}" if lst.reason else ""
    return f"{name} is on the {lst.list_name} ({lst.list_id}{program}){since}{reason}"


def _binding_note(ctx: EvalContext, params: ListParams, list_id: str, program: str) -> str:
    if params.binding == "any":
        return ""
    law = params.binding_of(ctx, list_id, program)
    buyer = ctx.buyer_profile.name
    if law is not None:
        return f"; a legal bar for a buyer in {buyer} ({law.source.title})"
    return f"; this list does not bind a buyer in {buyer}: a risk signal, not a legal bar"


def _binding_evidence(
    ctx: EvalContext, params: ListParams, list_id: str, program: str
) -> tuple[Evidence, ...]:
    law = params.binding_of(ctx, list_id, program) if params.binding == "buyer" else None
    if law is None:
        return ()
    text = f"{list_id} binds a buyer in {ctx.buyer_profile.name}: {law.source.title}"
    return (Evidence("jurisdiction", text, law.source.ref(), law.valid_from),)


def _cluster_listings(
    ctx: EvalContext, entity_id: str
) -> list[tuple[ListingFact, tuple[Evidence, ...]]]:
    """Listings of ``entity_id`` in force on the as-of date and those of the records judged
    the same legal person (its resolution cluster), each of the latter with the judgements
    linking the records as evidence."""
    rows = ctx.view.cluster_listings([entity_id], ctx.as_of)[entity_id]
    if all(r.entity_id == entity_id for r in rows):
        return [(r, ()) for r in rows]
    cluster = ctx.view.cluster(entity_id)
    names = ctx.view.captions(cluster.members)
    out = []
    for r in rows:
        links = path_between(cluster, entity_id, r.entity_id)
        out.append(
            (
                r,
                tuple(
                    Evidence(
                        "screening",
                        link_text(j, names),
                        link_source(j),
                        None,
                        (j.left_id, j.right_id),
                    )
                    for j in links
                ),
            )
        )
    return out


def _record_note(ctx: EvalContext, lst: ListingFact, entity_id: str) -> str:
    if lst.entity_id == entity_id:
        return ""
    return f" (under the record {ctx.caption(lst.entity_id)} [{lst.entity_id}], judged the same)"


@evaluator("direct_listing", ListParams)
def direct_listing(ctx: EvalContext, params: ListParams) -> list[Hit]:
    """The bidder itself is on one of the named restricted lists on the as-of date.

    Looks up every listing of the resolved entity whose start date (or, when the list publishes
    none, the date bidvet first saw it) is on or before the as-of date and which had not ended
    or been delisted by then. A listing that starts after the as-of date is not counted: an
    assessment "as of" a past date sees only what was in force then. With ``binding: buyer``
    only lists that are a legal bar for the tender's buyer count (``data/buyers.yaml`` names
    them per jurisdiction, with the law); with ``binding: foreign`` every other list does, as a
    risk signal.
    """
    if ctx.entity is None:
        return []
    hits = []
    for lst, link in _cluster_listings(ctx, ctx.entity.id):
        if not params.counts(ctx, lst.list_id, lst.program):
            continue
        text = (
            _listing_text(ctx.entity.caption, lst)
            + _record_note(ctx, lst, ctx.entity.id)
            + _binding_note(ctx, params, lst.list_id, lst.program)
        )
        evidence = (
            Evidence("listing", text, lst.source, lst.start, (ctx.entity.id,)),
            *link,
            *_binding_evidence(ctx, params, lst.list_id, lst.program),
        )
        hits.append(Hit(text, evidence))
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
    test (dated: > 50 % until 2024-07-02, ≥ 50 % aggregated from 2024-07-03, or control), the UK
    test (> 50 %, not aggregated unless acting jointly) and the BIS affiliates rule. Each hit
    names the regime, the listed owner, the list with its own date and source, the aggregate
    listed share and the ownership path (bidder first). An inherited listing is a legal bar for
    the buyer only when the list binds the buyer's jurisdiction *and* the regime that carried it
    down is that jurisdiction's own rule (``ownership_regimes`` in ``data/buyers.yaml``); a
    foreign regime's result is a risk signal. A regime that is suspended or not yet in effect on
    the as-of date is reported as a risk flag, not a legal bar, and is left out when
    ``in_force_only`` is set.
    """
    if ctx.entity is None or ctx.store is None:
        return []
    hits = []
    own_regimes = set(ctx.buyer_profile.ownership_regimes)
    for row in ctx.inherited_listings():
        list_id = str(row["list_id"])
        program = str(row.get("program") or "")
        regime = str(row["regime"])
        if not params.selected(list_id) or (params.regimes and regime not in params.regimes):
            continue
        in_force = bool(row.get("rule_in_force", True))
        if params.in_force_only and not in_force:
            continue
        law = params.binding_of(ctx, list_id, program)
        binds = law is not None and regime in own_regimes and in_force
        if (params.binding == "buyer" and not binds) or (params.binding == "foreign" and binds):
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
        if params.binding == "foreign":
            flag += f"; not a legal bar for a buyer in {ctx.buyer_profile.name}: a risk signal"
        text = (
            f"{ctx.entity.caption} is treated as listed on the {row['list_name']} under the "
            f"{regime} regime through its owner {row['owner_name']}{share_text}{flag}"
        )
        # the engine gives the path owner first; evidence reads bidder first
        path = tuple(reversed([str(p) for p in row.get("path") or ()]))
        start = row.get("listing_start")
        listing_source = SourceRef(
            str(row.get("listing_source_title") or row["list_name"]),
            row.get("source_url"),
            row.get("listing_source_published"),
        )
        since = f" since {start.isoformat()}" if isinstance(start, dt.date) else ""
        evidence = [
            Evidence(
                "listing",
                f"{row['owner_name']} is on the {row['list_name']}{since}",
                listing_source,
                start if isinstance(start, dt.date) else None,
                (str(row["owner_id"]),),
            ),
            Evidence(
                "ownership",
                f"the {regime} rule carries the listing down to {ctx.entity.caption}{share_text}",
                SourceRef(str(row.get("rule") or regime), row.get("rule_url")),
                None,
                path or None,
            ),
        ]
        if binds:
            evidence += _binding_evidence(ctx, params, list_id, program)
        hits.append(Hit(text, tuple(evidence)))
    return hits


class Ban(Params):
    """A statutory procurement ban: by banned names (and their affiliates), or by the country
    of the bidder and of owners holding more than ``owned_over`` of it (e.g. Art. 5k of
    Council Regulation (EU) 833/2014: Russian nationals, entities established in Russia, and
    entities more than 50 % owned by them)."""

    id: str
    title: str
    names: list[str] = []
    covers_affiliates: bool = True
    #: ISO alpha-2 countries (lower case) whose companies the ban covers
    countries: list[str] = []
    #: an owner in ``countries`` above this effective share brings the bidder under the ban
    owned_over: float | None = Field(default=None, ge=0.0, lt=1.0)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: Reference

    def in_force(self, on: dt.date) -> bool:
        return in_window(on, self.valid_from, self.valid_to)

    @model_validator(mode="after")
    def _what(self) -> Ban:
        if not self.names and not self.countries:
            raise ValueError(f"ban {self.id}: give names, countries or both")
        return self


class BanParams(Params):
    bans: list[Ban] = Field(min_length=1)
    #: ``buyer``: bans that bind the tender's buyer (``binding_bans`` in ``data/buyers.yaml``),
    #: a legal bar; ``foreign``: the others, a risk signal; ``any``: both
    binding: Binding = "any"


def _tokens(name: str) -> list[str]:
    return re.findall(r"[0-9a-z\u00c0-\uffff]+", name.casefold())


def _contains(name: str, banned: str) -> bool:
    hay, needle = _tokens(name), _tokens(banned)
    if not needle:
        return False
    return any(hay[i : i + len(needle)] == needle for i in range(len(hay) - len(needle) + 1))


def _name_evidence(ctx: EvalContext, ban: Ban, source: SourceRef) -> list[Evidence]:
    names = [ctx.bidder_name, *(ctx.entity.names if ctx.entity else ())]
    evidence = []
    for banned in ban.names:
        own = next((n for n in names if _contains(n, banned)), None)
        if own is not None:
            evidence.append(
                Evidence(
                    "listing",
                    f"the bidder's name {own!r} contains the banned name {banned!r}",
                    source,
                    ban.valid_from,
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
                        ban.valid_from,
                        link.path,
                    )
                )
    return evidence


def _effective_share(link: UpwardLink) -> float | None:
    """The share ``link``'s owner holds through this one path (product of the lower bounds), or
    ``None`` when a link on it publishes no share."""
    total = 1.0
    for edge in link.edges:
        bounds = edge.bounds()
        if bounds is None:
            return None
        total *= bounds[0]
    return total


def _country_evidence(ctx: EvalContext, ban: Ban, source: SourceRef) -> list[Evidence]:
    if not ban.countries:
        return []
    evidence = []
    own = set(ctx.entity.countries if ctx.entity else ()) | (
        {ctx.bidder_country} if ctx.bidder_country else set()
    )
    for country in sorted(own & set(ban.countries)):
        evidence.append(
            Evidence(
                "jurisdiction",
                f"the bidder is established in or a national of {country_name(country)}",
                source,
                ban.valid_from,
            )
        )
    if ban.owned_over is None:
        return evidence
    for link in ctx.chain:
        owner = ctx.entity_facts(link.owner_id)
        if owner is None or not set(owner.countries) & set(ban.countries):
            continue
        share = _effective_share(link)
        if share is None or share <= ban.owned_over:
            continue
        evidence.append(
            Evidence(
                "ownership",
                f"owner {owner.caption} ({', '.join(country_name(c) for c in owner.countries)}) "
                f"holds {share * 100:g} % of the bidder, more than "
                f"{ban.owned_over * 100:g} %: {ctx.path_text(link)}",
                source,
                ban.valid_from,
                link.path,
            )
        )
    return evidence


@evaluator("procurement_ban", BanParams)
def procurement_ban(ctx: EvalContext, params: BanParams) -> list[Hit]:
    """The bidder is covered by a statutory procurement ban.

    Some laws bar buying from named companies *and their subsidiaries and affiliates* (e.g. NDAA
    FY2019 s.889: Huawei, ZTE, Hytera, Hikvision, Dahua); others bar companies of a country and
    those owned by them (Art. 5k of Council Regulation (EU) 833/2014). A ban reaches a bidder
    when the bidder's name (or a name of its resolved entity) contains a banned name, or when an
    owner above it on the as-of date does; or when the bidder, or an owner holding more than the
    ban's share, is of a banned country. A ban counts only from the date it took effect. A ban
    is a legal bar only for buyers whose jurisdiction it binds (``binding_bans`` in
    ``data/buyers.yaml``); for any other buyer the same facts are a high-severity risk signal
    (``binding: foreign``). The banned names, countries and their legal source are cited data in
    the framework file.
    """
    hits = []
    profile = ctx.buyer_profile
    for ban in params.bans:
        if not ban.in_force(ctx.as_of):
            continue
        binds = profile.binds_ban(ban.id)
        if (params.binding == "buyer" and not binds) or (params.binding == "foreign" and binds):
            continue
        source = SourceRef(ban.source.title, ban.source.url, ban.valid_from)
        evidence = _name_evidence(ctx, ban, source) + _country_evidence(ctx, ban, source)
        if not evidence:
            continue
        where = (
            ""
            if params.binding == "any"
            else f"; a legal bar for a buyer in {profile.name}"
            if binds
            else f"; {ban.title} does not bind a buyer in {profile.name}: a risk signal, not a "
            "legal bar"
        )
        hits.append(Hit(f"{ctx.bidder_name} falls under {ban.title}{where}", tuple(evidence)))
    return hits


def _path_share(link: UpwardLink) -> str:
    if len(link.edges) == 1:
        return link.edges[0].share_text()
    share = _effective_share(link)
    return f"{share * 100:g} % through this path" if share is not None else "share not published"


@evaluator("listed_owner", ListParams)
def listed_owner(ctx: EvalContext, params: ListParams) -> list[Hit]:
    """An owner or controller of the bidder is on a list, at any share.

    Every owner above the bidder in force on the as-of date (direct or through intermediate
    companies, minority or majority, by shares, votes or control) is looked up on every list.
    Each listed owner is a finding with the list and its date, the share (or "share not
    published"), the ownership path, and whether a propagation rule (OFAC 50 %, EU, UK, BIS
    affiliates) carried the listing down to the bidder on that date — and if none did, why not
    (the share stays under the rule's threshold). A minority owner on a list is invisible to the
    50 % rules; it is not invisible here.
    """
    if ctx.entity is None or ctx.store is None or not ctx.chain:
        return []
    carried: dict[tuple[str, str], list[str]] = {}
    for row in ctx.inherited_listings():
        carried.setdefault((str(row["owner_id"]), str(row["list_id"])), []).append(
            str(row["regime"])
        )
    hits = []
    seen: set[tuple[str, str, str, str]] = set()
    for link in ctx.chain:
        for lst, same in _cluster_listings(ctx, link.owner_id):
            if not params.selected(lst.list_id):
                continue
            entry = (link.owner_id, lst.entity_id, lst.list_id, lst.program)
            if entry in seen:
                continue
            seen.add(entry)
            owner = ctx.caption(link.owner_id)
            regimes = carried.get((link.owner_id, lst.list_id), [])
            rule = (
                "carried down to the bidder under " + ", ".join(sorted(set(regimes)))
                if regimes
                else "no ownership rule carries this listing down to the bidder on this date "
                "(the listed share stays under every rule's threshold, or the list has no such "
                "rule): the listing does not reach the bidder by law, but the owner is listed"
            )
            text = (
                f"owner {owner} holds {ctx.entity.caption} ({_path_share(link)}) and is on the "
                f"{lst.list_name}"
                + (f" since {lst.start.isoformat()}" if lst.start else "")
                + _record_note(ctx, lst, link.owner_id)
                + f"; {rule}"
            )
            hits.append(
                Hit(
                    text,
                    (
                        Evidence(
                            "listing",
                            _listing_text(owner, lst),
                            lst.source,
                            lst.start,
                            (link.owner_id,),
                        ),
                        *same,
                        Evidence(
                            "ownership", ctx.path_text(link), link.edge.citation, None, link.path
                        ),
                    ),
                )
            )
    return hits


@evaluator("owner_name_match", ListParams)
def owner_name_match(ctx: EvalContext, params: ListParams) -> list[Hit]:
    """An owner's name matches a listed record that nobody has yet judged to be that owner.

    Every owner in the bidder's chain on the as-of date is screened by name (and country)
    against every record of the store (:mod:`bidvet.resolution.owners`). A strong match
    (``owner_match_score`` in ``data/resolution.yaml``, and a match at the screening threshold)
    on a record listed on the as-of date is a *possible* listing through that owner — never a
    certain one: the finding names the owner, the record, the match score and the lists, and
    asks a person to judge (``bidvet resolve judge OWNER RECORD positive|negative``). A positive
    judgement (or a link on a shared LEI/USCC) makes the listing the owner's own, reported by
    the listed-owner criterion with the judgement as evidence; a negative judgement silences
    the match.
    """
    if ctx.entity is None or ctx.store is None or not ctx.chain:
        return []
    owners = [link.owner_id for link in ctx.chain]
    by_owner = {link.owner_id: link for link in ctx.chain}
    matches = screen_owners(
        ctx.store, ctx.view, owners, ctx.as_of, exclude=[ctx.entity.id, *owners]
    )
    hits = []
    for m in matches:
        lists = [lst for lst in m.listings if params.selected(lst.list_id)]
        if not lists:
            continue
        state = (
            f"judged unsure by {m.judgement.by} on {m.judgement.at.date().isoformat()}"
            if m.judgement is not None
            else "not yet judged"
        )
        names = ", ".join(sorted({lst.list_name for lst in lists}))
        text = (
            f"possible listing through owner {m.owner_name} (match {m.score:.2f}, {state}): "
            f"the listed record {m.name} [{m.entity_id}] is on the {names}; a person must judge "
            f"whether it is the owner (bidvet resolve judge {m.owner_id} {m.entity_id} "
            "positive|negative --reason …) before it counts as a listing"
        )
        link = by_owner[m.owner_id]
        evidence = [
            Evidence(
                "screening",
                f"owner {m.owner_name} [{m.owner_id}] matches {m.name} [{m.entity_id}] by name, "
                f"score {m.score:.2f}: {'; '.join(m.explanation)}",
                ctx.data_source,
                None,
                (m.owner_id, m.entity_id),
            ),
            *(
                Evidence(
                    "screening",
                    "possible, not established: " + _listing_text(m.name, lst),
                    lst.source,
                    lst.start,
                    (m.entity_id,),
                )
                for lst in lists
            ),
            Evidence("ownership", ctx.path_text(link), link.edge.citation, None, link.path),
        ]
        hits.append(Hit(text, tuple(evidence)))
    return hits
