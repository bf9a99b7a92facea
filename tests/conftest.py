"""Small projects built in a temporary folder, so each reader is tested on files whose answer is known."""
from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "data" / "kolari"
SHARED = REPO.parent / "shared"

REGISTER = """\
code,name,aliases,group,sector,village,role
P01,Aila Keinänen,Aila,yrittäjä,matkailu,Äkäslompolo,safari
P02,Juho Mäkitalo,Juho|Jussi,yrittäjä,rakentaminen,Kolarin kirkonkylä,builder
P03,Kaisa Ylläsjärvi,Kaisa,yrityksen edustaja,matkailu,Ylläsjärvi,hotel
I01,Elina Haapakoski,Elina,,palvelumuotoilu,Rovaniemi,interviewer
"""

PROJECT_YML = """\
name: tiny
language: fi
register: private/participants.csv
interviewers: [I01]
groups:
  muu: [Muu]
stages:
  - {id: workshop1, label: Työpaja 1}
  - {id: survey, label: Kysely}
  - {id: interview, label: Haastattelut}
  - {id: comment, label: Kommentit}
alternatives:
  - {id: A1, label: Matkailu, theme: T1}
  - {id: A2, label: Asuminen, theme: T2}
  - {id: A3, label: Kaivos, theme: T4}
sources:
  - id: W1
    stage: workshop1
    format: table
    path: raw/notes.csv
    columns: {text: Sticky note, prompt: Frame, author: Author}
  - stage: interview
    format: transcript
    path: raw/interviews/*.txt
  - id: S
    stage: survey
    format: survey
    path: raw/survey.csv
    encoding: cp1252
    respondent_id: Vastaajan ID
    group: Taustaryhmä
    duration: Vastausaika (min)
    ranking_prefix: "Järjestys: "
    likert_prefix: "Tärkeys: "
    open_questions: {q1: "Mitä pitäisi tehdä?"}
  - id: C
    stage: comment
    format: table
    path: raw/comments.csv
    columns: {text: Kommentti, prompt: Kohta, author: Kommentoija, group: Taustaryhmä, date: Päivämäärä, id: Nro}
pseudonymisation:
  keep: [Ylläs, Äkäslompolo, Ylläsjärvi, Pajala, Kolari]
"""

TRANSCRIPT = """\
---
interview: H01
participant: P01
group: yrittäjä
sector: matkailu
date: 2023-06-19
language: fi
---
Haastattelija: Kertoisitko aluksi yrityksestäsi?

[00:01:10] P01: No meillä on safarifirma Äkäslompolossa.
Talvella töissä on kymmenen ihmistä.

[00:02:30] Haastattelija: Entä asuminen?

[00:02:45] P01: Matkailuyrittäjille ei löydy työsuhdeasuntoja. Soitin Mikko Raution kanssa,
hänen numeronsa on 040 123 4567, ja Juholta kysyin myös.
"""

NOTES = """\
Frame,Sticky note,Color,Tags,Author,Created
1a Nykytila: vahvuudet,Ylläs vetää ympäri vuoden,yellow,Pöytä 1,,18.4.2023 13.05
1b Nykytila: heikkoudet,"Ei vuokra-asuntoja
ollenkaan",pink,Pöytä 2,Aila Keinänen,18.4.2023 13.10
2 Visio 2028,,yellow,Pöytä 1,,18.4.2023 13.20
2 Visio 2028,Kylät elävät,blue,Pöytä 3,Petri Alatalo,18.4.2023 13.25
"""

SURVEY_ROWS = [
    ["Vastaajan ID", "Taustaryhmä", "Vastausaika (min)", "Järjestys: Matkailu", "Järjestys: Asuminen",
     "Järjestys: Kaivos", "Tärkeys: Matkailu", "Tärkeys: Asuminen", "Tärkeys: Kaivos", "Mitä pitäisi tehdä?"],
    ["R001", "Yrittäjä", "7,5", "1", "2", "3", "5", "4", "En osaa sanoa", "Asuntoja lisää, äkkiä!"],
    ["R002", "Luottamushenkilö", "3,25", "3", "2", "1", "3", "", "5", ""],
    ["R003", "Muu", "12", "1", "", "", "4", "4", "2", "Kaivos ei sovi Ylläkselle."],
]

COMMENTS = """\
Nro;Päivämäärä;Kommentoija;Taustaryhmä;Kohta;Kommentti
1;11.9.2023;Jussi;yrittäjä;T2;"Tontteja pitää kaavoittaa; nopeasti."
2;12.9.2023;;luottamushenkilö;T4;Kaivostavoite on epärealistinen.
"""


