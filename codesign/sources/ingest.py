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
from codesign.privacy.pseudonymise import KeyTable, Pseudonymiser, Replacement, apply, shift
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
    warnings: list[str] = field(default_factory=list)   # the keep list overruled the NER (file, line)
    notes: list[str] = field(default_factory=list)      # e.g. stale key-table rows removed
    report: list[dict] = field(default_factory=list)    # rows of private/pseudonymisation_report.csv

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


#: Columns of ``private/pseudonymisation_report.csv``: every replacement, for the designer to check.
REPORT_FILE = "pseudonymisation_report.csv"
REPORT_COLUMNS = ("source", "source_id", "segment_id", "where", "line", "column", "original", "placeholder",
                  "kind", "why", "detail")


@dataclass
class Pseudonymised:
    """What pseudonymisation made of a project's documents: the documents, every replacement (rows of the
    report) and the warnings (the keep list overruling the NER), each with its file and line."""
    documents: list[SourceDocument]
    report: list[dict]
    warnings: list[str]
    replacements: dict[str, list[Replacement]] = field(default_factory=dict)  # source id → in its raw text


def pseudonymise_sources(documents: list[SourceDocument], pseudonymiser: Pseudonymiser,
                         batch_size: int = 64) -> Pseudonymised:
    """Personal data replaced in every segment, in the source texts, in prompts (the exercise or question a
    text answers) and in the respondents' free category values (sector, area)."""
    nlp = load_pipeline(PSEUDONYMISE_EXCLUDE)
    texts: list[str] = []
    groups: list[str] = []
    places: list[tuple] = []           # what each text is: ("segment", doc, seg) | ("prompt", doc, value) | …
    for d, document in enumerate(documents):
        for k, segment in enumerate(document.segments):
            texts.append(segment.text)
            groups.append(document.source_id)
            places.append(("segment", d, k))
    for d, document in enumerate(documents):
        for prompt in dict.fromkeys(s.prompt for s in document.segments if s.prompt):
            texts.append(prompt)
            groups.append(f"{document.source_id} prompt")
            places.append(("prompt", d, prompt))
        for column in _VALUE_COLUMNS:
            values = {s.sector for s in document.segments if s.sector} if column == "sector" else set()
            frame = document.tables.get("respondents")
            if frame is not None and column in frame:
                values |= {str(v) for v in frame[column].dropna() if str(v).strip()}
            for value in sorted(values):
                texts.append(value)
                groups.append(f"{document.source_id} {column}")
                places.append((column, d, value))
    found = pseudonymiser.pseudonymise(list(nlp.pipe(texts, batch_size=batch_size)), groups)
    report: list[dict] = []
    per_doc: dict[int, list[Replacement]] = {}
    swaps: dict[tuple[int, str], dict[str, str]] = {}
    for (what, d, item), reps in zip(places, found):
        document = documents[d]
        if what == "segment":
            segment = document.segments[item]
            per_doc.setdefault(d, []).extend(
                replace(r, start=r.start + segment.start, end=r.end + segment.start) for r in reps)
            report += [_report_row(document, segment, r) for r in reps]
        elif reps:
            swaps.setdefault((d, what), {})[item] = apply(item, reps)
            report += [_report_row(document, None, r, where=what, text=item) for r in reps]
    seen: dict[str, list] = {}
    for w in pseudonymiser.warnings:
        what, d, item = places[w.doc]
        document = documents[d]
        line = _line_of(document.segments[item], w.start)[0] if what == "segment" else None
        where = f"{document.path}, line {line}" if line else f"{document.path} ({what})"
        seen.setdefault(w.text.casefold(), [w.text, where, 0])[2] += 1
        report.append({"source": document.path, "source_id": document.source_id,
                       "segment_id": document.segments[item].segment_id if what == "segment" else "",
                       "where": "text" if what == "segment" else what, "line": line or "", "column": "",
                       "original": w.text, "placeholder": "", "kind": "kept", "why": "keep",
                       "detail": f"NER {w.label}; the keep list wins"})
    warnings = [f"{where}: the NER took {text!r} for a person; kept, it is on the keep list"
                + (f" (and {count - 1} more time(s))" if count > 1 else "") for text, where, count in seen.values()]
    out = []
    for d, document in enumerate(documents):
        all_reps = sorted(per_doc.get(d, []), key=lambda r: r.start)
        text = apply(document.text, all_reps)
        prompts = swaps.get((d, "prompt"), {})
        sectors = swaps.get((d, "sector"), {})
        segments = [replace(s, text=text[shift(s.start, all_reps):shift(s.end, all_reps)],
                            start=shift(s.start, all_reps), end=shift(s.end, all_reps),
                            prompt=prompts.get(s.prompt, s.prompt), sector=sectors.get(s.sector, s.sector))
                    for s in document.segments]
        tables = dict(document.tables)
        if "respondents" in tables:
            frame = tables["respondents"].copy()
            for column in _VALUE_COLUMNS:
                mapping = swaps.get((d, column), {})
                if column in frame and mapping:
                    frame[column] = frame[column].map(lambda v, m=mapping: m.get(str(v), v) if v == v else v)
            tables["respondents"] = frame
        out.append(replace(document, text=text, segments=segments, tables=tables))
    return Pseudonymised(out, report, warnings,
                         {doc.source_id: sorted(per_doc.get(d, []), key=lambda r: r.start)
                          for d, doc in enumerate(documents)})


