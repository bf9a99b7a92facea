"""``codesign build``: notebooks run with papermill into timestamped report folders, incrementally, with
failures isolated, a lock, the leak gate, and reports that render in a real browser."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import DEMO, REPO
from nbformat.v4 import new_code_cell, new_notebook
from report_fixture import CODES, make_report_project

from codesign.cli import main
from codesign.core.errors import InputError
from codesign.core.i18n import LABELS, LANGUAGES
from codesign.core.project import load_project
from codesign.outputs import explore
from codesign.pipeline.build import build
from codesign.pipeline.folders import resolve_latest
from codesign.pipeline.lock import build_lock
from codesign.pipeline.params import parse_cli_params, read_params_file

NOTEBOOKS = REPO / "notebooks"


def _meta(out_dir: Path) -> dict:
    return json.loads((out_dir / "build.json").read_text(encoding="utf-8"))


def _statuses(out_dir: Path) -> dict[str, str]:
    return {n["name"]: n["status"] for n in _meta(out_dir)["notebooks"]}


def _notebook(path: Path, *sources: str, parameters: str = "project = None\nlanguage = 'fi'") -> Path:
    cell = new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[cell] + [new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["codesign"] = {"title": path.stem, "reads": ["build/segments.parquet"]}
    nbformat.write(nb, path)
    return path


# --- the fixture project ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def first_build(report_project, tmp_path_factory):
    # as `make report` runs it: a reports folder relative to the working directory, two notebooks at a time
    # (papermill moves the working directory while a notebook runs: a relative path once failed three reports)
    reports = tmp_path_factory.mktemp("reports")
    here, workers = os.getcwd(), os.environ.get("CODESIGN_NOTEBOOK_WORKERS")
    os.chdir(reports.parent)
    os.environ["CODESIGN_NOTEBOOK_WORKERS"] = "2"
    try:
        result = build(report_project, reports_dir=reports.name, quiet=True)
        assert os.getcwd() == str(reports.parent)           # the working directory is put back
    finally:
        os.chdir(here)
        if workers is None:
            os.environ.pop("CODESIGN_NOTEBOOK_WORKERS", None)
        else:
            os.environ["CODESIGN_NOTEBOOK_WORKERS"] = workers
    return report_project, reports, result


# --- explore (the logic behind notebook 00) -----------------------------------------------------------------

def test_corpus_joins_final_codes_by_kind(report_project):
    data = explore.corpus(report_project)
    assert len(data) == len(CODES)                      # every participant segment, no interviewer turn
    row = data.set_index("segment_id").loc["W1-002"]
    assert row["themes"] == ("T2",) and row["subcodes"] == ("T2.2",) and row["statements"] == ("HAASTE",)
    assert "T3" not in row["themes"]                    # the machine's non-final opinion does not decide
    assert row["group"] == "yrittäjä"
    assert data.set_index("segment_id").loc["W1-001", "group"] is None


def test_select_and_theme_counts(report_project):
    data = explore.corpus(report_project)
    housing = explore.select(data, themes=["T2"])
    assert set(housing["segment_id"]) == {"W1-002", "H01-004", "S-R001-q1", "C-001", "W2-001", "W2-002"}
    assert set(explore.select(data, groups=["unknown"], stages=["workshop1"])["segment_id"]) == {"W1-001", "W1-004"}
    counts = explore.theme_counts(data, "stage", ["T2"]).set_index("stage")["n_segments"].to_dict()
    assert counts == {"workshop1": 1, "interview": 1, "survey": 1, "comment": 1, "workshop2": 2}


def test_quotes_are_reproducible_and_carry_segment_ids(report_project):
    data = explore.corpus(report_project)
    first, again = explore.quotes(data, n=4, seed=3), explore.quotes(data, n=4, seed=3)
    assert first.equals(again) and len(first) == 4
    assert all(q.endswith(f"({sid})") for q, sid in zip(first["quote"], first["segment_id"]))
    assert not first.equals(explore.quotes(data, n=4, seed=4))
    assert "P01, yrittäjä" in explore.quote_lines(explore.quotes(explore.select(data, themes=["T2"]), n=6))


def test_phrase_finder_matches_base_forms_and_compound_parts(report_project):
    data = explore.corpus(report_project)
    found = explore.PhraseFinder.for_project(load_project(report_project)).find(data, "asunto")
    # asuntoja, vuokra-asuntoja, työsuhdeasuntoja, työsuhdeasunnot; not "Vuokratalo"
    assert set(found["segment_id"]) == {"W1-002", "H01-004", "S-R001-q1", "W2-002"}
    assert "työsuhdeasuntoja" in found.set_index("segment_id").loc["H01-004", "matched"]


def test_why_coded_shows_the_evidence(report_project):
    codings = explore.read_codings(load_project(report_project))
    codebook = explore.project_codebook(load_project(report_project))
    why = explore.why_coded(codings, "W1-002", codebook, "en")
    machine = why[why["source"] == "machine"].iloc[0]
    assert machine["code"] == "T3" and not machine["final"] and machine["nearest"] == "C-001"
    assert machine["matched"] == "asunto" and machine["threshold"] == 0.45
    assert why.iloc[0]["final"] and why.iloc[0]["label"].startswith("Skilled labour") is not None
    with pytest.raises(KeyError, match="no codes"):
        explore.why_coded(codings, "H01-001")


def test_explorer_searches_filters_highlights_and_exports(report_project, monkeypatch):
    """The explore notebook's widgets in JupyterLab: a search box, filters, the hit table with the found word
    form marked, the full answer with the question it answers, and export; the same views static in a build."""
    from codesign.outputs.explorer import Explorer
    from codesign.outputs.report import Report

    r = Report("00_explore", report_project, "fi")
    explorer = Explorer(r, explore.corpus(report_project))
    ui = explorer.widget("asunto")
    box, _sort, _export = ui.children[1].children
    status, answer = ui.children[3], ui.children[5]
    assert status.value == "4 osumaa" and answer.value == answer.options[0]
    ui.children[2].children[2].value = ("interview",)                   # the stage filter
    assert status.value == "1 osumaa" and answer.options == ("H01-004",)
    html = explorer.answer_html("H01-004", ("työsuhdeasuntoja",))
    assert "<mark>työsuhdeasuntoja</mark>" in html and "Entä asuminen?" in html    # with its question
    box.value = "vuokratalo"
    path = explorer.export(explorer.search("vuokratalo"), "vuokratalo")
    assert path.parent == load_project(report_project).build_dir / "exports"
    assert pd.read_csv(path)["segment_id"].tolist() == ["W2-001"]
    monkeypatch.setenv("CODESIGN_BUILD", "1")
    static = explorer.static("asunto", stages=["interview"])
    assert "<mark>työsuhdeasuntoja</mark>" in static and "H01-004" in static


def test_canvas_prompts_map_to_themes(report_project):
    codebook = explore.project_codebook(load_project(report_project))
    assert explore.split_prompt("Osaava työvoima, asuminen ja palvelut / Mittarit") == (
        "Osaava työvoima, asuminen ja palvelut", "Mittarit")
    assert explore.canvas_theme(codebook, "Osaava työvoima, asuminen ja palvelut") == "T2"
    assert explore.canvas_theme(codebook, "Jotain muuta") is None


def test_every_label_has_both_languages_and_notebooks_use_known_labels():
    assert all(set(texts) == set(LANGUAGES) and all(texts.values()) for texts in LABELS.values())
    used = set()
    for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\\?["']([\w.]+)\\?["']""", text))
        # label keys handed to the report helpers (sections, headings)
        used |= set(re.findall(r"""\\?["']((?:nb\d\d|col|axis|word|caption|report|explore|method)\.[\w.]+)\\?["']""",
                               text))
    assert used and used <= set(LABELS), used - set(LABELS)


