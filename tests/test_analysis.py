"""Synthesis analytics (issue 5) on small fixtures whose answer is known, plus one demo-level test."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from codesign.analysis import params as P
from codesign.analysis import survey, topics, triangulation, validation
from codesign.analysis.inputs import AnalysisInputs, signal_hits
from codesign.cli import main
from codesign.coding.codebook import Code, Codebook
from codesign.core.errors import InputError
from codesign.core.programme import Goal, Theme
from codesign.core.project import Alternative

ALTS = [Alternative("A1", "Matkailu", "T1"), Alternative("A2", "Asuminen", "T2"), Alternative("A3", "Kaivos", None)]


def _rankings(rows):
    return pd.DataFrame([{"respondent_id": r, "alternative": a, "rank": k} for r, ranks in rows.items()
                         for a, k in ranks.items()])


# --- survey -------------------------------------------------------------------------------------------

def test_borda_mean_rank_and_top_share_by_hand():
    ranks = _rankings({"R1": {"A1": 1, "A2": 2, "A3": 3}, "R2": {"A1": 1, "A2": 3, "A3": 2},
                       "R3": {"A2": 1, "A1": 2}})                       # R3 left A3 unranked
    people = pd.DataFrame({"respondent_id": ["R1", "R2", "R3"], "group": ["yrittäjä", "yrittäjä", "viranhaltija"]})
    params = P.AnalysisParams(top_k=1, bootstrap=200, small_n=3)
    table = survey.priorities(ranks, people, ALTS, params)
    overall = table[table["group"] == "all"].set_index("alternative")
    # Borda: m − rank points (m = 3), unranked 0 → A1 2+2+1, A2 1+0+2, A3 0+1+0
    assert overall["borda"].to_dict() == {"A1": 5, "A2": 3, "A3": 1}
    assert overall.loc["A1", "mean_rank"] == pytest.approx(4 / 3)
    assert overall.loc["A3", "mean_rank"] == pytest.approx(2.5)        # over the two who ranked it
    assert overall.loc["A1", "top3_share"] == pytest.approx(2 / 3)     # top_k = 1, every respondent counts
    assert overall["position"].to_dict() == {"A1": 1, "A2": 2, "A3": 3}
    assert overall.loc["A1", "mean_rank_low"] <= 4 / 3 <= overall.loc["A1", "mean_rank_high"]
    assert not overall["small_n"].any()
    groups = table[table["group"] != "all"]
    assert groups.groupby("group")["small_n"].first().to_dict() == {"viranhaltija": True, "yrittäjä": True}
    again = survey.priorities(ranks, people, ALTS, params)
    pd.testing.assert_frame_equal(table, again)                         # seeded bootstrap
    choice = survey.programme_choice(table).set_index("alternative")
    assert choice["chosen"].to_dict() == {"A1": True, "A2": True, "A3": False}
    assert choice["supported"].all()


def test_likert_keeps_dont_know_and_missing_explicit():
    people = pd.DataFrame({"respondent_id": ["R1", "R2", "R3", "R4"], "group": ["a", "a", "b", "b"]})
    answers = pd.DataFrame({"respondent_id": ["R1", "R2", "R3"], "alternative": ["A1"] * 3,
                            "value": pd.array([5, pd.NA, pd.NA], dtype="Int64"),
                            "answer": ["value", "dont_know", "missing"]})
    table = survey.likert(answers, people, ALTS[:1]).set_index(["group", "answer"])
    assert table.loc[("all", "5"), "count"] == 1
    assert table.loc[("all", "dont_know"), "count"] == 1
    assert table.loc[("all", "missing"), "count"] == 2                  # R3 said nothing, R4 has no row
    assert table.loc[("all", "3"), "count"] == 0
    assert table.xs("all")["share"].sum() == pytest.approx(1.0)


def test_kendall_w_and_group_disagreement():
    same = np.array([[1, 2, 3], [1, 2, 3], [1, 2, 3]], dtype=float)
    assert survey.kendall_w(same)[0] == pytest.approx(1.0)
    opposite = np.array([[1, 2, 3], [3, 2, 1]], dtype=float)
    assert survey.kendall_w(opposite)[0] == pytest.approx(0.0)
    rows = {f"Y{i}": {"A1": 1, "A2": 2, "A3": 3} for i in range(4)} | {f"L{i}": {"A1": 3, "A2": 2, "A3": 1}
                                                                        for i in range(4)}
    people = pd.DataFrame({"respondent_id": list(rows), "group": ["yrittäjä"] * 4 + ["luottamushenkilö"] * 4})
    ranks = _rankings(rows)
    pri = survey.priorities(ranks, people, ALTS, P.AnalysisParams(bootstrap=0))
    agree = survey.agreement(ranks, people, ALTS, pri)
    between = agree[agree["statistic"] == "spearman"].iloc[0]
    assert between["value"] == pytest.approx(-1.0)
    within = agree[(agree["statistic"] == "kendall_w") & (agree["group_a"] == "yrittäjä")].iloc[0]
    assert within["value"] == pytest.approx(1.0)


# --- a tiny coded corpus -------------------------------------------------------------------------------

def _codebook():
    def code(cid, kind="theme", parent=None):
        return cid, Code(cid, kind, f"label {cid}", cid, f"definition of {cid}", parent=parent)
    return Codebook("tiny", dict([code("T1"), code("T2"), code("T3"), code("T2.1", "subcode", "T2"),
                                  code("T2.2", "subcode", "T2"), code("HAASTE", "statement"),
                                  code("VAHVUUS", "statement"), code("EHDOTUS", "statement"),
                                  code("TAVOITE", "statement")]))


def _inputs(rows, dim=8, seed=0):
    """AnalysisInputs from (segment_id, participant, group, stage, codes, text) rows; lemmas = the words."""
    seg = pd.DataFrame(rows, columns=["segment_id", "participant", "group", "stage", "codes", "text"])
    seg["codes"] = [frozenset(c.split(";")) if c else frozenset() for c in seg["codes"]]
    seqs = [[frozenset({w}) for w in t.lower().split()] for t in seg["text"]]
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(len(seg), dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    far = np.zeros(dim)
    far[0] = 1.0
    def goal(gid, text, word):
        return Goal(gid, gid[:2], text, measurable=False, indicator=text, lexicon=(word,))

    themes = [Theme("T1", "Matkailu", "", (goal("T1.G1", "Kaivos työllistää", "kaivos"),), ()),
              Theme("T2", "Asuminen", "", (goal("T2.G1", "Väkiluku kasvaa", "väkiluku"),), ()),
              Theme("T3", "Yrittäjyys", "", (), ())]
    return AnalysisInputs(seg, _codebook(), themes, ALTS, lemmas=[t.lower().split() for t in seg["text"]],
                          lemma_sets=[frozenset().union(*s) for s in seqs], lemma_seqs=seqs, vectors=vectors,
                          vectorise=lambda text: far)


def _corpus():
    people = [("P1", "yrittäjä"), ("P2", "yrittäjä"), ("P3", "luottamushenkilö"), ("P4", "luottamushenkilö")]
    rows = []
    for n, (p, g) in enumerate(people):
        rows.append((f"H{n}-1", p, g, "interview", "T2;T2.1", "asunnot puuttuvat"))
        if n < 3:
            rows.append((f"H{n}-2", p, g, "interview", "T3", "yrittäjyys kasvaa"))
    rows.append(("H0-3", "P1", "yrittäjä", "interview", "T1", "matkailu on tärkeä"))   # T1: 1 of 4
    rows.append(("H1-3", "P2", "yrittäjä", "interview", "T2;HAASTE", "teema on kaatoluokka"))
    rows.append(("H2-3", "P3", "luottamushenkilö", "interview", "T2;EHDOTUS", "jakaa kaksi osa"))
    for k in range(5):                                                   # T1.G1: questioned only
        rows.append((f"C-{k}", f"P{k + 5}", "yrittäjä", "comment", "T1;TAVOITE;HAASTE", "kaivos on epärealistinen"))
    rows += [("C-10", "P20", "yrittäjä", "comment", "T2;TAVOITE;VAHVUUS", "väkiluku tavoite on realistinen"),
             ("C-11", "P21", "viranhaltija", "comment", "T2;TAVOITE", "väkiluku kasvu realistinen"),
             ("C-12", "P22", "viranhaltija", "comment", "T2;TAVOITE;HAASTE", "väkiluku epärealistinen"),
             ("C-13", "P23", "luottamushenkilö", "comment", "T2;TAVOITE;HAASTE", "väkiluku mahdoton")]
    return _inputs(rows)


def test_theme_verdicts_from_coverage_and_scope():
    inputs, params = _corpus(), P.AnalysisParams()
    subcodes = validation.subcode_coverage(inputs, params)
    persp = validation.perspective(inputs, params)
    ledger = validation.Ledger(params)
    table = validation.validate_themes(inputs, params, None, None, persp, subcodes, ledger).set_index("theme")
    assert table.loc["T1", "coverage"] == pytest.approx(0.25)
    assert table.loc["T1", "verdict"] == "not_supported"                 # voiced by 1 of 4 interviewees
    assert table.loc["T2", "verdict"] == "needs_refinement"              # two participants: a catch-all
    assert table.loc["T2", "n_scope_critics"] == 2
    assert table.loc["T2", "subcodes_silent"] == "T2.2"
    assert table.loc["T2", "subcodes_voiced"] == "T2.1"
    assert table.loc["T3", "verdict"] == "confirmed"                      # 3 of 4, no scope challenge
    scope = ledger.frame().query("subject == 'T2' and stance == 'scope'")
    assert set(scope["segment_id"]) == {"H1-3", "H2-3"}
    # perspective: groups of 2 interviewees are described, not tested
    assert set(persp["test"]) == {"descriptive"}
    assert persp["small_n"].all()
    tested = validation.perspective(inputs, params.replace(perspective_min_n=2))
    assert set(tested["test"]) == {"fisher_exact"}
    assert tested["p_value"].between(0, 1).all()
    # a stricter rule is a parameter, not a code change
    strict = validation.validate_themes(inputs, params.replace(scope_min_participants=3), None, None, persp,
                                        subcodes, validation.Ledger(params)).set_index("theme")
    assert strict.loc["T2", "verdict"] == "confirmed"
    # … and the critics must also be a share of those voicing the theme, so a bigger corpus does not flip it
    by_share = validation.validate_themes(inputs, params.replace(scope_min_share=0.9), None, None, persp,
                                          subcodes, validation.Ledger(params)).set_index("theme")
    assert by_share.loc["T2", "verdict"] == "confirmed"


def test_goal_with_only_questioning_evidence_is_not_supported():
    inputs, params = _corpus(), P.AnalysisParams()
    ledger = validation.Ledger(params)
    goals = validation.validate_goals(inputs, params, ledger).set_index("goal_id")
    assert goals.loc["T1.G1", "verdict"] == "not_supported"
    assert goals.loc["T1.G1", "voices_question"] == 5 and goals.loc["T1.G1", "voices_support"] == 0
    assert goals.loc["T2.G1", "verdict"] == "needs_refinement"           # 2 support, 2 question
    assert (goals.loc["T2.G1", "voices_support"], goals.loc["T2.G1", "voices_question"]) == (2, 2)
    led = ledger.frame()
    assert set(led.loc[led["subject"] == "T1.G1", "stance"]) == {"question"}
    assert led["quote"].str.len().max() <= params.quote_chars


def test_goal_rules_need_voices_specific_stance_words_and_the_asked_goal():
    from codesign.analysis.inputs import interviewer_questions

    rows = [("C-1", "P1", "yrittäjä", "comment", "T1;TAVOITE;HAASTE", "kaivos työpaikat puuttuvat"),   # no stance word
            ("C-2", "P2", "yrittäjä", "comment", "T1;TAVOITE", "kaivos on epärealistinen"),
            ("C-3", "P3", "yrittäjä", "comment", "T1;TAVOITE", "kaivos on epärealistinen"),
            # the endorsement is about something far from the goal's words: not a stance on the goal
            ("C-4", "P4", "yrittäjä", "comment", "T1;TAVOITE",
             "kaivos mainittu a b c d e f g h i j k l m n o p matkailu on realistinen")]
    inputs, params = _inputs(rows), P.AnalysisParams()
    goals = validation.validate_goals(inputs, params, validation.Ledger(params)).set_index("goal_id")
    assert (goals.loc["T1.G1", "voices_question"], goals.loc["T1.G1", "voices_support"]) == (2, 0)
    assert goals.loc["T1.G1", "verdict"] == "insufficient_evidence"      # 2 voices < goal_min_voices 3
    assert "goal_too_few_voices" in goals.loc["T1.G1", "reason_codes"]
    assert "at least 3 participants" in goals.loc["T1.G1", "reasons"]
    wide = params.replace(goal_min_voices=2, goal_window=30)
    goals = validation.validate_goals(inputs, wide, validation.Ledger(wide)).set_index("goal_id")
    assert goals.loc["T1.G1", "voices_support"] == 1 and goals.loc["T1.G1", "verdict"] == "needs_refinement"
    # shares: 1 support of 5 voices, 4 question → not supported; 2 of 5 support → needs refinement
    assert validation.goal_verdict(1, 4, 0, 5, params)[0] == "not_supported"
    assert validation.goal_verdict(2, 3, 0, 5, params)[0] == "needs_refinement"
    assert validation.goal_verdict(4, 1, 0, 5, params)[0] == "confirmed"
    assert validation.goal_verdict(0, 2, 0, 2, params)[0] == "insufficient_evidence"
    # an interview answer is read with the interviewer's question before it
    seg = pd.DataFrame({"source_id": ["H1"] * 5, "turn": [1, 2, 3, 4, 5],
                        "speaker_role": ["interviewer", "participant", "interviewer", "interviewer", "participant"],
                        "text": ["q1", "a1", "q2", "q3", "a2"]})
    assert interviewer_questions(seg) == [(), ("q1",), (), (), ("q3", "q2")]


# --- structured reasons ----------------------------------------------------------------------------------

def _emitted_reason_keys() -> set[str]:
    """Every key the validation module can emit: the literal first argument of its ``reason(...)`` calls."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(validation))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "reason"
            and node.args and isinstance(node.args[0], ast.Constant)}


