"""Benchmark of the synthesis analytics (``codesign analyse``) on the demo corpus and a corpus ten times larger.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_analysis.py [PROJECT] [--scale 10] [--no-memory]

Needs the project built (``codesign ingest`` + ``codesign code``). Nothing is written to the project.
For each corpus the analytics run twice: once for wall time per part (topics, survey, triangulation,
validation), once under ``tracemalloc`` for the peak of Python-tracked memory per part (numpy arrays
included; numba/torch internals are not). The larger corpus replicates every participant segment
``scale − 1`` more times, perturbed: sentences shuffled, about 15 % of words dropped, new segment ids and
participant codes (same group and stage, same final codes); survey respondents are replicated with two
adjacent ranks swapped. Its lemmas and vectors come from the real Finnish pipeline (timed as ``nlp``).
Results go to benchmarks/results/analysis.json (gitignored).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from codesign.analysis import _Timer, run_analyses  # noqa: E402
from codesign.analysis.inputs import AnalysisInputs, add_nlp, read_inputs  # noqa: E402
from codesign.analysis.params import resolve_params  # noqa: E402
from codesign.coding.step import CODER_EXCLUDE  # noqa: E402
from codesign.core.project import load_project  # noqa: E402
from codesign.nlp.finnish import DocCache  # noqa: E402
from codesign.nlp.pipeline import load_pipeline  # noqa: E402

PARTS = ["topics", "survey", "triangulation", "validation"]


def perturb(text: str, rng: random.Random) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    rng.shuffle(sentences)
    words = " ".join(sentences).split()
    kept = [w for w in words if rng.random() > 0.15] or words[:1]
    return " ".join(kept)


def enlarge(inputs: AnalysisInputs, scale: int, seed: int = 0) -> AnalysisInputs:
    rng = random.Random(seed)
    seg = inputs.segments
    copies = [seg]
    for k in range(1, scale):
        c = seg.copy()
        c["segment_id"] = c["segment_id"] + f"~{k}"
        c["participant"] = c["participant"].map(lambda p: p if pd.isna(p) else f"{p}x{k}")
        c["text"] = [perturb(t, rng) for t in c["text"]]
        copies.append(c)
    big = AnalysisInputs(pd.concat(copies, ignore_index=True), inputs.codebook, inputs.themes, inputs.alternatives)
    if inputs.rankings is not None:
        ranks, people, likert = [inputs.rankings], [inputs.respondents], [inputs.likert]
        for k in range(1, scale):
            r = inputs.rankings.copy()
            r["respondent_id"] = r["respondent_id"] + f"x{k}"
            for rid, rows in r.groupby("respondent_id"):          # swap two adjacent ranks
                if len(rows) > 1:
                    a = rng.randint(1, len(rows) - 1)
                    idx = rows.index[rows["rank"].isin([a, a + 1])]
                    r.loc[idx, "rank"] = r.loc[idx, "rank"].map({a: a + 1, a + 1: a})
            ranks.append(r)
            p = inputs.respondents.copy()
            p["respondent_id"] = p["respondent_id"] + f"x{k}"
            people.append(p)
            lk = inputs.likert.copy()
            lk["respondent_id"] = lk["respondent_id"] + f"x{k}"
            likert.append(lk)
        big.rankings, big.respondents, big.likert = (pd.concat(x, ignore_index=True) for x in (ranks, people, likert))
    return big


def measure(inputs, params, stages, memory: bool) -> dict:
    timed = _Timer()
    tables = run_analyses(inputs, params, stages, timed)
    out = {part: {"seconds": timed.parts[part]["seconds"]} for part in PARTS}
    if memory:
        traced = _Timer(memory=True)
        run_analyses(inputs, params, stages, traced)
        for part in PARTS:
            out[part]["peak_mb"] = traced.parts[part]["peak_mb"]
    out["counts"] = {"segments": len(inputs.segments), "topics": int((tables["topics"]["topic_id"] >= 0).sum()),
                     "emergent": int(tables["topics"]["emergent"].sum()),
                     "respondents": 0 if inputs.respondents is None else len(inputs.respondents)}
    out["verdicts"] = {"themes": dict(zip(tables["theme_validation"]["theme"], tables["theme_validation"]["verdict"])),
                       "goals_not_confirmed": {g: v for g, v in zip(tables["goal_validation"]["goal_id"],
                                                                     tables["goal_validation"]["verdict"])
                                               if v != "confirmed"}}
    return out


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", nargs="?", default=str(REPO / "data" / "kolari"))
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    project = load_project(args.project)
    params = resolve_params(project.report, {})
    stages = [s.id for s in project.stages]
    results = {"project": project.name, "scale": args.scale}

    t = time.perf_counter()
    demo = read_inputs(project)                     # NLP from the project's cache (filled by `codesign code`)
    results["demo"] = {"read_inputs_s": round(time.perf_counter() - t, 2)}
    results["demo"].update(measure(demo, params, stages, not args.no_memory))
    print(f"demo: {results['demo']}", flush=True)

    big = enlarge(demo, args.scale, params.seed)
    t = time.perf_counter()
    add_nlp(big, nlp_cache=DocCache(load_pipeline(CODER_EXCLUDE), None))   # new texts: real NLP, not cached
    results["large"] = {"nlp_s": round(time.perf_counter() - t, 2)}
    results["large"].update(measure(big, params, stages, not args.no_memory))
    print(f"x{args.scale}: {results['large']}", flush=True)
    results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    print("\n| part | demo s | demo peak MB | ×%d s | ×%d peak MB |" % (args.scale, args.scale))
    print("|---|---|---|---|---|")
    for part in PARTS:
        d, b = results["demo"][part], results["large"][part]
        print(f"| {part} | {d['seconds']:.1f} | {d.get('peak_mb', '–')} | {b['seconds']:.1f} "
              f"| {b.get('peak_mb', '–')} |")
    print(f"segments: {results['demo']['counts']['segments']} → {results['large']['counts']['segments']}; "
          f"NLP of the enlarged corpus {results['large']['nlp_s']:.0f} s; process max RSS {results['max_rss_mb']} MB")
    out = REPO / "benchmarks" / "results" / "analysis.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
