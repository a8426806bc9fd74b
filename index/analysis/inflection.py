"""Norwegian inflection that one Snowball pass misses, as small filters around the stemmer.

Each filter is one rule of Bokmål and Nynorsk grammar; together they let the forms of a word
meet in one term in both written standards, so that one analysis serves both (a query's
standard is not known, and Bokmål ``fikk`` finds Nynorsk ``fekk``). Before the stemmer, on
the word as written:

* :class:`StrongVerbFilter`: the forms of strong and irregular verbs (``fikk``, ``fekk``,
  ``gjekk``, ``sa``, ``tok``) become the infinitive.
* :class:`IrregularComparisonFilter`: ``betre``, ``større``, ``eldst`` become ``god``,
  ``stor``, ``gammel``.
* :class:`ComparisonFilter`: the regular comparative and superlative of adjectives in
  ``-ig``, ``-leg``, ``-lig``, ``-sam``, ``-som``, ``-bar``, ``-isk`` or a long vowel
  (``viktigare``, ``viktigaste``, ``høyest``) lose their ending.
* :class:`VowelNeuterFilter`: the ``-tt`` of a word on a long vowel (``blått``, ``nytt``,
  ``greitt``, ``fått``) goes.
* :class:`NeuterEllFilter`: ``generelt`` becomes ``generell``.

After the stemmer, on the stem (every form of a word has passed the stemmer by then, so the
rule treats them all alike):

* :class:`StackedEndingFilter`: a stem that still ends in ``-ast`` or ``-ar`` had two
  endings (``viktigaste``, ``sterkare``, ``ordførarane``), and loses the second.
* :class:`DentalSuffixFilter`: the ``-t`` of the neuter, the weak past and the participle
  (``følte``/``følt``, ``brunt``, ``heilt``) and the ``-dd`` of verbs on a vowel
  (``trudde``, ``bodd``) go.

The tables hold grammar (closed classes of irregular words), not a corpus' vocabulary; the
rules were chosen on one half of the Norwegian Dependency Treebank and kept only when they
also helped the other (``bench/stemming.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from whoosh.analysis import Filter

VOWELS = frozenset("aeiouyæøå")


class FormTableFilter(Filter):
    """Replace a word found in a table of irregular forms by its base form: a whole word
    (``words``) or the end of a compound (``endings``: ``tjenestemenn`` -> ``tjenestemann``).
    The tables belong to the class, so a filter pickled into an index schema holds nothing."""

    words: Mapping[str, str] = {}
    endings: Mapping[str, str] = {}

    @classmethod
    def _ending(cls) -> re.Pattern | None:
        """The pattern of the table's endings, longest first, built once per class."""
        if "_ending_pattern" not in cls.__dict__:
            alternatives = "|".join(sorted(cls.endings, key=len, reverse=True))
            cls._ending_pattern = re.compile(f"({alternatives})$") if cls.endings else None
        return cls._ending_pattern

    def base(self, word: str) -> str | None:
        found = self.words.get(word)
        if found is None and (pattern := self._ending()) is not None and (ending := pattern.search(word)):
            found = word[: ending.start()] + self.endings[ending.group(1)]
        return found

    def __call__(self, tokens):
        for token in tokens:
            if not token.stopped:
                found = self.base(token.text)
                if found is not None:
                    token.text = found
            yield token


def _paradigms(*rows: tuple[str, str]) -> dict[str, str]:
    """``{form: base}`` from rows of a base form and its forms, space-separated."""
    return {form: base for base, forms in rows for form in forms.split()}


