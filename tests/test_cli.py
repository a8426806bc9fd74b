"""End to end: the real ``ingest`` and ``search`` commands, run as subprocesses on a real
index in a temporary folder.

Every command runs with ``cwd`` in the test's temporary folder and explicit ``--source`` /
``--index``, so the default relative paths (``seeds``, ``var/index``) never touch the repo.
stdout and stderr are pipes, so the commands print plain text (no ANSI, no progress bar).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "seeds" / "000_efd879e50143b4c9.txt"
SAMPLE_ID = SAMPLE.name

# ---------------------------------------------------------------------------- documents

BUDSJETT = """Dato: 3. mars 2021
Stortinget vedtok revidert nasjonalbudsjett

Stortinget vedtok torsdag det reviderte nasjonalbudsjettet etter lange forhandlinger mellom \
regjeringspartiene og Senterpartiet. Finansministeren sa at det er mulig å øke bevilgningene \
til sykehusene uten å bruke mer oljepenger. Et flertall gikk også inn for økt støtte til \
arbeidet for fred i Ukraina og Midtøsten. Opposisjonen kritiserte at skattelettene for de \
høyeste inntektene ble videreført.
"""

NYNORSK = """Dato: 1. feb. 2019
Vêret på Vestlandet

Meteorologisk institutt varslar kraftig vind og mykje nedbør i Sogn og Fjordane heile helga. \
Fleire ferjesamband kan bli innstilte, og Statens vegvesen rår folk til å halde seg heime. \
Rapporten frå Ernst & Young om rasfaren i Lærdal vart lagd fram i går.
"""

UDATERT = """Ukraina ber om mer hjelp

Utenriksministeren reiste til Kyiv for å diskutere gjenoppbygging av strømnettet. Hun lovet \
at Norge vil bidra med både penger og utstyr før vinteren, og at støtten skal koordineres \
med de andre nordiske landene.
"""

BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4

LONG_WORD = "Kvitsøyfergen"

_PLACES = ["Bergen", "Stavanger", "Tromsø", "Bodø", "Ålesund", "Kristiansand", "Hammerfest", "Molde", "Haugesund"]
_TOPICS = ["sykehusdriften", "skolebudsjettet", "veiutbyggingen", "kollektivtilbudet",
           "eldreomsorgen", "havnedriften", "fiskerinæringen", "boligbyggingen"]  # fmt: skip
_SENTENCES = [
    "Kommunestyret i {place} behandlet {topic} på møtet tirsdag, og flertallet ønsket en grundigere utredning før vedtak.",
    "Ifølge rådmannen i {place} vil {topic} koste om lag {n} millioner kroner de neste fire årene.",
    "Opposisjonen mener at {topic} har fått for lite oppmerksomhet, og krever at saken legges fram på nytt i {year}.",
    "Innbyggerne i {place} har sendt inn mer enn {n} høringsinnspill, de fleste kritiske til forslaget.",
    "Statsforvalteren har bedt om en redegjørelse for hvordan {topic} skal finansieres uten kutt i andre tjenester.",
    "Lokalavisen i {place} skrev i {year} at flere ansatte hadde sluttet på grunn av høy arbeidsbelastning.",
    "Ordføreren sa til NRK at hun forventer en avklaring før sommeren, men at ingenting er bestemt ennå.",
    "Økonomisjefen advarte mot å bruke av disposisjonsfondet, som er redusert med {n} prosent siden {year}.",
]


def _paragraph(i: int) -> str:
    place, topic = _PLACES[i % len(_PLACES)], _TOPICS[(i * 3) % len(_TOPICS)]
    order = _SENTENCES[i % len(_SENTENCES) :] + _SENTENCES[: i % len(_SENTENCES)]
    return " ".join(s.format(place=place, topic=topic, n=10 + 7 * i, year=2010 + i % 14) for s in order[:5])


def long_document() -> str:
    """Over 40,000 characters of varied Norwegian paragraphs; ``LONG_WORD`` once, after 35,000."""
    paragraphs: list[str] = []
    while sum(len(p) + 2 for p in paragraphs) < 36_000:
        paragraphs.append(_paragraph(len(paragraphs)))
    paragraphs.append(
        f"Samferdselsdepartementet bekreftet at {LONG_WORD} settes inn i rute igjen fra neste måned, "
        "etter at verkstedoppholdet ble forlenget."
    )
    while sum(len(p) + 2 for p in paragraphs) < 42_000:
        paragraphs.append(_paragraph(len(paragraphs)))
    body = "\n\n".join(paragraphs)
    return f"Dato: 2. september 2022\nKommuneøkonomien i distriktene\n\n{body}\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def make_source(folder: Path) -> Path:
    """The sample, three small documents (two dated, one not), a binary and an empty file."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE, folder / SAMPLE_ID)
    write(folder, "budsjett.txt", BUDSJETT)
    write(folder, "nynorsk.txt", NYNORSK)
    write(folder, "udatert.txt", UDATERT)
    write(folder, "x.txt", BINARY)
    write(folder, "empty.txt", b"")
    return folder


