"""``codesign ingest``: every source of a project into one pseudonymised, tidy segment table.

Writes to ``PROJECT/build/`` (documented in docs/schema.md):
``segments.parquet`` (one row per segment), ``sources/<source_id>.txt`` (each source's normalised,
pseudonymised plain text; segments' ``start``/``end`` index it), ``respondents.parquet``,
``survey_rankings.parquet``, ``survey_likert.parquet`` and ``ingest_report.json`` (what was read, what
failed and why). The key table goes to ``PROJECT/private/pseudonym_keys.csv`` and nowhere else.
"""
from __future__ import annotations

import bisect
import itertools
import json
import logging
import re
import shutil
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from codesign._version import __version__
from codesign.core.errors import CodesignError, InputError
from codesign.core.project import Project, load_project
from codesign.core.register import Register, load_register
from codesign.core.safety import DEFAULT_LIMITS, Limits, check_file_size, inside
from codesign.nlp.finnish import SourceDocCache, pipe_docs
from codesign.nlp.pipeline import load_pipeline
from codesign.privacy.leakcheck import guard, keys_path
from codesign.privacy.pseudonymise import KeyTable, Pseudonymiser, Replacement, apply
from codesign.sources.readers import READERS, ReadContext
from codesign.sources.segments import SourceDocument, segments_frame

log = logging.getLogger(__name__)
ERRORS_LOG = "ingest_errors.log"
INGEST_OUTPUTS = ("segments.parquet", "sources", "respondents.parquet", "survey_rankings.parquet",
                  "survey_likert.parquet", "ingest_report.json")
# The parser is not needed for NER, lemmas or morphology; leaving it out roughly doubles the speed.
PSEUDONYMISE_EXCLUDE = ("parser",)
#: Each source's spaCy docs (raw text, so in ``private/``): an unchanged source is not processed again.
NLP_CACHE = "nlp_cache"
_EMPTY_TENSOR = np.zeros((0,), dtype="float32")


@dataclass
class SourceFailure:
    path: str
    error: str
    trace: str = ""      # the traceback of an unexpected failure: private/ingest_errors.log only

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
    nlp_reused: int = 0         # sources whose NLP came from private/nlp_cache/ (unchanged since the last ingest)
    nlp_processed: int = 0      # sources the Finnish pipeline processed

    @property
    def ok(self) -> bool:
        return not self.failures


