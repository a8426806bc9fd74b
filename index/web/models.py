"""The JSON the API answers with, as models: ``/openapi.json`` is generated from them, and the
tests check every response against it (schemathesis)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Hit(BaseModel):
    id: str
    path: str
    title: str
    date: str | None = Field(description="YYYY, YYYY-MM or YYYY-MM-DD: the document's own precision")
    language: str = Field(description="nb (Bokmål), nn (Nynorsk) or other")
    score: float
    snippet: str = Field(description="HTML: the text HTML-escaped, each match in <mark>")


class Facets(BaseModel):
    year: dict[str, int] = Field(description="matches per year, newest first, over all matches")
    language: dict[str, int] = Field(description="matches per language, most first, over all matches")


class SearchResponse(BaseModel):
    """What ``search --json`` prints, for the same query."""

    query: str
    total: int = Field(description="how many documents match in all")
    offset: int
    facets: Facets
    hits: list[Hit]


class DocumentResponse(BaseModel):
    id: str
    path: str
    title: str
    text: str
    date: str | None
    encoding: str
    repairs: list[str] = Field(description="what was done to the bytes: bom, mojibake, nfd, crlf, cr, truncated")
    size: int
    mtime_ns: int
    sha256: str
    language: str


class Pass(BaseModel):
    """The report of the last ingest pass, as ``ingest once --json`` prints it."""

    model_config = {"extra": "allow"}
    started_at: str
    seconds: float
    added: int
    updated: int
    deleted: int
    unchanged: int
    documents: int


class NextPass(BaseModel):
    at: str
    pid: int


class StatusResponse(BaseModel):
    """What ``ingest status --json`` prints."""

    index: str
    documents: int
    last_pass: Pass | None
    next_pass: NextPass | None


class ErrorResponse(BaseModel):
    error: str


MODELS = (SearchResponse, DocumentResponse, StatusResponse, ErrorResponse)
