"""The handlers: each answers its page and its API route from the same data (Datasette's way).

``/`` and ``/api/search`` run one search; ``/documents/{id}`` and ``/api/documents/{id}`` look
one document up by id in the index (never a path on disk); ``/api/status`` says what
``ingest status --json`` says. A route under ``/api/`` answers JSON, any other the page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from ..cli import results_json
from ..config import Config, ServeConfig
from ..errors import QueryError, SearchIndexError
from ..limits import QueryLimits
from ..whoosh.searcher import SearchResults
from ..status import status_of
from .backend import IndexHolder, Pool
from .params import Param, parse_params, search_params

LANGUAGES = {"nb": "Bokmål", "nn": "Nynorsk", "other": "Annet"}

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=True,  # every document-derived text is escaped; no template marks anything safe
        undefined=jinja2.StrictUndefined,
    )
)


class DocumentNotFound(SearchIndexError):
    """No document with the id asked for (sent as 404)."""


@dataclass
class Site:
    """What every handler needs: the index, the pool, the parameters with their caps."""

    holder: IndexHolder
    pool: Pool
    params: tuple[Param, ...]
    default_limit: int
    max_query_chars: int
    serve: ServeConfig


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def document_url(doc_id: str, query: str | None = None) -> str:
    """The page of a document; with a query, its matches marked and the first one in view."""
    url = f"/documents/{quote(doc_id, safe='/')}"
    return f"{url}?q={quote(query, safe='')}#treff-1" if query else url


def page(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    context = {"languages": LANGUAGES, "document_url": document_url, **context}
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=headers)


async def search(request: Request) -> Response:
    site: Site = request.app.state.site
    if not is_api(request) and not request.query_params.get("q"):
        return page(request, "search.html", search_context(request, None))
    values = parse_params(site.params, request.query_params)
    limit = values["limit"] or min(site.default_limit, site.serve.max_limit)
    results = await site.pool.run(
        lambda: site.holder.get().search(
            values["q"],
            limit=limit,
            offset=values["offset"] or 0,
            since=values["since"],
            until=values["until"],
            language=values["language"],
            explain=values["explain"] == "true",
        )
    )
    if is_api(request):
        return JSONResponse(results_json(results))
    return page(request, "search.html", search_context(request, results, limit))


def search_context(request: Request, results: SearchResults | None, limit: int = 10, error: str | None = None) -> dict:
    """What the search page shows: the form as filled in, the hits, the facets, the pages."""

    def link(**changes: Any) -> str:
        """This page's URL with some parameters changed (``None``: removed), from its first hit."""
        params: dict[str, Any] = {k: v for k, v in request.query_params.items() if k != "offset"}
        params.update(changes)
        return "/?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    form = {name: request.query_params.get(name, "") for name in ("q", "since", "until", "language")}
    context: dict[str, Any] = {"form": form, "results": results, "error": error, "link": link, "pages": []}
    if results is not None:
        site: Site = request.app.state.site
        last_offset = min(results.total - 1, site.serve.max_offset)
        count = max(last_offset, 0) // limit + 1
        current = results.offset // limit + 1
        shown = sorted({1, count, *range(max(1, current - 2), min(count, current + 2) + 1)})
        context["pages"] = [(n, link(offset=(n - 1) * limit or None), n == current) for n in shown]
        context["previous"] = link(offset=(current - 2) * limit or None) if current > 1 else None
        context["next"] = link(offset=current * limit) if current < count else None
    return context


async def document(request: Request) -> Response:
    site: Site = request.app.state.site
    doc_id = request.path_params["doc_id"]
    query = request.query_params.get("q", "")[: site.max_query_chars]

    def look_up():
        ix = site.holder.get()
        doc = ix.get(doc_id)
        if doc is None:
            raise DocumentNotFound(f"no document with id {doc_id[:200]!r}")
        if is_api(request) or not query.strip():
            return doc, None
        try:
            return doc, ix.mark(doc, query)
        except QueryError:
            return doc, None  # a query that cannot be run marks nothing; the document still shows

    doc, marked = await site.pool.run(look_up)
    if is_api(request):
        return JSONResponse({**dataclasses.asdict(doc), "repairs": list(doc.repairs)})
    marks = sum(matched for fragment in marked.fragments for _text, matched in fragment) if marked else 0
    return page(request, "document.html", {"doc": doc, "marked": marked, "marks": marks, "query": query})


async def status(request: Request) -> Response:
    site: Site = request.app.state.site
    return JSONResponse(await site.pool.run(lambda: status_of(site.holder.get(), site.holder.path)))


def make_site(config: Config) -> Site:
    serve = config.serve
    return Site(
        holder=IndexHolder(
            config.index.path,
            title_boost=config.search.title_boost,
            snippet_chars=config.search.snippet_chars,
            limits=QueryLimits.of(config.search),
            config=config,
        ),
        pool=Pool(serve.threads, serve.busy_seconds),
        params=search_params(serve, config.search.limit, config.search.max_query_chars),
        default_limit=config.search.limit,
        max_query_chars=config.search.max_query_chars,
        serve=serve,
    )
