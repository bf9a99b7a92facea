"""The programme being validated (``programme.yml``): themes, their goals with indicators, first actions."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from pydantic import StrictBool

from codesign.core.errors import InputError
from codesign.core.settings import Amount, ConfigEntry, Needed, Text, Year, validate_config
from codesign.core.yamlio import LineDict, load_yaml


@dataclass(frozen=True)
class Goal:
    id: str
    theme: str
    text: str
    measurable: bool
    indicator: str
    unit: str | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    target_year: int | None = None
    data_source: str | None = None
    frequency: str | None = None
    owner: str | None = None
    lexicon: tuple[str, ...] = ()     # base forms, casefolded: the words that signal the goal in talk


@dataclass(frozen=True)
class Action:
    id: str
    theme: str
    text: str
    owner: str | None = None
    partners: tuple[str, ...] = ()
    schedule: str | None = None


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    description: str
    goals: tuple[Goal, ...]
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Change:
    """One change between the draft and the approved programme, as its ``changes:`` list records it."""
    id: str
    target: str                       # a theme, goal or action id, or a section (communication, measurement …)
    change: str
    reason: str | None = None
    comments: tuple[str, ...] = ()    # the draft comments behind it (their Nro)


@dataclass(frozen=True)
class Message:
    """One key message of the communication plan: to whom, what, when, through which channel, who sends."""
    audience: str
    message: str
    timing: str | None = None
    channel: str | None = None
    owner: str | None = None


#: Sections a change may target besides theme, goal and action ids.
SECTIONS = ("vision", "starting_points", "measurement", "communication", "themes")


@dataclass
class Programme:
    title: str
    period: tuple[int, int]
    vision: str
    themes: list[Theme]
    audiences: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    reporting: str | None = None
    path: Path | None = None
    status: str | None = None                 # e.g. "luonnos" for a draft
    approved: str | None = None               # who approved it and when, as written
    messages: list[Message] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def goals(self) -> list[Goal]:
        return [g for t in self.themes for g in t.goals]

    @property
    def actions(self) -> list[Action]:
        return [a for t in self.themes for a in t.actions]

    @property
    def years(self) -> list[int]:
        return list(range(self.period[0], self.period[1] + 1))

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)


def redacted(programme: Programme, redact) -> Programme:
    """A copy of the programme with ``redact`` applied to every text (owners, partners, goals …)."""
    def text(value):
        return redact(value) if isinstance(value, str) else value

    def item(obj):
        changes = {f.name: (tuple(text(v) for v in getattr(obj, f.name)) if f.name == "partners"
                            else text(getattr(obj, f.name))) for f in fields(obj) if f.name not in ("id", "theme")}
        return replace(obj, **changes)

    themes = [replace(t, title=text(t.title), description=text(t.description),
                      goals=tuple(item(g) for g in t.goals), actions=tuple(item(a) for a in t.actions))
              for t in programme.themes]
    return replace(programme, title=text(programme.title), vision=text(programme.vision), themes=themes,
                   audiences=[text(a) for a in programme.audiences], channels=[text(c) for c in programme.channels],
                   reporting=text(programme.reporting), approved=text(programme.approved),
                   messages=[replace(m, message=text(m.message), timing=text(m.timing), channel=text(m.channel),
                                     owner=text(m.owner)) for m in programme.messages],
                   changes=[replace(c, change=text(c.change), reason=text(c.reason)) for c in programme.changes])


def _text(value: Any) -> str | None:
    return None if value is None or str(value).strip() == "" else " ".join(str(value).split())


# --- programme.yml as pydantic reads it (a key that is not here is a typo, reported with its line) ---------

class GoalEntry(ConfigEntry):
    id: Needed
    text: Needed
    indicator: Needed
    measurable: StrictBool = True
    unit: Text | None = None
    baseline: Amount | None = None
    baseline_year: Year | None = None
    target: Amount | None = None
    target_year: Year | None = None
    data_source: Text | None = None
    frequency: Text | None = None
    owner: Text | None = None
    lexicon: list[str] = []


class ActionEntry(ConfigEntry):
    id: Needed
    text: Needed
    owner: Text | None = None
    partners: list[str] = []
    schedule: Text | None = None


class ThemeEntry(ConfigEntry):
    id: Needed
    title: Needed
    description: Text | None = None
    goals: list[GoalEntry] | None = None
    actions: list[ActionEntry] | None = None


class ProgrammeHead(ConfigEntry):
    title: Needed
    period: list[Year]
    municipality: Text | None = None
    date: Text | None = None
    status: Text | None = None
    approved: Text | None = None
    vision: Text | None = None
    starting_points: list[Text] = []


class MessageEntry(ConfigEntry):
    audience: Needed
    message: Needed
    timing: Text | None = None
    channel: Text | None = None
    owner: Text | None = None


class CommunicationEntry(ConfigEntry):
    audiences: list[str] = []
    channels: list[str] = []
    messages: list[MessageEntry] | None = None


class MeasurementEntry(ConfigEntry):
    reporting: Text | None = None
    review: Text | None = None


class ChangeEntry(ConfigEntry):
    id: Needed
    target: Needed
    change: Needed
    reason: Text | None = None
    comments: list[str] = []


class ProgrammeFile(ConfigEntry):
    """The keys of programme.yml (docs/project.md; data/kolari/programme.yml is an example)."""
    programme: ProgrammeHead
    themes: list[ThemeEntry]
    communication: CommunicationEntry | None = None
    measurement: MeasurementEntry | None = None
    changes: list[ChangeEntry] | None = None


def load_programme(path: Path | str) -> Programme:
    """Read and validate ``programme.yml``; every error names the line."""
    path = Path(path)
    raw = load_yaml(path)
    if not isinstance(raw, LineDict):
        raise InputError(path, "programme.yml must be a mapping of keys (programme:, themes: …)", line=1,
                         hint="see data/kolari/programme.yml")
    config = validate_config(ProgrammeFile, raw, path, docs="docs/project.md and data/kolari/programme.yml")
    head = config.programme
    period = head.period
    if len(period) != 2 or period[0] > period[1]:
        raise InputError(path, f"period must be two years [first, last], found {period!r}",
                         line=raw["programme"].line_of("period"), hint="e.g. `period: [2024, 2028]`")

    themes, seen = [], {}
    for theme, item in zip(config.themes, raw["themes"]):
        theme_id = theme.id
        goals = []
        for g, goal_item in zip(theme.goals or [], item.get("goals") or []):
            if not g.id.startswith(theme_id + "."):
                raise InputError(path, f"goal id {g.id!r} does not start with its theme id {theme_id!r}",
                                 line=goal_item.line_of("id"), hint=f"name it {theme_id}.G1, {theme_id}.G2 …")
            goals.append(Goal(
                id=g.id, theme=theme_id, text=_text(g.text), measurable=g.measurable, indicator=_text(g.indicator),
                unit=_text(g.unit), baseline=g.baseline, target=g.target, baseline_year=g.baseline_year,
                target_year=g.target_year, data_source=_text(g.data_source), frequency=_text(g.frequency),
                owner=_text(g.owner), lexicon=tuple(w.casefold() for w in g.lexicon)))
        actions = [Action(id=a.id, theme=theme_id, text=_text(a.text), owner=_text(a.owner),
                          partners=tuple(a.partners), schedule=_text(a.schedule)) for a in theme.actions or []]
        for ident, line in [(theme_id, item.line_of("id"))] + [(x.id, item.line) for x in goals + actions]:
            if ident in seen:
                raise InputError(path, f"id {ident!r} repeats the one on line {seen[ident]}", line=line,
                                 hint="every theme, goal and action needs its own id")
            seen[ident] = line
        themes.append(Theme(theme_id, _text(theme.title), _text(theme.description) or "", tuple(goals),
                            tuple(actions)))

    communication = config.communication or CommunicationEntry()
    audiences = list(communication.audiences)
    messages = []
    raw_messages = (raw.get("communication") or {}).get("messages") or []
    for m, message_item in zip(communication.messages or [], raw_messages):
        if audiences and m.audience not in audiences:
            raise InputError(path, f"message for an unknown audience {m.audience!r}",
                             line=message_item.line_of("audience"),
                             hint=f"use one of communication: audiences ({', '.join(audiences)})")
        messages.append(Message(m.audience, _text(m.message), _text(m.timing), _text(m.channel), _text(m.owner)))
    changes = []
    for c, change_item in zip(config.changes or [], raw.get("changes") or []):
        if c.target not in seen and c.target not in SECTIONS:
            raise InputError(path, f"change {c.id} targets {c.target!r}, which is no theme, goal or action id",
                             line=change_item.line_of("target"),
                             hint=f"use an id of this file or one of {', '.join(SECTIONS)}")
        changes.append(Change(c.id, c.target, _text(c.change), _text(c.reason), tuple(c.comments)))
    return Programme(
        title=_text(head.title), period=(period[0], period[1]),
        vision=_text(head.vision) or "", themes=themes, audiences=audiences,
        channels=list(communication.channels),
        reporting=_text((config.measurement or MeasurementEntry()).reporting), path=path,
        status=_text(head.status), approved=_text(head.approved), messages=messages, changes=changes)


def project_programme(project) -> Programme:
    """The programme a project names in ``programme:``; a clear error when it names none."""
    if project.programme_path is None:
        raise InputError(project.config_path, "the project names no programme",
                         hint="add `programme: programme.yml` to project.yml (see data/kolari/programme.yml)")
    return load_programme(project.programme_path)


def project_programme_draft(project) -> Programme | None:
    """The draft the material reacted to (``programme_draft:``), or None when the project keeps none."""
    return load_programme(project.programme_draft_path) if project.programme_draft_path is not None else None


__all__ = ["Action", "Change", "Goal", "Message", "Programme", "Theme", "load_programme", "project_programme",
           "project_programme_draft"]
