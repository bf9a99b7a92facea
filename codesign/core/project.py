"""The project description (``project.yml``): what a co-design project consists of and where it lives."""
from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, StrictBool

from codesign.core.errors import InputError
from codesign.core.safety import DEFAULT_LIMITS, Limits, check_id, parse_limits
from codesign.core.settings import ConfigEntry, validate_config
from codesign.core.yamlio import LineDict, load_yaml

#: Canonical stakeholder groups; a project may add its own (e.g. ``muu``) under ``groups``.
CANONICAL_GROUPS = ("yrittäjä", "yrityksen edustaja", "viranhaltija", "luottamushenkilö")
#: The stages of a co-design process codesign knows; a project lists those it has.
KNOWN_STAGES = ("workshop1", "survey", "workshop2", "interview", "comment")
SOURCE_FORMATS = ("transcript", "table", "survey")


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Alternative:
    """One alternative strategic focus area that the survey asks people to rank."""
    id: str
    label: str
    theme: str | None = None


@dataclass(frozen=True)
class SourceSpec:
    """One entry of ``sources:``; its ``path`` may be a glob that expands to several files."""
    stage: str
    format: str
    path: str
    line: int
    id: str | None = None
    options: dict = field(default_factory=dict)


@dataclass
class Project:
    root: Path
    name: str
    title: str
    language: str
    register_path: Path
    codebook_path: Path | None
    programme_path: Path | None
    programme_draft_path: Path | None
    reference_coding_path: Path | None
    second_coding_path: Path | None
    stages: list[Stage]
    groups: dict[str, str]          # any spelling (casefolded) -> canonical group
    alternatives: list[Alternative]
    sources: list[SourceSpec]
    keep_terms: list[str]
    interviewers: list[str]
    report: dict
    config_path: Path
    goal_evidence_path: Path | None = None   # a human goal-evidence coding (segment_id,goal_id,stance,sentence)
    #: a full coding kept apart to measure the machine codes against (`codesign evaluate`), never learned from
    evaluation_coding_path: Path | None = None
    replace_terms: list[tuple[str, str]] = field(default_factory=list)  # (name, kind): names to force
    #: size caps (``limits:``); see codesign.core.safety.Limits
    limits: Limits = DEFAULT_LIMITS
    #: whether sources may lie outside the project folder (``allow_outside_sources: true``)
    allow_outside_sources: bool = False

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def private_dir(self) -> Path:
        return self.root / "private"

    @property
    def cache_dir(self) -> Path:
        """Caches: processed NLP docs (pseudonymised text only), trained models, the leak gate's memory of what
        passed it (digests); safe to delete."""
        return self.root / ".cache"

    @property
    def validated_programme_path(self) -> Path | None:
        """The programme the material reacts to, whose themes and goals the analytics validate: the draft
        (``programme_draft:``) when the project keeps one beside the approved ``programme:``, else that."""
        return self.programme_draft_path or self.programme_path

    # -- tidy data back from the build -----------------------------------------------------------------
    def segments(self):
        """The pseudonymised segment table of the last ingest (``build/segments.parquet``): one row per
        segment, the columns of docs/schema.md."""
        from codesign.sources.ingest import read_segments

        return read_segments(self)

    def codings(self, final: bool = True):
        """The codings of the last ``codesign code`` (``build/codings.parquet``): one row per (segment, code,
        source); ``final=True`` keeps the rows that make the decision (human codes where they exist)."""
        import pandas as pd

        from codesign.core.errors import CodesignError

        path = self.build_dir / "codings.parquet"
        if not path.is_file():
            raise CodesignError(f"{path} not found: run `codesign code {self.root}` first")
        frame = pd.read_parquet(path)
        return frame[frame["final"]].reset_index(drop=True) if final else frame

    def table(self, name: str):
        """An analysis table of the last ``codesign analyse`` (``build/<name>.csv``) with its documented
        dtypes: booleans as booleans, ids as strings."""
        from codesign.analysis.tables import read_table

        return read_table(self.build_dir, name, str(self.root))

    def canonical_group(self, value: Any) -> str | None:
        """Map a group as written in a source to its canonical value; None if empty, KeyError if unknown."""
        if value is None or (isinstance(value, float) and value != value):
            return None
        text = str(value).strip()
        if not text:
            return None
        return self.groups[text.casefold()]

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def expand_sources(self) -> list[tuple[SourceSpec, Path]]:
        """Every (spec, file) pair in the order of ``sources:``, globs sorted by name.

        A file matched by a glob and also listed explicitly later belongs to the explicit entry.
        """
        explicit = {os.path.realpath(self.root / s.path) for s in self.sources if not glob.has_magic(s.path)}
        base = os.path.realpath(self.root)
        pairs: list[tuple[SourceSpec, Path]] = []
        for spec in self.sources:
            if glob.has_magic(spec.path):
                matches = sorted(Path(p) for p in glob.glob(str(self.root / spec.path)))
                if not matches:
                    raise InputError(self.config_path, f"source pattern {spec.path!r} matches no file",
                                     line=spec.line, hint="check the path, relative to the project folder")
                found = [(p, os.path.realpath(p)) for p in matches]
            else:
                path = self.root / spec.path
                found = [(path, os.path.realpath(path))]
            for path, resolved in found:
                if glob.has_magic(spec.path) and resolved in explicit:
                    continue
                # a link inside the project that leads out counts as outside too
                outside = resolved != base and not resolved.startswith(base.rstrip(os.sep) + os.sep)
                if outside and not self.allow_outside_sources and (path.exists() or path.is_symlink()):
                    raise InputError(self.config_path, f"source {path} lies outside the project folder "
                                                       f"(through a link)", line=spec.line, hint=OUTSIDE_HINT)
                pairs.append((spec, path))
        return pairs


