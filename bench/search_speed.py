"""Search latency benchmark: our `open_index(...).search()` against three plain peers, at 100k docs.

Builds (or reuses, ``--index DIR``) the 100,000-document folder of bench/ingest_speed.py (Lovdata and
NoReC alternating, as UTF-8 files) indexed by our real ``ingest once`` and by the peers, then
runs 1,000 real queries through each, one at a time, top 10 with snippets:

* ours     ``open_index(dir).search(q, limit=10)``, every hit's ``snippet.plain()``
* whoosh   plain Whoosh: ``MultifieldParser(title, text, OrGroup)``, ``searcher.search(q,
           limit=10)``, every hit's ``highlights("text")`` (its default highlighter)
* tantivy  tantivy-py 0.27: the words quoted and OR-ed over title and text, top 10, every hit's
           stored document and ``SnippetGenerator`` snippet (200 characters)
* fts5     SQLite FTS5: the words quoted and OR-ed, ``ORDER BY bm25(docs) LIMIT 10`` with
           ``snippet()`` (faster here than ``ORDER BY rank``)

The queries: 500 NorQuAD questions spread evenly over queries.jsonl, as typed, and 500 short
keyword queries made from them (1 or 2 content words each). Prints p50/p95/mean latency per
system and kind, each system's CPU time per query (p50/p95: steadier than the clock on a busy
machine), and ours' cold start (a fresh process: ``open_index`` + the first query),
against the issue's targets. See bench/README.md. A script that prints figures, not a test.

    .venv/bin/python bench/search_speed.py --index /tmp/b100k        # reuse bench/ingest_speed.py --keep /tmp/b100k
    .venv/bin/python bench/search_speed.py                           # build 100k docs in a temporary folder first
    .venv/bin/python bench/search_speed.py --docs 2000 --queries 100 # quick run
"""

import argparse
import datetime as dt
import importlib.util
import json
import os
import re
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmain import BenchError, bench_main, chosen_systems

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
K = 10
SNIPPET_CHARS = 200
SYSTEMS = ("ours", "whoosh", "tantivy", "fts5")
WARMUP = 5  # queries run once, untimed, before each system's timed run
COLD_RUNS = 5

# Targets from the issue.
TARGET_COLD_SECONDS = 1.0

WORD = re.compile(r"\w+")
# Question words and fillers that Whoosh's Norwegian stop list lacks, for the keyword queries.
EXTRA_STOP = {"hvilket", "hvorfor", "het", "heter", "hete", "navn", "navnet", "kalles", "står", "finnes", "gjør",
              "gjorde", "ifølge", "sier", "sa", "får", "fikk", "første", "skjedde", "brukes", "ble"}


def _load(name: str, file: str):
    """A sibling script of bench/ as a module (bench/ingest_speed.py under another name than the
    project's ``ingest`` package)."""
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, BENCH / file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module


bench_ingest = _load("bench_ingest", "ingest_speed.py")
relevance = _load("relevance", "relevance.py")
DEFAULT_DATA = bench_ingest.DEFAULT_DATA
QUERIES = Path("norquad_retrieval") / "queries.jsonl"


# ------------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Query:
    kind: str  # "question" or "keywords"
    text: str


def keyword_query(question: str, number: int, stop: frozenset[str]) -> str:
    """1 (even ``number``) or 2 (odd) content words of ``question``: the longest ones (the
    earlier on a tie), in the question's order, lower-cased."""
    words = [w.lower() for w in WORD.findall(question)]
    content = [w for w in words if w not in stop and len(w) >= 3 and not w.isdigit()] or words
    take = 1 if number % 2 == 0 else 2
    longest = sorted(range(len(content)), key=lambda i: (-len(content[i]), i))[:take]
    return " ".join(content[i] for i in sorted(longest))


