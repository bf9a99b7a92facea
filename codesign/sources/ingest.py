"""``codesign ingest``: every source of a project into one pseudonymised, tidy segment table.

Writes to ``PROJECT/build/`` (documented in docs/schema.md):
``segments.parquet`` (one row per segment), ``sources/<source_id>.txt`` (each source's normalised,
pseudonymised plain text; segments' ``start``/``end`` index it), ``respondents.parquet``,
``survey_rankings.parquet``, ``survey_likert.parquet`` and ``ingest_report.json`` (what was read, what
failed and why). The key table goes to ``PROJECT/private/pseudonym_keys.csv`` and nowhere else.
"""
from __future__ import annotations

import json
import logging
import re
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from codesign._version import __version__
from codesign.core.errors import CodesignError, InputError
from codesign.core.project import Project, load_project
from codesign.core.register import Register, load_register
from codesign.nlp.pipeline import load_pipeline
from codesign.privacy.leakcheck import guard, keys_path
from codesign.privacy.pseudonymise import KeyTable, Pseudonymiser, apply, shift
from codesign.sources.readers import READERS, ReadContext
from codesign.sources.segments import SourceDocument, segments_frame

log = logging.getLogger(__name__)
ERRORS_LOG = "ingest_errors.log"
INGEST_OUTPUTS = ("segments.parquet", "sources", "respondents.parquet", "survey_rankings.parquet",
                  "survey_likert.parquet", "ingest_report.json")
# The parser is not needed for NER, lemmas or morphology; leaving it out roughly doubles the speed.
PSEUDONYMISE_EXCLUDE = ("parser",)


@dataclass
class SourceFailure:
    path: str
    error: str

    def __str__(self) -> str:
        return self.error

    @property
    def redacted(self) -> str:
        """The message without the quoted input it may contain (a name used as a label, say).

        The full message goes to the terminal and ``private/ingest_errors.log``, never to ``build/``.
        """
        first_line = self.error.split("\n")[0]
        return re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "'…'", first_line)


@dataclass
class IngestResult:
    project: Project
    documents: list[SourceDocument]
    failures: list[SourceFailure] = field(default_factory=list)
    segments: pd.DataFrame | None = None
    timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


def read_sources(project: Project, register: Register) -> tuple[list[SourceDocument], list[SourceFailure]]:
    """Read every source; a broken file is recorded as a failure and the others are still read."""
    ctx = ReadContext(project, register)
    documents, failures = [], []
    for spec, path in project.expand_sources():
        try:
            if not path.is_file():
                raise InputError(path, "source file not found",
                                 hint=f"fix `path:` on line {spec.line} of {project.config_path.name}, "
                                      "or add the file")
            documents += READERS[spec.format](spec, path, ctx)
        except InputError as exc:
            failures.append(SourceFailure(ctx.relative(path), str(exc)))
        except OSError as exc:
            failures.append(SourceFailure(ctx.relative(path), f"{path}: cannot be read ({exc.strerror})"))
    seen: dict[str, str] = {}
    kept = []
    for doc in documents:
        if doc.source_id in seen:
            failures.append(SourceFailure(doc.path, str(InputError(
                doc.path, f"source id {doc.source_id!r} is used twice (also by {seen[doc.source_id]})",
                hint="give each source a unique id (interview: in the front matter, id: in project.yml)"))))
            continue
        seen[doc.source_id] = doc.path
        kept.append(doc)
    return kept, failures


def pseudonymise_documents(documents: list[SourceDocument], pseudonymiser: Pseudonymiser,
                           batch_size: int = 64) -> list[SourceDocument]:
    """The same documents with personal data replaced in every segment and in the source text."""
    nlp = load_pipeline(PSEUDONYMISE_EXCLUDE)
    texts = [s.text for d in documents for s in d.segments]
    found = iter(pseudonymiser.pseudonymise(list(nlp.pipe(texts, batch_size=batch_size))))
    out = []
    for document in documents:
        all_reps = []
        for segment in document.segments:
            all_reps += [replace(r, start=r.start + segment.start, end=r.end + segment.start)
                         for r in next(found)]
        new_segments = document.segments
        text = apply(document.text, all_reps)
        new_segments = [replace(s, text=text[shift(s.start, all_reps):shift(s.end, all_reps)],
                                start=shift(s.start, all_reps), end=shift(s.end, all_reps))
                        for s in new_segments]
        out.append(replace(document, text=text, segments=new_segments))
    return out


def ingest(project: Project | Path | str | None = None, check_leaks: bool = True) -> IngestResult:
    """Read, pseudonymise and write a project's sources to ``build/``; see the module docstring."""
    project = load_project(project)
    t0 = time.perf_counter()
    register = load_register(project.register_path, project.groups)
    documents, failures = read_sources(project, register)
    t1 = time.perf_counter()
    keys = KeyTable.load(keys_path(project))
    pseudonymiser = Pseudonymiser(register, keys, project.keep_terms)
    documents = pseudonymise_documents(documents, pseudonymiser)
    t2 = time.perf_counter()
    keys.save(keys_path(project))
    errors_log = project.private_dir / ERRORS_LOG
    errors_log.write_text("".join(f"{f}\n\n" for f in failures), encoding="utf-8")
    result = IngestResult(project, documents, failures)
    result.segments = _write_build(project, documents, failures)
    t3 = time.perf_counter()
    if check_leaks:
        guard(project, [project.build_dir], delete=False)
    result.timings = {"read_s": t1 - t0, "pseudonymise_s": t2 - t1, "write_s": t3 - t2,
                      "leak_check_s": time.perf_counter() - t3}
    return result


def _write_build(project: Project, documents: list[SourceDocument], failures: list[SourceFailure]) -> pd.DataFrame:
    build = project.build_dir
    staging = build.with_name(build.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "sources").mkdir(parents=True)
    frame = segments_frame(documents)
    frame.to_parquet(staging / "segments.parquet", index=False)
    for doc in documents:
        (staging / "sources" / f"{doc.source_id}.txt").write_text(doc.text, encoding="utf-8")
    for name, file in (("respondents", "respondents"), ("rankings", "survey_rankings"),
                       ("likert", "survey_likert")):
        tables = [d.tables[name] for d in documents if name in d.tables]
        if tables:
            pd.concat(tables, ignore_index=True).to_parquet(staging / f"{file}.parquet", index=False)
    report = {
        "project": project.name, "codesign_version": __version__,
        "sources": [{"source_id": d.source_id, "stage": d.stage, "format": d.format, "path": d.path,
                     "segments": len(d.segments)} for d in documents],
        "failures": [{"path": f.path, "error": f.redacted,
                      "details": f"private/{ERRORS_LOG}"} for f in failures],
        "segments": int(len(frame)),
        "segments_by_stage": {k: int(v) for k, v in frame["stage"].value_counts().sort_index().items()},
    }
    (staging / "ingest_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    # Replace only what ingest owns, so later stages' artifacts in build/ survive a re-ingest.
    build.mkdir(exist_ok=True)
    for name in INGEST_OUTPUTS:
        old = build / name
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()
    for item in staging.iterdir():
        item.replace(build / item.name)
    staging.rmdir()
    return frame


def read_segments(project: Project | Path | str | None = None) -> pd.DataFrame:
    """The pseudonymised segment table of a project's last ingest."""
    project = load_project(project)
    path = project.build_dir / "segments.parquet"
    if not path.is_file():
        raise CodesignError(f"{path} not found: run `codesign ingest {project.root}` first")
    return pd.read_parquet(path)
