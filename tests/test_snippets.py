"""Snippets: stems highlighted, whole words, about the asked length, deep in long texts, and
the sentence that answers the question."""

from __future__ import annotations

from index.analysis import norwegian_analyzer
from index.search.answers import answer_test
from index.search.snippets import ELLIPSIS, make_snippet
from index.analysis.wordterms import WordTerms

from .conftest import SAMPLE

ANALYZER = norwegian_analyzer()
WORDS = WordTerms(ANALYZER)


def query_terms(text: str) -> frozenset[str]:
    return frozenset(token.text for token in ANALYZER(text, mode="query"))


def sample_body() -> str:
    return SAMPLE.read_text("utf-8").split(" ", 3)[3]  # without " date 2023-07 "


def test_every_form_of_the_stem_is_a_match():
    text = "En samtale, to samtaler, samtalene og Samtalen. Samtlige er med."
    found = [text[s:e] for s, e, _ in WORDS.matches(text, query_terms("samtale"))]
    assert found == ["samtale", "samtaler", "samtalene", "Samtalen"]


def test_snippet_marks_matches_and_stays_near_the_length():
    snippet = make_snippet(sample_body(), query_terms("hemmelige samtaler"), WORDS, 200)
    html = snippet.html()
    assert "<mark>hemmelige</mark>" in html
    assert "<mark>samtale" in html
    assert len(snippet.plain()) <= 200 + 10


def test_fragments_are_whole_words():
    body = sample_body()
    snippet = make_snippet(body, query_terms("Lavrov"), WORDS, 120)
    for fragment in snippet.fragments:
        text = "".join(part for part, _ in fragment)
        first, last = text.split()[0], text.split()[-1]
        assert first in body.split() or first.strip(",.?«»") in body
        assert f" {last}" in body or body.endswith(last)
        assert f"{first} " in body or body.startswith(first)


def test_words_far_apart_get_separate_fragments():
    filler = " ".join(["Regjeringen behandlet saken i statsråd denne uken."] * 40)
    text = f"Kvitsøy fikk ny ferge. {filler} Hurtigbåten til Finnøy går igjen."
    snippet = make_snippet(text, query_terms("Kvitsøy Finnøy"), WORDS, 200)
    assert len(snippet.fragments) == 2
    assert f" {ELLIPSIS} " in snippet.plain()
    assert "<mark>Kvitsøy</mark>" in snippet.html() and "<mark>Finnøy</mark>" in snippet.html()


def fragment_texts(snippet) -> list[str]:
    return ["".join(part for part, _ in fragment) for fragment in snippet.fragments]


FILLER = " ".join(["Regjeringen behandlet saken i statsråd denne uken."] * 20)


def test_a_second_fragment_is_shown_whole_and_the_first_gets_the_rest():
    text = f"Kvitsøy fikk ny ferge i går. {FILLER} {FILLER} Hurtigbåten til Finnøy går igjen. {FILLER}"
    first, second = fragment_texts(make_snippet(text, query_terms("Kvitsøy Finnøy"), WORDS, 200))
    assert second == "Hurtigbåten til Finnøy går igjen."
    assert first.startswith("Kvitsøy fikk ny ferge i går. Regjeringen behandlet")


def test_the_best_sentence_is_shown_from_its_start_and_on_past_its_end():
    text = (
        f"{FILLER} Terrorsiktede Philip Manshaus møtte i Oslo tingrett mandag. Han erkjente ikke "
        f"straffskyld. {FILLER}"
    )
    snippet = make_snippet(text, query_terms("Hva sa Manshaus i retten?"), WORDS, 120)
    assert snippet.plain().startswith(f"{ELLIPSIS} Terrorsiktede Philip Manshaus møtte")
    assert "Han erkjente ikke straffskyld." in snippet.plain()


def test_initials_and_dates_do_not_end_a_sentence():
    text = (
        f"{FILLER} Kaare R. Norum ble født 15. juni 1934 i Oslo, og han ble professor i ernæring "
        f"ved Universitetet i Oslo. {FILLER}"
    )
    snippet = make_snippet(text, query_terms("ernæring"), WORDS, 200)
    assert snippet.plain().startswith(f"{ELLIPSIS} Kaare R. Norum ble født 15. juni 1934")


