"""The API's query parameters: any text a client sends is a value or a 400 naming the parameter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.config import load_config
from index.web.params import BadRequest, parse_params, search_params

CONFIG = load_config()
PARAMS = search_params(CONFIG.serve, default_limit=10, max_query_chars=CONFIG.search.max_query_chars)


def test_values_and_defaults():
    values = parse_params(PARAMS, {"q": "fred i Ukraina", "limit": "25", "offset": "100", "since": "2023-07", "language": "nn"})
    assert values == {"q": "fred i Ukraina", "limit": 25, "offset": 100, "since": "2023-07", "until": None, "language": "nn", "explain": None}
    assert parse_params(PARAMS, {"q": "fred", "limit": "", "until": ""})["limit"] is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "q: required"),
        ({"q": "fred", "limit": "1e3"}, "limit: expected a whole number, got '1e3'"),
        ({"q": "fred", "limit": "9" * 40}, "limit: expected a whole number"),
        ({"q": "fred", "offset": "10001"}, "offset: must be at most 10000, got 10001"),
        ({"q": "fred", "since": "2023-02-30"}, "since: day 30 does not exist in 2023-02"),
        ({"q": "fred", "until": "2023-7"}, "until: '2023-7' is not a date"),
        ({"q": "fred", "language": "Bokmål"}, "language: 'Bokmål' is not a language code"),
    ],
)
def test_bad_values_name_the_parameter(query, message):
    with pytest.raises(BadRequest) as caught:
        parse_params(PARAMS, query)
    assert str(caught.value).startswith(message)


@given(st.dictionaries(st.sampled_from([p.name for p in PARAMS] + ["other"]), st.text(max_size=1200)))
def test_any_text_is_a_value_or_a_bad_request(query):
    try:
        values = parse_params(PARAMS, query)
    except BadRequest as error:
        assert str(error).split(":")[0] in {p.name for p in PARAMS}
        assert "\n" not in str(error)
        return
    assert 1 <= len(values["q"]) <= 1000
    assert values["limit"] is None or 1 <= values["limit"] <= 100
    assert values["offset"] is None or 0 <= values["offset"] <= 10_000