def load_queries(root: Path, n: int) -> tuple[list[Query], int]:
    """``n`` queries: ceil(n/2) questions spread evenly over queries.jsonl and floor(n/2) keyword
    queries made from the first of those, interleaved (question, keywords, question, …)."""
    from whoosh.lang import stopwords_for_language

    path = root / QUERIES
    if not path.is_file():
        raise BenchError(f"data not found: {path} (give the shared data folder with --data DIR)")
    questions = [q["text"] for q in relevance._jsonl(path)]
    n_questions = min((n + 1) // 2, len(questions))
    step = len(questions) / n_questions
    picked = [questions[int(i * step)] for i in range(n_questions)]
    stop = frozenset(stopwords_for_language("no")) | EXTRA_STOP
    keywords = [keyword_query(q, i, stop) for i, q in enumerate(picked[: n - n_questions])]
    queries: list[Query] = []
    for i, question in enumerate(picked):
        queries.append(Query("question", question))
        if i < len(keywords):
            queries.append(Query("keywords", keywords[i]))
    return queries, len(questions)


def quoted_or(text: str, quote) -> str | None:
    """The query's words, each quoted, OR-ed: how the peers are asked (as in relevance.py)."""
    words = relevance.question_words(text)
    return " OR ".join(quote(w) for w in words) if words else None


# ------------------------------------------------------------------------------- systems


class System:
    name = ""
    description = ""

    def search(self, text: str) -> int:
        """Top 10 with a snippet each; returns the number of hits."""
        raise NotImplementedError

    def close(self) -> None:
        pass


class Ours(System):
    name = "ours"

    def __init__(self, path: Path) -> None:
        from index import open_index

        self.description = "open_index(dir).search(q, limit=10), defaults (exact totals), hit.snippet.plain() per hit"
        self._ix = open_index(path)

    def search(self, text: str) -> int:
        hits = self._ix.search(text, limit=K)
        for hit in hits:
            hit.snippet.plain()
        return len(hits)

    def close(self) -> None:
        self._ix.close()


class PlainWhoosh(System):
    name = "whoosh"

    def __init__(self, path: Path) -> None:
        from whoosh import index as windex
        from whoosh.qparser import MultifieldParser, OrGroup

        self.description = (
            f"Whoosh {relevance._version('whoosh-reloaded')}: MultifieldParser(title, text, OrGroup) on the words "
            "lower-cased, BM25F, search(limit=10), hit.highlights('text') per hit (default highlighter)"
        )
        self._ix = windex.open_dir(str(path))
        self._searcher = self._ix.searcher()
        self._parser = MultifieldParser(["title", "text"], self._ix.schema, group=OrGroup)

    def search(self, text: str) -> int:
        words = relevance.question_words(text)
        if not words:
            return 0
        results = self._searcher.search(self._parser.parse(" ".join(w.lower() for w in words)), limit=K)
        for hit in results:
            hit.highlights("text")
        return len(results.top_n)

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()


class Tantivy(System):
    name = "tantivy"

    def __init__(self, path: Path) -> None:
        import tantivy

        self._t = tantivy
        self.description = (
            f"tantivy-py {relevance._version('tantivy')}: words quoted, OR-ed over title+text, top 10, "
            f"searcher.doc() + SnippetGenerator ({SNIPPET_CHARS} chars) per hit"
        )
        self._ix = tantivy.Index.open(str(path))
        self._ix.register_tokenizer(bench_ingest.TANTIVY_TOKENIZER, bench_ingest.tantivy_analyzer(tantivy))
        self._schema = self._ix.schema
        self._searcher = self._ix.searcher()

    @staticmethod
    def _quote(word: str) -> str:
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def search(self, text: str) -> int:
        match = quoted_or(text, self._quote)
        if match is None:
            return 0
        q = self._ix.parse_query(match, ["title", "text"])
        result = self._searcher.search(q, K, count=False)
        generator = self._t.SnippetGenerator.create(self._searcher, q, self._schema, "text")
        generator.set_max_num_chars(SNIPPET_CHARS)
        for _score, address in result.hits:
            doc = self._searcher.doc(address)
            doc["title"]
            generator.snippet_from_doc(doc).to_html()
        return len(result.hits)


class Fts5(System):
    name = "fts5"

    def __init__(self, path: Path) -> None:
        self.description = (
            f"SQLite {sqlite3.sqlite_version} FTS5: words quoted, OR-ed, ORDER BY bm25(docs) LIMIT 10, "
            "snippet(docs, 2, '<b>', '</b>', '…', 32)"
        )
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def search(self, text: str) -> int:
        match = quoted_or(text, lambda w: '"' + w.replace('"', '""') + '"')
        if match is None:
            return 0
        rows = self._db.execute(
            "SELECT id, title, snippet(docs, 2, '<b>', '</b>', '…', 32) FROM docs WHERE docs MATCH ? "
            "ORDER BY bm25(docs) LIMIT ?",
            (match, K),
        ).fetchall()
        return len(rows)

    def close(self) -> None:
        self._db.close()


FACTORIES = {"ours": Ours, "whoosh": PlainWhoosh, "tantivy": Tantivy, "fts5": Fts5}


# ------------------------------------------------------------------------------ the index


@dataclass
class Bench:
    """A bench folder (bench/ingest_speed.py's layout): docs/, ours/, whoosh/, tantivy/, fts5.db."""

    path: Path
    documents: int
    lovdata: int
    norec: int
    input_bytes: int
    built: dict[str, float] = field(default_factory=dict)  # system -> seconds, built in this run
    reused: list[str] = field(default_factory=list)
    created: str = ""


def prepare(args: argparse.Namespace, workdir: Path, systems: list[str], command: str) -> Bench:
    """Reuse what ``workdir`` holds (its manifest.json), build what is missing."""
    manifest_path = workdir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else None
    source = workdir / "docs"
    if manifest is None:
        if workdir.exists() and any(workdir.iterdir()):
            raise BenchError(f"--index {workdir}: neither a bench folder (no manifest.json) nor empty")
        n = args.docs or bench_ingest.SIZES[-1]
        bench_ingest.data_files(args.data)
        bench_ingest.log(f"reading {n:,} documents from {args.data} …")
        docs = bench_ingest.documents(args.data, n)
        workdir.mkdir(parents=True, exist_ok=True)
        source.mkdir()
        total = bench_ingest.write_files(docs, source)
        bench_ingest.write_manifest(workdir, docs, total, [], command)
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        bench_ingest.log(f"wrote {n:,} files ({total / 1e6:.1f} MB) to {source}")
    elif args.docs and args.docs != manifest["documents"]:
        raise BenchError(f"--index {workdir} holds {manifest['documents']:,} documents, --docs asks for {args.docs:,}")
    bench = Bench(workdir, manifest["documents"], manifest["lovdata"], manifest["norec"], manifest["input_bytes"],
                  created=manifest["created"])
    for system in systems:
        target = bench_ingest.index_path(workdir, system)
        if system in manifest["indexes"] and target.exists():
            if system == "ours" and not _current(target):
                bench_ingest.log(f"bringing the ours index up to date with `ingest once` (an older schema) …")
                bench.built[system] = bench_ingest.run_ours(source, target).seconds
            else:
                bench.reused.append(system)
            continue
        if not source.is_dir():
            raise BenchError(f"--index {workdir}: no docs/ folder to build the {system} index from")
        if target.exists():
            raise BenchError(f"--index {workdir}: {target.name} exists but the manifest does not list it; remove it")
        bench_ingest.log(f"building the {system} index of {bench.documents:,} documents …")
        if system == "ours":
            run = bench_ingest.run_ours(source, target)
        else:
            run = bench_ingest.run_peer(system, source, target)
        bench.built[system] = run.seconds
        manifest["indexes"][system] = target.name
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return bench


def _current(index_dir: Path) -> bool:
    """Whether our index in ``index_dir`` opens with this code (an index of an older schema
    is rebuilt by the next ``ingest once``, not searched)."""
    from index import open_index
    from index.errors import IndexVersionError

    try:
        open_index(index_dir).close()
    except IndexVersionError:
        return False
    return True


# ------------------------------------------------------------------------------ measuring


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


@dataclass
class Latency:
    system: str
    description: str
    seconds: dict[str, list[float]] = field(default_factory=dict)  # kind -> per-query seconds
    cpu_seconds: list[float] = field(default_factory=list)  # per query, this process's CPU time
    hits: int = 0
    empty: int = 0  # queries with no hit
    errors: int = 0  # queries that raised (timed as they were, counted as no hit)
    error_examples: list[str] = field(default_factory=list)
    open_seconds: float = 0.0


def measure_system(name: str, path: Path, queries: list[Query]) -> Latency:
    clock = time.perf_counter()
    system = FACTORIES[name](path)
    result = Latency(name, system.description, open_seconds=time.perf_counter() - clock)
    try:
        for query in queries[:WARMUP]:
            try:
                system.search(query.text)
            except Exception:
                pass
        for query in queries:
            clock, cpu = time.perf_counter(), time.process_time()
            try:
                found = system.search(query.text)
            except Exception as error:  # counted and reported, the time still counts
                found = 0
                result.errors += 1
                if len(result.error_examples) < 3:
                    result.error_examples.append(f"{query.text!r}: {type(error).__name__}: {error}")
            elapsed = time.perf_counter() - clock
            result.cpu_seconds.append(time.process_time() - cpu)
            result.seconds.setdefault(query.kind, []).append(elapsed)
            result.hits += found
            result.empty += found == 0
    finally:
        system.close()
    return result


COLD = r"""
import json, sys, time
start = time.perf_counter()
from index import open_index
imported = time.perf_counter()
ix = open_index(sys.argv[1])
opened = time.perf_counter()
hits = ix.search(sys.argv[2], limit=10)
for hit in hits:
    hit.snippet.plain()
done = time.perf_counter()
print(json.dumps({"import": imported - start, "open": opened - imported, "query": done - opened, "hits": len(hits)}))
"""


@dataclass
class ColdRun:
    query: str
    import_seconds: float
    open_seconds: float
    query_seconds: float
    process_seconds: float
    hits: int

    @property
    def open_and_query(self) -> float:
        return self.open_seconds + self.query_seconds


def cold_start(path: Path, queries: list[Query], runs: int) -> list[ColdRun]:
    """Each run a fresh Python: import ``index``, ``open_index``, one query with snippets."""
    out = []
    for query in queries[:runs]:
        clock = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", COLD, str(path), query.text], cwd=ROOT,
                              capture_output=True, text=True)
        process = time.perf_counter() - clock
        if done.returncode != 0:
            raise BenchError(f"cold start failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}")
        t = json.loads(done.stdout)
        out.append(ColdRun(query.text, t["import"], t["open"], t["query"], process, t["hits"]))
    return out


