"""The independent test material (tests/material/independent/) assembled into a temporary codesign project.

    from benchmarks.independent_project import independent_project
    root = independent_project(Path("/tmp/indep"))      # project.yml, register, raw/, codebook, programme

The material (8 interviews, village-workshop notes, survey answers) was written apart from the code; its
gold coding (``gold/coding.csv``) covers every participant unit. The project gets the demo's codebook and
programme (the ones the gold was coded with) and NO reference coding: the gold is its evaluation coding.
"""
from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MATERIAL = REPO / "tests" / "material" / "independent"
GOLD = MATERIAL / "gold" / "coding.csv"

PROJECT_YML = """\
name: {name}
title: Kolari, toinen kierros (riippumaton testiaineisto)
language: fi
register: private/participants.csv
codebook: codebook.yml
programme: programme.yml
evaluation_coding: evaluation_coding.csv
stages:
  - {{id: workshop2, label: Kylätyöpaja, start: 2024-02-14}}
  - {{id: interview, label: Haastattelut, start: 2024-02-01}}
  - {{id: survey, label: Kysely}}
sources:
  - stage: interview
    format: transcript
    path: raw/interviews/*.txt
  - id: N
    stage: workshop2
    format: table
    path: raw/notes.csv
    columns: {{text: Sticky note, prompt: Frame, author: Author, date: Created, id: Nro}}
  - id: K
    stage: survey
    format: table
    path: raw/answers.csv
    delimiter: ";"
    columns: {{text: Vastaus, prompt: Kysymys, group: Taustaryhmä, id: Nro}}
groups:
  muu: [Muu]
pseudonymisation:
  keep: [Kolari, Ylläs, Äkäslompolo, Ylläsjärvi, Teurajärvi, Kurtakko, Vaattojärvi, Pajala, Tornionjoki,
         Tornionlaakso, Kittilä, Muonio, Levi, Rovaniemi, Hannukainen, Hannukaisen kaivos, Helsinki, Lappi,
         Sustainable Travel Finland, Pallas-Yllästunturi, Meänkieli]
"""


def independent_project(target: Path, codebook: Path | None = None, programme: Path | None = None,
                        name: str = "independent") -> Path:
    """Write the project into ``target`` (which must not exist) and return it; the gold coding is its
    ``evaluation_coding:``. ``codebook``/``programme``: default the demo's."""
    demo = REPO / "data" / "kolari"
    target = Path(target)
    (target / "raw").mkdir(parents=True)
    (target / "private").mkdir()
    shutil.copytree(MATERIAL / "interviews", target / "raw" / "interviews")
    shutil.copy(MATERIAL / "notes.csv", target / "raw" / "notes.csv")
    shutil.copy(MATERIAL / "answers.csv", target / "raw" / "answers.csv")
    shutil.copy(MATERIAL / "participants.csv", target / "private" / "participants.csv")
    shutil.copy(codebook or demo / "codebook.yml", target / "codebook.yml")
    shutil.copy(programme or demo / "programme.yml", target / "programme.yml")
    shutil.copy(GOLD, target / "evaluation_coding.csv")
    (target / "project.yml").write_text(PROJECT_YML.format(name=name), encoding="utf-8")
    return target
