"""Where a sentence around a match starts: the last sentence end before it, found from the end."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.analysis.sentences import _SENTENCE_END, _ends_sentence, _sentence

PIECES = st.sampled_from(["Moss", "flyplassen", "15.", "juni", "R.", "Norum", ". ", "! ", "? ", "… ", "\n", "«Hei»", " ", "bl.a.", "a", "Ja. "])


def _first_from_the_start(text: str, start: int, reach: int) -> int:
    """The start of the sentence as found by checking every candidate from the left."""
    first = max(0, start - reach)
    for candidate in _SENTENCE_END.finditer(text, first, start):
        if _ends_sentence(text, candidate):
            first = candidate.end()
    return first


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=60), st.data(), st.integers(5, 80))
def test_the_sentence_starts_after_the_last_end_before_the_match(pieces, data, reach):
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(text) - 1))
    assert _sentence(text, start, start + 1, reach)[0] == _first_from_the_start(text, start, reach)