def test_every_reason_key_has_both_languages_with_the_same_values():
    import string

    from codesign.core.i18n import LANGUAGES, REASONS

    emitted = _emitted_reason_keys()
    assert len(emitted) >= 15 and "coverage" in emitted and "goal_voices" in emitted
    assert emitted <= set(REASONS), emitted - set(REASONS)
    for key in emitted:
        assert set(REASONS[key]) == set(LANGUAGES), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(REASONS[key][lang]) if f} for lang in LANGUAGES]
        assert fields[0] == fields[1], key


def test_reasons_render_in_finnish_and_unknown_keys_are_named():
    from codesign.core.i18n import reason, render_reasons

    reasons = [reason("coverage", n=9, of=14, share=np.float64(9 / 14)),
               reason("flag_perspective_tested", group="yrittäjä", n=np.int64(3), of=5, share_rest=0.2, p=0.0123),
               reason("goal_too_few_voices", threshold=3)]
    assert reasons[0] == {"key": "coverage", "n": 9, "of": 14, "share": 0.6429}
    assert render_reasons(reasons, "fi") == ("9/14 haastateltavaa puhui teemasta (64 %); yrittäjä: 3/5 "
                                             "haastateltavaa, muista haastateltavista 20 % (p = 0,012); arvioon "
                                             "tarvitaan vähintään 3 osallistujaa")
    assert render_reasons(reasons, "en") == ("9 of 14 interviewees discussed the theme (64%); entrepreneur: 3 of 5 "
                                             "interviewees, 20% of the others (p = 0.012); a verdict needs at least "
                                             "3 participants")
    # ids with their names where the reader gives them; no configuration key in either language
    gap = reason("flag_survey_rank_gap", alternative="A4", high_position=1, high_group="luottamushenkilö",
                 high_n=7, high_small=True, low_position=8, low_group="yrittäjä", low_n=44, low_small=False)
    assert render_reasons([gap], "fi", names={"A4": "Kaivos"}) == (
        "kyselyssä A4 Kaivos on sijalla 1 ryhmällä luottamushenkilö (7 vastaajaa, pieni ryhmä) mutta sijalla 8 "
        "ryhmällä yrittäjä (44 vastaajaa)")
    with pytest.raises(ValueError, match="unknown reason key 'covrage'"):
        render_reasons([{"key": "covrage", "n": 1}], "fi")
    with pytest.raises(ValueError, match="unknown reason key 'covrage'"):
        reason("covrage", n=1)
    with pytest.raises(ValueError, match="'coverage' lacks the value 'share'"):
        render_reasons([{"key": "coverage", "n": 1, "of": 2}], "fi")