# ----------------------------------------------------------------------------- commands


def _env() -> dict[str, str]:
    """The caller's environment without settings that would change what the commands do."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORSEARCH__") and k not in ("FORCE_COLOR",)}
    env["PYTHONUTF8"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


ENV = _env()


def run(cwd: Path, module: str, *args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=cwd,
        env=ENV,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def ingest(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run(cwd, "ingest.cli", *args)


def search(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run(cwd, "index.cli", *args)


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


def ingest_once(cwd: Path, source: Path, index: Path) -> dict:
    result = ingest(cwd, "once", "--json", "--source", source, "--index", index)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def counts(report: dict) -> tuple[int, int, int, int, int]:
    return report["added"], report["updated"], report["deleted"], report["unchanged"], report["documents"]


def failed_names(report: dict) -> dict[str, str]:
    """``{file name: error}`` of the failures of a report."""
    return {Path(f["path"]).name: f["error"] for f in report["failed"]}


def search_json(cwd: Path, index: Path, query: str, *flags: str) -> tuple[int, dict]:
    result = search(cwd, query, "--json", "--index", index, *flags)
    no_traceback(result)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def hit_ids(payload: dict) -> list[str]:
    return [hit["id"] for hit in payload["hits"]]


def assert_one_line_error(result: subprocess.CompletedProcess[str], prog: str) -> str:
    """Exit 2, exactly one line on stderr, ``prog: error: ...``, no traceback; return the line."""
    no_traceback(result)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{prog}: error: "), lines[0]
    return lines[0]


def wait_for(condition: Callable[[], object], timeout: float, what: str, proc: subprocess.Popen | None = None):
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"{what}: the process exited early with {proc.returncode}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.2)


# ----------------------------------------------------------------- 1, 2: ingest once


@pytest.fixture
def ingested(tmp_path: Path) -> tuple[Path, Path, dict]:
    """A source folder after one ``ingest once``: (source, index, first report)."""
    source = make_source(tmp_path / "source")
    index = tmp_path / "index"
    return source, index, ingest_once(tmp_path, source, index)


def test_once_json_reports_added_documents_and_failures(ingested):
    source, index, report = ingested
    assert {"added", "updated", "deleted", "unchanged", "documents", "failed"} <= report.keys()
    assert counts(report) == (4, 0, 0, 0, 4)
    assert len(report["failed"]) == 2
    for failure in report["failed"]:
        assert {"path", "error"} <= failure.keys()
    failed = failed_names(report)
    assert set(failed) == {"x.txt", "empty.txt"}
    assert "binary" in failed["x.txt"] and "NUL" in failed["x.txt"]
    assert "empty" in failed["empty.txt"]
    assert all(Path(f["path"]).parent == source for f in report["failed"])


@pytest.mark.parametrize(
    ("query", "doc_id", "date"),
    [
        ("nasjonalbudsjettet", "budsjett.txt", "2021-03-03"),  # Dato: 3. mars 2021
        ("nedbør", "nynorsk.txt", "2019-02-01"),  # Dato: 1. feb. 2019
        ("strømnettet", "udatert.txt", None),
        ("Kreml", SAMPLE_ID, "2023-07"),  # " date 2023-07 Skjulte chatter? ..."
    ],
)
def test_once_reads_date_headers_and_titles(corpus, query, doc_id, date):
    cwd, index = corpus
    rc, payload = search_json(cwd, index, query)
    assert rc == 0 and hit_ids(payload) == [doc_id]
    hit = payload["hits"][0]
    assert hit["date"] == date
    assert not hit["title"].lower().startswith(("dato", "date"))


def test_second_pass_finds_everything_unchanged(ingested, tmp_path):
    source, index, _ = ingested
    report = ingest_once(tmp_path, source, index)
    assert counts(report) == (0, 0, 0, 4, 4)
    assert set(failed_names(report)) == {"x.txt", "empty.txt"}  # still reported, every pass


def test_changed_content_is_updated(ingested, tmp_path):
    source, index, _ = ingested
    path = source / "udatert.txt"
    path.write_text(UDATERT + "\nStatsministeren besøkte Lviv dagen etter.\n", encoding="utf-8")
    report = ingest_once(tmp_path, source, index)
    assert counts(report) == (0, 1, 0, 3, 4)
    rc, payload = search_json(tmp_path, index, "Lviv")
    assert rc == 0 and hit_ids(payload) == ["udatert.txt"]


def test_deleted_file_is_deleted_from_the_index(ingested, tmp_path):
    source, index, _ = ingested
    (source / "nynorsk.txt").unlink()
    report = ingest_once(tmp_path, source, index)
    assert counts(report) == (0, 0, 1, 3, 3)
    rc, payload = search_json(tmp_path, index, "nedbør")
    assert rc == 1 and payload["total"] == 0


def test_touched_file_is_unchanged_not_updated(ingested, tmp_path):
    source, index, _ = ingested
    path = source / "budsjett.txt"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    report = ingest_once(tmp_path, source, index)
    assert counts(report) == (0, 0, 0, 4, 4)
    # The new stat was remembered: the next pass does not even need to hash it.
    assert counts(ingest_once(tmp_path, source, index)) == (0, 0, 0, 4, 4)


def test_good_file_turned_binary_fails_but_stays_searchable(ingested, tmp_path):
    source, index, _ = ingested
    write(source, "budsjett.txt", BINARY)
    report = ingest_once(tmp_path, source, index)
    assert counts(report) == (0, 0, 0, 3, 4)
    failed = failed_names(report)
    assert set(failed) == {"budsjett.txt", "x.txt", "empty.txt"}
    assert "binary" in failed["budsjett.txt"]
    rc, payload = search_json(tmp_path, index, "nasjonalbudsjettet")
    assert rc == 0 and hit_ids(payload) == ["budsjett.txt"]
    assert payload["hits"][0]["date"] == "2021-03-03"  # the old, good version


# ------------------------------------------------------------------------- 5: status


def test_status_json_after_a_pass(ingested, tmp_path):
    _, index, _ = ingested
    result = ingest(tmp_path, "status", "--json", "--index", index)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["documents"] == 4
    last = status["last_pass"]
    assert counts(last) == (4, 0, 0, 0, 4)
    assert set(failed_names(last)) == {"x.txt", "empty.txt"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", last["started_at"])


def test_status_text_after_a_pass(ingested, tmp_path):
    _, index, _ = ingested
    result = ingest(tmp_path, "status", "--index", index)
    assert result.returncode == 0, result.stderr
    assert "documents: 4" in result.stdout
    assert "4 added" in result.stdout and "2 failed" in result.stdout
    assert re.search(r"^failed: .*x\.txt: binary", result.stdout, re.MULTILINE)


# ------------------------------------------------------------------------- 3: search


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """One index for the read-only search tests: the sample, the small documents and a
    long one. Returns (cwd, index)."""
    cwd = tmp_path_factory.mktemp("corpus")
    source = make_source(cwd / "source")
    text = long_document()
    assert len(text) > 40_000 and text.count(LONG_WORD) == 1 and text.index(LONG_WORD) > 35_000
    write(source, "kommuneokonomi.txt", text)
    index = cwd / "index"
    report = ingest_once(cwd, source, index)
    assert report["documents"] == 5
    return cwd, index


def test_search_words_find_the_sample_with_marked_snippet(corpus):
    cwd, index = corpus
    rc, payload = search_json(cwd, index, "hemmelige samtaler")
    assert rc == 0
    assert payload["query"] == "hemmelige samtaler" and payload["total"] == 1
    hit = payload["hits"][0]
    assert hit["id"] == SAMPLE_ID and hit["date"] == "2023-07" and hit["title"] == "Skjulte chatter?"
    assert hit["path"] == str(cwd / "source" / SAMPLE_ID)
    assert "<mark>hemmelige</mark>" in hit["snippet"]
    assert re.search(r"<mark>samtale(ne|r)?</mark>", hit["snippet"]), hit["snippet"]


def test_search_json_pages_with_offset_and_counts_facets_over_all_matches(corpus):
    cwd, index = corpus
    query = "budsjett OR samtaler OR kommune OR Ukraina OR nedbør"
    _, everything = search_json(cwd, index, query, "--limit", "100")
    rc, page = search_json(cwd, index, query, "--limit", "1", "--offset", "1")
    assert rc == 0 and everything["total"] >= 3
    assert page["offset"] == 1 and page["total"] == everything["total"]
    assert hit_ids(page) == hit_ids(everything)[1:2]
    assert page["facets"] == everything["facets"]
    assert sum(page["facets"]["language"].values()) == page["total"]
    assert {hit["language"] for hit in everything["hits"]} <= {"nb", "nn", "other"}
    rc, nynorsk = search_json(cwd, index, query, "--language", "nn")
    assert rc == 0 and nynorsk["total"] == everything["facets"]["language"]["nn"]
    assert {hit["language"] for hit in nynorsk["hits"]} == {"nn"}


def test_search_into_a_closed_pipe_stops_quietly(corpus):
    """``search … | head -1``: the reader goes away before the output is written."""
    cwd, index = corpus
    proc = subprocess.Popen(
        [sys.executable, "-m", "index.cli", "hemmelige samtaler", "--index", str(index)],
        cwd=cwd, env=ENV, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=60) == 141
    assert stderr == ""


def test_search_stems_query_words(corpus):
    cwd, index = corpus
    rc, payload = search_json(cwd, index, "samtale")
    assert rc == 0 and hit_ids(payload) == [SAMPLE_ID]
    snippet = payload["hits"][0]["snippet"]
    assert re.search(r"<mark>samtale(ne|r)</mark>", snippet), snippet
    assert "<mark>hemmelige</mark>" not in snippet  # only the query's own words are marked


def test_search_json_snippet_is_html_escaped(corpus):
    cwd, index = corpus
    rc, payload = search_json(cwd, index, "Young")
    assert rc == 0 and hit_ids(payload) == ["nynorsk.txt"]
    assert "Ernst &amp; <mark>Young</mark>" in payload["hits"][0]["snippet"]


def test_search_plain_output_without_ansi(corpus):
    cwd, index = corpus
    result = search(cwd, "hemmelige samtaler", "--index", index)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr
    assert "<mark>" not in result.stdout
    lines = result.stdout.splitlines()
    assert re.fullmatch(r" 1\. Skjulte chatter\?  \[2023-07\]  score \d+\.\d{3}", lines[0]), lines[0]
    assert lines[1] == f"    {SAMPLE_ID}"
    assert lines[2].startswith("    ") and "hemmelige samtale" in lines[2]
    assert lines[-1] == "1 hit for 'hemmelige samtaler'"


def test_search_plain_output_shows_a_dash_for_no_date(corpus):
    cwd, index = corpus
    result = search(cwd, "strømnettet", "--index", index)
    assert result.returncode == 0
    assert re.match(r" 1\. Ukraina ber om mer hjelp  \[-\]  score ", result.stdout)


@pytest.mark.parametrize("as_json", [False, True])
def test_search_without_hits_exits_1(corpus, as_json):
    cwd, index = corpus
    result = search(cwd, "Hardangerbrua Trollstigen", "--index", index, *(["--json"] if as_json else []))
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr == ""
    if as_json:
        payload = json.loads(result.stdout)
        assert payload["query"] == "Hardangerbrua Trollstigen" and payload["total"] == 0 and payload["hits"] == []
    else:
        assert result.stdout.strip() == "0 hits for 'Hardangerbrua Trollstigen'"


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((), {SAMPLE_ID, "budsjett.txt", "udatert.txt"}),
        (("--since", "2023-07-14"), {SAMPLE_ID}),  # July 2023 reaches the 14th
        (("--until", "2023-07-01"), {SAMPLE_ID, "budsjett.txt"}),
        (("--until", "2023-06"), {"budsjett.txt"}),
        (("--since", "2021", "--until", "2021-03"), {"budsjett.txt"}),
        (("--since", "2024"), set()),
    ],
)
def test_search_date_filters(corpus, flags, expected):
    cwd, index = corpus
    rc, payload = search_json(cwd, index, "Ukraina", *flags)
    assert set(hit_ids(payload)) == expected
    assert rc == (0 if expected else 1)


@pytest.mark.parametrize(
    "flags",
    [("--since", "2023-13"), ("--until", "2023-02-30"), ("--since", "juli"), ("--since", "2024", "--until", "2023")],
)
def test_search_bad_date_is_a_one_line_error(corpus, flags):
    cwd, index = corpus
    line = assert_one_line_error(search(cwd, "Ukraina", "--index", index, *flags), "search")
    assert flags[0] in line


def test_search_bad_date_in_the_query_is_a_one_line_error(corpus):
    cwd, index = corpus
    line = assert_one_line_error(search(cwd, "date:garbage", "--index", index), "search")
    assert "date:garbage" in line


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"fred mulig"', {SAMPLE_ID}),  # budsjett.txt has both words, but not as a phrase
        ("fred mulig", {SAMPLE_ID, "budsjett.txt"}),
        ("Ukraina NOT fred", {"udatert.txt"}),
        ("date:2023-07", {SAMPLE_ID}),
        ("date:2023", {SAMPLE_ID}),
        ("date:2021-03", {"budsjett.txt"}),
        ("title:chatter", {SAMPLE_ID}),
        ("title:Ukraina", {"udatert.txt"}),
        ("Kyiv AND gjenoppbygging", {"udatert.txt"}),
        ("Stortinget OR Vestlandet", {"budsjett.txt", "nynorsk.txt"}),
        ("sykehus*", {"budsjett.txt", "kommuneokonomi.txt"}),
    ],
)
def test_search_query_syntax(corpus, query, expected):
    cwd, index = corpus
    rc, payload = search_json(cwd, index, query)
    assert rc == 0
    assert set(hit_ids(payload)) == expected and payload["total"] == len(expected)


def test_phrase_snippet_marks_the_phrase(corpus):
    cwd, index = corpus
    _, payload = search_json(cwd, index, '"fred mulig"')
    assert "<mark>fred</mark> <mark>mulig</mark>" in payload["hits"][0]["snippet"]


def test_not_terms_are_not_marked(corpus):
    cwd, index = corpus
    _, payload = search_json(cwd, index, "Ukraina NOT fred")
    snippet = payload["hits"][0]["snippet"]
    assert "<mark>Ukraina</mark>" in snippet and "<mark>fred" not in snippet


# ------------------------------------------------------------------ 7: long document


def test_long_document_snippet_marks_a_word_past_35000_chars(corpus):
    cwd, index = corpus
    rc, payload = search_json(cwd, index, LONG_WORD)
    assert rc == 0 and hit_ids(payload) == ["kommuneokonomi.txt"]
    hit = payload["hits"][0]
    assert hit["date"] == "2022-09-02" and hit["title"] == "Kommuneøkonomien i distriktene"
    assert f"<mark>{LONG_WORD}</mark>" in hit["snippet"]
    assert "Samferdselsdepartementet" in hit["snippet"]  # the context around it, not the opening


# ------------------------------------------------------------------------- 4: errors


def test_search_on_an_empty_folder_is_a_one_line_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    line = assert_one_line_error(search(tmp_path, "samtaler", "--index", empty), "search")
    assert "no index" in line
    assert list(empty.iterdir()) == []  # search never creates anything


def test_search_on_a_missing_folder_is_a_one_line_error(tmp_path):
    assert_one_line_error(search(tmp_path, "samtaler", "--index", tmp_path / "nowhere"), "search")
    assert not (tmp_path / "nowhere").exists()


def test_status_before_any_pass_is_a_one_line_error(tmp_path):
    line = assert_one_line_error(ingest(tmp_path, "status", "--index", tmp_path / "index"), "ingest")
    assert "no index" in line


def test_ingest_missing_source_is_a_one_line_error(tmp_path):
    result = ingest(tmp_path, "once", "--source", "/nonexistent", "--index", tmp_path / "index")
    line = assert_one_line_error(result, "ingest")
    assert "/nonexistent" in line
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("prog", ["search", "ingest"])
def test_config_with_unknown_key_is_a_one_line_error(tmp_path, prog):
    config = write(tmp_path, "mine.toml", "[search]\nlimt = 5\n")
    source = make_source(tmp_path / "source")
    if prog == "search":
        result = search(tmp_path, "samtaler", "--config", config, "--index", tmp_path / "index")
    else:
        result = ingest(tmp_path, "once", "--config", config, "--source", source, "--index", tmp_path / "index")
    line = assert_one_line_error(result, prog)
    assert "search.limt" in line and "mine.toml" in line
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[serch]\nlimit = 5\n", "[serch]"),
        ("[search]\nlimit = 0\n", "search.limit"),
        ('[search]\nlimit = "ti"\n', "search.limit"),
        ("[search\nlimit = 5\n", "not valid TOML"),
    ],
)
def test_bad_config_files_are_one_line_errors(corpus, tmp_path, text, named):
    _, index = corpus
    config = write(tmp_path, "bad.toml", text)
    line = assert_one_line_error(search(tmp_path, "samtaler", "--config", config, "--index", index), "search")
    assert named in line


def test_missing_config_file_is_a_one_line_error(tmp_path):
    result = search(tmp_path, "samtaler", "--config", tmp_path / "nope.toml", "--index", tmp_path)
    assert "nope.toml" in assert_one_line_error(result, "search")


def test_empty_query_is_a_one_line_error(corpus):
    cwd, index = corpus
    assert_one_line_error(search(cwd, "  ", "--index", index), "search")


@pytest.mark.parametrize("query", ["path:rapport", "sha256:abc", "size:5", "title:", "\" NOT AND \"", "(fred"])
def test_odd_query_syntax_never_shows_a_traceback(corpus, query):
    """Stored-only fields (``path``, ``sha256``, ``size``) and broken syntax: hits, no hits or
    a one-line error, never a crash (Whoosh raises a bare ``Exception`` on stored fields)."""
    cwd, index = corpus
    result = search(cwd, query, "--index", index)
    no_traceback(result)
    assert result.returncode in (0, 1, 2), result.stderr
    if result.returncode == 2:
        assert_one_line_error(result, "search")
    else:
        assert result.stderr == ""


@pytest.mark.parametrize("interval", ["0", "-5", "nan", "soon"])
def test_run_with_a_bad_interval_exits_2_before_doing_anything(tmp_path, interval):
    source = make_source(tmp_path / "source")
    result = ingest(tmp_path, "run", f"--interval={interval}", "--source", source, "--index", tmp_path / "index")
    no_traceback(result)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]  # argparse: a usage line, then the error
    assert "error:" in last and "--interval" in last
    assert not (tmp_path / "index").exists()


# ---------------------------------------------------------------- 6: ingest run


def _status(cwd: Path, index: Path) -> dict | None:
    result = ingest(cwd, "status", "--json", "--index", index)
    if result.returncode != 0:
        return None  # no index yet (or caught mid-creation): try again
    status = json.loads(result.stdout)
    return status if status["last_pass"] else None


def _found(cwd: Path, index: Path, word: str) -> list[str] | None:
    result = search(cwd, word, "--json", "--index", index)
    if result.returncode != 0:
        return None
    return hit_ids(json.loads(result.stdout))


class IngestRun:
    """``ingest run --interval 1`` as a child process, its stderr in a file."""

    def __init__(self, cwd: Path, source: Path, index: Path):
        self.log = cwd / "run.err"
        self._err = self.log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", "run", "--interval", "1", "--source", str(source), "--index", str(index)],
            cwd=cwd,
            env=ENV,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._err,
        )

    def stderr(self) -> str:
        return self.log.read_text("utf-8")

    def passes_done(self) -> int:
        return self.stderr().count("pass done:")

    def stop(self, signum: int, timeout: float) -> int:
        """Send ``signum``; the exit code, or fail if the process is still running after ``timeout``."""
        self.proc.send_signal(signum)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"ingest run did not stop within {timeout:g} s of {signal.Signals(signum).name}")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._err.close()


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_run_keeps_the_index_in_step_and_stops_on_a_signal(tmp_path, signum):
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(SAMPLE, source / SAMPLE_ID)
    index = tmp_path / "index"
    run_ = IngestRun(tmp_path, source, index)
    try:
        # (status reads the count, then the last pass: polled mid-commit it may pair a count of 0
        # with the first pass's report, so wait for both.)
        status = wait_for(
            lambda: (s := _status(tmp_path, index)) and s["documents"] == 1 and s, 20, "the first pass", run_.proc
        )
        assert status["last_pass"]["documents"] == 1

        write(source, "ferje.txt", "Dato: 12. mai 2024\nFergestreik\n\nKvitsøyfergen står stille etter at mannskapet gikk ut i streik.\n")
        ids = wait_for(lambda: _found(tmp_path, index, "Kvitsøyfergen"), 20, "the new file in search", run_.proc)
        assert ids == ["ferje.txt"]

        # Signal between two passes: just after one ended, about a second before the next.
        # (A signal during a pass is test_run_stops_on_a_signal_during_a_pass.)
        done = run_.passes_done()
        wait_for(lambda: run_.passes_done() > done, 10, "the next pass", run_.proc)
        time.sleep(0.2)
        returncode = run_.stop(signum, timeout=15)
    finally:
        run_.close()
    err = run_.stderr()
    assert returncode == 0, err
    assert "Traceback" not in err, err[err.index("Traceback") - 500 :]
    assert f"{signum.name} received" in err and "stopped" in err
    status = _status(tmp_path, index)  # the index is whole after the stop
    assert status is not None and status["documents"] == 2


@pytest.mark.slow
def test_run_stops_on_a_signal_during_a_pass(tmp_path):
    source = tmp_path / "source"
    text = "Kommunestyret i Bergen behandlet budsjettet på møtet tirsdag, og flertallet ønsket en utredning. " * 8
    for i in range(3000):  # a first pass of a second or more
        write(source, f"saker/sak{i:04d}.txt", f"Dato: 3. mars 2021\nSak {i}\n\n{text}\n")
    index = tmp_path / "index"
    run_ = IngestRun(tmp_path, source, index)
    try:
        wait_for(lambda: index.is_dir(), 20, "the first pass to start", run_.proc)
        time.sleep(0.2)
        returncode = run_.stop(signal.SIGTERM, timeout=10)
    finally:
        run_.close()
    err = run_.stderr()
    if "(interrupted)" not in err:
        pytest.skip("the first pass ended before the signal: this machine is too fast for the test")
    assert returncode == 0, err
    assert "Traceback" not in err
    status = _status(tmp_path, index)  # what the interrupted pass did was committed
    assert status is not None and 0 < status["documents"] < 3000
