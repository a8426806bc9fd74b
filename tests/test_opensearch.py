"""The OpenSearch backend against a real 3-node cluster (1 replica), started once per session
from Maven Central artifacts (:mod:`tests.opensearch_cluster`): the same commands and checks
as on Whoosh, the same answers as Whoosh on the same folder, and an ingest that loses a node.

Skipped, with the reason, where ``java`` or ``mvn`` is missing.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings

from index import QueryError, open_index
from index.config import load_config
from ingest import ingest_folder

from . import opensearch_cluster
from .test_query_fuzz import queries
from .test_cli import (
    ENV,
    NYNORSK,
    SAMPLE_ID,
    _paragraph,
    counts,
    failed_names,
    make_source,
    no_traceback,
    write,
)

pytestmark = pytest.mark.slow
_names = itertools.count()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    """The running cluster; stopped at the end of the session."""
    reason = opensearch_cluster.missing_tools()
    if reason:
        pytest.skip(reason)
    opensearch_cluster.build()
    running = opensearch_cluster.LocalCluster(tmp_path_factory.mktemp("opensearch") / "nodes")
    yield running
    running.close()


def backend_settings(cluster: opensearch_cluster.LocalCluster, name: str) -> dict[str, str]:
    """``NORSEARCH__*`` variables for a fresh index ``name`` in the cluster (2 shards, so that
    scores and totals are seen to agree across shards, and 1 replica)."""
    name = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] + f"-{next(_names)}"
    return {
        "NORSEARCH__INDEX__BACKEND": "opensearch",
        "NORSEARCH__OPENSEARCH__HOSTS": json.dumps(cluster.hosts),
        "NORSEARCH__OPENSEARCH__INDEX": name,
        "NORSEARCH__OPENSEARCH__SHARDS": "2",
        "NORSEARCH__OPENSEARCH__REPLICAS": "1",
    }


@pytest.fixture
def settings(cluster, request) -> dict[str, str]:
    return backend_settings(cluster, request.node.name)


def run(cwd: Path, settings: dict[str, str], module: str, *args, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=cwd, env={**ENV, **settings}, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, encoding="utf-8", timeout=timeout,
    )


def ingest_once(cwd: Path, settings: dict[str, str], source: Path, index: Path) -> dict:
    result = run(cwd, settings, "ingest.cli", "once", "--json", "--source", source, "--index", index)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def search_json(cwd: Path, settings: dict[str, str], query: str, *flags: str) -> dict:
    result = run(cwd, settings, "index.cli", query, "--json", "--index", cwd / "index", *flags)
    no_traceback(result)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def ids(payload: dict) -> set[str]:
    return {hit["id"] for hit in payload["hits"]}


def test_ingest_once_add_change_move_delete(tmp_path, settings):
    source, index = make_source(tmp_path / "source"), tmp_path / "index"
    report = ingest_once(tmp_path, settings, source, index)
    assert counts(report) == (4, 0, 0, 0, 4)
    assert set(failed_names(report)) == {"x.txt", "empty.txt"}
    assert sorted(p.name for p in index.iterdir()) == ["ingest-state.sqlite", "norsearch.lock"]  # nothing else local
    assert counts(ingest_once(tmp_path, settings, source, index)) == (0, 0, 0, 4, 4)

    write(source, "budsjett.txt", "Dato: 3. mars 2021\nStortinget vedtok budsjettet i Tromsø.\n")
    (source / "sub").mkdir()
    (source / "udatert.txt").rename(source / "sub" / "udatert.txt")
    (source / "nynorsk.txt").unlink()
    report = ingest_once(tmp_path, settings, source, index)
    assert (report["added"], report["updated"], report["deleted"], report["moved"], report["documents"]) == (0, 1, 1, 1, 3)

    assert ids(search_json(tmp_path, settings, "Tromsø")) == {"budsjett.txt"}
    assert search_json(tmp_path, settings, "nasjonalbudsjett")["total"] == 0  # the old text is gone
    assert ids(search_json(tmp_path, settings, "Kyiv")) == {"sub/udatert.txt"}
    assert search_json(tmp_path, settings, "Lærdal")["total"] == 0

    status = run(tmp_path, settings, "ingest.cli", "status", "--json", "--index", index)
    assert status.returncode == 0, status.stderr
    payload = json.loads(status.stdout)
    assert payload["documents"] == 3 and payload["last_pass"]["moved"] == 1


@pytest.fixture(scope="module")
def corpus(cluster, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A folder after one ``ingest once`` of :func:`tests.test_cli.make_source`, and its settings."""
    folder = tmp_path_factory.mktemp("corpus")
    settings = backend_settings(cluster, "corpus")
    ingest_once(folder, settings, make_source(folder / "source"), folder / "index")
    return folder, settings