# --- a build on the fixture project -------------------------------------------------------------------------

@pytest.mark.integration
def test_first_build_runs_every_notebook(first_build):
    project, reports, result = first_build
    assert result.exit_code == 0 and result.complete, [(n.name, n.error) for n in result.notebooks]
    out = result.out_dir
    names = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert sorted(_statuses(out)) == names and set(_statuses(out).values()) == {"ok"}
    for name in names:
        assert (out / f"{name}.ipynb").is_file() and (out / f"{name}.html").is_file()
    assert resolve_latest(reports / "tiny") == out.resolve()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}.html"' in index for name in names)
    meta = _meta(out)
    steps = {s["name"]: s for s in meta["steps"]}
    assert steps["ingest"]["status"] == "up_to_date"     # the fixture ran it through the same pipeline
    assert steps["code"]["status"] == "up_to_date"       # the fixture's hand-written codings, through the pipeline
    assert steps["analyse"]["status"] == "up_to_date"
    # the deliverables are written into build/, copied into the report folder and linked from the index
    assert steps["deliverables"]["status"] == "ran"
    assert meta["deliverables"] == ["seurantapohja.xlsx", "viestintasuunnitelma.xlsx", "committee_summary.docx"]
    assert all((out / name).is_file() and f'href="{name}"' in index for name in meta["deliverables"])
    assert meta["versions"]["codesign"] and len(meta["inputs_hash"]) == 64
    # durations are rounded: 16 decimals starting 0 (20.0536154011999315) once failed the phone-number check
    assert all(len(str(r["duration_s"]).partition(".")[2]) <= 2 for r in meta["notebooks"] + meta["steps"])
    html = (out / "01_workshop1.html").read_text(encoding="utf-8")
    assert "Työpaja 1: nykytila ja painopistevaihtoehdot" in html and "<img" in html
    assert "explore.corpus" not in html                 # the code is hidden
    w2 = (out / "03_workshop2.html").read_text(encoding="utf-8")
    assert '<q lang="fi">Vuokratalo kirkonkylään vuonna 2025</q> <span class="cs-muted">(W2-001;' in w2
    assert "Ensimmäiset toimenpiteet" in w2 and "Tärkeimmät havainnot" in w2
    assert 'rel="prev">← Kysely: painopisteiden tärkeysjärjestys</a>' in w2           # previous and next report
    assert 'href="04_interviews.html" rel="next"' in w2 and 'href="index.html"' in w2


