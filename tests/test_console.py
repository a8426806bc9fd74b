"""What the commands print is safe for a terminal: control characters of documents, titles
and file names are shown escaped, in text and in JSON."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index import Document
from index.console import json_text, printable

from .conftest import write_index
from .test_cli import search

# A terminal acts on all of these: clear screen, window title (OSC 0), a hidden link (OSC 8),
# a one-character CSI (C1 U+009B), a forged line, text reversed by a bidi override.
CLEAR, TITLE, LINK = "\x1b[2J", "\x1b]0;eid\x07", "\x1b]8;;https://evil.example/\x1b\\klikk\x1b]8;;\x1b\\"
CSI, OVERRIDE = "\u009b31m", "\u202etxt.exe"
UNSAFE = [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)] + list("\u2028\u2029\u202a\u202e\u2066\u2069")


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Skjulte chatter?", "Skjulte chatter?"),
        ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
        (CLEAR, "\\x1b[2J"),
        (TITLE, "\\x1b]0;eid\\x07"),
        (CSI, "\\u009b31m"),
        ("\x7f", "\\x7f"),
        (OVERRIDE, "\\u202etxt.exe"),
        ("C:\\mapper\\blåbær", "C:\\mapper\\blåbær"),
    ],
)
def test_printable_escapes_what_a_terminal_acts_on(text, shown):
    assert printable(text) == shown


@given(st.text())
def test_printable_leaves_nothing_a_terminal_acts_on(text):
    shown = printable(text)
    assert not any(character in shown for character in UNSAFE)
    if not any(character in text for character in UNSAFE):
        assert shown == text


@given(st.dictionaries(st.text(), st.text()))
def test_json_text_is_the_same_json_with_nothing_a_terminal_acts_on(value):
    encoded = json_text(value)
    assert json.loads(encoded) == value
    assert not any(character in encoded for character in UNSAFE if character != "\n")


def test_search_shows_control_characters_escaped(tmp_path):
    hostile = Document(
        id="farlig\nfailed: forfalsket.txt",
        path=f"/data/farlig{CLEAR}.txt",
        title=f"Farlig tittel{CLEAR}{TITLE}",
        text=f"Farlig tittel. Denne hvalfangstrapporten har {LINK} og {CSI} og {OVERRIDE} i seg.",
        date="2023-07",
    )
    index = write_index(tmp_path / "index", [hostile])

    text = search(tmp_path, "hvalfangstrapporten", "--index", index)
    assert text.returncode == 0, text.stderr
    assert not any(character in text.stdout for character in UNSAFE if character != "\n")
    assert "farlig\\nfailed: forfalsket.txt" in text.stdout
    assert "Farlig tittel\\x1b[2J\\x1b]0;eid\\x07" in text.stdout
    assert "\\u009b31m" in text.stdout and "\\u202etxt.exe" in text.stdout

    raw = search(tmp_path, "hvalfangstrapporten", "--index", index, "--json")
    assert not any(character in raw.stdout for character in UNSAFE if character != "\n")
    hit = json.loads(raw.stdout)["hits"][0]
    assert (hit["id"], hit["path"], hit["title"]) == (hostile.id, hostile.path, hostile.title)
    assert CSI in hit["snippet"] and "<mark>hvalfangstrapporten</mark>" in hit["snippet"]


def test_an_error_naming_a_hostile_path_is_one_escaped_line(tmp_path):
    result = search(tmp_path, "fred", "--index", tmp_path / f"mangler{CLEAR}\nWARNING falsk")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr
    assert "mangler\\x1b[2J\\nWARNING falsk" in result.stderr
