"""Norwegian letters typed without a Norwegian keyboard: ``losning`` finds ``løsning``.

Folding æ, ø and å to a and o in the index would merge real words (``får``/``far``,
``før``/``for``). So the index keeps the letters, and at query time a word that the index
does not hold at all is tried with the letters it may stand for (``aa``/``a`` → ``å``,
``ae``/``a`` → ``æ``, ``oe``/``o`` → ``ø``); the forms the index does hold are searched
in its place. A word the index holds is left alone, so ``far`` never turns into ``får``.

The index holds terms, not forms, and a restored form may have another term than the
ASCII one: ``går`` is indexed as ``gå`` (:class:`~index.analysis.inflection.StrongVerbFilter`),
but ``gaar`` stems to ``gaar``, whose restoration ``går`` is no term. So the form as typed is
restored, then analysed like any word (``gaar`` → ``går`` → ``gå``); only a query word whose
typed form is not known is restored from its term.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from whoosh import query
from whoosh.reading import IndexReader

Analyse = Callable[[str], "str | None"]  # a word to its index term, None for a stop word

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


def restore_letters(
    q: query.Query, reader: IndexReader, typed: Mapping[str, str] | None = None, analyse: Analyse | None = None
) -> query.Query:
    """``q`` with each word the index lacks replaced by its spellings with æ, ø, å that it has.
    ``typed``: the form typed (lower case) of each term of the query, whose spellings
    ``analyse`` turns into terms; a term without a typed form is respelt as it is."""
    if type(q) is query.Term:
        return _restored_word(q, [q], reader, typed, analyse)
    if type(q) is query.Or and q.subqueries and all(type(t) is query.Term for t in q.subqueries):
        if len({t.text for t in q.subqueries}) == 1:  # one word over several fields
            return _restored_word(q, q.subqueries, reader, typed, analyse)
    if q.is_leaf():
        return q
    return q.apply(lambda child: restore_letters(child, reader, typed, analyse))


def restored_terms(term: str, typed: Mapping[str, str] | None = None, analyse: Analyse | None = None) -> list[str]:
    """The terms ``term`` may stand for with æ, ø, å restored: of its form as typed, restored
    then analysed, when both are given; else of the term itself. In order, without repeats."""
    form = typed.get(term) if typed is not None and analyse is not None else None
    if form is None:
        return letter_variants(term)
    found = (analyse(spelling) for spelling in letter_variants(form))
    return list(dict.fromkeys(found_term for found_term in found if found_term is not None))


def _restored_word(
    q: query.Query, terms: list[query.Term], reader: IndexReader, typed: Mapping[str, str] | None, analyse: Analyse | None
) -> query.Query:
    if any(reader.doc_frequency(t.fieldname, t.text) for t in terms):
        return q
    spellings = [
        spelling
        for spelling in restored_terms(terms[0].text, typed, analyse)
        if any(reader.doc_frequency(t.fieldname, spelling) for t in terms)
    ]
    if not spellings:
        return q
    alternatives = [query.Term(t.fieldname, spelling, boost=t.boost) for spelling in spellings for t in terms]
    return query.Or(alternatives, boost=q.boost if q is not terms[0] else 1.0)
