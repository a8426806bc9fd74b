"""A real local OpenSearch cluster for the tests: built by Maven from ``opensearch/`` (Maven
Central artifacts only) and run as one JVM of three nodes (``norsearch.LocalCluster``).

The JVM prints ``green URL`` once the cluster is green, and takes ``stop I`` / ``start I``
on stdin, so a test can take a node away in the middle of an ingest.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "opensearch"
JAR = LAUNCHER / "target" / "opensearch-cluster-1.jar"
CLASSPATH = LAUNCHER / "target" / "classpath.txt"
SOURCES = (LAUNCHER / "pom.xml", LAUNCHER / "src" / "main" / "java" / "norsearch" / "LocalCluster.java")
NODES = 3
HEAP = "1g"  # for all three nodes
START_TIMEOUT = 600  # seconds: a cold start on a busy 2-core machine took 72 s
BUILD_TIMEOUT = 1200
ANSWERS = ("green ", "ok ", "error ")  # the launcher's lines on stdout  # seconds: Maven downloads about 60 MB into ~/.m2 on a first build


def missing_tools() -> str | None:
    """Why the cluster cannot run here, or ``None``."""
    absent = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    return f"{' and '.join(absent)} not installed: the OpenSearch tests need Java 17 and Maven" if absent else None


def build() -> None:
    """``mvn package`` unless the jar and its classpath are newer than the sources."""
    if JAR.exists() and CLASSPATH.exists():
        built = min(JAR.stat().st_mtime, CLASSPATH.stat().st_mtime)
        if all(source.stat().st_mtime < built for source in SOURCES):
            return
    subprocess.run(["mvn", "-q", "-B", "package"], cwd=LAUNCHER, check=True, timeout=BUILD_TIMEOUT)


def _free_base(count: int) -> int:
    """A port P such that P .. P+count-1 are free on the loopback interface now."""
    for _ in range(100):
        base = random.randrange(20000, 60000 - count)
        try:
            for port in range(base, base + count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free loopback ports for the OpenSearch cluster")


class LocalCluster:
    """The running JVM; :meth:`stop_node` and :meth:`start_node` wait for its answer."""

    def __init__(self, folder: Path, nodes: int = NODES):
        http, transport = _free_base(nodes), _free_base(nodes)
        command = [
            "java", f"-Xms{HEAP}", f"-Xmx{HEAP}", "-cp", f"{JAR}{os.pathsep}{CLASSPATH.read_text().strip()}",
            "norsearch.LocalCluster", str(folder), str(nodes), str(http), str(transport),
        ]
        self.started = time.monotonic()
        self._log = (folder.parent / "opensearch.log").open("w")
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True
        )
        self._lock = threading.Lock()
        self.url = self._answer(START_TIMEOUT, "green").split()[1]
        self.seconds_to_green = time.monotonic() - self.started
        self.hosts = [f"http://127.0.0.1:{http + i}" for i in range(nodes)]

    def _answer(self, timeout: float, expected: str) -> str:
        timer = threading.Timer(timeout, self.process.kill)
        timer.start()
        try:
            line = self.process.stdout.readline()
            while line and not line.startswith(ANSWERS):  # not an answer: a stray line of the server's
                line = self.process.stdout.readline()
        finally:
            timer.cancel()
        if not line.startswith(expected):
            raise RuntimeError(f"OpenSearch cluster: expected {expected!r}, got {line!r} (see {self._log.name})")
        return line

    def _command(self, command: str) -> None:
        with self._lock:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
            self._answer(START_TIMEOUT, "ok")

    def stop_node(self, node: int) -> None:
        self._command(f"stop {node}")

    def start_node(self, node: int) -> None:
        self._command(f"start {node}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()  # end of input: the JVM closes every node and exits
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
