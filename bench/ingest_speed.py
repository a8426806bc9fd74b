"""Ingest throughput benchmark: our `ingest once` against three plain peers on real documents.

For each size N (default 10,000, 50,000 and 100,000) it writes N real documents as UTF-8
files into a temporary folder (subfolders of at most 1,000 files), then indexes that folder
with each system, each in a fresh process of its own:

* ours     the real command: ``ingest once --source DIR --index DIR2 --json``
* whoosh   plain Whoosh: one writer, ``id`` ID(stored, unique), ``title`` and ``text``
           TEXT(LanguageAnalyzer("no"), stored), ``add_document`` per file, one commit
* tantivy  tantivy-py 0.27: simple tokenizer | lowercase | Snowball Norwegian stemmer, title
           and text stored, default writer, one commit
* fts5     SQLite FTS5 (``unicode61``), title and text, one transaction

and, when asked for with ``--systems``, ours into a local OpenSearch cluster that this script
starts (``tests/opensearch_cluster.py``; java and mvn needed, start-up not timed):

* opensearch-1node  the same ``ingest once`` with index.backend = opensearch, 1 node, 0 replicas
* opensearch-3node  the same, 3 nodes (in one JVM), 1 replica

and prints wall seconds, docs/s, MB/s, peak RSS and index size. For ours also a no-op rerun
(nothing changed) and a rerun after 1 % of the files changed, as seconds and as a share of
the full ingest, and whether the issue's targets are met. See bench/README.md. A script that
prints figures, not a test.

    .venv/bin/python bench/ingest_speed.py                    # full: 10k, 50k, 100k (~12 min on 2 cores)
    .venv/bin/python bench/ingest_speed.py --sizes 2000       # quick: about 10 s
    .venv/bin/python bench/ingest_speed.py --keep /tmp/b100k  # keep the largest size's files and indexes
                                                        # (for bench/search_speed.py --index /tmp/b100k)
    .venv/bin/python bench/ingest_speed.py --systems ours,opensearch-1node,opensearch-3node --sizes 20000
    .venv/bin/python bench/ingest_speed.py --systems ours --sizes 300000 --cycle  # past the 146,104 real documents
"""

import argparse
import datetime as dt
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmain import BenchError, bench_main, chosen_systems

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
LOVDATA = Path("bulk_lovdata") / "lovdata_sections.jsonl.gz"
NOREC = Path("bulk_norec") / "norec_reviews.jsonl.gz"
SIZES = (10_000, 50_000, 100_000)
SYSTEMS = ("ours", "whoosh", "tantivy", "fts5")
PEERS = SYSTEMS[1:]
# Ours with index.backend = "opensearch", into a local cluster this script starts (the tests'
# launcher, tests/opensearch_cluster.py; not timed): system -> (nodes, replicas). Only when
# asked for (--systems): they need java and mvn, and each cluster takes about a minute to start.
CLUSTERS = {"opensearch-1node": (1, 0), "opensearch-3node": (3, 1)}
FILES_PER_FOLDER = 1000
CHANGED_EVERY = 100  # the 1 % rerun rewrites every 100th file
CHANGE = " (endret)"  # appended to the end of each such file
MB = 1_000_000
TANTIVY_TOKENIZER = "norwegian_stem"

# Targets from the issue.
TARGET_SPEEDUP = 3.0  # ours >= 3x plain Whoosh's docs/s
TARGET_NOOP = 0.05  # no-op rerun <= 5 % of the full ingest
TARGET_CHANGED = 0.10  # rerun after 1 % changed <= 10 % of the full ingest

