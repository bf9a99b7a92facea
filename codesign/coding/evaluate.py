"""Evaluation that does not flatter: leave-one-interview-out, and the machine codes against an evaluation coding.

:func:`leave_one_interview_out`: each interview in turn is held out; the coder learns from every other coded
unit (the other interviews and all other sources) and codes the held-out interview's units, whose codes it
never saw (it reads their text, as ``codesign code`` reads the uncoded segments). Predictions pooled over all
folds are compared with the coding, per code: Cohen's κ, Krippendorff's α, F1. The same folds score each part
of the coder alone, the coder with no human codes at all (``codebook``) and two baselines: surface keyword
matching (what a generic QDA text search does with the codebook's words) and lemma-only matching (the
pipeline's lemmas, no compound parts, no spoken-Finnish handling).

:func:`evaluate_codings`: a project's machine codes (``build/codings.parquet``) against its
``evaluation_coding:`` (``codesign evaluate``): the final machine codes on the segments without a human code,
and the cross-fitted ones on the human-coded segments against the human codes.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from codesign.coding.agreement import agreement_table, read_coding
from codesign.coding.codebook import Codebook, load_codebook
from codesign.coding.model import (
    UNLABELLED,
    LexiconMatcher,
    SemanticMatcher,
    ThemeCoder,
    codebook_signals,
    label_matrix,
    prepare_units,
)
from codesign.coding.step import coded_segments, coding_codes, doc_cache
from codesign.core.errors import CodesignError
from codesign.core.project import Project, load_project

METHODS = ("hybrid", "supervised", "semantic", "lexicon", "codebook", "baseline_lemma", "baseline_surface")


def surface_keyword_predict(texts: list[str], codebook: Codebook, codes: list[str]) -> np.ndarray:
    """Baseline: a lexicon word found as a whole word in the lower-cased text (no morphology at all)."""
    patterns = []
    for code in codes:
        lex = codebook[code].lexicon
        words = sorted(lex.lemmas | {" ".join(p) for p in lex.phrases}, key=len, reverse=True)
        patterns.append(re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)") if words else None)
    return np.array([[int(bool(p and p.search(t.casefold()))) for p in patterns] for t in texts],
                    dtype=int).reshape(len(texts), len(codes))


def lemma_keyword_predict(units, codebook: Codebook, codes: list[str]) -> np.ndarray:
    """Baseline: the pipeline's lemma of a word is in the code's lexicon (no compounds, no spoken forms)."""
    lexicons = [codebook[c].lexicon.lemmas for c in codes]
    return np.array([[int(any(w.lemma in lex for w in u.words)) for lex in lexicons] for u in units],
                    dtype=int).reshape(len(units), len(codes))


def as_coding(ids: list[str], matrix: np.ndarray, codes: list[str]) -> pd.DataFrame:
    """A 0/1 matrix (segments × codes) back as a coding table (``segment_id``, ``codes``)."""
    return pd.DataFrame({"segment_id": ids,
                         "codes": [";".join(c for c, v in zip(codes, row) if v) for row in matrix]})


@dataclass
class EvaluationResult:
    """What :func:`leave_one_interview_out` measured.

    Attributes
    ----------
    table : DataFrame
        One row per (method, code): n, prevalences, %, κ, α, precision, recall, F1, pooled over the folds.
    folds : int
        Interviews held out in turn.
    units : int
        Held-out units (participant turns of the interviews).
    seconds : float
        Time the evaluation took.
    predictions : dict of str to DataFrame
        The held-out codes of each method, as a coding table (``segment_id``, ``codes``), for error analysis.
    scores : DataFrame or None
        The hybrid coder's held-out probabilities (segments × codes), for ``ranking_ceiling``.
    truth : DataFrame or None
        The coding's 0/1 on the same segments × codes.
    """
    table: pd.DataFrame
    folds: int
    units: int
    seconds: float
    predictions: dict = field(default_factory=dict)
    scores: pd.DataFrame | None = None
    truth: pd.DataFrame | None = None

    def kappa(self, method: str = "hybrid") -> pd.Series:
        """Cohen's κ per code of one method."""
        rows = self.table[self.table["method"] == method]
        return rows.set_index("code")["kappa"]


