"""Request and response models of the JSON API (``/api/v1``), as documented by its OpenAPI."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MAX_NAMES = 100
MAX_FILES = 20


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScreenName(_Strict):
    name: str = Field(min_length=1, max_length=300, examples=["Kestrel Imaging Ltd"])
    #: the caller's own key for this name, echoed back
    id: str | None = Field(None, max_length=200, examples=["supplier-17"])
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", examples=["gb"])
    identifiers: list[str] = Field(default_factory=list, max_length=20)


class ScreenRequest(_Strict):
    names: list[ScreenName] = Field(min_length=1, max_length=MAX_NAMES)
    as_of: dt.date | None = Field(None, description="listings in force on this date (today)")
    limit: int = Field(5, ge=1, le=25)


class ScreenMatch(BaseModel):
    entity_id: str
    name: str
    caption: str
    score: float
    match: bool
    lists: list[dict[str, Any]]
    #: the entity's listings not in force on the as-of date, each with ``why``
    not_in_force: list[dict[str, Any]] = []
    explanation: list[str]
    fictional: bool


class ScreenResult(BaseModel):
    id: str | None
    name: str
    matches: list[ScreenMatch]


class ScreenResponse(BaseModel):
    as_of: dt.date
    results: list[ScreenResult]


class AssessRequest(_Strict):
    tender_yaml: str = Field(min_length=10, max_length=2_000_000, description="a tender/1 file")
    files: dict[str, str] = Field(
        default_factory=dict,
        max_length=MAX_FILES,
        description="files the tender names (knowledge, answers), by file name",
    )
    as_of: dt.date | None = Field(None, description="assess as of this date (today)")


class AssessResponse(BaseModel):
    report: dict[str, Any] = Field(description="the bidvet-assessment/1 report")
    report_sha256: str
    data_snapshot: str
    framework_sha256: str
    knowledge_loaded: list[str] = Field(description="knowledge files this call loaded")


class SignedBidder(BaseModel):
    bidder_id: str
    name: str
    framework_outcome: str
    outcome: str
    reason: str | None
    proposed_by: str
    proposed_at: str
    signed_by: str
    signed_at: str
    note: str | None
    signed_report_sha256: str
    data_snapshot: str
    framework_sha256: str


class DecisionResponse(BaseModel):
    case_id: int
    title: str
    assessment_id: int
    as_of: str
    report_sha256: str
    data_snapshot: str
    framework_sha256: str
    #: every bidder of the assessment has a signed decision
    complete: bool
    signed: list[SignedBidder]
    unsigned: list[str] = Field(description="bidder ids without a signed decision")
