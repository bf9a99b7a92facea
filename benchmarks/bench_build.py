"""Benchmark: a cold `codesign build` of the demo project, then a no-change rebuild, time per step and notebook.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_build.py [PROJECT]     (or: make benchmark)

The project is copied to a temporary folder without its build/ and .cache/ (a truly cold build: ingest,
code, analyse when available, every notebook) and reports go to a temporary folder too. For scale, the
time papermill needs to start a kernel and run a notebook with one empty cell is measured as well.
Results are printed and saved to benchmarks/results/build.json.
"""
from __future__ import annotations

import json
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from codesign.pipeline.build import NotebookSpec, build, execute_notebook, pick_kernel  # noqa: E402


def _empty_notebook_s(folder: Path) -> float:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    path = folder / "00_empty.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("pass")]), path)
    spec = NotebookSpec("00_empty", path, "empty", [], {})
    start = time.perf_counter()
    _, error = execute_notebook(spec, folder, {}, pick_kernel())
    assert not error, error
    return time.perf_counter() - start


def _figures(result) -> dict:
    return {"exit_code": result.exit_code, "total_s": round(result.duration_s, 1),
            "steps": {s.name: {"status": s.status, "s": round(s.duration_s, 1)} for s in result.steps},
            "notebooks": {n.name: {"status": n.status, "s": round(n.duration_s, 1)} for n in result.notebooks}}


def main(project_dir: str | None) -> dict:
    source = Path(project_dir) if project_dir else REPO / "data" / "kolari"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / source.name
        shutil.copytree(source, root, ignore=shutil.ignore_patterns("build", "build.tmp", ".cache",
                                                                   "pseudonym_keys.csv"))
        reports = Path(tmp) / "reports"
        t = time.perf_counter()
        cold = build(root, reports_dir=reports, quiet=True)
        cold_wall = time.perf_counter() - t
        t = time.perf_counter()
        again = build(root, reports_dir=reports, quiet=True)
        again_wall = time.perf_counter() - t
        empty_s = _empty_notebook_s(Path(tmp))
    figures = {
        "cold": _figures(cold) | {"wall_s": round(cold_wall, 1)},
        "no_change": _figures(again) | {"wall_s": round(again_wall, 1)},
        "empty_notebook_s": round(empty_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
    }
    out = REPO / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "build.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return figures


if __name__ == "__main__":
    result = main(sys.argv[1] if len(sys.argv) > 1 else None)
    for run in ("cold", "no_change"):
        r = result[run]
        print(f"{run:<10} {r['wall_s']:>7.1f} s wall (exit {r['exit_code']})")
        for name, step in r["steps"].items():
            print(f"  step {name:<18} {step['status']:<11} {step['s']:>6.1f} s")
        for name, nb in r["notebooks"].items():
            print(f"  notebook {name:<14} {nb['status']:<11} {nb['s']:>6.1f} s")
    print(f"papermill kernel start + one empty cell: {result['empty_notebook_s']} s; "
          f"peak RSS of the build process {result['peak_rss_mb']} MB")
