"""The tidy segment table: one row per segment, traceable to its source by code-point offsets.

Column meanings are documented in docs/schema.md; ``SEGMENT_COLUMNS`` is the order written to parquet.
"""
from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

SEGMENT_COLUMNS = [
    "segment_id", "source_id", "stage", "source_format", "participant", "group", "sector",
    "speaker_role", "turn", "timestamp", "date", "prompt", "text", "start", "end",
]
SPEAKER_ROLES = ("interviewer", "participant")


@dataclass
class Segment:
    segment_id: str
    source_id: str
    stage: str
    source_format: str
    participant: str | None
    group: str | None
    sector: str | None
    speaker_role: str | None
    turn: int
    text: str
    start: int
    end: int
    timestamp: str | None = None
    date: str | None = None
    prompt: str | None = None
    # where the text begins in the raw file (for the pseudonymisation report; not written to parquet):
    # the 1-based line (the row of a spreadsheet) and the 1-based column on that line, where known
    line: int | None = None
    column: int | None = None


@dataclass
class SourceDocument:
    """One source file as normalised plain text and the segments cut from it.

    ``text[s.start:s.end] == s.text`` holds for every segment ``s``. ``tables`` carries any further
    tidy tables a reader produces (the survey's respondents, rankings and Likert answers).
    """
    source_id: str
    stage: str
    format: str
    path: str
    text: str
    segments: list[Segment]
    meta: dict = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def normalise_text(text: str) -> str:
    """NFC, Unix newlines, no BOM, no trailing spaces on lines: the form every offset refers to."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n"))


class TextBuilder:
    """Builds a source's normalised text paragraph by paragraph, returning each body's offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0

    def add(self, prefix: str, body: str) -> tuple[int, int]:
        start = self._length + len(prefix)
        chunk = f"{prefix}{body}\n\n"
        self._parts.append(chunk)
        self._length += len(chunk)
        return start, start + len(body)

    def text(self) -> str:
        return "".join(self._parts)


def segments_frame(documents: list[SourceDocument]) -> pd.DataFrame:
    """All segments of ``documents`` as one DataFrame with the documented columns and dtypes."""
    rows: list[dict[str, Any]] = [asdict(s) for d in documents for s in d.segments]
    frame = pd.DataFrame(rows, columns=SEGMENT_COLUMNS)
    for col in ("turn", "start", "end"):
        frame[col] = frame[col].astype("int64")
    text_cols = [c for c in SEGMENT_COLUMNS if c not in ("turn", "start", "end")]
    frame[text_cols] = frame[text_cols].astype("string")
    return frame


def interviewer_questions(segments: pd.DataFrame, depth: int = 2) -> list[tuple[str, ...]]:
    """Per segment: the texts of the interviewer's turns just before it in the same source, nearest first (at
    most ``depth``). An interview answer is read in the light of the question it answers ("Is the goal of
    250 mine jobs realistic?" — "No.")."""
    out: list[tuple[str, ...]] = [()] * len(segments)
    if "turn" not in segments.columns:
        return out
    order = segments.reset_index(drop=True).sort_values(["source_id", "turn"], kind="stable")
    previous: dict[str, list[str]] = {}
    for pos, source, role, text in zip(order.index, order["source_id"], order["speaker_role"], order["text"]):
        if role == "interviewer":
            previous.setdefault(source, []).insert(0, str(text))
            del previous[source][depth:]
        elif role == "participant":
            out[pos] = tuple(previous.get(source, ()))
    return out