OUTSIDE_HINT = ("copy the file into the project (e.g. under raw/), or set `allow_outside_sources: true` in "
                "project.yml if reading it from there is intended")


# --- project.yml as pydantic reads it: every key's type, the required ones, no unknown key -----------------
# (errors name the key's line: codesign.core.settings.validate_config; docs/project.md is the reference)

class StageEntry(ConfigEntry):
    id: str
    label: str | None = None
    start: date | str | None = None
    end: date | str | None = None


class AlternativeEntry(ConfigEntry):
    id: str
    label: str
    theme: str | None = None


class SourceEntry(ConfigEntry):
    model_config = ConfigDict(extra="allow")     # the other keys: reader options
    stage: str
    format: str
    path: str
    id: str | None = None


class PseudonymisationEntry(ConfigEntry):
    keep: list[str] = []
    replace: list[Any] = []         # names or {name, kind}: read by _replace_terms, which names each entry's line


class ProjectFile(ConfigEntry):
    """The keys of project.yml (docs/project.md)."""
    name: str
    title: str | None = None
    language: str = "fi"
    register_file: str = Field("private/participants.csv", alias="register")   # BaseModel has a register()
    codebook: str | None = None
    programme: str | None = None
    programme_draft: str | None = None
    reference_coding: str | None = None
    second_coding: str | None = None
    evaluation_coding: str | None = None
    goal_evidence: str | None = None
    interviewers: list[str] = []
    groups: dict[str, list[str] | None] = {}
    stages: list[StageEntry]
    alternatives: list[AlternativeEntry] = []
    sources: list[SourceEntry]                 # may be empty: a project set up before its material
    pseudonymisation: PseudonymisationEntry = PseudonymisationEntry()
    allow_outside_sources: StrictBool = False
    limits: dict[str, Any] | None = None      # checked by codesign.core.safety.parse_limits
    report: dict[str, Any] | None = None      # checked by codesign.analysis.params (analysis) and the notebooks


def default_project_dir() -> Path:
    """The project used when none is named: $CODESIGN_PROJECT, else the bundled demo project."""
    env = os.environ.get("CODESIGN_PROJECT")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data" / "kolari"


