"""The e-mail (.eml) and mailbox (.mbox) readers on messages written by hand (see
tests/fixtures/formats/README-html-mail.md): parts and headers decoded by their charsets
(and the detector where those are missing or wrong), the Subject the title, the Date's day."""

import base64
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.dates import PartialDate
from ingest.formats import UnreadableError, read_document, reader_for
from ingest.formats.mbox import split_mbox

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def read(name: str):
    data = (FIXTURES / name).read_bytes()
    docs = read_document(data, name)
    for doc in docs:
        assert "\ufffd" not in doc.text + (doc.title or "")
        assert not re.search("[ÃÂ]", doc.text + (doc.title or "")), "mojibake"
    return docs


def test_iso_8859_1_quoted_printable_with_rfc2047_subject_and_sender():
    [doc] = read("mail_latin1_qp.eml")
    assert doc.title == "Møte om budsjettet for 2020: innspill fra Ålesund og Ørsta"  # two encoded words, folded
    assert doc.date == PartialDate(2019, 11, 12)
    assert doc.encoding == "cp1252"  # ISO-8859-1 read as windows-1252, as mail readers do
    assert doc.text.startswith("Fra: Kåre Ødegård <kare.odegard@example.no>\n\nHei alle sammen,")
    assert "på møtet tirsdag 19. november" in doc.text  # a soft line break (=) joined mid-word
    assert "- økte utgifter til hjemmetjenesten\n" in doc.text


def test_multipart_alternative_prefers_the_plain_part():
    [doc] = read("mail_alternative_crlf.eml")
    assert doc.title == "Isbremålinger: alle breene krymper"  # base64 encoded word
    assert doc.text.startswith("Fra: Hallvard Sæbø <hallvard@example.no>")
    assert "Gråfjellsbreen ved Folgefonna" in doc.text and "<b>" not in doc.text
    assert "Dette er en melding i MIME-format" not in doc.text  # the preamble
    assert doc.date == PartialDate(2019, 9, 27)  # 23:40 -0700: the sender's day, not UTC's 28th
    assert "\r" not in doc.text and "crlf" in doc.repairs


def test_base64_utf8_body():
    [doc] = read("mail_base64_utf8.eml")
    assert doc.title == "Bøkene flest briter lyver om å ha lest"
    assert doc.date == PartialDate(2019, 10, 14)  # "14 Oct 2019 10:02 +0200": no weekday, no seconds
    assert "2. «Drep ikke en sangfugl» av Harper Lee\n3. «Romeo og Julie»" in doc.text
    assert doc.encoding == "utf-8"


def test_html_only_message_through_the_html_reader_attachment_ignored_broken_date_none():
    [doc] = read("mail_html_only_cp1252.eml")
    assert doc.title == "Referat fra styremøtet"  # raw 8-bit header bytes, by the detector
    assert doc.date is None  # "Date: mandag 32. desember"
    assert "Årsmøtet flyttes til onsdag 4. mars" in doc.text and "Mvh\nBjørn-Åge" in doc.text
    assert "regnskap for 2019" not in doc.text and "alert" not in doc.text and "Calibri" not in doc.text


def test_us_ascii_declared_over_8bit_bytes_goes_to_the_detector():
    [doc] = read("mail_usascii_declared_8bit_latin1.eml")
    assert (doc.encoding, doc.repairs) == ("cp1252", ("charset",))
    assert "første ferje fra Bodø til Værøy" in doc.text
    assert doc.title == "Tur til Værøy på lørdag"
    assert doc.text.startswith("Fra: Åse Bø <aase@example.no>")
    assert doc.date is None  # no Date header: no date, nothing invented


def test_mbox_one_document_per_message_in_file_order():
    docs = read("mail_borettslag.mbox")
    assert [doc.part for doc in docs] == [1, 2, 3]
    assert [doc.title for doc in docs] == [
        "Innkalling til styremøte i januar",
        "Re: Innkalling til styremøte i januar",
        "Dugnad lørdag 25. april",
    ]
    assert [doc.date for doc in docs] == [PartialDate(2020, 1, 6), PartialDate(2020, 1, 7), PartialDate(2020, 4, 1)]
    assert "\n\nFrom the offer: twelve charging points" in docs[1].text  # >From unescaped
    assert "Per Holm" not in docs[0].text  # the next message's From_ line split it off
    assert docs[2].text.startswith("Fra: Styret i Sørbyhaugen <styret@example.no>")
    assert "kjører søppel til gjenbruksstasjonen på Grønmo" in docs[2].text


def test_an_unreadable_message_is_left_out_and_the_others_keep_their_numbers():
    data = (FIXTURES / "mail_borettslag.mbox").read_bytes()
    messages = data.split(b"\n\nFrom ")
    broken = b"From x@example.no Sat Jan 11 10:00:00 2020\nFrom: x@example.no\nSubject: Vedlegg\n" + (
        b'Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n'
    )
    mbox = messages[0] + b"\n\n" + broken + b"\nFrom " + b"\n\nFrom ".join(messages[1:])
    docs = read_document(mbox, "arkiv.mbox")
    assert [doc.part for doc in docs] == [1, 3, 4]
    with pytest.raises(UnreadableError, match="no readable message.*message 1: no text"):
        read_document(broken, "vedlegg.mbox")


def test_split_mbox_needs_a_blank_line_before_from():
    data = b"From a@b.no Mon Jan  6 08:30:12 2020\nSubject: En\n\nTekst\nFrom kl. 8 til 2020\n\nFrom b@c.no Tue Jan  7 08:30:12 2020\nSubject: To\n\nTekst\n"
    assert split_mbox(data) == [b"Subject: En\n\nTekst\nFrom kl. 8 til 2020", b"Subject: To\n\nTekst\n"]


