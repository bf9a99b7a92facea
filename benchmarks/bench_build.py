"""Benchmark: `codesign build` cold and incremental, each beside the raw spaCy pipeline over the same texts.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_build.py [PROJECT] [--scale 10] [--keep DIR]
    (or: make benchmark)

The project is copied to a temporary folder without its build/, .cache/, key table and NLP cache, and reports go to a
temporary folder too. Measured in one run, in this order:

1. **raw spaCy**: the Finnish pipeline (as ingest loads it) over every segment text of the project, one
   process, model load excluded: the floor every figure is divided by;
2. **cold**: a build with empty caches (ingest, code, analyse, deliverables, every notebook);
3. **no change**: the same build again;
4. **one new interview**: a copy of the first plain-text interview under a new id added, then built;
5. **one changed human code**: the first row of the reference coding given one more code, then built.

Each build runs in its own process (``codesign.pipeline.build.build``), so the peak memory of each is its own:
the build process's maximum resident set (``resource.getrusage``) and the peak of the memory of the process
and all its children together (notebook kernels, spaCy workers): the sum of their proportional set sizes
(PSS, shared pages counted once), sampled 4 times a second (psutil finds the children). ``--scale N``
builds, afterwards, a copy whose interviews are repeated N times (new ids; the other sources as they are)
cold. ``--keep DIR`` keeps the cold build's ``build/`` folder there (to compare two versions with a table
diff). Results are printed and saved to benchmarks/results/build.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from codesign.core.project import load_project  # noqa: E402
from codesign.core.register import load_register  # noqa: E402
from codesign.nlp.pipeline import load_pipeline  # noqa: E402
from codesign.sources.ingest import PSEUDONYMISE_EXCLUDE, read_sources  # noqa: E402

#: Runs one build in a fresh process and prints its figures as JSON on the last line.
_RUNNER = """
import json, resource, sys, time
from codesign.pipeline.build import build
t = time.perf_counter()
r = build(sys.argv[1], reports_dir=sys.argv[2], quiet=True)
wall = time.perf_counter() - t
print(json.dumps({"exit_code": r.exit_code, "wall_s": wall,
    "steps": {s.name: {"status": s.status, "s": round(s.duration_s, 1)} for s in r.steps},
    "notebooks": {n.name: {"status": n.status, "s": round(n.duration_s, 1)} for n in r.notebooks},
    "rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _pss_mb(pid: int) -> float:
    """Proportional set size of one process (Linux ``smaps_rollup``): shared pages divided among the
    processes sharing them, so summing over processes counts memory once."""
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _tree_mb(process) -> float:
    """Memory of a process and all its descendants (kernels, spaCy workers): the sum of their PSS where
    Linux reports it, else of their RSS (an upper bound: pages shared after a fork count twice)."""
    import psutil

    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += _pss_mb(p.pid)
        except (OSError, ValueError):
            try:
                total += p.memory_info().rss / 2 ** 20
            except psutil.Error:
                pass
    return total


def run_build(root: Path, reports: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", _RUNNER, str(root), str(reports)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = None
    try:
        import psutil

        process = psutil.Process(child.pid)
        peak = 0.0
        while child.poll() is None:         # sampled 4 times a second
            try:
                peak = max(peak, _tree_mb(process))
            except psutil.Error:
                pass
            time.sleep(0.25)
    except ImportError:
        pass
    stdout, stderr = child.communicate()
    outer = time.perf_counter() - t
    if child.returncode != 0:
        raise SystemExit(f"the build failed:\n{stdout[-3000:]}\n{stderr[-3000:]}")
    figures = json.loads(stdout.strip().splitlines()[-1])
    figures["process_s"] = outer           # interpreter start and imports included
    figures["peak_tree_mb"] = round(peak) if peak is not None else None
    return figures


def raw_spacy_s(root: Path) -> tuple[float, int, int]:
    """Seconds of the raw pipeline over the project's segment texts, the number of texts and of words."""
    project = load_project(root)
    documents, _ = read_sources(project, load_register(project.register_path, project.groups))
    texts = [s.text for d in documents for s in d.segments]
    nlp = load_pipeline(PSEUDONYMISE_EXCLUDE)
    list(nlp.pipe(texts[:20]))                      # warm-up (lazy initialisation), not timed
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - t, len(texts), sum(len(t.split()) for t in texts)


def _text_interviews(root: Path) -> list[Path]:
    folder = root / "raw" / "interviews"
    return sorted(p for p in folder.glob("*.txt") if re.search(r"(?m)^interview:\s*\S+", p.read_text("utf-8")))


def add_interview(root: Path, copy_id: str, model: Path | None = None) -> Path:
    """A copy of an interview under a new id (its front matter's ``interview:``)."""
    model = model or _text_interviews(root)[0]
    text = re.sub(r"(?m)^interview:\s*\S+", f"interview: {copy_id}", model.read_text("utf-8"), count=1)
    target = model.with_name(f"{copy_id}.txt")
    target.write_text(text, encoding="utf-8")
    return target


def change_human_code(root: Path) -> None:
    """One more code on the first row of the reference coding (a code of the codebook it does not have)."""
    project = load_project(root)
    path = project.reference_coding_path
    lines = path.read_text("utf-8").splitlines(keepends=True)
    segment, codes = lines[1].rstrip("\r\n").split(",", 1)
    have = codes.strip('"').split(";")
    extra = next(c for c in ("T1", "T2", "T3", "T4", "T5") if c not in have)
    lines[1] = f"{segment},{';'.join(have + [extra])}\n"
    path.write_text("".join(lines), encoding="utf-8")


def _copy(source: Path, target: Path) -> None:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", "build.tmp", ".cache",
                                                                  "pseudonym_keys.csv", "nlp_cache"))


def _ratio(seconds: float, raw: float) -> float:
    return round(seconds / raw, 2)


def main(project_dir: str | None, scale: int = 0, keep: str | None = None) -> dict:
    source = Path(project_dir) if project_dir else REPO / "data" / "kolari"
    figures: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "load_avg_start": os.getloadavg()}}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / source.name
        _copy(source, root)
        reports = Path(tmp) / "reports"
        raw, n_texts, words = raw_spacy_s(root)
        figures["raw_spacy"] = {"s": round(raw, 1), "texts": n_texts, "words": words,
                                "words_per_s": round(words / raw)}
        print(f"raw spaCy: {raw:.1f} s for {words:,} words", flush=True)
        cases = [("cold", lambda: None), ("no_change", lambda: None),
                 ("one_new_interview", lambda: add_interview(root, "H99")),
                 ("one_changed_human_code", lambda: change_human_code(root))]
        if load_project(root).reference_coding_path is None:
            cases = [c for c in cases if c[0] != "one_changed_human_code"]     # no human code to change
            figures["one_changed_human_code"] = {"skipped": "the project has no reference coding"}
            print("one_changed_human_code: skipped, the project has no reference coding", flush=True)
        for name, change in cases:
            change()
            result = run_build(root, reports)
            result["ratio_to_raw_spacy"] = _ratio(result["wall_s"], raw)
            figures[name] = result
            print(f"{name}: {result['wall_s']:.1f} s (×{result['ratio_to_raw_spacy']} raw spaCy), peak "
                  f"{result['rss_self_mb']:.0f} MB build process, {result['peak_tree_mb']} MB with its children",
                  flush=True)
            if name == "cold" and keep:
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(root / "build", keep)
        if scale > 1:
            big = Path(tmp) / f"{source.name}_x{scale}"
            _copy(source, big)
            for model in _text_interviews(big):
                for k in range(1, scale):
                    add_interview(big, f"{model.stem}x{k}", model)
            raw_big, n_big, words_big = raw_spacy_s(big)
            result = run_build(big, Path(tmp) / "reports_big")
            result.update(raw_spacy_s=round(raw_big, 1), texts=n_big, words=words_big,
                          ratio_to_raw_spacy=_ratio(result["wall_s"], raw_big),
                          ratio_to_cold=round(result["wall_s"] / figures["cold"]["wall_s"], 2))
            figures[f"scale_{scale}"] = result
    figures["machine"]["load_avg_end"] = os.getloadavg()
    figures["bench_rss_self_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out = REPO / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "build.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return figures


def table(figures: dict) -> str:
    raw = figures["raw_spacy"]
    rows = [f"| raw spaCy pipeline over the same texts ({raw['words']:,} words) | {raw['s']} s | 1 | |"]
    names = {"cold": "cold build", "no_change": "no-change rebuild", "one_new_interview": "one new interview",
             "one_changed_human_code": "one changed human code"}
    names.update({k: f"cold build, interviews ×{k.split('_')[1]} ({figures[k]['words']:,} words)"
                  for k in figures if k.startswith("scale_")})
    for key, label in names.items():
        r = figures[key]
        if "skipped" in r:
            rows.append(f"| {label}: skipped, {r['skipped']} | | | |")
            continue
        steps = ", ".join(f"{n} {s['s']}" for n, s in r["steps"].items() if s["status"] == "ran")
        ran = sum(n["status"] == "ok" for n in r["notebooks"].values())
        rows.append(f"| {label}: steps run {steps or 'none'}; {ran} notebooks run | {r['wall_s']:.1f} s | "
                    f"{r['ratio_to_raw_spacy']} | {r['rss_self_mb']:.0f} / {r['peak_tree_mb']} MB |")
    return ("| case | wall | ÷ raw spaCy | peak memory: build process / with children |\n|---|---|---|---|\n"
            + "\n".join(rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", nargs="?")
    parser.add_argument("--scale", type=int, default=0, help="also build a copy with the interviews ×N")
    parser.add_argument("--keep", help="copy the cold build's build/ folder here")
    args = parser.parse_args()
    print(table(main(args.project, args.scale, args.keep)))