@pytest.mark.integration
def test_no_change_rebuild_reruns_nothing(first_build):
    project, reports, first = first_build
    start = time.perf_counter()
    second = build(project, reports_dir=reports, quiet=True)
    elapsed = time.perf_counter() - start
    assert second.exit_code == 0 and second.out_dir != first.out_dir
    assert set(_statuses(second.out_dir).values()) == {"unchanged"}
    assert elapsed < 30, elapsed                        # no kernel starts: seconds, not a notebook run
    carried, original = second.out_dir / "01_workshop1.html", first.out_dir / "01_workshop1.html"
    assert carried.read_bytes() == original.read_bytes()
    assert resolve_latest(reports / "tiny") == second.out_dir.resolve()
    assert "ennallaan" in (second.out_dir / "index.html").read_text(encoding="utf-8")


@pytest.mark.integration
def test_changing_a_parameter_reruns_the_notebooks_that_declare_it(first_build, capsys):
    project, reports, _ = first_build
    code = main(["build", str(project), "--reports", str(reports), "--quiet", "-p", "quotes_per_theme", "1"])
    assert code == 0
    assert capsys.readouterr().out == ""                # quiet: nothing but errors
    latest = resolve_latest(reports / "tiny")
    statuses = _statuses(latest)
    declaring = {"01_workshop1", "02_survey"}           # the notebooks with a quotes_per_theme parameter
    assert {n for n, s in statuses.items() if s == "ok"} == declaring
    assert {s for n, s in statuses.items() if n not in declaring} == {"unchanged"}
    params = {n["name"]: n["params"] for n in _meta(latest)["notebooks"]}
    assert params["01_workshop1"]["quotes_per_theme"] == 1 and "quotes_per_theme" not in params["00_explore"]


@pytest.mark.integration
def test_params_file_only_and_english(first_build, tmp_path, capsys):
    project, reports, _ = first_build
    params = tmp_path / "en.yml"
    params.write_text("language: en\n", encoding="utf-8")
    code = main(["build", str(project), "--reports", str(reports), "--params", str(params), "--only", "03"])
    assert code == 0
    progress = capsys.readouterr().out
    assert "03_workshop2" in progress and "running" in progress
    latest = resolve_latest(reports / "tiny")
    statuses = _statuses(latest)
    assert statuses["03_workshop2"] == "ok" and statuses["01_workshop1"] == "kept"
    html = (latest / "03_workshop2.html").read_text(encoding="utf-8")
    assert "Workshop 2: themes refined and first actions" in html and "Työpaja 2:" not in html
    assert (latest / "01_workshop1.html").is_file()