def test_sniffing_mail_and_mailboxes():
    eml = (FIXTURES / "mail_latin1_qp.eml").read_bytes()
    assert reader_for(eml, "melding").name == "email"
    assert reader_for((FIXTURES / "mail_borettslag.mbox").read_bytes(), "Innboks").name == "mbox"
    assert reader_for(b"Date: 2021-11-03\nFred i Ukraina\n\nSamtaler.", "notat").name == "text"
    assert reader_for(b"Date: 2021-11-03\nTitle: Fred\n\nSamtaler.", "notat").name == "text"  # no mail-only header
    assert reader_for(b"From the start, it was clear.\n", "notat").name == "text"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"From: a@b.no\nSubject: Bare hode\nMessage-ID: <1@b.no>\n", "no text in the message"),
        (b"From: a@b.no\nMessage-ID: <1@b.no>\nContent-Type: text/plain; charset=utf-8\n\n   \n", "no text in the message"),
        (b"From: a@b.no\nMessage-ID: <1@b.no>\nContent-Type: image/png\n\n\x89PNG", "no text in the message"),
    ],
)
def test_messages_without_text_get_a_reason(data, reason):
    with pytest.raises(UnreadableError, match=reason):
        read_document(data, "melding.eml")


def test_a_truncated_message_gives_what_it_has():
    data = (FIXTURES / "mail_latin1_qp.eml").read_bytes()
    [doc] = read_document(data[: data.index(b"S=E6rlig")], "avkuttet.eml")
    assert doc.text.endswith("et samlet forslag.")
    with pytest.raises(UnreadableError):
        read_document(data[:200], "avkuttet.eml")


WORDS = "blåbær fjøs ærlig søknad Ålesund Tromsø Øyvind ÆRLIG «sjø» kjøre dårlig er på og i Bodø møte: referat".split()
PHRASES = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
CHARSETS = ["utf-8", "UTF-8", "iso-8859-1", "ISO-8859-15", "windows-1252", "latin1"]


def encoded_words(raw: bytes, charset: str, method: str) -> str:
    """RFC 2047 encoded words written out here (B: base64; Q: hex escapes and _ for space)."""
    if method == "B":
        return f"=?{charset}?B?{base64.b64encode(raw).decode()}?="
    q = "".join(chr(b) if chr(b).isalnum() and b < 128 else "_" if b == 32 else f"={b:02X}" for b in raw)
    return f"=?{charset}?Q?{q}?="


@settings(max_examples=200, deadline=None)
@given(text=PHRASES, charset=st.sampled_from(CHARSETS), method=st.sampled_from("BQ"), cut=st.integers(0, 100), folded=st.booleans())
def test_rfc2047_subject_and_from_decode_to_the_text(text, charset, method, cut, folded):
    codec = "utf-8" if charset.lower() == "utf-8" else "cp1252" if charset.lower() != "iso-8859-15" else "iso-8859-15"
    at = cut % (len(text) + 1)  # two encoded words, split at a character (RFC 2047 6.2)
    first, second = text[:at].encode(codec), text[at:].encode(codec)
    words = [encoded_words(part, charset, method) for part in (first, second) if part]
    subject = ("\n " if folded else " ").join(words)
    message = f"From: {encoded_words(text.encode(codec), charset, method)} <a@b.no>\nSubject: Re: {subject}\n"
    [doc] = read_document((message + "Content-Type: text/plain\n\nHei.\n").encode("ascii"), "m.eml")
    assert doc.title == f"Re: {text}"
    assert doc.text.startswith(f"Fra: {text} <a@b.no>")


@settings(max_examples=100, deadline=None)
@given(text=PHRASES, charset=st.sampled_from(["utf-8", "cp1252", "iso-8859-15"]), declared=st.booleans(), encoding=st.sampled_from(["8bit", "base64"]))
def test_raw_8bit_headers_and_bodies_in_any_charset(text, charset, declared, encoding):
    body = text.encode(charset)
    if encoding == "base64":
        body = base64.encodebytes(body)
    content_type = f"text/plain; charset={charset}" if declared else "text/plain"
    head = f"From: a@b.no\nSubject: {text}\nContent-Type: {content_type}\nContent-Transfer-Encoding: {encoding}\n\n"
    [doc] = read_document(head.encode(charset) + body, "m.eml")
    assert doc.title == text
    assert doc.text == f"Fra: a@b.no\n\n{text}"


def test_an_empty_plain_part_gives_way_to_the_html_part():
    data = (
        b'From: a@b.no\nMessage-ID: <1@b.no>\nSubject: Tilbud\nContent-Type: multipart/alternative; boundary="g"\n\n'
        b"--g\nContent-Type: text/plain; charset=utf-8\n\n\n"
        b"--g\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Sm\xc3\xb8rbr\xc3\xb8d til halv pris.</p></body></html>\n--g--\n"
    )
    [doc] = read_document(data, "tilbud.eml")
    assert doc.text == "Fra: a@b.no\n\nSmørbrød til halv pris."


def test_format_flowed_paragraphs_are_joined_again():
    data = (
        b"From: a@b.no\nMessage-ID: <1@b.no>\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=no\n\n"
        b"Styret har vedtatt at dugnaden flyttes \ntil l\xc3\xb8rdag.\n\n> Kan vi ta den \n> en uke senere?\n"
        b" >Fra Troms\xc3\xb8\n-- \nNina\n"
    )
    [doc] = read_document(data, "flowed.eml")
    assert doc.text == "Fra: a@b.no\n\nStyret har vedtatt at dugnaden flyttes til lørdag.\n\n> Kan vi ta den en uke senere?\n>Fra Tromsø\n-- \nNina"