def load_project(root: "Project | Path | str | None" = None) -> Project:
    """Read and validate ``project.yml`` in the project folder ``root`` (a Project is returned as it is, so
    every verb takes either; None: the default project, see ``default_project_dir``)."""
    if isinstance(root, Project):
        return root
    root = Path(root) if root is not None else default_project_dir()
    config_path = root / "project.yml"
    if not root.is_dir():
        raise InputError(root, "project folder not found",
                         hint="give the folder that holds project.yml (e.g. data/kolari)")
    if not config_path.is_file():
        raise InputError(config_path, "project.yml not found in the project folder",
                         hint="create project.yml (see docs/project.md and data/kolari/project.yml)")
    raw = load_yaml(config_path)
    if not isinstance(raw, LineDict):
        raise InputError(config_path, "project.yml must be a mapping of keys (name:, stages:, sources: …)",
                         line=1)
    config = validate_config(ProjectFile, raw, config_path, docs="docs/project.md")
    # the name is a folder name under reports/: an id, never a path
    name = check_id(config.name, config_path, "project name", raw.line_of("name"))
    limits = parse_limits(raw.get("limits"), config_path, raw.line_of("limits"))
    allow_outside = config.allow_outside_sources
    language = config.language
    if language != "fi":
        raise InputError(config_path, f"language {language!r} is not supported yet; codesign reads Finnish",
                         line=raw.line_of("language"), hint="use `language: fi`")

    stages = [Stage(s.id, s.label or s.id, _iso(s.start), _iso(s.end)) for s in config.stages]
    stage_ids = {s.id for s in stages}

    groups: dict[str, str] = {g.casefold(): g for g in CANONICAL_GROUPS}
    for canonical, spellings in config.groups.items():
        groups[canonical.casefold()] = canonical
        for spelling in spellings or []:
            groups[spelling.casefold()] = canonical

    alternatives = [Alternative(a.id, a.label, a.theme) for a in config.alternatives]

    sources = []
    for spec, item in zip(config.sources, raw["sources"]):
        if spec.stage not in stage_ids:
            raise InputError(config_path, f"source names stage {spec.stage!r}, which is not under stages:",
                             line=item.line_of("stage"), hint=f"use one of {sorted(stage_ids)}")
        if spec.format not in SOURCE_FORMATS:
            raise InputError(config_path, f"unknown source format {spec.format!r}", line=item.line_of("format"),
                             hint=f"use one of {', '.join(SOURCE_FORMATS)}")
        if not allow_outside and _leaves(spec.path):
            raise InputError(config_path, f"source path {spec.path!r} lies outside the project folder",
                             line=item.line_of("path"), hint=OUTSIDE_HINT)
        source_id = check_id(spec.id, config_path, "source id", item.line_of("id")) if spec.id is not None else None
        options = {k: v for k, v in item.items() if k not in ("id", "stage", "format", "path")}
        sources.append(SourceSpec(spec.stage, spec.format, spec.path, item.line, source_id, options))

    if config.evaluation_coding and config.evaluation_coding == config.reference_coding:
        raise InputError(config_path, "`evaluation_coding:` names the same file as `reference_coding:`",
                         line=raw.line_of("evaluation_coding"),
                         hint="the evaluation coding measures the machine codes and must not train the coder: "
                              "keep it in its own file (a sample of it can be the reference coding, see "
                              "`codesign sample`)")

    def optional(file: str | None) -> Path | None:
        return root / file if file else None

    return Project(
        root=root, name=name, title=config.title or name, language=language,
        register_path=root / config.register_file,
        codebook_path=optional(config.codebook),
        programme_path=optional(config.programme),
        programme_draft_path=optional(config.programme_draft),
        reference_coding_path=optional(config.reference_coding),
        second_coding_path=optional(config.second_coding),
        stages=stages, groups=groups, alternatives=alternatives, sources=sources,
        keep_terms=list(config.pseudonymisation.keep),
        interviewers=list(config.interviewers),
        report=raw.get("report") or {}, config_path=config_path,  # a LineDict: keeps key lines for warnings
        goal_evidence_path=optional(config.goal_evidence),
        evaluation_coding_path=optional(config.evaluation_coding),
        replace_terms=_replace_terms(raw.get("pseudonymisation") or {}, config_path),
        limits=limits, allow_outside_sources=allow_outside,
    )


#: The kinds a forced name may have (``pseudonymisation.replace``), with their Finnish spellings.
REPLACE_KINDS = {"person": "person", "henkilö": "person", "organisation": "organisation",
                 "organization": "organisation", "yritys": "organisation", "firm": "organisation"}


def _replace_terms(pseudo: Any, path: Path) -> list[tuple[str, str]]:
    """``pseudonymisation.replace``: names to replace whatever the rules say, each a name or
    ``{name: …, kind: person|organisation}``; without a kind, a name Voikko knows is a person's."""
    if not isinstance(pseudo, dict):
        return []
    items = pseudo.get("replace") or []
    line = pseudo.line_of("replace") if isinstance(pseudo, LineDict) else None
    if not isinstance(items, list):
        raise InputError(path, "pseudonymisation.replace must be a list of names", line=line,
                         hint="write `replace: [Kurtakon Maansiirto, {name: Tunturikelkka, kind: organisation}]`")
    out = []
    for item in items:
        if isinstance(item, dict):
            name, kind = item.get("name"), str(item.get("kind") or "")
            where = item.line if isinstance(item, LineDict) else line
            if not name:
                raise InputError(path, "an entry of pseudonymisation.replace has no `name:`", line=where)
            if kind and kind.casefold() not in REPLACE_KINDS:
                raise InputError(path, f"unknown kind {kind!r} in pseudonymisation.replace", line=where,
                                 hint="use person or organisation (henkilö, yritys)")
            out.append((str(name).strip(), REPLACE_KINDS.get(kind.casefold(), "")))
        elif isinstance(item, (str, int)) and str(item).strip():
            out.append((str(item).strip(), ""))
        else:
            raise InputError(path, f"pseudonymisation.replace: {item!r} is not a name", line=line)
    return out


def _leaves(path: str) -> bool:
    """Whether a project-relative path (or glob) points out of the project: absolute, or ``..`` above the
    project folder."""
    if os.path.isabs(path) or re.match(r"^[A-Za-z]:[\\/]", path):
        return True
    return os.path.normpath(path).replace("\\", "/").split("/")[0] == ".."


def _iso(value: Any) -> str | None:
    return None if value is None else str(value)
