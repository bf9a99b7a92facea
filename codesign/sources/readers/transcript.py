"""Interview transcripts: the canonical text format, Word (.docx) and WebVTT (Teams/Zoom).

Canonical text: a YAML front matter between ``---`` lines (``interview``, ``participant``, optional
``group``, ``sector``, ``date``, ``language``), then one speaker turn per paragraph, each starting with an
optional ``[hh:mm:ss]`` timestamp and a ``Label:`` prefix. ``Haastattelija`` (or an interviewer code of
project.yml's ``interviewers``) is the interviewer; the participant's code is the participant.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from codesign.core.errors import InputError
from codesign.core.safety import Limits, check_id, open_zip
from codesign.sources.readers.context import ReadContext
from codesign.sources.readers.tabular import decode_text, parse_date
from codesign.sources.segments import Segment, SourceDocument, TextBuilder, normalise_text

INTERVIEWER_LABEL = "Haastattelija"
_TURN = re.compile(r"^(?:\[(?P<ts>\d{1,2}:\d{2}:\d{2})\]\s*)?(?P<label>[^\s:][^:\n]{0,40}?):[ \t]*(?P<body>.*)\Z",
                   re.S)
_FRONT_KEYS = ("interview", "participant", "group", "sector", "date", "language", "village")


@dataclass
class Block:
    """A paragraph of the transcript and where it starts (a line, or a paragraph number in a .docx)."""
    text: str
    line: int


@dataclass
class Turn:
    label: str
    text: str
    line: int
    timestamp: str | None = None
    column: int | None = None       # 1-based column where the text begins on its first line


def read_transcript(spec, path: Path, ctx: ReadContext) -> list[SourceDocument]:
    suffix = path.suffix.lower()
    if suffix == ".vtt":
        return [_read_vtt(spec, path, ctx)]
    if suffix == ".docx":
        blocks, unit = _docx_blocks(path, ctx.project.limits), "paragraph"
    elif suffix in (".txt", ".md"):
        # like the tables: UTF-8 with or without BOM, else Windows-1252 (Word's "save as text"); UTF-16 by BOM
        raw = decode_text(path, path.read_bytes(), spec.options.get("encoding", "auto"))
        blocks, unit = _text_blocks(path, raw), "line"
    else:
        raise InputError(path, f"unsupported transcript type {suffix!r}",
                         hint="use the canonical .txt format, .docx or WebVTT (.vtt)")
    meta, body, key_lines = _front_matter(path, blocks, unit)
    if meta.get("interview") is not None and not spec.id:
        # the id names build/sources/<id>.txt: data, never a path
        check_id(meta["interview"], path, "interview id",
                 key_lines.get("interview") if unit == "line" else None)
    meta = {**{k: v for k, v in spec.options.items() if k in _FRONT_KEYS}, **meta}
    turns = [_parse_turn(path, b, unit) for b in body]
    return [_build(spec, path, ctx, meta, turns, unit)]


def _text_blocks(path: Path, raw: str) -> list[Block]:
    text = normalise_text(raw)
    blocks, current, start = [], [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(Block("\n".join(current), start))
            current = []
        if line.strip() == "---" and current == ["---"]:
            blocks.append(Block("---", number))  # front-matter fences stand alone
            current = []
    if current:
        blocks.append(Block("\n".join(current), start))
    return _split_front_matter_block(blocks)


def _split_front_matter_block(blocks: list[Block]) -> list[Block]:
    """In text files the front matter's lines form one paragraph with the fences; split it into lines."""
    out = []
    for b in blocks:
        lines = b.text.split("\n")
        if "---" in lines and len(lines) > 1:
            out += [Block(line, b.line + i) for i, line in enumerate(lines)]
        else:
            out.append(b)
    return out


def _docx_blocks(path: Path, limits: Limits) -> list[Block]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    open_zip(path, limits, "Word document").close()     # sizes and ratios checked before python-docx inflates
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(path, f"not a readable Word document ({exc})",
                         hint="open it in Word or LibreOffice and save as .docx again") from None
    blocks = [Block(normalise_text(p.text).strip(), n)
              for n, p in enumerate(document.paragraphs, start=1) if p.text.strip()]
    if not blocks:
        raise InputError(path, "the document has no text", hint="check that the right file was exported")
    return blocks


