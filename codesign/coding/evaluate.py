"""Evaluation that does not flatter: leave-one-interview-out.

Each interview in turn is held out; the coder is trained on every other coded unit (the other interviews
and all other sources) and codes the held-out interview's units, which it never saw. Predictions pooled
over all folds are compared with the reference coding, per code: Cohen's κ, Krippendorff's α, F1.
The same folds score each part of the coder alone and two baselines: surface keyword matching (what a
generic QDA text search does with the codebook's words) and lemma-only matching (the pipeline's lemmas,
no compound parts, no spoken-Finnish handling).
"""
from __future__ import annotations

import re
import time

import numpy as np
import pandas as pd

from codesign.coding.agreement import agreement_table, read_coding
from codesign.coding.codebook import Codebook, load_codebook
from codesign.coding.model import (
    LexiconMatcher,
    SemanticMatcher,
    SupervisedModel,
    ThemeCoder,
    label_matrix,
    prepare_units,
)
from codesign.coding.step import coded_segments, coding_codes, doc_cache
from codesign.core.project import Project, load_project

METHODS = ("hybrid", "supervised", "semantic", "lexicon", "baseline_lemma", "baseline_surface")


def surface_keyword_predict(texts: list[str], codebook: Codebook, codes: list[str]) -> np.ndarray:
    """Baseline: a lexicon word found as a whole word in the lower-cased text (no morphology at all)."""
    patterns = []
    for code in codes:
        lex = codebook[code].lexicon
        words = sorted(lex.lemmas | {" ".join(p) for p in lex.phrases}, key=len, reverse=True)
        patterns.append(re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)") if words else None)
    return np.array([[int(bool(p and p.search(t.casefold()))) for p in patterns] for t in texts], dtype=int)


def lemma_keyword_predict(units, codebook: Codebook, codes: list[str]) -> np.ndarray:
    """Baseline: the pipeline's lemma of a word is in the code's lexicon (no compounds, no spoken forms)."""
    lexicons = [codebook[c].lexicon.lemmas for c in codes]
    return np.array([[int(any(w.lemma in lex for w in u.words)) for lex in lexicons] for u in units], dtype=int)


def _as_coding(ids: list[str], matrix: np.ndarray, codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"segment_id": ids,
                         "codes": [";".join(c for c, v in zip(codes, row) if v) for row in matrix]})