def test_english_columns_are_the_english_rendering_of_the_structured_reasons():
    import json

    from codesign.analysis.columns import REASON_CODE_COLUMNS
    from codesign.analysis.tables import reasons_text
    from codesign.core.i18n import render_reasons

    inputs, params = _corpus(), P.AnalysisParams()
    subcodes = validation.subcode_coverage(inputs, params)
    persp = validation.perspective(inputs, params)
    themes = validation.validate_themes(inputs, params, None, None, persp, subcodes, validation.Ledger(params))
    goals = validation.validate_goals(inputs, params, validation.Ledger(params))
    tables = {"theme_validation": themes, "goal_validation": goals, "perspective": persp}
    keys = set()
    for table, columns in REASON_CODE_COLUMNS.items():
        frame = tables[table]
        for text_column, codes in columns.items():
            for english, structured in zip(frame[text_column], frame[codes]):
                items = json.loads(structured)
                keys |= {item["key"] for item in items}
                assert english == render_reasons(items, "en")
            finnish = reasons_text(frame, table, text_column, "fi")
            assert not finnish.str.contains("interviewees|participants voicing|spoke to the goal|discuss it").any()
            assert not finnish.str.contains(r"\b[a-z]+_[a-z_]+\b").any()          # no configuration key
    assert {"coverage", "below_min_coverage", "scope_challenged", "coverage_confirmed", "silent_subcodes",
            "flag_catch_all", "flag_silent_subcodes", "goal_voices", "goal_unsupported",
            "perspective_descriptive"} <= keys
    t2 = themes.set_index("theme").loc["T2"]
    assert json.loads(t2["reason_codes"])[0] == {"key": "coverage", "n": 4, "of": 4, "share": 1.0}
    assert reasons_text(themes, "theme_validation", "reasons", "fi").iloc[1].startswith(
        "4/4 haastateltavaa puhui teemasta (100 %); 2/8 teemasta puhuneesta pitää sitä kaatoluokkana")
    # tables of an older build have only the English text: it is shown as written
    old = themes.drop(columns=list(REASON_CODE_COLUMNS["theme_validation"].values()))
    assert reasons_text(old, "theme_validation", "reasons", "fi").tolist() == themes["reasons"].tolist()


