"""Relevance benchmark: NorQuAD questions against our system and three plain peers.

Indexes the 755 NorQuAD passages (setting "passages"), then the passages plus distractor
documents from Lovdata and NoReC (setting "+N distractors"), in four systems:

* ours     the real ingest path: one UTF-8 .txt file per document in a temporary folder,
           ``ingest.ingest_folder``, then ``index.open_index(...).search(question, limit=10)``
           with default settings (the question exactly as typed).
* fts5     SQLite FTS5, ``unicode61`` tokenizer, ``bm25()``; the question's words,
           each double-quoted, OR-ed.
* tantivy  tantivy-py 0.27, simple tokenizer + lowercase + Snowball Norwegian stemmer,
           BM25; the question's words, each double-quoted, OR-ed, over title and text.
* whoosh   plain Whoosh: ``LanguageAnalyzer("no")``, ``MultifieldParser`` over title and
           text with ``OrGroup``, default BM25F; the question's words (lower-cased, space-
           separated, so that ``?`` is not read as a wildcard).

and prints MRR@10, R@1, R@10, nDCG@10, indexing time and docs/s, query time, and for
ours the share of relevant top-1 hits whose snippet contains the annotated answer.
See bench/README.md. This is a script that prints figures, not a test.

    .venv/bin/python bench/relevance.py                                   # full run
    .venv/bin/python bench/relevance.py --distractors 2000 --queries 300  # quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import math
import os
import platform
import re
import shlex
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from benchmain import BenchError, bench_main, chosen_systems

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPUS_DIR = "norquad_retrieval"
LOVDATA = Path("bulk_lovdata") / "lovdata_sections.jsonl.gz"
NOREC = Path("bulk_norec") / "norec_reviews.jsonl.gz"
K = 10
SYSTEMS = ("ours", "fts5", "tantivy", "whoosh")
HALVES = ("even", "odd")
MORE_SYSTEMS = ("ours-opensearch",)  # only when asked for (--systems): it needs a running cluster

# The question's words for the peers: Python's Unicode \w (letters incl. æøå, digits, "_").
WORD = re.compile(r"\w+")




# ---------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    text: str
    header: str | None = None  # a first line before the title, e.g. "date 1998-07-17"


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    relevant: frozenset[str]


@dataclass
class Data:
    passages: list[Doc]
    distractors: list[Doc]
    queries: list[Query]
    answers: dict[tuple[str, str], str]  # (query id, doc id) -> answer text
    total_queries: int
    n_lovdata: int = 0
    n_norec: int = 0


def _jsonl(path: Path, limit: int | None = None) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            yield json.loads(line)


def _tsv(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8") as lines:
        next(lines)  # header
        for line in lines:
            line = line.rstrip("\n")
            if line:
                yield line.split("\t")


def _require(path: Path, hint: str) -> Path:
    if not path.is_file():
        raise BenchError(f"data not found: {path} ({hint})")
    return path


def load_data(root: Path, distractors: int, max_queries: int | None) -> Data:
    if not root.is_dir():
        raise BenchError(f"data folder not found: {root} (give its location with --data DIR)")
    hint = "give the shared data folder with --data DIR"
    corpus = root / CORPUS_DIR
    passages = [Doc(d["id"], d["title"], d["text"]) for d in _jsonl(_require(corpus / "corpus.jsonl", hint))]

    relevant: dict[str, set[str]] = {}
    for query_id, doc_id, grade in _tsv(_require(corpus / "qrels.tsv", hint)):
        if int(grade) > 0:
            relevant.setdefault(query_id, set()).add(doc_id)
    answers = {
        (query_id, doc_id): answer
        for query_id, doc_id, _start, answer in _tsv(_require(corpus / "answers.tsv", hint))
    }
    queries = [
        Query(q["id"], q["text"], frozenset(relevant[q["id"]]))
        for q in _jsonl(_require(corpus / "queries.jsonl", hint))
        if q["id"] in relevant
    ]
    total = len(queries)
    if max_queries is not None and max_queries < total:
        # Evenly spread over the file: queries come grouped by passage, so the first N
        # would only cover the first few passages.
        step = total / max_queries
        queries = [queries[int(i * step)] for i in range(max_queries)]

    lovdata: list[Doc] = []
    norec: list[Doc] = []
    if distractors > 0:
        hint += ", or --distractors 0"
        lovdata = [
            Doc(d["id"], d["title"], d["text"], header=f"date {d['date']}" if d.get("date") else None)
            for d in _jsonl(_require(root / LOVDATA, hint), distractors // 2)
        ]
        norec = [
            Doc(d["id"], d["title"], d["text"])
            for d in _jsonl(_require(root / NOREC, hint), distractors - distractors // 2)
        ]
    return Data(passages, lovdata + norec, queries, answers, total, len(lovdata), len(norec))


def question_words(question: str) -> list[str]:
    return WORD.findall(question)


# ------------------------------------------------------------------------------- systems


@dataclass
class Ranking:
    ids: list[str]
    top_snippet: str | None = None  # ours only: plain snippet of the first hit


class System:
    name = ""
    description = ""

    def build(self, docs: list[Doc], workdir: Path) -> None:
        """Index ``docs``; the caller times this call."""
        raise NotImplementedError

    def search(self, question: str) -> Ranking:
        raise NotImplementedError

    def close(self) -> None:
        pass


_INGEST_CONFIG = None


def _ingest_config():
    """The default ingest settings (``config/default.toml``, plus any ``NORSEARCH__`` variables),
    read once, so that both settings use the same ones even if the file changes during a run."""
    global _INGEST_CONFIG
    if _INGEST_CONFIG is None:
        from index.config import load_config

        _INGEST_CONFIG = load_config().ingest
    return _INGEST_CONFIG


class Ours(System):
    name = "ours"
    description = "ingest_folder + open_index().search(question, limit=10), defaults"

    def __init__(self) -> None:
        self._files: dict[str, str] = {}  # file id ("<safe>.txt") -> doc id
        self.failed: list[str] = []
        self._ix = None
        self._source: Path | None = None
        self._index_dir: Path | None = None

    @staticmethod
    def _safe(doc_id: str) -> str:
        name = re.sub(r"[^A-Za-z0-9_-]+", "_", doc_id).strip("_") or "doc"
        return name[:150]

    def prepare(self, docs: list[Doc], workdir: Path) -> None:
        """Write one file per document (not timed): header line, title line, then the text."""
        self._source = workdir / "docs"
        self._index_dir = workdir / "index"
        self._source.mkdir()
        for doc in docs:
            stem = base = self._safe(doc.id)
            n = 1
            while stem + ".txt" in self._files:
                n += 1
                stem = f"{base}-{n}"
            self._files[stem + ".txt"] = doc.id
            lines = ([doc.header] if doc.header else []) + [doc.title, doc.text]
            (self._source / (stem + ".txt")).write_text("\n".join(lines), encoding="utf-8")

    def build(self, docs: list[Doc], workdir: Path) -> None:
        from ingest import ingest_folder
        from index import open_index

        assert self._source is not None and self._index_dir is not None
        settings = self._settings()
        report = ingest_folder(self._source, self._index_dir, _ingest_config(), settings=settings)
        self.failed = [f"{f.path}: {f.error}" for f in report.failed]
        self._ix = open_index(self._index_dir, config=settings)

    def _settings(self):
        """The whole configuration (the backend), ``None`` for the defaults."""
        return None

    def search(self, question: str) -> Ranking:
        hits = self._ix.search(question, limit=K)
        ids = [self._files.get(hit.id, hit.id) for hit in hits]
        return Ranking(ids, hits[0].snippet.plain() if len(hits) else None)

    def close(self) -> None:
        if self._ix is not None:
            self._ix.close()


class OursOpenSearch(Ours):
    """Ours with ``index.backend = "opensearch"``, in a fresh index of a running cluster
    (``make opensearch``; another with ``NORSEARCH__OPENSEARCH__HOSTS``), deleted afterwards."""

    name = "ours-opensearch"
    description = "the same as ours with index.backend = opensearch (a running cluster: make opensearch)"

    def __init__(self) -> None:
        super().__init__()
        from index.config import load_config

        self._name = f"relevance-{os.getpid()}-{time.monotonic_ns()}"
        environ = {**os.environ, "NORSEARCH__INDEX__BACKEND": "opensearch", "NORSEARCH__OPENSEARCH__INDEX": self._name}
        self._config = load_config(environ=environ)

    def _settings(self):
        return self._config

    def close(self) -> None:
        super().close()
        from index.opensearch.client import connect

        client = connect(self._config.opensearch)
        client.indices.delete(index=self._name, params={"ignore_unavailable": "true"})
        client.close()


class Fts5(System):
    name = "fts5"

    def __init__(self) -> None:
        self.description = f"SQLite {sqlite3.sqlite_version} FTS5 unicode61, bm25(), quoted words OR-ed"
        self._db: sqlite3.Connection | None = None
        self._ids: list[str] = []

    def build(self, docs: list[Doc], workdir: Path) -> None:
        self._db = sqlite3.connect(workdir / "fts5.db")
        self._db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize='unicode61')")
        self._ids = [doc.id for doc in docs]
        with self._db:
            self._db.executemany(
                "INSERT INTO docs(rowid, title, text) VALUES (?, ?, ?)",
                ((i, doc.title, doc.text) for i, doc in enumerate(docs)),
            )

    def search(self, question: str) -> Ranking:
        words = question_words(question)
        if not words:
            return Ranking([])
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = self._db.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, K)
        ).fetchall()
        return Ranking([self._ids[rowid] for (rowid,) in rows])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


class Tantivy(System):
    name = "tantivy"

    def __init__(self) -> None:
        import tantivy

        self._t = tantivy
        self.description = (
            f"tantivy-py {_version('tantivy')}: simple | lowercase | stemmer(norwegian), BM25, "
            "quoted words OR-ed over title+text"
        )
        self._index = None
        self._searcher = None

    def build(self, docs: list[Doc], workdir: Path) -> None:
        t = self._t
        builder = t.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", tokenizer_name="norwegian_stem")
        builder.add_text_field("text", tokenizer_name="norwegian_stem")
        path = workdir / "tantivy"
        path.mkdir()
        self._index = t.Index(builder.build(), path=str(path))
        analyzer = (
            t.TextAnalyzerBuilder(t.Tokenizer.simple())
            .filter(t.Filter.lowercase())
            .filter(t.Filter.stemmer("norwegian"))
            .build()
        )
        self._index.register_tokenizer("norwegian_stem", analyzer)
        writer = self._index.writer()
        for doc in docs:
            writer.add_document(t.Document(id=doc.id, title=doc.title, text=doc.text))
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()
        self._searcher = self._index.searcher()

    def search(self, question: str) -> Ranking:
        words = question_words(question)
        if not words:
            return Ranking([])
        text = " OR ".join('"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"' for w in words)
        q = self._index.parse_query(text, ["title", "text"])
        result = self._searcher.search(q, K, count=False)
        return Ranking([self._searcher.doc(address)["id"][0] for _score, address in result.hits])


class PlainWhoosh(System):
    name = "whoosh"

    def __init__(self) -> None:
        self.description = (
            f"Whoosh {_version('whoosh-reloaded') or _version('whoosh')}: LanguageAnalyzer('no'), "
            "MultifieldParser(title, text, OrGroup), BM25F"
        )
        self._index = None
        self._searcher = None
        self._parser = None

    def build(self, docs: list[Doc], workdir: Path) -> None:
        from whoosh import index as windex
        from whoosh.analysis import LanguageAnalyzer
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.qparser import MultifieldParser, OrGroup

        analyzer = LanguageAnalyzer("no")
        schema = Schema(id=ID(stored=True), title=TEXT(analyzer=analyzer), text=TEXT(analyzer=analyzer))
        path = workdir / "whoosh"
        path.mkdir()
        self._index = windex.create_in(str(path), schema)
        writer = self._index.writer()
        for doc in docs:
            writer.add_document(id=doc.id, title=doc.title, text=doc.text)
        writer.commit()
        self._searcher = self._index.searcher()
        self._parser = MultifieldParser(["title", "text"], schema, group=OrGroup)

    def search(self, question: str) -> Ranking:
        words = question_words(question)
        if not words:
            return Ranking([])
        q = self._parser.parse(" ".join(w.lower() for w in words))
        return Ranking([hit["id"] for hit in self._searcher.search(q, limit=K)])

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        if self._index is not None:
            self._index.close()


FACTORIES: dict[str, Callable[[], System]] = {
    "ours": Ours,
    "ours-opensearch": OursOpenSearch,
    "fts5": Fts5,
    "tantivy": Tantivy,
    "whoosh": PlainWhoosh,
}


# ------------------------------------------------------------------------------- metrics


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class Result:
    setting: str
    system: str
    docs: int
    queries: int
    mrr10: float = 0.0
    r1: float = 0.0
    r10: float = 0.0
    ndcg10: float = 0.0
    index_seconds: float = 0.0
    docs_per_second: float = 0.0
    ms_per_query: float = 0.0
    errors: int = 0  # queries the system raised on (scored as no hits)
    ingest_failed: int = 0
    snippet_answer_share: float | None = None
    snippet_answer_hits: int | None = None
    snippet_answer_of: int | None = None
    error_examples: list[str] = field(default_factory=list)


def score_query(ids: list[str], relevant: frozenset[str]) -> dict[str, float]:
    """MRR@10, recall@1, recall@10 and nDCG@10 (binary gains) of one ranking."""
    top = ids[:K]
    first = next((rank for rank, doc in enumerate(top, start=1) if doc in relevant), None)
    dcg = sum(1 / math.log2(rank + 1) for rank, doc in enumerate(top, start=1) if doc in relevant)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(len(relevant), K) + 1))
    return {
        "rr": 1 / first if first else 0.0,
        "r1": len(relevant & set(top[:1])) / len(relevant),
        "r10": len(relevant & set(top)) / len(relevant),
        "ndcg": dcg / ideal,
    }


def evaluate(
    system: System, setting: str, docs: list[Doc], data: Data, workdir: Path, per_query: list[dict] | None,
    split_halves: bool = False,
) -> list[Result]:
    """The figures of ``system`` on ``docs``: one result, or one per half of the questions."""
    if isinstance(system, Ours):
        system.prepare(docs, workdir)
    clock = time.perf_counter()
    system.build(docs, workdir)
    seconds = time.perf_counter() - clock
    result = Result(setting, system.name, len(docs), len(data.queries))
    result.index_seconds = seconds
    result.docs_per_second = len(docs) / seconds if seconds > 0 else float("inf")
    if isinstance(system, Ours):
        result.ingest_failed = len(system.failed)
        for line in system.failed[:5]:
            print(f"  ours: ingest failed: {line}", file=sys.stderr)

    scored: list[tuple[Query, dict[str, float], bool | None]] = []
    search_seconds = 0.0
    for query in data.queries:
        clock = time.perf_counter()
        try:
            ranking = system.search(query.text)
        except Exception as error:  # a system that rejects a question scores nothing on it
            ranking = Ranking([])
            result.errors += 1
            if len(result.error_examples) < 5:
                result.error_examples.append(f"{query.id} {query.text!r}: {type(error).__name__}: {error}")
        search_seconds += time.perf_counter() - clock
        scores = score_query(ranking.ids, query.relevant)
        snippet_ok = None
        if isinstance(system, Ours) and ranking.ids and ranking.ids[0] in query.relevant:
            answer = data.answers.get((query.id, ranking.ids[0]))
            snippet_ok = bool(answer) and _normalise(answer) in _normalise(ranking.top_snippet or "")
        scored.append((query, scores, snippet_ok))
        if per_query is not None:
            per_query.append({
                "setting": setting, "system": system.name, "query_id": query.id, "question": query.text,
                "relevant": sorted(query.relevant), "ranking": ranking.ids, **scores,
                **({"snippet_has_answer": snippet_ok} if snippet_ok is not None else {}),
            })
    result.ms_per_query = 1000 * search_seconds / (len(data.queries) or 1)
    if not split_halves:
        return [summarise(result, scored, isinstance(system, Ours))]
    return [
        summarise(replace(result, setting=f"{setting} [{half}]"), [s for s in scored if question_half(s[0].id) == half],
                  isinstance(system, Ours))
        for half in HALVES
    ]


def question_half(query_id: str) -> str:
    """``even`` or ``odd``, by the number in the question's id (``q00002`` is even): the two
    halves of the questions, one to develop on and one held out (questions come grouped by
    passage, so each half asks about nearly every passage)."""
    digits = re.sub(r"\D", "", query_id)
    return HALVES[int(digits or "0") % 2]


def summarise(result: Result, scored: list[tuple[Query, dict[str, float], bool | None]], snippets: bool) -> Result:
    """``result`` with the mean figures of the questions ``scored``."""
    n = len(scored) or 1
    result.queries = len(scored)
    result.mrr10, result.r1, result.r10, result.ndcg10 = (
        sum(scores[key] for _, scores, _ in scored) / n for key in ("rr", "r1", "r10", "ndcg")
    )
    if snippets:
        answered = [ok for _, _, ok in scored if ok is not None]
        result.snippet_answer_hits, result.snippet_answer_of = sum(answered), len(answered)
        result.snippet_answer_share = sum(answered) / len(answered) if answered else None
    return result


# -------------------------------------------------------------------------------- output


def _version(package: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def project_version() -> str | None:
    """The project's git commit, with a mark when the working tree differs from it."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + (" (with uncommitted changes)" if dirty else "")


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count()
    return {
        "nproc": nproc,
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "whoosh": _version("whoosh-reloaded") or _version("whoosh"),
        "tantivy": _version("tantivy"),
    }


