"""The W3C Reconciliation Service API (versions 0.1 and 0.2) at ``/reconcile``, as OpenRefine
uses it to match a supplier list against the store.

* ``GET /reconcile``: the service manifest (``versions``, ``name``, ``identifierSpace``,
  ``schemaSpace``, ``defaultTypes``, ``view`` — an entity's workspace page — and
  ``authentication``).
* ``GET /reconcile?queries=…`` or ``POST /reconcile`` with the form field ``queries`` (what
  OpenRefine sends: ``queries={"q0": {"query": "…", "type": "Company", "limit": 3,
  "properties": [{"pid": "country", "v": "gb"}], "type_strict": "should"}, …}``) →
  ``{"q0": {"result": [{"id", "name", "type": [{"id", "name"}], "score", "match",
  "description"}]}, …}``.

Scores are the screening engine's, times 100 (OpenRefine's convention). ``match`` is true for a
result only when it is the one candidate of its query the engine calls a match, so OpenRefine's
auto-match never picks between two. Property ids are FtM property names: ``country`` (or
``jurisdiction``) narrows by country; identifier properties (``registrationNumber``,
``leiCode``…) are looked up exactly.

**Authentication.** Like every machine route it needs a bearer token
(``Authorization: Bearer <token>``, made on the My tokens page, ``reader`` scope is enough); the
manifest says so in its ``authentication`` member (reconciliation API 0.2). OpenRefine sends the
header when it is configured for the service; clients that cannot send headers cannot use it — a
token in the URL would end up in proxy and server logs.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from bidvet.screening.engine import Match, Screener
from bidvet.sources.identifiers import scheme_codes
from bidvet.web.api_auth import ANY_SCOPE, ApiError, Caller, token_allow
from bidvet.web.state import state

router = APIRouter(tags=["reconciliation"])
AnyToken = Annotated[Caller, Depends(token_allow(*ANY_SCOPE))]
TYPES = ("Company", "Organization", "LegalEntity", "Person")
MAX_QUERIES = 100
DEFAULT_LIMIT = 5
COUNTRY_PIDS = ("country", "jurisdiction", "nationality")


class PropertyValue(BaseModel):
    pid: str
    v: Any


class ReconQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    query: str = Field(min_length=1, max_length=300)
    type: str | list[str] | None = None
    limit: int | None = Field(None, ge=0, le=100)
    properties: list[PropertyValue] = Field(default_factory=list)
    type_strict: str | None = None


class ReconBatch(RootModel[dict[str, ReconQuery]]):
    pass


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def manifest(request: Request) -> dict[str, Any]:
    base = _base(request)
    return {
        "versions": ["0.1", "0.2"],
        "name": "bidvet workspace",
        "identifierSpace": f"{base}/entities/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "defaultTypes": [{"id": t, "name": t} for t in TYPES],
        "view": {"url": f"{base}/entities/{{{{id}}}}"},
        "documentation": f"{base}/api/v1/openapi.json",
        "batchSize": 10,
        "authentication": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Bearer <token>: a bidvet API token (My tokens page)",
        },
    }


def _values(v: Any) -> list[str]:
    items = v if isinstance(v, list) else [v]
    out = []
    for item in items:
        if isinstance(item, dict):  # an already reconciled value: {"id": …, "name": …}
            item = item.get("id") or item.get("name")
        if item is not None and str(item).strip():
            out.append(str(item).strip())
    return out


def _type_of(query: ReconQuery) -> str | None:
    wanted = query.type[0] if isinstance(query.type, list) and query.type else query.type
    return wanted if isinstance(wanted, str) and wanted else None


def _screen(screener: Screener, query: ReconQuery) -> list[Match]:
    idents: list[str] = []
    countries: list[str] = []
    id_props = scheme_codes("ftm")
    for p in query.properties:
        if p.pid in COUNTRY_PIDS:
            countries.extend(c.lower() for c in _values(p.v))
        elif p.pid in id_props:
            idents.extend(_values(p.v))
    return screener.screen(
        query.query,
        country=countries[0] if countries else None,
        identifiers=idents,
        limit=(query.limit or DEFAULT_LIMIT) * 2,
    )


def _answer(query: ReconQuery, found: list[Match], schemata: dict[str, str]) -> dict[str, Any]:
    wanted = _type_of(query)
    results = []
    for m in found:
        schema = schemata.get(m.entity_id, "LegalEntity")
        if wanted == "Person" and schema != "Person":
            continue
        if wanted in ("Company", "Organization", "LegalEntity") and schema == "Person":
            continue
        results.append(
            {
                "id": m.entity_id,
                "name": m.caption,
                "type": [{"id": schema, "name": schema}],
                "score": round(m.score * 100, 2),
                "match": m.match,
                "description": "; ".join(str(x["list_name"]) for x in m.lists) or "on no list",
            }
        )
    results = results[: query.limit or DEFAULT_LIMIT]
    matched = [r for r in results if r["match"]]
    for r in results:
        r["match"] = len(matched) == 1 and r is matched[0]
    return {"result": results}


def _reconcile(request: Request, queries: str) -> Response:
    try:
        batch = ReconBatch.model_validate(json.loads(queries))
    except (ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise ApiError(400, f"queries is not a reconciliation query batch: {first}") from None
    if len(batch.root) > MAX_QUERIES:
        raise ApiError(400, f"Too many queries in one batch (limit: {MAX_QUERIES})")
    store = state(request).store
    screener = Screener(store)
    found = {key: _screen(screener, query) for key, query in batch.root.items()}
    with store.view() as view:
        schemata = view.schemata({m.entity_id for ms in found.values() for m in ms})
    return JSONResponse(
        {key: _answer(query, found[key], schemata) for key, query in batch.root.items()}
    )


@router.get("/reconcile")
def reconcile_get(
    request: Request,
    caller: AnyToken,
    queries: Annotated[str | None, Query(max_length=200_000)] = None,
) -> Response:
    """The service manifest, or the answers to ``queries`` (a JSON query batch)."""
    if queries:
        return _reconcile(request, queries)
    return JSONResponse(manifest(request))


@router.post("/reconcile")
def reconcile_post(
    request: Request,
    caller: AnyToken,
    queries: Annotated[str, Form(max_length=2_000_000)],
) -> Response:
    """Answer a batch of reconciliation queries sent as the form field ``queries``."""
    return _reconcile(request, queries)
