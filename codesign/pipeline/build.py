"""``codesign build``: bring a project's build up to date and regenerate its reports.

1. Pipeline steps (``STEPS``: ingest → code → analyse → deliverables) run when their inputs changed since
   they last ran (content hashes kept in ``build/pipeline_state.json``), or when their outputs are missing.
2. Every notebook ``NN_*.ipynb`` of the notebooks folder runs with papermill into
   ``REPORTS/<project>/<timestamp>/`` and is converted to standalone HTML with the code hidden. A notebook
   whose key (the files it reads, the notebook itself, its parameters, the codesign version and source) equals
   the key of its last successful run is not re-run: its outputs are carried over (hard link, else copy).
3. ``index.html`` and ``build.json`` describe the run; the privacy leak check scans everything written;
   ``REPORTS/<project>/latest`` then points at the build when every notebook succeeded.

One lock per project (``PROJECT/.cache/build.lock``, filelock) keeps overlapping runs (cron) apart.
Adding a report is adding a notebook file: nothing here lists notebooks.

The parts live beside this module: ``steps`` (the pipeline and its runner), ``state`` (hashes, code version),
``notebooks`` (discovery, keys, papermill, HTML), ``folders`` (report folders, ``latest``), ``index`` (the
landing page), ``lock``, ``params`` and ``reporter``.
"""
from __future__ import annotations

import datetime as dt
import json
import platform
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from codesign.core.errors import InputError
from codesign.core.project import Project, load_project
from codesign.pipeline.folders import (
    BUILD_FILE,
    carry_over,
    new_build_dir,
    previous_build,
    project_reports_dir,
    update_latest,
)
from codesign.pipeline.index import landing_and_news, render_index
from codesign.pipeline.lock import build_lock
from codesign.pipeline.notebooks import (
    DEFAULT_NOTEBOOKS,
    NotebookRun,
    discover_notebooks,
    notebook_key,
    pick_kernel,
    run_notebooks,
    select_notebooks,
)
from codesign.pipeline.params import merged_params, read_params_file
from codesign.pipeline.reporter import Reporter
from codesign.pipeline.state import STATE_FILE, code_version, digest_of, digest_paths
from codesign.pipeline.steps import DELIVERABLES, StepRun, analysis_overrides, run_pipeline

EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_LEAK, EXIT_BUSY = 0, 1, 2, 3, 4


@dataclass
class BuildResult:
    project: str
    out_dir: Path
    exit_code: int
    steps: list[StepRun]
    notebooks: list[NotebookRun]
    duration_s: float
    complete: bool
    leaks: list[str] = field(default_factory=list)