def test_signal_hits_match_lemma_sequences_and_negation():
    seq = [frozenset({w}) for w in "se ei olla realistinen".split()]
    assert signal_hits(seq, ["ei realistinen"]) == ["ei realistinen"]   # one word between "ei" and the word
    assert signal_hits(seq, ["liian laaja"]) == []
    stance, _, hits = validation.goal_stance(frozenset({"TAVOITE"}), seq, P.AnalysisParams())
    assert stance == "question" and hits["support"] == []               # the doubt cancels "realistinen"


def test_triangulation_shares_and_strength():
    inputs = _corpus()
    out = triangulation.triangulate(inputs, P.AnalysisParams(), ["interview", "comment"])
    stage = out["triangulation_stage"].set_index(["theme", "stage"])
    n_interview = (inputs.segments["stage"] == "interview").sum()
    assert stage.loc[("T3", "interview"), "n_segments"] == 3
    assert stage.loc[("T3", "interview"), "share_segments"] == pytest.approx(3 / n_interview)
    assert stage.loc[("T3", "interview"), "share_participants"] == pytest.approx(3 / 4)
    support = out["theme_support"].set_index("theme")
    assert support.loc["T3", "strength"] == "single_method"
    co = out["theme_cooccurrence"].set_index(["theme_a", "theme_b"])
    assert co.loc[("T1", "T2"), "n_segments"] == 0


