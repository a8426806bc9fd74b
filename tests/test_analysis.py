"""The Norwegian analysis chain and each filter, with real Bokmål and Nynorsk words."""

from whoosh.analysis import RegexTokenizer

from index.analysis import (
    NORWEGIAN_STOP_WORDS,
    DatePrefixFilter,
    SnowballStemFilter,
    date_analyzer,
    norwegian_analyzer,
)


def terms(analyzer, text: str, mode: str = "index") -> list[str]:
    return [token.text for token in analyzer(text, mode=mode)]


def test_inflected_forms_share_a_stem():
    analyzer = norwegian_analyzer()
    assert len(set(terms(analyzer, "samtale samtaler samtalen samtalene"))) == 1
    assert len(set(terms(analyzer, "hemmelig hemmelige"))) == 1
    assert terms(analyzer, "Ukraina") == terms(analyzer, "ukraina")


def test_scandinavian_letters_are_kept_not_folded():
    analyzer = norwegian_analyzer()
    assert terms(analyzer, "Blåbærsyltetøy") == ["blåbærsyltetøy"]
    # får (gets) and far (father), før (before) and for (for): different words
    assert terms(analyzer, "får") != terms(analyzer, "far")
    assert terms(analyzer, "Østfold") == ["østfold"]


def test_bokmal_and_nynorsk_stop_words_are_removed():
    analyzer = norwegian_analyzer()
    assert terms(analyzer, "Hva er det som ikke skjer") == terms(analyzer, "skjer")
    assert terms(analyzer, "Kva er det som ikkje skjer") == terms(analyzer, "skjer")
    assert {"hvem", "kven", "eg", "jeg", "og", "i"} <= NORWEGIAN_STOP_WORDS
    assert terms(analyzer, "Hvilket år kom boka?") == terms(analyzer, "år kom boka")  # all three genders
    assert terms(analyzer, "ei bok frå Bergen") == terms(analyzer, "bok Bergen")


def test_single_characters_and_numbers_survive():
    analyzer = norwegian_analyzer()
    assert "c" in terms(analyzer, "vitamin C")
    assert "2014" in terms(analyzer, "siden 2014")


def test_abbreviations_with_dots_stay_one_token():
    assert terms(norwegian_analyzer(), "red.anm.") == ["red.anm"]


def test_snowball_stem_filter_alone():
    stem = RegexTokenizer() | SnowballStemFilter("norwegian")
    assert terms(stem, "samtalene") == ["samtal"]
    assert terms(stem, "hemmeligheten")[0].startswith("hemm")


def test_stem_filter_pickles_by_language_name():
    import pickle

    restored = pickle.loads(pickle.dumps(SnowballStemFilter("norwegian")))
    assert restored.language == "norwegian"
    assert terms(RegexTokenizer() | restored, "samtaler") == ["samtal"]


def test_date_prefixes_at_index_time_only():
    analyzer = date_analyzer()
    assert terms(analyzer, "2023-07-14") == ["2023", "2023-07", "2023-07-14"]
    assert terms(analyzer, "2023-07-14", mode="query") == ["2023-07-14"]
    assert terms(RegexTokenizer(r"\S+") | DatePrefixFilter(), "2018") == ["2018"]


def test_irregular_plurals_meet_their_singular():
    from index.analysis import IrregularPluralFilter

    plural = RegexTokenizer() | IrregularPluralFilter()
    assert terms(plural, "bøker bøkene tjenestemenn nordmenn forfedre kyr") == [
        "bok", "bok", "tjenestemann", "nordmann", "forfar", "ku",
    ]
    # whole-word-only forms do not eat the ends of other words; verbs stay verbs
    assert terms(plural, "militær sekretær hender tenner") == ["militær", "sekretær", "hender", "tenner"]
    analyzer = norwegian_analyzer()
    assert terms(analyzer, "bøkene") == terms(analyzer, "boka") == terms(analyzer, "bok")
    assert terms(analyzer, "mennene") == terms(analyzer, "mannen")


def test_a_genitive_s_is_stemmed_like_the_word_it_was_added_to():
    stem = RegexTokenizer() | SnowballStemFilter("norwegian", genitive_s=True)
    for genitive, word in [("Krekars", "Krekar"), ("Oscars", "Oscar"), ("Norges", "Norge"), ("bilens", "bilen")]:
        assert terms(stem, genitive.lower()) == terms(stem, word.lower()), genitive
    assert terms(stem, "hus") == ["hus"]  # an s that is no genitive stays
    plain = RegexTokenizer() | SnowballStemFilter("norwegian")
    assert terms(plain, "krekars") != terms(plain, "krekar")  # what the option is for


def test_an_acronyms_genitive_s_is_dropped_before_lower_case():
    from index.analysis import AcronymGenitiveFilter

    genitive = RegexTokenizer() | AcronymGenitiveFilter()
    assert terms(genitive, "EUs NRKs TV2s DJs") == ["EU", "NRK", "TV2", "DJ"]
    # a word in capitals ends in a capital S; a plain word is no acronym
    assert terms(genitive, "MOSS PARIS Oscars hus") == ["MOSS", "PARIS", "Oscars", "hus"]
    analyzer = norwegian_analyzer()
    assert terms(analyzer, "EUs president") == terms(analyzer, "EU president") == ["eu", terms(analyzer, "president")[0]]
