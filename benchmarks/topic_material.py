"""Temporary projects for the emergent-topic benchmark, assembled from the independent test material.

``tests/material/independent/`` (written apart from the code, gold written before any tool ran) holds eight
interviews, village-workshop notes and survey answers in which a concern no theme covers — the loss of local
cultural heritage — is voiced in one or two sentences of long turns. Two projects are made of it:

* ``combined``: a copy of the demo project (``data/kolari``, read as it is at run time) with the material's
  interviews added to the interview stage, its notes as a new workshop stage (source ``N``) and its answers as
  a new survey stage (source ``K``), its participants added to the register. The material is not in the
  demo's reference coding, so the machine codes it, as it would new material of a real project; the concern
  must be found among the demo's talk.
* ``material``: the material alone with the demo's codebook and programme, its careful coding
  (``gold/coding.csv``) as the reference coding.

Nothing under ``data/`` or ``tests/material/`` is modified.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "data" / "kolari"
MATERIAL = REPO / "tests" / "material" / "independent"
GOLD = MATERIAL / "gold"

NOTES_SOURCE = {"id": "N", "stage": "workshop3", "format": "table", "path": "raw/independent/notes.csv",
                "columns": {"text": "Sticky note", "prompt": "Frame", "author": "Author", "date": "Created",
                            "id": "Nro"}}
ANSWERS_SOURCE = {"id": "K", "stage": "survey2", "format": "table", "path": "raw/independent/answers.csv",
                  "delimiter": ";", "columns": {"text": "Vastaus", "prompt": "Kysymys", "group": "Taustaryhmä",
                                                "id": "Nro"}}
INTERVIEW_SOURCE = {"stage": "interview", "format": "transcript", "path": "raw/independent/interviews/*.txt"}
NEW_STAGES = [{"id": "workshop3", "label": "Kylätyöpaja", "start": "2024-02-14"},
              {"id": "survey2", "label": "Jatkokysely", "start": "2024-02-01", "end": "2024-02-29"}]


def _copy_material(root: Path) -> None:
    target = root / "raw" / "independent"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(MATERIAL / "interviews", target / "interviews")
    for name in ("notes.csv", "answers.csv"):
        shutil.copy2(MATERIAL / name, target / name)


def _widen_stages(config: dict) -> None:
    """The material's interviews are from February 2024: the interview stage's dates are widened to hold them."""
    for stage in config["stages"]:
        if stage["id"] == "interview" and stage.get("end"):
            stage["end"] = "2024-02-29"


def combined(root: Path) -> Path:
    """The demo with the material added (see the module docstring); returns the project folder."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("build", ".cache", "reports"))
    _copy_material(root)
    config = yaml.safe_load((root / "project.yml").read_text(encoding="utf-8"))
    _widen_stages(config)
    order = [s["id"] for s in config["stages"]]
    config["stages"] += [s for s in NEW_STAGES if s["id"] not in order]
    config["sources"] += [INTERVIEW_SOURCE, NOTES_SOURCE, ANSWERS_SOURCE]
    (root / "project.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    register = root / (config.get("register") or "private/participants.csv")
    with register.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    rows = list(csv.DictReader((MATERIAL / "participants.csv").open(encoding="utf-8")))
    with register.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        for row in rows:
            writer.writerow(row)
    return root


def material(root: Path) -> Path:
    """The material alone with the demo's codebook and programme and the gold coding as reference coding."""
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    _copy_material(root)
    for name in ("codebook.yml", "programme.yml"):
        shutil.copy2(DEMO / name, root / name)
    shutil.copy2(GOLD / "coding.csv", root / "reference_coding.csv")
    (root / "private").mkdir()
    shutil.copy2(MATERIAL / "participants.csv", root / "private" / "participants.csv")
    demo = yaml.safe_load((DEMO / "project.yml").read_text(encoding="utf-8"))
    config = {"name": "independent", "title": "Riippumaton testiaineisto", "language": "fi",
              "register": "private/participants.csv", "codebook": "codebook.yml", "programme": "programme.yml",
              "reference_coding": "reference_coding.csv", "groups": demo.get("groups", {}),
              "stages": [{"id": "interview", "label": "Haastattelut"}] + NEW_STAGES,
              "sources": [INTERVIEW_SOURCE, NOTES_SOURCE, ANSWERS_SOURCE],
              "pseudonymisation": demo.get("pseudonymisation", {}), "report": {"language": "fi"}}
    (root / "project.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def gold_sentences() -> list[dict]:
    """``gold/emergent.csv``: segment_id, sentence, concern (the concern or ``distractor``)."""
    with (GOLD / "emergent.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def designer_label() -> str:
    """The designer's short name of the concern (``gold/concern.md``)."""
    for line in (GOLD / "concern.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("**Lyhyt nimi"):
            return line.split(":**", 1)[1].strip()
    raise ValueError(f"{GOLD / 'concern.md'}: no '**Lyhyt nimi …:**' line")
