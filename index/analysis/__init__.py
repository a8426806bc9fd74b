"""Norwegian analysis, composed the Whoosh way: a tokenizer and small filters.

``norwegian_analyzer()`` is what the title and text fields use, at index and at query time:

    RegexTokenizer | AcronymGenitiveFilter | LowercaseFilter | StopFilter(Norwegian)
        | IrregularPluralFilter | StrongVerbFilter | IrregularComparisonFilter
        | ComparisonFilter | VowelNeuterFilter | NeuterEllFilter
        | SnowballStemFilter("norwegian", genitive_s=True, keep_derivations=True)
        | StackedEndingFilter | DentalSuffixFilter

  (the filters of Bokmål and Nynorsk inflection are in :mod:`index.analysis.inflection`)

* Æ, ø and å are letters like any other: ``\\w`` matches them and nothing folds them, so
  ``får`` (gets) and ``far`` (father) stay different words.
* The stop list is Snowball's Norwegian one, which holds both Bokmål (``hva``, ``ikke``) and
  Nynorsk (``kva``, ``ikkje``) forms. (Whoosh's ``LanguageAnalyzer("nb"/"nn")`` silently has
  no stop words and no stemmer; only ``"no"`` has them.)
* Stems come from the reference C Snowball stemmer (PyStemmer). Filters are pickled into the
  index schema, so a filter keeps only its settings and builds the stemmer when first used.
"""

from __future__ import annotations

import re
import threading

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.analyzers import Analyzer
from whoosh.lang.stopwords import stoplists

from .inflection import (
    ComparisonFilter,
    DentalSuffixFilter,
    FormTableFilter,
    IrregularComparisonFilter,
    NeuterEllFilter,
    StackedEndingFilter,
    StrongVerbFilter,
    VowelNeuterFilter,
)

# Gaps in Snowball's list, each a form of a word it has: the neuter interrogative hvilket
# (hvilken, hvilke), which stems to "hvilk" and matches every "hvilke" ("Hvilket år ...?"); the
# feminine article ei (en, et, ein, eit); Nynorsk frå (fra).
NORWEGIAN_STOP_WORDS = frozenset(stoplists["no"]) | {"hvilket", "ei", "frå"}

# \w with Unicode: letters of every script (æ ø å é ü), digits and "_"; keeps "red.anm" and "3.5" whole.
WORD_PATTERN = r"\w+(?:\.\w+)*"


class SnowballStemFilter(Filter):
    """Replace each word by its Snowball stem: ``samtaler`` and ``samtale`` both become ``samtal``.

    With ``genitive_s``, a word whose only change is a final ``s`` dropped is stemmed once
    more: Norwegian forms the genitive by adding ``-s`` to any form of a word, so what is left
    is a form of its own. Snowball alone gives ``Krekars`` -> ``krekar`` but ``Krekar`` ->
    ``krek``, and ``Oscars`` -> ``oscar`` but ``Oscar`` -> ``osc``.

    With ``keep_derivations``, the derivational suffixes that Snowball's last step removes
    (``-leg``, ``-lig``, ``-ig``, ``-els``, ``-lov``) stay, and so does the ``-het`` of
    nouns made of adjectives: they make another word, not another form of it. Snowball alone
    gives ``farleg`` -> ``far``, ``dagleg`` -> ``dag``, ``mulig`` and ``mulighet`` -> ``mul``,
    ``følelse`` -> ``føl``.

    PyStemmer objects are neither picklable nor thread-safe, so each thread gets its own,
    built on first use and looked up by language name.
    """

    _local = threading.local()

    def __init__(self, language: str = "norwegian", genitive_s: bool = False, keep_derivations: bool = False):
        self.language = language
        self.genitive_s = genitive_s
        self.keep_derivations = keep_derivations

    def _stemmer(self) -> Stemmer.Stemmer:
        stemmers = self._local.__dict__.setdefault("stemmers", {})
        stemmer = stemmers.get(self.language)
        if stemmer is None:
            stemmer = stemmers[self.language] = Stemmer.Stemmer(self.language)
        return stemmer

    def __call__(self, tokens):
        stem = self._stemmer().stemWord
        genitive_s = self.genitive_s
        keep_derivations = getattr(self, "keep_derivations", False)  # absent from filters pickled before it
        for token in tokens:
            if not token.stopped:
                word = token.text
                stemmed = stem(word)
                if genitive_s and word.endswith("s") and stemmed == word[:-1]:
                    stemmed = stem(stemmed)
                if keep_derivations and word.startswith(stemmed):
                    stemmed = _with_derivations(word, stemmed)
                token.text = stemmed
            yield token


# The suffixes of Snowball's Norwegian step 3, longest first. Nothing that its step 1
# removes starts like one of them, so a word that goes on with one after its stem lost it there.
DERIVATIONAL_SUFFIXES = ("hetslov", "eleg", "elig", "elov", "slov", "leg", "eig", "lig", "els", "lov", "ig")


