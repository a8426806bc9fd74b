"""The OpenSearch client of both sides, from ``[opensearch]`` and the environment."""

from __future__ import annotations

import os

from ..config import OpenSearchConfig
from ..errors import SearchIndexError

try:
    from opensearchpy import OpenSearch
    from opensearchpy.exceptions import ConnectionError as _ConnectionError, OpenSearchException, TransportError
except ImportError:  # pragma: no cover - opensearch-py is a dependency; a broken install says so
    raise ImportError("the opensearch backend needs opensearch-py: pip install 'opensearch-py>=2.8,<4'") from None

__all__ = ["OpenSearchException", "TransportError", "connect", "cluster_error"]


def connect(config: OpenSearchConfig) -> OpenSearch:
    """A client for every host of the cluster: a request to a node that is gone goes to the
    next (``max_retries``), and credentials come from the variables the config names."""
    user, password = os.environ.get(config.username_env), os.environ.get(config.password_env)
    return OpenSearch(
        list(config.hosts),
        http_auth=(user, password) if user else None,
        verify_certs=config.verify_certs,
        ca_certs=str(config.ca_certs) if config.ca_certs else None,
        timeout=config.timeout_seconds,
        max_retries=max(len(config.hosts), 3),
        retry_on_timeout=True,
        retry_on_status=(502, 503, 504),
    )


def cluster_error(config: OpenSearchConfig, error: Exception) -> SearchIndexError:
    """One line a user can act on, for an error of the cluster or the way to it."""
    if isinstance(error, _ConnectionError):
        return SearchIndexError(f"OpenSearch at {', '.join(config.hosts)}: cannot connect ({error.info or error.error})")
    if isinstance(error, TransportError):
        return SearchIndexError(f"OpenSearch index {config.index!r}: {error.status_code} {error.error}")
    return SearchIndexError(f"OpenSearch index {config.index!r}: {error}")