def test_the_documents_topic_word_counts_less_than_a_word_it_uses_once():
    text = (
        "Rygge ligger i Moss kommune i Østfold. Flyplassen ble stengt for sivil trafikk i 2016. "
        "Rygge har fortsatt en militær flystasjon. Mange i Moss savner charterflyene fra Rygge. "
        "Eierne av Rygge vil gjenåpne. Flyselskapene er usikre på Rygge."
    )
    snippet = make_snippet(text, query_terms("Når ble Rygge stengt?"), WORDS, 60)
    assert "Flyplassen ble <mark>stengt</mark> for sivil trafikk i 2016." in snippet.html()


def test_the_next_best_sentence_fills_the_room_when_the_best_holds_every_word():
    text = (
        f"Erling Haaland scoret to mål mot Leipzig i Champions League. {FILLER} "
        f"Haaland har nå scoret 40 mål for klubben. {FILLER}"
    )
    question = "Hvor mange mål scoret Haaland mot Leipzig?"
    fragments = fragment_texts(make_snippet(text, query_terms(question), WORDS, 200, question=question))
    assert fragments[0].startswith("Erling Haaland scoret to mål mot Leipzig i Champions League. Regjeringen")
    assert fragments[1] == "Haaland har nå scoret 40 mål for klubben."


def test_up_to_three_fragments_show_the_sentences_that_add_query_words():
    text = (
        f"Kvitsøy fikk ny ferge. {FILLER} Hurtigbåten til Finnøy går igjen. {FILLER} "
        f"Rennesøy får bru i 2030. {FILLER}"
    )
    fragments = fragment_texts(make_snippet(text, query_terms("Kvitsøy Finnøy Rennesøy"), WORDS, 200))
    assert len(fragments) == 3
    assert fragments[1:] == ["Hurtigbåten til Finnøy går igjen.", "Rennesøy får bru i 2030."]


def test_a_heading_counts_less_than_a_sentence_with_the_same_words():
    text = (
        "Nedslitte lokaler i Trondheim kunstmuseum\n"
        f"{FILLER} Trondheim kunstmuseum har lokaler som er helt nedslitte, skriver avisen. {FILLER}"
    )
    snippet = make_snippet(text, query_terms("Hvordan er lokalene til Trondheim kunstmuseum?"), WORDS, 90)
    assert snippet.plain().startswith(f"{ELLIPSIS} Trondheim kunstmuseum har lokaler som er helt nedslitte")


def test_a_question_prefers_the_sentence_with_what_it_asks_for():
    text = (
        "Ekofisk ble funnet av Phillips Petroleum etter mange års leting i Nordsjøen. "
        "Funnet av Ekofisk ble kunngjort av Phillips Petroleum 25. oktober 1969. Feltet produserer ennå."
    )
    question = "Når ble Ekofisk funnet av Phillips Petroleum?"
    asked = make_snippet(text, query_terms(question), WORDS, 90, question=question)
    assert "25. oktober 1969" in asked.plain()
    typed = make_snippet(text, query_terms(question), WORDS, 90, question="Ekofisk funnet Phillips Petroleum")
    assert "25. oktober 1969" not in typed.plain()  # keywords ask for nothing: the first sentence


def test_what_a_question_asks_for():
    text = "Han kom hjem i 1969 med 25 kroner og møtte Ingrid Espelid Hovig i Oslo."
    when, how_many = answer_test("Når kom han hjem?"), answer_test("Hvor mange kroner?")
    who = answer_test("Hvem møtte han?")
    assert when(text, 0, 20, ()) and not when(text, 20, len(text), ())
    assert how_many(text, 20, 30, ()) and not how_many(text, 30, len(text), ())
    hovig = text.index("Ingrid")
    assert who(text, 30, len(text), ()) and not who(text, 0, hovig, ())
    assert not who(text, hovig, hovig + 21, {hovig, hovig + 7, hovig + 15})  # the matched words themselves
    assert answer_test("ekofisk funn") is None  # keywords ask for nothing


def test_why_wants_a_reason_how_a_means_and_how_long_a_number():
    why, how, how_long = answer_test("Hvorfor kom han hjem?"), answer_test("Hvordan kom han seg hjem?"), answer_test("Hvor lenge var han borte?")
    reason = "Han kom hjem fordi moren var syk."
    means = "Han kom seg hjem ved å ta nattoget fra Bergen."
    assert why(reason, 0, len(reason), ()) and not why(means, 0, len(means), ())
    assert how(means, 0, len(means), ()) and not how(reason, 0, len(reason), ())
    assert how_long("Han var borte i 25 år.", 0, 22, ()) and not how_long("Han var borte lenge.", 0, 20, ())


