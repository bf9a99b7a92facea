"""Incremental ingest: a new or changed source is the only one the Finnish pipeline processes again, and the
build it writes equals a cold ingest's of the same inputs (the per-source NLP cache in ``private/nlp_cache/``)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import TRANSCRIPT

SECOND = """\
---
interview: H02
participant: P02
group: yrittäjä
sector: rakentaminen
date: 2023-06-20
language: fi
---
[00:00:05] Haastattelija: Mitä rakentamisessa pitäisi muuttaa?

[00:00:20] P02: Tontteja on liian vähän. Mikko Rautio sanoi saman, ja Aila myös.
Kaivos toisi töitä, mutta asunnot ensin.
"""

N_SOURCES = 4       # the tiny project: notes, one interview, the survey, the comments


def _outputs(root: Path, private: bool = True) -> dict[str, object]:
    """What a run wrote to build/, comparable between two runs: tables as frames, the reports' JSON without
    their timings (key order kept), the deliverables as text without their properties, other files as bytes;
    with ``private``, the key table and the pseudonymisation report too."""
    from codesign.privacy.leakcheck import office_text

    def untimed(value):
        if isinstance(value, dict):
            return {k: untimed(v) for k, v in value.items() if k not in ("durations", "timings", "seconds")}
        return [untimed(v) for v in value] if isinstance(value, list) else value

    out: dict[str, object] = {}
    for path in sorted((root / "build").rglob("*")):
        name = path.relative_to(root).as_posix()
        if not path.is_file() or path.name == "pipeline_state.json":      # digests of its own inputs
            continue
        if path.suffix == ".parquet":
            out[name] = pd.read_parquet(path)
        elif path.suffix == ".json":
            out[name] = json.dumps(untimed(json.loads(path.read_text(encoding="utf-8"))), ensure_ascii=False)
        elif path.suffix in (".xlsx", ".docx"):
            out[name] = [(part, text) for part, text in office_text(path) if not part.startswith("docProps/")]
        else:
            out[name] = path.read_bytes()
    if private:
        for name in ("pseudonym_keys.csv", "pseudonymisation_report.csv"):
            out[f"private/{name}"] = (root / "private" / name).read_bytes()
    return out


def _assert_same(a: dict, b: dict) -> None:
    assert sorted(a) == sorted(b)
    for name in a:
        if isinstance(a[name], pd.DataFrame):
            pd.testing.assert_frame_equal(a[name], b[name], obj=name)
        else:
            assert a[name] == b[name], name


def _cold_copy(root: Path, target: Path) -> Path:
    """The same inputs without build/, caches, key table or report: what a fresh clone has."""
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(
        "build", "build.tmp", ".cache", "nlp_cache", "pseudonym_keys.csv", "pseudonymisation_report.csv",
        "ingest_errors.log"))
    return target


@pytest.mark.integration
def test_a_new_source_is_the_only_one_processed_and_the_build_equals_a_cold_ingest(tiny_project, tmp_path):
    from codesign.sources.ingest import NLP_CACHE, ingest

    first = ingest(tiny_project)
    assert (first.nlp_processed, first.nlp_reused) == (N_SOURCES, 0)
    again = ingest(tiny_project)
    assert (again.nlp_processed, again.nlp_reused) == (0, N_SOURCES)

    (tiny_project / "raw" / "interviews" / "H02.txt").write_text(SECOND, encoding="utf-8")
    added = ingest(tiny_project)
    assert (added.nlp_processed, added.nlp_reused) == (1, N_SOURCES)

    # a cold ingest of the same inputs: no build, no caches, no key table
    cold = _cold_copy(tiny_project, tmp_path / "cold")
    result = ingest(cold)
    assert (result.nlp_processed, result.nlp_reused) == (N_SOURCES + 1, 0)
    _assert_same(_outputs(tiny_project), _outputs(cold))
    assert len(list((tiny_project / "private" / NLP_CACHE).glob("*.spacy"))) == N_SOURCES + 1


@pytest.mark.integration
def test_a_changed_source_is_processed_again_and_its_old_docs_removed(tiny_project):
    from codesign.sources.ingest import NLP_CACHE, ingest

    ingest(tiny_project)
    interview = tiny_project / "raw" / "interviews" / "H01.txt"
    interview.write_text(TRANSCRIPT.replace("kymmenen ihmistä", "kaksitoista ihmistä"), encoding="utf-8")
    changed = ingest(tiny_project)
    assert (changed.nlp_processed, changed.nlp_reused) == (1, N_SOURCES - 1)
    assert "kaksitoista" in (tiny_project / "build" / "sources" / "H01.txt").read_text(encoding="utf-8")
    assert len(list((tiny_project / "private" / NLP_CACHE).glob("*.spacy"))) == N_SOURCES


def test_notebook_workers_from_the_environment(monkeypatch):
    from codesign.core.errors import InputError
    from codesign.pipeline.notebooks import notebook_workers

    monkeypatch.setenv("CODESIGN_NOTEBOOK_WORKERS", "1")
    assert notebook_workers() == 1
    monkeypatch.setenv("CODESIGN_NOTEBOOK_WORKERS", "3")
    assert notebook_workers() == 3
    monkeypatch.setenv("CODESIGN_NOTEBOOK_WORKERS", "two")
    with pytest.raises(InputError, match="CODESIGN_NOTEBOOK_WORKERS"):
        notebook_workers()
    monkeypatch.delenv("CODESIGN_NOTEBOOK_WORKERS")
    assert notebook_workers() in (1, 2)


@pytest.mark.integration
@pytest.mark.filterwarnings("ignore")
def test_a_build_after_a_new_interview_equals_a_cold_build_of_the_same_inputs(tmp_path):
    """The whole pipeline (ingest, code with a human coding, analyse, deliverables) run again after a new
    interview writes what a cold run on the same inputs writes; a run with nothing new re-runs nothing."""
    from report_fixture import CODES, write_report_project

    from codesign.core.project import load_project
    from codesign.pipeline.steps import run_pipeline

    root = write_report_project(tmp_path / "project")
    human = "segment_id,codes\n" + "".join(f"{s},{';'.join(c)}\n" for s, c in CODES.items())
    (root / "reference_coding.csv").write_text(human, encoding="utf-8")
    with (root / "project.yml").open("a", encoding="utf-8") as config:
        config.write("reference_coding: reference_coding.csv\n")

    assert [r.status for r in run_pipeline(load_project(root), {})] == ["ran"] * 4
    assert [r.status for r in run_pipeline(load_project(root), {})] == ["up_to_date"] * 4
    (root / "raw" / "interviews" / "H02.txt").write_text(SECOND, encoding="utf-8")
    assert [r.status for r in run_pipeline(load_project(root), {})] == ["ran"] * 4

    cold = _cold_copy(root, tmp_path / "cold")
    assert [r.status for r in run_pipeline(load_project(cold), {})] == ["ran"] * 4
    incremental, fresh = _outputs(root, private=False), _outputs(cold, private=False)
    assert "build/codings.parquet" in incremental and "build/theme_validation.csv" in incremental
    assert any(s.startswith("H02-") for s in incremental["build/codings.parquet"]["segment_id"])
    _assert_same(incremental, fresh)
