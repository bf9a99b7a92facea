"""Follow-up data for notebook 06: where the filled-in workbooks are, and indicators' progress to target."""
from __future__ import annotations

import importlib.util
import shutil

import pandas as pd
import pytest
from conftest import DEMO

from codesign.core.programme import project_programme
from codesign.core.project import load_project
from codesign.outputs.followup import FOLLOWUP_DIR, followup_workbook, indicator_progress
from codesign.outputs.templates import read_monitoring


@pytest.fixture(scope="module")
def demo_programme():
    return project_programme(load_project(DEMO))


def test_no_followup_folder_is_no_data_not_an_error(tiny_project):
    project = load_project(tiny_project)
    assert followup_workbook(project) is None
    (tiny_project / FOLLOWUP_DIR).mkdir()
    (tiny_project / FOLLOWUP_DIR / "notes.txt").write_text("not a workbook", encoding="utf-8")
    assert followup_workbook(project) is None


def test_the_last_workbook_by_name_is_the_current_one(tiny_project):
    folder = tiny_project / FOLLOWUP_DIR
    folder.mkdir()
    for name in ("seuranta_2025.xlsx", "seuranta_2024.xlsx", "~$seuranta_2026.xlsx"):   # ~$: Excel's lock file
        (folder / name).write_bytes(b"")
    assert followup_workbook(load_project(tiny_project)).name == "seuranta_2025.xlsx"


def test_indicator_progress_is_the_share_of_the_way_from_baseline_to_target(demo_programme):
    follow_up = pd.DataFrame([
        {"kind": "indicator", "id": "T1.G1", "theme": "T1", "year": 2025, "value": 29.5, "status": None},  # 24 → 35
        {"kind": "indicator", "id": "T1.G1", "theme": "T1", "year": 2024, "value": 22.9, "status": None},
        {"kind": "indicator", "id": "T4.G3", "theme": "T4", "year": 2024, "value": None, "status": "osittain"},
        {"kind": "action", "id": "T1.A1", "theme": "T1", "year": 2024, "value": None, "status": "valmis"},
    ])
    progress = indicator_progress(demo_programme, follow_up)
    assert progress["goal_id"].tolist() == ["T1.G1", "T1.G1"] and progress["year"].tolist() == [2024, 2025]
    assert progress["progress"].tolist() == pytest.approx([-0.1, 0.5])   # a fall below the baseline is negative
    assert progress.loc[1, ["baseline", "target", "target_year"]].tolist() == [24, 35, 2028]


def test_demo_followup_workbook_is_reproducible_and_reads_back(tmp_path, demo_programme):
    spec = importlib.util.spec_from_file_location("make_followup", DEMO / "tools" / "make_followup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generated = module.main(tmp_path / "seuranta_2025.xlsx")

    copy = tmp_path / "demo"
    shutil.copytree(DEMO, copy, ignore=shutil.ignore_patterns("build", "raw", ".cache"))
    project = load_project(copy)
    follow_up = read_monitoring(followup_workbook(project), project)
    # the script fills in the same values as the committed file (the template around them may have grown since:
    # a workbook of an earlier template still reads back)
    again = read_monitoring(generated, project)
    assert again.drop(columns="cell").equals(follow_up.drop(columns="cell"))
    assert set(follow_up["year"]) == {2024, 2025}
    assert set(follow_up.loc[follow_up["kind"] == "indicator", "id"]) == {g.id for g in demo_programme.goals}
    assert set(follow_up.loc[follow_up["kind"] == "action", "id"]) == {a.id for a in demo_programme.actions}
    progress = indicator_progress(demo_programme, follow_up)
    assert len(progress) == 2 * sum(g.measurable and g.baseline is not None and g.target is not None
                                    for g in demo_programme.goals)
    assert progress["progress"].between(-0.1, 1).all()
