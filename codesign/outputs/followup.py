"""Follow-up of the programme: where a project keeps its filled-in monitoring workbooks, and how far each
indicator has come from its baseline toward its target.

Convention: the goal owners' filled-in copies of ``build/templates/seurantapohja.xlsx`` are saved as
``PROJECT/followup/*.xlsx``; the last one by file name (e.g. ``seuranta_2025.xlsx``) is the current one,
since each year's workbook carries the earlier years too. No folder or no workbook means no follow-up
data yet, which is a normal state of a new programme, not an error.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from codesign.core.project import Project

FOLLOWUP_DIR = "followup"
PROGRESS_COLUMNS = ["goal_id", "theme", "year", "value", "baseline", "target", "target_year", "progress",
                    "expected", "on_track"]


def followup_workbook(project: Project) -> Path | None:
    """The current follow-up workbook of ``project`` (``followup/*.xlsx``, last by name), or None."""
    folder = project.root / FOLLOWUP_DIR
    books = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$")) if folder.is_dir() else []
    return books[-1] if books else None


def indicator_progress(programme, follow_up: pd.DataFrame, decisions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (measurable goal, reported year): the value and ``progress``, the share of the way from
    the baseline (0) to the target (1); negative when the indicator moved away from the target; ``expected``,
    the share a straight path from the baseline year to the target year would have reached by then, and
    ``on_track`` (progress ≥ expected). Goals without a numeric baseline and target are left out. A target the
    committee revised (``decisions``, ``codesign.outputs.templates.read_decisions``) replaces the programme's."""
    from dataclasses import replace

    goals = {g.id: g for g in programme.goals}
    if decisions is not None:
        for row in decisions[decisions["revised_target"].notna()].itertuples():
            if row.goal_id in goals:
                goals[row.goal_id] = replace(goals[row.goal_id], target=float(row.revised_target))
    rows = []
    for row in follow_up[(follow_up["kind"] == "indicator") & follow_up["value"].notna()].itertuples():
        goal = goals.get(row.id)
        if goal is None or goal.baseline is None or goal.target is None or goal.target == goal.baseline:
            continue
        progress = (float(row.value) - goal.baseline) / (goal.target - goal.baseline)
        expected = float("nan")
        if goal.baseline_year is not None and goal.target_year is not None and goal.target_year > goal.baseline_year:
            span = goal.target_year - goal.baseline_year
            expected = min(1.0, max(0.0, (int(row.year) - goal.baseline_year) / span))
        rows.append({"goal_id": goal.id, "theme": goal.theme, "year": int(row.year), "value": float(row.value),
                     "baseline": goal.baseline, "target": goal.target, "target_year": goal.target_year,
                     "progress": progress, "expected": expected,
                     "on_track": bool(expected == expected and progress >= expected - 1e-9)})
    return pd.DataFrame(rows, columns=PROGRESS_COLUMNS).sort_values(["goal_id", "year"]).reset_index(drop=True)