@pytest.mark.parametrize(
    ("query", "flags", "expected"),
    [
        ("samtale", ("--since", "2023-07-14"), {SAMPLE_ID}),  # a 2023-07 document is in July 14th
        ("samtale", ("--since", "2023-08-01"), set()),
        ("vind OR samtaler", ("--until", "2020"), {"nynorsk.txt"}),
        ("Stortinget", ("--since", "2021-03-03", "--until", "2021-03-03"), {"budsjett.txt"}),
        ("date:2021", (), {"budsjett.txt"}),
        ("date:2023-07", (), {SAMPLE_ID}),
        ("language:nn", (), {"nynorsk.txt"}),
        ("title:Ukraina", (), {"udatert.txt"}),
        ('"fred i Ukraina"', (), {"budsjett.txt"}),
        ("Ukraina AND Kyiv", (), {"udatert.txt"}),
        ("Stortinget NOT Senterpartiet", (), set()),
        ("nasjonalbudsj*", (), {"budsjett.txt"}),
        ("Meteorologisk~", (), {"nynorsk.txt"}),
        ("Laerdal", (), {"nynorsk.txt"}),  # typed without æ: the folded subfield
        ("Hvem reiste til Kyiv?", (), {"udatert.txt"}),
    ],
)
def test_search_dates_fields_and_syntax(corpus, query, flags, expected):
    assert ids(search_json(*corpus, query, *flags)) == expected


def test_snippets_mark_the_matched_forms(corpus):
    payload = search_json(*corpus, "bevilgning sykehus")
    (hit,) = payload["hits"]
    assert "<mark>bevilgningene</mark>" in hit["snippet"] and "<mark>sykehusene</mark>" in hit["snippet"]
    assert hit["date"] == "2021-03-03" and hit["title"] == "Stortinget vedtok revidert nasjonalbudsjett"


@hyp_settings(max_examples=60, deadline=None)
@given(text=queries)
def test_no_query_makes_the_cluster_fail(corpus, text):
    """Hostile queries reach the cluster only as valid DSL: results, or our QueryError."""
    folder, settings = corpus
    with open_index(folder / "index", config=load_config(environ=settings)) as ix:
        try:
            results = ix.search(text, limit=3)
        except QueryError:
            return
        assert 0 <= len(results) <= results.total


def test_errors_are_one_line(tmp_path, settings, cluster):
    missing = run(tmp_path, settings, "index.cli", "fred", "--index", tmp_path / "index")
    no_traceback(missing)
    assert missing.returncode == 2 and "run `ingest once` first" in missing.stderr
    closed = {**settings, "NORSEARCH__OPENSEARCH__HOSTS": '["http://127.0.0.1:9"]'}
    refused = run(tmp_path, closed, "index.cli", "fred", "--index", tmp_path / "index")
    no_traceback(refused)
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "cannot connect" in refused.stderr


def test_ingest_into_a_cluster_that_does_not_answer_is_one_line(tmp_path):
    settings = {"NORSEARCH__INDEX__BACKEND": "opensearch", "NORSEARCH__OPENSEARCH__HOSTS": '["http://127.0.0.1:9"]'}
    started = time.monotonic()
    result = run(tmp_path, settings, "ingest.cli", "once", "--source", make_source(tmp_path / "source"),
                 "--index", tmp_path / "index")
    no_traceback(result)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot connect" in result.stderr and time.monotonic() - started < 60


def test_both_backends_give_the_same_documents_and_matches(tmp_path, settings):
    """The Python API on the same folder: equal documents, ids and hit sets on both engines."""
    source = make_source(tmp_path / "source")
    write(source, "nynorsk2.txt", NYNORSK.replace("Lærdal", "Årdal"))
    whoosh = load_config(environ={})
    opensearch = load_config(environ=settings)
    ingest_folder(source, tmp_path / "whoosh", settings=whoosh)
    ingest_folder(source, tmp_path / "opensearch", settings=opensearch)
    queries = ["samtaler", "fred", '"fred i Ukraina"', "date:2019", "language:nn", "Stortinget AND fred",
               "Ukraina NOT fred", "vind OR Kyiv", "Årdal", "støtte"]
    with open_index(tmp_path / "whoosh", config=whoosh) as ours, open_index(tmp_path / "opensearch", config=opensearch) as theirs:
        assert ours.count() == theirs.count() == 5
        assert sorted(ours.ids()) == sorted(theirs.ids())
        for doc_id in ours.ids():
            assert ours.get(doc_id) == theirs.get(doc_id)
        assert theirs.get("no/such.txt") is None
        for query in queries:
            a, b = ours.search(query, limit=10), theirs.search(query, limit=10)
            assert (a.total, {h.id for h in a}) == (b.total, {h.id for h in b}), query


