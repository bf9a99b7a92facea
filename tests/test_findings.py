"""What the process found, as a reader meets it: headline findings, proposals, the committee's changes against the
evidence, what changed since the previous build, and the report helpers that show them (escaped HTML, names
beside ids, no column that says the same on every row). The tables are the hand-made fixtures of
tests/fixtures/analysis (see test_templates.make_project), whose verdicts are known."""
from __future__ import annotations

import pandas as pd
import pytest
from test_templates import make_project

from codesign.outputs import findings as F
from codesign.outputs.explorer import highlight
from codesign.outputs.report import badge, html_table, method_lines


@pytest.fixture(scope="module")
def evidence(tmp_path_factory):
    return F.Evidence.load(make_project(tmp_path_factory.mktemp("findings") / "p"), "fi")


def test_headlines_put_what_needs_a_decision_first(evidence):
    heads = evidence.headlines()
    assert 4 <= len(heads) <= 5
    assert [h.kind for h in heads[:3]] == ["goal_not_supported", "theme_needs_refinement", "goals_refine"]
    assert heads[0].text.startswith("Aineisto ei tue tavoitetta T4.G1 Hannukaisen kaivoshanke")
    assert heads[0].link == "04_interviews.html#tavoitteet"
    assert heads[1].text == ("Teema T5 Yhteistyö, saavutettavuus ja vetovoima on tarkennettava: 5/20 siitä "
                             "puhuneesta pitää sitä kaatoluokkana tai jakaisi sen.")
    assert all(h.kind != "emergent" for h in heads)          # the fixture has no topic table


def test_proposals_follow_the_verdicts(evidence):
    proposals = {p.kind: p for p in evidence.proposals()}
    assert set(proposals) == {"reframe_goal", "refine_goal", "split_theme"}
    assert proposals["reframe_goal"].targets == ["T4.G1"] and proposals["reframe_goal"].segments
    assert proposals["split_theme"].targets == ["T5"]
    assert all(not p.changes for p in proposals.values())    # no change log in this programme


def test_verdict_matrix_names_every_goal(evidence):
    matrix = {row["id"]: row for row in evidence.matrix()}
    assert matrix["T5"]["verdict"] == "needs_refinement"
    goals = {g["id"]: g for row in matrix.values() for g in row["goals"]}
    assert goals["T4.G1"]["verdict"] == "not_supported" and goals["T4.G1"]["name"].startswith("Hannukaisen")


def test_what_changed_since_the_previous_build():
    before = {"sources": {"H01": 40, "C": 60}, "themes": {"T5": {"verdict": "confirmed", "reasons": "x"}},
              "goals": {}, "emergent": {"sähkökatkot": {"participants": 4, "segments": 6}},
              "survey": {"all|A4": {"share": 0.40, "position": 3, "label": "Kaivos", "n": 90}}}
    after = {"sources": {"H01": 40, "C": 63, "H15": 30},
             "themes": {"T5": {"verdict": "needs_refinement", "reasons": "7/38 pitää sitä kaatoluokkana"}},
             "goals": {}, "emergent": {"sähkökatkot": {"participants": 7, "segments": 13},
                                        "vesihuolto": {"participants": 3, "segments": 7}},
             "survey": {"all|A4": {"share": 0.47, "position": 3, "label": "Kaivos", "n": 100}}}
    changes = {c.kind: c.text for c in F.compare(before, after, "fi")}
    assert changes["new_source"] == "Uusi lähde H15: 30 puheenvuoroa tai vastausta."
    assert changes["grown_source"] == "Lähteeseen C tuli 3 uutta puheenvuoroa tai vastausta."
    assert changes["verdict"] == "T5: vahvistettu → tarkennettava: 7/38 pitää sitä kaatoluokkana"
    assert changes["grown_topic"] == "Aihe ”sähkökatkot” kasvoi: 4 → 7 osallistujaa."
    assert changes["new_topic"] == "Uusi aihe ”vesihuolto” (3 osallistujaa)."
    assert changes["survey"] == "Kysely, kaikki vastaajat: ”Kaivos” kolmen kärjessä 40 % → 47 %, sija 3 → 3."
    assert F.compare(after, after) == [] and F.compare(None, after) == []


def test_report_helpers_escape_what_they_insert():
    frame = pd.DataFrame({"teema": ["<script>alert(1)</script>"], "arvio": ["not_supported"]})
    markup = html_table(frame.assign(arvio=frame["arvio"].map(badge)), html_columns={"arvio"})
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert '<span class="badge not_supported">✗ ei tuettu</span>' in markup     # colour, sign and word
    assert highlight("Asuntoja <b>ei</b> ole", ("Asuntoja",)) == "<mark>Asuntoja</mark> &lt;b&gt;ei&lt;/b&gt; ole"


def test_method_states_the_thresholds_in_words():
    lines = method_lines({"goal_min_voices": 3, "goal_unsupported_question_share": 0.6,
                          "goal_max_support_share": 0.2, "goal_refine_question_share": 0.34,
                          "goal_refine_share": 0.34}, "fi")
    assert lines == ["Tavoitteesta on liian vähän näyttöä, kun siitä puhui alle 3 osallistujaa. Se on ei tuettu, "
                     "kun vähintään 60 % siitä puhuneista kyseenalaistaa sen ja enintään 20 % tukee; "
                     "tarkennettava, kun vähintään 34 % kyseenalaistaa tai vähintään 34 % ehdottaa toista "
                     "tavoitetasoa tai mittaria; muuten vahvistettu."]


def test_survey_split_finds_the_alternative_groups_rank_furthest_apart():
    rows = [("all", "A4", "Kaivos", 5, 100, False), ("yrittäjä", "A4", "Kaivos", 8, 44, False),
            ("luottamushenkilö", "A4", "Kaivos", 1, 7, True), ("all", "A1", "Matkailu", 1, 100, False),
            ("yrittäjä", "A1", "Matkailu", 1, 44, False), ("luottamushenkilö", "A1", "Matkailu", 3, 7, True)]
    priorities = pd.DataFrame(rows, columns=["group", "alternative", "label", "position", "n_respondents",
                                             "small_n"])
    split = F.survey_split(priorities, 3)
    assert (split["alternative"], split["high_group"], split["low_position"]) == ("A4", "luottamushenkilö", 8)
    assert F.split_sentence(split, "fi") == (
        "Kyselyssä ryhmät painottivat eri asioita: ”Kaivos” oli ryhmällä luottamushenkilö sijalla 1/8 (7 "
        "vastaajaa, pieni ryhmä) mutta ryhmällä yrittäjä sijalla 8/8 (44 vastaajaa).")
    assert F.survey_split(priorities, 9) is None