def leave_one_interview_out(project: Project | str | None = None, seed: int = 0,
                            methods: tuple[str, ...] = METHODS, codes: list[str] | None = None,
                            coder_options: dict | None = None, coding: Path | str | pd.DataFrame | None = None,
                            ) -> EvaluationResult:
    """The evaluation table: method × code → n, κ, α, precision, recall, F1 (pooled over folds).

    Parameters
    ----------
    project : Project, path or None
    seed : int
        Kept for callers that pass it: the coder is deterministic.
    methods : tuple of str
        Of ``METHODS``.
    codes : list of str, optional
        Evaluate (and train the coders on) these codes only — the themes alone are a cheaper check while
        iterating.
    coder_options : dict, optional
        Keyword arguments of the hybrid :class:`ThemeCoder`.
    coding : path or DataFrame, optional
        The coding to learn from and compare with (default: the project's ``evaluation_coding:`` if it has one,
        else its ``reference_coding:``).

    Returns
    -------
    EvaluationResult
    """
    project = load_project(project)
    codebook = load_codebook(project.codebook_path)
    codes = list(codes) if codes else coding_codes(codebook)
    reference = _the_coding(project, coding)
    segments = coded_segments(project)
    cache = doc_cache(project)
    units = prepare_units(segments, cache)
    ids = [u.segment_id for u in units]
    y = label_matrix(reference, ids, codes, missing=UNLABELLED)
    coded = (y != UNLABELLED).all(axis=1)
    interviews = sorted(segments.loc[coded & (segments["stage"] == "interview").to_numpy(), "source_id"].unique())
    if not interviews:
        raise CodesignError(f"{project.root}: no coded interview to hold out")
    signals = codebook_signals(codebook, codes, cache)
    predictions = {m: np.zeros((len(units), len(codes)), dtype=int) for m in methods}
    scores = np.full(y.shape, np.nan)       # the hybrid's held-out probabilities, for ranking_ceiling
    held_out = np.zeros(len(units), dtype=bool)
    lexicon = LexiconMatcher(codebook, codes)
    started = time.perf_counter()
    if "codebook" in methods:               # no human codes at all: one coder for every fold
        predictions["codebook"] = ThemeCoder(signals, **(coder_options or {})).fit(
            units, np.full(y.shape, UNLABELLED)).predict(units)
    for interview in interviews:
        test = np.flatnonzero(coded & (segments["source_id"] == interview).to_numpy())
        held_out[test] = True
        train_y = y.copy()
        train_y[test] = UNLABELLED          # the held-out units are read, their codes are not
        te = [units[i] for i in test]
        if "hybrid" in methods:
            coder = ThemeCoder(signals, **(coder_options or {})).fit(units, train_y)
            scores[test] = coder.predict_proba(te)
            predictions["hybrid"][test] = (scores[test] >= coder.thresholds_).astype(int)
        if "supervised" in methods:
            supervised = ThemeCoder(signals, use_lexicon=False, use_semantic=False, use_codebook=False)
            predictions["supervised"][test] = supervised.fit(units, train_y).predict(te)
        if "semantic" in methods:
            train = (train_y != UNLABELLED).all(axis=1)
            semantic = SemanticMatcher(signals.described).fit([u for u, t in zip(units, train) if t], y[train])
            predictions["semantic"][test] = semantic.predict(te)
        if "lexicon" in methods:
            predictions["lexicon"][test] = lexicon.predict(te)
        if "baseline_lemma" in methods:
            predictions["baseline_lemma"][test] = lemma_keyword_predict(te, codebook, codes)
        if "baseline_surface" in methods:
            predictions["baseline_surface"][test] = surface_keyword_predict([u.text for u in te], codebook, codes)
    held_ids = [ids[i] for i in np.flatnonzero(held_out)]
    truth = as_coding(held_ids, y[held_out], codes)
    tables = []
    for method in methods:
        table = agreement_table(truth, as_coding(held_ids, predictions[method][held_out], codes), codes).reset_index()
        table.insert(0, "method", method)
        tables.append(table)
    index = pd.Index(held_ids, name="segment_id")
    return EvaluationResult(
        table=pd.concat(tables, ignore_index=True), folds=len(interviews), units=int(held_out.sum()),
        seconds=time.perf_counter() - started,
        predictions={m: as_coding(held_ids, predictions[m][held_out], codes) for m in methods},
        scores=pd.DataFrame(scores[held_out], columns=codes, index=index) if "hybrid" in methods else None,
        truth=pd.DataFrame(y[held_out], columns=codes, index=index))