def pseudonymise_documents(documents: list[SourceDocument], pseudonymiser: Pseudonymiser,
                           batch_size: int = 64) -> list[SourceDocument]:
    """The same documents with personal data replaced (see :func:`pseudonymise_sources`)."""
    return pseudonymise_sources(documents, pseudonymiser, batch_size).documents


_VALUE_COLUMNS = ("sector", "area")


def _line_of(segment, offset: int) -> tuple[int | None, int | None]:
    """The raw file's line and column of ``offset`` in a segment's text."""
    if segment.line is None:
        return None, None
    before = segment.text[:offset]
    newlines = before.count("\n")
    if newlines:
        return segment.line + newlines, offset - before.rfind("\n")
    return segment.line, (segment.column + offset) if segment.column else None


def _report_row(document: SourceDocument, segment, rep: Replacement, where: str = "text",
                text: str | None = None) -> dict:
    line, column = _line_of(segment, rep.start) if segment is not None else (None, None)   # segment offsets
    return {"source": document.path, "source_id": document.source_id,
            "segment_id": segment.segment_id if segment is not None else "", "where": where,
            "line": line or "", "column": column or "", "original": rep.original, "placeholder": rep.placeholder,
            "kind": rep.kind, "why": rep.why, "detail": rep.detail}


def write_report(path: Path, rows: list[dict]) -> None:
    """``private/pseudonymisation_report.csv``: one row per replacement (and per kept NER disagreement)."""
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def ingest(project: Project | Path | str | None = None, check_leaks: bool = True) -> IngestResult:
    """Read, pseudonymise and write a project's sources to ``build/``; see the module docstring."""
    project = load_project(project)
    t0 = time.perf_counter()
    register = load_register(project.register_path, project.groups)
    documents, failures = read_sources(project, register)
    t1 = time.perf_counter()
    keys = KeyTable.load(keys_path(project))
    pseudonymiser = Pseudonymiser(register, keys, project.keep_terms, project.replace_terms,
                                  project.interviewers)
    done = pseudonymise_sources(documents, pseudonymiser)
    documents = done.documents
    t2 = time.perf_counter()
    dropped = keys.prune()
    keys.save(keys_path(project))
    write_report(project.private_dir / REPORT_FILE, done.report)
    errors_log = project.private_dir / ERRORS_LOG
    errors_log.write_text("".join(f"{f}\n\n" for f in failures), encoding="utf-8")
    result = IngestResult(project, documents, failures, warnings=list(done.warnings), report=done.report)
    if dropped:
        result.notes.append(f"{len(dropped)} row(s) of names no source contains any more were removed from "
                            f"private/{keys_path(project).name}")
    redact = pseudonymiser.matcher().redact
    result.segments = _write_build(project, documents, failures, redact)
    t3 = time.perf_counter()
    if check_leaks:
        guard(project, [project.build_dir], delete=False)
    result.timings = {"read_s": t1 - t0, "pseudonymise_s": t2 - t1, "write_s": t3 - t2,
                      "leak_check_s": time.perf_counter() - t3}
    return result


def _write_build(project: Project, documents: list[SourceDocument], failures: list[SourceFailure],
                 redact=lambda text: text) -> pd.DataFrame:
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
        # file names may carry a name (H03_Marjatta_Vähämaa.txt): pseudonymised like text
        "sources": [{"source_id": d.source_id, "stage": d.stage, "format": d.format, "path": redact(d.path),
                     "segments": len(d.segments)} for d in documents],
        "failures": [{"path": redact(f.path), "error": redact(f.redacted),
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