# --- topics ----------------------------------------------------------------------------------------------

def _topic_corpus():
    """Four well-separated clusters of 16 segments; the third has no theme code (a gap in the codebook), the
    fourth no code at all (small talk)."""
    rng = np.random.default_rng(1)
    vocab = [["matkailu", "turisti", "hotelli", "rinne"], ["asunto", "vuokra", "tontti", "rakentaa"],
             ["sähkökatko", "varavoima", "vesihuolto", "ambulanssi"], ["pulla", "kahvi", "kiitos", "nauhuri"]]
    codes = ["T1", "T2", "HAASTE", ""]
    dim, rows, vectors = 12, [], []
    for c in range(4):
        centre = np.zeros(dim)
        centre[c] = 5.0
        for k in range(16):
            words = " ".join(rng.choice(vocab[c], 5))
            rows.append((f"S{c}-{k:02d}", f"P{c}{k % 5}", "yrittäjä", "interview", codes[c], words))
            vectors.append(centre + rng.normal(scale=0.3, size=dim))
    inputs = _inputs(rows, dim=dim)
    v = np.array(vectors)
    inputs.vectors = v / np.linalg.norm(v, axis=1, keepdims=True)
    return inputs


@pytest.mark.integration
@pytest.mark.filterwarnings("ignore")
def test_topics_are_deterministic_and_find_the_uncoded_cluster():
    inputs = _topic_corpus()
    params = P.AnalysisParams(min_words=3, min_topic_size=6, umap_neighbors=8, cluster_selection="eom")
    first, assign_first, sentences_first = topics.topics(inputs, params)
    second, assign_second, sentences_second = topics.topics(inputs, params)
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(assign_first, assign_second)
    pd.testing.assert_frame_equal(sentences_first, sentences_second)
    real = first[first["topic_id"] >= 0]
    assert len(real) == 4
    small_talk = real[real["top_terms"].str.contains("pulla")].iloc[0]
    assert small_talk["coded_share"] == 0 and small_talk["no_theme_share"] == 1 and not small_talk["emergent"]
    emergent = real[real["emergent"]]
    assert len(emergent) == 1
    row = emergent.iloc[0]
    assert set(row["top_terms"].split(";")[:4]) == {"sähkökatko", "varavoima", "vesihuolto", "ambulanssi"}
    assert row["n_participants"] == 5 and row["best_theme_overlap"] == 0
    assert set(real.loc[~real["emergent"] & (real["coded_share"] > 0), "best_code"]) == {"T1", "T2"}
    assert set(assign_first["segment_id"]) == set(inputs.segments["segment_id"])


