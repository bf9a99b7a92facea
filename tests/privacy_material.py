"""The independent privacy material (``tests/material/privacy/``) as a project, and the pseudonymiser's score
against its gold lists. Used by tests/test_privacy_material.py and benchmarks/bench_pseudonymise.py.

The gold was written apart from the code (see the material's README); nothing here reads the code's answers
into the gold. A replacement is located in the raw file by the line and column of
``private/pseudonymisation_report.csv``.
"""
from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
MATERIAL = REPO / "tests" / "material" / "privacy"
INTERVIEWS = sorted((MATERIAL / "interviews").glob("X0*.txt"))
PARTICIPANT_CODE = re.compile(r"^(?:P|I)\d+$")


def keep_list() -> list[str]:
    """The material's incomplete keep list, as a user would write it."""
    return list(yaml.safe_load((MATERIAL / "keep.yml").read_text(encoding="utf-8"))["keep"])


def write_material_project(root: Path) -> Path:
    """A project of its own: the four interviews, their register rows and the material's keep list."""
    (root / "private").mkdir(parents=True)
    (root / "raw" / "interviews").mkdir(parents=True)
    for path in INTERVIEWS:
        shutil.copy(path, root / "raw" / "interviews" / path.name)
    shutil.copy(MATERIAL / "participants.csv", root / "private" / "participants.csv")
    config = {
        "name": "privacy-material", "language": "fi", "interviewers": ["I03"],
        "stages": [{"id": "interview", "label": "Haastattelut"}],
        "sources": [{"stage": "interview", "format": "transcript", "path": "raw/interviews/*.txt"}],
        "pseudonymisation": {"keep": keep_list()},
    }
    (root / "project.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def add_material_to(project: Path, interviewers: bool = True) -> None:
    """Put the four interviews beside a project's own transcripts and their interviewees (and interviewer)
    into its register, as a user adds new material to a project that built. The keep list is left as it is."""
    target = project / "raw" / "interviews"
    for path in INTERVIEWS:
        shutil.copy(path, target / path.name)
    register = project / "private" / "participants.csv"
    rows = (MATERIAL / "participants.csv").read_text(encoding="utf-8").splitlines()[1:]
    with register.open("a", encoding="utf-8") as handle:
        handle.write("".join(f"{row}\n" for row in rows))
    if interviewers:
        text = (project / "project.yml").read_text(encoding="utf-8")
        text = re.sub(r"^interviewers: \[([^\]]*)\]", lambda m: f"interviewers: [{m[1]}, I03]", text, flags=re.M)
        (project / "project.yml").write_text(text, encoding="utf-8")


@dataclass
class GoldSpan:
    source: str
    line: int
    start: int
    end: int
    span: str
    cls: str
    participant: str = ""


def _lines(source: str) -> list[str]:
    return (MATERIAL / "interviews" / source).read_text(encoding="utf-8").split("\n")


def gold_spans(name: str) -> list[GoldSpan]:
    """The rows of ``gold/<name>.csv`` placed on their lines, left to right (as the material's check does)."""
    rows = list(csv.DictReader((MATERIAL / "gold" / f"{name}.csv").open(encoding="utf-8")))
    out, position = [], {}
    for row in rows:
        key = (row["source"], int(row["line"]))
        text = _lines(row["source"])[key[1] - 1]
        pattern = re.compile(r"(?<![\w@.+-])" + re.escape(row["span"]) + r"(?![\w@])")
        match = pattern.search(text, position.get(key, 0))
        if match is None:
            raise AssertionError(f"gold span {row['span']!r} not on {key}")
        position[key] = match.end()
        out.append(GoldSpan(row["source"], key[1], match.start(), match.end(), row["span"], row["class"],
                            row.get("participant", "") or ""))
    return out


def material_words() -> int:
    """Words in the turns of the four interviews (tokens with a letter or digit), speaker labels left out."""
    total = 0
    for path in INTERVIEWS:
        for line in path.read_text(encoding="utf-8").split("\n")[8:]:
            body = re.sub(r"^(?:\[\d\d:\d\d:\d\d\] )?\w+: ", "", line)
            total += sum(1 for t in body.split() if re.search(r"\w", t))
    return total


@dataclass
class Placed:
    """A replacement located in the raw file."""
    source: str
    line: int
    start: int
    end: int
    original: str
    placeholder: str
    why: str
    detail: str


def placed_replacements(report: list[dict], prefix: str = "raw/interviews/") -> list[Placed]:
    """The report's text replacements in the material's files, by line and column."""
    out = []
    for row in report:
        if row.get("where", "text") != "text" or row.get("kind") == "kept" or not row["source"].startswith(prefix):
            continue
        source = row["source"][len(prefix):]
        if not (MATERIAL / "interviews" / source).is_file() or not row["line"] or not row["column"]:
            continue
        line, start = int(row["line"]), int(row["column"]) - 1
        text = _lines(source)[line - 1]
        if text[start:start + len(row["original"])] != row["original"]:
            raise AssertionError(f"report row does not match the raw file: {row}")
        out.append(Placed(source, line, start, start + len(row["original"]), row["original"], row["placeholder"],
                          row["why"], row["detail"]))
    return out


@dataclass
class Score:
    identifiers: int = 0
    recalled: int = 0
    misattributed: list = field(default_factory=list)
    unresolved_participants: list = field(default_factory=list)
    missed: list = field(default_factory=list)          # identifiers left (wholly or partly) in the text
    over: list = field(default_factory=list)            # replaced spans that identify no one
    keep_hit: list = field(default_factory=list)        # … of them, spans the gold says must stay
    words: int = 0
    by_class: Counter = field(default_factory=Counter)
    recalled_by_class: Counter = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.recalled / self.identifiers if self.identifiers else 1.0

    @property
    def over_per_5000(self) -> float:
        return len(self.over) * 5000 / self.words if self.words else 0.0


def score(report: list[dict], prefix: str = "raw/interviews/") -> Score:
    """The pseudonymiser's report against the gold: recall, misattributions, leaks, over-redaction."""
    placed = placed_replacements(report, prefix)
    by_line: dict[tuple[str, int], list[Placed]] = {}
    for p in placed:
        by_line.setdefault((p.source, p.line), []).append(p)
    result = Score(words=material_words())
    identifiers = gold_spans("identifiers")
    for g in identifiers:
        result.identifiers += 1
        result.by_class[g.cls] += 1
        text = _lines(g.source)[g.line - 1]
        reps = [p for p in by_line.get((g.source, g.line), []) if p.start < g.end and g.start < p.end]
        covered = set()
        for p in reps:
            covered |= set(range(p.start, p.end))
        uncovered = [i for i in range(g.start, g.end) if text[i].isalnum() and i not in covered]
        if uncovered:
            result.missed.append((g, "".join(text[i] for i in uncovered)))
        else:
            result.recalled += 1
            result.recalled_by_class[g.cls] += 1
        placeholders = {p.placeholder for p in reps}
        codes = {p for p in placeholders if PARTICIPANT_CODE.match(p)}
        if g.cls == "participant":
            wrong = (codes - {g.participant}) | {p for p in placeholders if re.match(r"\[HENKILÖ-\d+\]", p)}
            if wrong:
                result.misattributed.append((g, sorted(placeholders)))
            elif placeholders and not codes:
                result.unresolved_participants.append((g, sorted(placeholders)))
        elif codes:
            result.misattributed.append((g, sorted(placeholders)))
    keep = gold_spans("keep")
    for p in placed:
        text = _lines(p.source)[p.line - 1]
        inside = {i for g in identifiers if g.source == p.source and g.line == p.line for i in range(g.start, g.end)}
        if all(i in inside or not text[i].isalnum() for i in range(p.start, p.end)):
            continue        # every letter it replaced belongs to an identifier
        result.over.append(p)
        if any(g.source == p.source and g.line == p.line and g.start < p.end and p.start < g.end for g in keep):
            result.keep_hit.append(p)
    return result


def describe(result: Score) -> str:
    """A readable account of a score (for the benchmark and for failing tests)."""
    lines = [f"recall {result.recalled}/{result.identifiers}, misattributed {len(result.misattributed)}, "
             f"over-redacted {len(result.over)} ({result.over_per_5000:.2f} per 5,000 words of {result.words}), "
             f"participant mentions left unresolved {len(result.unresolved_participants)}"]
    for g, rest in result.missed:
        lines.append(f"  missed   {g.source}:{g.line} {g.span!r} ({g.cls}) left {rest!r}")
    for g, placeholders in result.misattributed:
        lines.append(f"  misattr. {g.source}:{g.line} {g.span!r} ({g.cls} {g.participant}) → {placeholders}")
    for g, placeholders in result.unresolved_participants:
        lines.append(f"  unresolved {g.source}:{g.line} {g.span!r} ({g.participant}) → {placeholders}")
    for p in result.over:
        lines.append(f"  over     {p.source}:{p.line} {p.original!r} → {p.placeholder} ({p.why}: {p.detail})")
    return "\n".join(lines)
