"""Goal evidence (issue 14): Finnish negation and hedging cues, sentence cutting of quotes, and counting goal
voices in one unit (participants) in the table, the reasons and the ledger. No demo build."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from codesign.analysis import params as P
from codesign.analysis import validation
from codesign.analysis.columns import GOAL_LINK_COLUMNS
from codesign.core.text import OMISSION, excerpt, quote_sentences, sentence_spans, sentences
from codesign.nlp.finnish import words
from codesign.nlp.pipeline import load_pipeline
from codesign.nlp.stance import cues, negated, numbers


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(("ner",))


def _cues(nlp, text):
    return cues(text, words(nlp(text)))


# --- negation and hedging -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["En mie usko, että se on realistinen.", "Ei se oo realistinen.",
                                  "Emmä usko tohon lukuun.", "Se ei toteudu vuoteen 2028 mennessä."])
def test_negated_endorsement_or_realisation_is_doubt(nlp, text):
    found = _cues(nlp, text)
    assert found["negated_support"] + found["negated_realisation"] >= 1, found.counts
    assert found["support"] == 0, found.counts


def test_plain_endorsement_is_not_negated(nlp):
    found = _cues(nlp, "Tavoite on hyvä ja realistinen.")
    assert found["support"] >= 1 and found["negated_support"] == 0


def test_negation_scope_ends_at_the_clause(nlp):
    text = "Ei siitä mitään haittaa, mutta tavoite on hyvä."
    ws = words(nlp(text))
    scope = negated(text, ws)
    good = next(i for i, w in enumerate(ws) if w.text == "hyvä")
    assert not scope[good]                          # "mutta" and the comma end the negation's clause
    assert _cues(nlp, text)["support"] >= 1


@pytest.mark.parametrize("text, kind", [("Tuskin siitä paljon muuttuu.", "doubt"),
                                        ("Vaikea sanoa, riippuu rahoituksesta.", "hedge"),
                                        ("En osaa sanoa siihen mitään.", "dont_know"),
                                        ("Kyllä se tavoitteena on hyvä, mutta paperityötä on liikaa.", "yes_but"),
                                        ("Ennemmin mittaisin sitä, kuinka moni yritys on auki.", "refine")])
def test_hedging_and_proposal_patterns(nlp, text, kind):
    assert _cues(nlp, text)[kind] >= 1, _cues(nlp, text).counts


def test_eiko_is_a_question_not_a_negation(nlp):
    text = "Eikö se ole hyvä tavoite?"
    assert not any(negated(text, words(nlp(text))))


def test_numbers_as_digits_and_spoken_numerals(nlp):
    assert 250 in numbers(words(nlp("Kaivos työllistäisi 250 ihmistä.")))
    assert 28 in numbers(words(nlp("Vuoteen kakskytkaheksan mennessä.")))
    assert 15 in numbers(words(nlp("Viistoista tuotetta on liikaa.")))


# --- sentence cutting -----------------------------------------------------------------------------------------

def test_sentences_and_spans_agree_and_skip_abbreviations():
    text = "Esim. kesällä on hiljaista.  Pitäisi saada lisää. Se on selvä!"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Esim. kesällä on hiljaista.", "Pitäisi saada lisää.", "Se on selvä!"]
    assert sentences(text) == ["Esim. kesällä on hiljaista.", "Pitäisi saada lisää.", "Se on selvä!"]


def test_quote_is_the_sentences_that_speak_to_the_goal_with_omissions():
    text = "Asuminen on iso asia. Kesää pitäisi saada lisää. Se on selvä. Talvi on jo täynnä."
    assert quote_sentences(text, [1]) == f"{OMISSION} Kesää pitäisi saada lisää. {OMISSION}"
    assert quote_sentences(text, [0, 2]) == f"Asuminen on iso asia. {OMISSION} Se on selvä. {OMISSION}"
    assert quote_sentences(text, [3]) == f"{OMISSION} Talvi on jo täynnä."
    assert quote_sentences(text, []) == excerpt(text)


def test_long_quotes_are_never_cut_mid_word():
    long = "Äkäslompolossa " * 40 + "on paljon tekemistä. Toinen lause."
    quote = quote_sentences(long, [0], limit=100)
    body = quote.replace(OMISSION, "").strip()
    assert all(w == "Äkäslompolossa" for w in body.split()[:-1])
    assert len(quote) <= 100 + 2 * len(OMISSION) + 2


# --- one unit: participants ---------------------------------------------------------------------------------------

def _inputs():
    from test_analysis import _inputs as make

    rows = [("H1-2", "P1", "yrittäjä", "interview", "T1;TAVOITE", "kaivos a"),
            ("H1-4", "P1", "yrittäjä", "interview", "T1;TAVOITE", "kaivos b"),
            ("H1-6", "P1", "yrittäjä", "interview", "T1;TAVOITE", "kaivos c"),
            ("H2-2", "P2", "yrittäjä", "interview", "T1;TAVOITE", "kaivos d"),
            ("C-1", None, "yrittäjä", "comment", "T1;TAVOITE", "kaivos e"),
            ("C-2", None, "yrittäjä", "comment", "T1;TAVOITE", "kaivos f")]
    return make(rows)


def _links(stances):
    return pd.DataFrame([{"segment_id": s, "goal_id": "T1.G1", "linked": True, "stance": st, "link_confidence": 0.9,
                          "stance_confidence": 0.8, "review": s == "C-2", "source": "machine", "sentences": "0",
                          "quote": f"lainaus {s}", "question": "kysymys?", "cues": "", "evidence": "{}"}
                         for s, st in stances], columns=GOAL_LINK_COLUMNS)


def test_goal_counts_are_participants_in_table_and_reasons():
    inputs, params = _inputs(), P.AnalysisParams()
    # P1 speaks three times (two questioning, one supporting): one questioning participant, not three
    links = _links([("H1-2", "question"), ("H1-4", "question"), ("H1-6", "support"), ("H2-2", "support"),
                    ("C-1", "refine"), ("C-2", "question")])
    ledger = validation.Ledger(params)
    goals = validation.validate_goals(inputs, params, ledger, links).set_index("goal_id")
    g = goals.loc["T1.G1"]
    assert (g["voices_support"], g["voices_question"], g["voices_refine"], g["voices"]) == (1, 2, 1, 4)
    assert (g["n_support"], g["n_question"], g["n_refine"]) == (2, 3, 1)          # segments, in brackets
    voices = json.loads(g["reason_codes"])[0]
    assert voices["key"] == "goal_voices"
    assert (voices["n"], voices["support"], voices["question"], voices["refine"]) == (4, 1, 2, 1)
    assert g["links_review"] == 1
    led = ledger.frame()
    assert set(led["quote"]) == {f"lainaus {s}" for s in ("H1-2", "H1-4", "H1-6", "H2-2", "C-1", "C-2")}
    assert led["question"].eq("kysymys?").all() and led.loc[led["segment_id"] == "C-2", "review"].all()


def test_unlinked_and_stanceless_links_are_not_counted():
    inputs, params = _inputs(), P.AnalysisParams()
    links = _links([("H1-2", "support"), ("H2-2", "none"), ("C-1", "support")])
    links.loc[links["segment_id"] == "C-1", "linked"] = False          # a near miss, kept for review
    g = validation.validate_goals(inputs, params, validation.Ledger(params), links).set_index("goal_id").loc["T1.G1"]
    assert (g["voices"], g["voices_support"], g["n_support"]) == (1, 1, 1)
    assert g["verdict"] == "insufficient_evidence"


def test_summary_counts_show_participants_with_segments_in_brackets():
    from codesign.outputs.summary import _stance_counts

    row = pd.Series({"voices_support": 1, "voices_question": 2, "voices_refine": 1, "n_support": 2,
                     "n_question": 3, "n_refine": 1})
    assert _stance_counts(row) == "1 / 2 / 1 (2 / 3 / 1)"