def test_odd_and_overlong_names_are_ids_like_any_other(tmp_path, settings):
    """Spaces, ``#``, ``?``, ``%`` and an id longer than OpenSearch's 512-byte ``_id``."""
    source = tmp_path / "source"
    odd = "rare navn/æ ø#?%20&.txt"
    deep = "/".join(["ø" * 120] * 3) + "/dyp.txt"  # 727 bytes
    write(source, odd, "Søknaden om fiskekvoter ble sendt til Fiskeridirektoratet.")
    write(source, deep, "Reindriften i Finnmark trenger beiteland.")
    config = load_config(environ=settings)
    report = ingest_folder(source, tmp_path / "index", settings=config)
    assert (report.added, report.failed) == (2, [])
    with open_index(tmp_path / "index", config=config) as ix:
        assert sorted(ix.ids()) == sorted([odd, deep])
        assert ix.get(odd).title.startswith("Søknaden") and ix.get(deep).text.startswith("Reindriften")
        assert [hit.id for hit in ix.search("reindrift")] == [deep]
    (source / deep).unlink()
    report = ingest_folder(source, tmp_path / "index", settings=config)
    assert (report.deleted, report.documents) == (1, 1)


def _many(folder: Path, count: int) -> set[str]:
    names = set()
    for i in range(count):
        name = f"{i // 500:02d}/sak-{i:05d}.txt"
        write(folder, name, f"Dato: {2000 + i % 24}-{1 + i % 12:02d}\nSak {i}\n\n{_paragraph(i)}\n")
        names.add(name)
    return names


def test_a_node_lost_during_ingest_loses_and_doubles_nothing(tmp_path, settings, cluster):
    """Node 2 stops in the middle of a pass: the pass finishes (or fails in one line), searches
    keep answering, and the next pass leaves exactly the folder's documents in the index."""
    from opensearchpy import OpenSearch

    source, index = tmp_path / "source", tmp_path / "index"
    expected = _many(source, 3000)
    settings = {**settings, "NORSEARCH__OPENSEARCH__BULK_BATCH": "50"}
    client = OpenSearch(cluster.hosts[:2], max_retries=3, retry_on_timeout=True)
    env = {**ENV, **settings}
    command = [sys.executable, "-m", "ingest.cli", "once", "--json", "--source", str(source), "--index", str(index)]
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        name = settings["NORSEARCH__OPENSEARCH__INDEX"]
        while not client.indices.exists(index=name):
            assert proc.poll() is None and time.monotonic() < deadline, "the pass ended before its index was made"
            time.sleep(0.2)
        # One replica keeps every document through the loss of one node once it is in sync: a
        # replica still recovering when its primary's node goes leaves the shard red.
        client.cluster.health(index=name, params={"wait_for_status": "green", "timeout": "60s"}, request_timeout=70)
        while client.count(index=name)["count"] < 300:
            assert proc.poll() is None and time.monotonic() < deadline, "the pass ended before a node could be stopped"
            time.sleep(0.2)
        assert proc.poll() is None
        cluster.stop_node(2)
        answered = 0
        deadline = time.monotonic() + 600  # a pass that hangs fails the test, never stalls the suite
        while proc.poll() is None:
            assert time.monotonic() < deadline, "the pass did not end within 600 s of losing a node"
            result = run(tmp_path, settings, "index.cli", "kommunestyret", "--json", "--index", index)
            no_traceback(result)
            assert result.returncode == 0, result.stderr
            answered += 1
        out, err = proc.communicate()
        assert "Traceback" not in err, err
        assert proc.returncode in (0, 2), err
        if proc.returncode == 2:
            assert len(err.strip().splitlines()) == 1, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    second = ingest_once(tmp_path, settings, source, index)
    assert second["failed"] == [] and second["documents"] == len(expected)
    with open_index(index, config=load_config(environ=settings)) as ix:
        found = list(ix.ids())
        assert len(found) == len(set(found)) == ix.count() == len(expected)
        assert set(found) == expected
        assert ix.search("Hammerfest").total == sum(1 for i in range(3000) if i % 9 == 6)
    print(f"searches answered while the node was gone: {answered}; first pass exit {proc.returncode}")
    cluster.start_node(2)
    client.cluster.health(params={"wait_for_status": "green", "wait_for_nodes": "3", "timeout": "120s"}, request_timeout=130)


