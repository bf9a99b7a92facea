"""The logic behind the report notebooks (codesign.outputs.views, report, explore), checked here instead of in
assert cells in the reader's path: on the coded fixture project of report_fixture, analysed by the real
analytics, so every count is known or follows from the tables."""
from __future__ import annotations

import pandas as pd
import pytest
from report_fixture import CODES

from codesign.outputs import explore
from codesign.outputs.report import Report
from codesign.outputs.views import InterviewView, MonitoringView, SurveyView, SynthesisView


@pytest.fixture(scope="module")
def project(report_project):
    return report_project


@pytest.fixture(scope="module")
def report(project):
    return Report("04_interviews", project, "fi")


def test_survey_view_names_small_groups_and_keeps_every_alternative(project):
    r = Report("02_survey", project, "fi")
    view = SurveyView(r)
    small_n = view.used["small_n"]
    for group in view.group_ids:
        n = int(view.priorities.loc[view.priorities["group"] == group, "n_respondents"].max())
        assert ("pieni ryhmä" in view.group_names[group]) == (n < small_n), group
    ranked = view.ranked_table()
    assert ranked[r.t("col.position")].tolist() == list(range(1, len(ranked) + 1))
    assert all("," in v or v == "" for v in ranked[r.t("col.mean_rank")])           # decimal comma
    choice = view.choice_table()
    assert set(choice[r.t("col.alternative")]) == {a.label for a in r.project.alternatives}
    assert set(choice[r.t("col.chosen")]) <= {"kyllä", "ei"}
    shares = view.likert_all().groupby("alternative")["share"].sum()
    assert ((shares - 1).abs() < 0.011).all()          # don't know and missing answers are counted, not dropped


def test_interview_view_one_row_per_theme_and_goal_with_names(report):
    view = InterviewView(report)
    themes = view.theme_table()
    assert len(themes) == view.validation["theme"].nunique() and themes[report.t("col.reasons")].str.len().gt(0).all()
    goals = view.goal_table()
    assert len(goals) == view.goals["goal_id"].nunique()
    assert all(name.split(" ", 1)[0] in set(view.goals["goal_id"]) and " " in name
               for name in goals[report.t("col.goal")])                                  # id with its name
    persp = view.perspective_table()
    small = view.perspective["n_interviewees"] < view.used["perspective_min_n"]
    assert (persp.loc[small.values, report.t("col.test")] == "kuvaileva").all()
    assert (persp.loc[small.values, report.t("col.p_value")] == "").all()               # described, not tested
    corpus_ids = set(explore.corpus(report.project)["segment_id"])
    for _verdict, subjects in view.ledger_by_verdict(2, 0):
        for _name, quoted in subjects:
            assert set(quoted["segment_id"]) <= corpus_ids


def test_synthesis_view_leaves_stages_without_known_participants_blank(project):
    r = Report("05_synthesis", project, "fi")
    view = SynthesisView(r)
    stages = view.tables["triangulation_stage"]
    anonymous = set(stages.groupby("stage")["n_participants"].max().loc[lambda s: s == 0].index)
    assert "workshop2" in anonymous                      # the fixture's canvas notes carry no author
    from codesign.outputs.plots import known_shares

    shares = known_shares(view.by_stage(), "stage")
    assert shares.loc[shares["stage"] == "workshop2", "share_participants"].isna().all()
    assert shares.loc[shares["stage"] != "workshop2", "share_participants"].between(0, 1).all()
    assert any("nimettömiä" in line for line in view.key_findings())


def test_monitoring_view_lists_every_goal_and_action_once(project):
    r = Report("06_monitoring", project, "fi")
    view = MonitoringView(r)
    goals, actions = view.goal_table(), view.action_table()
    assert len(goals) == len(view.programme.goals) and len(actions) == len(view.programme.actions)
    assert view.voices["share"].between(0, 1).all()
    known = set(pd.read_parquet(project / "build" / "segments.parquet")["segment_id"])
    assert all(s in known for ids in view.voices["segment_ids"] for s in ids.split(";") if s)


def test_quotes_carry_their_segment_ids(project):
    data = explore.corpus(project)
    quoted = explore.quotes(explore.select(data, stages=["workshop2"]), n=3, seed=0)
    assert set(quoted["segment_id"]) <= set(CODES) and all(
        q.endswith(f"({sid})") for q, sid in zip(quoted["quote"], quoted["segment_id"]))


def test_figures_of_material_a_project_does_not_have_are_empty_not_errors():
    """A project without a first workshop or without survey rankings and ratings: the reports' figures draw
    an empty frame with a dash (as the heatmaps already did), where pandas and seaborn raised errors that
    failed two whole reports on the independent material."""
    from codesign.outputs import plots

    counts = pd.DataFrame(columns=["prompt", "group", "n_segments"])
    likert = pd.DataFrame(columns=["label", "answer", "share"])
    priorities = pd.DataFrame(columns=["group", "position", "label", "top3_share", "top3_low", "top3_high"])
    for fig in (plots.stacked_counts(counts, "prompt", "group", title="Muistilaput"),
                plots.likert_distribution(likert, {}, title="Tärkeysarviot"),
                plots.survey_priorities(priorities, "Vaihtoehdot", "osuus")):
        (ax,) = fig.axes
        assert [t.get_text() for t in ax.texts] == ["–"] and not ax.patches and ax.get_title()
