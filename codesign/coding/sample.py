"""A hand-coded sample drawn from a full coding: the realistic start of a project, reproducibly.

A designer starts with a codebook and a few coded interviews, not with everything coded. To show (and measure)
that path on a project with a full coding, :func:`sample_coding` draws what a designer would have coded by
hand: a few whole interviews and a share of every other source (workshop notes, survey answers, comments),
stratified by source and seeded; the full coding stays as the project's ``evaluation_coding:``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def sample_coding(coding: pd.DataFrame, segments: pd.DataFrame, interviews: int = 2, share: float = 0.15,
                  seed: int = 0) -> pd.DataFrame:
    """The rows of ``coding`` a designer would have coded by hand first.

    Parameters
    ----------
    coding : DataFrame
        The full coding (``segment_id``, ``codes`` …).
    segments : DataFrame
        The project's segment table (``segment_id``, ``source_id``, ``stage``); only segments the coding covers
        are drawn.
    interviews : int
        Whole interviews (sources of stage ``interview``) in the sample, drawn at random.
    share : float
        Of every other source, this share of its coded segments (rounded, at least one), drawn at random.
    seed : int
        Random seed: the same inputs and seed give the same sample.

    Returns
    -------
    DataFrame
        The sampled rows of ``coding`` in their original order.
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, not {share}")
    rng = np.random.default_rng(seed)
    covered = segments[segments["segment_id"].isin(set(coding["segment_id"]))]
    chosen: set[str] = set()
    interview_sources = sorted(covered.loc[covered["stage"] == "interview", "source_id"].unique())
    picked = rng.choice(interview_sources, size=min(interviews, len(interview_sources)), replace=False) \
        if interview_sources else []
    chosen |= set(covered.loc[covered["source_id"].isin(set(picked)), "segment_id"])
    others = covered[covered["stage"] != "interview"]
    for source in sorted(others["source_id"].unique()):
        ids = sorted(others.loc[others["source_id"] == source, "segment_id"])
        n = max(1, int(round(share * len(ids)))) if share > 0 else 0
        chosen |= set(rng.choice(ids, size=min(n, len(ids)), replace=False))
    return coding[coding["segment_id"].isin(chosen)].reset_index(drop=True)
