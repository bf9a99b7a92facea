"""A small coded project for the report notebooks: the tiny project of conftest plus a workshop-2 canvas,
the demo codebook and programme and a hand-written codings table, so every count a notebook shows is known;
the real analytics (``codesign analyse``) then run on it for the reports that read the analysis tables."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from conftest import DEMO, write_tiny_project

W2_NOTES = """\
Teema,Osio,Lappu
"Osaava työvoima, asuminen ja palvelut",Ensimmäiset toimenpiteet,Vuokratalo kirkonkylään vuonna 2025
"Osaava työvoima, asuminen ja palvelut",Sisältö,Työsuhdeasunnot kausityöntekijöille
Ympärivuotinen ja vastuullinen matkailu,Ensimmäiset toimenpiteet,Kesätuotteet kansainväliseen myyntiin
Ympärivuotinen ja vastuullinen matkailu,Mittarit,Kesäyöpymisten osuus kasvaa
"""

#: segment id → final codes (the human coding of the fixture)
CODES = {
    "W1-001": ["T1", "VAHVUUS"], "W1-002": ["T2", "T2.2", "HAASTE"], "W1-004": ["T5", "TAVOITE"],
    "H01-002": ["T1"], "H01-004": ["T2", "HAASTE"], "S-R001-q1": ["T2", "EHDOTUS"], "S-R003-q1": ["T1", "T4"],
    "C-001": ["T2", "EHDOTUS"], "C-002": ["T4", "HAASTE"],
    "W2-001": ["T2", "EHDOTUS"], "W2-002": ["T2"], "W2-003": ["T1", "EHDOTUS"], "W2-004": ["T1", "TAVOITE"],
}
#: a machine opinion that does not decide (final False), with the evidence the coder writes
MACHINE = {"segment_id": "W1-002", "code": "T3", "source": "machine", "confidence": 0.31,
           "evidence": json.dumps({"score": 0.31, "threshold": 0.45, "matched": ["asunto"],
                                   "context_matched": [], "similarity": 0.12,
                                   "nearest": [{"segment_id": "C-001", "similarity": 0.4}]}),
           "final": False}


def write_report_project(root: Path) -> Path:
    """Write the fixture project (raw files only); run the pipeline on it with ``code_report_project``."""
    write_tiny_project(root)
    config = (root / "project.yml").read_text(encoding="utf-8")
    config = config.replace("  - {id: interview, label: Haastattelut}",
                            "  - {id: workshop2, label: Työpaja 2}\n  - {id: interview, label: Haastattelut}")
    config = config.replace("sources:\n", "sources:\n  - id: W2\n    stage: workshop2\n    format: table\n"
                                          "    path: raw/w2.csv\n    columns: {text: Lappu, prompt: [Teema, Osio]}\n")
    config += "codebook: codebook.yml\nprogramme: programme.yml\n"
    (root / "project.yml").write_text(config, encoding="utf-8")
    (root / "raw" / "w2.csv").write_text(W2_NOTES, encoding="utf-8")
    shutil.copy(DEMO / "codebook.yml", root / "codebook.yml")
    shutil.copy(DEMO / "programme.yml", root / "programme.yml")
    return root


def write_codings(root: Path) -> None:
    rows = [{"segment_id": sid, "code": code, "source": "human", "confidence": 1.0,
             "evidence": json.dumps({"coder": "reference"}), "final": True}
            for sid, codes in CODES.items() for code in codes]
    frame = pd.DataFrame(rows + [MACHINE])
    frame.to_parquet(root / "build" / "codings.parquet", index=False)


def make_report_project(root: Path) -> Path:
    """The fixture project ingested, coded by hand and analysed, each through the build pipeline (so a build
    finds every step up to date; the code step's coder is the hand-written table, so every count is known);
    returns its folder."""
    import dataclasses

    from codesign.core.project import load_project
    from codesign.pipeline.steps import STEPS, run_pipeline

    write_report_project(root)
    by_hand = dataclasses.replace(next(s for s in STEPS if s.name == "code"),
                                  run=lambda project, params: write_codings(root) or "hand-written codings")
    steps = [s if s.name != "code" else by_hand for s in STEPS if s.name in ("ingest", "code", "analyse")]
    runs = run_pipeline(load_project(root), {}, steps=steps)     # {}: the parameters of a build
    assert [r.status for r in runs] == ["ran", "ran", "ran"], runs
    return root
