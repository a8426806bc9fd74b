"""Damaged web pages, messages and mailboxes (bytes overwritten, files cut short at random
places, after the fixtures of tests/fixtures/formats/README-html-mail.md): documents or one
reason, never a traceback, and no U+FFFD that decoding made."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.formats import UnreadableError, read_document

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
NAMES = sorted(path.name for path in FIXTURES.glob("*") if path.name.startswith(("html_", "mail_")) and not path.name.endswith(".md"))


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(NAMES), cuts=st.lists(st.tuples(st.integers(0, 7000), st.binary(max_size=8)), max_size=6))
def test_damaged_files_give_documents_or_a_reason_never_a_traceback(name, cuts):
    data = bytearray((FIXTURES / name).read_bytes())
    for at, junk in cuts:
        at %= len(data) + 1
        data[at : at + len(junk)] = junk
    try:
        docs = read_document(bytes(data), name)
    except UnreadableError:
        return
    for doc in docs:
        assert doc.text and ("\ufffd" not in doc.text or "\ufffd".encode() in data)