class StrongVerbFilter(FormTableFilter):
    """The forms of strong and irregular verbs, Bokmål and Nynorsk, become the infinitive:
    ``fikk``/``fekk``/``fått``/``får`` -> ``få``, ``gjekk`` -> ``gå``, ``sa``/``seie`` -> ``si``.
    Their vowel changes (``få``/``fekk``, ``ta``/``tok``) and the ``-r`` of verbs on a
    vowel (``går``, ``trur``) are beyond any suffix stripper. Forms that are also other
    common words are left out: ``vel`` (well), ``bar``, ``ber`` (asks), ``vann`` (water),
    ``sang`` (song), ``seier`` (victory), ``dør`` (door), ``la`` (laid or let), ``fall``,
    ``sett`` (a set; and the participle of ``setje``)."""

    words = _paradigms(
        ("få", "fikk fekk fått får"),
        ("gå", "gikk gjekk gått går"),
        ("stå", "sto stod stått står"),
        ("slå", "slo slått slår"),
        ("se", "sjå ser såg"),
        ("ta", "tok tatt tar tek teke"),
        ("gi", "gir ga gav gitt gje gjev gjeve"),
        ("si", "sa sagt sier seie seia"),
        ("gjøre", "gjorde gjort gjør gjere gjera gjer"),
        ("komme", "kommer kommet kjem kome koma"),
        ("ligge", "lå ligget ligger liggje ligg låg"),
        ("legge", "lagt legger leggje legg"),
        ("sitte", "satt sittet sitter sitje sit sat"),
        ("sette", "satte setter setje set"),
        ("vite", "vet visste veit"),
        ("finne", "fant funnet finner fann funne"),
        ("dra", "dro drog dratt drar"),
        ("skrive", "skrev skrevet skriver skreiv"),
        ("velge", "valgte valgt velger velje valde"),
        ("selge", "solgte solgt selger selje selde"),
        ("fortelle", "fortalte fortalt forteller fortelje fortel fortalde"),
        ("spørre", "spurte spurt spør spørje spurde"),
        ("gjelde", "gjaldt gjeld galdt"),
        ("tro", "trodde trodd tror tru trur trudde trudd"),
        ("bo", "bodde bodd bor budde budd"),
        ("dø", "døde dødd døy døyr døydde døydd"),
        ("drikke", "drakk drukket drukke"),
        ("vinne", "vunnet vinn vunne"),
        ("slippe", "slapp sluppet slepp sleppe sluppe"),
        ("treffe", "traff truffet treff truffe"),
        ("hjelpe", "hjalp hjulpet"),
        ("bryte", "brøt brutt braut brote"),
        ("skyte", "skjøt skutt skaut skote"),
        ("holde", "holdt holder halde held heldt"),
        ("stige", "steg steget steig"),
        ("gripe", "grep grepet greip"),
        ("drive", "drev drevet dreiv"),
        ("fly", "fløy fløyet flyr flaug"),
        ("ete", "åt"),
        ("måtte", "må"),
        ("burde", "bør"),
        ("skje", "skjer skjedde skjedd"),
    )
    # The ends of verbs with a prefix (forstod, oppstår, mottatt, tilbakegikk).
    endings = _paradigms(
        ("få", "fikk fekk"),
        ("gå", "gikk gjekk"),
        ("stå", "står stod stått"),
        ("slå", "slår slått"),
        ("ta", "tatt"),
        ("gjøre", "gjorde gjort"),
        ("skrive", "skrev skrevet skreiv"),
        ("fortelle", "fortalte fortalt"),
    )


class IrregularComparisonFilter(FormTableFilter):
    """Adjectives compared with another stem become their positive: ``betre``/``bedre``,
    ``best`` -> ``god``; ``større`` -> ``stor``; ``eldre`` -> ``gammel``; ``meir``/``mer``
    -> ``mye``; and the forms of ``liten`` (``lita``, ``lille``, ``små``)."""

    words = _paradigms(
        ("god", "bedre best beste betre godt gode"),
        ("stor", "større størst største stort store"),
        ("liten", "lite lita lille vesle små mindre minst minste"),
        ("mye", "mer mest meir mykje meste"),
        ("mange", "flere flest fleste fleire"),
        ("gammel", "eldre eldst eldste gamle gammelt gamal gamalt"),
        ("ung", "yngre yngst yngste"),
        ("lang", "lengre lengst lengste"),
        ("tung", "tyngre tyngst tyngste"),
        ("få", "færre færrest færreste færrast færraste"),
        ("ille", "verre verst verste"),
        ("høy", "høgre høgst høgste"),
    )


# Derivational suffixes that make adjectives, which the comparison endings follow.
ADJECTIVE_SUFFIXES = ("ig", "lig", "leg", "sam", "som", "bar", "isk")
COMPARISON_ENDINGS = ("aste", "este", "are", "ere", "ast", "est", "ste", "st")


class ComparisonFilter(Filter):
    """The comparative (``-are`` Nynorsk, ``-ere`` Bokmål) and superlative (``-ast(e)``,
    ``-est(e)``, ``-st(e)``) of an adjective made with a derivational suffix go:
    ``viktigare``, ``viktigaste``, ``vanskeligst`` -> ``viktig``, ``vanskelig``; so do the
    endings that begin with a vowel after a long vowel: ``høyest``, ``nyare`` -> ``høy``,
    ``ny`` (but ``løyst``, ``religiøst`` are not compared). Other words in ``-ere``/``-are``
    are mostly verbs (``studere``, ``forklare``), so they are left to the stemmer."""

    def __call__(self, tokens):
        for token in tokens:
            if not token.stopped:
                word = token.text
                for ending in COMPARISON_ENDINGS:
                    if word.endswith(ending):
                        rest = word[: -len(ending)]
                        if rest.endswith(ADJECTIVE_SUFFIXES) or (ending[0] in "ae" and len(rest) >= 2 and rest[-1] in "yøå"):
                            token.text = rest
                            break
            yield token


