"""The pipeline steps (ingest → code → analyse → deliverables): what each reads and writes, and the runner
that runs a step only when its inputs changed since it last succeeded or its outputs are missing."""
from __future__ import annotations

import importlib
import importlib.util
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from codesign.core.errors import CodesignError, LeakError, SetupError
from codesign.core.project import Project
from codesign.pipeline.reporter import Reporter
from codesign.pipeline.state import STATE_FILE, code_version, digest_of, digest_paths


@dataclass(frozen=True)
class Step:
    """One pipeline step: what it reads, what it writes, how to run it, and when it cannot run."""
    name: str
    inputs: Callable[[Project], list[Path]]
    outputs: Callable[[Project], list[Path]]
    run: Callable[[Project, dict], str]             # returns a one-line summary
    unavailable: Callable[[Project], str | None]    # a reason to skip, or None


def _ingest_inputs(project: Project) -> list[Path]:
    return [project.config_path, project.register_path] + [path for _, path in project.expand_sources()]


def _run_ingest(project: Project, params: dict) -> str:
    from codesign.privacy.leakcheck import redactor
    from codesign.sources.ingest import ingest

    result = ingest(project)
    if result.failures:
        # redacted: this text lands in index.html; the full messages are in private/ingest_errors.log
        redact = redactor(project)
        raise StepFailed(f"{len(result.failures)} source(s) could not be read: "
                         + "; ".join(redact(f"{f.path}: {f.redacted}") for f in result.failures)
                         + " (details: private/ingest_errors.log)")
    kept = f"; the keep list overruled the NER {len(result.warnings)} time(s) (private/pseudonymisation_report.csv)" \
        if result.warnings else ""
    reused = f" ({result.nlp_reused} unchanged, NLP reused)" if result.nlp_reused else ""
    return f"{len(result.segments)} segments from {len(result.documents)} sources{reused}{kept}"


def _code_inputs(project: Project) -> list[Path]:
    paths = [project.build_dir / "segments.parquet", project.codebook_path, project.reference_coding_path]
    return [p for p in paths if p is not None]


def _run_code(project: Project, params: dict) -> str:
    from codesign.coding.step import code

    return code(project).summary()


def _code_unavailable(project: Project) -> str | None:
    if project.codebook_path is None:
        return "project.yml names no codebook; the codings present are used as they are"
    return None


def _analyse_inputs(project: Project) -> list[Path]:
    build = project.build_dir
    paths = [project.config_path, build / "segments.parquet", build / "codings.parquet",
             build / "respondents.parquet", build / "survey_rankings.parquet", build / "survey_likert.parquet"]
    return paths + [p for p in (project.codebook_path, project.validated_programme_path) if p is not None]


def _analysis_module():
    try:
        if importlib.util.find_spec("codesign.analysis") is None:
            return None
    except (ImportError, ValueError):
        return None
    module = importlib.import_module("codesign.analysis")
    return module if hasattr(module, "analyse") else None


def analysis_overrides(params: dict) -> dict:
    """The ``--params``/``-p`` values the analytics knows (fields of its ``AnalysisParams``); the analytics
    reads project.yml ``report:`` itself, and notebook-only names would be unknown to it."""
    import dataclasses

    module = _analysis_module()
    kind = getattr(module, "AnalysisParams", None) if module is not None else None
    if kind is None or not dataclasses.is_dataclass(kind):
        return {}
    names = {f.name for f in dataclasses.fields(kind)}
    return {k: v for k, v in params.items() if k in names}


def _run_analyse(project: Project, params: dict) -> str:
    result = _analysis_module().analyse(project, params=params or None)
    return f"{len(result.tables)} tables"


def _analyse_unavailable(project: Project) -> str | None:
    if _analysis_module() is None:
        return "codesign.analysis is not available in this version of codesign (analytics not installed yet)"
    if project.codebook_path is None or project.programme_path is None:
        return "project.yml names no codebook or programme, which the analytics need"
    return None


#: What the deliverables step writes into build/ (docs/deliverables.md); each build copies them into its
#: report folder and links them from index.html.
DELIVERABLES = ("templates/seurantapohja.xlsx", "templates/viestintasuunnitelma.xlsx", "committee_summary.docx")
#: The analysis tables the committee summary and the monitoring workbook read.
DELIVERABLE_TABLES = ("theme_validation", "goal_validation", "survey_priorities", "triangulation_stage",
                      "evidence_ledger")


