"""``ingest.metadata``: the leading date header (every documented form, precision kept,
invalid dates kept as text) and the title."""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.dates import PartialDate
from ingest.metadata import TITLE_MAX_CHARS, parse_header, make_title

SAMPLE = Path(__file__).resolve().parents[1] / "seeds" / "000_efd879e50143b4c9.txt"
BODY = "Skjulte chatter? Ifølge media NBC Nyheter har en gruppe tidligere amerikanske tjenestemenn holdt hemmelige samtaler."

# Written out here rather than imported, so a wrong entry in the module is caught.
MONTH_NAMES = [
    ("januar", "jan", 1),
    ("februar", "feb", 2),
    ("mars", "mar", 3),
    ("april", "apr", 4),
    ("mai", "mai", 5),
    ("juni", "jun", 6),
    ("juli", "jul", 7),
    ("august", "aug", 8),
    ("september", "sep", 9),
    ("oktober", "okt", 10),
    ("november", "nov", 11),
    ("desember", "des", 12),
]


def d(year, month=None, day=None) -> PartialDate:
    return PartialDate(year, month, day)


# --- the documented forms --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "body"),
    [
        ("date 2023-07 Skjulte chatter? Ifølge media", d(2023, 7), "Skjulte chatter? Ifølge media"),
        (" date 2023-07 Skjulte chatter? Ifølge media", d(2023, 7), "Skjulte chatter? Ifølge media"),
        ("Date: 2021-11-03\nStortinget vedtok budsjettet.", d(2021, 11, 3), "Stortinget vedtok budsjettet."),
        ("date 2022-03-04T10:15:00Z\nFlyet landet på Gardermoen.", d(2022, 3, 4), "Flyet landet på Gardermoen."),
        ("date 2022-03-04T10:15:00Z Flyet landet.", d(2022, 3, 4), "Flyet landet."),
        ("date 2022-03-04T10:15:00+01:00\nFlyet landet.", d(2022, 3, 4), "Flyet landet."),
        ("date 2022-03-04 10:15\nMøtet startet.", d(2022, 3, 4), "Møtet startet."),
        ("date: 14.07.2023\nVarmerekord i Oslo.", d(2023, 7, 14), "Varmerekord i Oslo."),
        ("date: 4.7.2023 Varmerekord i Oslo.", d(2023, 7, 4), "Varmerekord i Oslo."),
        ("dato: 14. juli 2023\nVarmerekord i Oslo.", d(2023, 7, 14), "Varmerekord i Oslo."),
        ("Dato: 1. februar 2019\nSnøkaos i Bergen.", d(2019, 2, 1), "Snøkaos i Bergen."),
        ("Dato: 1. feb. 2019\nSnøkaos i Bergen.", d(2019, 2, 1), "Snøkaos i Bergen."),
        ("DATO: 17. MAI 2020\nTog i regnvær.", d(2020, 5, 17), "Tog i regnvær."),
        ("dato: mars 2021 Vårløsning i Valdres.", d(2021, 3), "Vårløsning i Valdres."),
        ("date 2018\nÅret da det aldri regnet.", d(2018), "Året da det aldri regnet."),
        ("date 2018 Året da det aldri regnet.", d(2018), "Året da det aldri regnet."),
        ("date:2018\nÅret da det aldri regnet.", d(2018), "Året da det aldri regnet."),
        ("\n\ndate 2023-07\n\n\nFørste avsnitt.", d(2023, 7), "Første avsnitt."),
    ],
)
def test_header_forms(text, date, body):
    header = parse_header(text)
    assert header.date == date
    assert header.body == body
    assert header.warning is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("date 2018\nTekst.", "2018"),
        ("date 2023-07\nTekst.", "2023-07"),
        ("date 2023-07-14\nTekst.", "2023-07-14"),
        ("dato: juli 2023\nTekst.", "2023-07"),
        ("dato: 14. juli 2023\nTekst.", "2023-07-14"),
    ],
)
def test_precision_is_kept(text, iso):
    assert parse_header(text).date.iso() == iso