# Runs one command and reports its wall time and memory. A separate small process, because a
# child's ru_maxrss on Linux includes its parent's RSS at fork time (the high-water mark of the
# address space it replaced at exec): measured directly from this script, which holds the
# documents, every system would seem to need hundreds of MB. This launcher is ~10 MB.
# ru_maxrss is the peak of the largest single process of the command's tree; since a command may
# start worker processes (ours: index.writer_processes), a thread also samples, every 0.1 s, the
# sum of PSS (shared pages split between the processes sharing them) over the whole tree.
LAUNCHER = r"""
import json, os, sys, threading, time
result, argv = sys.argv[1], sys.argv[2:]
peak = {"tree_pss_kb": 0, "tree_rss_kb": 0, "procs": 0}
finished = threading.Event()

def tree(root):
    pids, i = [root], 0
    while i < len(pids):
        try:
            tasks = os.listdir(f"/proc/{pids[i]}/task")
        except OSError:
            tasks = []
        for task in tasks:
            try:
                with open(f"/proc/{pids[i]}/task/{task}/children") as f:
                    pids.extend(int(p) for p in f.read().split())
            except OSError:
                pass
        i += 1
    return pids

def memory(pid):
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss

def sample(root):
    while not finished.wait(0.1):
        pids = tree(root)
        sums = [sum(values) for values in zip(*(memory(p) for p in pids))] or [0, 0]
        peak["tree_pss_kb"] = max(peak["tree_pss_kb"], sums[0])
        peak["tree_rss_kb"] = max(peak["tree_rss_kb"], sums[1])
        peak["procs"] = max(peak["procs"], len(pids))

start = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
sampler = threading.Thread(target=sample, args=(pid,), daemon=True)
sampler.start()
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
finished.set()
sampler.join()
with open(result, "w") as out:
    json.dump({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss,
               "exit": os.waitstatus_to_exitcode(status), **peak}, out)
"""


def _load_module(name: str, path: Path):
    """A script that is not on the import path (bench/relevance.py, tests/opensearch_cluster.py) as a module."""
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module


def _relevance():
    """bench/relevance.py, for its helpers (data reading, machine and version lines)."""
    return _load_module("relevance", BENCH / "relevance.py")




# ---------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Doc:
    source: str  # "lovdata" or "norec"
    id: str
    title: str
    text: str
    header: str | None = None  # "date YYYY-MM-DD" for lovdata

    def content(self) -> str:
        """The file's text: the date line (lovdata), the title line, then the text."""
        return "\n".join(([self.header] if self.header else []) + [self.title, self.text])


def data_files(root: Path) -> tuple[Path, Path]:
    """The two corpora under ``root``; :class:`BenchError` naming what is missing."""
    hint = "give the shared data folder with --data DIR"
    if not root.is_dir():
        raise BenchError(f"data folder not found: {root} ({hint})")
    missing = [str(root / p) for p in (LOVDATA, NOREC) if not (root / p).is_file()]
    if missing:
        raise BenchError(f"data not found: {', '.join(missing)} ({hint})")
    return root / LOVDATA, root / NOREC


def documents(root: Path, n: int, cycle: bool = False) -> list[Doc]:
    """The first ``n`` documents of the fixed mix: Lovdata and NoReC alternating, file order,
    Lovdata first; when NoReC's 43,437 run out, Lovdata alone. Deterministic, and the
    documents of a smaller size are the first ones of a larger. ``cycle``: past the last
    document (146,104), the mix again from its start, the same texts (each under its own path)."""
    docs = _one_pass(root, n)
    if len(docs) < n and not cycle:
        raise BenchError(f"only {len(docs):,} documents in the data, {n:,} asked for (--cycle repeats them)")
    real = len(docs)
    while len(docs) < n:
        docs.extend(docs[: min(real, n - len(docs))])
    return docs


def _one_pass(root: Path, n: int) -> list[Doc]:
    """Up to ``n`` documents of the mix, each of the data once."""
    jsonl = _relevance()._jsonl
    lovdata_path, norec_path = data_files(root)
    lovdata = jsonl(lovdata_path)
    norec = jsonl(norec_path)
    docs: list[Doc] = []
    while len(docs) < n:
        progressed = False
        for name, lines in (("lovdata", lovdata), ("norec", norec)):
            d = next(lines, None) if len(docs) < n else None
            if d is None:
                continue
            progressed = True
            header = f"date {d['date']}" if name == "lovdata" and d.get("date") else None
            docs.append(Doc(name, d["id"], d["title"], d["text"], header))
        if not progressed:
            break
    return docs


def file_name(i: int) -> str:
    """Relative path of document ``i``: at most FILES_PER_FOLDER files per subfolder."""
    return f"{i // FILES_PER_FOLDER:03d}/{i:06d}.txt"