def test_server_searches_with_facets_and_explain_and_marks_documents(tmp_path, settings):
    """``search --serve`` on the OpenSearch backend: the API's facets are Whoosh's on the same
    folder, every hit's explanation adds up to its score, and the page and a document's page
    mark the matches."""
    import httpx

    from . import webserver

    source, index = tmp_path / "source", tmp_path / "index"
    webserver.write_corpus(source)
    ingest_once(tmp_path, settings, source, index)
    ingest_folder(source, tmp_path / "whoosh", settings=load_config(environ={}))
    with open_index(tmp_path / "whoosh", config=load_config(environ={})) as whoosh:
        expected, documents = whoosh.search("skatten kommunestyret", since="2020").facets, whoosh.count()
    with webserver.running(index, extra_env=settings) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        payload = client.get("/api/search", params={"q": "skatten kommunestyret", "since": "2020", "explain": "true"}).json()
        assert payload["total"] > 10 and payload["facets"] == expected
        assert sum(payload["facets"]["language"].values()) == payload["total"]
        for hit in payload["hits"]:
            words = {word["word"]: word for word in hit["explain"]["words"]}
            assert set(words) == {"skatten", "kommunestyret"}
            assert words["kommunestyret"]["matched"] == ["kommunestyret"] and words["skatten"]["score"] > 0
            parts = hit["explain"]["words"] + hit["explain"]["bonuses"]
            assert abs(sum(part["score"] for part in parts) - hit["score"]) < 1e-4, hit
        assert {"skatten", "skatt"} & set(words["skatten"]["matched"])

        page = client.get("/", params={"q": "eigedomsskatten", "language": "nn"})
        assert page.status_code == 200 and "<mark>Eigedomsskatten</mark>" in page.text
        document = client.get("/documents/udatert.txt", params={"q": "avgift"})
        assert document.status_code == 200 and '<mark id="treff-1">avgifter</mark>' in document.text
        assert client.get("/api/status").json()["documents"] == documents


def _versions(cluster, settings: dict[str, str]) -> dict[str, int]:
    """Each document's ``_version``, by id: it grows whenever the document is written again."""
    from opensearchpy import OpenSearch, helpers

    client = OpenSearch(cluster.hosts)
    name = settings["NORSEARCH__OPENSEARCH__INDEX"]
    return {hit["_source"]["id"]: hit["_version"]
            for hit in helpers.scan(client, index=name, query={"version": True, "_source": ["id"]})}


def test_a_new_or_restored_state_is_rebuilt_from_the_cluster(tmp_path, settings, cluster):
    """Machine A's state folder is lost: a new one deletes what vanished from the folder and
    rewrites nothing else. A's old state, restored from a backup after other passes, is rebuilt
    too (it is behind the cluster's commits), so it deletes a document it never knew."""
    source = make_source(tmp_path / "source")
    machine_a, machine_b, backup = tmp_path / "a", tmp_path / "b", tmp_path / "backup"
    ingest_once(tmp_path, settings, source, machine_a)
    shutil.copytree(machine_a, backup)
    before = _versions(cluster, settings)
    shutil.rmtree(machine_a)
    (source / "nynorsk.txt").unlink()
    report = ingest_once(tmp_path, settings, source, machine_b)
    assert (report["added"], report["updated"], report["deleted"], report["unchanged"], report["documents"]) == (0, 0, 1, 3, 3)
    after = _versions(cluster, settings)
    assert after == {doc_id: version for doc_id, version in before.items() if doc_id != "nynorsk.txt"}
    assert search_json(tmp_path, settings, "Lærdal")["total"] == 0

    write(source, "ny.txt", "Fylkestinget i Nordland vedtok ny samferdselsplan.")
    assert ingest_once(tmp_path, settings, source, machine_b)["added"] == 1
    (source / "ny.txt").unlink()
    report = ingest_once(tmp_path, settings, source, backup)  # the old state of A, which never saw ny.txt
    assert (report["deleted"], report["unchanged"], report["documents"]) == (1, 3, 3)
    assert search_json(tmp_path, settings, "samferdselsplan")["total"] == 0


