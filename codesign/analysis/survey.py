"""Survey priorities: rank aggregation with bootstrap intervals, Likert distributions, group agreement.

Inputs are the ingest tables (``survey_rankings``, ``survey_likert``, ``respondents``). A respondent who
ranked some alternatives but not others contributes to the mean rank only of those ranked; the Borda
count gives an unranked alternative 0 points; "share in top k" counts every respondent of the group.
"En osaa sanoa" and missing Likert answers are their own answer categories, never zeros.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from codesign.analysis.columns import AGREEMENT_COLUMNS, CHOICE_COLUMNS, LIKERT_COLUMNS, PRIORITY_COLUMNS  # noqa: F401 (re-exported)
from codesign.analysis.params import AnalysisParams

ALL = "all"


def rank_matrix(rankings: pd.DataFrame, respondents: list[str], alternatives: list[str]) -> np.ndarray:
    """Respondents × alternatives ranks (1 = top), NaN where unranked."""
    wide = rankings.pivot_table(index="respondent_id", columns="alternative", values="rank", aggfunc="min")
    return wide.reindex(index=respondents, columns=alternatives).to_numpy(dtype=float)


def _aggregate(ranks: np.ndarray, top_k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean rank (over those who ranked it), Borda points (m − rank; unranked 0), top-k share, per column."""
    m = ranks.shape[1]
    ranked = ~np.isnan(ranks)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_rank = np.where(ranked.any(0), np.nansum(ranks, 0) / ranked.sum(0), np.nan)
    borda = np.where(ranked, m - np.nan_to_num(ranks, nan=m), 0).sum(0)
    top = (np.nan_to_num(ranks, nan=np.inf) <= top_k).mean(0) if len(ranks) else np.full(m, np.nan)
    return mean_rank, borda, top


def priorities(rankings: pd.DataFrame, respondents: pd.DataFrame, alternatives: list, params: AnalysisParams
               ) -> pd.DataFrame:
    """One row per (group, alternative): ``all`` first, then each group in order of size."""
    alt_ids = [a.id for a in alternatives]
    ranked_ids = set(rankings["respondent_id"])
    people = respondents[respondents["respondent_id"].isin(ranked_ids)]
    rng = np.random.default_rng(params.seed)
    q = (1 - params.ci_level) / 2
    rows = []
    for group, members in _groups(people):
        ranks = rank_matrix(rankings, list(members["respondent_id"]), alt_ids)
        mean_rank, borda, top = _aggregate(ranks, params.top_k)
        low_high = {}
        if params.bootstrap and len(ranks) > 1:
            boot_mean, boot_top = [], []
            for _ in range(params.bootstrap):
                sample = ranks[rng.integers(0, len(ranks), len(ranks))]
                bm, _, bt = _aggregate(sample, params.top_k)
                boot_mean.append(bm)
                boot_top.append(bt)
            boot_mean, boot_top = np.array(boot_mean), np.array(boot_top)
            low_high = {"mean_rank_low": np.nanquantile(boot_mean, q, 0),
                        "mean_rank_high": np.nanquantile(boot_mean, 1 - q, 0),
                        "top3_low": np.quantile(boot_top, q, 0), "top3_high": np.quantile(boot_top, 1 - q, 0)}
        order = sorted(range(len(alt_ids)), key=lambda i: (-borda[i], np.nan_to_num(mean_rank[i], nan=99), alt_ids[i]))
        position = {i: p + 1 for p, i in enumerate(order)}
        for i, alt in enumerate(alternatives):
            rows.append({
                "group": group, "alternative": alt.id, "label": alt.label, "theme": alt.theme,
                "n_respondents": len(ranks), "mean_rank": mean_rank[i],
                "mean_rank_low": low_high.get("mean_rank_low", [np.nan] * len(alt_ids))[i],
                "mean_rank_high": low_high.get("mean_rank_high", [np.nan] * len(alt_ids))[i],
                "borda": int(borda[i]), "top3_share": top[i],
                "top3_low": low_high.get("top3_low", [np.nan] * len(alt_ids))[i],
                "top3_high": low_high.get("top3_high", [np.nan] * len(alt_ids))[i],
                "position": position[i], "small_n": len(ranks) < params.small_n,
            })
    return pd.DataFrame(rows, columns=PRIORITY_COLUMNS)


def _groups(people: pd.DataFrame):
    yield ALL, people
    sizes = people["group"].fillna("(ei ryhmää)").value_counts()
    for group in sorted(sizes.index, key=lambda g: (-sizes[g], g)):
        yield group, people[people["group"].fillna("(ei ryhmää)") == group]