class VowelNeuterFilter(Filter):
    """A word that ends in ``-tt`` after a long vowel (``å``, ``ø``, ``y``, ``ei``, ``øy``,
    ``au``) is a neuter or participle of a word on that vowel: ``blått``, ``nytt``,
    ``greitt``, ``fått``, ``forstått`` -> ``blå``, ``ny``, ``grei``, ``få``, ``forstå``.
    After a short vowel the ``tt`` is the word's own (``rett``, ``flott``)."""

    def __call__(self, tokens):
        for token in tokens:
            word = token.text
            if not token.stopped and len(word) >= 4 and word.endswith("tt"):
                if word[-3] in "åøy" or word[-4:-2] in ("ei", "øy", "au"):
                    token.text = word[:-2]
            yield token


class NeuterEllFilter(Filter):
    """The neuter of adjectives in ``-ell`` is written with one ``l``: ``generelt``,
    ``aktuelt`` -> ``generell``, ``aktuell`` (short words such as ``helt``, ``felt`` are not
    of this kind)."""

    def __call__(self, tokens):
        for token in tokens:
            word = token.text
            if not token.stopped and len(word) >= 6 and word.endswith("elt"):
                token.text = word[:-1] + "l"
            yield token


class StackedEndingFilter(Filter):
    """A stem that still ends in ``-ast`` or ``-ar`` had two endings, of which the stemmer
    took one: the superlative ``-ast`` + ``-e`` (``viktigaste``, ``sterkaste``), the Nynorsk
    comparative ``-ar`` + ``-e`` (``sterkare``) and the agent noun ``-ar`` + ``-ar``/``-ane``/
    ``-en`` (``lærarar``, ``ordførarane``). The second goes, so they meet ``viktig``,
    ``sterk``, ``ordførar``.

    What is left must be a stem (``minimum`` letters, a vowel then a consonant): at least 3
    letters before ``-ast``, 5 before ``-ar``. A short root before ``-ar`` is as often a verb
    whose doer the noun names (``lære``/``lærar``, ``tape``/``taparen``, ``eige``/``eigaren``),
    and joining every form of the noun to the verb merges two words."""

    def __init__(self, minimum: tuple[tuple[str, int], ...] = (("ast", 3), ("ar", 5))):
        self.minimum = minimum

    def __call__(self, tokens):
        endings = tuple(ending for ending, _ in self.minimum)
        for token in tokens:
            stem = token.text
            if not token.stopped and stem.endswith(endings):
                for ending, letters in self.minimum:
                    rest = stem[: -len(ending)]
                    if stem.endswith(ending) and len(rest) >= letters and _has_syllable(rest):
                        token.text = rest
                        break
            yield token


def _has_syllable(rest: str) -> bool:
    """Whether ``rest`` has a vowel followed by a consonant (Snowball's R1 region, where
    endings may go, begins after that)."""
    return any(a in VOWELS and b not in VOWELS for a, b in zip(rest, rest[1:]))


class DentalSuffixFilter(Filter):
    """The dental suffixes of Norwegian inflection go from the stem: the ``-t`` of the
    neuter adjective (``brunt``, ``heilt``, ``hardt``) and of the weak past and participle
    (``følte``, ``følt``, ``kjøpt``; the stemmer has taken their ``-e``), so they meet
    ``brun``, ``heil``, ``hard``, ``føle``; and the ``-dd`` of verbs on a vowel (``trudde``,
    ``bodd``, ``skjedd``). A ``-tt`` stays (``skatt``), and so does a ``t`` after a vowel
    (``not``, ``båt``)."""

    def __call__(self, tokens):
        for token in tokens:
            stem = token.text
            if not token.stopped and len(stem) >= 4:
                if stem[-1] == "t" and stem[-2] not in VOWELS and stem[-2] != "t":
                    token.text = stem[:-1]
                elif stem.endswith("dd") and stem[-3] in VOWELS:
                    token.text = stem[:-2]
            yield token