def test_the_sample_document_header():
    text = SAMPLE.read_text(encoding="utf-8")
    header = parse_header(text)
    assert header.date == d(2023, 7)
    assert header.body.startswith("Skjulte chatter? Ifølge media NBC Nyheter")
    assert make_title(header.body) == "Skjulte chatter?"


@pytest.mark.parametrize(("name", "abbreviation", "month"), MONTH_NAMES)
@pytest.mark.parametrize(
    "template",
    [
        "dato: 9. {m} 2021\nTekst om været.",
        "Dato: 9 {m} 2021 Tekst om været.",
        "dato {m} 2021\nTekst om været.",
        "Dato: 9. {M} 2021\nTekst om været.",
    ],
)
def test_every_month_name(name, abbreviation, month, template):
    has_day = "9" in template
    expected = d(2021, month, 9 if has_day else None)
    for word in {name, abbreviation, abbreviation + "."}:
        text = template.format(m=word, M=word.capitalize())
        header = parse_header(text)
        assert header.date == expected, text
        assert header.body == "Tekst om været.", text


def test_september_abbreviation_sept():
    assert parse_header("dato: 3. sept. 2019\nSkolestart.").date == d(2019, 9, 3)


# --- invalid dates and things that only look like headers ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "date 2023-13 Tallene for trettende måned finnes ikke.",
        "date 2023-02-29\nIkke et skuddår.",
        "date: 31.04.2023\nApril har tretti dager.",
        "dato: 30. februar 2024\nSelv ikke i skuddår.",
        "date 2023-00 Måned null.",
        "date 0000\nÅr null.",
    ],
)
def test_invalid_date_is_kept_as_text_with_a_warning(text):
    header = parse_header(text)
    assert header.date is None
    assert header.body == text  # nothing removed
    assert header.warning is not None
    assert "not a valid date" in header.warning
    assert text.split()[1] in header.warning  # names what was written


def test_invalid_month_warning_names_the_problem():
    header = parse_header("date 2023-13 Tekst")
    assert "2023-13" in header.warning and "13" in header.warning


def test_leap_day_is_a_date_in_a_leap_year():
    assert parse_header("date 2024-02-29\nSkuddårsdagen.").date == d(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "Date palms grow in the desert near Marrakesh.",
        "Datoen ble satt til 14. juli 2023 av styret.",
        "Dato for møtet er ikke bestemt ennå.",
        "Dato: i morgen, sier ordføreren.",
        "Update 2023-07: nye tall fra SSB.",
        "Styret møttes. date 2023-07",
        "date 20230 er ikke et årstall.",
        "date 2023-07-14x skal ikke tolkes.",
        "Skjulte chatter? Ifølge media NBC Nyheter.",
        "",
    ],
)
def test_not_a_header_is_body(text):
    header = parse_header(text)
    assert header.date is None
    assert header.body == text
    assert header.warning is None


# --- property: every valid date in every form ------------------------------------------

KEYWORDS = ["date ", "Date: ", "date: ", "dato ", "Dato: ", "DATO: ", " date ", "date:", "  Dato "]
SEPARATORS = [" ", "\n", "\n\n", " \n", "\t"]


@st.composite
def partial_dates(draw):
    year = draw(st.integers(1000, 2999))
    month = draw(st.none() | st.integers(1, 12))
    day = None
    if month is not None:
        day = draw(st.none() | st.integers(1, calendar.monthrange(year, month)[1]))
    return year, month, day


def renderings(year, month, day) -> list[str]:
    if month is None:
        return [f"{year}"]
    name, abbreviation, _ = MONTH_NAMES[month - 1]
    if day is None:
        return [f"{year}-{month:02d}", f"{year}-{month}", f"{name} {year}", f"{abbreviation}. {year}", f"{name.upper()} {year}"]
    return [
        f"{year}-{month:02d}-{day:02d}",
        f"{year}-{month}-{day}",
        f"{year}-{month:02d}-{day:02d}T10:15:00Z",
        f"{year}-{month:02d}-{day:02d}T23:59:59.5+01:00",
        f"{year}-{month:02d}-{day:02d} 07:30",
        f"{day:02d}.{month:02d}.{year}",
        f"{day}.{month}.{year}",
        f"{day}. {name} {year}",
        f"{day}. {abbreviation}. {year}",
        f"{day} {name.capitalize()} {year}",
    ]


