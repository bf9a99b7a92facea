"""What rests on machine codes: their share of the final codes and their measured agreement with human codes.

A report that uses codings says how much of it the machine decided and how far that can be trusted. Both
figures come from ``build/codings.parquet``: the final codes by source, and the cross-fitted machine codes of
the human-coded segments (made by a coder that did not see those segments' codes) against the human codes.
The verdict-stability check (theme and goal verdicts from human codes alone vs human + machine) is computed
by the analysis (``codesign.analysis.machine_codes``) and written beside it.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

#: The coder's agreement measured on independent material with no human codes (written by
#: benchmarks/bench_learning_curve.py; quoted where a project has no human codes to measure it on).
MEASURED = Path(__file__).with_name("measured.json")


def machine_code_summary(codings: pd.DataFrame, human_ids: set[str], codes: list[str],
                         themes: list[str], n_segments: int | None = None) -> dict:
    """Share of the final codes (of ``codes``: themes and statement types) that are machine codes, and the
    agreement (Cohen's κ per code) of the cross-fitted machine codes with the human codes on ``human_ids``
    (the segments with a human coding; their codes from the human rows of ``codings``). ``n_segments``: the
    participant segments (default: those with any code or a human coding)."""
    from codesign.coding.agreement import agreement_table

    final = codings[codings["final"] & codings["code"].isin(codes)]
    theme_final = final[final["code"].isin(themes)]
    segments = len(set(codings["segment_id"]) | set(human_ids)) if n_segments is None else n_segments
    out = {
        "final_codes": int(len(final)),
        "machine_final_codes": int((final["source"] == "machine").sum()),
        "machine_share": float((final["source"] == "machine").mean()) if len(final) else float("nan"),
        "theme_machine_share": float((theme_final["source"] == "machine").mean()) if len(theme_final)
        else float("nan"),
        "human_segments": int(len(human_ids)),
        "segments": int(segments),
        "agreement": None,
    }
    if len(human_ids) >= 2:
        ids = sorted(human_ids)
        human = codings[(codings["source"] == "human") & codings["code"].isin(codes)]
        crossed = codings[(codings["source"] == "machine") & ~codings["final"] & codings["code"].isin(codes)]

        def coding(rows: pd.DataFrame) -> pd.DataFrame:
            given = rows.groupby("segment_id")["code"].apply(lambda c: ";".join(sorted(c)))
            return pd.DataFrame({"segment_id": ids, "codes": [given.get(s, "") for s in ids]})

        table = agreement_table(coding(human), coding(crossed), codes)
        kappas = {c: (None if np.isnan(k) else round(float(k), 3)) for c, k in table["kappa"].items()}
        theme_kappas = [k for c, k in kappas.items() if c in themes and k is not None]
        out["agreement"] = {"n": len(ids), "kappa": kappas,
                            "mean_theme_kappa": round(float(np.mean(theme_kappas)), 3) if theme_kappas else None}
    return out


def measured_reliability() -> dict | None:
    """The benchmark's figures for a coder with no human codes (``measured.json``), or None."""
    if not MEASURED.is_file():
        return None
    return json.loads(MEASURED.read_text(encoding="utf-8"))
