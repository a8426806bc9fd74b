"""A real ``search --serve`` in a subprocess over a real index built by ``ingest once``,
for the server, browser and schema tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Documents whose every field tries to run script in a browser.
XSS_TITLE = '<script>alert("tittel")</script> Skatt <img src=x onerror=alert(1)>'
XSS_TEXT = (
    f"{XSS_TITLE}\n\n"
    'Kommunen vedtok ny skatt. </mark><script>alert("mark")</script> Les mer: '
    '<a href="javascript:alert(2)">klikk</a> <svg onload=alert(3)> skatten "><iframe src=javascript:alert(4)>.\n'
)
XSS_NAME = "<img src=x onerror=alert(5)>.txt"

PLACES = ["Bergen", "Tromsø", "Bodø", "Hamar", "Molde", "Alta"]


def write_corpus(source: Path) -> None:
    """30 dated tax documents in Bokmål and Nynorsk, one undated, and the hostile ones."""
    source.mkdir(parents=True, exist_ok=True)
    for n in range(30):
        place = PLACES[n % len(PLACES)]
        year = 2019 + n % 4
        if n % 3 == 0:
            body = (f"Eigedomsskatten i {place} aukar\n\nKommunestyret i {place} har vedteke å auke eigedomsskatten. "
                    "Det er ikkje sikkert at innbyggjarane vil like det, men skatten trengst til skulane.")  # fmt: skip
        else:
            body = (f"Skatten i {place} øker igjen\n\nKommunestyret i {place} har vedtatt å øke eiendomsskatten. "
                    "Det er ikke sikkert at innbyggerne vil like det, men skatten trengs til skolene.")  # fmt: skip
        (source / f"skatt {n:02}.txt").write_text(f"Dato: {year}-0{1 + n % 9}-1{n % 10}\n{body}\n", "utf-8")
    (source / "udatert.txt").write_text("Notat om skatt\n\nEt notat uten dato om skatt og avgifter.\n", "utf-8")
    (source / "mappe æøå").mkdir(exist_ok=True)
    (source / "mappe æøå" / "spørsmål? #1 100%.txt").write_text("Dato: 2020\nRart navn\n\nSkatt med rart filnavn.\n", "utf-8")
    (source / "xss.txt").write_text(XSS_TEXT, "utf-8")
    (source / XSS_NAME).write_text("Dato: 2021\nFilnavnet er farlig\n\nSkatt i et dokument med farlig filnavn.\n", "utf-8")


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("NORSEARCH")}
    base["PYTHONUTF8"] = "1"
    base["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), base.get("PYTHONPATH")]))
    return {**base, **extra}


def ingest_once(source: Path, index: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "once", "--source", str(source), "--index", str(index)],
        env=env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


class Server:
    """A running ``search --serve``: its URL, and its output so far."""

    def __init__(self, process: subprocess.Popen[str], url: str, lines: list[str]):
        self.process = process
        self.url = url
        self.lines = lines

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)


def start(index: Path, *flags: str, extra_env: dict[str, str] | None = None, timeout: float = 60) -> Server:
    """Start the server on a free port (``--port 0``) and wait for the URL it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "index.cli", "--serve", "--index", str(index), "--port", "0", *flags],
        env=env(**(extra_env or {})), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: list[str] = []
    found = threading.Event()
    url: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            match = re.search(r"on (http://\S+/)$", line.strip())
            if match and not url:
                url.append(match.group(1))
                found.set()
        found.set()

    threading.Thread(target=read, daemon=True).start()
    found.wait(timeout)
    if not url:
        process.kill()
        raise AssertionError("server did not start:\n" + "".join(lines))
    return Server(process, url[0], lines)


@contextmanager
def running(index: Path, *flags: str, extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    server = start(index, *flags, extra_env=extra_env)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()


@contextmanager
def corpus_server(folder: Path) -> Iterator[Server]:
    """The corpus of :func:`write_corpus` ingested into ``folder``, served."""
    write_corpus(folder / "source")
    ingest_once(folder / "source", folder / "index")
    with running(folder / "index") as server:
        yield server