# -------------------------------------------------------------------------------- output


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(bench: Bench, latencies: list[Latency], cold: list[ColdRun], info: dict) -> list[str]:
    m = info["machine"]
    out = [f"search_speed.py  {info['date']}"]
    out.append(f"machine: nproc {m['nproc']}, {m['cpu']}, {m['platform']}; load average {info['load_before']} at start, "
               f"{info['load_after']} at end")
    out.append(f"versions: Python {m['python']}, whoosh {m['whoosh']}, tantivy {m['tantivy']}, sqlite {m['sqlite']}")
    out.append(f"command: {info['command']}")
    out.append(f"project: commit {info['project']}")
    out.append(f"data: {info['data']}")
    reused = f"reused {', '.join(bench.reused)} (built {bench.created})" if bench.reused else ""
    built = ", ".join(f"{s} {sec:.0f} s" for s, sec in bench.built.items())
    out.append(f"index: {bench.documents:,} docs ({bench.lovdata:,} lovdata + {bench.norec:,} norec, "
               f"{bench.input_bytes / 1e6:.1f} MB) in {bench.path}; "
               + "; ".join(x for x in (reused, f"built now: {built}" if built else "") if x))
    kinds = info["kinds"]
    out.append(f"queries: {sum(kinds.values()):,} = {kinds.get('question', 0):,} NorQuAD questions (spread evenly over "
               f"{info['total_questions']:,}) + {kinds.get('keywords', 0):,} keyword queries (1-2 words of those questions); "
               f"each system after {WARMUP} untimed warm-up queries, one at a time")
    out.append("")
    header = ("system", "p50 ms", "p95 ms", "mean ms", "max ms", "questions p50/p95", "keywords p50/p95",
              "CPU p50/p95", "empty", "open s")
    rows = []
    for r in latencies:
        every = [s for values in r.seconds.values() for s in values]
        by_kind = []
        for kind in ("question", "keywords"):
            values = r.seconds.get(kind)
            by_kind.append(f"{ms(percentile(values, 50))} / {ms(percentile(values, 95))}" if values else "-")
        cpu = f"{ms(percentile(r.cpu_seconds, 50))} / {ms(percentile(r.cpu_seconds, 95))}"
        rows.append((r.system, ms(percentile(every, 50)), ms(percentile(every, 95)), ms(statistics.fmean(every)),
                     ms(max(every)), *by_kind, cpu, str(r.empty), f"{r.open_seconds:.2f}"))
    out += bench_ingest.table(header, rows, {0})
    out.append("  CPU: the process' CPU time per query (all its threads), which other work on the machine does not "
               "lengthen; the other columns are wall time")
    out.append("")
    if cold:
        out.append(f"ours, cold start ({len(cold)} fresh processes, one query each; OS page cache warm):")
        header = ("query", "import index s", "open_index s", "first query s", "open+query s", "process s")
        rows = [(c.query if len(c.query) <= 40 else c.query[:39] + "…", f"{c.import_seconds:.2f}",
                 f"{c.open_seconds:.3f}", f"{c.query_seconds:.3f}", f"{c.open_and_query:.3f}", f"{c.process_seconds:.2f}")
                for c in cold]
        out += ["  " + line for line in bench_ingest.table(header, rows, {0})]
        out.append("")
    out.append("targets (from the issue):")
    ours = next((r for r in latencies if r.system == "ours"), None)
    whoosh = next((r for r in latencies if r.system == "whoosh"), None)
    if ours and whoosh:
        for p in (50, 95):
            wall = [percentile([s for v in r.seconds.values() for s in v], p) for r in (ours, whoosh)]
            cpu = [percentile(r.cpu_seconds, p) for r in (ours, whoosh)]
            out.append(f"  ours' p{p} <= plain Whoosh's p{p}: {ms(wall[0])} ms vs {ms(wall[1])} ms (ratio {wall[0] / wall[1]:.2f}; "
                       f"CPU {ms(cpu[0])} vs {ms(cpu[1])} ms, ratio {cpu[0] / cpu[1]:.2f}): {verdict(wall[0] <= wall[1])}")
    if cold:
        median = statistics.median(c.open_and_query for c in cold)
        worst = max(c.open_and_query for c in cold)
        out.append(f"  cold start (open_index + first query, median of {len(cold)}) < {TARGET_COLD_SECONDS:.0f} s: "
                   f"{median:.2f} s (max {worst:.2f} s): {verdict(median < TARGET_COLD_SECONDS)}")
    out.append("")
    out.append("systems:")
    for r in latencies:
        out.append(f"  {r.system:8} {r.description}")
    for note in info["notes"]:
        out.append(f"note: {note}")
    out.append(f"total run time: {info['seconds']:.0f} s")
    return out


