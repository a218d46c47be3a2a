"""yente's ``POST /match/{dataset}``, so existing yente clients screen against bidvet unchanged.

Request and response follow yente's shapes (``EntityMatchQuery`` → ``EntityMatchResponse``):
``{"queries": {key: {"schema", "properties"}}}`` with query parameters ``limit``,
``threshold`` and ``algorithm``; per key ``{"status", "results", "total", "query"}``, each result
an FtM entity (``id``, ``caption``, ``schema``, ``properties``, ``datasets``, ``referents``) with
``score``, ``match`` (score ≥ threshold), ``features`` (name → score, the older field) and
``explanations`` (name → ``{"score", "detail"}``, the newer one).

What bidvet does with a query: every ``name`` is screened by the screening engine with the first
``country``/``jurisdiction`` and the identifier properties (``registrationNumber``, ``leiCode``,
``innCode`` … as in ``identifier_schemes.yaml``); the best score per entity is kept. A Person
query returns people, any other schema returns non-people. ``dataset`` is ``default`` (every
dataset in the store) or one dataset's name. bidvet has one scorer: ``algorithm`` accepts
yente's names for compatibility and answers with the same scores. Bearer tokens only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from followthemoney import model
from pydantic import BaseModel, ConfigDict, Field

from bidvet.model.facts import EntityFacts
from bidvet.screening.config import default_policy
from bidvet.screening.engine import Match, Screener
from bidvet.sources.identifiers import scheme_codes
from bidvet.web.api_auth import ANY_SCOPE, ApiError, Caller, token_allow
from bidvet.web.state import state

router = APIRouter(tags=["yente matching"])
AnyToken = Annotated[Caller, Depends(token_allow(*ANY_SCOPE))]
#: yente's algorithm names, accepted for compatibility (bidvet scores with its own engine)
ALGORITHMS = frozenset(
    {"best", "default", "bidvet", "logic-v1", "logic-v2", "name-based", "name-qualified",
     "regression-v1", "regression-v2", "regression-v3"}
)  # fmt: skip
MAX_QUERIES = 100
MAX_LIMIT = 100
COUNTRY_PROPS = ("country", "jurisdiction", "nationality", "citizenship", "mainCountry")
FEATURE = "bidvet_name_match"


class EntityExample(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str | None = None
    schema_: str = Field(alias="schema", examples=["Company"])
    properties: dict[str, str | list[Any]] = Field(examples=[{"name": ["Kestrel Imaging Ltd"]}])


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    queries: dict[str, EntityExample]


class FeatureResult(BaseModel):
    score: float
    detail: str | None


class ScoredEntity(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    target: bool
    #: yente's dates of the record in its index; bidvet keeps no such dates for an entity
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None
    score: float
    match: bool
    features: dict[str, float]
    explanations: dict[str, FeatureResult]


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntity]
    total: TotalSpec
    query: EntityExample


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    limit: int


def _values(props: dict[str, str | list[Any]], name: str) -> list[str]:
    raw = props.get(name, [])
    items = raw if isinstance(raw, list) else [raw]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


def _is_person(schema: str) -> bool:
    found = model.get(schema)
    return found is not None and found.is_a("Person")


def _properties(facts: EntityFacts, prop_of: dict[str, str]) -> dict[str, list[str]]:
    props: dict[str, list[str]] = {"name": list(facts.names)}
    if facts.countries:
        props["country"] = list(facts.countries)
    if facts.topics:
        props["topics"] = list(facts.topics)
    for scheme, value in facts.identifiers:
        prop = prop_of.get(scheme)
        if prop is not None:
            props.setdefault(prop, []).append(value)
    return props


def _run_query(
    screener: Screener, example: EntityExample, limit: int
) -> tuple[EntityExample, list[Match]]:
    schema = model.get(example.schema_)
    if schema is None:
        raise ApiError(400, f"Cannot parse example entity: unknown schema {example.schema_!r}")
    props = example.properties
    names = _values(props, "name")
    if not names:
        raise ApiError(400, "Cannot parse example entity: it has no name property")
    countries = [c.lower() for p in COUNTRY_PROPS for c in _values(props, p)]
    codes = scheme_codes("ftm")
    identifiers = [v for prop in codes for v in _values(props, prop)]
    best: dict[str, Match] = {}
    for name in names:
        for m in screener.screen(
            name, country=countries[0] if countries else None, identifiers=identifiers,
            limit=limit * 3,
        ):  # fmt: skip
            if m.entity_id not in best or m.score > best[m.entity_id].score:
                best[m.entity_id] = m
    echoed: dict[str, str | list[Any]] = {"name": names}
    if countries:
        echoed["country"] = sorted(set(countries))
    for prop in codes:
        if _values(props, prop):
            echoed[prop] = _values(props, prop)
    query = EntityExample(id=example.id, schema=schema.name, properties=echoed)
    return query, sorted(best.values(), key=lambda m: (-m.score, m.entity_id))


@router.post("/match/{dataset}", response_model=EntityMatchResponse, response_model_by_alias=True)
def match(
    request: Request,
    response: Response,
    caller: AnyToken,
    dataset: str,
    body: EntityMatchQuery,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 5,
    threshold: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    algorithm: Annotated[str, Query(max_length=40)] = "best",
) -> EntityMatchResponse:
    """Match FtM entity examples (yente's query-by-example), best first per query key."""
    if algorithm not in ALGORITHMS:
        raise ApiError(400, f"Invalid algorithm {algorithm!r}: use one of {sorted(ALGORITHMS)}")
    if not body.queries:
        raise ApiError(400, "No queries provided.")
    if len(body.queries) > MAX_QUERIES:
        raise ApiError(400, f"Too many queries in one batch (limit: {MAX_QUERIES})")
    cut = default_policy().scoring.threshold if threshold is None else threshold
    store = state(request).store
    with store.view() as view:
        known = {snap.dataset for snap in view.snapshots()}
    if dataset != "default" and dataset not in known:
        raise ApiError(404, f"no dataset {dataset!r}: use 'default' or one of {sorted(known)}")
    screener = Screener(store)
    found = {key: _run_query(screener, ex, limit) for key, ex in body.queries.items()}
    ids = {m.entity_id for _, ms in found.values() for m in ms}
    prop_of = {scheme: prop for prop, scheme in reversed(scheme_codes("ftm").items())}
    with store.view() as view:
        facts = view.entities(ids)
        clusters = view.clusters(ids)
    responses: dict[str, EntityMatches] = {}
    for key, (query, matches) in found.items():
        person = _is_person(query.schema_)
        results: list[ScoredEntity] = []
        for m in matches:
            f = facts.get(m.entity_id)
            if f is None or _is_person(f.schema) != person:
                continue
            if dataset != "default" and f.dataset != dataset:
                continue
            detail = "; ".join(m.explanation) or None
            results.append(
                ScoredEntity(
                    id=f.id,
                    caption=f.caption,
                    schema=f.schema,
                    properties=_properties(f, prop_of),
                    datasets=[f.dataset],
                    referents=[x for x in clusters[f.id].members if x != f.id],
                    target=bool(m.lists),
                    score=m.score,
                    match=m.score >= cut,
                    features={FEATURE: m.score},
                    explanations={FEATURE: FeatureResult(score=m.score, detail=detail)},
                )
            )
        responses[key] = EntityMatches(
            results=results[:limit], total=TotalSpec(value=len(results)), query=query
        )
    response.headers["x-batch-size"] = str(len(responses))
    return EntityMatchResponse(responses=responses, limit=limit)