def leave_one_interview_out(project: Project | str | None = None, seed: int = 0,
                            methods: tuple[str, ...] = METHODS, codes: list[str] | None = None,
                            coder_options: dict | None = None) -> pd.DataFrame:
    """The evaluation table: method × code → n, κ, α, precision, recall, F1 (pooled over folds).

    ``codes``: evaluate (and train the coders on) these codes only — the themes alone are a cheaper check
    while iterating; ``coder_options``: keyword arguments of the hybrid ``ThemeCoder``."""
    project = load_project(project)
    codebook = load_codebook(project.codebook_path)
    codes = list(codes) if codes else coding_codes(codebook)
    reference = read_coding(project.reference_coding_path)
    coded = coded_segments(project, reference)
    cache = doc_cache(project)
    units = prepare_units(coded, cache)
    ids = [u.segment_id for u in units]
    y = label_matrix(reference, ids, codes)
    interviews = sorted(coded.loc[coded["stage"] == "interview", "source_id"].unique())
    predictions = {m: np.zeros_like(y) for m in methods}
    scores = np.full(y.shape, np.nan)       # the hybrid's held-out probabilities, for ranking_ceiling
    held_out = np.zeros(len(units), dtype=bool)
    lexicon = LexiconMatcher(codebook, codes)
    started = time.perf_counter()
    for interview in interviews:
        test = np.flatnonzero(coded["source_id"] == interview)
        train = np.flatnonzero(coded["source_id"] != interview)
        held_out[test] = True
        tr, te = [units[i] for i in train], [units[i] for i in test]
        if "hybrid" in methods:
            coder = ThemeCoder(codebook, codes, cache, seed=seed, **(coder_options or {})).fit(tr, y[train])
            scores[test] = coder.predict_proba(te)
            predictions["hybrid"][test] = (scores[test] >= coder.supervised.thresholds).astype(int)
        if "supervised" in methods:
            predictions["supervised"][test] = SupervisedModel(codes, seed=seed).fit(tr, y[train]).predict(te)
        if "semantic" in methods:
            predictions["semantic"][test] = SemanticMatcher(codebook, codes, cache).fit(tr, y[train]).predict(te)
        if "lexicon" in methods:
            predictions["lexicon"][test] = lexicon.predict(te)
        if "baseline_lemma" in methods:
            predictions["baseline_lemma"][test] = lemma_keyword_predict(te, codebook, codes)
        if "baseline_surface" in methods:
            predictions["baseline_surface"][test] = surface_keyword_predict([u.text for u in te], codebook, codes)
    truth = _as_coding([ids[i] for i in np.flatnonzero(held_out)], y[held_out], codes)
    tables = []
    for method in methods:
        predicted = _as_coding([ids[i] for i in np.flatnonzero(held_out)], predictions[method][held_out], codes)
        table = agreement_table(truth, predicted, codes).reset_index()
        table.insert(0, "method", method)
        tables.append(table)
    result = pd.concat(tables, ignore_index=True)
    result.attrs.update({"folds": len(interviews), "units": int(held_out.sum()),
                         "seconds": time.perf_counter() - started})
    # the held-out predictions themselves, for error analysis: segment_id × method → codes
    result.attrs["predictions"] = {m: _as_coding([ids[i] for i in np.flatnonzero(held_out)],
                                                 predictions[m][held_out], codes) for m in methods}
    if "hybrid" in methods:
        result.attrs["scores"] = pd.DataFrame(scores[held_out], columns=codes,
                                              index=pd.Index([ids[i] for i in np.flatnonzero(held_out)],
                                                             name="segment_id"))
        result.attrs["truth"] = pd.DataFrame(y[held_out], columns=codes, index=result.attrs["scores"].index)
    return result


def ranking_ceiling(truth: pd.DataFrame, scores: pd.DataFrame, decisions: pd.DataFrame | None = None) -> pd.DataFrame:
    """How far a better cut-off alone could take a coder: per code, the ROC AUC of its held-out ``scores``,
    Cohen's κ of its own ``decisions`` (0/1, optional) and the best κ over every possible cut-off.

    The best cut-off is chosen by looking at the answers, so it is an upper bound for threshold tuning, never
    a result to report as the coder's agreement. ``truth`` and ``scores``: segments × codes, same index."""
    from sklearn.metrics import cohen_kappa_score, roc_auc_score

    rows = []
    for code in scores.columns:
        y, s = truth[code].to_numpy(), scores[code].to_numpy()
        cuts = np.unique(s)
        best = max((cohen_kappa_score(y, (s >= c).astype(int)) for c in cuts), default=float("nan"))
        row = {"code": code, "n": len(y), "positives": int(y.sum()),
               "auc": roc_auc_score(y, s) if 0 < y.sum() < len(y) else float("nan"), "best_cut_kappa": best}
        if decisions is not None:
            row["kappa"] = cohen_kappa_score(y, decisions[code].to_numpy())
        rows.append(row)
    return pd.DataFrame(rows).set_index("code")


def human_agreement(project: Project | str | None = None) -> pd.DataFrame | None:
    """Agreement of the project's second coding with the reference coding, on the units both coded."""
    project = load_project(project)
    if project.second_coding_path is None:
        return None
    codebook = load_codebook(project.codebook_path)
    table = agreement_table(read_coding(project.reference_coding_path), read_coding(project.second_coding_path),
                            coding_codes(codebook)).reset_index()
    table.insert(0, "method", "human_second_coder")
    return table
