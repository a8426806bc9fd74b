"""The ASGI application: routes, the access token, security headers, JSON errors.

Every response carries a Content-Security-Policy that allows scripts, styles and images from
this server only (no inline script: the page's JavaScript is ``static/app.js``) and
``X-Content-Type-Options: nosniff``. A server with ``serve.token`` answers 401 to any request
without ``Authorization: Bearer TOKEN`` (compared in constant time). Errors are
``{"error": "..."}`` under ``/api/`` and the page with the message elsewhere; nothing a
client sends yields a traceback.
"""

from __future__ import annotations

import hmac
import json
import os
from pathlib import Path

from loguru import logger
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Config, load_config
from ..errors import QueryError, SearchIndexError
from ..logs import setup_logging
from .backend import Busy
from .openapi import openapi
from .params import BadRequest
from .views import DocumentNotFound, document, is_api, make_site, page, search, search_context, status

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

# How ``search --serve`` hands the configuration to worker processes (uvicorn starts them anew).
ARGS_VARIABLE = "NORSEARCH_SERVE_ARGS"


class Guard:
    """ASGI middleware: the access token (if any) on every request, security headers on every response."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        if self.token and not self._authorised(dict(scope["headers"]).get(b"authorization", b"")):
            response = JSONResponse(
                {"error": "missing or wrong access token (send Authorization: Bearer TOKEN)"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
            await response(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)

    def _authorised(self, header: bytes) -> bool:
        """Bytes as sent (a token may hold any UTF-8), compared in constant time."""
        scheme, _, given = header.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token)


def error(request: Request, status_code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """``{"error": message}`` for the API, the search page with the message for people."""
    if is_api(request) or request.method not in ("GET", "HEAD"):
        return JSONResponse({"error": message}, status_code=status_code, headers=headers)
    shown = f"{_NORWEGIAN.get(status_code, 'Feil')} ({message})"
    return page(request, "search.html", search_context(request, None, error=shown), status_code, headers)


# What the page says before the (English, technical) message of an error.
_NORWEGIAN = {
    400: "Søket kan ikke kjøres",
    404: "Fant ikke det du ba om",
    503: "Søket er ikke tilgjengelig akkurat nå; prøv igjen om litt",
}


async def _bad_request(request: Request, exc: Exception) -> Response:
    return error(request, 400, str(exc))


async def _not_found(request: Request, exc: Exception) -> Response:
    return error(request, 404, str(exc))


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "no such page", 405: f"method {request.method} not allowed (only GET)"}
    return error(request, exc.status_code, messages.get(exc.status_code, exc.detail), dict(exc.headers or {}))


async def _unavailable(request: Request, exc: Exception) -> Response:
    """No index yet, one being rebuilt, or every search thread busy: worth retrying."""
    logger.warning("{}: {}", request.url.path, exc)
    return error(request, 503, str(exc), {"Retry-After": "1" if isinstance(exc, Busy) else "10"})


async def _internal(request: Request, exc: Exception) -> Response:
    logger.opt(exception=exc).error("{} {}: unexpected error", request.method, request.url.path)
    return JSONResponse({"error": "internal error (logged on the server)"}, status_code=500, headers=SECURITY_HEADERS)


def create_app(config: Config) -> Starlette:
    """The application over ``config.index.path`` with ``config.serve``'s token and caps."""
    site = make_site(config)
    spec = json.dumps(openapi(site.params, bool(config.serve.token)), ensure_ascii=False)

    async def openapi_json(request: Request) -> Response:
        return Response(spec, media_type="application/json")

    app = Starlette(
        routes=[
            Route("/", search),
            Route("/api/search", search),
            Route("/documents/{doc_id:path}", document),
            Route("/api/documents/{doc_id:path}", document),
            Route("/api/status", status),
            Route("/openapi.json", openapi_json),
            Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static"),
        ],
        middleware=[Middleware(Guard, token=config.serve.token)],
        exception_handlers={
            BadRequest: _bad_request,
            QueryError: _bad_request,
            DocumentNotFound: _not_found,
            HTTPException: _http,
            SearchIndexError: _unavailable,
            Exception: _internal,
        },
    )
    app.state.site = site
    return app


def app_from_environment() -> Starlette:
    """uvicorn's factory in each worker process: the configuration ``search --serve`` validated."""
    args = json.loads(os.environ[ARGS_VARIABLE])
    config = load_config(args["config"], args["overrides"])
    setup_logging(config.logging)
    return create_app(config)
