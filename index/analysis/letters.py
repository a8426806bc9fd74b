"""Norwegian letters typed without a Norwegian keyboard: ``losning`` finds ``løsning``.

Folding æ, ø and å to a and o in the index would merge real words (``får``/``far``,
``før``/``for``). So the index keeps the letters, and at query time a word that the index
does not hold at all is tried with the letters it may stand for (``aa``/``a`` → ``å``,
``ae``/``a`` → ``æ``, ``oe``/``o`` → ``ø``); the forms the index does hold are searched
in its place. A word the index holds is left alone, so ``far`` never turns into ``får``.
"""

from __future__ import annotations

from whoosh import query
from whoosh.reading import IndexReader

# What an ASCII spelling may stand for, longest spellings first.
_SPELLINGS = (("aa", ("å",)), ("ae", ("æ",)), ("oe", ("ø",)), ("a", ("å", "æ")), ("o", ("ø",)))
# A word with more places to change than this is left as typed (3 ** 4 = 81 spellings to look up).
MAX_PLACES = 4


def letter_variants(word: str) -> list[str]:
    """Every spelling of ``word`` with some of its ASCII stand-ins replaced by æ, ø or å."""
    if not word.isascii():
        return []
    pieces: list[tuple[str, ...]] = []  # each piece: the typed letters first, then what they may stand for
    i = 0
    while i < len(word):
        for typed, letters in _SPELLINGS:
            if word.startswith(typed, i):
                pieces.append((typed, *letters))
                i += len(typed)
                break
        else:
            pieces.append((word[i],))
            i += 1
    if sum(len(piece) > 1 for piece in pieces) > MAX_PLACES:
        return []
    spellings = [""]
    for piece in pieces:
        spellings = [start + option for start in spellings for option in piece]
    return spellings[1:]  # the first is the word as typed


def restore_letters(q: query.Query, reader: IndexReader) -> query.Query:
    """``q`` with each word the index lacks replaced by its spellings with æ, ø, å that it has."""
    if type(q) is query.Term:
        return _restored_word(q, [q], reader)
    if type(q) is query.Or and q.subqueries and all(type(t) is query.Term for t in q.subqueries):
        if len({t.text for t in q.subqueries}) == 1:  # one word over several fields
            return _restored_word(q, q.subqueries, reader)
    if q.is_leaf():
        return q
    return q.apply(lambda child: restore_letters(child, reader))


def _restored_word(q: query.Query, terms: list[query.Term], reader: IndexReader) -> query.Query:
    if any(reader.doc_frequency(t.fieldname, t.text) for t in terms):
        return q
    spellings = [
        spelling
        for spelling in letter_variants(terms[0].text)
        if any(reader.doc_frequency(t.fieldname, spelling) for t in terms)
    ]
    if not spellings:
        return q
    alternatives = [query.Term(t.fieldname, spelling, boost=t.boost) for spelling in spellings for t in terms]
    return query.Or(alternatives, boost=q.boost if q is not terms[0] else 1.0)