bodies = st.text(max_size=80).filter(lambda body: not body[:1].isspace())


@settings(max_examples=300, deadline=None)
@given(date=partial_dates(), keyword=st.sampled_from(KEYWORDS), separator=st.sampled_from(SEPARATORS), body=bodies, data=st.data())
def test_any_valid_date_in_any_form(date, keyword, separator, body, data):
    year, month, day = date
    rendered = data.draw(st.sampled_from(renderings(year, month, day)), label="rendered")
    # Known ambiguity, not a bug: "date 2023-07-14 10:15 …" reads the time as part of the
    # header, so a body that itself starts with a clock time is left out here.
    if day is not None and separator == " " and re.match(r"\d{1,2}:\d{2}", body):
        return
    header = parse_header(keyword + rendered + separator + body)
    assert header.date == PartialDate(year, month, day)
    assert header.date.iso().count("-") == (month is not None) + (day is not None)
    assert header.body == body
    assert header.warning is None


# --- titles ----------------------------------------------------------------------------


def test_short_first_line_followed_by_newline_is_the_title():
    body = "Snøkaos i Bergen\nBybanen sto stille i to timer tirsdag morgen. Mange kom for sent på jobb."
    assert make_title(body) == "Snøkaos i Bergen"


def test_first_sentence_when_no_line_break():
    assert make_title(BODY) == "Skjulte chatter?"
    assert make_title("Regjeringen går av. Statsministeren ba om avskjed i statsråd.") == "Regjeringen går av."
    assert make_title("Kva skjer no! Ingen veit.") == "Kva skjer no!"
    assert make_title("Ventetida er over… Ferja går igjen.") == "Ventetida er over…"


def test_title_of_a_single_line_without_sentence_end_is_the_line():
    assert make_title("Været i Tromsø") == "Været i Tromsø"
    assert make_title("Været i Tromsø\n") == "Været i Tromsø"


def test_markdown_heading_loses_its_hashes():
    assert make_title("# Årsrapport for Ørsta kommune\n\nKommunen hadde overskudd.") == "Årsrapport for Ørsta kommune"
    assert make_title("## Nynorsk i skulen\nElevane skriv.") == "Nynorsk i skulen"


def test_leading_blank_lines_are_skipped():
    assert make_title("\n\n  Kort melding fra Bodø\nResten av saken.") == "Kort melding fra Bodø"


def test_dot_inside_a_number_or_word_does_not_end_the_sentence():
    assert make_title("Prisveksten var 4.8 prosent i oktober. SSB venter lavere tall.") == (
        "Prisveksten var 4.8 prosent i oktober."
    )


def test_sentence_over_several_lines_is_joined_when_first_line_is_too_long():
    first = "Statsbudsjettet " + "og " * 60 + "mer"  # a first line over 150 characters
    assert len(first) > TITLE_MAX_CHARS
    title = make_title(first + "\nfortsetter her.")
    assert "\n" not in title and "  " not in title


def test_first_line_of_exactly_the_limit_is_kept_one_over_is_not():
    headline = " ".join(["Strømstøtten forlenges for husholdninger og bønder i hele landet"] * 3)
    line = headline[: TITLE_MAX_CHARS - 1] + "."
    assert len(line) == TITLE_MAX_CHARS
    assert make_title(line + "\nBrødtekst om saken.") == line
    longer = line[:-1] + "r."
    title = make_title(longer + "\nBrødtekst om saken.")
    assert title.endswith("…") and len(title) <= TITLE_MAX_CHARS + 1
    assert longer.startswith(title[:-1])


