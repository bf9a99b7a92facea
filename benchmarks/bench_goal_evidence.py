"""Goal evidence measured against the goal-evidence gold: link precision/recall, stance macro-F1 and Cohen's κ,
the measured models (``codesign.analysis.goals``) against today's word rules (``validation.rule_links``), on
the demo (``data/kolari/goal_evidence.csv``, leave-one-interview-out) and on the independent material
(``tests/material/independent/gold/goal_evidence.csv``: the shipped demo-trained model, never fitted on it, and
leave-one-interview-out within it), and how many of the demo's goal verdicts change.

    PYTHONPATH=$PWD python benchmarks/bench_goal_evidence.py [--write-default] [--json out.json]

Builds (ingest + code) the two projects in a temporary folder first (about 5 minutes on 2 cores), or reuses
``--demo DIR`` / ``--independent DIR`` already coded. ``--write-default`` writes the model learned from the whole
demo gold to ``codesign/analysis/goal_model.json`` (the weights projects without their own coding use).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from codesign.analysis import goals as G  # noqa: E402
from codesign.analysis import validation  # noqa: E402
from codesign.analysis.inputs import read_inputs  # noqa: E402
from codesign.analysis.params import AnalysisParams  # noqa: E402
from codesign.core.project import load_project  # noqa: E402

DEMO_GOLD = REPO / "data" / "kolari" / "goal_evidence.csv"
DEMO_SECOND = REPO / "data" / "kolari" / "goal_evidence_second.csv"
INDEPENDENT_GOLD = REPO / "tests" / "material" / "independent" / "gold" / "goal_evidence.csv"
INDEPENDENT_SECOND = REPO / "tests" / "material" / "independent" / "gold" / "second" / "goal_evidence.csv"


def _build(root: Path) -> None:
    for step in ("ingest", "code"):
        subprocess.run([sys.executable, "-m", "codesign", "-q", step, str(root)], check=True, cwd=REPO,
                       env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def prepare(demo: Path | None, independent: Path | None, work: Path) -> tuple[Path, Path]:
    if demo is None:
        demo = work / "demo"
        shutil.copytree(REPO / "data" / "kolari", demo, ignore=shutil.ignore_patterns("build", "build.tmp", ".cache"))
        _build(demo)
    if independent is None:
        from independent_project import independent_project

        independent = independent_project(work / "independent",
                                          programme=REPO / "data" / "kolari" / "programme_draft.yml")
        _build(independent)
    return demo, independent


def baseline(inputs, coding, params) -> dict:
    """Today's word rules against the gold: their links, and their stance on the gold's links."""
    rules = validation.rule_links(inputs, params)
    covered = set(inputs.segments["segment_id"])
    gold = {(r.segment_id, r.goal_id): r.stance for r in coding.itertuples() if r.goal_id and r.segment_id in covered}
    predicted = set(zip(rules["segment_id"], rules["goal_id"]))
    by_pair = dict(zip(zip(rules["segment_id"], rules["goal_id"]), rules["stance"]))
    true = list(gold.values())
    pred = [by_pair.get(k, "none") for k in gold]
    return G.link_figures(predicted, set(gold)) | G.stance_figures(true, pred)


def agreement(first: Path, second: Path) -> dict:
    """Link F1 and stance κ between the gold and its second coding, on the units both coded."""
    import pandas as pd

    a, b = pd.read_csv(first, dtype=str, keep_default_na=False), pd.read_csv(second, dtype=str, keep_default_na=False)
    units = set(b["segment_id"])
    la = {(r.segment_id, r.goal_id): r.stance for r in a.itertuples() if r.segment_id in units and r.goal_id}
    lb = {(r.segment_id, r.goal_id): r.stance for r in b.itertuples() if r.goal_id}
    shared = sorted(set(la) & set(lb))
    return G.link_figures(set(lb), set(la)) | G.stance_figures([la[k] for k in shared], [lb[k] for k in shared])


def groups_of(inputs, feats) -> list[str]:
    seg = inputs.segments
    return [G.fold_of(s, src, u.transcript) for s, src, u in zip(seg["segment_id"], seg["source_id"], feats.units)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path)
    parser.add_argument("--independent", type=Path)
    parser.add_argument("--write-default", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    params = AnalysisParams()
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="codesign-goals-") as tmp:
        demo, independent = prepare(args.demo, args.independent, Path(tmp))
        # --- demo: leave one interview out; the model learned from it all is the shipped default
        inputs = read_inputs(load_project(demo))
        goal_ids = [g.id for t in inputs.themes for g in t.goals]
        coding = G.read_goal_coding(DEMO_GOLD, goal_ids)
        feats = G.project_features(inputs)
        links, figures = G.cross_fit(feats, coding, groups_of(inputs, feats))
        out["demo"] = {"measured": figures, "rules": baseline(inputs, coding, params),
                       "second_coding": agreement(DEMO_GOLD, DEMO_SECOND)}
        model = G.fit(feats, coding, trained_on="data/kolari/goal_evidence.csv (demo)")
        # verdicts: the rules' against the measured links' (the shipped model, as the build uses it)
        ledger = validation.Ledger(params)
        by_rules = validation.validate_goals(inputs, params, ledger, validation.rule_links(inputs, params))
        measured_links, _ = G.measure_links(inputs, model=model)
        inputs.goal_links = measured_links
        by_model = validation.validate_goals(inputs, params, validation.Ledger(params))
        oof = inputs.goal_links = links.assign(quote="", question="", evidence="{}", cues="", sentences="")
        by_oof = validation.validate_goals(inputs, params, validation.Ledger(params), G._mark_review(oof))
        changes = [{"goal": g, "rules": a, "measured": b, "measured_out_of_fold": c}
                   for g, a, b, c in zip(by_rules["goal_id"], by_rules["verdict"], by_model["verdict"],
                                         by_oof["verdict"])]
        out["demo"]["verdicts"] = changes
        out["demo"]["verdicts_changed"] = sum(c["rules"] != c["measured"] for c in changes)
        out["demo"]["review"] = int(measured_links["review"].sum())
        out["demo"]["links_shown"] = int(measured_links["linked"].sum())
        # --- independent material: the demo-trained model (never fitted on it), and learned within it
        ind = read_inputs(load_project(independent))
        ind_coding = G.read_goal_coding(INDEPENDENT_GOLD, goal_ids)
        ind_feats = G.project_features(ind)
        decided = G.predict(ind_feats, model)
        decided = decided[decided["linked"]]
        gold = {(r.segment_id, r.goal_id): r.stance for r in ind_coding.itertuples() if r.goal_id}
        stance_pred = []
        unit_index = {u.segment_id: i for i, u in enumerate(ind_feats.units)}
        goal_index = {g.id: j for j, g in enumerate(ind_feats.goals)}
        for (sid, gid), _ in gold.items():
            unit, goal = ind_feats.units[unit_index[sid]], ind_feats.goals[goal_index[gid]]
            chosen = G.choose_sentences(unit, goal, model.sentence)
            probabilities = model.stance_probabilities(G.stance_features(unit, goal, chosen)[0])
            stance_pred.append(str(probabilities.iloc[0].idxmax()))
        shipped = G.link_figures(set(zip(decided["segment_id"], decided["goal_id"])), set(gold)) | \
            G.stance_figures(list(gold.values()), stance_pred)
        _, within = G.cross_fit(ind_feats, ind_coding, groups_of(ind, ind_feats))
        out["independent"] = {"measured_demo_model": shipped, "measured_within": within,
                              "rules": baseline(ind, ind_coding, params)}
        if INDEPENDENT_SECOND.is_file():
            out["independent"]["second_coding"] = agreement(INDEPENDENT_GOLD, INDEPENDENT_SECOND)
        if args.write_default:
            model.figures = {"demo_leave_one_interview_out": figures, "independent_demo_model": shipped}
            G.DEFAULT_MODEL.write_text(json.dumps(model.to_json(), indent=1), encoding="utf-8")
    text = json.dumps(out, indent=2, ensure_ascii=False,
                      default=lambda v: v.item() if isinstance(v, np.generic) else str(v))
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