def write_tiny_project(root: Path) -> Path:
    """A complete small project with one file per reader; returns its folder."""
    (root / "private").mkdir(parents=True)
    (root / "raw" / "interviews").mkdir(parents=True)
    (root / "project.yml").write_text(PROJECT_YML, encoding="utf-8")
    (root / "private" / "participants.csv").write_text(REGISTER, encoding="utf-8")
    (root / "raw" / "interviews" / "H01.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (root / "raw" / "notes.csv").write_text(NOTES, encoding="utf-8")
    survey = "\r\n".join(";".join(row) for row in SURVEY_ROWS) + "\r\n"
    (root / "raw" / "survey.csv").write_bytes(survey.encode("cp1252"))
    (root / "raw" / "comments.csv").write_bytes("\ufeff".encode() + COMMENTS.encode("utf-8"))
    return root


@pytest.fixture
def tiny_project(tmp_path) -> Path:
    return write_tiny_project(tmp_path / "tiny")


@pytest.fixture
def dedent():
    return lambda s: textwrap.dedent(s).lstrip("\n")


def copy_demo(target: Path) -> Path:
    """The demo project copied to ``target`` without build outputs or caches, so tests never write into the
    repository."""
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("build", "build.tmp", ".cache",
                                                                "pseudonym_keys.csv"))
    return target


@dataclass
class BuiltDemo:
    """The demo project after one ``codesign build``: its folder and the build's result."""
    root: Path
    result: object          # codesign.pipeline.build.BuildResult

    @property
    def build_dir(self) -> Path:
        return self.root / "build"


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory) -> BuiltDemo:
    """The demo built ONCE per session through the real pipeline (ingest, code, analyse, deliverables, every
    notebook), shared by every test that reads the demo's outputs. Tests read it; none changes its build/."""
    from codesign.pipeline.build import build

    root = copy_demo(tmp_path_factory.mktemp("demo") / "kolari")
    result = build(root, reports_dir=tmp_path_factory.mktemp("demo-reports"), quiet=True)
    return BuiltDemo(root, result)


@pytest.fixture(scope="session")
def report_project(tmp_path_factory) -> Path:
    """The coded fixture project of report_fixture, ingested and analysed once per session; tests read it (the
    build tests also build reports from it, which leaves its analysis tables as they are)."""
    from report_fixture import make_report_project

    return make_report_project(tmp_path_factory.mktemp("report") / "tiny")


@pytest.hookimpl(tryfirst=True)      # before pytest-xdist's loadgroup reads the groups
def pytest_collection_modifyitems(config, items):
    """A test that reads the built demo is in the slow tier, whatever file it is in.

    Under pytest-xdist (``make test``: ``--dist loadgroup``) every test of a file runs on one worker, so a
    file's session fixtures are made once; the tests that read the built demo form one group wherever they
    are, so the demo is built once, not once per worker."""
    for item in items:
        demo = "built_demo" in getattr(item, "fixturenames", ())
        if demo:
            item.add_marker(pytest.mark.slow)
        item.add_marker(pytest.mark.xdist_group("built_demo" if demo else item.path.name))


@pytest.hookimpl(trylast=True)       # after pytest-xdist's worker has applied the groups
def pytest_collection_finish(session):
    """Stop when ``--dist loadgroup`` did not group: a notebook's cells would run on two workers (kernels)
    and fail as if the notebook were broken, and the demo would be built once per worker."""
    if getattr(session.config.option, "loadgroup", False) and session.items \
            and "@" not in session.items[0].nodeid:
        raise pytest.UsageError("pytest-xdist did not group the tests (--dist loadgroup) under pytest "
                                f"{pytest.__version__}: install the pinned versions (make env), or run with "
                                "PARALLEL= (one process)")


# --- nbval: `pytest` also runs notebooks/*.ipynb (--nbval-lax); their kernels need a built project ----------

class NotebookProject:
    """While nbval runs notebook cells, ``$CODESIGN_PROJECT`` names a built project (a kernel starts with
    the environment of the first cell of its notebook): the user's when set, else the coded fixture project
    of ``report_fixture`` built once per session. Other tests never see the variable."""

    def __init__(self) -> None:
        self.project: str | None = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item):
        import os
        import tempfile

        previous = os.environ.get("CODESIGN_PROJECT")
        if item.path.suffix == ".ipynb" and previous is None:
            if self.project is None:
                from report_fixture import make_report_project

                factory = getattr(item.config, "_tmp_path_factory", None)   # pytest's own temp folders
                folder = factory.mktemp("nbval") if factory else Path(tempfile.mkdtemp(prefix="codesign-nbval-"))
                self.project = str(make_report_project(folder / "tiny"))
            os.environ["CODESIGN_PROJECT"] = self.project
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("CODESIGN_PROJECT", None)


def pytest_configure(config):
    config.pluginmanager.register(NotebookProject(), "codesign-notebook-project")
