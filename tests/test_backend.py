"""``index.backend``: both engines meet the same contract, and the configuration picks one."""

from __future__ import annotations

import inspect

import pytest

from index.backend import DocumentWriter, SearchIndex, open_search_index, open_writer
from index.config import load_config
from index.opensearch.searcher import OpenSearchIndex
from index.opensearch.writer import OpenSearchWriter
from index.whoosh.searcher import Index
from index.whoosh.writer import IndexWriter


def _methods(protocol: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(protocol, inspect.isfunction) if not name.startswith("_")}


@pytest.mark.parametrize(
    ("protocol", "implementations"),
    [(DocumentWriter, (IndexWriter, OpenSearchWriter)), (SearchIndex, (Index, OpenSearchIndex))],
)
def test_every_backend_has_every_method_of_the_contract(protocol, implementations):
    for implementation in implementations:
        for name in _methods(protocol) | {"__enter__", "__exit__"}:
            ours = inspect.signature(getattr(implementation, name))
            assert list(ours.parameters) == list(inspect.signature(getattr(protocol, name)).parameters), (
                implementation, name)


def test_the_default_backend_is_whoosh_in_the_index_folder(tmp_path):
    config = load_config(environ={})
    with open_writer(tmp_path / "index", config) as writer:
        assert isinstance(writer, IndexWriter) and writer.created_because == "new index"
    with open_search_index(tmp_path / "index", config) as ix:
        assert isinstance(ix, Index) and ix.count() == 0


def test_opensearch_is_chosen_by_the_configuration_alone(tmp_path):
    """With nothing listening, the OpenSearch writer says so in one line and frees the lock."""
    from index import SearchIndexError

    config = load_config(environ={"NORSEARCH__INDEX__BACKEND": "opensearch",
                                  "NORSEARCH__OPENSEARCH__HOSTS": '["http://127.0.0.1:9"]'})
    with pytest.raises(SearchIndexError, match="cannot connect"):
        open_writer(tmp_path / "state", config)
    with pytest.raises(SearchIndexError, match="cannot connect"):
        open_search_index(tmp_path / "state", config)
    assert sorted(p.name for p in (tmp_path / "state").iterdir()) == ["norsearch.lock"]
    with open_writer(tmp_path / "state", load_config(environ={}), lock_timeout=0.1):
        pass  # the lock was released