def test_topic_size_thresholds_scale_with_the_corpus():
    params = P.AnalysisParams()
    small, large = topics.scaled_sizes(700, 100, params), topics.scaled_sizes(7000, 1000, params)
    assert small == {"min_cluster_size": 5, "min_samples": 3, "umap_neighbors": 10, "emergent_min_participants": 3}
    assert large["min_cluster_size"] == 18 and large["emergent_min_participants"] == 30
    assert large["min_samples"] == round(18 * 3 / 5) and large["umap_neighbors"] == 18
    # a segment takes the topic most of its units belong to; outliers only when every unit is one
    topic_of, prob = topics.segment_topics(np.array([0, 0, 0, 1, 1, 2]), np.array([3, 5, 5, -1, -1, -1]),
                                           np.array([0.9, 0.5, 0.7, 1.0, 1.0, 0.2]), np.array([0, 1, 2]))
    assert list(topic_of) == [5, -1, -1] and prob[0] == pytest.approx(0.6)
    # persistence: the share of runs with a cluster holding half the topic, half of it the topic's
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, -1])
    runs = [labels, np.array([2, 2, 2, 5, 3, 3, 3, 3, 3]), np.array([1, 1, -1, -1, 0, -1, -1, -1, 0])]
    assert topics.persistence(labels, runs) == {0: 1.0, 1: pytest.approx(2 / 3)}


