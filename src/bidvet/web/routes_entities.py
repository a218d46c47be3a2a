"""Entity search and entity pages (every role reads them).

Search runs :func:`bidvet.screen`, which returns one result per entity (records judged the same
legal person come back as one, with every member's listings). An entity page shows what the
store holds of one entity: names in every script, identifiers, listings with their dates and
source, owners (the ownership picture the reports draw), owned companies, people tied to it,
events, and every source those facts cite.

Both are kept per worker while the store's knowledge is unchanged (:mod:`bidvet.web.data_cache`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

import bidvet
from bidvet.dates import parse_as_of, today
from bidvet.model.facts import SourceRef
from bidvet.reports.svg import ownership_svg
from bidvet.resolution.clusters import not_in_force
from bidvet.store.db import Store
from bidvet.store.workspace import Session
from bidvet.web.app import page
from bidvet.web.auth import ALL_ROLES, allow
from bidvet.web.state import state

router = APIRouter()
Reader = Annotated[Session, Depends(allow(*ALL_ROLES))]
SEARCH_LIMIT = 10


@router.get("/entities")
def search(
    request: Request,
    sess: Reader,
    q: Annotated[str, Query(max_length=300)] = "",
    country: Annotated[str, Query(pattern=r"^([A-Za-z]{2})?$")] = "",
) -> Response:
    query = q.strip()
    results: list[dict[str, Any]] = []
    if query:
        st = state(request)
        code = country.lower() or None

        day = today()

        def screen() -> list[dict[str, Any]]:
            found = bidvet.screen(st.store, query, country=code, as_of=day, limit=SEARCH_LIMIT)
            later = not_in_force(st.store, found, day)
            return [{**m.to_json(), "not_in_force": later[m.entity_id]} for m in found]

        results = st.answers.get(st.store, ("search", query, code, day), screen)
    return page(
        request,
        "entities.html",
        {"q": query, "country": country, "results": results, "searched": bool(query)},
    )


def _cite(ref: SourceRef | None, seen: dict[tuple[str, str | None], dict[str, Any]]) -> None:
    if ref is None or not ref.title:
        return
    key = (ref.title, ref.url)
    if key not in seen:
        seen[key] = ref.to_json()


def _edge_source(title: str | None, url: str | None, published: dt.date | None) -> SourceRef:
    return SourceRef(title or "ownership record", url, published)


@router.get("/entities/{entity_id}")
def entity(
    request: Request,
    sess: Reader,
    entity_id: str,
    as_of: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    day = parse_as_of(as_of) if as_of else today()
    st = state(request)
    context = st.answers.get(
        st.store, ("entity", entity_id, day), lambda: _entity_page(st.store, entity_id, day)
    )
    return page(request, "entity.html", context)


def _entity_page(store: Store, entity_id: str, day: dt.date) -> dict[str, Any]:
    """What the entity page shows of ``entity_id`` as of ``day`` (404: no such entity)."""
    with store.view() as view:
        facts = view.entity(entity_id)
        if facts is None:
            raise HTTPException(404, f"no entity {entity_id}")
        fictional = bool(view.fictional_ids([entity_id]))
        listings = view.listings([entity_id])[entity_id]
        cluster = view.cluster(entity_id)
        owned = view.owned([entity_id], day)
        owner_edges = view.owners([entity_id], day)
        events = view.events([entity_id])
        others = {e.asset_id for e in owned} | {e.owner_id for e in owner_edges}
        others |= set(cluster.members)
        captions = view.captions(others)
    report = bidvet.owners(store, entity_id, as_of=day).to_json()
    svg = ownership_svg(report, subject_id=entity_id, subject_name=facts.caption)
    sources: dict[tuple[str, str | None], dict[str, Any]] = {}
    _cite(facts.source, sources)
    for listing in listings:
        _cite(listing.source, sources)
    for edge in (*owner_edges, *owned):
        _cite(_edge_source(edge.source, edge.source_url, edge.source_published), sources)
    for event in events:
        _cite(event.source, sources)
    return {
        "e": facts,
        "as_of": day.isoformat(),
        "fictional": fictional,
        "listings": listings,
        "today": day,
        "members": [(m, captions.get(m, m)) for m in cluster.members if m != entity_id],
        "owners": report,
        "svg": svg,
        "owned": [(edge, captions.get(edge.asset_id, edge.asset_id)) for edge in owned],
        "events": events,
        "sources": sorted(sources.values(), key=lambda s: (s["title"], s["url"] or "")),
    }
