"""``ingest.walk.walk``: which files are found, in which order, with which ids, and how
symlink loops, broken links and undecodable names are reported."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from ingest.walk import Skipped, SourceFile, WalkProblem, walk

INCLUDE = ("*.txt", "*.md")  # the plain-text globs of config/default.toml
EXCLUDE = (".*", "*~", "*.tmp")
LIMIT = 500  # a walk that yields more than this in these small trees is running away


def run(source: Path, include=INCLUDE, exclude=EXCLUDE, **options) -> list[SourceFile | WalkProblem | Skipped]:
    return list(itertools.islice(walk(source, include, exclude, **options), LIMIT))


def files(items) -> list[str]:
    return [item.id for item in items if isinstance(item, SourceFile)]


def problems(items) -> list[WalkProblem]:
    return [item for item in items if isinstance(item, WalkProblem)]


def write(root: Path, relative: str, text: str = "Været i Bergen er vått.") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    source = tmp_path / "kilde"
    write(source, "nyheter/innenriks/statsbudsjettet.txt", "Regjeringen la fram budsjettet.")
    write(source, "nyheter/utenriks/valg i Sverige.md")
    write(source, "nyheter/været.txt")
    write(source, "arkiv/2019/snøkaos.txt")
    write(source, "arkiv/2019/bilde.jpg")
    write(source, "Ørsta.txt")
    write(source, "ålesund.md")
    write(source, "notat.txt~")
    write(source, "utkast.tmp")
    write(source, ".skjult.txt")
    write(source, ".git/HEAD.txt")
    write(source, "nyheter/.cache/gammel.txt")
    write(source, "les-meg.rst")
    return source


def test_recursive_with_default_globs(tree):
    items = run(tree)
    assert problems(items) == []
    assert set(files(items)) == {
        "nyheter/innenriks/statsbudsjettet.txt",
        "nyheter/utenriks/valg i Sverige.md",
        "nyheter/været.txt",
        "arkiv/2019/snøkaos.txt",
        "Ørsta.txt",
        "ålesund.md",
    }


def test_ids_are_relative_with_forward_slashes(tree):
    for item in run(tree):
        assert not item.id.startswith("/") and "\\" not in item.id
        assert not os.path.isabs(item.id)
        assert Path(item.path) == tree / item.id


def test_order_is_sorted_by_path_components_and_stable(tree):
    ids = files(run(tree))
    # depth first, each folder's names sorted: the same as sorting by path components
    assert ids == sorted(ids, key=lambda i: i.split("/"))
    assert ids == files(run(tree))
    assert ids[:2] == ["arkiv/2019/snøkaos.txt", "nyheter/innenriks/statsbudsjettet.txt"]


def test_order_within_a_folder(tmp_path):
    for name in ["c.txt", "a.txt", "b.md", "Z.txt", "æ.txt", "å.txt", "ø.txt"]:
        write(tmp_path, name)
    assert files(run(tmp_path)) == ["Z.txt", "a.txt", "b.md", "c.txt", "å.txt", "æ.txt", "ø.txt"]  # code points


def test_source_file_carries_the_stat(tree):
    (item,) = [i for i in run(tree) if isinstance(i, SourceFile) and i.id == "nyheter/innenriks/statsbudsjettet.txt"]
    info = (tree / item.id).stat()
    assert os.path.isabs(item.path)
    assert item.size == len("Regjeringen la fram budsjettet.".encode("utf-8")) == info.st_size
    assert item.mtime_ns == info.st_mtime_ns
    assert item.ctime_ns == info.st_ctime_ns


def test_exclude_dot_skips_dot_files_and_dot_folders(tree):
    ids = files(run(tree))
    assert not any(part.startswith(".") for i in ids for part in i.split("/"))
    with_dots = files(run(tree, exclude=()))
    assert {".skjult.txt", ".git/HEAD.txt", "nyheter/.cache/gammel.txt"} <= set(with_dots)


def test_backup_and_tmp_are_not_included(tree):
    ids = files(run(tree, include=("*",), exclude=EXCLUDE))
    assert "notat.txt~" not in ids and "utkast.tmp" not in ids
    assert "arkiv/2019/bilde.jpg" in ids and "les-meg.rst" in ids
    everything = files(run(tree, include=("*",), exclude=()))
    assert "notat.txt~" in everything and "utkast.tmp" in everything


def test_include_glob_on_relative_path(tree):
    assert files(run(tree, include=("arkiv/*",))) == ["arkiv/2019/bilde.jpg", "arkiv/2019/snøkaos.txt"]
    assert files(run(tree, include=("nyheter/*.md",))) == ["nyheter/utenriks/valg i Sverige.md"]


def test_include_glob_on_name(tree):
    assert files(run(tree, include=("*.md",))) == ["nyheter/utenriks/valg i Sverige.md", "ålesund.md"]


def test_exclude_glob_on_relative_path_and_folder_name(tree):
    assert files(run(tree, exclude=(".*", "nyheter/*"))) == ["arkiv/2019/snøkaos.txt", "Ørsta.txt", "ålesund.md"]
    # a folder's own name excludes the whole folder
    assert all(not i.startswith("arkiv/") for i in files(run(tree, exclude=(".*", "arkiv"))))


def test_globs_are_case_sensitive(tmp_path):
    write(tmp_path, "RAPPORT.TXT")
    write(tmp_path, "rapport.txt")
    assert files(run(tmp_path)) == ["rapport.txt"]


def test_symlink_loop_ends_with_a_problem(tmp_path):
    source = tmp_path / "kilde"
    write(source, "mappe/sak.txt", "Saken om fergen til Hareid.")
    write(source, "forside.txt")
    (source / "mappe" / "loop").symlink_to("..", target_is_directory=True)
    items = run(source)
    assert len(items) < LIMIT
    assert files(items) == ["forside.txt", "mappe/sak.txt"]  # each once
    (problem,) = problems(items)
    assert problem.id == "mappe/loop/"  # a folder id ends in "/"
    assert "symlink loop" in problem.error
    assert problem.path == str(source / "mappe" / "loop")


def test_symlink_to_itself_as_folder_loop(tmp_path):
    write(tmp_path, "a/b/dypt.md")
    (tmp_path / "a" / "b" / "tilbake").symlink_to(tmp_path / "a", target_is_directory=True)
    items = run(tmp_path)
    assert files(items) == ["a/b/dypt.md"]
    assert [(p.id, "symlink loop" in p.error) for p in problems(items)] == [("a/b/tilbake/", True)]


@pytest.fixture
def linked_out(tmp_path) -> Path:
    """A source folder with links to a folder and a file outside it."""
    source = tmp_path / "kilde"
    outside = tmp_path / "utenfor"
    write(outside, "rapport.txt", "Rapport fra Stortinget.")
    write(source, "egen.txt")
    (source / "lenket").symlink_to(outside, target_is_directory=True)
    (source / "snarvei.md").symlink_to(outside / "rapport.txt")
    return source


def test_symlinks_out_of_the_source_are_not_followed_by_default(linked_out):
    items = run(linked_out)
    assert files(items) == ["egen.txt"]
    assert [(p.id, p.keep) for p in problems(items)] == [("lenket/", False), ("snarvei.md", False)]  # one each
    for problem in problems(items):
        assert "outside the source folder" in problem.error and "utenfor" in problem.error


def test_symlinks_inside_the_source_are_followed_by_default(tmp_path):
    write(tmp_path, "arkiv/2019/sak.txt")
    (tmp_path / "siste.txt").symlink_to(tmp_path / "arkiv/2019/sak.txt")
    (tmp_path / "nyeste").symlink_to("arkiv/2019", target_is_directory=True)
    items = run(tmp_path)
    assert files(items) == ["arkiv/2019/sak.txt", "siste.txt"]
    (problem,) = problems(items)  # the folder is walked once, under its own name
    assert problem.id == "nyeste/" and "the same folder as arkiv/2019/" in problem.error
    assert "loop" not in problem.error


def test_no_symlink_is_followed_with_none(tmp_path):
    write(tmp_path, "arkiv/sak.txt")
    (tmp_path / "siste.txt").symlink_to(tmp_path / "arkiv/sak.txt")
    (tmp_path / "lenke").symlink_to("arkiv", target_is_directory=True)
    items = run(tmp_path, follow_symlinks="none")
    assert files(items) == ["arkiv/sak.txt"]
    assert [(p.id, "not followed" in p.error) for p in problems(items)] == [("lenke/", True), ("siste.txt", True)]


def test_a_folder_reached_by_two_links_is_no_loop(tmp_path):
    write(tmp_path, "felles/notat.txt")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "til").symlink_to(tmp_path / "felles", target_is_directory=True)
    (tmp_path / "b" / "til").symlink_to(tmp_path / "felles", target_is_directory=True)
    items = run(tmp_path, exclude=("felles",))
    assert files(items) == ["a/til/notat.txt"]
    (problem,) = problems(items)
    assert problem.id == "b/til/" and "symlink loop" not in problem.error and "a/til/" in problem.error


def test_the_index_folder_is_never_walked(tmp_path):
    write(tmp_path, "sak.txt")
    write(tmp_path, "var/indeks/_stored.col", "lagret tekst")
    (tmp_path / "lenke.col").symlink_to(tmp_path / "var/indeks/_stored.col")
    items = run(tmp_path, include=("*",), exclude=(), skip=(tmp_path / "var" / "indeks",))
    assert files(items) == ["sak.txt"] and problems(items) == []
    reported = run(tmp_path, include=("*",), exclude=(), skip=(tmp_path / "var" / "indeks",), report_skipped=True)
    assert [(s.id, s.reason) for s in reported if isinstance(s, Skipped)] == [
        ("lenke.col", "the index folder"),
        ("var/indeks/", "the index folder"),
    ]


def test_skipped_paths_name_the_glob(tree):
    skipped = {s.id: s.reason for s in run(tree, report_skipped=True) if isinstance(s, Skipped)}
    assert skipped[".git/"] == "excluded by '.*'" and skipped["notat.txt~"] == "excluded by '*~'"
    assert skipped["les-meg.rst"].startswith("not matched by include")


def test_symlinks_to_outside_folder_and_file_are_followed_with_all(linked_out):
    source = linked_out
    items = run(source, follow_symlinks="all")
    assert problems(items) == []
    assert files(items) == ["egen.txt", "lenket/rapport.txt", "snarvei.md"]
    (link,) = [i for i in items if i.id == "snarvei.md"]
    assert link.size == len("Rapport fra Stortinget.")


def test_broken_symlink_is_a_problem(tmp_path):
    write(tmp_path, "ekte.txt")
    (tmp_path / "borte.txt").symlink_to(tmp_path / "finnes-ikke.txt")
    items = run(tmp_path)
    assert files(items) == ["ekte.txt"]
    (problem,) = problems(items)
    assert problem.id == "borte.txt"
    assert "broken symlink" in problem.error


def test_broken_symlink_outside_the_globs_is_ignored(tmp_path):
    write(tmp_path, "ekte.txt")
    (tmp_path / "borte.pdf").symlink_to(tmp_path / "finnes-ikke.pdf")
    (tmp_path / ".borte.txt").symlink_to(tmp_path / "finnes-ikke.txt")
    items = run(tmp_path)
    assert problems(items) == []
    assert files(items) == ["ekte.txt"]


def test_name_that_is_not_utf8_is_a_problem(tmp_path):
    write(tmp_path, "god.txt")
    bad = os.path.join(os.fsencode(tmp_path), b"bad\xff.txt")  # Latin-1 era name
    try:
        with open(bad, "wb") as handle:
            handle.write("Søknad".encode("cp1252"))
    except OSError as error:  # some file systems refuse such names
        pytest.skip(f"cannot create a non-UTF-8 file name here: {error}")
    items = run(tmp_path)
    assert files(items) == ["god.txt"]
    (problem,) = problems(items)
    assert "not valid UTF-8" in problem.error
    assert problem.id == os.fsdecode(b"bad\xff.txt")
    assert "\\xff" in problem.path  # printable, shows the bad byte
    problem.path.encode("utf-8")  # and is itself valid text


def test_folder_with_non_utf8_name_reports_its_files(tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), b"m\xe5ned")  # "måned" in Latin-1
    try:
        os.mkdir(folder)
        with open(os.path.join(folder, b"sak.txt"), "wb") as handle:
            handle.write(b"Sak")
    except OSError as error:
        pytest.skip(f"cannot create a non-UTF-8 folder name here: {error}")
    items = run(tmp_path)
    assert files(items) == []
    (problem,) = problems(items)
    assert "not valid UTF-8" in problem.error and problem.path.endswith("m\\xe5ned/sak.txt")


def test_missing_source_is_a_problem_not_a_crash(tmp_path):
    items = run(tmp_path / "finnes-ikke")
    (problem,) = items
    assert isinstance(problem, WalkProblem)
    assert problem.id == ""
    assert "cannot read folder" in problem.error


def test_empty_folder_yields_nothing(tmp_path):
    (tmp_path / "tom").mkdir()
    assert run(tmp_path) == []