def _f(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_table(results: list[Result], info: dict) -> None:
    print(f"relevance.py  {info['date']}")
    m = info["machine"]
    print(f"machine: nproc {m['nproc']}, {m['cpu']}, Python {m['python']}, {m['platform']}")
    print(f"versions: whoosh {m['whoosh']}, tantivy {m['tantivy']}, sqlite {m['sqlite']}")
    print(f"command: {info['command']}")
    if info["project"]:
        print(f"project: commit {info['project']}")
    print(f"data: {info['data']}")
    half = f" ({info['half']} half)" if info["half"] in HALVES else " (each half apart)" if info["half"] else ""
    print(
        f"queries: {info['queries']} of {info['total_queries']}{half}; "
        f"distractors: {info['distractors']['lovdata']} lovdata + {info['distractors']['norec']} norec (first lines)"
    )
    print()
    header = ("setting", "system", "docs", "MRR@10", "R@1", "R@10", "nDCG@10", "index s", "docs/s", "ms/query", "answer in snippet")
    rows = []
    for r in results:
        snippet = "-"
        if r.snippet_answer_share is not None:
            snippet = f"{r.snippet_answer_share:.3f} ({r.snippet_answer_hits}/{r.snippet_answer_of})"
        rows.append((
            r.setting, r.system, str(r.docs), _f(r.mrr10), _f(r.r1), _f(r.r10), _f(r.ndcg10),
            _f(r.index_seconds, 1), f"{r.docs_per_second:,.0f}", _f(r.ms_per_query, 1), snippet,
        ))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    left = {0, 1}

    def line(cells) -> str:
        return "  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    print(line(header))
    print(line(["-" * w for w in widths]))
    previous = None
    for r, row in zip(results, rows):
        if previous is not None and r.setting != previous:
            print()
        previous = r.setting
        print(line(row))
    print()
    print("systems:")
    for name, description in info["systems"].items():
        print(f"  {name:8} {description}")
    for note in info["notes"]:
        print(f"note: {note}")
    print(f"total run time: {info['seconds']:.0f} s")


# ---------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="relevance.py",
        description="NorQuAD retrieval benchmark: our system against SQLite FTS5, tantivy and plain Whoosh.",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"shared data folder (default: {DEFAULT_DATA})")
    parser.add_argument("--distractors", type=int, default=20000, metavar="N",
                        help="distractor documents for the second setting, half Lovdata, half NoReC, "
                             "first lines of each file (default 20000; 0 = passages only)")
    parser.add_argument("--queries", type=int, default=None, metavar="N",
                        help="use N queries spread evenly over queries.jsonl (default: all)")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"comma-separated subset of {','.join(SYSTEMS + MORE_SYSTEMS)} (default: {','.join(SYSTEMS)})")
    parser.add_argument("--per-query", type=Path, metavar="FILE",
                        help="also write every query's ranking and scores as JSON lines to FILE")
    parser.add_argument("--half", choices=(*HALVES, "both"),
                        help="only the questions whose id number is even (or odd), to develop on one half "
                             "and confirm on the other; both: every question, figures given for each half")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = parser.parse_args(argv)
    if args.distractors < 0:
        parser.error("--distractors must be 0 or more")
    if args.queries is not None and args.queries < 1:
        parser.error("--queries must be at least 1")
    args.systems = chosen_systems(parser, args.systems, SYSTEMS + MORE_SYSTEMS)
    return args