def _deliverables_inputs(project: Project) -> list[Path]:
    build = project.build_dir
    configured = [project.config_path, project.programme_path, project.programme_draft_path]
    return ([p for p in configured if p is not None] + [build / "segments.parquet", build / "codings.parquet"]
            + [build / f"{name}.csv" for name in DELIVERABLE_TABLES])


def _run_deliverables(project: Project, params: dict) -> str:
    from codesign.outputs.summary import write_summary
    from codesign.outputs.templates import make_templates

    make_templates(project)
    write_summary(project)
    return "monitoring and communication workbooks, committee summary"


def _deliverables_unavailable(project: Project) -> str | None:
    if project.programme_path is None:
        return "project.yml names no programme, which the deliverables need"
    missing = [n for n in DELIVERABLE_TABLES if not (project.build_dir / f"{n}.csv").is_file()]
    if missing:
        return f"the analysis tables are missing ({', '.join(missing)}); `codesign analyse` writes them"
    return None


STEPS: list[Step] = [
    Step("ingest", _ingest_inputs, lambda p: [p.build_dir / "segments.parquet"], _run_ingest, lambda p: None),
    Step("code", _code_inputs, lambda p: [p.build_dir / "codings.parquet"], _run_code, _code_unavailable),
    Step("analyse", _analyse_inputs, lambda p: [p.build_dir / "analysis_report.json"], _run_analyse,
         _analyse_unavailable),
    Step("deliverables", _deliverables_inputs, lambda p: [p.build_dir / f for f in DELIVERABLES],
         _run_deliverables, _deliverables_unavailable),
]


class StepFailed(CodesignError):
    """A pipeline step ran but did not complete (e.g. a source could not be read)."""


@dataclass
class StepRun:
    name: str
    status: str             # ran, up_to_date, skipped, failed
    note: str = ""
    duration_s: float = 0.0


def _step_key(step: Step, project: Project, params: dict) -> str:
    inputs = [p for p in step.inputs(project) if p is not None]
    return digest_of({"inputs": digest_paths(inputs, project.root), "params": params, "version": code_version()})


def run_pipeline(project: Project, params: dict | None = None, force: bool = False,
                 reporter: Reporter | None = None, steps: list[Step] | None = None) -> list[StepRun]:
    """Run each step whose inputs changed (or outputs are missing); a failed step stops the later ones."""
    reporter = reporter or Reporter(quiet=True)
    state_path = project.build_dir / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.is_file() else {}
    runs: list[StepRun] = []
    failed = False
    for step in steps if steps is not None else STEPS:
        step_params = params if step.name == "analyse" else {}
        if failed:
            runs.append(StepRun(step.name, "skipped", "an earlier step failed"))
            continue
        reason = step.unavailable(project)
        if reason:
            reporter.progress(f"  {step.name:<8} skipped: {reason}")
            runs.append(StepRun(step.name, "skipped", reason))
            continue
        key = _step_key(step, project, step_params)
        outputs_present = all(p.is_file() for p in step.outputs(project))
        if not force and outputs_present and state.get(step.name) == key:
            reporter.progress(f"  {step.name:<8} up to date")
            runs.append(StepRun(step.name, "up_to_date"))
            continue
        reporter.progress(f"  {step.name:<8} running …")
        start = time.perf_counter()
        try:
            summary = step.run(project, step_params)
        except (LeakError, SetupError):
            raise           # leaks and missing system parts stop the build with their own exit status
        except CodesignError as exc:
            reporter.error(f"{step.name} failed: {exc}")
            runs.append(StepRun(step.name, "failed", str(exc), time.perf_counter() - start))
            failed = True
            continue
        duration = time.perf_counter() - start
        reporter.progress(f"  {step.name:<8} done in {duration:.1f} s: {summary}")
        runs.append(StepRun(step.name, "ran", summary, duration))
        state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.is_file() else {}
        state[step.name] = _step_key(step, project, step_params)   # inputs as they were when it succeeded
        project.build_dir.mkdir(parents=True, exist_ok=True)
        state_path.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    return runs