def _front_matter(path: Path, blocks: list[Block], unit: str) -> tuple[dict, list[Block], dict[str, int]]:
    """The front matter's keys and values, the blocks after it, and the line (or paragraph) of each key."""
    if not blocks:
        raise InputError(path, "the file is empty", hint="export the transcript again")
    if blocks[0].text != "---":
        raise InputError(path, "missing front matter: the transcript must start with a line '---'",
                         line=blocks[0].line if unit == "line" else None,
                         hint="begin with ---, then interview: H01, participant: P01, …, then ---")
    try:
        end = next(i for i, b in enumerate(blocks[1:], start=1) if b.text == "---")
    except StopIteration:
        raise InputError(path, "front matter is not closed by a line '---'", line=blocks[0].line,
                         hint="add --- after the last key: value line") from None
    lines = [b.text for b in blocks[1:end]]
    try:
        meta = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = blocks[1 + mark.line].line if mark and 1 + mark.line < end else blocks[0].line
        raise InputError(path, f"front matter is not valid `key: value` lines ({getattr(exc, 'problem', exc)})",
                         line=line) from None
    if not isinstance(meta, dict):
        raise InputError(path, "front matter must be `key: value` lines", line=blocks[0].line)
    for key, value in meta.items():
        if key not in _FRONT_KEYS:
            raise InputError(path, f"unknown front-matter key {key!r}", line=blocks[0].line,
                             hint=f"use only {', '.join(_FRONT_KEYS)}")
        if isinstance(value, (list, dict)):   # a list of aliases of lists would expand when turned into text
            raise InputError(path, f"front-matter key {key!r} must be one value, not a list or mapping",
                             line=blocks[0].line, hint=f"write `{key}: value` on one line")
    body = blocks[end + 1:]
    if not body:
        raise InputError(path, "no speaker turns after the front matter", line=blocks[end].line)
    key_lines = {b.text.split(":", 1)[0].strip(): b.line for b in blocks[1:end] if ":" in b.text}
    return {k: (str(v) if v is not None else None) for k, v in meta.items()}, body, key_lines


def _parse_turn(path: Path, block: Block, unit: str) -> Turn:
    match = _TURN.match(block.text)
    if not match or not match["body"].strip():
        where = f"{unit} {block.line}"
        raise InputError(path, f"a speaker turn must start with `Label:` (found {block.text[:40]!r})",
                         line=block.line if unit == "line" else None,
                         hint=f"{where}: start the paragraph with 'Haastattelija:' or the participant "
                              "code, or join it to the previous turn (no blank line inside a turn)")
    body = match["body"]
    column = match.start("body") + len(body) - len(body.lstrip()) + 1 if unit == "line" else None
    return Turn(match["label"].strip(), body.strip(), block.line, match["ts"], column)


def _build(spec, path: Path, ctx: ReadContext, meta: dict, turns: list[Turn], unit: str) -> SourceDocument:
    source_id = spec.id or meta.get("interview")
    if not source_id:
        raise InputError(path, "no interview id: set `interview:` in the front matter", line=1)
    participant = meta.get("participant")
    if not participant:
        raise InputError(path, "no participant code: set `participant:` in the front matter", line=1)
    person = ctx.register.participants.get(participant)
    if person is None:
        raise InputError(path, f"participant {participant!r} is not in the register {ctx.register.path}",
                         line=1, hint="add the participant to the register or fix the code")
    group, sector = person.group, person.sector
    if meta.get("group"):
        try:
            stated = ctx.project.canonical_group(meta["group"])
        except KeyError:
            raise InputError(path, f"unknown group {meta['group']!r} in the front matter", line=1,
                             hint=f"use one of {sorted(set(ctx.project.groups.values()))}") from None
        if stated != group:
            raise InputError(path, f"group {stated!r} disagrees with the register ({group!r} for "
                                   f"{participant})", line=1, hint="correct the front matter or the register")
    if meta.get("sector") and sector and meta["sector"] != sector:
        raise InputError(path, f"sector {meta['sector']!r} disagrees with the register ({sector!r})",
                         line=1, hint="correct the front matter or the register")
    try:
        day = parse_date(meta.get("date"))
    except ValueError:
        raise InputError(path, f"date {meta.get('date')!r} is not a date", line=1,
                         hint="write dates as 2023-08-21") from None

    interviewer_labels = {INTERVIEWER_LABEL, *ctx.interviewers}
    builder, segments = TextBuilder(), []
    for number, turn in enumerate(turns, start=1):
        if turn.label in interviewer_labels:
            role, who, label = "interviewer", None, INTERVIEWER_LABEL
        elif turn.label == participant:
            role, who, label = "participant", participant, participant
        else:
            raise InputError(path, f"unknown speaker label {turn.label!r}",
                             line=turn.line if unit == "line" else None,
                             hint=f"{unit} {turn.line}: use {INTERVIEWER_LABEL!r} or the participant code "
                                  f"{participant!r}; names are not allowed as labels")
        prefix = (f"[{turn.timestamp}] " if turn.timestamp else "") + f"{label}: "
        start, end = builder.add(prefix, turn.text)
        segments.append(Segment(
            segment_id=f"{source_id}-{number:03d}", source_id=source_id, stage=spec.stage,
            source_format=path.suffix.lower().lstrip("."), participant=who,
            group=group if role == "participant" else None,
            sector=sector if role == "participant" else None, speaker_role=role, turn=number,
            text=turn.text, start=start, end=end, timestamp=turn.timestamp, date=day, line=turn.line,
            column=turn.column))
    if not any(s.speaker_role == "participant" for s in segments):
        raise InputError(path, f"no turn of the participant {participant!r}",
                         hint="label the participant's turns with their code")
    return SourceDocument(source_id, spec.stage, "transcript", ctx.relative(path), builder.text(), segments,
                          meta={"participant": participant, "date": day})


