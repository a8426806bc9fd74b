"""Never lose or corrupt: kill -9 at any moment, two writers at once, search during a pass.

These run the real ``ingest`` command in subprocesses on a few thousand real law sections
from ``../shared/data/bulk_lovdata`` (skipped where that data is absent).
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from index import IndexWriter, open_index
from index.whoosh.parallel import ParallelWriter, _SubWriterBoundToParent, parallel_writing_available

from .conftest import shared_data

DOCUMENTS = 3000


@pytest.fixture(scope="module")
def law_folder(tmp_path_factory) -> Path:
    """3,000 real law sections as files, with their date headers."""
    data = shared_data("bulk_lovdata") / "lovdata_sections.jsonl.gz"
    folder = tmp_path_factory.mktemp("lovdata") / "source"
    folder.mkdir()
    with gzip.open(data, "rt", encoding="utf-8") as lines:
        for n, line in zip(range(DOCUMENTS), lines):
            record = json.loads(line)
            sub = folder / record["law_id"].replace("/", "_")
            sub.mkdir(exist_ok=True)
            (sub / f"{n:05d}.txt").write_text(f"date {record['date']}\n{record['title']}\n{record['text']}", "utf-8")
    return folder


def ingest(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run_once(source: Path, index: Path, *extra: str) -> dict:
    process = ingest("once", "--source", str(source), "--index", str(index), "--json", *extra)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return json.loads(out)


def start_writer(source: Path, index: Path) -> subprocess.Popen:
    """An ``ingest once`` that has taken the index's write lock."""
    process = ingest("once", "--source", str(source), "--index", str(index))
    while not (index / "norsearch.lock").exists():
        time.sleep(0.05)
    return process


def assert_consistent(index: Path) -> int:
    """The index opens, and no id appears twice."""
    with open_index(index) as ix:
        ids = list(ix.ids())
        assert len(ids) == len(set(ids)) == ix.count()
        return len(ids)


@pytest.mark.slow
def test_kill_9_at_any_moment_loses_nothing_committed(law_folder, tmp_path):
    index = tmp_path / "index"
    counts = []
    for delay in (0.3, 0.8, 1.4, 2.0, 2.7, 3.5):
        process = ingest("once", "--source", str(law_folder), "--index", str(index))
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if (index / "norsearch.json").exists():
            counts.append(assert_consistent(index))
    assert counts == sorted(counts)  # committed work is never lost
    report = run_once(law_folder, index)
    assert report["documents"] == DOCUMENTS and report["failed"] == []
    assert assert_consistent(index) == DOCUMENTS
    again = run_once(law_folder, index)
    assert again["unchanged"] == DOCUMENTS and again["added"] == again["updated"] == 0


def hold_write_lock(index: Path) -> subprocess.Popen:
    """A process with an ``IndexWriter`` open on ``index`` (so holding its write lock) until
    its stdin is closed: a pass that lasts as long as the test needs."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(index)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline() == "locked\n"
    return holder


HOLDER = """
import sys
from index import IndexWriter
with IndexWriter(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.mark.slow
def test_a_second_writer_waits_then_gives_up_with_a_clear_message(law_folder, tmp_path):
    index = tmp_path / "index"
    first = hold_write_lock(index)
    env = dict(os.environ, NORSEARCH__INDEX__LOCK_TIMEOUT="0.5")
    second = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "once", "--source", str(law_folder), "--index", str(index)],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert second.returncode == 2
    assert "another process (pid" in second.stderr and "gave up after 0.5 s" in second.stderr
    assert "Traceback" not in second.stderr
    first.communicate("", timeout=60)
    assert first.returncode == 0
    assert run_once(law_folder, index)["documents"] == DOCUMENTS


@pytest.mark.slow
def test_a_killed_writer_leaves_no_stale_lock(law_folder, tmp_path):
    index = tmp_path / "index"
    process = start_writer(law_folder, index)
    process.send_signal(signal.SIGKILL)
    process.wait()
    start = time.monotonic()
    report = run_once(law_folder, index, "--config", str(_config(tmp_path, lock_timeout=1)))
    assert time.monotonic() - start < 120 and report["documents"] == DOCUMENTS


@pytest.mark.slow
def test_search_answers_from_the_last_commit_during_a_pass(law_folder, tmp_path):
    index = tmp_path / "index"
    run_once(law_folder, index)
    (law_folder.parent / "more").mkdir(exist_ok=True)
    with open_index(index) as ix:
        before = ix.search("erstatning").total
        process = ingest("once", "--source", str(law_folder), "--index", str(index))
        deadline = time.monotonic() + 5
        while process.poll() is None and time.monotonic() < deadline:
            assert ix.search("erstatning").total == before
        process.communicate(timeout=300)
    assert process.returncode == 0


def _config(folder: Path, lock_timeout: float) -> Path:
    path = folder / "config.toml"
    path.write_text(f"[index]\nlock_timeout = {lock_timeout}\n")
    return path


@pytest.mark.slow
def test_sub_writers_die_with_a_killed_ingest(law_folder, tmp_path):
    """The parallel writer's sub-processes must not outlive ``kill -9`` of their parent:
    they would hold the index lock for ever."""
    index = tmp_path / "index"
    env = dict(os.environ, NORSEARCH__INDEX__WRITER_PROCESSES="2")
    process = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "once", "--source", str(law_folder), "--index", str(index)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    deadline = time.monotonic() + 30
    children: list[int] = []
    while not children and time.monotonic() < deadline:
        children = _children_of(process.pid)
        time.sleep(0.05)
    assert children, "the parallel writer started no sub-processes"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and _state(pid) != "Z" for pid in children):
        assert time.monotonic() < deadline, "sub-writers outlived their parent"
        time.sleep(0.05)
    report = run_once(law_folder, index, "--config", str(_config(tmp_path, lock_timeout=5)))
    assert report["documents"] == DOCUMENTS


def _children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


def test_a_sub_writer_whose_parent_died_before_it_was_bound_exits_at_once(tmp_path):
    """The parent can die between the fork and the sub-writer's ``PR_SET_PDEATHSIG``; the
    kernel then never kills the orphan, which would wait on its job queue for ever holding
    the inherited index lock. The sub-writer compares its parent with the pid taken before
    the fork; here that pid is not its parent's, as after such a death, so it must leave
    without taking a job."""
    if not parallel_writing_available():
        pytest.skip("sub-writers are bound to their parent on Linux only")
    with IndexWriter(tmp_path / "index"):
        pass
    writer = ParallelWriter(whoosh_index.open_dir(str(tmp_path / "index")), procs=2)
    try:
        child = _SubWriterBoundToParent(
            writer.storage, writer.indexname, writer.jobqueue, writer.resultqueue, writer.subargs, True
        )
        child.errors = writer._errors
        child.parent_pid = 1  # as recorded by a parent that is no longer the child's parent
        writer.jobqueue.put(("never-taken.doclist", 1))
        child.start()
        child.join(timeout=30)
        assert child.exitcode == 1
        assert writer.jobqueue.get(timeout=5) == ("never-taken.doclist", 1)
    finally:
        writer.cancel()
