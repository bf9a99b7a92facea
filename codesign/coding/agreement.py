"""Agreement between two codings of the same segments (multi-label, segment level).

A coding is a table with ``segment_id`` and ``codes`` (``;``-separated code ids, empty for none). Each code
is treated as a binary decision per segment: Cohen's κ, Krippendorff's α (nominal), percent agreement and,
taking the first coding as the reference, precision, recall and F1 (κ, precision, recall and F1 from
scikit-learn). :func:`disagreements` lists the segments where the two differ, which is what coders discuss.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from codesign.core.errors import InputError

DISAGREEMENT_COLUMNS = ["segment_id", "code", "first", "second", "first_codes", "second_codes", "text"]


def read_coding(path: Path | str, project=None) -> pd.DataFrame:
    """A coding CSV (``segment_id,codes``) as a DataFrame; clear errors for duplicates and bad headers.

    Further columns (``coder``, ``date`` of a reviewed code, see ``codesign review``) are kept. A REFI-QDA
    project file (``.qdpx``) is read as a coding too: its selections are mapped onto the segments of
    ``project`` (default: the bundled demo), see ``codesign.outputs.qdpx.import_qdpx``.
    """
    path = Path(path)
    if path.suffix.lower() == ".qdpx":
        from codesign.outputs.qdpx import import_qdpx
        return import_qdpx(path, project).coding_table()
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, f"cannot read the coding ({exc})", hint="a UTF-8 CSV with segment_id,codes") from None
    for column in ("segment_id", "codes"):
        if column not in frame.columns:
            raise InputError(path, f"no column {column!r}", line=1, hint="the header must be segment_id,codes")
    duplicated = frame["segment_id"].duplicated()
    if duplicated.any():
        first = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise InputError(path, f"segment {frame['segment_id'].iloc[first]!r} is coded twice", line=first + 2)
    return frame


def indicator_matrix(coding: pd.DataFrame, segment_ids: list[str], codes: list[str]) -> pd.DataFrame:
    """segments × codes of 0/1 (``codesign.coding.model.label_matrix`` as a labelled DataFrame)."""
    from codesign.coding.model import label_matrix

    return pd.DataFrame(label_matrix(coding, segment_ids, codes), index=segment_ids, columns=codes)


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's κ for two binary vectors (scikit-learn's); NaN when both coders agree that the code never (or
    always) applies, where κ is undefined."""
    from sklearn.metrics import cohen_kappa_score

    a, b = np.asarray(a), np.asarray(b)
    if len(set(a.tolist()) | set(b.tolist())) < 2:
        return float("nan")
    return float(cohen_kappa_score(a, b))


def agreement_table(first: pd.DataFrame, second: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Per code, on the segments both codings cover: n, prevalence in each, %, κ, α, precision, recall, F1."""
    import krippendorff
    from sklearn.metrics import precision_recall_fscore_support

    common = sorted(set(first["segment_id"]) & set(second["segment_id"]))
    if not common:
        raise ValueError("the two codings share no segment")
    a = indicator_matrix(first, common, codes)
    b = indicator_matrix(second, common, codes)
    rows = []
    for code in codes:
        x, y = a[code].to_numpy(), b[code].to_numpy()
        precision, recall, f1, _ = precision_recall_fscore_support(x, y, average="binary", zero_division=np.nan)
        alpha = krippendorff.alpha(reliability_data=np.vstack([x, y]), level_of_measurement="nominal") \
            if len(set(x) | set(y)) > 1 else float("nan")
        rows.append({"code": code, "n": len(common), "first_n": int(x.sum()), "second_n": int(y.sum()),
                     "percent_agreement": float(np.mean(x == y)), "kappa": cohen_kappa(x, y),
                     "alpha": float(alpha), "precision": float(precision), "recall": float(recall),
                     "f1": float(f1)})
    return pd.DataFrame(rows).set_index("code")


def disagreements(first: pd.DataFrame, second: pd.DataFrame, codes: list[str],
                  texts: pd.Series | dict | None = None) -> pd.DataFrame:
    """The segments where two codings differ, one row per (segment, code in dispute): whether each coding gives
    the code (``first``, ``second``: True/False), both codings' codes of the segment in full, and its text when
    ``texts`` (segment id → text) is given. On the segments both codings cover, in segment order."""
    common = sorted(set(first["segment_id"]) & set(second["segment_id"]))
    a = indicator_matrix(first, common, codes)
    b = indicator_matrix(second, common, codes)
    full_a = dict(zip(first["segment_id"], first["codes"]))
    full_b = dict(zip(second["segment_id"], second["codes"]))
    texts = dict(texts) if texts is not None else {}
    rows = []
    for segment in common:
        for code in codes:
            if a.at[segment, code] != b.at[segment, code]:
                rows.append({"segment_id": segment, "code": code, "first": bool(a.at[segment, code]),
                             "second": bool(b.at[segment, code]), "first_codes": full_a[segment],
                             "second_codes": full_b[segment], "text": texts.get(segment)})
    return pd.DataFrame(rows, columns=DISAGREEMENT_COLUMNS)