# ---------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="search_speed.py",
        description="Search latency at 100k documents: ours against plain Whoosh, tantivy and SQLite FTS5.",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"shared data folder (default: {DEFAULT_DATA})")
    parser.add_argument("--index", type=Path, metavar="DIR",
                        help="bench folder to reuse (from bench/ingest_speed.py --keep DIR) or to build into and keep "
                             "(default: a temporary folder, removed at the end)")
    parser.add_argument("--docs", type=int, metavar="N",
                        help="documents to build when nothing is reused (default 100000)")
    parser.add_argument("--queries", type=int, default=1000, metavar="N",
                        help="queries: half questions, half keywords (default 1000)")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"comma-separated subset of {','.join(SYSTEMS)} (default: all)")
    parser.add_argument("--cold-runs", type=int, default=COLD_RUNS, metavar="N",
                        help=f"fresh processes for ours' cold start (default {COLD_RUNS}; 0 = skip)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = parser.parse_args(argv)
    if args.queries < 1:
        parser.error("--queries must be at least 1")
    if args.docs is not None and args.docs < 100:
        parser.error("--docs must be at least 100")
    args.systems = chosen_systems(parser, args.systems, SYSTEMS)
    args.data = args.data.expanduser()
    return args


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    project = relevance.project_version()
    command = shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv]))
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    notes: list[str] = []
    systems = list(args.systems)
    if "tantivy" in systems and importlib.util.find_spec("tantivy") is None:
        systems.remove("tantivy")
        notes.append("tantivy skipped: not installed (.venv/bin/pip install tantivy==0.27.0)")
    queries, total_questions = load_queries(args.data, args.queries)

    temporary = None
    if args.index is None:
        temporary = tempfile.TemporaryDirectory(prefix="bench-search-")
        workdir = Path(temporary.name) / "bench"
    else:
        workdir = args.index.expanduser().resolve()
    try:
        bench = prepare(args, workdir, systems, command)
        latencies = []
        for name in systems:
            bench_ingest.log(f"{name}: {len(queries):,} queries …")
            result = measure_system(name, bench_ingest.index_path(workdir, name), queries)
            every = [s for v in result.seconds.values() for s in v]
            bench_ingest.log(f"{name}: p50 {ms(percentile(every, 50))} ms, p95 {ms(percentile(every, 95))} ms")
            if result.errors:
                notes.append(f"{name}: {result.errors} queries raised an error (timed as they were), "
                             f"e.g. {result.error_examples[0]}")
            latencies.append(result)
        cold = []
        if "ours" in systems and args.cold_runs > 0:
            bench_ingest.log(f"ours: cold start × {args.cold_runs} …")
            cold = cold_start(bench_ingest.index_path(workdir, "ours"), queries, args.cold_runs)
    finally:
        if temporary is not None:
            temporary.cleanup()

    kinds: dict[str, int] = {}
    for q in queries:
        kinds[q.kind] = kinds.get(q.kind, 0) + 1
    info = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": relevance.machine(),
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "project": project,
        "command": command,
        "data": str(args.data),
        "kinds": kinds,
        "total_questions": total_questions,
        "notes": notes,
        "seconds": time.perf_counter() - started,
    }
    if args.json:
        info["index"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(bench).items()}
        info["latency"] = [
            {"system": r.system, "description": r.description, "hits": r.hits, "empty": r.empty,
             "open_seconds": r.open_seconds, "errors": r.errors, "error_examples": r.error_examples,
             "cpu_seconds": r.cpu_seconds,
             **{f"{kind}_seconds": values for kind, values in r.seconds.items()}}
            for r in latencies
        ]
        info["cold_start"] = [vars(c) | {"open_and_query": c.open_and_query} for c in cold]
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print("\n".join(report(bench, latencies, cold, info)))
    return 0


def main(argv: list[str] | None = None) -> int:
    return bench_main("search_speed.py", lambda args: run(parse_args(args)), argv)


if __name__ == "__main__":
    sys.exit(main())
