"""Profile a cold `codesign build`: cProfile per pipeline step, the top entries of each printed.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/profile_build.py [PROJECT] [--top 12] [--out DIR]

The project is copied to a temporary folder (as in bench_build.py, without build/, caches or key table).
Each step (ingest, code, analyse, deliverables) runs under its own profiler; the notebooks run in their own
kernels, so for them the wall time of each is printed (the build process only waits). The ``.pstats`` files
are kept in ``--out`` (default benchmarks/results/profile/) for ``python -m pstats``.
"""
from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import bench_build  # noqa: E402

from codesign.pipeline import steps as S  # noqa: E402
from codesign.pipeline.build import build  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", nargs="?", default=str(REPO / "data" / "kolari"))
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "profile"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def profiled(step: S.Step) -> S.Step:
        def run(project, params):
            profile = cProfile.Profile()
            profile.enable()
            try:
                return step.run(project, params)
            finally:
                profile.disable()
                profile.dump_stats(out / f"{step.name}.pstats")
        return dataclasses.replace(step, run=run)

    S.STEPS[:] = [profiled(s) for s in S.STEPS]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / Path(args.project).name
        bench_build._copy(Path(args.project), root)
        t = time.perf_counter()
        result = build(root, reports_dir=Path(tmp) / "reports", quiet=True)
        print(f"cold build {time.perf_counter() - t:.1f} s, exit {result.exit_code}")
    for step in result.steps:
        print(f"\n## step {step.name}: {step.status}, {step.duration_s:.1f} s")
        path = out / f"{step.name}.pstats"
        if step.status != "ran" or not path.is_file():
            continue
        for order in ("cumulative", "tottime"):
            text = io.StringIO()
            pstats.Stats(str(path), stream=text).strip_dirs().sort_stats(order).print_stats(args.top)
            lines = text.getvalue().splitlines()
            start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
            print(f"top {args.top} by {order}:")
            print("\n".join(lines[start:start + args.top + 1]))
    print("\n## notebooks (each in its own kernel)")
    for nb in result.notebooks:
        print(f"{nb.name:<24} {nb.status:<10} {nb.duration_s:6.1f} s")


if __name__ == "__main__":
    main()