def write_files(docs: list[Doc], folder: Path) -> int:
    """Write one UTF-8 file per document; return the total bytes."""
    total = 0
    for i, doc in enumerate(docs):
        path = folder / file_name(i)
        if i % FILES_PER_FOLDER == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        data = doc.content().encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def changed_indices(n: int) -> range:
    """The files the 1 % rerun rewrites: every CHANGED_EVERY-th, from the middle of the first block."""
    return range(CHANGED_EVERY // 2, n, CHANGED_EVERY)


def change_files(docs: list[Doc], folder: Path, back: bool = False) -> int:
    """Rewrite 1 % of the files with CHANGE appended (``back``: with their original content)."""
    count = 0
    for i in changed_indices(len(docs)):
        content = docs[i].content() + ("" if back else CHANGE)
        (folder / file_name(i)).write_bytes(content.encode("utf-8"))
        count += 1
    return count


def disk_bytes(path: Path) -> int:
    """Apparent size of a file or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ------------------------------------------------------------------ peers (worker processes)


def iter_files(source: Path) -> Iterator[tuple[str, bytes]]:
    """(relative path, bytes) of every file under ``source``, in sorted order."""
    for dirpath, dirnames, filenames in os.walk(source):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as handle:
                yield os.path.relpath(path, source), handle.read()


def split_file(data: bytes) -> tuple[str, str]:
    """A peer's reading of a file: UTF-8; a leading ``date`` line dropped; the first line is the
    title, and the text is everything after the date line (title included, as in ours)."""
    text = data.decode("utf-8")
    if text.startswith("date "):
        text = text.partition("\n")[2]
    return text.partition("\n")[0].strip(), text


def tantivy_analyzer(tantivy):
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("norwegian"))
        .build()
    )


def index_whoosh(source: Path, target: Path) -> dict:
    from whoosh import index as windex
    from whoosh.analysis import LanguageAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    analyzer = LanguageAnalyzer("no")
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        text=TEXT(analyzer=analyzer, stored=True),
    )
    target.mkdir()
    ix = windex.create_in(str(target), schema)
    writer = ix.writer()
    count = 0
    for doc_id, data in iter_files(source):
        title, text = split_file(data)
        writer.add_document(id=doc_id, title=title, text=text)
        count += 1
    writer.commit()
    ix.close()
    return {"documents": count}


def index_tantivy(source: Path, target: Path) -> dict:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name=TANTIVY_TOKENIZER)
    builder.add_text_field("text", stored=True, tokenizer_name=TANTIVY_TOKENIZER)
    target.mkdir()
    ix = tantivy.Index(builder.build(), path=str(target))
    ix.register_tokenizer(TANTIVY_TOKENIZER, tantivy_analyzer(tantivy))
    writer = ix.writer()
    count = 0
    for doc_id, data in iter_files(source):
        title, text = split_file(data)
        writer.add_document(tantivy.Document(id=doc_id, title=title, text=text))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return {"documents": count}


def index_fts5(source: Path, target: Path) -> dict:
    import sqlite3

    db = sqlite3.connect(target)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, tokenize='unicode61')")
    count = 0

    def rows():
        nonlocal count
        for doc_id, data in iter_files(source):
            title, text = split_file(data)
            count += 1
            yield doc_id, title, text

    with db:
        db.executemany("INSERT INTO docs(id, title, text) VALUES (?, ?, ?)", rows())
    db.close()
    return {"documents": count}


WORKERS = {"whoosh": index_whoosh, "tantivy": index_tantivy, "fts5": index_fts5}


def worker_main(system: str, source: str, target: str) -> int:
    """``bench/ingest_speed.py --worker SYSTEM SOURCE TARGET``: index SOURCE into TARGET, print JSON."""
    report = WORKERS[system](Path(source), Path(target))
    print(json.dumps(report))
    return 0


# ------------------------------------------------------------------------------ measuring


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system time of the command and the children it waited for (its writers)
    peak_rss_mb: float  # ru_maxrss: the peak RSS of the largest process of the command's tree
    tree_pss_mb: float  # the peak of the summed PSS of all its processes (sampled every 0.1 s)
    procs: int  # the most processes seen at once
    output: dict  # the command's JSON on stdout


def ingest_command() -> str:
    """The project's ``ingest`` command, beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / "ingest"
    found = str(beside) if beside.exists() else shutil.which("ingest")
    if not found:
        raise BenchError("the `ingest` command was not found (install the project: make test, or pip install -e .)")
    return found


def measure(argv: list[str], label: str, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` through the launcher: wall seconds (start to exit), peak RSS, JSON output."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", prefix="bench-ingest-") as result:
        done = subprocess.run(
            [sys.executable, "-S", "-c", LAUNCHER, result.name, *argv],
            cwd=ROOT, capture_output=True, text=True, env=env,
        )
        try:
            usage = json.loads(Path(result.name).read_text() or "null")
        except json.JSONDecodeError:
            usage = None
    if done.returncode != 0 or not usage or usage["exit"] != 0:
        tail = " | ".join((done.stderr or "").strip().splitlines()[-3:])
        raise BenchError(f"{label} failed (exit {usage and usage['exit']}): {tail or 'no output'}")
    try:
        output = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise BenchError(f"{label}: no JSON on stdout: {done.stdout[:200]!r}") from None
    return Run(usage["seconds"], usage["cpu_seconds"], usage["maxrss_kb"] / 1024, usage["tree_pss_kb"] / 1024,
               usage["procs"], output)


def run_ours(source: Path, index: Path, env: dict[str, str] | None = None, label: str = "ingest once") -> Run:
    return measure([ingest_command(), "once", "--source", str(source), "--index", str(index), "--json"], label, env)


class Clusters:
    """The local OpenSearch cluster of each ``CLUSTERS`` system, started on first use and
    stopped when another is asked for (one JVM at a time on the machine) or at the end."""

    def __init__(self) -> None:
        self.system: str | None = None
        self.cluster = None
        self.heap = ""
        self._folder: tempfile.TemporaryDirectory | None = None

    def get(self, system: str):
        if system != self.system:
            self.close()
            launcher = _load_module("opensearch_cluster", ROOT / "tests" / "opensearch_cluster.py")
            reason = launcher.missing_tools()
            if reason:
                raise BenchError(f"{system}: {reason}")
            log(f"{system}: building the launcher (mvn, when out of date) and starting the cluster …")
            launcher.build()
            self._folder = tempfile.TemporaryDirectory(prefix=f"bench-{system}-")
            self.cluster = launcher.LocalCluster(Path(self._folder.name) / "nodes", nodes=CLUSTERS[system][0])
            self.system, self.heap = system, launcher.HEAP
            log(f"{system}: green in {self.cluster.seconds_to_green:.0f} s at {self.cluster.url}")
        return self.cluster

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.close()
        if self._folder is not None:
            self._folder.cleanup()
        self.system = self.cluster = self._folder = None


def cpu_seconds_of(pid: int) -> float:
    """User + system CPU time a running process has used so far (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def opensearch_version() -> str:
    """The OpenSearch version the launcher is built with (``opensearch/pom.xml``)."""
    found = re.search(r"<opensearch.version>([^<]+)<", (ROOT / "opensearch" / "pom.xml").read_text(encoding="utf-8"))
    return found.group(1) if found else "?"


def jvm_peak_rss_mb(pid: int) -> float:
    """The peak resident memory of a process so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_opensearch(system: str, source: Path, state: Path, clusters: Clusters, notes: list[str]) -> tuple[Run, int]:
    """The real ``ingest once`` with ``index.backend = "opensearch"`` into a fresh index of the
    system's cluster (``state``: ingest's state folder); returns the run and the index's store
    size on the cluster's disks (replicas included). The index is deleted afterwards."""
    from index.config import load_config
    from index.opensearch.client import connect

    cluster = clusters.get(system)
    nodes, replicas = CLUSTERS[system]
    name = f"bench-ingest-{os.getpid()}-{time.monotonic_ns()}"
    env = {**os.environ, "NORSEARCH__INDEX__BACKEND": "opensearch", "NORSEARCH__OPENSEARCH__HOSTS": json.dumps(cluster.hosts),
           "NORSEARCH__OPENSEARCH__INDEX": name, "NORSEARCH__OPENSEARCH__REPLICAS": str(replicas)}
    cpu_before = cpu_seconds_of(cluster.process.pid)
    run = run_ours(source, state, env, f"ingest once ({system})")
    cluster_cpu = cpu_seconds_of(cluster.process.pid) - cpu_before
    config = load_config(environ=env).opensearch
    client = connect(config)
    try:
        client.cluster.health(index=name, params={"wait_for_status": "green", "timeout": "120s"}, request_timeout=130)
        count = client.count(index=name)["count"]
        size = client.indices.stats(index=name, metric="store")["_all"]["total"]["store"]["size_in_bytes"]
        client.indices.delete(index=name)
    finally:
        client.close()
    notes.append(f"{system} [{count:,} docs in the index]: {nodes} node(s) in one JVM (heap {clusters.heap}), "
                 f"{config.shards} shard(s), {replicas} replica(s), bulk batches of {config.bulk_batch}; "
                 f"the cluster's CPU during the ingest {cluster_cpu:.1f} s ({cluster_cpu / count * 1000:.2f} ms a document), "
                 f"its JVM's peak RSS so far {jvm_peak_rss_mb(cluster.process.pid):.0f} MB; green "
                 f"{cluster.seconds_to_green:.0f} s after start (not timed)")
    return run, size


def run_peer(system: str, source: Path, target: Path) -> Run:
    return measure([sys.executable, str(Path(__file__).resolve()), "--worker", system, str(source), str(target)], system)


def index_path(workdir: Path, system: str) -> Path:
    """Where each system's index lives in a bench folder (the layout bench/search_speed.py reuses)."""
    return workdir / ("fts5.db" if system == "fts5" else system)


@dataclass
class Row:
    size: int
    system: str
    docs: int
    input_bytes: int
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    tree_pss_mb: float
    procs: int
    index_bytes: int

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds

    @property
    def mb_per_second(self) -> float:
        return self.input_bytes / MB / self.seconds


@dataclass
class Rerun:
    size: int
    full_seconds: float
    noop_seconds: float
    noop_report: dict
    changed_files: int
    changed_seconds: float
    changed_report: dict
    back_seconds: float | None = None  # --keep: the changed files written back, ingest again


@dataclass
class SizeResult:
    size: int
    lovdata: int
    norec: int
    input_bytes: int
    write_seconds: float
    rows: list[Row] = field(default_factory=list)
    rerun: Rerun | None = None
    notes: list[str] = field(default_factory=list)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def bench_size(docs: list[Doc], systems: list[str], workdir: Path, keep_index: bool, clusters: Clusters) -> SizeResult:
    n = len(docs)
    source = workdir / "docs"
    source.mkdir()
    clock = time.perf_counter()
    total = write_files(docs, source)
    result = SizeResult(n, sum(d.source == "lovdata" for d in docs), sum(d.source == "norec" for d in docs),
                        total, time.perf_counter() - clock)
    log(f"{n:,} docs: wrote {total / MB:.1f} MB in {result.write_seconds:.1f} s to {source}")
    for system in systems:
        target = index_path(workdir, system)
        log(f"{n:,} docs: {system} …")
        if system in CLUSTERS:
            run, index_bytes = run_opensearch(system, source, target, clusters, result.notes)
        else:
            run = run_ours(source, target) if system == "ours" else run_peer(system, source, target)
            index_bytes = disk_bytes(target)
        indexed = run.output["documents"]
        if run.output.get("failed"):
            first = run.output["failed"][0]
            result.notes.append(f"{system} [{n:,}]: {len(run.output['failed'])} files failed, e.g. {first['path']}: {first['error']}")
        if indexed != n:
            result.notes.append(f"{system} [{n:,}]: {indexed:,} of {n:,} documents indexed")
        row = Row(n, system, indexed, total, run.seconds, run.cpu_seconds, run.peak_rss_mb, run.tree_pss_mb, run.procs,
                  index_bytes)
        result.rows.append(row)
        log(f"{n:,} docs: {system}: {row.seconds:.1f} s (CPU {row.cpu_seconds:.1f} s), {row.docs_per_second:,.0f} docs/s, "
            f"peak RSS {row.peak_rss_mb:.0f} MB (tree PSS {row.tree_pss_mb:.0f} MB, {row.procs} procs), index {row.index_bytes / MB:.0f} MB")
    ours = next((row for row in result.rows if row.system == "ours"), None)
    if ours:  # after the peers, so that they all read the same files
        result.rerun = bench_reruns(docs, source, index_path(workdir, "ours"), ours.seconds, keep_index)
    return result


def bench_reruns(docs: list[Doc], source: Path, index: Path, full_seconds: float, back: bool) -> Rerun:
    n = len(docs)
    log(f"{n:,} docs: ours: no-op rerun …")
    noop = run_ours(source, index)
    log(f"{n:,} docs: ours: no-op rerun {noop.seconds:.2f} s; rewriting 1 % of the files …")
    changed = change_files(docs, source)
    after = run_ours(source, index)
    log(f"{n:,} docs: ours: rerun after {changed:,} changed: {after.seconds:.2f} s")
    rerun = Rerun(n, full_seconds, noop.seconds, noop.output, changed, after.seconds, after.output)
    if back:  # the kept folder should hold the documents the peers indexed
        change_files(docs, source, back=True)
        rerun.back_seconds = run_ours(source, index).seconds
        log(f"{n:,} docs: ours: rerun after writing them back: {rerun.back_seconds:.2f} s")
    return rerun


# -------------------------------------------------------------------------------- output


def table(header: tuple[str, ...], rows: list[tuple[str, ...]], left: set[int]) -> list[str]:
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]

    def line(cells) -> str:
        return "  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(results: list[SizeResult], info: dict) -> list[str]:
    out = [f"ingest_speed.py  {info['date']}"]
    m = info["machine"]
    out.append(f"machine: nproc {m['nproc']}, {m['cpu']}, {m['platform']}; load average {info['load_before']} at start, "
               f"{info['load_after']} at end")
    out.append(f"versions: Python {m['python']}, whoosh {m['whoosh']}, tantivy {m['tantivy']}, sqlite {m['sqlite']}")
    out.append(f"command: {info['command']}")
    out.append(f"project: commit {info['project']}")
    out.append(f"data: {info['data']}")
    for r in results:
        out.append(f"  {r.size:,} docs: {r.lovdata:,} lovdata + {r.norec:,} norec, {r.input_bytes / MB:.1f} MB "
                   f"in {-(-r.size // FILES_PER_FOLDER)} folder(s) (written in {r.write_seconds:.1f} s, not timed)")
    out.append("")
    header = ("docs", "system", "seconds", "CPU s", "docs/s", "MB/s", "peak RSS MB", "tree PSS MB", "procs", "index MB",
              "vs whoosh", "vs ours")
    rows = []
    for r in results:
        whoosh = next((row for row in r.rows if row.system == "whoosh"), None)
        ours = next((row for row in r.rows if row.system == "ours"), None)
        for row in r.rows:
            ratios = [f"{row.docs_per_second / base.docs_per_second:.2f}x" if base else "-" for base in (whoosh, ours)]
            rows.append((f"{r.size:,}", row.system, f"{row.seconds:.1f}", f"{row.cpu_seconds:.1f}", f"{row.docs_per_second:,.0f}",
                         f"{row.mb_per_second:.2f}", f"{row.peak_rss_mb:.0f}", f"{row.tree_pss_mb:.0f}", str(row.procs),
                         f"{row.index_bytes / MB:.0f}", *ratios))
    lines = table(header, rows, {1})
    # a blank line between sizes
    body, sizes_seen = lines[:2], None
    for r_row, text in zip(rows, lines[2:]):
        if sizes_seen is not None and r_row[0] != sizes_seen:
            body.append("")
        sizes_seen = r_row[0]
        body.append(text)
    out += body
    out.append("  CPU s: user + system time of the command and the processes it waited for (ours' writers; not a cluster's JVM);")
    out.append("  peak RSS: ru_maxrss of the largest process; tree PSS: peak of the summed PSS of all the command's processes "
               "(sampled every 0.1 s);")
    out.append("  procs: most processes at once; index MB: apparent size on disk (ours: with ingest-state.sqlite; "
               "opensearch: the store of every copy, replicas included, without ingest's state)")
    if any(row.system in CLUSTERS for r in results for row in r.rows):
        out.append("  opensearch: peak RSS and PSS are ingest's process alone; the cluster's JVM is in the notes")
    reruns = [r.rerun for r in results if r.rerun]
    if reruns:
        out.append("")
        out.append("ours, reruns of `ingest once` on the same folder and index:")
        header = ("docs", "full s", "no-op s", "no-op/full", "changed files", "1% changed s", "1% changed/full")
        rows = [(f"{x.size:,}", f"{x.full_seconds:.1f}", f"{x.noop_seconds:.2f}", f"{x.noop_seconds / x.full_seconds:.1%}",
                 f"{x.changed_files:,} ({x.changed_report['updated']:,} updated)", f"{x.changed_seconds:.2f}",
                 f"{x.changed_seconds / x.full_seconds:.1%}") for x in reruns]
        out += table(header, rows, set())
        for x in reruns:
            out.append(f"  {x.size:,}: ingest's own pass time: no-op {x.noop_report['seconds']:.2f} s "
                       f"({x.noop_report['unchanged']:,} unchanged), 1% changed {x.changed_report['seconds']:.2f} s; "
                       "the rest of the wall time is starting Python and importing")
            if x.back_seconds is not None:
                out.append(f"  {x.size:,}: the changed files written back (--keep), ingest again: {x.back_seconds:.2f} s")
    out.append("")
    out.append("targets (from the issue):")
    for r in results:
        ours = next((row for row in r.rows if row.system == "ours"), None)
        whoosh = next((row for row in r.rows if row.system == "whoosh"), None)
        if ours and whoosh:
            speedup = ours.docs_per_second / whoosh.docs_per_second
            out.append(f"  {r.size:>7,} docs: ours >= {TARGET_SPEEDUP:.0f}x plain Whoosh docs/s: "
                       f"{speedup:.2f}x ({ours.docs_per_second:,.0f} vs {whoosh.docs_per_second:,.0f}): "
                       f"{verdict(speedup >= TARGET_SPEEDUP)}")
        if r.rerun:
            x = r.rerun
            noop, changed = x.noop_seconds / x.full_seconds, x.changed_seconds / x.full_seconds
            out.append(f"  {r.size:>7,} docs: no-op rerun <= {TARGET_NOOP:.0%} of full: {noop:.1%}: {verdict(noop <= TARGET_NOOP)}")
            out.append(f"  {r.size:>7,} docs: 1%-changed rerun <= {TARGET_CHANGED:.0%} of full: {changed:.1%}: "
                       f"{verdict(changed <= TARGET_CHANGED)}")
    out.append("")
    out.append("systems (each in a fresh process; seconds = process start to exit, imports included):")
    width = max(map(len, info["systems"]), default=0)
    for name, description in info["systems"].items():
        out.append(f"  {name:{width}} {description}")
    for note in info["notes"]:
        out.append(f"note: {note}")
    out.append(f"total run time: {info['seconds']:.0f} s")
    return out


def describe_systems(systems: list[str]) -> dict[str, str]:
    rel = _relevance()
    settings = ""
    try:
        from index.config import load_config

        index_config = load_config().index
        if hasattr(index_config, "writer_processes"):
            settings = f": index.writer_processes = {index_config.writer_processes}"
    except Exception:  # the command reports a bad configuration itself
        pass
    descriptions = {
        "ours": f"ingest once --source DIR --index DIR2 --json (the real command, default config{settings})",
        "whoosh": f"Whoosh {rel._version('whoosh-reloaded') or rel._version('whoosh')}: one writer (defaults), "
                  "id ID(stored, unique), title/text TEXT(LanguageAnalyzer('no'), stored), one commit",
        "tantivy": f"tantivy-py {rel._version('tantivy')}: simple | lowercase | stemmer(norwegian), title/text stored, "
                   "default writer (its own threads), one commit",
        "fts5": f"SQLite {__import__('sqlite3').sqlite_version} FTS5 unicode61, id UNINDEXED + title + text, one transaction",
        **{system: f"the same command with index.backend = opensearch, into a fresh index of a local {nodes}-node cluster "
                   f"(OpenSearch {opensearch_version()}, tests/opensearch_cluster.py), {replicas} replica(s); "
                   "seconds up to the final refresh"
           for system, (nodes, replicas) in CLUSTERS.items()},
    }
    return {s: descriptions[s] for s in systems}


# ---------------------------------------------------------------------------------- main


def parse_sizes(text: str) -> list[int]:
    """``--sizes``: comma-separated numbers of documents, e.g. ``10000,50000`` or ``10_000``."""
    try:
        sizes = [int(part.strip()) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 10000,50000,100000, got {text!r}") from None
    if not sizes or any(s < 100 for s in sizes):
        raise argparse.ArgumentTypeError("each size must be at least 100")
    return sizes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="ingest_speed.py",
        description="Ingest throughput: our `ingest once` against plain Whoosh, tantivy and SQLite FTS5.",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"shared data folder (default: {DEFAULT_DATA})")
    parser.add_argument("--sizes", type=parse_sizes, default=list(SIZES), metavar="N,N,…",
                        help="numbers of documents (default: 10000,50000,100000)")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"comma-separated subset of {','.join(SYSTEMS)} (default: all), or also "
                             f"{', '.join(CLUSTERS)}: ours into a local OpenSearch cluster (needs java and mvn)")
    parser.add_argument("--cycle", action="store_true",
                        help="sizes beyond the 146,104 documents of the data: the documents again, under new paths "
                             "(the same texts: for timing, not for relevance)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the largest size in DIR (new or empty) and keep its files and indexes, "
                             "for bench/search_speed.py --index DIR")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = parser.parse_args(argv)
    args.systems = chosen_systems(parser, args.systems, SYSTEMS + tuple(CLUSTERS))
    if args.keep and args.keep.exists() and (not args.keep.is_dir() or any(args.keep.iterdir())):
        parser.error(f"--keep {args.keep}: not a new or empty folder")
    return args


def write_manifest(workdir: Path, docs: list[Doc], input_bytes: int, systems: list[str], command: str) -> None:
    """What a kept bench folder holds, for bench/search_speed.py --index."""
    manifest = {
        "documents": len(docs),
        "lovdata": sum(d.source == "lovdata" for d in docs),
        "norec": sum(d.source == "norec" for d in docs),
        "input_bytes": input_bytes,
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": command,
        "docs": "docs",
        "indexes": {s: index_path(workdir, s).name for s in systems},
    }
    (workdir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    rel = _relevance()
    project = rel.project_version()
    command = shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv]))
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    notes: list[str] = []
    systems = list(args.systems)
    if "ours" in systems or set(CLUSTERS) & set(systems):
        ingest_command()
    if "tantivy" in systems and importlib.util.find_spec("tantivy") is None:
        systems.remove("tantivy")
        notes.append("tantivy skipped: not installed (.venv/bin/pip install tantivy==0.27.0)")
    data_files(args.data.expanduser())
    log(f"reading {max(args.sizes):,} documents from {args.data} …")
    all_docs = documents(args.data.expanduser(), max(args.sizes), args.cycle)
    distinct = len({(d.source, d.id) for d in all_docs})
    if distinct < len(all_docs):
        notes.append(f"--cycle: {distinct:,} distinct documents, repeated under new paths up to {len(all_docs):,}")
    results: list[SizeResult] = []
    largest = max(args.sizes)
    clusters = Clusters()
    try:
        for size in args.sizes:
            keep = args.keep is not None and size == largest and not any(r.size == size for r in results)
            if keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                workdir, cleanup = args.keep.resolve(), None
            else:
                cleanup = tempfile.TemporaryDirectory(prefix=f"bench-ingest-{size}-")
                workdir = Path(cleanup.name)
            try:
                result = bench_size(all_docs[:size], systems, workdir, keep, clusters)
                if keep:
                    write_manifest(workdir, all_docs[:size], result.input_bytes,
                                   [s for s in systems if s not in CLUSTERS], command)
                    result.notes.append(f"kept: {workdir} (files and indexes of {size:,} docs, for bench/search_speed.py --index)")
            finally:
                if cleanup is not None:
                    cleanup.cleanup()
            results.append(result)
            notes.extend(result.notes)
    finally:
        clusters.close()

    info = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": rel.machine(),
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "project": project,
        "command": command,
        "data": str(args.data),
        "systems": describe_systems(systems),
        "notes": notes,
        "seconds": time.perf_counter() - started,
    }
    if args.json:
        info["results"] = [
            {
                **{k: v for k, v in vars(r).items() if k not in ("rows", "rerun")},
                "rows": [vars(row) | {"docs_per_second": row.docs_per_second, "mb_per_second": row.mb_per_second}
                         for row in r.rows],
                "rerun": vars(r.rerun) if r.rerun else None,
            }
            for r in results
        ]
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print("\n".join(report(results, info)))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return worker_main(*argv[1:4])
    return bench_main("ingest_speed.py", lambda args: run(parse_args(args)), argv)


if __name__ == "__main__":
    sys.exit(main())
