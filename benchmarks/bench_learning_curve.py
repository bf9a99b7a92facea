"""How the coder learns from few human codes, on the demo and on independent material.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_learning_curve.py [--draws 3] [--folds 4] [--all-codes]
                                                                        [--skip-curve] [--skip-verdicts]

1. Learning curve (demo): the interviews are split into ``--folds`` groups (leave-interviews-out); for each
   group, the coder learns from n human-coded units of the other material (0, 25, 50, 100, 200, 400) and codes
   the group's interview turns, whose codes it never saw (it reads their text, as ``codesign code`` reads the
   uncoded segments). Held-out Cohen's κ per theme, pooled over the groups. The n units are chosen
   - at random (``--draws`` draws, averaged), or
   - by the review loop (``codesign.coding.review``): starting from none, each step codes the units the review
     queue proposes (the coder's least sure, disputed with the codebook's rule, spread over sources, stages
     and groups) until n are coded — deterministic.
2. Verdicts (demo): the 5 theme and 15 goal verdicts of ``codesign analyse`` with the demo's sample as the human
   coding (two interviews and 15 % of every other source, ``codesign.coding.sample.sample_coding``, seed 0)
   and machine codes elsewhere, against those from the full human coding; and the machine codes of the
   sample run against the full coding on the segments no person coded (``codesign.coding.evaluate``).
3. Independent material (tests/material/independent/, written apart from the code, gold coding of every
   unit): the coder with no human codes (codebook alone) and the coder trained on the demo's full coding,
   against the gold; the surface-keyword baseline beside them.

Writes benchmarks/results/learning_curve.json and codesign/coding/measured.json (the independent figure the
reports quote for a project with no human codes), with the commit measured. Takes 20–60 min on the shared
2-core machine (two analyses of the demo are most of it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from independent_project import independent_project  # noqa: E402

from codesign.coding.agreement import read_coding  # noqa: E402
from codesign.coding.codebook import load_codebook  # noqa: E402
from codesign.coding.evaluate import surface_keyword_predict  # noqa: E402
from codesign.coding.model import (  # noqa: E402
    UNLABELLED,
    ThemeCoder,
    codebook_signals,
    label_matrix,
    prepare_units,
    rule_labels,
)
from codesign.coding.review import review_scores, select_for_review, uncertainty  # noqa: E402
from codesign.coding.step import coded_segments, coding_codes, doc_cache  # noqa: E402
from codesign.core.project import load_project  # noqa: E402

THEMES = ["T1", "T2", "T3", "T4", "T5"]
SIZES = (0, 25, 50, 100, 200, 400)


def _kappas(truth: np.ndarray, predicted: np.ndarray, codes: list[str]) -> dict[str, float]:
    from sklearn.metrics import cohen_kappa_score

    return {c: float(cohen_kappa_score(truth[:, k], predicted[:, k])) for k, c in enumerate(codes)}


def _copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", "build.tmp", ".cache", "backups",
                                                                   "pseudonym_keys.csv"))
    return target


# --- 1. the learning curve ----------------------------------------------------------------------------------

def learning_curve(root: Path, codes: list[str], sizes=SIZES, draws: int = 3, folds: int = 4) -> pd.DataFrame:
    """Rows (selection, draw, n, code, kappa, n_units): held-out κ on the interview turns, pooled over folds."""
    project = load_project(root)
    codebook = load_codebook(project.codebook_path)
    segments = coded_segments(project)
    cache = doc_cache(project)
    units = prepare_units(segments, cache)
    reference = read_coding(project.evaluation_coding_path or project.reference_coding_path)
    truth = label_matrix(reference, [u.segment_id for u in units], codes, missing=UNLABELLED)
    coded = (truth != UNLABELLED).all(axis=1)
    stage = segments["stage"].to_numpy()
    source = segments["source_id"].to_numpy()
    interviews = sorted(set(source[coded & (stage == "interview")]))
    groups = [interviews[i::folds] for i in range(folds)]
    strata = [source, stage, segments["group"].fillna("").astype(str).to_numpy()]
    signals = codebook_signals(codebook, codes, cache)
    held = coded & (stage == "interview")
    rows = []

    def fit(labelled: np.ndarray) -> ThemeCoder:
        y = np.full(truth.shape, UNLABELLED)
        y[labelled] = truth[labelled]
        return ThemeCoder(signals).fit(units, y)

    def record(selection: str, draw: int, predictions: dict[int, np.ndarray]) -> None:
        for n, predicted in predictions.items():
            for code, kappa in _kappas(truth[held], predicted[held], codes).items():
                rows.append({"selection": selection, "draw": draw, "n": n, "code": code, "kappa": kappa,
                             "n_units": int(held.sum())})

    for draw in range(draws):
        predictions = {n: np.zeros(truth.shape, dtype=int) for n in sizes}
        rng = np.random.default_rng(draw)
        for group in groups:
            test = np.isin(source, group) & held
            pool = np.flatnonzero(coded & ~np.isin(source, group))
            order = rng.permutation(pool)         # nested samples: the first n of one random order
            for n in sizes:
                labelled = np.zeros(len(units), dtype=bool)
                labelled[order[:n]] = True
                predictions[n][test] = fit(labelled).predict([u for u, t in zip(units, test) if t])
        record("random", draw, predictions)
        print(f"  random draw {draw}: done", flush=True)

    predictions = {n: np.zeros(truth.shape, dtype=int) for n in sizes}
    for group in groups:
        test = np.isin(source, group) & held
        pool = coded & ~np.isin(source, group)
        labelled = np.zeros(len(units), dtype=bool)
        coder = fit(labelled)
        for n in sizes:
            need = n - int(labelled.sum())
            if need > 0:
                probabilities = coder.predict_proba(units)
                rule = rule_labels(coder.lexicon_.counts(units), coder.lexicon_.counts(units, context=True))
                doubt = uncertainty(probabilities, coder.thresholds_, rule)
                labelled[select_for_review(review_scores(doubt), pool & ~labelled, strata, need)] = True
                coder = fit(labelled)
            predictions[n][test] = coder.predict([u for u, t in zip(units, test) if t])
    record("review", 0, predictions)
    print("  review loop: done", flush=True)
    return pd.DataFrame(rows)


def curve_table(curve: pd.DataFrame, codes: list[str]) -> str:
    mean = curve.groupby(["selection", "n", "code"])["kappa"].mean().unstack("code")[codes]
    spread = curve[curve["selection"] == "random"].groupby(["n", "draw"])["kappa"].mean().groupby("n").agg(
        ["min", "max"])
    lines = ["| selection | human-coded units | " + " | ".join(codes) + " | mean | range of the mean over draws |",
             "|---" * (len(codes) + 4) + "|"]
    for (selection, n), row in mean.iterrows():
        extra = (f"{spread.loc[n, 'min']:.2f}–{spread.loc[n, 'max']:.2f}" if selection == "random" and n in
                 spread.index else "")
        lines.append(f"| {selection} | {n} | " + " | ".join(f"{row[c]:.2f}" for c in codes)
                     + f" | {row.mean():.2f} | {extra} |")
    return "\n".join(lines)


# --- 2. verdicts from a sample -----------------------------------------------------------------------------

def verdicts(demo: Path, work: Path) -> dict:
    """Analyse the demo twice — full human coding, and the sample plus machine codes — and compare verdicts."""
    from codesign.analysis import analyse
    from codesign.coding.evaluate import evaluate_codings
    from codesign.coding.step import code
    from codesign.sources.ingest import ingest

    # the demo operates on a hand-coded sample (reference_coding) and keeps every unit's coding apart
    # (evaluation_coding): "full" codes with all of it, "sample" is the demo as it is
    full = _copy_project(demo, work / "full")
    demo_config = (full / "project.yml").read_text(encoding="utf-8")
    full_project = load_project(full)
    if full_project.evaluation_coding_path is None:
        raise SystemExit("the demo has no evaluation_coding: to compare the sample with")
    full_coding_name = full_project.evaluation_coding_path.name
    (full / "project.yml").write_text("\n".join(
        f"reference_coding: {full_coding_name}" if line.startswith("reference_coding:") else line
        for line in demo_config.splitlines() if not line.startswith("evaluation_coding:")) + "\n", encoding="utf-8")
    ingest(full)
    code(full)
    started = time.perf_counter()
    full_report = analyse(full).report
    analyse_s = time.perf_counter() - started
    sample_root = work / "sample"
    shutil.copytree(full, sample_root, ignore=shutil.ignore_patterns("models"))
    (sample_root / "project.yml").write_text(demo_config, encoding="utf-8")
    sample = read_coding(load_project(sample_root).reference_coding_path)
    result = code(sample_root)
    sample_report = analyse(sample_root).report
    out = {"sample_units": len(sample), "coded_units": result.n_segments, "analyse_s": round(analyse_s, 1)}
    for kind in ("themes", "goals"):
        a, b = full_report["verdicts"][kind], sample_report["verdicts"][kind]
        out[kind] = {"same": sum(a[k] == b.get(k) for k in a), "compared": len(a),
                     "differ": {k: [a[k], b.get(k)] for k in a if a[k] != b.get(k)}}
    out["machine_codes"] = sample_report.get("machine_codes")
    evaluation = evaluate_codings(sample_root, codes=THEMES)
    out["machine_vs_full_all"] = {c: round(float(k), 3) for c, k in evaluation.final["kappa"].items()}
    segments = load_project(sample_root).segments()
    interview_ids = set(segments.loc[segments["stage"] == "interview", "segment_id"])
    codings = load_project(sample_root).codings(final=True)
    full_coding = read_coding(sample_root / full_coding_name)
    human = set(sample["segment_id"])
    ids = [s for s in full_coding["segment_id"] if s in interview_ids and s not in human]
    given = codings[codings["code"].isin(THEMES)].groupby("segment_id")["code"].apply(";".join)
    predicted = pd.DataFrame({"segment_id": ids, "codes": [given.get(s, "") for s in ids]})
    truth = label_matrix(full_coding, ids, THEMES)
    out["machine_vs_full_interviews"] = {c: round(k, 3) for c, k in _kappas(
        truth, label_matrix(predicted, ids, THEMES), THEMES).items()}
    out["machine_vs_full_interview_units"] = len(ids)
    return out


# --- 3. independent material -------------------------------------------------------------------------------

def independent(demo_full: Path | None, work: Path) -> dict:
    """The codebook-only coder and the demo-trained coder against the independent gold coding."""
    from codesign.coding.step import code, trained_coder
    from codesign.sources.ingest import ingest

    root = independent_project(work / "independent")
    ingest(root)
    started = time.perf_counter()
    code(root)
    code_s = time.perf_counter() - started
    project = load_project(root)
    gold = read_coding(project.evaluation_coding_path)
    segments = coded_segments(project)
    ids = list(segments["segment_id"])
    is_interview = (segments["stage"] == "interview").to_numpy()
    truth = label_matrix(gold, ids, THEMES)
    final = project.codings(final=True)
    given = final[final["code"].isin(THEMES)].groupby("segment_id")["code"].apply(";".join)
    alone = label_matrix(pd.DataFrame({"segment_id": ids, "codes": [given.get(s, "") for s in ids]}), ids, THEMES)
    codebook = load_codebook(project.codebook_path)
    surface = surface_keyword_predict(list(segments["text"].astype(str)), codebook, THEMES)
    out = {"units": len(ids), "interview_units": int(is_interview.sum()), "code_s": round(code_s, 1)}
    rows = {"codebook_alone": alone, "baseline_surface": surface}
    if demo_full is not None:
        cache = doc_cache(project)
        coder = trained_coder(load_project(demo_full))
        units = prepare_units(segments, cache)
        demo_trained = coder.predict(units)[:, [coder.codes.index(c) for c in THEMES]]
        rows["demo_trained"] = demo_trained
    for name, predicted in rows.items():
        out[name] = {"all": _kappas(truth, predicted, THEMES),
                     "interviews": _kappas(truth[is_interview], predicted[is_interview], THEMES)}
    return out


def independent_table(result: dict) -> str:
    lines = ["| coder | units | " + " | ".join(THEMES) + " | mean |", "|---" * (len(THEMES) + 3) + "|"]
    for name in ("codebook_alone", "demo_trained", "baseline_surface"):
        if name not in result:
            continue
        for part, n in (("interviews", result["interview_units"]), ("all", result["units"])):
            k = result[name][part]
            lines.append(f"| {name} | {part} ({n}) | " + " | ".join(f"{k[c]:.2f}" for c in THEMES)
                         + f" | {np.mean([k[c] for c in THEMES]):.2f} |")
    return "\n".join(lines)


def _commit() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--all-codes", action="store_true", help="learn all nine codes (default: the themes)")
    parser.add_argument("--skip-curve", action="store_true")
    parser.add_argument("--skip-verdicts", action="store_true")
    parser.add_argument("--project", default=str(REPO / "data" / "kolari"))
    args = parser.parse_args(argv)
    demo = Path(args.project)
    figures: dict = {"commit": _commit(), "date": dt.date.today().isoformat(), "folds": args.folds,
                     "draws": args.draws}
    with tempfile.TemporaryDirectory(prefix="codesign-curve-") as tmp:
        work = Path(tmp)
        from codesign.sources.ingest import ingest

        root = _copy_project(demo, work / "demo")
        ingest(root)
        if not args.skip_curve:
            started = time.perf_counter()
            codes = coding_codes(load_codebook(load_project(root).codebook_path)) if args.all_codes else THEMES
            curve = learning_curve(root, codes, draws=args.draws, folds=args.folds)
            figures["curve_s"] = round(time.perf_counter() - started, 1)
            figures["curve"] = curve.to_dict(orient="records")
            figures["curve_table"] = curve_table(curve[curve["code"].isin(THEMES)], THEMES)
            print(figures["curve_table"], flush=True)
        if not args.skip_verdicts:
            figures["verdicts"] = verdicts(demo, work)
            print(json.dumps({k: v for k, v in figures["verdicts"].items() if k != "machine_codes"}, indent=1),
                  flush=True)
        full = work / "full" if (work / "full").is_dir() else None
        if full is None:
            full = _copy_project(demo, work / "full")
            ingest(full)
        figures["independent"] = independent(full, work)
        figures["independent_table"] = independent_table(figures["independent"])
        print(figures["independent_table"], flush=True)
    out = REPO / "benchmarks" / "results" / "learning_curve.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    alone = figures["independent"]["codebook_alone"]
    measured = {"what": "the coder with no human codes (codebook alone) against the careful gold coding of the "
                        "independent material (tests/material/independent), Cohen's kappa per theme",
                "command": "benchmarks/bench_learning_curve.py", "commit": figures["commit"], "date": figures["date"],
                "independent_mean_theme_kappa": round(float(np.mean(list(alone["all"].values()))), 2),
                "independent_interviews_mean_theme_kappa":
                    round(float(np.mean(list(alone["interviews"].values()))), 2),
                "independent_kappa": {c: round(k, 2) for c, k in alone["all"].items()}}
    (REPO / "codesign" / "coding" / "measured.json").write_text(json.dumps(measured, indent=1, ensure_ascii=False)
                                                                + "\n", encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
