"""``codesign build``: bring a project's build up to date and regenerate its reports.

1. Pipeline steps (``STEPS``: ingest → code → analyse → deliverables) run when their inputs changed since
   they last ran (content hashes kept in ``build/pipeline_state.json``), or when their outputs are missing.
2. Every notebook ``NN_*.ipynb`` of the notebooks folder runs with papermill into
   ``REPORTS/<project>/<timestamp>/`` and is converted to standalone HTML with the code hidden. A notebook
   whose key (the files it reads, the notebook itself, its parameters, the codesign version and source) equals
   the key of its last successful run is not re-run: its outputs are carried over (hard link, else copy).
3. ``index.html`` and ``build.json`` describe the run; the privacy leak check scans everything written;
   ``REPORTS/<project>/latest`` then points at the build when every notebook succeeded.

One lock per project (``PROJECT/.cache/build.lock``, fcntl) keeps overlapping runs (cron) apart.
Adding a report is adding a notebook file: nothing here lists notebooks.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import hashlib
import html
import importlib
import importlib.util
import json
import os
import platform
import re
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

from codesign._version import __version__
from codesign.core.errors import CodesignError, InputError, LeakError, SetupError
from codesign.core.project import Project, load_project
from codesign.core.safety import inside
from codesign.outputs.markup import with_csp

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_NOTEBOOKS = PACKAGE_ROOT / "notebooks"
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
STATE_FILE = "pipeline_state.json"
BUILD_FILE = "build.json"
CELL_TIMEOUT_S = 900

EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_LEAK, EXIT_BUSY = 0, 1, 2, 3, 4


class BuildBusy(CodesignError):
    """Another build of the same project holds the lock."""


# ---------------------------------------------------------------------------------------------- output
class Reporter:
    """Progress lines on stdout (unless quiet); errors always on stderr."""

    def __init__(self, quiet: bool = False, out=None, err=None) -> None:
        self.quiet = quiet
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def progress(self, message: str) -> None:
        if not self.quiet:
            print(message, file=self.out, flush=True)

    def error(self, message: str) -> None:
        print(f"error: {message}", file=self.err, flush=True)


# ---------------------------------------------------------------------------------------------- hashing
def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digest_paths(paths: list[Path], root: Path) -> dict[str, str]:
    """Relative path → sha256 (``missing`` for a file that is not there); folders are walked."""
    out: dict[str, str] = {}
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                name = str(file.resolve().relative_to(root.resolve()))
            except ValueError:
                name = str(file)
            out[name] = file_digest(file) if file.is_file() else "missing"
    return dict(sorted(out.items()))


def digest_of(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The codesign version plus a digest of the package's source, so that a changed coder, analysis or
    figure re-runs the steps and reports it affects even when the version number did not change."""
    package = Path(__file__).resolve().parents[1]
    sources = {str(p.relative_to(package)): file_digest(p) for p in sorted(package.rglob("*.py"))}
    return f"{__version__}+{digest_of(sources)[:12]}"


# ---------------------------------------------------------------------------------------------- pipeline
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


# ---------------------------------------------------------------------------------------------- parameters
def read_params_file(path: Path | str) -> dict:
    import yaml

    path = Path(path)
    if not path.is_file():
        raise InputError(path, "parameters file not found", hint="give a YAML file of `name: value` lines")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(path, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                         line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise InputError(path, "the parameters file must be a mapping of `name: value`", line=1)
    return {str(k): v for k, v in data.items()}


def parse_cli_params(pairs: list[tuple[str, str]] | None) -> dict:
    """``-p name value`` pairs; values are read as YAML scalars/lists (``0.5``, ``true``, ``[T1, T2]``)."""
    import yaml

    out = {}
    for name, value in pairs or []:
        if not name.isidentifier():
            raise InputError("-p", f"parameter name {name!r} is not a valid name",
                             hint="use letters, digits and _ (e.g. -p language en)")
        try:
            out[name] = yaml.safe_load(value) if value != "" else ""
        except yaml.YAMLError:
            out[name] = value
    return out


def merged_params(project: Project, params_file: Path | str | None = None, cli: dict | None = None) -> dict:
    """project.yml ``report:``, then the ``--params`` file, then ``-p`` (later wins)."""
    params = dict(project.report)
    if params_file:
        params.update(read_params_file(params_file))
    params.update(cli or {})
    return params


# ---------------------------------------------------------------------------------------------- notebooks
@dataclass
class NotebookSpec:
    name: str               # file stem, e.g. 01_workshop1
    path: Path
    title: str
    reads: list[str]        # project-relative globs, or codebook/programme/reference_coding/project
    declared: dict          # parameter name → default (from the parameters cell)


def declared_parameters(path: Path, cells: list[dict]) -> dict:
    """Names and default values assigned in the cell tagged ``parameters`` (empty when there is none)."""
    import ast

    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell.get("source", []))
            try:
                tree = ast.parse(source)
            except SyntaxError as exc:
                raise InputError(path, f"the parameters cell is not valid Python: {exc.msg}",
                                 line=exc.lineno, hint="fix the cell tagged `parameters`") from None
            out = {}
            for node in tree.body:
                if isinstance(node, (ast.Assign, ast.AnnAssign)):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if isinstance(target, ast.Name):
                            try:
                                out[target.id] = ast.literal_eval(node.value) if node.value else None
                            except ValueError:
                                out[target.id] = ast.unparse(node.value)
            return out
    return {}