# --- WebVTT -----------------------------------------------------------------------------------------

_TIMING = re.compile(r"^(?P<start>(?:\d+:)?\d{2}:\d{2}[.,]\d{3})\s+-->\s+(?P<end>(?:\d+:)?\d{2}:\d{2}[.,]\d{3})")
_VOICE = re.compile(r"<v(?:\.[^ >]+)*\s+([^>]+)>(.*?)(?:</v>|\Z)", re.S)
_TAG = re.compile(r"</?[^>]+>")


def _read_vtt(spec, path: Path, ctx: ReadContext) -> SourceDocument:
    text = normalise_text(decode_text(path, path.read_bytes(), spec.options.get("encoding", "auto")))
    lines = text.split("\n")
    if not lines[0].startswith("WEBVTT"):
        raise InputError(path, "not a WebVTT file: the first line must be 'WEBVTT'", line=1,
                         hint="export the transcript from Teams/Zoom as .vtt")
    meta = {k: (str(v) if v is not None else None) for k, v in spec.options.items() if k in _FRONT_KEYS}
    meta.setdefault("interview", spec.id)
    participant = meta.get("participant")
    if not participant:
        raise InputError(ctx.project.config_path, f"the WebVTT source {path.name} needs `participant:` in "
                                                  "project.yml", line=spec.line)
    turns: list[Turn] = []
    i = 1
    while i < len(lines):
        match = _TIMING.match(lines[i])
        if not match:
            i += 1
            continue
        cue_line, i = i + 1, i + 1
        payload = []
        while i < len(lines) and lines[i].strip():
            payload.append(lines[i])
            i += 1
        body = "\n".join(payload)
        voice = _VOICE.search(body)
        if not voice:
            raise InputError(path, "cue without a speaker voice tag <v Name>", line=cue_line,
                             hint="export with speaker names (Teams: 'Download as .vtt')")
        name = voice[1].strip()
        label = _vtt_label(path, cue_line, name, participant, ctx)
        words = " ".join(_TAG.sub("", voice[2]).split())
        if not words:
            continue
        if turns and turns[-1].label == label:
            turns[-1].text += " " + words
        else:
            start = match["start"].replace(",", ".").split(".")[0]
            start = start if start.count(":") == 2 else "00:" + start
            turns.append(Turn(label, words, cue_line, start.zfill(8)))
    if not turns:
        raise InputError(path, "no cues with text found", hint="check that this is the transcript export")
    return _build(spec, path, ctx, meta, turns, "line")


def _vtt_label(path: Path, line: int, name: str, participant: str, ctx: ReadContext) -> str:
    code = ctx.register.code_for_name(name)
    if code == participant:
        return participant
    if code is not None and code in ctx.interviewers:
        return INTERVIEWER_LABEL
    raise InputError(path, f"unknown speaker {name!r} in a voice tag", line=line,
                     hint=f"add this name as an alias of {participant} or of an interviewer in the register "
                          "(interviewers are listed by code under `interviewers:` in project.yml)")