def likert(answers: pd.DataFrame, respondents: pd.DataFrame, alternatives: list, scale: tuple[int, int] = (1, 5)
           ) -> pd.DataFrame:
    """Counts and shares of every answer (``1``..``5``, ``dont_know``, ``missing``) by group and alternative.

    A respondent with no row for an alternative counts as ``missing``: the denominator is every respondent.
    """
    categories = [str(v) for v in range(scale[0], scale[1] + 1)] + ["dont_know", "missing"]
    table = answers.copy()
    table["category"] = np.where(table["answer"] == "value", table["value"].astype("string"), table["answer"])
    rows = []
    for group, members in _groups(respondents):
        ids = set(members["respondent_id"])
        for alt in alternatives:
            given = table[(table["alternative"] == alt.id) & table["respondent_id"].isin(ids)]
            counts = given["category"].value_counts().to_dict()
            counts["missing"] = counts.get("missing", 0) + len(ids) - given["respondent_id"].nunique()
            for category in categories:
                count = int(counts.get(category, 0))
                rows.append({"group": group, "alternative": alt.id, "answer": category, "count": count,
                             "share": count / len(ids) if ids else np.nan})
    return pd.DataFrame(rows, columns=LIKERT_COLUMNS)


def kendall_w(ranks: np.ndarray) -> tuple[float, float]:
    """Kendall's W of raters (rows) over items (columns) with its chi-square p-value.

    Unranked items share the mean of the remaining ranks (a respondent ranked them below the others)."""
    n, m = ranks.shape
    if n < 2 or m < 2:
        return np.nan, np.nan
    filled = ranks.copy()
    for row in filled:
        missing = np.isnan(row)
        if missing.any():
            k = (~missing).sum()
            row[missing] = (k + 1 + m) / 2
    # re-rank within each rater so every row is a ranking 1..m (ties averaged)
    filled = np.apply_along_axis(stats.rankdata, 1, filled)
    totals = filled.sum(0)
    s = ((totals - totals.mean()) ** 2).sum()
    w = 12 * s / (n ** 2 * (m ** 3 - m))
    chi2 = n * (m - 1) * w
    return float(w), float(stats.chi2.sf(chi2, m - 1))


def agreement(rankings: pd.DataFrame, respondents: pd.DataFrame, alternatives: list, pri: pd.DataFrame
              ) -> pd.DataFrame:
    """Kendall's W within each group; Spearman correlation of the groups' mean ranks between groups."""
    alt_ids = [a.id for a in alternatives]
    people = respondents[respondents["respondent_id"].isin(set(rankings["respondent_id"]))]
    rows, sizes = [], {}
    for group, members in _groups(people):
        ranks = rank_matrix(rankings, list(members["respondent_id"]), alt_ids)
        sizes[group] = len(ranks)
        w, p = kendall_w(ranks)
        rows.append({"group_a": group, "group_b": group, "n_a": len(ranks), "n_b": len(ranks),
                     "statistic": "kendall_w", "value": w, "p_value": p})
    groups = [g for g in sizes if g != ALL]
    mean_ranks = pri.pivot_table(index="alternative", columns="group", values="mean_rank").reindex(alt_ids)
    for i, a in enumerate(groups):
        for b in groups[i + 1:]:
            pair = mean_ranks[[a, b]].dropna()
            rho, p = stats.spearmanr(pair[a], pair[b]) if len(pair) > 2 else (np.nan, np.nan)
            rows.append({"group_a": a, "group_b": b, "n_a": sizes[a], "n_b": sizes[b], "statistic": "spearman",
                         "value": float(rho), "p_value": float(p)})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def programme_choice(pri: pd.DataFrame) -> pd.DataFrame:
    """Which alternatives became themes, and whether the survey's overall order supports the choice.

    With k alternatives chosen, a chosen one is supported when it is among the top k overall, an
    unchosen one when it is not."""
    overall = pri[pri["group"] == ALL].sort_values("position")
    chosen = overall["theme"].notna() & (overall["theme"].astype("string").str.len() > 0)
    k = int(chosen.sum())
    rows = []
    for (_, row), is_chosen in zip(overall.iterrows(), chosen):
        in_top = row["position"] <= k
        supported = bool(in_top if is_chosen else not in_top)
        where = f"position {row['position']} of {len(overall)} overall (top {k} = as many as were chosen)"
        if is_chosen:
            reason = f"chosen as {row['theme']}; {where}" + (
                "" if supported else "; ranked below an unchosen alternative")
        else:
            reason = f"not a theme; {where}" + ("" if supported else "; ranked above a chosen alternative")
        rows.append({"alternative": row["alternative"], "label": row["label"], "theme": row["theme"],
                     "position_all": int(row["position"]), "chosen": bool(is_chosen), "supported": supported,
                     "reason": reason})
    return pd.DataFrame(rows, columns=CHOICE_COLUMNS)