def discover_notebooks(folder: Path) -> list[NotebookSpec]:
    """Every ``NN_*.ipynb`` of ``folder`` with its metadata; read as plain JSON, so a build with nothing to
    run never imports papermill or nbconvert (seconds of start-up)."""
    specs = []
    for path in sorted(folder.glob(NOTEBOOK_PATTERN)):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(path, f"not a notebook (invalid JSON: {exc})",
                             hint="save it again from Jupyter") from None
        meta = nb.get("metadata", {}).get("codesign", {})
        specs.append(NotebookSpec(path.stem, path, meta.get("title", path.stem),
                                  list(meta.get("reads", ["build"])), declared_parameters(path, nb.get("cells", []))))
    return specs


def _read_paths(project: Project, reads: list[str]) -> list[Path]:
    named = {"codebook": project.codebook_path, "programme": project.programme_path,
             "programme_draft": project.programme_draft_path,
             "reference_coding": project.reference_coding_path, "project": project.config_path}
    paths: list[Path] = []
    for item in reads:
        if item in named:
            if named[item] is not None:
                paths.append(named[item])
        elif any(ch in item for ch in "*?["):
            found = sorted(project.root.glob(item))
            paths += found or [project.root / item]
        else:
            paths.append(project.root / item)
    # the pipeline's own bookkeeping is not something a notebook reads
    return [p for p in paths if p.name != STATE_FILE]


def notebook_key(spec: NotebookSpec, project: Project, params: dict) -> tuple[str, str]:
    """(key, inputs hash): the notebook re-runs when either changes."""
    inputs = digest_paths(_read_paths(project, spec.reads), project.root)
    inputs_hash = digest_of(inputs)
    key = digest_of({"notebook": file_digest(spec.path), "inputs": inputs_hash, "params": params,
                     "version": code_version()})
    return key, inputs_hash


@dataclass
class NotebookRun:
    name: str
    title: str
    status: str                 # ok, unchanged, failed, kept, missing
    key: str = ""
    inputs_hash: str = ""
    params: dict = field(default_factory=dict)
    duration_s: float = 0.0
    error: str = ""
    html: str | None = None
    ipynb: str | None = None
    built_in: str | None = None   # the build folder the outputs were made in (for carried-over ones)


def pick_kernel() -> str:
    """``codesign`` when registered and its interpreter exists, else this interpreter's ``python3``."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec("codesign")
        if spec.argv and (Path(spec.argv[0]).exists() or shutil.which(spec.argv[0])):
            return "codesign"
    except NoSuchKernel:
        pass
    return "python3"


@contextmanager
def _kernel_env():
    """Kernels import the codesign this build runs (not another install on the path), and know that a build
    runs them (``CODESIGN_BUILD``: interactive views render as static HTML)."""
    old = os.environ.get("PYTHONPATH")
    old_build = os.environ.get("CODESIGN_BUILD")
    parts = [str(PACKAGE_ROOT)] + ([old] if old else [])
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(parts))
    os.environ["CODESIGN_BUILD"] = "1"
    try:
        yield
    finally:
        for name, value in (("PYTHONPATH", old), ("CODESIGN_BUILD", old_build)):
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _captured_stderr():
    """The kernel process inherits file descriptor 2 and logs start-up chatter there; keep it out of the
    terminal (cron mails) and hand it back so a kernel that dies can be explained."""
    import tempfile

    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        captured: list[str] = []
        try:
            yield captured
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured.append(sink.read().decode("utf-8", errors="replace"))


@contextmanager
def _shared_kernel_env():
    """The kernels' environment and captured stderr once for several notebooks run at the same time (both
    are process-wide); a failing kernel's message then has no stderr tail of its own."""
    with _kernel_env(), _captured_stderr():
        yield []


