"""Verdict stability: do the theme and goal verdicts rest on the machine codes?

The validation is run a second time on the human-coded segments alone (as if the material were only what a
person coded) and each verdict is compared with the one from every segment with human + machine codes (the
verdicts the reports show). Where they are the same, the human-coded sample says what the whole material says;
where they differ, the verdict rests on the machine codes (or on the material no person coded). The comparison
can be made when some segments are human-coded and some are not.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from codesign.analysis.columns import STABILITY_COLUMNS
from codesign.analysis.inputs import AnalysisInputs
from codesign.analysis.params import AnalysisParams

#: The per-segment fields of ``AnalysisInputs`` beside ``segments`` (same order), sliced with it.
PER_SEGMENT = ("lemmas", "lemma_sets", "lemma_seqs", "vectors", "questions", "topic_vectors")


def human_only(inputs: AnalysisInputs) -> AnalysisInputs:
    """The inputs restricted to the segments with a human coding (``human_coded`` column)."""
    keep = inputs.segments["human_coded"].to_numpy(dtype=bool)
    sliced = {}
    for name in PER_SEGMENT:
        value = getattr(inputs, name)
        if value is not None:
            sliced[name] = value[keep] if hasattr(value, "shape") else [v for v, k in zip(value, keep) if k]
    return dataclasses.replace(inputs, segments=inputs.segments[keep].reset_index(drop=True), **sliced)


def verdict_stability(inputs: AnalysisInputs, params: AnalysisParams, tables: dict[str, pd.DataFrame]
                      ) -> pd.DataFrame:
    """One row per theme and goal: its verdict from human + machine codes (``tables``), from human codes alone,
    and whether they are the same. Empty when the comparison cannot be made (no human codes, or no machine
    codes deciding any segment)."""
    from codesign.analysis import validation

    seg = inputs.segments
    human = seg["human_coded"] if "human_coded" in seg else pd.Series(False, index=seg.index)
    if not human.any() or human.all():
        return pd.DataFrame(columns=STABILITY_COLUMNS)
    alone = human_only(inputs)
    ledger = validation.Ledger(params)
    subcodes = validation.subcode_coverage(alone, params)
    persp = validation.perspective(alone, params)
    themes = validation.validate_themes(alone, params, tables["topics"], tables.get("survey_priorities"), persp,
                                        subcodes, ledger)
    goals = validation.validate_goals(alone, params, ledger)
    rows = []
    for kind, table, key, own in (("theme", tables["theme_validation"], "theme", themes),
                                  ("goal", tables["goal_validation"], "goal_id", goals)):
        only = dict(zip(own[key].astype(str), own["verdict"].astype(str)))
        for subject, verdict in zip(table[key].astype(str), table["verdict"].astype(str)):
            rows.append({"subject_type": kind, "subject": subject, "verdict": verdict,
                         "verdict_human_only": only.get(subject, ""), "same": verdict == only.get(subject)})
    return pd.DataFrame(rows, columns=STABILITY_COLUMNS)


def stability_summary(table: pd.DataFrame) -> dict:
    """Counts for the report: per kind, how many verdicts were compared and how many are the same."""
    if table.empty:
        return {"compared": False}
    out: dict = {"compared": True}
    for kind, label in (("theme", "themes"), ("goal", "goals")):
        rows = table[table["subject_type"] == kind]
        out[label] = {"compared": int(len(rows)), "same": int(rows["same"].sum()),
                      "differ": rows.loc[~rows["same"].astype(bool), "subject"].tolist()}
    return out
