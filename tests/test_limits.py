"""A query cannot cost without bound: too long, too many words from its patterns, or too much
time is one clear :class:`QueryError`, in the library, so every caller gets the limits."""

from __future__ import annotations

import pytest

from index import QueryError, QueryLimits, open_index
from index.config import load_config

from .test_cli import assert_one_line_error, search
from .test_search import ids, index_dir  # noqa: F401 - the fixture


@pytest.mark.parametrize("query", ["*", "**", "?*", "*sjon", "title:*", "fred OR *avtale"])
def test_a_pattern_that_reads_the_whole_vocabulary_is_refused(index_dir, query):
    with open_index(index_dir) as ix:
        with pytest.raises(QueryError, match="every word"):
            ix.search(query)


@pytest.mark.parametrize("query", ["[a TO z]", "f*", "Ukraina~2 OR Fred~2", "s* OR m*"])
def test_patterns_that_expand_past_max_expansions_are_refused(index_dir, query):
    """``f*`` expands to 1 title and 5 text terms, ``s*`` to 1 and 2, ``m*`` to 0 and 2, each
    fuzzy term to 1 or 2: all over 2 words together."""
    with open_index(index_dir, limits=QueryLimits(max_expansions=2)) as ix:
        with pytest.raises(QueryError, match="more than 2 words.*max_expansions"):
            ix.search(query)
    with open_index(index_dir) as ix:  # the default allows them on a small index
        assert ix.search(query).total > 0


def test_a_pattern_within_max_expansions_is_searched(index_dir):
    with open_index(index_dir, limits=QueryLimits(max_expansions=4)) as ix:
        assert ids(ix.search("Trom*")) == ["kultur/bok.txt"]


def test_a_query_longer_than_max_query_chars_is_refused(index_dir):
    with open_index(index_dir, limits=QueryLimits(max_query_chars=40)) as ix:
        assert ids(ix.search("Romanen om familien i Tromsø"))[0] == "kultur/bok.txt"
        with pytest.raises(QueryError, match="41 characters, more than 40"):
            ix.search("Romanen om familien i Tromsø som kom ut i")


def test_a_search_over_its_time_budget_stops_with_a_query_error(index_dir):
    with open_index(index_dir, limits=QueryLimits(time_budget_seconds=1e-9)) as ix:
        for query in ("Ukraina", "Ukra* NOT fred", '"fred mulig"'):
            with pytest.raises(QueryError, match="longer than 1e-09 s.*time_budget_seconds"):
                ix.search(query)


def test_the_limits_are_configured_under_search():
    config = load_config(environ={"NORSEARCH__SEARCH__MAX_EXPANSIONS": "10", "NORSEARCH__SEARCH__TIME_BUDGET_SECONDS": "0.5"})
    assert (config.search.max_query_chars, config.search.max_expansions, config.search.time_budget_seconds) == (
        1000,
        10,
        0.5,
    )


def test_search_refuses_an_expensive_query_in_one_line(index_dir, tmp_path):
    line = assert_one_line_error(search(tmp_path, "**", "--index", index_dir), "search")
    assert "every word" in line
    config = tmp_path / "limits.toml"
    config.write_text("[search]\nmax_query_chars = 10\n")
    line = assert_one_line_error(search(tmp_path, "hemmelige samtaler", "--index", index_dir, "--config", config), "search")
    assert "max_query_chars" in line