# --- parameters and the command line -------------------------------------------------------------------

def test_params_from_report_and_command_line():
    params = P.resolve_params({"min_coverage": 0.2, "language": "fi"}, {"scope_min_participants": "4"})
    assert params.min_coverage == 0.2 and params.scope_min_participants == 4
    with pytest.raises(InputError, match="unknown analysis parameter"):
        P.resolve_params({}, {"no_such": "1"})
    with pytest.raises(InputError, match="'many' is not a whole number"):
        P.resolve_params({}, {"bootstrap": "many"})
    with pytest.raises(InputError, match="between 0 and 1"):
        P.resolve_params({}, {"min_coverage": "2"})
    assert P.resolve_params({}, {"scope_signals": "kaatoluokka, sekava,"}).scope_signals == ("kaatoluokka", "sekava")


def test_report_parameter_errors_name_the_line_what_was_expected_and_the_default(tmp_path):
    from codesign.core.yamlio import load_yaml

    path = tmp_path / "project.yml"
    path.write_text("name: x\nreport:\n  language: fi\n  topic_runs: 0\n  cluster_selection: kmeans\n"
                    "  min_coverage: yes\n", encoding="utf-8")
    report = load_yaml(path)["report"]
    with pytest.raises(InputError) as err:
        P.resolve_params(report, where=str(path))
    assert err.value.line == 4 and "'topic_runs': 0 is not a whole number (1 or more) (and 2 more" in str(err.value)
    assert "the default is 5" in err.value.hint
    del report["topic_runs"]
    with pytest.raises(InputError, match="one of 'leaf', 'eom'") as err:
        P.resolve_params(report, where=str(path))
    assert err.value.line == 5
    del report["cluster_selection"]
    with pytest.raises(InputError, match="True is not a share between 0 and 1") as err:   # YAML's yes
        P.resolve_params(report, where=str(path))
    assert err.value.line == 6
    report["min_coverage"] = 0.6                                                           # above confirm 0.5
    with pytest.raises(InputError, match="min_coverage .* must not exceed confirm_coverage") as err:
        P.resolve_params(report, where=str(path))
    assert err.value.line == 6                                                             # min_coverage's


def test_unknown_report_key_warns_with_line_and_closest_name(tmp_path, caplog):
    from codesign.core.yamlio import load_yaml

    path = tmp_path / "project.yml"
    path.write_text("name: x\nreport:\n  language: fi\n  min_coverag: 0.2\n  zzz_qqq: 1\n", encoding="utf-8")
    report = load_yaml(path)["report"]
    with caplog.at_level("WARNING", logger="codesign.analysis.params"):
        params = P.resolve_params(report, where=str(path))
    assert params.min_coverage == P.AnalysisParams().min_coverage       # ignored, but not silently
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"{path}, line 4" in m and "'min_coverag'" in m and "did you mean 'min_coverage'" in m
               for m in messages)
    assert any("'zzz_qqq'" in m and "line 5" in m for m in messages)
    assert not any("'language'" in m for m in messages)                 # a notebook parameter


def test_deliverables_read_the_contract_columns_defined_once():
    from codesign.analysis import ARTIFACTS
    from codesign.analysis import tables as analysis_tables
    from codesign.analysis.columns import CONTRACT
    from codesign.core import i18n

    assert analysis_tables.COLUMNS is CONTRACT and set(CONTRACT) == set(ARTIFACTS)
    assert validation.GOAL_COLUMNS == CONTRACT["goal_validation"] == analysis_tables.COLUMNS["goal_validation"]
    assert i18n.verdict_label("insufficient_evidence", "en") == "insufficient evidence"


def test_analyse_without_build_tells_what_to_run(tiny_project, capsys):
    assert main(["analyse", str(tiny_project)]) == 2
    err = capsys.readouterr().err
    assert "segments.parquet" in err and "codesign ingest" in err


def test_analyse_rejects_an_unknown_parameter(tiny_project, capsys):
    assert main(["analyse", str(tiny_project), "-p", "min_coverag", "0.3"]) == 2
    assert "unknown analysis parameter 'min_coverag'" in capsys.readouterr().err
