"""Writing to the OpenSearch index: bulk requests of bounded size, retried, under the same
one-writer lock as the Whoosh backend (in ``index.path``, beside ingest's state).

Ids are the documents' relative paths and an upsert replaces the whole document, so a pass
that is run again, or resumed after a crash, writes the same documents and never doubles one.
A bulk request is acknowledged once the primary and its replicas hold it in their translog,
so a batch that returned is durable; :meth:`OpenSearchWriter.checkpoint` sends what is
buffered and refreshes, so the count is true and searches see it.

Retries of a pass share one budget (``retry_budget_seconds``): a shard that stays red or a
cluster that stays away ends the pass with one line in about that time, not minutes per batch.

Each commit numbers itself in the index's ``_meta`` (``norsearch_generations``, one counter
per ``ingest.id_prefix``), so ingest can tell a state that is not true to the cluster (a new
machine, a state folder lost or restored from a backup) and rebuild it from the index.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import TracebackType

from opensearchpy import helpers
from loguru import logger

from ..config import OpenSearchConfig
from ..document import Document
from ..errors import IndexVersionError, SearchIndexError
from ..lock import WriteLock
from ..permissions import DEFAULT_FILE_MODE
from .client import OpenSearchException, cluster_error, connect
from .mapping import MAPPING_VERSION, document_key, document_source, index_body

MAX_BATCH_BYTES = 10 * 1024 * 1024  # a bulk request stays well under the cluster's 100 MB limit
RETRYABLE = {429, 500, 502, 503, 504}  # load, and shards moving after a node left
BACKOFF_SECONDS = 1.0
GENERATIONS = "norsearch_generations"  # in the mapping's _meta: the last commit of each id prefix


class OpenSearchWriter:
    """Write to the index of ``config``; the lock is taken in ``path``. Creates the index
    (``created_because = "new index"``) when the cluster has none of that name.
    ``generation``: the last commit of the ids under ``id_prefix`` (0: none yet)."""

    def __init__(
        self,
        path: str | Path,
        config: OpenSearchConfig,
        lock_timeout: float = 30.0,
        file_mode: int = DEFAULT_FILE_MODE,
        id_prefix: str = "",
    ):
        self.path = Path(path)
        self._config = config
        self._prefix = id_prefix
        self._lock = WriteLock(self.path, lock_timeout, file_mode)
        self._actions: list[dict] = []
        self._open = True
        self._retried = 0.0  # seconds this pass has spent retrying, against retry_budget_seconds
        self.generation = 0
        try:
            self._client = connect(config)
            self.created_because = self._create_if_missing()
        except BaseException as error:
            self._lock.release()
            if isinstance(error, OpenSearchException):
                raise cluster_error(config, error) from None
            raise

    def _create_if_missing(self) -> str | None:
        name = self._config.index
        if not self._client.indices.exists(index=name):
            self._client.indices.create(index=name, body=index_body(self._config))
            logger.info("created OpenSearch index {}", name)
            return "new index"
        meta = self._meta()
        version = meta.get("norsearch_mapping_version")
        if version != MAPPING_VERSION:
            raise IndexVersionError(
                f"OpenSearch index {name!r} has mapping version {version}, this norsearch needs "
                f"{MAPPING_VERSION}: delete the index (or set opensearch.index to a new name) and run ingest again"
            )
        self.generation = int(meta.get(GENERATIONS, {}).get(self._prefix, 0))
        return None

    def _meta(self) -> dict:
        name = self._config.index
        return self._client.indices.get_mapping(index=name)[name]["mappings"].get("_meta", {})

    def _next_generation(self) -> None:
        """Number the commit just made: ``generation + 1`` for this prefix in ``_meta`` (which a
        mapping update replaces whole, so the other prefixes' counters are read and kept; two
        machines committing at the same instant may undo one's number: its state then looks
        behind the cluster and is rebuilt from it, which costs time, not documents)."""
        meta = self._meta()
        generations = {**meta.get(GENERATIONS, {}), self._prefix: self.generation + 1}
        self._client.indices.put_mapping(index=self._config.index, body={"_meta": {**meta, GENERATIONS: generations}})
        self.generation += 1

    def _check_open(self) -> None:
        if not self._open:
            raise RuntimeError("this OpenSearchWriter was committed or cancelled")

    def upsert(self, doc: Document) -> None:
        """Add the document, replacing any with the same id (sent in batches of ``bulk_batch``)."""
        self._check_open()
        self._actions.append({"_op_type": "index", "_id": document_key(doc.id), "_source": document_source(doc)})
        if len(self._actions) >= self._config.bulk_batch:
            self._flush()

    def delete(self, doc_id: str) -> None:
        """Remove the document with this id, if there is one."""
        self._check_open()
        self._actions.append({"_op_type": "delete", "_id": document_key(doc_id)})
        if len(self._actions) >= self._config.bulk_batch:
            self._flush()

    def _flush(self) -> None:
        """Send the buffered actions; retry those the cluster could not take now (load, a
        node gone, a shard red), with backoff, up to ``retries`` times and while the pass's
        ``retry_budget_seconds`` last; else raise one line naming the first that failed."""
        pending, self._actions = self._actions, []
        started = time.monotonic()
        for attempt in range(self._config.retries + 1):
            failed = self._send(pending, self._config.retry_budget_seconds - self._retried_by(started)) if pending else []
            if not failed:
                break
            retry = [action for action, status, _reason in failed if status in RETRYABLE]
            final = [(action, status, reason) for action, status, reason in failed if status not in RETRYABLE]
            backoff = BACKOFF_SECONDS * 2**attempt
            spent = self._retried_by(started) + backoff
            if final or attempt == self._config.retries or spent >= self._config.retry_budget_seconds:
                action, status, reason = (final or failed)[0]
                why = "" if final else (
                    f" after {attempt} retries" if attempt == self._config.retries
                    else f" after {attempt} retries in {self._retried_by(started):.0f} s "
                    f"(opensearch.retry_budget_seconds = {self._config.retry_budget_seconds:g})"
                )
                raise SearchIndexError(
                    f"OpenSearch index {self._config.index!r}: {len(failed)} of the batch failed{why}, "
                    f"e.g. {action['_op_type']} {action['_id']!r}: {status} {reason}"
                )
            logger.warning("OpenSearch: {} of {} actions to retry ({})", len(retry), len(pending), failed[0][2])
            time.sleep(backoff)
            pending = retry
        if attempt:
            self._retried = self._retried_by(started)

    def _retried_by(self, started: float) -> float:
        """Seconds spent retrying in this pass, counting the batch that started at ``started``
        (its first send included: that is when a red shard is waited for)."""
        return self._retried + time.monotonic() - started

    def _send(self, actions: list[dict], budget: float) -> list[tuple[dict, int, str]]:
        """One pass of bulk requests, each waiting at most what is left of the ``budget``
        (seconds) for a shard to be there; the actions that failed, with status and reason.
        A delete of a document that is not there is no failure."""
        by_id = {(a["_op_type"], a["_id"]): a for a in actions}
        wait = max(1.0, min(budget, self._config.timeout_seconds))
        failed = []
        try:
            results = helpers.streaming_bulk(
                self._client, ({**a, "_index": self._config.index} for a in actions),
                chunk_size=self._config.bulk_batch, max_chunk_bytes=MAX_BATCH_BYTES,
                raise_on_error=False, raise_on_exception=False, max_retries=0,  # _flush retries, within the budget
                timeout=f"{wait:.0f}s", request_timeout=wait + 5,
            )
            for ok, item in results:
                (op_type, result), = item.items()
                if ok or (op_type == "delete" and result.get("status") == 404):
                    continue
                status = result.get("status")
                status = status if isinstance(status, int) else 503  # "N/A": the request itself failed
                error = result.get("error")
                reason = error.get("reason", error) if isinstance(error, dict) else error
                failed.append((by_id[(op_type, result["_id"])], status, str(reason)))
        except OpenSearchException as error:
            raise cluster_error(self._config, error) from None
        return failed

    def _refresh_and_count(self) -> int:
        try:
            self._client.indices.refresh(index=self._config.index)
            return int(self._client.count(index=self._config.index)["count"])
        except OpenSearchException as error:
            raise cluster_error(self._config, error) from None

    def checkpoint(self) -> int:
        """Send what is buffered, refresh and number the commit (:attr:`generation`);
        return the number of documents."""
        self._check_open()
        self._flush()
        count = self._refresh_and_count()
        try:
            self._next_generation()
        except OpenSearchException as error:
            raise cluster_error(self._config, error) from None
        return count

    def commit(self, *, release: bool = True) -> int:
        """Send what is buffered and refresh; release the lock unless ``release=False`` (then
        :meth:`release` does); return the number of documents."""
        try:
            return self.checkpoint()
        finally:
            self._close(release)

    def release(self) -> None:
        """Release the lock after ``commit(release=False)``; nothing when it is not held."""
        self._lock.release()

    def cancel(self) -> None:
        """Drop what is buffered and release the lock; batches already sent stay (the next
        pass writes them again by id)."""
        self._actions = []
        self._close()

    def _close(self, release: bool = True) -> None:
        if self._open:
            self._open = False
            self._client.close()
            if release:
                self._lock.release()

    def __enter__(self) -> OpenSearchWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._open:
            self.release()  # after commit(release=False)
            return
        if exc_type is None:
            self.commit()
        else:
            self.cancel()
