"""The OpenSearch backend's pieces that need no cluster: our parsed query in query DSL, the
date range, the documents' date fields, and the ``[opensearch]`` configuration."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from index import Document, QueryError
from index.config import ConfigError, load_config
from index.opensearch.mapping import document_source, index_body
from index.opensearch.query import to_dsl
from index.opensearch.searcher import date_range
from index.search.query import build_parser, parse_query
from index.whoosh.schema import build_schema

from .test_query_fuzz import queries

PARSER = build_parser(build_schema(), 0.5)


def dsl(text: str) -> dict:
    return to_dsl(parse_query(PARSER, text), text)


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@settings(max_examples=300, deadline=None)
@given(queries)
def test_any_query_becomes_dsl_without_a_query_string_or_is_a_query_error(text):
    try:
        translated = dsl(text)
    except QueryError:
        return
    json.dumps(translated)
    assert not _keys(translated) & {"query_string", "simple_query_string"}


def test_a_phrase_keeps_its_stop_words():
    assert dsl('"fred i Ukraina"')["bool"]["should"][1] == {
        "match_phrase": {"text": {"query": "fred i Ukraina", "slop": 0, "boost": 1.0}}
    }


def test_words_go_as_typed_and_the_folded_field_only_without_aeoa():
    plain = dsl("Laerdal")["bool"]["should"][1]
    assert plain == {"bool": {"should": [
        {"match": {"text": {"query": "Laerdal", "boost": 1.0}}},
        {"match": {"text.folded": {"query": "Laerdal", "boost": 0.5}}},
    ]}}
    assert dsl("Lærdal")["bool"]["should"][1] == {"match": {"text": {"query": "Lærdal", "boost": 1.0}}}


def test_fields_operators_and_dates():
    assert dsl("date:2023-07") == {"term": {"date_prefixes": "2023-07"}}
    assert dsl("language:nn") == {"term": {"language": "nn"}}
    assert set(dsl("Ukraina NOT fred")["bool"]) == {"must", "must_not"}
    assert len(dsl("Ukraina AND fred")["bool"]["must"]) == 2
    assert dsl("samt*")["bool"]["should"][1] == {"prefix": {"text": {"value": "samt", "boost": 1.0}}}
    fuzzy = dsl("Zelenskyj~2")["bool"]["should"][1]["bool"]["should"][0]["match"]["text"]
    assert fuzzy["fuzziness"] == 2 and fuzzy["query"] == "zelenskyj"
    assert dsl("og i") == {"match_none": {}}


def test_date_range_is_each_documents_span_against_the_bounds():
    assert date_range("2023-07-14", None) == {"range": {"date_span": {"relation": "intersects", "gte": "2023-07-14"}}}
    assert date_range(None, "2023") == {"range": {"date_span": {"relation": "intersects", "lte": "2023-12-31"}}}
    assert date_range("2024-02", "2024-02")["range"]["date_span"] == {
        "relation": "intersects", "gte": "2024-02-01", "lte": "2024-02-29"
    }
    assert date_range(None, None) is None
    with pytest.raises(QueryError, match="after"):
        date_range("2024", "2023")
    with pytest.raises(QueryError, match="--since"):
        date_range("2023-13", None)


def test_a_documents_date_is_stored_as_the_days_it_may_mean():
    source = document_source(Document("a.txt", "/a.txt", "Tittel", "Tekst", "2023-07"))
    assert source["date_prefixes"] == ["2023", "2023-07"]
    assert source["date_span"] == {"gte": "2023-07-01", "lte": "2023-07-31"}
    assert "date_span" not in document_source(Document("b.txt", "/b.txt", "Tittel", "Tekst"))


def test_the_mapping_uses_our_stop_words_and_stemmer():
    body = index_body(load_config(environ={}).opensearch)
    analysis = body["settings"]["analysis"]
    assert {"og", "i", "hvem", "frå"} <= set(analysis["filter"]["norwegian_stop"]["stopwords"])
    assert analysis["filter"]["norwegian_snowball"] == {"type": "snowball", "language": "Norwegian"}
    assert analysis["analyzer"]["norwegian_folded"]["filter"][-2:] == ["scandinavian_folding", "norwegian_snowball"]


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"NORSEARCH__INDEX__BACKEND": "elastic"}, "index.backend"),
        ({"NORSEARCH__OPENSEARCH__HOSTS": '["127.0.0.1:9200"]'}, "opensearch.hosts"),
        ({"NORSEARCH__OPENSEARCH__HOSTS": "[]"}, "opensearch.hosts"),
        ({"NORSEARCH__OPENSEARCH__INDEX": "Norsearch"}, "opensearch.index"),
        ({"NORSEARCH__OPENSEARCH__INDEX": "a/b"}, "opensearch.index"),
        ({"NORSEARCH__OPENSEARCH__BULK_BATCH": "0"}, "opensearch.bulk_batch"),
        ({"NORSEARCH__OPENSEARCH__VERIFY_CERTS": '"no"'}, "opensearch.verify_certs"),
    ],
)
def test_bad_opensearch_settings_name_the_key(environ, named):
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        load_config(environ=environ)


def test_tls_verification_is_on_by_default():
    config = load_config(environ={})
    assert config.index.backend == "whoosh"
    assert config.opensearch.verify_certs is True and config.opensearch.ca_certs is None