def _unexpected(path: Path, relative: str, exc: BaseException, doing: str) -> SourceFailure:
    """An error no reader foresaw, as that source's failure: named, never a traceback on the terminal."""
    kind = type(exc).__name__
    if isinstance(exc, MemoryError):
        message = f"{path}: ran out of memory while {doing}"
        hint = "split the file, or lower the limits in project.yml (docs/project.md, `limits:`)"
    elif isinstance(exc, RecursionError):
        message = f"{path}: nested too deeply to be {doing.split()[0]}"
        hint = "export the file again"
    else:
        message = f"{path}: failed while {doing} ({kind}: {str(exc)[:300]})"
        hint = "check the file; if it looks right, report this with private/ingest_errors.log"
    return SourceFailure(relative, f"{message}\n  how to fix: {hint}",
                         "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


def read_sources(project: Project, register: Register) -> tuple[list[SourceDocument], list[SourceFailure]]:
    """Read every source; a broken file is recorded as a failure and the others are still read.

    Speaker turns, notes or answers longer than ``limits.max_segment_chars`` are split into several segments
    (``split_long_segments``), so no later step meets a text too long for it.
    """
    ctx = ReadContext(project, register)
    documents, failures = [], []
    for spec, path in project.expand_sources():
        try:
            if not path.is_file():
                raise InputError(path, "source file not found",
                                 hint=f"fix `path:` on line {spec.line} of {project.config_path.name}, "
                                      "or add the file")
            check_file_size(path, project.limits)
            read = READERS[spec.format](spec, path, ctx)
            documents += [split_long_segments(d, project.limits.max_segment_chars) for d in read]
            log.debug("read %s: %d segments", ctx.relative(path), sum(len(d.segments) for d in read))
        except InputError as exc:
            failures.append(SourceFailure(ctx.relative(path), str(exc)))
        except OSError as exc:
            failures.append(SourceFailure(ctx.relative(path), f"{path}: cannot be read ({exc.strerror or exc})"))
        except Exception as exc:   # noqa: BLE001 - any other failure of one file is that file's error
            failures.append(_unexpected(path, ctx.relative(path), exc, "reading it"))
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


#: Where a long text may be cut: after a sentence's end (and any closing quote or bracket).
_SENTENCE_END = re.compile(r"[.!?…][\"'”»)\]]*\s+")


def split_points(text: str, max_chars: int) -> list[tuple[int, int]]:
    """(start, end) pieces of ``text``, each at most ``max_chars`` long: cut after the last sentence end in
    the second half of the allowed length, else at the last space there, else (one unbroken word) hard."""
    pieces, pos = [], 0
    while len(text) - pos > max_chars:
        window = text[pos:pos + max_chars]
        cut = None
        for match in _SENTENCE_END.finditer(window, max_chars // 2):
            cut = match.end()
        if cut is None:
            space = max(window.rfind(" "), window.rfind("\n"))
            cut = space + 1 if space >= max_chars // 2 else max_chars
        pieces.append((pos, pos + cut))
        pos += cut
    pieces.append((pos, len(text)))
    out = []
    for start, end in pieces:       # no piece starts or ends with white space
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def split_long_segments(document: SourceDocument, max_chars: int) -> SourceDocument:
    """The document with every segment longer than ``max_chars`` split into parts ``<segment_id>.1``,
    ``.2`` … (the same turn, consecutive ranges of the same source text; docs/schema.md)."""
    if all(s.end - s.start <= max_chars for s in document.segments):
        return document
    segments = []
    for segment in document.segments:
        if segment.end - segment.start <= max_chars:
            segments.append(segment)
            continue
        pieces = split_points(segment.text, max_chars)
        log.info("%s: segment %s is %d characters; split into %d parts of at most %d", document.path,
                 segment.segment_id, segment.end - segment.start, len(pieces), max_chars)
        for number, (start, end) in enumerate(pieces, start=1):
            segments.append(replace(segment, segment_id=f"{segment.segment_id}.{number}",
                                    text=segment.text[start:end], start=segment.start + start,
                                    end=segment.start + end))
    return replace(document, segments=segments)


class _Progress:
    """A line on the terminal every few seconds while a long step runs (logging, so ``-q`` silences it)."""

    def __init__(self, what: str, total: int, every_s: float = 5.0) -> None:
        self.what, self.total, self.every_s = what, total, every_s
        self.started = self.last = time.perf_counter()

    def update(self, done: int, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self.last >= self.every_s:
            self.last = now
            share = done / self.total if self.total else 1.0
            log.info("  %s: %s of %s segments (%.0f %%), %.0f s", self.what, f"{done:,}", f"{self.total:,}",
                     100 * share, now - self.started)


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
    nlp_reused: int = 0        # sources whose docs came from the cache (``cache_dir``)
    nlp_processed: int = 0     # sources the Finnish pipeline processed in this run


def pseudonymise_sources(documents: list[SourceDocument], pseudonymiser: Pseudonymiser, batch_size: int = 64,
                         limits: Limits = DEFAULT_LIMITS, failures: list[SourceFailure] | None = None,
                         cache_dir: Path | None = None) -> Pseudonymised:
    """Personal data replaced in every segment, in the source texts, in prompts (the exercise or question a
    text answers) and in the respondents' free category values (sector, area).

    Whole sources go through the Finnish pipeline in chunks of about ``limits.pseudonymise_chunk_chars``
    characters, so only one chunk's spaCy docs are held at a time (their tensors dropped: the pseudonymiser
    reads tokens and entities), with progress on the terminal. When there is more than one chunk, a person or
    firm replaced in any chunk is then replaced in every chunk (the leak gate's rule). A source whose text
    makes the pipeline fail is left out and recorded in ``failures`` (when given; else the error is raised).
    With ``cache_dir`` (raw text: a folder in the project's ``private/``), each source's docs are kept there
    and an unchanged source is not processed again; the pseudonymiser itself always sees every source.
    """
    nlp = load_pipeline(PSEUDONYMISE_EXCLUDE)
    cache = SourceDocCache(nlp, cache_dir) if cache_dir is not None else None
    chunks = _document_chunks(documents, limits.pseudonymise_chunk_chars)
    progress = _Progress("pseudonymising", sum(len(d.segments) for d in documents))
    results: list[tuple[tuple, list[Replacement]]] = []
    warnings: list[tuple[tuple, object]] = []
    failed: dict[int, SourceFailure] = {}
    done = 0
    for chunk in chunks:
        try:
            _pseudonymise_documents(nlp, pseudonymiser, documents, chunk, batch_size, results, warnings, cache)
        except Exception:       # noqa: BLE001 - isolate the source that fails, keep the others
            if failures is None:
                raise
            for d in chunk:
                try:
                    _pseudonymise_documents(nlp, pseudonymiser, documents, [d], batch_size, results, warnings,
                                            cache)
                except Exception as single:   # noqa: BLE001
                    failed[d] = _unexpected(Path(documents[d].path), documents[d].path, single, "pseudonymising it")
        done += sum(len(documents[d].segments) for d in chunk)
        progress.update(done)
    if len(chunks) > 1:
        progress.update(done, force=True)
        found: list[list[list[Replacement]]] = [[[] for _ in doc.segments] for doc in documents]
        for (what, d, item), reps in results:
            if what == "segment":
                found[d][item] = reps
        _replace_everywhere(documents, found)
        results = [(place, found[place[1]][place[2]] if place[0] == "segment" else reps)
                   for place, reps in results]
    if failures is not None:
        failures += failed.values()
    if cache is not None and not failed:
        cache.prune()          # the docs of sources removed or changed since: raw text, not kept longer
    report: list[dict] = []
    per_doc: dict[int, list[Replacement]] = {}
    swaps: dict[tuple[int, str], dict[str, str]] = {}
    for (what, d, item), reps in results:
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
    for (what, d, item), w in warnings:
        document = documents[d]
        line = _line_of(document.segments[item], w.start)[0] if what == "segment" else None
        where = f"{document.path}, line {line}" if line else f"{document.path} ({what})"
        seen.setdefault(w.text.casefold(), [w.text, where, 0])[2] += 1
        report.append({"source": document.path, "source_id": document.source_id,
                       "segment_id": document.segments[item].segment_id if what == "segment" else "",
                       "where": "text" if what == "segment" else what, "line": line or "", "column": "",
                       "original": w.text, "placeholder": "", "kind": "kept", "why": "keep",
                       "detail": f"NER {w.label}; the keep list wins"})
    warning_lines = [f"{where}: the NER took {text!r} for a person; kept, it is on the keep list"
                     + (f" (and {count - 1} more time(s))" if count > 1 else "")
                     for text, where, count in seen.values()]
    out, kept_reps = [], {}
    for d, document in enumerate(documents):
        if d in failed:
            continue
        all_reps = sorted(per_doc.get(d, []), key=lambda r: r.start)
        kept_reps[document.source_id] = all_reps
        text = apply(document.text, all_reps)
        moved = _shifter(all_reps)
        prompts = swaps.get((d, "prompt"), {})
        sectors = swaps.get((d, "sector"), {})
        segments = [replace(s, text=text[moved(s.start):moved(s.end)], start=moved(s.start), end=moved(s.end),
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
    return Pseudonymised(out, report, warning_lines, kept_reps, *((cache.hits, cache.misses) if cache else (0, 0)))


def _document_chunks(documents: list[SourceDocument], max_chars: int) -> list[list[int]]:
    """Document indices in order, grouped into chunks of at most ``max_chars`` characters of segment text (a
    larger source is a chunk of its own: the pseudonymiser resolves lone names within their source)."""
    chunks: list[list[int]] = []
    current: list[int] = []
    size = 0
    for d, document in enumerate(documents):
        length = sum(len(s.text) for s in document.segments)
        if current and size + length > max_chars:
            chunks.append(current)
            current, size = [], 0
        current.append(d)
        size += length
    if current:
        chunks.append(current)
    return chunks


def _pseudonymise_documents(nlp, pseudonymiser: Pseudonymiser, documents: list[SourceDocument], chunk: list[int],
                            batch_size: int, results: list, warnings: list,
                            cache: SourceDocCache | None = None) -> None:
    """Pseudonymise the documents ``chunk`` together; append ((what, doc, item), replacements) to ``results``
    and ((what, doc, item), warning) to ``warnings`` (only when the whole chunk succeeded). With a ``cache``,
    the docs of a source whose texts are unchanged are read from it instead of being processed again."""
    own: dict[int, list[tuple[str, str, tuple]]] = {}      # doc → its segments' (text, group, place)
    extra: dict[int, list[tuple[str, str, tuple]]] = {}    # doc → its prompts' and values' (text, group, place)
    for d in chunk:
        document = documents[d]
        own[d] = [(segment.text, document.source_id, ("segment", d, k))
                  for k, segment in enumerate(document.segments)]
        extra[d] = [(prompt, f"{document.source_id} prompt", ("prompt", d, prompt))
                    for prompt in dict.fromkeys(s.prompt for s in document.segments if s.prompt)]
        for column in _VALUE_COLUMNS:
            values = {s.sector for s in document.segments if s.sector} if column == "sector" else set()
            frame = document.tables.get("respondents")
            if frame is not None and column in frame:
                values |= {str(v) for v in frame[column].dropna() if str(v).strip()}
            extra[d] += [(value, f"{document.source_id} {column}", (column, d, value)) for value in sorted(values)]
    # the order the pseudonymiser sees (it numbers what it meets first first): every segment, then the rest
    order = [item for d in chunk for item in own[d]] + [item for d in chunk for item in extra[d]]
    groups = [group for _, group, _ in order]
    places = [place for _, _, place in order]
    if cache is not None:
        per_source = cache.process([[t for t, _, _ in own[d] + extra[d]] for d in chunk], batch_size)
        by_place = {place: doc for d, docs in zip(chunk, per_source)
                    for (_, _, place), doc in zip(own[d] + extra[d], docs)}
        docs = [by_place[place] for place in places]
    else:
        docs = []
        for doc in pipe_docs(nlp, [t for t, _, _ in order], batch_size):
            doc.tensor = _EMPTY_TENSOR     # the pseudonymiser reads tokens and entities; the tensor is 2/3 of a doc
            docs.append(doc)
    found = pseudonymiser.pseudonymise(docs, groups)
    results.extend(zip(places, found))
    warnings.extend((places[w.doc], w) for w in pseudonymiser.warnings)


def pseudonymise_documents(documents: list[SourceDocument], pseudonymiser: Pseudonymiser, batch_size: int = 64,
                           limits: Limits = DEFAULT_LIMITS,
                           failures: list[SourceFailure] | None = None) -> list[SourceDocument]:
    """The same documents with personal data replaced (see :func:`pseudonymise_sources`)."""
    return pseudonymise_sources(documents, pseudonymiser, batch_size, limits, failures).documents


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


def _shifter(replacements: list[Replacement]):
    """``pseudonymise.shift`` for many positions: where a position of the original text lands in the replaced
    text, in O(log n) (a transcript of 50 MB has tens of thousands of replacements and of segments)."""
    ends = [r.end for r in replacements]
    deltas = list(itertools.accumulate((len(r.placeholder) - (r.end - r.start) for r in replacements), initial=0))

    def moved(position: int) -> int:
        return position + deltas[bisect.bisect_right(ends, position)]
    return moved


def _replace_everywhere(documents, found) -> None:
    """Add a replacement wherever a person or firm replaced in any chunk of this run appears unreplaced."""
    names: dict[str, Replacement] = {}
    for per_document in found:
        for reps in per_document:
            for r in reps:
                if r.kind in ("participant", "person", "organisation") and len(r.original) > 2:
                    names.setdefault(r.original, r)
    if not names:
        return
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(?!\w)")
    for d, document in enumerate(documents):
        for k, segment in enumerate(document.segments):
            reps = found[d][k]
            extra = [Replacement(m.start(), m.end(), names[m.group()].kind, m.group(),
                                 names[m.group()].placeholder, names[m.group()].why, "replaced in another chunk")
                     for m in pattern.finditer(segment.text)
                     if all(m.end() <= r.start or m.start() >= r.end for r in reps)]
            if extra:
                found[d][k] = sorted(reps + extra, key=lambda r: r.start)


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
    done = pseudonymise_sources(documents, pseudonymiser, limits=project.limits, failures=failures,
                                cache_dir=project.private_dir / NLP_CACHE)
    documents = done.documents
    t2 = time.perf_counter()
    dropped = keys.prune()
    keys.save(keys_path(project))
    write_report(project.private_dir / REPORT_FILE, done.report)
    errors_log = project.private_dir / ERRORS_LOG
    errors_log.parent.mkdir(parents=True, exist_ok=True)
    errors_log.write_text("".join(f"{f}\n{f.trace}\n" for f in failures), encoding="utf-8")
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
    result.nlp_reused, result.nlp_processed = done.nlp_reused, done.nlp_processed
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
    for doc in documents:       # ids are checked when read; inside() makes sure no name leads out of sources/
        inside(staging / "sources", f"{doc.source_id}.txt").write_text(doc.text, encoding="utf-8")
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
