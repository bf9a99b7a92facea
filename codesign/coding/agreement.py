"""Agreement between two codings of the same segments (multi-label, segment level).

A coding is a table with ``segment_id`` and ``codes`` (``;``-separated code ids, empty for none). Each code
is treated as a binary decision per segment: Cohen's κ, Krippendorff's α (nominal), percent agreement and,
taking the first coding as the reference, precision, recall and F1.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from codesign.core.errors import InputError


def read_coding(path: Path | str, project=None) -> pd.DataFrame:
    """A coding CSV (``segment_id,codes``) as a DataFrame; clear errors for duplicates and bad headers.

    A REFI-QDA project file (``.qdpx``) is read as a coding too: its selections are mapped onto the
    segments of ``project`` (default: the bundled demo), see ``codesign.outputs.qdpx.import_qdpx``.
    """
    path = Path(path)
    if path.suffix.lower() == ".qdpx":
        from codesign.outputs.qdpx import import_qdpx
        return import_qdpx(path, project).coding_table()
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(path, f"cannot read the coding ({exc})", hint="a UTF-8 CSV with segment_id,codes") from None
    for column in ("segment_id", "codes"):
        if column not in frame.columns:
            raise InputError(path, f"no column {column!r}", line=1, hint="the header must be segment_id,codes")
    duplicated = frame["segment_id"].duplicated()
    if duplicated.any():
        first = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise InputError(path, f"segment {frame['segment_id'].iloc[first]!r} is coded twice", line=first + 2)
    return frame[["segment_id", "codes"]]


def indicator_matrix(coding: pd.DataFrame, segment_ids: list[str], codes: list[str]) -> pd.DataFrame:
    """segments × codes of 0/1."""
    sets = {row.segment_id: {c for c in row.codes.split(";") if c} for row in coding.itertuples()}
    return pd.DataFrame([[int(c in sets.get(s, set())) for c in codes] for s in segment_ids],
                        index=segment_ids, columns=codes)


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's κ for two binary vectors; NaN when both coders agree that the code never (or always) applies."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    observed = float(np.mean(a == b))
    pa, pb = a.mean(), b.mean()
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected == 1.0:
        return float("nan")
    return (observed - expected) / (1 - expected)


def agreement_table(first: pd.DataFrame, second: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Per code, on the segments both codings cover: n, prevalence in each, %, κ, α, precision, recall, F1."""
    import krippendorff

    common = sorted(set(first["segment_id"]) & set(second["segment_id"]))
    if not common:
        raise ValueError("the two codings share no segment")
    a = indicator_matrix(first, common, codes)
    b = indicator_matrix(second, common, codes)
    rows = []
    for code in codes:
        x, y = a[code].to_numpy(), b[code].to_numpy()
        tp = int(((x == 1) & (y == 1)).sum())
        precision = tp / y.sum() if y.sum() else float("nan")
        recall = tp / x.sum() if x.sum() else float("nan")
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else float("nan")
        alpha = krippendorff.alpha(reliability_data=np.vstack([x, y]), level_of_measurement="nominal") \
            if len(set(x) | set(y)) > 1 else float("nan")
        rows.append({"code": code, "n": len(common), "first_n": int(x.sum()), "second_n": int(y.sum()),
                     "percent_agreement": float(np.mean(x == y)), "kappa": cohen_kappa(x, y),
                     "alpha": float(alpha), "precision": precision, "recall": recall, "f1": f1})
    return pd.DataFrame(rows).set_index("code")
