"""``/openapi.json``: OpenAPI 3.1 built from the response models (:mod:`.models`) and the
parameter table (:mod:`.params`) that the handlers themselves use."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from .models import MODELS, DocumentResponse, ErrorResponse, SearchResponse, StatusResponse
from .params import Param

_REF = "#/components/schemas/{model}"


def _json(model: type, description: str) -> dict[str, Any]:
    schema = {"$ref": _REF.format(model=model.__name__)}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    reasons = {
        400: "bad parameter: the message names it",
        401: "missing or wrong access token",
        404: "no such document",
        405: "only GET (and HEAD)",
        503: "busy (every search thread taken) or no index yet",
    }
    return {str(code): _json(ErrorResponse, reasons[code]) for code in codes}


def _parameter(param: Param) -> dict[str, Any]:
    return {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": param.description,
        "schema": param.schema(),
    }


def openapi(search_params: tuple[Param, ...], token_required: bool) -> dict[str, Any]:
    """The description of this server's API (with its caps and whether it needs a token)."""
    _, schemas = models_json_schema([(model, "serialization") for model in MODELS], ref_template=_REF)
    common = (401, 405, 503) if token_required else (405, 503)
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "norsearch", "version": "1", "description": "Norwegian full-text search over one index."},
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Ranked hits with snippets, and facet counts over all matches",
                    "operationId": "search",
                    "parameters": [_parameter(param) for param in search_params],
                    "responses": {"200": _json(SearchResponse, "the hits"), **_errors(400, *common)},
                }
            },
            "/api/documents/{id}": {
                "get": {
                    "summary": "One stored document, by id",
                    "operationId": "document",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": _json(DocumentResponse, "the document"), **_errors(404, *common)},
                }
            },
            "/api/status": {
                "get": {
                    "summary": "Documents, the last ingest pass and the next",
                    "operationId": "status",
                    "responses": {"200": _json(StatusResponse, "the status"), **_errors(*common)},
                }
            },
        },
        "components": {"schemas": schemas["$defs"]},
    }
    if token_required:
        spec["components"]["securitySchemes"] = {"token": {"type": "http", "scheme": "bearer"}}
        spec["security"] = [{"token": []}]
    return spec
