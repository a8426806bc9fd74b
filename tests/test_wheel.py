"""The package as users get it: sdist → wheel → a fresh virtualenv, run from a folder that is
not the checkout. The other tests run from the checkout, where files outside the packages
(``config/default.toml``) are always there; here only what the wheel holds is.

No network: the sdist and wheel are built with this environment's setuptools, and the fresh
virtualenv sees this environment's site-packages for the dependencies (a ``.pth`` line, so
that the editable install of the checkout there is *not* activated: only the wheel's copy
of ``index`` and ``ingest`` can be imported).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_SOURCES = (".git", ".venv", "var", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache")
DOCUMENT = "Dato: 2. mai 2024\nBlåbærsyltetøy fra Røros\n\nBestemor kokte blåbærsyltetøy på Røros i går, og naboene fikk smake.\n"

# Everything README's "Python API" shows, written as a careful user would, checked with --strict.
CLIENT = '''
from pathlib import Path

from index import (
    Document, Hit, IndexCorruptError, IndexLockedError, IndexNotFoundError, IndexVersionError, IndexWriter,
    PartialDate, QueryError, SearchIndex, SearchIndexError, SearchResults, Snippet, open_index,
)
from ingest import Failure, IngestReport, ingest_folder


def first_title(folder: Path) -> str | None:
    report: IngestReport = ingest_folder(folder / "docs", folder / "index")
    failures: list[Failure] = report.failed
    counts: tuple[int, int, int, int, int] = (report.added, report.updated, report.deleted, report.unchanged, report.documents)
    print(report.summary(), failures, counts)
    ix: SearchIndex
    with open_index(folder / "index", title_boost=0.5, snippet_chars=300) as ix:
        try:
            results: SearchResults = ix.search("blåbærsyltetøy", limit=10, since="2024", until=None)
        except QueryError as error:
            print(error)
            return None
        total: int = results.total
        hits: list[Hit] = list(results)
        for hit in hits:
            rank: int = hit.rank
            score: float = hit.score
            path: str = hit.path
            snippet: Snippet = hit.snippet
            texts: tuple[str, str, str] = (snippet.plain(), snippet.html(), snippet.ansi())
            print(rank, hit.id, path, hit.date, score, texts, total)
        doc: Document | None = ix.get(hits[0].id) if hits else None
        if doc is not None:
            date: PartialDate | None = PartialDate.parse(doc.date) if doc.date else None
            repairs: tuple[str, ...] = doc.repairs
            print(doc.text, doc.language, doc.encoding, doc.size, doc.mtime_ns, doc.sha256, date, repairs)
        ids: list[str] = list(ix.ids())
        count: int = ix.count()
        print(ids, count)
        return hits[0].title if hits else None


def write(folder: Path, doc: Document) -> None:
    try:
        with IndexWriter(folder, lock_timeout=30, processes=1) as writer:
            writer.upsert(doc)
            writer.delete("gammel.txt")
    except (IndexLockedError, IndexNotFoundError, IndexCorruptError, IndexVersionError) as error:
        print(error)
    except SearchIndexError as error:
        print(error)
'''

MISTAKES = """
from index import opn_index
from ingest import ingest_folder
ingest_folder("docs", "index", lock_timeout="30")
"""


def run(*command: str | Path, cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run a command, failing the test with its output when it fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NORSEARCH__", "PYTHON", "VIRTUAL_ENV"))}
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The ``bin`` folder of a fresh virtualenv holding the wheel built from the sdist of this checkout."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "checkout"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    build = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    sdist_name = run(sys.executable, "-c", build, tmp, cwd=source).stdout.strip().splitlines()[-1]
    with tarfile.open(tmp / sdist_name) as sdist:
        sdist.extractall(tmp / "sdist", filter="data")
    (unpacked,) = (tmp / "sdist").iterdir()
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
        "--wheel-dir", tmp / "wheels", unpacked, cwd=tmp)  # fmt: skip
    (wheel,) = (tmp / "wheels").glob("norsearch-*.whl")

    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "test-environment.pth").write_text("\n".join(sorted(ours)) + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel, cwd=tmp)
    where = run(python, "-c", "import index, ingest; print(index.__file__); print(ingest.__file__)", cwd=tmp).stdout
    assert all(Path(line).is_relative_to(site) for line in where.split()), f"not the wheel's copy: {where}"
    return venv / "bin"


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working folder outside the checkout, holding one Norwegian document in ``docs/``."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "syltetøy.txt").write_text(DOCUMENT, encoding="utf-8")
    return tmp_path


@pytest.mark.slow
def test_the_installed_commands_ingest_and_search_from_any_folder(installed, elsewhere):
    once = run(installed / "ingest", "once", "--source", "docs", "--index", "index", "--json", cwd=elsewhere)
    assert json.loads(once.stdout)["added"] == 1
    found = run(installed / "search", "blåbærsyltetøy", "--index", "index", "--json", cwd=elsewhere)
    hits = json.loads(found.stdout)["hits"]
    assert [hit["title"] for hit in hits] == ["Blåbærsyltetøy fra Røros"]
    assert hits[0]["path"] == str(elsewhere / "docs" / "syltetøy.txt")


@pytest.mark.slow
def test_the_installed_library_ingests_with_the_packaged_defaults(installed, elsewhere):
    script = "from ingest import ingest_folder; print(ingest_folder('docs', 'index').added)"
    assert run(installed / "python", "-c", script, cwd=elsewhere).stdout.split() == ["1"]


@pytest.mark.slow
@pytest.mark.parametrize("command", ["ingest", "search"])
def test_the_installed_commands_print_the_package_version(installed, elsewhere, command):
    printed = run(installed / command, "--version", cwd=elsewhere).stdout
    assert printed.split() == [command, version("norsearch")]


@pytest.mark.slow
def test_the_public_api_type_checks_strictly_against_the_installed_wheel(installed, tmp_path):
    """py.typed ships, a client of README's API needs no ``Any`` and no ignore under --strict,
    and the checker sees the client's mistakes (a misspelt name, an argument of the wrong type)."""
    mypy = [installed / "python", "-m", "mypy", "--strict", "--cache-dir", tmp_path / "mypy-cache"]
    (tmp_path / "client.py").write_text(CLIENT, encoding="utf-8")
    run(*mypy, "client.py", cwd=tmp_path)
    (tmp_path / "mistakes.py").write_text(MISTAKES, encoding="utf-8")
    checked = subprocess.run([str(c) for c in mypy] + ["mistakes.py"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    errors = sorted(re.findall(r"^mistakes.py:(\d+): error: .*\[([\w-]+)\]$", checked.stdout, re.M))
    assert errors == [("2", "attr-defined"), ("4", "arg-type")], checked.stdout
