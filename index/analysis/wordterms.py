"""The analysed term of each word of a text, remembered across texts.

Snippets look for the query's terms in whole stored documents. Running every token through
Whoosh's filter chain (lower case, stop words, plurals, stemmer: a generator per filter) was
most of the time of a search; a language has far fewer distinct words than a document has
tokens, so each word is analysed once and then looked up.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from functools import lru_cache, partial

from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.analysis.tokenizers import RegexTokenizer

Match = tuple[int, int, str]  # start, end, the analysed term it matched
_WORD_CHARACTER = re.compile(r"\w")
# The letters that a regular expression's IGNORECASE takes for another letter of Latin script
# (besides its lower case, as ``str.lower`` gives it): ``ı`` and ``ſ`` are ``i`` and ``s`` to it,
# ``μ`` is ``µ``. Past Latin (U+0250 on), a term is left to the expression.
_FOLDED_LIKE_LATIN = ("ı", "ſ", "µ", "μ")
LATIN_END = "\u0250"
FIND_CHUNK = 1 << 20  # characters of text searched for a first match at a time


class WordTerms:
    """``matches(text, terms)``: the words of ``text`` whose analysed form is in ``terms``.

    Needs an analyzer that is a :class:`RegexTokenizer` followed by filters that turn one token
    into at most one (as :func:`index.analysis.norwegian_analyzer`), so that a word analysed
    alone gives what it gives in its text. When ``capacity`` words are known, it starts over.
    """

    def __init__(self, analyzer: CompositeAnalyzer, capacity: int = 200_000):
        tokenizer = analyzer.items[0]
        if not isinstance(tokenizer, RegexTokenizer) or tokenizer.gaps:
            raise TypeError(f"WordTerms needs an analyzer that starts with a RegexTokenizer, not {tokenizer!r}")
        self._analyzer = analyzer
        self._words = tokenizer.expression
        self._findall = tokenizer.expression.findall if tokenizer.expression.groups == 0 else None
        self._capacity = capacity
        self._terms: dict[str, str | None] = {}

    def term(self, word: str) -> str | None:
        """The index term of one word, or ``None`` for a stop word."""
        terms = self._terms
        if word in terms:
            return terms[word]
        analysed = [token.text for token in self._analyzer(word, mode="index")]
        if len(analysed) > 1:
            raise ValueError(f"the analyzer made {len(analysed)} terms of the single word {word!r}")
        if len(terms) >= self._capacity:
            terms.clear()
        terms[word] = term = analysed[0] if analysed else None
        return term

    def learn(self, words: list[str]) -> None:
        """Analyse the words not yet known, all in one pass of the analyzer (stop words kept
        and marked, so each word gives one token): a tenth of the cost of one pass a word."""
        terms = self._terms
        if len(terms) >= self._capacity:
            terms.clear()
        new = list(set(words).difference(terms))
        if not new:
            return
        tokens = [
            (token.original, None if token.stopped else token.text)
            for token in self._analyzer(" ".join(new), mode="index", removestops=False, keeporiginal=True)
        ]
        if [original for original, _ in tokens] != new:  # an analyzer that is not word by word
            for word in new:
                self.term(word)
            return
        terms.update(tokens)

    def words(self, text: str) -> list[str]:
        """The words of ``text`` as the analyzer's tokenizer cuts them, as written."""
        return self._findall(text) if self._findall else [m.group() for m in self._words.finditer(text)]

    def term_positions(self, text: str) -> dict[str, list[int]]:
        """Each term of ``text`` with its positions, numbered as Whoosh's ``StopFilter`` numbers
        them: stop words take no position, and the first word kept keeps its own."""
        words = self.words(text)
        self.learn(words)
        terms = list(map(self._terms.__getitem__, words))
        positions: defaultdict[str, list[int]] = defaultdict(list)
        first = next((index for index, term in enumerate(terms) if term is not None), None)
        if first is not None:
            for position, term in enumerate([term for term in terms if term is not None], first):
                positions[term].append(position)
        return positions

    def matches(self, text: str, terms: frozenset[str], counts: Mapping[str, int] | None = None) -> list[Match]:
        """The words of ``text`` whose analysed form is one of ``terms``, in text order.

        With ``counts`` (how many words of ``text`` have each of ``terms``, as the index counted
        them when it analysed the same text; a term it lacks left out), they are looked for among
        the words that begin with a term (:meth:`prefix_matches`) first, and every word is
        analysed only when those fall short of a count: the irregular forms (``bøker`` for
        ``bok``) are rare, and a text seen for the first time was mostly words not analysed yet."""
        if not terms:
            return []
        if counts is not None:
            held = frozenset(term for term in terms if counts.get(term))
            found = self.prefix_matches(text, held) if held else []
            if Counter(match[2] for match in found) == {term: counts[term] for term in held}:
                return found
        return self._matching(self._words.finditer(text), terms)

    def prefix_matches(self, text: str, terms: frozenset[str]) -> list[Match]:
        """:meth:`matches`, found faster but for the words only that begin with their term,
        as every word does that the stemmer shortens; the irregular plurals (``bøker`` ->
        ``bok``) are missed. One regular expression finds the words that begin with a term,
        and only those are analysed: a loop over every word of a hundred hits was most of
        the time of re-ranking them.

        Where lower-casing the text does what the expression's ``IGNORECASE`` does (terms in
        Latin script, no ``İ`` that lower-casing makes two letters, none of
        :data:`_FOLDED_LIKE_LATIN`), the words are found faster still, by ``str.find`` of each
        term in the lower-cased text (a third of the time of the expression's scan)."""
        if not terms:
            return []
        lowered = text.lower()
        if (
            len(lowered) != len(text)
            or any(letter in text for letter in _FOLDED_LIKE_LATIN)
            or max(map(max, terms)) >= LATIN_END
        ):
            return self._matching(_words_beginning_with(terms).finditer(text), terms)
        starts = set()
        for term in terms:
            at = lowered.find(term)
            while at >= 0:
                if self._starts_word(text, at):
                    starts.add(at)
                at = lowered.find(term, at + 1)
        return self._matching(map(partial(self._words.match, text), sorted(starts)), terms)

    def first_match(self, text: str, terms: frozenset[str], start: int = 0) -> int | None:
        """Where the first word of ``text`` from ``start`` on whose term is one of ``terms``
        begins, or ``None``. Each term is looked for as written, capitalised and in upper case
        by ``str.find`` (C speed, where a regular expression took 1 s for 19 MB), a chunk of
        the text at a time so that a match near ``start`` is found soon, and only the whole
        words found there are analysed; so, as with :meth:`prefix_matches`, a word that does
        not begin with its term is missed."""
        forms = [(form, term) for term in terms for form in {term, term.capitalize(), term.upper()}]
        for chunk in range(start, len(text), FIND_CHUNK):
            best = min(chunk + FIND_CHUNK, len(text))
            for form, term in forms:
                at = text.find(form, chunk, best + len(form))
                while 0 <= at < best:
                    if self._whole_word_at(text, at, term):
                        best = at
                        break
                    at = text.find(form, at + 1, best + len(form))
            if best < min(chunk + FIND_CHUNK, len(text)):
                return best
        return None

    @staticmethod
    def _starts_word(text: str, at: int) -> bool:
        """Whether a token of the tokenizer may start at ``at``: not inside a word, nor after
        ``word.`` (as :func:`_words_beginning_with`)."""
        return not (
            at > 0 and (_WORD_CHARACTER.match(text, at - 1) or (text[at - 1] == "." and _WORD_CHARACTER.match(text, at - 2)))
        )

    def _whole_word_at(self, text: str, at: int, term: str) -> bool:
        """Whether a token of the tokenizer starts at ``at`` and has the term ``term``."""
        if not self._starts_word(text, at):
            return False
        word = self._words.match(text, at)
        return word is not None and self.term(word.group()) == term

    def _matching(self, candidates: Iterator[re.Match[str]], terms: frozenset[str]) -> list[Match]:
        """The ``candidates`` (whole words of a text) whose analysed form is one of ``terms``.
        The words not yet known are analysed together at the end (:meth:`learn`), not one by
        one as they come: most words of a document seen for the first time are new."""
        found: list[Match | tuple[int, int, None]] = []
        unknown: list[tuple[int, str]] = []  # (where in found, word) of the words not yet known
        known = self._terms
        for match in candidates:
            word = match.group()
            if word in known:
                if known[word] in terms:
                    found.append((match.start(), match.end(), known[word]))
            else:
                unknown.append((len(found), word))
                found.append((match.start(), match.end(), None))
        if not unknown:
            return found  # type: ignore[return-value]
        self.learn([word for _, word in unknown])
        for at, word in unknown:
            term = known[word] if word in known else self.term(word)
            if term in terms:
                found[at] = (found[at][0], found[at][1], term)
        return [match for match in found if match[2] is not None]  # type: ignore[misc]


@lru_cache(maxsize=64)
def _words_beginning_with(prefixes: frozenset[str]) -> re.Pattern[str]:
    """Whole tokens of :data:`~index.analysis.WORD_PATTERN` (not the end of a longer word, nor
    part of a dotted token such as ``3.5`` or ``red.anm``) that begin with one of ``prefixes``,
    in any case. Cached: a query looks for the same terms in each of its hundred hits."""
    alternatives = "|".join(re.escape(prefix) for prefix in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?<!\w\.)(?:{alternatives})\w*(?:\.\w+)*", re.IGNORECASE)