def _quiet_logs() -> None:
    """Our ingest logs through loguru: keep warnings and worse, so progress stays readable."""
    try:
        from loguru import logger
    except ImportError:
        return
    logger.remove()
    logger.add(sys.stderr, level="WARNING")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    project = project_version()  # now: the project may change on disk while this runs
    if "ours" in args.systems:
        import index  # noqa: F401  load our code and settings once, at the start
        import ingest  # noqa: F401

        try:
            _ingest_config()
        except ValueError as error:  # index.config.ConfigError
            raise BenchError(f"our configuration: {error}") from None
    data = load_data(args.data.expanduser(), args.distractors, args.queries)
    if args.half in HALVES:
        data.queries = [q for q in data.queries if question_half(q.id) == args.half]
    _quiet_logs()
    settings = [("passages", data.passages)]
    if data.distractors:
        settings.append((f"+{len(data.distractors):,} distractors", data.passages + data.distractors))

    systems_info: dict[str, str] = {}
    notes: list[str] = []
    results: list[Result] = []
    per_query: list[dict] | None = [] if args.per_query else None
    for setting, docs in settings:
        for name in args.systems:
            try:
                system = FACTORIES[name]()
            except ImportError as error:
                note = f"{name} skipped: {error} (install it, e.g. .venv/bin/pip install tantivy==0.27.0)"
                if note not in notes:
                    notes.append(note)
                    print(note, file=sys.stderr)
                continue
            systems_info[name] = system.description
            print(f"[{setting}] {name}: indexing {len(docs):,} documents …", file=sys.stderr, flush=True)
            with tempfile.TemporaryDirectory(prefix=f"relevance-{name}-") as tmp:
                try:
                    outcome = evaluate(system, setting, docs, data, Path(tmp), per_query, args.half == "both")
                finally:
                    system.close()
            result = outcome[0]
            print(
                f"[{setting}] {name}: nDCG@10 {', '.join(f'{r.ndcg10:.3f}' for r in outcome)}, "
                f"indexed in {result.index_seconds:.1f} s, {result.ms_per_query:.1f} ms/query",
                file=sys.stderr, flush=True,
            )
            if result.errors:
                notes.append(f"{name} [{setting}]: {result.errors} questions raised an error (scored as no hits), "
                             f"e.g. {result.error_examples[0]}")
            if result.ingest_failed:
                notes.append(f"ours [{setting}]: {result.ingest_failed} files failed to ingest")
            results.extend(outcome)

    if per_query is not None:
        with open(args.per_query, "w", encoding="utf-8") as out:
            for row in per_query:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")

    info = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "project": project,
        "command": shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv])),
        "data": str(args.data),
        "queries": len(data.queries),
        "half": args.half,
        "total_queries": data.total_queries,
        "distractors": {"lovdata": data.n_lovdata, "norec": data.n_norec},
        "systems": systems_info,
        "notes": notes,
        "seconds": time.perf_counter() - started,
    }
    if args.json:
        info["results"] = [
            {k: v for k, v in vars(r).items() if k != "error_examples"} | {"error_examples": r.error_examples}
            for r in results
        ]
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print_table(results, info)
    return 0


def main(argv: list[str] | None = None) -> int:
    return bench_main("relevance.py", lambda args: run(parse_args(args)), argv)


if __name__ == "__main__":
    sys.exit(main())
