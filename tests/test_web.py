"""``search --serve`` end to end: a real server process over a real index, real HTTP."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from urllib.parse import quote

import anyio
import httpx
import markupsafe
import pytest

from index import open_index
from index.cli import results_json
from index.web.backend import Busy, Pool

from .webserver import XSS_NAME, XSS_TITLE, env, ingest_once, running, start, write_corpus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("web")
    source, index = folder / "source", folder / "index"
    write_corpus(source)
    ingest_once(source, index)
    return source, index


@pytest.fixture(scope="module")
def server(corpus):
    _, index = corpus
    with running(index) as server:  # serve.workers = 2: the default, as deployed
        yield server
    assert server.process.returncode == 0, "".join(server.lines)


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_api_search_is_what_the_library_returns(client, corpus):
    _, index = corpus
    response = client.get("/api/search", params={"q": "skatten kommunestyret", "limit": 5, "offset": 5, "since": "2020"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    with open_index(index) as ix:
        expected = results_json(ix.search("skatten kommunestyret", limit=5, offset=5, since="2020"))
    assert response.json() == expected
    payload = response.json()
    assert payload["offset"] == 5 and len(payload["hits"]) == 5 and payload["total"] > 10
    assert sum(payload["facets"]["language"].values()) == payload["total"]
    assert set(payload["facets"]["year"]) == {"2020", "2021", "2022"}


def test_api_search_explains_as_the_library_does(client, corpus):
    _, index = corpus
    payload = client.get("/api/search", params={"q": "skatten kommunestyret", "explain": "true"}).json()
    with open_index(index) as ix:
        assert payload == results_json(ix.search("skatten kommunestyret", explain=True))
    for hit in payload["hits"]:
        parts = hit["explain"]["words"] + hit["explain"]["bonuses"]
        assert abs(sum(part["score"] for part in parts) - hit["score"]) <= 0.001
    assert "explain" not in client.get("/api/search", params={"q": "skatten", "explain": "false"}).json()["hits"][0]
    assert client.get("/api/search", params={"q": "skatten", "explain": "ja"}).status_code == 400


def test_api_search_language_filter(client):
    payload = client.get("/api/search", params={"q": "skatt", "language": "nn", "limit": 100}).json()
    assert payload["total"] == 10 and {hit["language"] for hit in payload["hits"]} == {"nn"}
    assert payload["facets"]["language"] == {"nn": 10}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "q: required"),
        ({"q": ""}, "q: required"),
        ({"q": "skatt", "limit": "0"}, "limit: must be at least 1"),
        ({"q": "skatt", "limit": "101"}, "limit: must be at most 100"),
        ({"q": "skatt", "limit": "ti"}, "limit: expected a whole number"),
        ({"q": "skatt", "offset": "10001"}, "offset: must be at most 10000"),
        ({"q": "skatt", "offset": "-1"}, "offset: must be at least 0"),
        ({"q": "skatt", "since": "2023-13"}, "since: month 13 does not exist"),
        ({"q": "skatt", "until": "i går"}, "until:"),
        ({"q": "skatt", "since": "2023", "until": "2020"}, "after"),
        ({"q": "skatt", "language": "<script>"}, "language:"),
        ({"q": "skatt " * 300}, "q: longer than 1000 characters"),
        ({"q": "   "}, ""),
    ],
)
def test_api_search_bad_requests_are_400_json(client, params, message):
    response = client.get("/api/search", params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    assert message in response.json()["error"]


def test_documents_by_id_with_awkward_ids(client, corpus):
    source, _ = corpus
    for doc_id in ["skatt 00.txt", "mappe æøå/spørsmål? #1 100%.txt", XSS_NAME]:
        response = client.get(f"/api/documents/{quote(doc_id, safe='/')}")
        assert response.status_code == 200, doc_id
        doc = response.json()
        assert doc["id"] == doc_id and doc["path"] == str(source / doc_id)
        assert set(doc) == {"id", "path", "title", "text", "date", "encoding", "repairs", "size", "mtime_ns", "sha256", "language"}
    page = client.get(f"/documents/{quote('mappe æøå/spørsmål? #1 100%.txt', safe='/')}", params={"q": "skatt"})
    assert page.status_code == 200 and '<mark id="treff-1">Skatt</mark>' in page.text


def test_unknown_document_and_path_are_404(client):
    response = client.get("/api/documents/finnes/ikke.txt")
    assert response.status_code == 404 and "finnes/ikke.txt" in response.json()["error"]
    assert client.get("/api/ukjent").json() == {"error": "no such page"}
    assert client.get("/api/documents/..%2F..%2Fetc%2Fpasswd").status_code == 404  # ids only, never files
    page = client.get("/documents/finnes-ikke.txt")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Fant ikke det du ba om" in page.text and 'id="q"' in page.text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/api/search?q=skatt", "/api/documents/xss.txt", "/api/status", "/"])
def test_other_methods_are_405_json(client, method, path):
    response = client.request(method, path, content=b"q=skatt")
    assert response.status_code == 405
    assert response.json()["error"].startswith(f"method {method} not allowed")


def test_status_says_what_ingest_status_says(client, corpus):
    _, index = corpus
    status = client.get("/api/status").json()
    assert status["documents"] == 34 and status["index"] == str(index)
    assert status["last_pass"]["added"] == 34 and status["last_pass"]["failed"] == []
    assert status["next_pass"] is None  # no `ingest run` keeps this index


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/api/search", "/api/documents/{id}", "/api/status"}
    limit = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 100


@pytest.mark.parametrize("path", ["/", "/?q=skatt", "/api/search?q=skatt", "/documents/xss.txt", "/static/app.js", "/api/x", "/openapi.json"])
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_page_escapes_every_document_text(client):
    for url in ["/?q=skatt&limit=100", "/documents/xss.txt?q=skatt+alert+script+mark", f"/documents/{quote(XSS_NAME)}?q=skatt"]:
        page = client.get(url)
        assert page.status_code == 200
        body = page.text
        assert "<script>alert" not in body and "<img src=x" not in body and "<svg" not in body and "<iframe" not in body
        assert 'href="javascript:' not in body and "<script" not in body.replace('<script src="/static/app.js" defer></script>', "")
    assert str(markupsafe.escape(XSS_TITLE)) in client.get("/documents/xss.txt").text


def test_page_search_marks_filters_and_pages(client):
    page = client.get("/", params={"q": "skatt", "limit": 5})
    body = page.text
    assert page.status_code == 200 and '<html lang="nb">' in body
    assert "<mark>" in body and 'id="total"' in body
    assert 'href="/?q=skatt&amp;limit=5&amp;language=nn">Nynorsk</a> (10)' in body
    assert 'rel="next" href="/?q=skatt&amp;limit=5&amp;offset=5"' in body
    second = client.get("/", params={"q": "skatt", "limit": 5, "offset": 5}).text
    assert '<ol class="hits" start="6">' in second and 'rel="prev"' in second


def test_page_bad_query_is_400_with_the_form(client):
    page = client.get("/", params={"q": "skatt", "since": "2023-13"})
    assert page.status_code == 400 and "since: month 13 does not exist" in page.text and 'id="q"' in page.text


def test_new_commits_show_without_restart(server, corpus, client):
    source, index = corpus
    assert client.get("/api/search", params={"q": "Vardø"}).json()["total"] == 0
    (source / "ny.txt").write_text("Ferja til Vardø\n\nNy ferje til Vardø fra neste år.\n", "utf-8")
    try:
        ingest_once(source, index)
        for _ in range(4):  # each worker process sees it at its next request
            assert client.get("/api/search", params={"q": "Vardø"}).json()["total"] == 1
    finally:
        (source / "ny.txt").unlink()
        ingest_once(source, index)
    assert client.get("/api/search", params={"q": "Vardø"}).json()["total"] == 0


def test_no_index_yet_is_503_then_served_once_built(tmp_path):
    source, index = tmp_path / "source", tmp_path / "index"
    write_corpus(source)
    with running(index, "--config", _config(tmp_path, "workers = 1")) as server:
        response = httpx.get(server.url + "api/search?q=skatt", timeout=30)
        assert response.status_code == 503 and "ingest once" in response.json()["error"]
        ingest_once(source, index)
        assert httpx.get(server.url + "api/search?q=skatt", timeout=30).json()["total"] > 30


def _config(folder: Path, *lines: str) -> str:
    path = folder / "serve.toml"
    path.write_text("[serve]\n" + "\n".join(lines) + "\n", "utf-8")
    return str(path)


def test_other_address_without_token_or_public_flag_refuses_to_start(corpus, tmp_path):
    import subprocess
    import sys

    _, index = corpus
    result = subprocess.run(
        [sys.executable, "-m", "index.cli", "--serve", "--host", "0.0.0.0", "--port", "0", "--index", str(index)],
        env=env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "search: error: serve.host = '0.0.0.0' reaches beyond this machine: set serve.token "
        "(NORSEARCH__SERVE__TOKEN) or, if the index is public, serve.public = true"
    ]


def test_token_is_required_on_other_addresses(corpus, tmp_path):
    _, index = corpus
    token = "hemmelig-nøkkel-7f3a"
    config = _config(tmp_path, "workers = 1")
    with running(index, "--host", "0.0.0.0", "--config", config, extra_env={"NORSEARCH__SERVE__TOKEN": token}) as server:
        url = server.url.replace("0.0.0.0", "127.0.0.1")
        for headers in [{}, {"Authorization": "Bearer feil"}, {"Authorization": f"Basic {token}"}, {"Authorization": "Bearer"}]:
            for path in ["api/search?q=skatt", "", "static/style.css", "openapi.json"]:
                response = httpx.get(url + path, headers={k: v.encode() for k, v in headers.items()}, timeout=30)
                assert response.status_code == 401, (path, headers)
                assert response.json()["error"].startswith("missing or wrong access token")
                assert response.headers["www-authenticate"] == "Bearer"
        response = httpx.get(url + "api/search?q=skatt", headers={"Authorization": f"Bearer {token}".encode()}, timeout=30)
        assert response.status_code == 200 and response.json()["total"] > 30


def test_public_flag_serves_other_addresses_without_token(corpus, tmp_path):
    _, index = corpus
    with running(index, "--host", "0.0.0.0", "--config", _config(tmp_path, "workers = 1", "public = true")) as server:
        assert httpx.get(server.url.replace("0.0.0.0", "127.0.0.1") + "api/status", timeout=30).status_code == 200


def test_port_in_use_is_one_line(corpus, server):
    import subprocess
    import sys

    _, index = corpus
    port = server.url.rsplit(":", 1)[1].strip("/")
    result = subprocess.run(
        [sys.executable, "-m", "index.cli", "--serve", "--port", port, "--index", str(index)],
        env=env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"search: error: cannot listen on 127.0.0.1:{port}")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("workers", [1, 2])
def test_stops_cleanly_on_signals(corpus, tmp_path, sig, workers):
    _, index = corpus
    server = start(index, "--config", _config(tmp_path, f"workers = {workers}"))
    assert httpx.get(server.url + "api/status", timeout=30).status_code == 200
    started = time.monotonic()
    code = server.stop(sig)
    assert code == 0, "".join(server.lines)
    assert time.monotonic() - started < 15
    assert "Traceback" not in "".join(server.lines)


def test_pool_turns_away_work_that_waits_too_long():
    """The bound on searches at once: a request waiting longer than busy_seconds gets Busy."""

    async def main() -> list[str]:
        pool = Pool(threads=1, wait=0.2)
        outcomes: list[str] = []

        async def one(seconds: float) -> None:
            try:
                outcomes.append(await pool.run(lambda: time.sleep(seconds) or f"slept {seconds}"))
            except Busy as error:
                outcomes.append(str(error))

        async with anyio.create_task_group() as group:
            group.start_soon(one, 1.0)
            await anyio.sleep(0.05)
            group.start_soon(one, 0.0)
        return outcomes

    outcomes = anyio.run(main)
    assert outcomes[0].startswith("busy: every search thread was taken for 0.2 s") and outcomes[1] == "slept 1.0"
