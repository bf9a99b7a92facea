"""Sentences and quotes: cut where a reader expects, never in the middle of a word."""
from __future__ import annotations

from codesign.core.text import OMISSION, excerpt, sentences


def test_sentences_end_at_stops_not_at_abbreviations_initials_or_list_numbers():
    text = ("Esim. Äkäslompolossa sähköt meni. Se oli 3. kerta tänä talvena! Mitä sitten? "
            "Soitin A. Virtaselle… Hän ei vastannut.")
    assert sentences(text) == ["Esim. Äkäslompolossa sähköt meni.", "Se oli 3. kerta tänä talvena!",
                               "Mitä sitten?", "Soitin A. Virtaselle…", "Hän ei vastannut."]
    assert sentences("  yksi   lause ilman pistettä ") == ["yksi lause ilman pistettä"]


def test_excerpt_keeps_whole_sentences_and_marks_what_is_left_out():
    text = "Asuntoja ei ole. Kaikki mökit ovat turisteilla. Oppaat asuvat asuntovaunuissa pihalla."
    assert excerpt(text, 200) == text                                   # short enough: as it is
    assert excerpt(text, 60) == f"Asuntoja ei ole. Kaikki mökit ovat turisteilla. {OMISSION}"
    assert excerpt(text, 40) == f"Asuntoja ei ole. {OMISSION}"


def test_excerpt_of_one_long_sentence_cuts_between_words():
    text = "Kittilän kentältä Äkäslompoloon on vajaa tunnin ajo ja mie otan alihankkijoita Rovaniemeltä asti"
    quote = excerpt(text, 80)
    assert quote.endswith(OMISSION) and len(quote) <= 80
    kept = quote[: -len(OMISSION)].split()
    assert all(word in text.split() for word in kept)                   # every word whole (no "Rova…")
