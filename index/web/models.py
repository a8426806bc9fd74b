"""The JSON the API answers with, as models: ``/openapi.json`` is generated from them, and the
tests check every response against it (schemathesis)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class WordScore(BaseModel):
    word: str = Field(description="a word (or clause) of the query, as typed")
    matched: list[str] = Field(description="its forms found in this document: inflections, compounds, æ/ø/å spellings")
    score: float = Field(description="its BM25 part of the score")


class Bonus(BaseModel):
    name: str = Field(description="proximity, exactforms or bestsentence")
    score: float


class Explain(BaseModel):
    """The parts of a hit's score: they add up to it (to 0.001)."""

    words: list[WordScore]
    bonuses: list[Bonus]


class Hit(BaseModel):
    id: str
    path: str
    title: str
    date: str | None = Field(description="YYYY, YYYY-MM or YYYY-MM-DD: the document's own precision")
    language: str = Field(description="nb (Bokmål), nn (Nynorsk) or other")
    score: float
    snippet: str = Field(description="HTML: the text HTML-escaped, each match in <mark>")
    explain: Explain | None = Field(None, description="with explain=true: how the score adds up")


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
