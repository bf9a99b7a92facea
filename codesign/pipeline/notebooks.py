"""The report notebooks: discovered from the notebooks folder (``NN_*.ipynb``; adding a report is adding a
file), keyed by what they read, run with papermill (two at a time on two cores) and converted to
standalone HTML with nbconvert."""
from __future__ import annotations

import fnmatch
import html
import json
import os
import re
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from codesign.core.errors import InputError
from codesign.core.project import Project
from codesign.outputs.markup import with_csp
from codesign.pipeline.reporter import Reporter
from codesign.pipeline.state import STATE_FILE, code_version, digest_of, digest_paths, file_digest

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_NOTEBOOKS = PACKAGE_ROOT / "notebooks"
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
CELL_TIMEOUT_S = 900
#: A kernel is started again this many times in all when it dies before answering: jupyter_client picks its
#: ports by opening and closing them, and a kernel started at the same moment (two notebooks at a time, or
#: another build on the machine) can take one first — the kernel then exits with "Address already in use".
KERNEL_START_ATTEMPTS = 3
_KERNEL_START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond")


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


@contextmanager
def _errors_to_terminal(reporter: Reporter):
    """A reporter whose errors still reach the terminal while file descriptor 2 is captured for the kernels
    (two notebooks at a time): it writes to a copy of descriptor 2 made before the capture. A reporter that
    does not write to descriptor 2 (a test's, a file) is used as it is."""
    try:
        writes_to_fd2 = reporter.err.fileno() == 2
    except (AttributeError, OSError, ValueError):
        writes_to_fd2 = False
    if not writes_to_fd2:
        yield reporter
        return
    reporter.err.flush()
    terminal = os.fdopen(os.dup(2), "w", encoding=getattr(reporter.err, "encoding", None) or "utf-8",
                         errors="replace")
    try:
        yield Reporter(reporter.quiet, reporter.out, terminal)
    finally:
        terminal.close()


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
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
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
            if _kernel_did_not_start(exc) and attempt < KERNEL_START_ATTEMPTS:
                continue            # no cell ran: starting it again changes nothing but the ports
            tail = "\n".join("".join(stderr).strip().splitlines()[-15:])
            tries = f" (kernel started {attempt} times)" if attempt > 1 else ""
            return output, f"{type(exc).__name__}: {exc}{tries}" + (f"\n{tail}" if tail else "")
        return output, ""
    raise AssertionError("unreachable")


def _kernel_did_not_start(exc: Exception) -> bool:
    """The kernel exited or stayed silent before the first cell (jupyter_client's start-up errors)."""
    return isinstance(exc, RuntimeError) and str(exc).startswith(_KERNEL_START_FAILURES)


#: Interactive widget outputs: the static report shows the same views as HTML (codesign.outputs.explorer).
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Script elements: the reports forbid scripts (``script-src 'none'``), so nbconvert's template scripts (MathJax,
#: mermaid, some fetched from the network) could never run; their English comments only gave the leak gate words
#: to mistake for names (a register alias "Make" in "/* Make the output collapser …").
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>\s*", re.S | re.I)
#: The template's style sheets, whose comments are removed for the same reason (strings in them are kept).
_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.S | re.I)
_CSS_COMMENT = re.compile(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')|/\*.*?\*/", re.S)


def _without_comments(style: re.Match) -> str:
    css = _CSS_COMMENT.sub(lambda m: m.group(1) or "", style.group(2))
    return style.group(1) + css + style.group(3)


def to_html(ipynb: Path, title: str, language: str = "fi") -> Path:
    """Standalone HTML (images embedded) with the code and the prompts hidden, in ``language`` (``<html
    lang>``), without widget outputs (their static version is in the report), scripts or style comments."""
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
    body = _STYLE.sub(_without_comments, _SCRIPT.sub("", body))
    out = ipynb.with_suffix(".html")
    # the reports are shared: no script runs in them, whatever a notebook displayed (docs/security.md)
    out.write_text(with_csp(body), encoding="utf-8")
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


def run_notebooks(todo: list, out_dir: Path, kernel: str, reporter: Reporter) -> None:
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
        # the kernels' stderr is captured process-wide: the failures are reported to the terminal all the same
        with _errors_to_terminal(reporter) as reporter, _shared_kernel_env() as environment, \
                ThreadPoolExecutor(workers) as pool:
            for future in [pool.submit(_run_notebook, run, spec, nb_params, prefix, out_dir, kernel, reporter,
                                       environment) for run, spec, nb_params, prefix in todo]:
                future.result()
    finally:
        os.chdir(here)
        if folder is None:
            os.environ.pop(NOTEBOOKS_DIR_ENV, None)
        else:
            os.environ[NOTEBOOKS_DIR_ENV] = folder