def test_machines_with_their_own_id_prefix_share_one_index(tmp_path, settings):
    """Two folders, two state folders, ``oslo/`` and ``bergen/``: each machine adds, deletes
    and rebuilds its state among its own ids only."""
    oslo, bergen = make_source(tmp_path / "oslo"), make_source(tmp_path / "bergen")
    write(bergen, "bergen.txt", "Bybanen i Bergen får nye vogner.")
    as_oslo = {**settings, "NORSEARCH__INGEST__ID_PREFIX": "oslo/"}
    as_bergen = {**settings, "NORSEARCH__INGEST__ID_PREFIX": "bergen/"}
    assert ingest_once(tmp_path, as_oslo, oslo, tmp_path / "state-oslo")["documents"] == 4
    assert ingest_once(tmp_path, as_bergen, bergen, tmp_path / "state-bergen")["documents"] == 9
    names = {"budsjett.txt", "nynorsk.txt", "udatert.txt", SAMPLE_ID}
    with open_index(tmp_path / "state-oslo", config=load_config(environ=settings)) as ix:
        assert sorted(ix.ids()) == sorted({f"oslo/{n}" for n in names} | {f"bergen/{n}" for n in names | {"bergen.txt"}})
        assert ix.get("bergen/bergen.txt").path == os.path.abspath(bergen / "bergen.txt")

    (oslo / "budsjett.txt").unlink()
    report = ingest_once(tmp_path, as_oslo, oslo, tmp_path / "state-oslo")
    assert (report["deleted"], report["unchanged"], report["documents"]) == (1, 3, 8)
    shutil.rmtree(tmp_path / "state-oslo")  # a new Oslo machine: rebuilt from oslo/ ids only
    (oslo / "udatert.txt").unlink()
    report = ingest_once(tmp_path, as_oslo, oslo, tmp_path / "state-oslo")
    assert (report["added"], report["deleted"], report["unchanged"], report["documents"]) == (0, 1, 2, 7)
    report = ingest_once(tmp_path, as_bergen, bergen, tmp_path / "state-bergen")
    assert (report["added"], report["deleted"], report["unchanged"], report["documents"]) == (0, 0, 5, 7)
    assert ids(search_json(tmp_path, settings, "Kyiv")) == {"bergen/udatert.txt"}
    assert ids(search_json(tmp_path, settings, "nasjonalbudsjett")) == {"bergen/budsjett.txt"}


def test_a_red_shard_fails_the_pass_in_one_line_within_the_retry_budget(tmp_path, settings, cluster):
    """An index without replicas loses the shards of a stopped node: a pass writing to them
    fails in one line once ``retry_budget_seconds`` are spent, not minutes per batch; nothing
    indexed is lost, and once the node is back the next pass completes."""
    from opensearchpy import OpenSearch

    settings = {**settings, "NORSEARCH__OPENSEARCH__SHARDS": "6", "NORSEARCH__OPENSEARCH__REPLICAS": "0",
                "NORSEARCH__OPENSEARCH__RETRY_BUDGET_SECONDS": "8", "NORSEARCH__OPENSEARCH__TIMEOUT_SECONDS": "4"}
    source, index = tmp_path / "source", tmp_path / "index"
    expected = _many(source, 120)
    assert ingest_once(tmp_path, settings, source, index)["documents"] == 120
    client = OpenSearch(cluster.hosts[:2])
    name = settings["NORSEARCH__OPENSEARCH__INDEX"]
    for path in source.rglob("*.txt"):
        path.write_text(path.read_text("utf-8") + "\nTillegg om Vardø.\n", "utf-8")
    cluster.stop_node(2)
    try:
        deadline = time.monotonic() + 60
        while client.cluster.health(index=name)["status"] != "red":
            assert time.monotonic() < deadline, "the index did not turn red without its node"
            time.sleep(0.5)
        started = time.monotonic()
        failed = run(tmp_path, settings, "ingest.cli", "once", "--source", source, "--index", index)
        seconds = time.monotonic() - started
        no_traceback(failed)
        *warnings, error = failed.stderr.strip().splitlines()
        assert failed.returncode == 2 and error.startswith("ingest: error: OpenSearch index"), failed.stderr
        assert "retry_budget_seconds" in error and "primary shard is not active" in error
        assert all(line.startswith("WARNING OpenSearch: ") for line in warnings), failed.stderr
        assert seconds < 8 + 4 + 30, seconds  # the budget, one request's wait, and starting Python
        assert 0 < client.count(index=name)["count"] < 120  # the shards still there answer
    finally:
        cluster.start_node(2)
        client.cluster.health(index=name, params={"wait_for_status": "green", "timeout": "120s"}, request_timeout=130)
    second = ingest_once(tmp_path, settings, source, index)
    assert second["failed"] == [] and second["documents"] == len(expected)
    with open_index(index, config=load_config(environ=settings)) as ix:
        assert set(ix.ids()) == expected and ix.search("Vardø").total == len(expected)
