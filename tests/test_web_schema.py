"""Fuzzing the API from its own description: schemathesis generates requests from
``/openapi.json`` (valid and invalid parameters, odd ids) against the real server; no answer
may be a 5xx, and every answer must match the schema (status code, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from .webserver import corpus_server

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with corpus_server(tmp_path_factory.mktemp("schema")) as server:
        yield server


POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE


# Only the search has parameters that can be invalid (any id is a valid id; status takes none).
@pytest.mark.parametrize(
    ("operation", "mode"), [("search", POSITIVE), ("search", NEGATIVE), ("document", POSITIVE), ("status", POSITIVE)]
)
def test_api_answers_every_generated_request_within_its_schema(server, operation, mode):
    # The operations are fuzzed with schemathesis's Hypothesis strategy directly: its pytest
    # plugin (schema.parametrize) does not run under pytest 9 (Function._nodeid).
    api = schemathesis.openapi.from_url(server.url + "openapi.json")
    strategy = api.find_operation_by_id(operation).as_strategy(mode)

    @given(case=strategy)
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def answers_within_schema(case) -> None:
        case.call_and_validate(base_url=server.url.rstrip("/"), checks=CHECKS, timeout=30)

    answers_within_schema()
