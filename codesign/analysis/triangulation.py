"""Triangulation: where each theme is voiced — by stage, by stakeholder group — and with which themes.

Counts use the final theme codes of participants' segments. Shares are within the stage (or group):
``share_segments`` = the theme's segments / all participant segments of the stage, ``share_participants``
= distinct participants voicing the theme / distinct known participants of the stage.
"""
from __future__ import annotations

from itertools import combinations

import pandas as pd

from codesign.analysis.columns import COOCCURRENCE_COLUMNS, GROUP_COLUMNS, STAGE_COLUMNS
from codesign.analysis.columns import SUPPORT_COLUMNS as _SUPPORT_CONTRACT
from codesign.analysis.inputs import AnalysisInputs
from codesign.analysis.params import AnalysisParams

SUPPORT_COLUMNS = _SUPPORT_CONTRACT + ["stages", "groups"]


def theme_long(inputs: AnalysisInputs) -> pd.DataFrame:
    """One row per (segment, theme) of the final coding, with the segment's stage, group and participant."""
    seg = inputs.segments
    themes = set(inputs.theme_ids)
    rows = [(i, t) for i, codes in enumerate(seg["codes"]) for t in sorted(codes & themes)]
    idx = [i for i, _ in rows]
    out = seg.iloc[idx][["segment_id", "stage", "group", "participant"]].reset_index(drop=True)
    out["theme"] = [t for _, t in rows]
    return out


def _matrix(inputs: AnalysisInputs, long: pd.DataFrame, by: str, levels: list[str]) -> pd.DataFrame:
    seg = inputs.segments
    rows = []
    for level in levels:
        in_level = seg[seg[by] == level]
        n_seg, n_people = len(in_level), in_level["participant"].dropna().nunique()
        for theme in inputs.theme_ids:
            cell = long[(long[by] == level) & (long["theme"] == theme)]
            k, p = len(cell), cell["participant"].dropna().nunique()
            rows.append({"theme": theme, by: level, "n_segments": k, "n_participants": p,
                         "share_segments": k / n_seg if n_seg else 0.0,
                         "share_participants": p / n_people if n_people else 0.0})
    return pd.DataFrame(rows)


def triangulate(inputs: AnalysisInputs, params: AnalysisParams, stage_order: list[str]) -> dict[str, pd.DataFrame]:
    long = theme_long(inputs)
    seg = inputs.segments
    stages = [s for s in stage_order if (seg["stage"] == s).any()]
    groups = sorted(seg["group"].dropna().unique())
    by_stage = _matrix(inputs, long, "stage", stages)[STAGE_COLUMNS]
    by_group = _matrix(inputs, long, "group", groups)[GROUP_COLUMNS]

    sets = {t: set(long.loc[long["theme"] == t, "segment_id"]) for t in inputs.theme_ids}
    co = []
    for a, b in combinations(inputs.theme_ids, 2):
        both, either = len(sets[a] & sets[b]), len(sets[a] | sets[b])
        co.append({"theme_a": a, "theme_b": b, "n_segments": both, "jaccard": both / either if either else 0.0})

    support = []
    for theme in inputs.theme_ids:
        voiced_stages = by_stage[(by_stage["theme"] == theme) & (by_stage["n_segments"] >= params.stage_min_segments)]
        voiced_groups = by_group[(by_group["theme"] == theme)
                                 & (by_group["n_participants"] >= params.group_min_participants)]
        n_stages, n_groups = len(voiced_stages), len(voiced_groups)
        if n_stages >= params.strong_min_stages and n_groups >= params.strong_min_groups:
            strength = "strong"
        elif n_stages <= 1:
            strength = "single_method"
        elif n_groups <= 1:
            strength = "single_group"
        else:
            strength = "weak"
        support.append({"theme": theme, "n_stages": n_stages, "n_groups": n_groups, "strength": strength,
                        "stages": ";".join(voiced_stages["stage"]), "groups": ";".join(voiced_groups["group"])})
    return {"triangulation_stage": by_stage, "triangulation_group": by_group,
            "theme_cooccurrence": pd.DataFrame(co, columns=COOCCURRENCE_COLUMNS),
            "theme_support": pd.DataFrame(support, columns=SUPPORT_COLUMNS)}
