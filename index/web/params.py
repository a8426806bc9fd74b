"""The query parameters of the search endpoints: declared once, then both parsed from a
request and described in ``/openapi.json``, so the documentation cannot drift from the checks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..config import ServeConfig
from ..dates import PartialDate


class BadRequest(ValueError):
    """A request the server will not run; the message names the parameter (sent as a 400)."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "string" or "integer"
    description: str
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    pattern: str | None = None

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.kind}
        for key, value in (
            ("minimum", self.minimum),
            ("maximum", self.maximum),
            ("maxLength", self.max_length),
            ("pattern", f"^{self.pattern}$" if self.pattern else None),
        ):
            if value is not None:
                schema[key] = value
        if self.required:
            schema["minLength"] = 1
        return schema

    def parse(self, raw: str | None) -> Any:
        """The value of ``raw`` (``None`` or ``""``: not given), or :class:`BadRequest`."""
        if raw is None or raw == "":
            if self.required:
                raise BadRequest(f"{self.name}: required")
            return None
        if self.kind == "integer":
            if not re.fullmatch(r"[+-]?\d{1,12}", raw.strip()):
                raise BadRequest(f"{self.name}: expected a whole number, got {raw[:40]!r}")
            value = int(raw)
            if self.minimum is not None and value < self.minimum:
                raise BadRequest(f"{self.name}: must be at least {self.minimum}, got {value}")
            if self.maximum is not None and value > self.maximum:
                raise BadRequest(f"{self.name}: must be at most {self.maximum}, got {value}")
            return value
        if self.max_length is not None and len(raw) > self.max_length:
            raise BadRequest(f"{self.name}: longer than {self.max_length} characters")
        if self.pattern is not None and not re.fullmatch(self.pattern, raw):
            raise BadRequest(f"{self.name}: {raw[:40]!r} is not {self.description.split(':')[0].lower()}")
        return raw


_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"


def search_params(serve: ServeConfig, default_limit: int, max_query_chars: int) -> tuple[Param, ...]:
    """The parameters of ``/api/search`` (and of the page ``/``), with this server's caps;
    ``q`` has the library's own (``search.max_query_chars``), so the two never disagree."""
    return (
        Param("q", "string", "The query (syntax in the README)", required=True, max_length=max_query_chars),
        Param("limit", "integer", f"Hits per page (default {min(default_limit, serve.max_limit)})", minimum=1, maximum=serve.max_limit),
        Param("offset", "integer", "Hits to skip: the page's start", minimum=0, maximum=serve.max_offset),
        Param("since", "string", "A date YYYY, YYYY-MM or YYYY-MM-DD: only documents dated on or after it", pattern=_DATE),
        Param("until", "string", "A date YYYY, YYYY-MM or YYYY-MM-DD: only documents dated on or before it", pattern=_DATE),
        Param("language", "string", "A language code: only documents in it (nb, nn, other)", pattern=r"[a-z]{1,16}"),
        Param("explain", "string", "true: each hit with how its score adds up", pattern="true|false"),
    )


def parse_params(params: tuple[Param, ...], query: Mapping[str, str]) -> dict[str, Any]:
    """Every parameter's value (``None`` when not given); dates checked as real dates."""
    values = {param.name: param.parse(query.get(param.name)) for param in params}
    for name in ("since", "until"):
        if values.get(name) is not None:
            try:
                PartialDate.parse(values[name])
            except ValueError as error:
                raise BadRequest(f"{name}: {error}") from None
    return values