def execute_notebook(spec: NotebookSpec, out_dir: Path, params: dict, kernel: str,
                     environment=None) -> tuple[Path, str]:
    """Run one notebook into ``out_dir``; returns (executed .ipynb, error text or ""). ``environment`` is
    the context that sets the kernel's environment (default: its own, with this kernel's stderr captured)."""
    import logging
    from contextlib import ExitStack

    import papermill
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.ERROR)
    output = out_dir / f"{spec.name}.ipynb"
    stderr: list[str] = []
    try:
        with ExitStack() as stack:
            if environment is None:
                stack.enter_context(_kernel_env())
                stderr = stack.enter_context(_captured_stderr())
            papermill.execute_notebook(str(spec.path), str(output), parameters=params, kernel_name=kernel,
                                       progress_bar=False, log_output=False,
                                       # two at a time, no notebook may move the shared working directory:
                                       # the kernel finds its folder in CODESIGN_NOTEBOOKS_DIR instead
                                       cwd=str(spec.path.parent) if environment is None else None,
                                       execution_timeout=CELL_TIMEOUT_S)
    except PapermillExecutionError as exc:
        return output, f"{exc.ename}: {exc.evalue}"
    except Exception as exc:    # a kernel that dies or cannot start fails this notebook only
        tail = "\n".join("".join(stderr).strip().splitlines()[-15:])
        return output, f"{type(exc).__name__}: {exc}" + (f"\n{tail}" if tail else "")
    return output, ""


#: Interactive widget outputs: the static report shows the same views as HTML (codesign.outputs.explorer).
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Scripts nbconvert's template would fetch from the network (require.js, MathJax): reports open offline.
_REMOTE_SCRIPT = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>\s*')


