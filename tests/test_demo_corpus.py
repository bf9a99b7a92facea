"""The bundled demo project: its shape cannot silently rot, and the full ingest works end to end.

The full NLP ingest of the demo runs once per test session (``demo_build``).
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import DEMO

from codesign.core.project import load_project
from codesign.core.register import load_register
from codesign.privacy.leakcheck import planted_recall
from codesign.sources.ingest import read_sources
from codesign.sources.readers import ReadContext
from codesign.sources.readers.survey import read_survey


@pytest.fixture(scope="module")
def demo_raw():
    project = load_project(DEMO)
    register = load_register(project.register_path, project.groups)
    documents, failures = read_sources(project, register)
    assert failures == []
    return project, register, {d.source_id: d for d in documents}


@pytest.fixture(scope="module")
def demo_build(built_demo):
    report = json.loads((built_demo.build_dir / "ingest_report.json").read_text(encoding="utf-8"))
    assert report["failures"] == []
    return built_demo.root, report


def _words(text: str) -> int:
    return len(text.split())


def test_interviews_shape(demo_raw):
    project, register, docs = demo_raw
    interviews = {k: d for k, d in docs.items() if d.stage == "interview"}
    assert sorted(interviews) == [f"H{n:02d}" for n in range(1, 15)]
    formats = {Path(d.path).suffix for d in interviews.values()}
    assert {".txt", ".docx", ".vtt"} <= formats
    groups, lengths = set(), []
    for doc in interviews.values():
        words = sum(_words(s.text) for s in doc.segments)
        assert 300 <= words <= 4000, (doc.source_id, words)
        lengths.append(words)
        participant = doc.meta["participant"]
        assert participant == "P" + doc.source_id[1:]
        groups.add(register[participant].group)
    assert groups == {"yrittäjä", "yrityksen edustaja", "viranhaltija", "luottamushenkilö"}
    assert max(lengths) >= 3 * min(lengths)          # real validation interviews vary three- to five-fold


def test_workshops_survey_and_comments_shape(demo_raw):
    project, register, docs = demo_raw
    assert 150 <= len(docs["W1"].segments) <= 250
    assert len({s.prompt for s in docs["W1"].segments}) == 8
    assert 60 <= len(docs["W2"].segments) <= 150
    assert 40 <= len(docs["C"].segments) <= 80
    respondents = docs["S"].tables["respondents"]
    assert 80 <= len(respondents) <= 120
    counts = respondents["group"].value_counts()
    assert counts["luottamushenkilö"] < 10                    # the quiet voice
    likert = docs["S"].tables["likert"]
    assert {"dont_know", "missing"} <= set(likert["answer"])


def test_survey_csv_and_xlsx_exports_agree(demo_raw):
    project, register, docs = demo_raw
    spec = next(s for s in project.sources if s.id == "S")
    ctx = ReadContext(project, register)
    csv_path = DEMO / "raw/survey/kysely_vastaukset.csv"
    assert csv_path.read_bytes()[:3] != b"\xef\xbb\xbf"          # cp1252, as Finnish Excel writes it
    from_csv = read_survey(spec, csv_path, ctx)[0]
    for name in ("respondents", "rankings", "likert"):
        pd.testing.assert_frame_equal(from_csv.tables[name], docs["S"].tables[name], check_dtype=False)
    assert [s.text for s in from_csv.segments] == [s.text for s in docs["S"].segments]


def test_survey_groups_disagree_on_priorities(demo_raw):
    project, register, docs = demo_raw
    tables = docs["S"].tables
    ranks = tables["rankings"].merge(tables["respondents"][["respondent_id", "group"]], on="respondent_id")
    mean = ranks.groupby(["group", "alternative"])["rank"].mean().unstack()
    assert mean.loc["yrittäjä"].idxmin() in ("A1", "A2")
    assert mean.loc["luottamushenkilö"].idxmin() == "A4"


def test_register_is_consistent_with_sources(demo_raw):
    project, register, docs = demo_raw
    codes = [p.code for p in register]
    assert len(codes) == len(set(codes))
    used = {s.participant for d in docs.values() if d.stage != "survey" for s in d.segments if s.participant}
    assert used <= set(codes)


def test_raw_offsets_round_trip(demo_raw):
    project, register, docs = demo_raw
    for doc in docs.values():
        for s in doc.segments:
            assert doc.text[s.start:s.end] == s.text, s.segment_id


def test_the_codings_cover_the_units_as_documented(demo_raw):
    project, register, docs = demo_raw
    ids = {s.segment_id for d in docs.values() for s in d.segments}
    codebook = yaml.safe_load((DEMO / "codebook.yml").read_text(encoding="utf-8"))
    code_ids = {c["id"] for c in codebook["codes"]}
    for name in ("reference_coding.csv", "evaluation_coding.csv", "second_coding.csv"):
        with (DEMO / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, name
        assert {r["segment_id"] for r in rows} <= ids, name
        assert {c for r in rows for c in r["codes"].split(";") if c} <= code_ids, name
    def coded(name):
        with (DEMO / name).open(encoding="utf-8") as handle:
            return [r["segment_id"] for r in csv.DictReader(handle)]

    participant_units = {s.segment_id for d in docs.values() for s in d.segments if s.speaker_role == "participant"}
    full = coded("evaluation_coding.csv")
    assert len(full) == len(set(full)) and set(full) == participant_units   # every unit, none twice or missing
    sample = set(coded("reference_coding.csv"))           # what the project operates on: a hand-coded sample
    assert sample < set(full) and 0.1 <= len(sample) / len(full) <= 0.25
    assert len({s.split("-")[0] for s in sample if s.startswith("H")}) == 2    # two whole interviews …
    assert {s.split("-")[0] for s in sample} >= {"W1", "W2", "S", "C"}        # … and some of every other source


def test_demo_ingest_is_pseudonymised_and_traceable(demo_build):
    root, result = demo_build
    segments = pd.read_parquet(root / "build/segments.parquet")
    assert segments["segment_id"].is_unique
    assert set(segments["stage"]) == {"workshop1", "survey", "workshop2", "interview", "comment"}
    for source_id, rows in segments.groupby("source_id"):
        text = (root / "build/sources" / f"{source_id}.txt").read_text(encoding="utf-8")
        for row in rows.itertuples():
            assert text[row.start:row.end] == row.text


def test_pseudonymiser_recall_on_planted_identifiers(demo_build):
    root, result = demo_build
    planted = yaml.safe_load((root / "private/planted_identifiers.yml").read_text(encoding="utf-8"))
    recall = planted_recall(root / "build", planted)
    assert recall["present_in_build"].all()
    assert len(recall) >= 80
    by_kind = recall.groupby("kind")["caught"].mean()
    for kind in ("email", "phone", "hetu"):
        assert by_kind[kind] == 1.0, kind
    assert recall["caught"].mean() >= 0.95, recall[~recall["caught"]]