@pytest.mark.integration
def test_parameter_input_errors(tmp_path, report_project, capsys):
    with pytest.raises(InputError, match="not a valid name"):
        parse_cli_params([("bad-name", "1")])
    assert parse_cli_params([("themes", "[T1, T2]"), ("threshold", "0.5")]) == {
        "themes": ["T1", "T2"], "threshold": 0.5}
    listing = tmp_path / "list.yml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(InputError, match="mapping"):
        read_params_file(listing)
    assert main(["build", str(report_project), "--reports", str(tmp_path), "--only", "99_nothing"]) == 2
    assert "no notebook matches '99_nothing'" in capsys.readouterr().err


# --- failure isolation, the leak gate, the lock -------------------------------------------------------------

@pytest.mark.integration
def test_failing_notebook_does_not_stop_the_others(report_project, tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "01_good.ipynb", "from codesign import load_project\nprint(load_project(project).name)")
    _notebook(notebooks / "02_broken.ipynb", "raise ValueError('planted failure in the notebook')")
    _notebook(notebooks / "03_also_good.ipynb", "print('still here')")
    reports = tmp_path / "reports"
    code = main(["build", str(report_project), "--reports", str(reports), "--notebooks", str(notebooks),
                 "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    assert "02_broken failed" in err and "planted failure" in err
    out_dir = next(p for p in (reports / "tiny").iterdir() if p.is_dir())
    assert _statuses(out_dir) == {"01_good": "ok", "02_broken": "failed", "03_also_good": "ok"}
    assert (out_dir / "02_broken.ipynb").is_file() and not (out_dir / "02_broken.html").exists()
    failed = nbformat.read(out_dir / "02_broken.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in failed.cells for o in c.get("outputs", []))
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    assert "ValueError: planted failure in the notebook" in index and 'class="failed"' in index
    assert resolve_latest(reports / "tiny") is None     # an incomplete build never becomes `latest`

    # fixing the notebook re-runs only it; its good siblings are carried over
    _notebook(notebooks / "02_broken.ipynb", "print('fixed')")
    assert main(["build", str(report_project), "--reports", str(reports), "--notebooks", str(notebooks),
                 "--quiet"]) == 0
    latest = resolve_latest(reports / "tiny")
    assert _statuses(latest) == {"01_good": "unchanged", "02_broken": "ok", "03_also_good": "unchanged"}


def _kernel_that_dies(tmp_path: Path, monkeypatch, starts_that_die: int) -> str:
    """A real kernelspec whose first ``starts_that_die`` starts exit at once (as a kernel does whose port another
    kernel took first); later starts run the ordinary ipykernel."""
    spec_dir = tmp_path / "jupyter" / "kernels" / "dies_at_first"
    spec_dir.mkdir(parents=True)
    starts = tmp_path / "starts"
    launcher = spec_dir / "launch.py"
    launcher.write_text(
        "import pathlib, runpy, sys\n"
        f"starts = pathlib.Path({str(starts)!r})\n"
        "with starts.open('a') as f:\n    f.write('x')\n"
        f"if len(starts.read_text()) <= {starts_that_die}:\n"
        "    sys.exit('zmq.error.ZMQError: Address already in use (planted)')\n"
        "runpy.run_module('ipykernel_launcher', run_name='__main__')\n", encoding="utf-8")
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(launcher), "-f", "{connection_file}"],
        "display_name": "dies at first", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return "dies_at_first"


@pytest.mark.integration
@pytest.mark.parametrize("starts_that_die, error", [(2, ""), (3, "Kernel died before replying to kernel_info")])
def test_a_kernel_that_dies_before_the_first_cell_is_started_again(tmp_path, monkeypatch, starts_that_die, error):
    from codesign.pipeline import notebooks as module
    from codesign.pipeline.notebooks import KERNEL_START_ATTEMPTS, discover_notebooks, execute_notebook

    assert KERNEL_START_ATTEMPTS == 3
    if error:       # two attempts that both fail show the message as well as three, in less time
        monkeypatch.setattr(module, "KERNEL_START_ATTEMPTS", KERNEL_START_ATTEMPTS := 2)
    kernel = _kernel_that_dies(tmp_path, monkeypatch, starts_that_die)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "01_good.ipynb", "print('ran')")
    spec = discover_notebooks(notebooks)[0]
    output, message = execute_notebook(spec, tmp_path, {}, kernel)
    assert len((tmp_path / "starts").read_text()) == min(starts_that_die + 1, KERNEL_START_ATTEMPTS)
    if error:       # a kernel that never starts still fails the notebook, saying how often it was tried
        assert message.startswith(f"RuntimeError: {error} (kernel started {KERNEL_START_ATTEMPTS} times)")
        assert "Address already in use (planted)" in message
    else:
        assert message == ""
        ran = nbformat.read(output, as_version=4)
        assert any("ran" in o.get("text", "") for c in ran.cells for o in c.get("outputs", []))


@pytest.mark.integration
def test_a_failing_notebook_is_reported_on_the_terminal_when_two_run_at_a_time(report_project, tmp_path):
    """Two notebooks at a time capture file descriptor 2 for the kernels' chatter; the build's own error
    lines must still reach the terminal (they once went into the capture and were lost)."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "01_good.ipynb", "print('fine')")
    _notebook(notebooks / "02_broken.ipynb", "raise ValueError('planted failure in the notebook')")
    env = os.environ | {"CODESIGN_NOTEBOOK_WORKERS": "2"}
    run = subprocess.run([sys.executable, "-m", "codesign", "build", str(report_project),
                          "--reports", str(tmp_path / "reports"), "--notebooks", str(notebooks), "--quiet"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 1, run.stderr
    assert "notebook 02_broken failed" in run.stderr and "planted failure" in run.stderr
    assert "01_good" not in run.stderr


@pytest.mark.integration
def test_leak_in_a_report_fails_the_build_and_removes_the_file(report_project, tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "01_leaky.ipynb", "print('Haastateltava oli Aila Keinänen')")   # a register name
    reports = tmp_path / "reports"
    code = main(["build", str(report_project), "--reports", str(reports), "--notebooks", str(notebooks)])
    assert code == 3
    err = capsys.readouterr().err
    assert "privacy leak" in err and "register name" in err and "Keinänen" not in err
    out_dir = next(p for p in (reports / "tiny").iterdir() if p.is_dir())
    assert not (out_dir / "01_leaky.html").exists() and not (out_dir / "01_leaky.ipynb").exists()
    assert resolve_latest(reports / "tiny") is None


@pytest.mark.integration
def test_a_second_build_waits_then_gives_up_clearly(report_project, tmp_path, capsys):
    with build_lock(load_project(report_project)):
        start = time.perf_counter()
        code = main(["build", str(report_project), "--reports", str(tmp_path), "--wait", "1"])
        waited = time.perf_counter() - start
    assert code == 4 and 0.9 <= waited < 10
    err = capsys.readouterr().err
    assert "another `codesign build` of tiny is running" in err and f"pid {os.getpid()}" in err
    assert not (tmp_path / "tiny").exists() or not any((tmp_path / "tiny").iterdir())   # nothing written


# --- the demo project, once: the whole pipeline, then the report opened in headless chromium ----------------

@pytest.fixture(scope="module")
def demo_report(built_demo):
    return built_demo.result


def test_demo_build(demo_report):
    assert demo_report.exit_code == 0, [(n.name, n.error) for n in demo_report.notebooks]
    statuses = {s.name: s.status for s in demo_report.steps}
    assert statuses["ingest"] == "ran" and statuses["code"] == "ran"
    html = (demo_report.out_dir / "01_workshop1.html").read_text(encoding="utf-8")
    assert re.search(r'alt="Teemakoodit kehyksittäin\. Suurin: [^"]+ \(\d+\)\."', html)   # alt text: the finding
    assert re.search(r'</q> <span class="cs-muted">\(W1-\d{3};', html)                      # quotes with segment ids
    names = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert {"00_explore", "02_survey", "04_interviews", "05_synthesis", "06_monitoring"} <= set(names)
    assert {n.name: n.status for n in demo_report.notebooks} == {name: "ok" for name in names}
    assert statuses["analyse"] == "ran" and statuses["deliverables"] == "ran"
    assert (demo_report.out_dir / "committee_summary.docx").is_file()
    reports = {name: (demo_report.out_dir / f"{name}.html").read_text(encoding="utf-8") for name in names}
    assert all("<img" in html for html in reports.values()), [n for n, h in reports.items() if "<img" not in h]
    survey = reports["02_survey"]
    assert 'alt="Kolmen tärkeimmän joukkoon nostettiin useimmin: ' in survey
    assert 'alt="Kyselyssä ryhmät painottivat eri asioita: ' in survey            # the group split, stated
    assert "pieni ryhmä" in survey                                                 # a small group shown as such
    interviews = reports["04_interviews"]
    assert "Teemojen arviot" in interviews and "tarkennettava" in interviews and "Menetelmä" in interviews
    assert 'alt="Eniten kyseenalaistettu tavoite: ' in interviews
    assert re.search(r'</q> <span class="cs-muted">\(H\d\d-\d{3};', interviews)     # ledger quotes with ids
    assert "Uudet aiheet" in reports["05_synthesis"]
    monitoring = reports["06_monitoring"]
    assert "followup/seuranta_2025.xlsx" in monitoring                           # the demo's follow-up loop
    assert 'alt="Seurantatiedot vuosilta 2024–2025: ' in monitoring


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Reports the image sizes the browser decoded, so the dumped DOM shows the figures really rendered.
# The reports forbid scripts (Content-Security-Policy, issue 17): the probed copy leaves the policy out.
PROBE = """<script>window.addEventListener("load", () => {
  const sizes = Array.from(document.images).map(i => i.naturalWidth + "x" + i.naturalHeight);
  document.body.setAttribute("data-probe", sizes.join(","));
});</script></body>"""


def _probed(html: str) -> str:
    return re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html).replace("</body>", PROBE, 1)


def _chromium(*args: str, user_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--no-first-run", f"--user-data-dir={user_dir}", "--virtual-time-budget=5000", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_demo_report_renders_its_figures_in_headless_chromium(demo_report, tmp_path):
    import matplotlib.image

    report = demo_report.out_dir / "01_workshop1.html"
    probed = tmp_path / "probed.html"
    probed.write_text(_probed(report.read_text(encoding="utf-8")), encoding="utf-8")
    dom = _chromium("--dump-dom", probed.as_uri(), user_dir=tmp_path / "profile").stdout
    sizes = re.search(r'data-probe="([^"]*)"', dom).group(1).split(",")
    assert len(sizes) >= 4, sizes                           # the four figures of the workshop-1 report
    assert all(int(w) > 100 and int(h) > 100 for w, h in (s.split("x") for s in sizes)), sizes
    # no error or stderr output rendered (the stylesheet names the mime type, so look for the attribute)
    assert "Traceback (most recent call last)" not in dom
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in dom
    assert "Muistilaput kehyksittäin ja sidosryhmittäin" in dom

    shot = tmp_path / "shot.png"
    _chromium(f"--screenshot={shot}", "--window-size=1200,2400", report.as_uri(), user_dir=tmp_path / "profile")
    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (2400, 1200) and pixels.std() > 0.05   # not a blank page

    index = (demo_report.out_dir / "index.html").as_uri()
    index_dom = _chromium("--dump-dom", index, user_dir=tmp_path / "profile").stdout
    names = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert all(f"{name}.html" in index_dom for name in names)

    # every report renders its figures in the browser (the headline report 04: coverage and goal evidence)
    for name in names:
        probed = tmp_path / f"probed_{name}.html"
        html = (demo_report.out_dir / f"{name}.html").read_text(encoding="utf-8")
        probed.write_text(_probed(html), encoding="utf-8")
        dom = _chromium("--dump-dom", probed.as_uri(), user_dir=tmp_path / "profile").stdout
        sizes = [s for s in re.search(r'data-probe="([^"]*)"', dom).group(1).split(",") if s]
        assert len(sizes) >= (2 if name == "04_interviews" else 1), (name, sizes)
        assert all(int(w) > 100 and int(h) > 100 for w, h in (s.split("x") for s in sizes)), (name, sizes)
        assert "Traceback (most recent call last)" not in dom, name


@pytest.mark.integration
def test_pipeline_runs_changed_steps_and_says_why_it_skips(report_project, tmp_path):
    from codesign.pipeline.steps import Step, StepFailed, run_pipeline

    project = load_project(report_project)
    marker = tmp_path / "input.txt"
    marker.write_text("one", encoding="utf-8")
    output = tmp_path / "output.txt"
    calls = []

    def run(p, params):
        calls.append(params)
        output.write_text(marker.read_text(encoding="utf-8"), encoding="utf-8")
        return "copied"

    def broken(p, params):
        raise StepFailed("the source is unreadable")

    copy = Step("copy", lambda p: [marker], lambda p: [output], run, lambda p: None)
    absent = Step("absent", lambda p: [], lambda p: [], run, lambda p: "its module is not installed")
    fails = Step("fails", lambda p: [marker], lambda p: [tmp_path / "never"], broken, lambda p: None)
    after = Step("after", lambda p: [output], lambda p: [output], run, lambda p: None)

    first = run_pipeline(project, steps=[copy, absent])
    assert [(r.name, r.status) for r in first] == [("copy", "ran"), ("absent", "skipped")]
    assert first[1].note == "its module is not installed"
    assert [r.status for r in run_pipeline(project, steps=[copy])] == ["up_to_date"]
    marker.write_text("two", encoding="utf-8")                      # a changed input re-runs the step
    assert [r.status for r in run_pipeline(project, steps=[copy])] == ["ran"]
    output.unlink()                                                  # so does a missing output
    assert [r.status for r in run_pipeline(project, steps=[copy])] == ["ran"]
    assert [r.status for r in run_pipeline(project, steps=[copy], force=True)] == ["ran"]
    runs = run_pipeline(project, steps=[fails, after])
    assert [(r.name, r.status) for r in runs] == [("fails", "failed"), ("after", "skipped")]
    assert runs[0].note == "the source is unreadable" and len(calls) == 4


@pytest.mark.integration
def test_leak_check_reads_copied_deliverables_as_files(report_project, tmp_path):
    from codesign.pipeline.build import _leak_check

    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(DEMO / "followup" / "seuranta_2025.xlsx", out / "seuranta_2025.xlsx")   # a binary deliverable
    assert _leak_check(load_project(report_project), out) == []
    (out / "notes.html").write_text("<p>Soita numeroon 040 123 4567</p>", encoding="utf-8")
    leaks = _leak_check(load_project(report_project), out)
    assert len(leaks) == 1 and "notes.html" in leaks[0] and not (out / "notes.html").exists()


@pytest.mark.integration
def test_landing_page_says_what_new_material_changed(tmp_path, capsys):
    """Scheduled regeneration: after new draft comments arrive, the landing page and the command's output say
    what changed since the previous build, and link to it."""
    project = make_report_project(tmp_path / "tiny")
    reports = tmp_path / "reports"
    first = build(project, reports_dir=reports, only=["04"], quiet=True).out_dir
    index = (first / "index.html").read_text(encoding="utf-8")
    assert "Tärkeimmät havainnot" in index and 'class="matrix"' in index and "Mikä muuttui" not in index
    assert (first / "findings.json").is_file()

    comments = project / "raw" / "comments.csv"
    comments.write_bytes(comments.read_bytes() + "3;13.9.2023;;viranhaltija;T2;Vuokra-asuntoja tarvitaan lisää "
                         "kirkonkylään.\n".encode("utf-8"))
    assert main(["build", str(project), "--reports", str(reports), "--only", "04"]) == 0
    out = capsys.readouterr().out
    assert f"changes since the previous build {first.name}:" in out
    assert "Source C grew by 1 segments." in out
    second = max(p for p in (reports / "tiny").iterdir() if p.is_dir() and not p.is_symlink())
    assert second != first
    index = (second / "index.html").read_text(encoding="utf-8")
    assert "Mikä muuttui edellisestä ajosta" in index
    assert "Lähteeseen C tuli 1 uutta puheenvuoroa tai vastausta." in index
    assert f'href="../{first.name}/index.html"' in index              # the previous build stays reachable