def to_html(ipynb: Path, title: str, language: str = "fi") -> Path:
    """Standalone HTML (images embedded) with the code and the prompts hidden, in ``language`` (``<html
    lang>``), without widget outputs (their static version is in the report) and without remote scripts."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            embed_images=True)
    exporter.mathjax_url = ""          # no network fetches: reports open offline
    nb = nbformat.read(ipynb, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if _WIDGET_MIME not in o.get("data", {})]
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = body.replace('<html lang="en">', f'<html lang="{html.escape(language)}">', 1)
    body = _REMOTE_SCRIPT.sub("", body)
    out = ipynb.with_suffix(".html")
    # the reports are shared: no script runs in them, whatever a notebook displayed (docs/security.md)
    out.write_text(with_csp(body), encoding="utf-8")
    return out


def _carry(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


# ---------------------------------------------------------------------------------------------- lock
@contextmanager
def build_lock(project: Project, wait_s: float = 10.0):
    """An exclusive fcntl lock per project; waits ``wait_s`` seconds, then raises BuildBusy."""
    import fcntl

    path = project.cache_dir / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise BuildBusy(f"another `codesign build` of {project.name} is running ({holder}); "
                                    f"waited {wait_s:.0f} s. Nothing was changed; run again when it "
                                    f"has finished (lock: {path})") from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC\n")
        handle.flush()
        yield path
    finally:
        handle.close()     # closing releases the lock


# ---------------------------------------------------------------------------------------------- build
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


def project_reports_dir(project: Project, reports_dir: Path | str | None) -> Path:
    base = Path(reports_dir) if reports_dir is not None else Path(os.environ.get("CODESIGN_REPORTS", "reports"))
    # absolute: notebooks run two at a time, and papermill moves the working directory while one runs
    return inside(base.resolve(), project.name)  # the name is an id: checked again as a path


def previous_build(project_dir: Path) -> dict | None:
    """build.json of the newest finished build (failed notebooks included: their good siblings carry)."""
    if not project_dir.is_dir():
        return None
    for folder in sorted((p for p in project_dir.iterdir() if p.is_dir() and not p.is_symlink()), reverse=True):
        meta = folder / BUILD_FILE
        if meta.is_file():
            data = json.loads(meta.read_text(encoding="utf-8"))
            data["_dir"] = str(folder)
            return data
    return None


def _new_build_dir(project_dir: Path) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate, n = project_dir / stamp, 1
    while candidate.exists():
        n += 1
        candidate = project_dir / f"{stamp}-{n}"
    candidate.mkdir(parents=True)
    return candidate


def update_latest(project_dir: Path, build_dir: Path) -> None:
    """Point ``latest`` at ``build_dir``: a relative symlink swapped in atomically, else a small text file."""
    latest = project_dir / "latest"
    tmp = project_dir / ".latest.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    try:
        os.symlink(build_dir.name, tmp, target_is_directory=True)
    except (OSError, NotImplementedError):
        tmp.write_text(build_dir.name + "\n", encoding="utf-8")
    if latest.is_dir() and not latest.is_symlink():
        raise CodesignError(f"{latest} is a folder; remove it so codesign can keep the `latest` link there")
    os.replace(tmp, latest)


def resolve_latest(project_dir: Path) -> Path | None:
    latest = project_dir / "latest"
    if latest.is_symlink():
        return (project_dir / os.readlink(latest)).resolve()
    if latest.is_file():
        return project_dir / latest.read_text(encoding="utf-8").strip()
    return None


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"codesign": code_version(), "python": platform.python_version()}
    for name in ("pandas", "seaborn", "matplotlib", "papermill", "nbconvert", "spacy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def select_notebooks(specs: list[NotebookSpec], only: list[str] | None) -> set[str]:
    if not only:
        return {s.name for s in specs}
    chosen = set()
    for pattern in only:
        hits = {s.name for s in specs if s.name == pattern or s.name.startswith(pattern + "_")
                or s.name.split("_", 1)[-1] == pattern or fnmatch.fnmatch(s.name, pattern)}
        if not hits:
            raise InputError("--only", f"no notebook matches {pattern!r}",
                             hint=f"use one of: {', '.join(s.name for s in specs)}")
        chosen |= hits
    return chosen


def notebook_workers() -> int:
    """How many notebooks run at the same time: ``$CODESIGN_NOTEBOOK_WORKERS``, else 2 with two or more cores
    (each kernel holds its own copy of the tables, a few hundred MB), else 1."""
    value = os.environ.get("CODESIGN_NOTEBOOK_WORKERS", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise InputError("CODESIGN_NOTEBOOK_WORKERS", f"{value!r} is not a number",
                             hint="set it to 1, 2, …, or unset it") from None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 2 if cores >= 2 else 1


def _run_notebook(run: NotebookRun, spec: NotebookSpec, nb_params: dict, prefix: str, out_dir: Path, kernel: str,
                  reporter: Reporter, environment=None) -> None:
    """Execute one notebook and convert it to HTML; the outcome is written into ``run``."""
    reporter.progress(f"{prefix} running …")
    t0 = time.perf_counter()
    ipynb, error = execute_notebook(spec, out_dir, nb_params, kernel, environment)
    run.ipynb = ipynb.name if ipynb.is_file() else None
    if not error:
        try:
            from codesign.outputs.report import report_title

            title = report_title(spec.name, nb_params.get("language", "fi")
                                 if nb_params.get("language") in ("fi", "en") else "fi", spec.title)
            run.html = to_html(ipynb, title, nb_params.get("language", "fi")).name
        except Exception as exc:     # a conversion failure fails this notebook only
            error = f"HTML conversion failed: {type(exc).__name__}: {exc}"
    run.duration_s = time.perf_counter() - t0
    run.built_in = out_dir.name
    if error:
        run.status, run.error = "failed", error
        reporter.error(f"notebook {spec.name} failed after {run.duration_s:.1f} s: {error}"
                       + (f" (executed notebook kept: {out_dir / run.ipynb})" if run.ipynb else ""))
    else:
        reporter.progress(f"{prefix} ok ({run.duration_s:.1f} s)")


#: The notebooks' folder, for a kernel that runs without it as its working directory (two at a time).
NOTEBOOKS_DIR_ENV = "CODESIGN_NOTEBOOKS_DIR"


def _run_notebooks(todo: list, out_dir: Path, kernel: str, reporter: Reporter) -> None:
    """Run the notebooks that need it, ``notebook_workers()`` at a time (each in its own kernel process)."""
    workers = min(notebook_workers(), len(todo))
    if workers <= 1:
        for run, spec, nb_params, prefix in todo:
            _run_notebook(run, spec, nb_params, prefix, out_dir, kernel, reporter)
        return
    from concurrent.futures import ThreadPoolExecutor

    # papermill changes the process's working directory to the notebook's folder while it runs one (``cwd=``);
    # with two at a time a relative path would be read against the other's, so every path is made absolute
    # first, and the working directory is put back afterwards
    here, folder = os.getcwd(), os.environ.get(NOTEBOOKS_DIR_ENV)
    out_dir = out_dir.resolve()
    todo = [(run, replace(spec, path=spec.path.resolve()), nb_params, prefix)
            for run, spec, nb_params, prefix in todo]
    os.environ[NOTEBOOKS_DIR_ENV] = str(todo[0][1].path.parent)      # the kernels inherit it (report_links)
    try:
        with _shared_kernel_env() as environment, ThreadPoolExecutor(workers) as pool:
            for future in [pool.submit(_run_notebook, run, spec, nb_params, prefix, out_dir, kernel, reporter,
                                       environment) for run, spec, nb_params, prefix in todo]:
                future.result()
    finally:
        os.chdir(here)
        if folder is None:
            os.environ.pop(NOTEBOOKS_DIR_ENV, None)
        else:
            os.environ[NOTEBOOKS_DIR_ENV] = folder


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
        out_dir = _new_build_dir(project_dir)
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
                        _carry(prev_dir / prev[kind], out_dir / prev[kind])
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
        _run_notebooks(todo, out_dir, kernel, reporter)

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
        context, news = _landing_and_news(project, out_dir, previous, language)
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


def _landing_and_news(project: Project, out_dir: Path, previous: dict | None, language: str):
    """The landing page's findings, and what changed since the previous build: this build's findings are kept
    as ``findings.json`` in its folder, and compared with the previous folder's. Returns (context for
    ``render_index``, the changes in English for the command's output, or None without a comparable build)."""
    from codesign.outputs import findings as F

    context = landing(project, language, {})
    try:
        current = F.write_snapshot(project, out_dir)
    except CodesignError as exc:
        context["not_analysed"] = context.get("not_analysed") or str(exc)
        return context, None
    if not previous:
        return context, None
    before = F.read_snapshot(Path(previous["_dir"]))
    name = Path(previous["_dir"]).name
    context["previous"] = {"name": name, "href": f"../{name}/index.html"}
    if before is None:
        return context, None
    context["changes"] = F.compare(before, current, language)
    return context, F.compare(before, current, "en")