def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"codesign": code_version(), "python": platform.python_version()}
    for name in ("pandas", "seaborn", "matplotlib", "papermill", "nbconvert", "spacy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out



def build(project: Project | Path | str | None = None, *, reports_dir: Path | str | None = None,
          notebooks_dir: Path | str | None = None, force: bool = False, params_file: Path | str | None = None,
          params: dict | None = None, only: list[str] | None = None, quiet: bool = False,
          lock_wait_s: float = 10.0, run_steps: bool = True, reporter: Reporter | None = None) -> BuildResult:
    """Bring the project's build up to date and regenerate its reports; see the module docstring."""
    project = load_project(project)
    reporter = reporter or Reporter(quiet)
    notebooks_dir = Path(notebooks_dir) if notebooks_dir is not None else DEFAULT_NOTEBOOKS
    if not notebooks_dir.is_dir():
        raise InputError(notebooks_dir, "notebooks folder not found", hint="give --notebooks DIR")
    overrides = merged_params(project, params_file, params)
    project_dir = project_reports_dir(project, reports_dir)
    started = time.perf_counter()
    with build_lock(project, lock_wait_s):
        reporter.progress(f"codesign build {project.name}: pipeline")
        specs = discover_notebooks(notebooks_dir)
        chosen = select_notebooks(specs, only)          # a wrong --only name fails before any work
        explicit = {**(read_params_file(params_file) if params_file else {}), **(params or {})}
        steps = run_pipeline(project, analysis_overrides(explicit), force, reporter) if run_steps else []
        previous = previous_build(project_dir)
        prev_runs = {n["name"]: n for n in (previous or {}).get("notebooks", [])}
        out_dir = new_build_dir(project_dir)
        kernel = pick_kernel()
        reporter.progress(f"codesign build {project.name}: {len(specs)} notebooks → {out_dir} (kernel {kernel})")
        runs, todo = [], []
        for number, spec in enumerate(specs, start=1):
            nb_params = {k: v for k, v in overrides.items() if k in spec.declared}
            nb_params["project"] = str(project.root.resolve())
            key, inputs_hash = notebook_key(spec, project, nb_params)
            run = NotebookRun(spec.name, spec.title, "ok", key, inputs_hash, nb_params)
            prefix = f"  [{number}/{len(specs)}] {spec.name:<24}"
            prev = prev_runs.get(spec.name)
            prev_dir = Path(previous["_dir"]) if previous else None
            carry = prev is not None and prev["status"] in ("ok", "unchanged", "kept") and (
                spec.name not in chosen or (not force and prev["key"] == key))
            if carry and all((prev_dir / prev[f]).is_file() for f in ("html", "ipynb") if prev.get(f)):
                for kind in ("ipynb", "html"):
                    if prev.get(kind):
                        carry_over(prev_dir / prev[kind], out_dir / prev[kind])
                run.status = "unchanged" if spec.name in chosen else "kept"
                run.html, run.ipynb = prev.get("html"), prev.get("ipynb")
                run.built_in = prev.get("built_in") or prev_dir.name
                if run.status == "kept":
                    run.key, run.inputs_hash, run.params = prev["key"], prev["inputs_hash"], prev["params"]
                reporter.progress(f"{prefix} {run.status}")
            elif spec.name not in chosen:
                run.status = "missing"
                reporter.progress(f"{prefix} not run (--only)")
            else:
                todo.append((run, spec, nb_params, prefix))
            runs.append(run)
        run_notebooks(todo, out_dir, kernel, reporter)

        delivered = []
        if any(s.name == "deliverables" and s.status in ("ran", "up_to_date") for s in steps):
            for relative in DELIVERABLES:     # copies: the report folder keeps what this build delivered
                if (project.build_dir / relative).is_file():
                    shutil.copy2(project.build_dir / relative, out_dir / Path(relative).name)
                    delivered.append(Path(relative).name)
        duration = time.perf_counter() - started
        failed = any(r.status == "failed" for r in runs) or any(s.status == "failed" for s in steps)
        meta = _build_metadata(project, out_dir, steps, runs, overrides, kernel, duration, failed)
        meta["deliverables"] = delivered
        (out_dir / BUILD_FILE).write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
        language = overrides.get("language", "fi") if overrides.get("language") in ("fi", "en") else "fi"
        context, news = landing_and_news(project, out_dir, previous, language)
        (out_dir / "index.html").write_text(render_index(meta, language, context), encoding="utf-8")

        leaks = _leak_check(project, out_dir)
        if leaks:
            for line in leaks:
                reporter.error(f"privacy leak: {line}")
            reporter.error(f"the files above were deleted; the build {out_dir} is not complete and `latest` "
                           "was not moved. Add the missing names to the register or project.yml "
                           "pseudonymisation settings, then build again.")
            return BuildResult(project.name, out_dir, EXIT_LEAK, steps, runs, duration, False, leaks)
        duration = time.perf_counter() - started        # the leak check included
        complete = not failed and all(r.status in ("ok", "unchanged", "kept") for r in runs)
        if complete:
            update_latest(project_dir, out_dir)
        n_ran = sum(r.status == "ok" for r in runs)
        n_same = sum(r.status in ("unchanged", "kept") for r in runs)
        n_failed = sum(r.status == "failed" for r in runs)
        summary = (f"build {'complete' if complete else 'INCOMPLETE'} in {duration:.1f} s: {n_ran} ran, "
                   f"{n_same} unchanged, {n_failed} failed → {out_dir / 'index.html'}")
        if complete:
            reporter.progress(summary)
        else:
            reporter.error(summary)
        if news is not None:
            reporter.progress(f"changes since the previous build {Path(previous['_dir']).name}: "
                              + ("none" if not news else f"{len(news)}"))
            for change in news:
                reporter.progress(f"  - {change.text}")
        return BuildResult(project.name, out_dir, EXIT_FAILED if failed else EXIT_OK, steps, runs, duration,
                           complete)



_EMBEDDED_IMAGE = re.compile(r"data:image/[a-z+.-]+;base64,[A-Za-z0-9+/=]+|"
                             r'"image/(?:png|jpeg|gif)": "[A-Za-z0-9+/=\\n]+"')


#: The deliverables copied into a report folder (zip files; the leak checker opens them itself).
_OFFICE_FILES = (".docx", ".xlsx")


def _leak_check(project: Project, out_dir: Path) -> list[str]:
    """Scan everything this build wrote; delete files with findings; return redacted finding lines.

    Files are scanned as text with embedded images cut out (the leak check skips images anyway;
    figures are drawn from the scanned tables).
    """
    import tempfile

    from codesign.privacy.leakcheck import scan

    with tempfile.TemporaryDirectory(prefix="codesign-leak-") as tmp:
        copies = {}
        for file in sorted(p for p in out_dir.rglob("*") if p.is_file()):
            copy = Path(tmp) / file.relative_to(out_dir)
            copy.parent.mkdir(parents=True, exist_ok=True)
            if file.suffix in _OFFICE_FILES:      # the checker reads these part by part itself
                shutil.copy2(file, copy)
            else:
                text = file.read_text(encoding="utf-8", errors="replace")
                copy.write_text(_EMBEDDED_IMAGE.sub("[image]", text), encoding="utf-8")
            copies[str(copy)] = file
        findings = scan(project, [Path(tmp)])
        originals = [(copies.get(f.path, Path(f.path)), f) for f in findings]
    for path in {str(original) for original, _ in originals}:
        Path(path).unlink(missing_ok=True)
    # the value itself is personal data: say where and what, not the value
    return [f"{original} ({f.where}): {f.what}" for original, f in originals]


def _build_metadata(project, out_dir, steps, runs, params, kernel, duration, failed) -> dict:
    tables = digest_paths([p for p in sorted(project.build_dir.glob("*")) if p.is_file()
                           and p.name != STATE_FILE], project.root) if project.build_dir.is_dir() else {}
    return {
        "project": project.name, "title": project.title, "build": out_dir.name,
        "finished": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "status": "failed" if failed else "ok", "duration_s": round(duration, 2), "kernel": kernel,
        "inputs_hash": digest_of(tables), "inputs": tables, "parameters": params, "versions": versions(),
        # durations rounded: a float's 16 decimals (20.0536154011999315) can read as a phone number
        "steps": [{**asdict(s), "duration_s": round(s.duration_s, 2)} for s in steps],
        "notebooks": [{**asdict(r), "duration_s": round(r.duration_s, 2)} for r in runs],
    }
