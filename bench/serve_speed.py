"""Server load benchmark: wrk against ``/api/search`` of a real ``search --serve``.

Builds (or reuses, ``--keep DIR``) a 10,000-document index with the real ``ingest once``: the
755 NorQuAD passages and the first 9,245 Lovdata sections, each a UTF-8 file (Lovdata: a
``date`` line, then the title line, then the text). Starts ``search --serve`` on a free port
(``serve.workers`` processes, default 2), then runs wrk with a Lua script that sends real
NorQuAD questions (queries.jsonl, each thread from its own place in the list) as
``/api/search?q=…&limit=10`` at 1, 4 and 16 open connections, each connection one client
waiting for its answer before the next request.

Prints per run: requests/s, latency p50/p95/p99 (wrk's), errors (socket errors, timeouts and
non-2xx answers, 5xx among them), and the memory of the server's processes (RSS summed,
sampled every second: at the start, the end and the most); then the issue's targets: 0 errors
at 16 clients for 60 s, 16 clients at least 1.6x one client's throughput, memory flat. Needs
``wrk`` (Debian package) and ``../shared/data``. A script that prints figures, not a test.

    .venv/bin/python bench/serve_speed.py                         # 20 s at 1 and 4 clients, 60 s at 16
    .venv/bin/python bench/serve_speed.py --keep /tmp/serve10k    # keep (or reuse) the index there
    .venv/bin/python bench/serve_speed.py --seconds 5 --long 10   # quick run
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from benchmain import BenchError, bench_main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DOCUMENTS = 10_000

LUA = r"""
-- Each request: the next NorQuAD question of this thread's share (already URL-encoded).
local queries = {}
for line in io.lines(os.getenv("SERVE_SPEED_QUERIES")) do queries[#queries + 1] = line end
local threads, counter = {}, 0
function setup(thread)
  counter = counter + 1
  thread:set("start", counter * 997)
  table.insert(threads, thread)
end
local i = 0
function init(args) i = tonumber(start) or 0 end
function request()
  i = i + 1
  return wrk.format("GET", "/api/search?limit=10&q=" .. queries[(i % #queries) + 1])
end
server_errors = 0  -- a global: done() reads it from each thread
function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end
function done(summary, latency, requests)
  local fivexx = 0
  for _, thread in ipairs(threads) do fivexx = fivexx + (thread:get("server_errors") or 0) end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %d, "p95": %d, "p99": %d, "max": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "5xx": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, fivexx))
end
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def write_corpus(data: Path, folder: Path) -> None:
    """The 755 NorQuAD passages and Lovdata sections up to DOCUMENTS files, as ingest reads them."""
    passages = data / "norquad_retrieval" / "corpus.jsonl"
    lovdata = data / "bulk_lovdata" / "lovdata_sections.jsonl.gz"
    for path in (passages, lovdata):
        if not path.is_file():
            raise BenchError(f"{path} is absent: the shared Norwegian data is needed")
    folder.mkdir(parents=True)
    written = 0
    with passages.open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            (folder / f"norquad-{written:05}.txt").write_text(f"{doc['title']}\n\n{doc['text']}\n", "utf-8")
            written += 1
    with gzip.open(lovdata, "rt", encoding="utf-8") as lines:
        for line in lines:
            if written >= DOCUMENTS:
                break
            doc = json.loads(line)
            header = f"date {doc['date']}\n" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.get("date") or "") else ""
            (folder / f"lovdata-{written:05}.txt").write_text(f"{header}{doc['title']}\n\n{doc['text']}\n", "utf-8")
            written += 1


def build(data: Path, workdir: Path) -> Path:
    """The index of the corpus in ``workdir``: written and ingested the first time; a kept one
    is brought up to date by another ``ingest once`` (which rebuilds it after a schema change)."""
    index = workdir / "index"
    if (workdir / "docs").is_dir():
        log(f"reusing the documents in {workdir / 'docs'}; ingest once brings {index} up to date …")
    else:
        log(f"writing {DOCUMENTS:,} documents to {workdir / 'docs'} and ingesting them …")
        write_corpus(data, workdir / "docs")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ingest.cli", "once", "--source", str(workdir / "docs"), "--index", str(index)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    log(f"ingested in {time.perf_counter() - started:.0f} s")
    return index


def query_file(data: Path, path: Path) -> int:
    questions = [json.loads(line)["text"] for line in (data / "norquad_retrieval" / "queries.jsonl").open(encoding="utf-8")]
    path.write_text("".join(urllib.parse.quote(q, safe="") + "\n" for q in questions), "utf-8")
    return len(questions)


def start_server(index: Path, workers: int) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "NORSEARCH__SERVE__WORKERS": str(workers), "NORSEARCH__LOGGING__LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, "-m", "index.cli", "--serve", "--index", str(index), "--port", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"(http://\S+)/$", line.strip())
    if not match:
        process.kill()
        raise BenchError(f"the server did not start: {line.strip()!r}")
    return process, match.group(1)


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (the uvicorn workers), in MB."""
    total = 0
    pids = [pid]
    try:
        pids += [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class MemorySampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(rss_mb(self.pid))
            self.stop.wait(1.0)


def run_wrk(url: str, script: Path, queries: Path, connections: int, seconds: int) -> dict:
    threads = min(2, connections)
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url],
        env={**os.environ, "SERVE_SPEED_QUERIES": str(queries)}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(line for line in result.stdout.splitlines() if line.startswith("{"))
    return json.loads(line)


def run(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder (default ../shared/data)")
    parser.add_argument("--keep", type=Path, help="build the index here and keep it (reused when it exists)")
    parser.add_argument("--workers", type=int, default=2, help="serve.workers (default 2)")
    parser.add_argument("--seconds", type=int, default=20, help="seconds at 1 and 4 clients (default 20)")
    parser.add_argument("--long", type=int, default=60, help="seconds at 16 clients (default 60)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed (Debian: apt-get install wrk)")

    with tempfile.TemporaryDirectory(prefix="serve-speed-") as temporary:
        workdir = args.keep or Path(temporary)
        index = build(args.data, workdir)
        scratch = Path(temporary)
        queries = scratch / "queries.txt"
        count = query_file(args.data, queries)
        script = scratch / "questions.lua"
        script.write_text(LUA, "utf-8")
        server, url = start_server(index, args.workers)
        try:
            log(f"serving {index} at {url} with {args.workers} workers; warming up …")
            run_wrk(url, script, queries, 2, 5)
            print(f"wrk against {url}/api/search, {count:,} NorQuAD questions, limit=10, "
                  f"{DOCUMENTS:,} documents, serve.workers={args.workers}, {os.cpu_count()} cores")  # fmt: skip
            print(f"{'clients':>7} {'seconds':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
                  f"{'errors':>6} {'5xx':>4} {'RSS MB start/end/max':>21}")  # fmt: skip
            rates = {}
            long_run: dict = {}
            for clients in (1, 4, 16):
                seconds = args.long if clients == 16 else args.seconds
                sampler = MemorySampler(server.pid)
                sampler.start()
                figures = run_wrk(url, script, queries, clients, seconds)
                sampler.stop.set()
                sampler.join()
                errors = sum(figures[key] for key in ("connect", "read", "write", "status", "timeout"))
                rates[clients] = figures["requests"] / figures["seconds"]
                memory = sampler.samples or [0.0]
                if clients == 16:
                    long_run = {**figures, "errors": errors, "memory": memory}
                print(f"{clients:>7} {figures['seconds']:>7.0f} {figures['requests']:>8} {rates[clients]:>7.1f} "
                      f"{figures['p50'] / 1000:>7.1f} {figures['p95'] / 1000:>7.1f} {figures['p99'] / 1000:>7.1f} "
                      f"{errors:>6} {figures['5xx']:>4} {memory[0]:>7.0f}/{memory[-1]:.0f}/{max(memory):.0f}")  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
    ratio = rates[16] / rates[1]
    memory = long_run["memory"]
    growth = memory[-1] - memory[len(memory) // 4]  # after the first quarter's warm-up
    print()
    print(f"16 clients for {long_run['seconds']:.0f} s: {long_run['errors']} errors, {long_run['5xx']} 5xx "
          f"(target 0 and 0): {'met' if long_run['errors'] == 0 and long_run['5xx'] == 0 else 'MISSED'}")  # fmt: skip
    print(f"throughput at 16 clients / 1 client: {ratio:.2f}x (target >= 1.6x): {'met' if ratio >= 1.6 else 'MISSED'}")
    print(f"memory over the 16-client run: {growth:+.0f} MB after its first quarter (flat: within 10 %): "
          f"{'met' if abs(growth) <= 0.1 * max(memory) else 'MISSED'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(bench_main("serve_speed", run))