def _the_coding(project: Project, coding) -> pd.DataFrame:
    if isinstance(coding, pd.DataFrame):
        return coding
    if coding is not None:
        return read_coding(coding)
    path = project.evaluation_coding_path or project.reference_coding_path
    if path is None:
        raise CodesignError(f"{project.config_path}: no `evaluation_coding:` or `reference_coding:` to evaluate "
                            "against")
    return read_coding(path)


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
    first = project.evaluation_coding_path or project.reference_coding_path
    table = agreement_table(read_coding(first), read_coding(project.second_coding_path),
                            coding_codes(codebook)).reset_index()
    table.insert(0, "method", "human_second_coder")
    return table


@dataclass
class CodingEvaluation:
    """The machine codes of a project against its evaluation coding (:func:`evaluate_codings`).

    Attributes
    ----------
    final : DataFrame or None
        Per code: the final machine codes on the segments without a human code vs the evaluation coding
        (the agreement table's columns); None when every segment is human-coded.
    cross_fitted : DataFrame or None
        Per code: the cross-fitted machine codes on the human-coded segments vs the human codes.
    n_machine, n_human : int
        Segments decided by machine codes / by human codes that the evaluation coding covers.
    """
    final: pd.DataFrame | None
    cross_fitted: pd.DataFrame | None
    n_machine: int
    n_human: int


def evaluate_codings(project: Project | str | None = None, against: Path | str | None = None,
                     codes: list[str] | None = None) -> CodingEvaluation:
    """Compare the project's machine codes (``build/codings.parquet``, after ``codesign code``) with its
    ``evaluation_coding:`` (or the coding ``against``): the final machine codes where no human code decides,
    and the cross-fitted machine codes where one does (against the human codes themselves)."""
    project = load_project(project)
    path = Path(against) if against is not None else project.evaluation_coding_path
    if path is None:
        raise CodesignError(f"{project.config_path}: no `evaluation_coding:` to compare the machine codes with; "
                            "add one to project.yml or give --against FILE")
    evaluation = read_coding(path)
    codebook = load_codebook(project.codebook_path)
    codes = list(codes) if codes else coding_codes(codebook)
    codings = project.codings(final=False)
    human_ids = set(codings.loc[codings["source"] == "human", "segment_id"])
    if project.reference_coding_path is not None:
        human_ids |= set(read_coding(project.reference_coding_path)["segment_id"])
    participants = coded_segments(project)["segment_id"]
    evaluated = set(evaluation["segment_id"])
    machine_ids = [s for s in participants if s not in human_ids and s in evaluated]
    final = codings[codings["final"] & (codings["source"] == "machine") & codings["code"].isin(codes)]
    final_table = None
    if machine_ids:
        given = final[final["segment_id"].isin(machine_ids)].groupby("segment_id")["code"].apply(";".join)
        predicted = pd.DataFrame({"segment_id": machine_ids, "codes": [given.get(s, "") for s in machine_ids]})
        final_table = agreement_table(evaluation, predicted, codes)
    crossed = codings[~codings["final"] & (codings["source"] == "machine") & codings["code"].isin(codes)]
    human_rows = sorted(human_ids & set(participants))
    cross_table = None
    if human_rows and project.reference_coding_path is not None:
        given = crossed.groupby("segment_id")["code"].apply(";".join)
        predicted = pd.DataFrame({"segment_id": human_rows, "codes": [given.get(s, "") for s in human_rows]})
        cross_table = agreement_table(read_coding(project.reference_coding_path), predicted, codes)
    return CodingEvaluation(final_table, cross_table, len(machine_ids), len(human_rows))
