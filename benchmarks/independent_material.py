"""The independent test material (tests/material/independent/) assembled into a temporary codesign project.

The material (8 interviews, village-workshop notes, survey answers) was written apart from the code, reacting to
a draft of the demo's programme (the mine goal with 250 jobs by 2028, as in ``programme_draft.yml``); its gold
files were written before any tool ran. The project gets the demo's codebook and draft programme, and
the material's gold theme coding as its reference coding (as the demo has one; the coder on this branch needs
one). Its goal-evidence gold is NOT given to the project: it is what the goal model is measured against.

    from independent_material import independent_project
    root = independent_project(Path("/tmp/indep"))
"""
from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MATERIAL = REPO / "tests" / "material" / "independent"
DEMO = REPO / "data" / "kolari"

PROJECT_YML = """\
name: {name}
title: Kolari, toinen kierros (riippumaton testiaineisto)
language: fi
register: private/participants.csv
codebook: codebook.yml
programme: programme.yml
reference_coding: reference_coding.csv
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


def independent_project(target: Path, name: str = "independent") -> Path:
    """Write the project into ``target`` (which must not exist) and return it."""
    target = Path(target)
    (target / "raw").mkdir(parents=True)
    (target / "private").mkdir()
    shutil.copytree(MATERIAL / "interviews", target / "raw" / "interviews")
    shutil.copy(MATERIAL / "notes.csv", target / "raw" / "notes.csv")
    shutil.copy(MATERIAL / "answers.csv", target / "raw" / "answers.csv")
    shutil.copy(MATERIAL / "participants.csv", target / "private" / "participants.csv")
    shutil.copy(DEMO / "codebook.yml", target / "codebook.yml")
    shutil.copy(DEMO / "programme_draft.yml", target / "programme.yml")
    shutil.copy(MATERIAL / "gold" / "coding.csv", target / "reference_coding.csv")
    (target / "project.yml").write_text(PROJECT_YML.format(name=name), encoding="utf-8")
    return target