#: Embedded images (base64 in HTML and notebook JSON): no text to scan, only noise that is slow to scan.
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


# ---------------------------------------------------------------------------------------------- index
_INDEX_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:72rem;color:#1d1d1d;
  padding:0 1rem;font-size:16px;line-height:1.45}
h1{font-size:1.9rem;margin:0.1rem 0 0.6rem}.kicker{color:#555;margin:0;font-size:0.95rem}
h2{font-size:1.35rem;margin:1.6rem 0 0.5rem}
table{border-collapse:collapse;margin:0.4rem 0 1rem;font-size:15px}
th,td{border-bottom:1px solid #d6d6d6;padding:0.35rem 0.6rem;text-align:left;vertical-align:top}
thead th{background:#f2f4f7}
table.matrix th[scope=row]{width:34%;font-weight:normal}
table.matrix .name{font-weight:600}table.matrix .sub{display:block}
ul.goals{list-style:none;margin:0;padding:0}ul.goals li{margin:0.15rem 0}
.keybox ol.findings{margin:0.3rem 0 0.2rem;padding-left:1.4rem}.keybox li{margin:0.3rem 0}
.proposals li{margin:0.45rem 0}.acted{color:#2E7D32}.partly{color:#8a5a00}.open{color:#B00020}
.failed{color:#b00020;font-weight:bold}.ok{color:#1b5e20}.unchanged,.kept{color:#555}
details.build-details{margin-top:2rem;color:#333}details.build-details summary{cursor:pointer;font-weight:600}
pre{white-space:pre-wrap;background:#fafafa;padding:0.5rem;border:1px solid #eee}code{font-size:0.9em}
"""


def _jinja():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                              autoescape=True, trim_blocks=False, lstrip_blocks=False)


def landing(project: Project | None, language: str, meta: dict, previous: dict | None = None) -> dict:
    """What the landing page shows besides the build: headline findings, the verdict matrix, the proposals
    and what changed since the previous build (empty when the analysis has not run or cannot be read)."""
    from codesign.outputs import findings as F

    out: dict = {"findings": [], "matrix": [], "proposals": [], "changes": [], "has_changes": False,
                 "not_analysed": ""}
    if project is None:
        return out
    try:
        evidence = F.Evidence.load(project, language)
    except CodesignError as exc:
        out["not_analysed"] = str(exc)
        return out
    if evidence is None:
        return out
    out["findings"] = evidence.headlines()
    out["matrix"] = evidence.matrix()
    out["proposals"] = evidence.proposals()
    out["has_changes"] = bool(evidence.programme and evidence.programme.changes)
    return out


def render_index(meta: dict, language: str = "fi", context: dict | None = None) -> str:
    """The landing page of a build (Jinja2, autoescaped): what the process found first — key findings linked to
    their evidence, the verdict matrix of themes and goals, the proposals for the committee, what changed since
    the previous build — then the reports with what each is for, the deliverables, and the build details
    folded away."""
    from codesign.core.i18n import LABELS, percent, t
    from codesign.outputs.findings import VERDICT_ORDER
    from codesign.outputs.report import CSS, badge_text, report_purpose, report_title

    context = dict(context or {})

    def tr(key: str, **values) -> str:
        text = t(key, language)
        return text.format(**values) if values else text

    notebooks = []
    for nb in meta["notebooks"]:
        status = t(f"status.{nb['status']}", language)
        if nb["status"] in ("unchanged", "kept") and nb.get("built_in"):
            status += f" ({nb['built_in']})"       # the build that made these outputs
        notebooks.append({**nb, "display_title": report_title(nb["name"], language, nb["title"]),
                          "purpose": report_purpose(nb["name"], language), "status_text": status})
    purposes = {"seurantapohja.xlsx": "deliverable.monitoring",
                "viestintasuunnitelma.xlsx": "deliverable.communication",
                "committee_summary.docx": "deliverable.summary", "committee_summary_en.docx": "deliverable.summary"}
    deliverables = [{"name": name, "purpose": t(purposes[name], language) if name in purposes else ""}
                    for name in meta.get("deliverables", [])]
    summary = next((d["name"] for d in deliverables if d["name"].startswith("committee_summary")), None)
    finished = meta.get("finished", "")
    try:        # "2026-12-04 17:18:23 UTC" as the reader writes a date and time
        moment = dt.datetime.strptime(finished, "%Y-%m-%d %H:%M:%S UTC")
        finished = (f"{moment.day}.{moment.month}.{moment.year} klo {moment:%H.%M} UTC" if language == "fi"
                    else f"{moment.day} {moment:%B %Y, %H:%M} UTC")
    except ValueError:
        pass
    template = _jinja().get_template("index.html")
    return with_csp(template.render(
        lang=language, meta=meta, css=_INDEX_CSS + CSS, tr=tr, notebooks=notebooks, deliverables=deliverables,
        errors=[nb for nb in meta["notebooks"] if nb.get("error")], finished=finished,
        params=[(k, json.dumps(v, ensure_ascii=False)) for k, v in sorted(meta["parameters"].items())],
        badge=lambda v: badge_text(v, language), pct=lambda v: percent(v, language),
        legend=[v for v in VERDICT_ORDER if f"verdict.{v}" in LABELS], deliverable_summary=summary,
        findings=context.get("findings", []), matrix=context.get("matrix", []),
        proposals=context.get("proposals", []), has_changes=context.get("has_changes", False),
        changes=context.get("changes", []), previous=context.get("previous"),
        not_analysed=context.get("not_analysed", "")))