def test_the_sentence_with_what_a_question_asks_for_and_the_rarer_word_is_shown():
    text = (
        "Richard Wright spilte keyboard i Pink Floyd. "
        "I 1981 sluttet Richard Wright i bandet etter en krangel med Roger Waters. "
        "Han spilte inn flere soloalbum og turnerte med David Gilmour. "
        "Richard Wright døde 15. september 2008 etter en kort tids sykdom. "
        "Han ble 65 år gammel."
    ) * 2  # the words in many sentences: Richard and Wright tell them apart hardly at all
    snippet = make_snippet(text, query_terms("Når døde Richard Wright?"), WORDS, 80, question="Når døde Richard Wright?")
    assert "15. september 2008" in snippet.plain()


def test_long_documents_get_snippets_past_whooshs_charlimit():
    filler = "Stortinget debatterte budsjettet i mange timer uten å bli enige. " * 800
    assert len(filler) > 40_000
    snippet = make_snippet(filler + "Til slutt kom Kvitsøyfergen.", query_terms("Kvitsøyfergen"), WORDS)
    assert "<mark>Kvitsøyfergen</mark>" in snippet.html()


def test_no_match_shows_the_opening():
    snippet = make_snippet(sample_body(), frozenset(), WORDS, 100)
    assert snippet.plain().startswith("Skjulte chatter?")
    assert snippet.plain().endswith(ELLIPSIS)
    assert not snippet.starts_inside


def test_html_is_escaped_and_terminal_is_bold():
    snippet = make_snippet("Prisen <b> & skatten økte.", query_terms("skatt"), WORDS)
    assert snippet.html() == "Prisen &lt;b&gt; &amp; <mark>skatten</mark> økte."
    assert snippet.ansi() == "Prisen <b> & \033[1mskatten\033[0m økte."
    assert str(snippet) == "Prisen <b> & skatten økte."


def test_newlines_collapse_in_snippets():
    snippet = make_snippet("Tittel\n\nFørste   avsnitt om skatt.", query_terms("skatt"), WORDS)
    assert "\n" not in snippet.plain()
    assert "Tittel Første avsnitt" in snippet.plain()


def test_word_terms_agree_with_the_analyzer_on_whole_text():
    """Words analysed one at a time (and remembered) give what the analyzer gives the text."""
    text = sample_body() + " Bøkene og tjenestemennene, red.anm. 3.5 prosent; Kva er det som ikkje skjer?"
    words = WordTerms(ANALYZER, capacity=50)  # small: forgetting must not change the answer
    every_term = frozenset(token.text for token in ANALYZER(text, mode="index"))
    expected = [(t.startchar, t.endchar, t.text) for t in ANALYZER(text, chars=True, mode="index")]
    assert words.matches(text, every_term) == expected
    assert words.matches(text, every_term) == expected  # from memory
    assert words.term("Bøkene") == "bok" and words.term("ikkje") is None


def test_of_a_compound_only_the_part_asked_for_is_highlighted():
    compound, word = WORDS.term("Utenriksministeren"), WORDS.term("ministeren")
    snippet = make_snippet(
        "Utenriksministeren reiser til Brussel.", frozenset({compound}), WORDS, compounds={compound: word}
    )
    assert snippet.html() == "Utenriks<mark>ministeren</mark> reiser til Brussel."


def test_a_compound_beginning_with_the_word_is_marked_but_does_not_choose_the_sentence():
    """``napoleon`` also finds ``napoleonskrigene`` (a looser term): marked where shown, but the
    snippet is the sentence about Napoleon himself."""
    filler = " ".join(["Regjeringen behandlet saken i statsråd denne uken."] * 20)
    text = f"Napoleonskrigene endret kartet over Europa. {filler} Napoleon ble født på Korsika i 1769."
    terms = query_terms("Napoleon") | {"napoleonskrig"}
    chosen = make_snippet(text, terms, WORDS, 60, looser=frozenset({"napoleonskrig"}))
    assert "Korsika" in chosen.plain() and "Napoleonskrigene" not in chosen.plain()
    alone = make_snippet("Napoleonskrigene endret kartet over Europa.", terms, WORDS, 60, looser=frozenset({"napoleonskrig"}))
    assert "<mark>Napoleonskrigene</mark>" in alone.html()  # with no other match, it still chooses