def _with_derivations(word: str, stem: str) -> str:
    """``stem`` (a beginning of ``word``) with the derivational suffixes that Snowball took
    from ``word`` put back: one of its step 3 (``farleg``), then the noun-making ``-het`` of
    its step 1 (``mulighet``, ``hemmeligheten`` -> ``mulighet``, ``hemmelighet``)."""
    stem += next((suffix for suffix in DERIVATIONAL_SUFFIXES if word.startswith(suffix, len(stem))), "")
    if word.startswith("het", len(stem)):
        stem += "het"
    return stem


# An acronym (capitals, then capitals or digits) with a lower-case genitive or plural s.
_ACRONYM_S = re.compile(r"[A-ZÆØÅ][A-ZÆØÅ0-9]+s")


class AcronymGenitiveFilter(Filter):
    """Drop the ``s`` that Norwegian adds to an acronym for its genitive (``EUs``, ``NRKs``,
    ``TV2s``; also the plural ``DJs``), which the stemmer cannot tell from a last letter once
    the word is in lower case (``eus``). It runs before lower-casing, because case is what
    tells it: a word in capitals ends in a capital ``S`` (``MOSS``, ``PARIS``) and is left."""

    def __call__(self, tokens):
        for token in tokens:
            if _ACRONYM_S.fullmatch(token.text):
                token.text = token.text[:-1]
            yield token


# Plurals that change their vowel, which no suffix stripping can join to the singular.
# Keys match the end of a word, so compounds follow (tjenestemenn, nordmenn, forfedre).
# Left out where a form is also a common verb (hender "happens", tenner "lights",
# stenger "closes", ender "ends", klør "itches").
IRREGULAR_PLURAL_ENDINGS = {
    "menn": "mann", "mennene": "mann",
    "bøker": "bok", "bøkene": "bok",
    "føtter": "fot", "føttene": "fot",
    "hendene": "hånd",
    "tennene": "tann",
    "netter": "natt", "nettene": "natt",
    "krefter": "kraft", "kreftene": "kraft",
    "strender": "strand", "strendene": "strand",
    "bønder": "bonde", "bøndene": "bonde",
    "røtter": "rot", "røttene": "rot",
    "fedre": "far", "fedrene": "far",
    "mødre": "mor", "mødrene": "mor",
    "brødre": "bror", "brødrene": "bror",
    "døtre": "datter", "døtrene": "datter",
}  # fmt: skip
# Short plurals that are the ends of unrelated words (militær, sekretær): whole words only.
IRREGULAR_PLURAL_WORDS = {"kyr": "ku", "kyrne": "ku", "tær": "tå", "tærne": "tå", "gjess": "gås", "gjessene": "gås"}


class IrregularPluralFilter(FormTableFilter):
    """Replace a vowel-changing plural by its singular before stemming: ``bøker`` ->
    ``bok``, ``tjenestemenn`` -> ``tjenestemann``, so that ``bok`` finds ``bøkene``."""

    words = IRREGULAR_PLURAL_WORDS
    endings = IRREGULAR_PLURAL_ENDINGS


class DatePrefixFilter(Filter):
    """Index a date under each of its precisions: ``2023-07-14`` also as ``2023-07`` and ``2023``.

    So the query ``date:2023-07`` finds every document of July 2023, however precise its date.
    Queries are left as typed: ``date:2023-07`` must not also mean ``2023``.
    """

    def __call__(self, tokens):
        for token in tokens:
            if token.mode != "index":
                yield token
                continue
            value = token.text
            for cut in (4, 7):
                if len(value) > cut:
                    token.text = value[:cut]
                    yield token
            token.text = value
            yield token


def norwegian_analyzer(language: str | None = None) -> Analyzer:
    """The analyzer of searchable Norwegian text (title and body), at index and query time.

    ``language`` is the written standard of the text (``"nb"`` Bokmål, ``"nn"`` Nynorsk,
    ``None`` not known). Every standard gets the same analysis: its rules hold for both, so
    a word and its forms meet in one term whichever standard wrote them, and a query, whose
    standard a few words cannot tell, needs no guess (``bench/README.md``, stemming.py)."""
    if language not in (None, "nb", "nn"):
        raise ValueError(f"norwegian_analyzer: language must be 'nb', 'nn' or None, not {language!r}")
    return (
        RegexTokenizer(WORD_PATTERN)
        | AcronymGenitiveFilter()
        | LowercaseFilter()
        | StopFilter(stoplist=NORWEGIAN_STOP_WORDS, minsize=1)
        | IrregularPluralFilter()
        | StrongVerbFilter()
        | IrregularComparisonFilter()
        | ComparisonFilter()
        | VowelNeuterFilter()
        | NeuterEllFilter()
        | SnowballStemFilter("norwegian", genitive_s=True, keep_derivations=True)
        | StackedEndingFilter()
        | DentalSuffixFilter()
    )


def date_analyzer() -> Analyzer:
    """The analyzer of the ``date`` field: the ISO value as one token, plus its coarser prefixes."""
    return RegexTokenizer(r"\S+") | DatePrefixFilter()
