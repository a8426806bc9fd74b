"""Bokmål, Nynorsk or other, from real sentences of each."""

import pytest

from ingest.language import detect_language

BOKMAL = [
    "Regjeringen vil ikke endre skatten i år, sier finansministeren. Hun mener det er for tidlig.",
    "Jeg vet ikke hva som skjedde, men vi fikk bare beskjed om at fergen var innstilt fra Bodø.",
    "Loven gjelder for alle virksomheter som har ansatte i Norge, og bestemmelsene trer i kraft straks.",
]
NYNORSK = [
    "Regjeringa vil ikkje endre skatten i år, seier finansministeren. Ho meiner det er for tidleg.",
    "Eg veit ikkje kva som skjedde, men vi fekk berre beskjed om at ferja var innstilt frå Bodø.",
    "Lova gjeld for alle verksemder som har tilsette i Noreg, og føresegnene tek til å gjelde straks.",
]
OTHER = [
    "The ferry to Bodø was cancelled again, and nobody could tell us why it happened this time.",
    "Färjan till Bodø ställdes in igen och ingen kunde säga till oss varför det hände den här gången.",
    "Die Fähre nach Bodø wurde wieder abgesagt, und niemand konnte uns sagen, warum es diesmal passiert ist, "
    "obwohl wir lange gewartet haben.",
]


@pytest.mark.parametrize("text", BOKMAL)
def test_bokmal(text):
    assert detect_language(text) == "nb"


@pytest.mark.parametrize("text", NYNORSK)
def test_nynorsk(text):
    assert detect_language(text) == "nn"


@pytest.mark.parametrize("text", OTHER)
def test_other_languages(text):
    assert detect_language(text) == "other"


def test_short_texts_without_evidence_count_as_bokmal():
    assert detect_language("Skjulte chatter?") == "nb"
    assert detect_language("") == "nb"