LONG_SENTENCE = (
    "Fylkeskommunen i Møre og Romsdal vil leggje ned den vidaregåande skulen i bygda, "
    "og det har ført til sterke reaksjonar blant elevar, foreldre, lærarar og ordførarar "
    "i heile regionen som no samlar underskrifter mot vedtaket"
)


def test_long_text_is_capped_at_a_word_boundary_with_ellipsis():
    assert len(LONG_SENTENCE) > TITLE_MAX_CHARS + 30
    title = make_title(LONG_SENTENCE + ". Neste setning.")
    assert title.endswith("…")
    kept = title[:-1]
    assert TITLE_MAX_CHARS - 30 <= len(title) <= TITLE_MAX_CHARS + 1
    assert LONG_SENTENCE.startswith(kept)
    # the cut falls between two words (a comma before the cut may be dropped)
    assert re.match(r"[,;:]?\s", LONG_SENTENCE[len(kept) :])
    assert not kept.endswith((" ", ","))


def test_cap_never_leaves_a_dangling_comma():
    # the word just before the cut ends with a comma
    head = "Ordføraren i Ålesund, Ørsta, Volda, Stranda"
    filler = " ".join(["Sykkylven,"] * 20)
    text = head + " " + filler
    title = make_title(text)
    assert title.endswith("…") and not title.endswith(",…")
    assert text.startswith(title[:-1])


def test_one_very_long_word_is_cut_hard():
    word = "Blåbærsyltetøy" * 20
    title = make_title(word)
    assert title == word[:TITLE_MAX_CHARS] + "…"


def test_empty_body_has_empty_title():
    assert make_title("") == ""
    assert make_title("  \n ") == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_title_is_never_much_longer_than_the_cap(body):
    title = make_title(body)
    assert len(title) <= TITLE_MAX_CHARS + 1
    assert "\n" not in title


def test_abbreviation_does_not_end_the_title():
    assert make_title("Møtet starter kl. 10 i Stortinget i morgen. Alle er velkomne.") == (
        "Møtet starter kl. 10 i Stortinget i morgen."
    )
    assert make_title("Flere partier, bl.a. Venstre, stemte nei. Saken er avgjort.") == (
        "Flere partier, bl.a. Venstre, stemte nei."
    )
    assert make_title("Prisen steg med ca. 5 pst. i fjor. Det er mye.") == "Prisen steg med ca. 5 pst. i fjor."


# --- front matter ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, date, title, body",
    [
        ("---\ntitle: Om fjell\ndate: 2023-07-14\n---\nTekst om fjell.", "2023-07-14", "Om fjell", "Tekst om fjell."),
        ('---\ntitle: "Kolon: i tittelen"\ndato: 14. juli 2023\n---\n\nTekst.', "2023-07-14", "Kolon: i tittelen", "Tekst."),
        ("---\ndate: 2023-07\n---\nTekst.", "2023-07", None, "Tekst."),
        ("---\ndate: 2018\ntags: [a, b]\n---\nTekst.", "2018", None, "Tekst."),
        ("---\ntitle: Bare tittel\n...\nTekst.", None, "Bare tittel", "Tekst."),
    ],
)
def test_front_matter_gives_title_and_date(text, date, title, body):
    header = parse_header(text)
    assert (header.date.iso() if header.date else None, header.title, header.body) == (date, title, body)
    assert header.warning is None


def test_bad_front_matter_is_kept_as_text_with_a_warning():
    text = "---\n: : ikke yaml\n  - x\n---\nTekst."
    header = parse_header(text)
    assert header.body == text and header.date is None and "YAML" in header.warning
    bad_date = parse_header("---\ndate: 2023-13\n---\nTekst.")
    assert bad_date.date is None and bad_date.body == "Tekst." and "2023-13" in bad_date.warning


def test_a_rule_line_that_is_not_front_matter_is_body():
    assert parse_header("--- ikke front matter\nTekst.").body == "--- ikke front matter\nTekst."
