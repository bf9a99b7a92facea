"""Benchmark and evaluation of the theme coder on the demo project.

    .venv/bin/python benchmarks/bench_coder.py [PROJECT]

1. Leave-one-interview-out evaluation (codesign.coding.evaluate): the hybrid coder, each of its parts alone and
   two baselines, against the reference coding, beside the double-coding agreement; printed as a Markdown
   table (the one in docs/coder.md).
   Beside it the ranking ceiling of the hybrid (codesign.coding.evaluate.ranking_ceiling): its ROC AUC on the
   held-out turns and the best κ any cut-off could give, chosen on the answers — an upper bound for
   threshold tuning, not a result.
2. Coding the project cold (empty NLP cache, no trained model) and warm (cache filled), and the raw spaCy
   time of the same texts with the same components: the coder's own overhead.
The project is copied to a temporary folder first. Results also go to benchmarks/results/coder.json.
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from codesign.coding.evaluate import human_agreement, leave_one_interview_out, ranking_ceiling  # noqa: E402
from codesign.coding.model import label_matrix  # noqa: E402
from codesign.coding.step import CODER_EXCLUDE, code  # noqa: E402
from codesign.nlp.pipeline import load_pipeline  # noqa: E402
from codesign.sources.ingest import ingest, read_segments  # noqa: E402

THEMES = ["T1", "T2", "T3", "T4", "T5"]
STATEMENTS = ["VAHVUUS", "HAASTE", "EHDOTUS", "TAVOITE"]
ORDER = ["human_second_coder", "hybrid", "supervised", "semantic", "lexicon", "codebook", "baseline_lemma",
         "baseline_surface"]


def markdown(table, metric: str) -> str:
    pivot = table.pivot(index="method", columns="code", values=metric).reindex(ORDER)
    cols = THEMES + STATEMENTS
    lines = ["| method | " + " | ".join(cols) + " | themes mean |", "|---" * (len(cols) + 2) + "|"]
    for method, row in pivot.iterrows():
        lines.append(f"| {method} | " + " | ".join(f"{row[c]:.2f}" for c in cols)
                     + f" | {row[THEMES].mean():.2f} |")
    return "\n".join(lines)


def ceiling_markdown(ceiling) -> str:
    cols = THEMES + STATEMENTS
    lines = ["| hybrid, held-out | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for key, name in (("kappa", "κ at its own cut-offs"), ("best_cut_kappa", "best κ at any cut-off (upper bound)"),
                      ("auc", "ROC AUC")):
        lines.append(f"| {name} | " + " | ".join(f"{ceiling.loc[c, key]:.2f}" for c in cols) + " |")
    return "\n".join(lines)


def main(project_dir: str | None) -> dict:
    source = Path(project_dir) if project_dir else REPO / "data" / "kolari"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / source.name
        shutil.copytree(source, root, ignore=shutil.ignore_patterns("build", ".cache", "pseudonym_keys.csv"))
        ingest(root)
        load_pipeline(CODER_EXCLUDE)                      # loading the model is not the coder's cost
        t = time.perf_counter()
        cold = code(root)
        cold_s = time.perf_counter() - t
        t = time.perf_counter()
        code(root)
        warm_s = time.perf_counter() - t
        segments = read_segments(root)
        texts = list(segments.loc[segments["speaker_role"] == "participant", "text"])
        nlp = load_pipeline(CODER_EXCLUDE)
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        raw_s = time.perf_counter() - t
        t = time.perf_counter()
        evaluation = leave_one_interview_out(root)
        evaluation_s = time.perf_counter() - t
        human = human_agreement(root)
    import pandas as pd

    table = pd.concat([human, evaluation.table], ignore_index=True)
    truth, scores = evaluation.truth, evaluation.scores
    decided = evaluation.predictions["hybrid"]
    decisions = pd.DataFrame(label_matrix(decided, list(scores.index), list(scores.columns)),
                             index=scores.index, columns=scores.columns)
    ceiling = ranking_ceiling(truth, scores, decisions)
    return {
        "kappa_table": markdown(table, "kappa"), "f1_table": markdown(table, "f1"),
        "ceiling_table": ceiling_markdown(ceiling), "ceiling": ceiling.round(4).reset_index().to_dict(orient="records"),
        "folds": evaluation.folds, "held_out_units": evaluation.units,
        "evaluation_s": round(evaluation_s, 1),
        "code_cold_s": round(cold_s, 1), "code_warm_s": round(warm_s, 1),
        "code_cold_breakdown": {k: round(v, 1) if isinstance(v, float) else v
                                for k, v in cold.timings.items()},
        "raw_spacy_participant_texts_s": round(raw_s, 1),
        "rows": table.round(4).to_dict(orient="records"),
    }


if __name__ == "__main__":
    figures = main(sys.argv[1] if len(sys.argv) > 1 else None)
    out = REPO / "benchmarks" / "results" / "coder.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    print("Cohen's kappa, held-out interviews (human row: second coder vs reference on the double-coded sample)")
    print(figures["kappa_table"])
    print("\nF1")
    print(figures["f1_table"])
    print("\nRanking ceiling of the hybrid (best cut-off chosen on the answers: an upper bound, not a result)")
    print(figures["ceiling_table"])
    for key in ("folds", "held_out_units", "evaluation_s", "code_cold_s", "code_warm_s", "code_cold_breakdown",
                "raw_spacy_participant_texts_s"):
        print(f"{key:<32} {figures[key]}")
