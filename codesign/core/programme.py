"""The programme being validated (``programme.yml``): themes, their goals with indicators, first actions."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from codesign.core.errors import InputError
from codesign.core.yamlio import LineDict, load_yaml, require


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


def _need(mapping: LineDict, key: str, path: Path, what: str) -> Any:
    return require(mapping, key, path, what, example="data/kolari/programme.yml")


def _number(mapping: LineDict, key: str, path: Path, what: str) -> float | None:
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(path, f"{what}: {key} must be a number, found {value!r}", line=mapping.line_of(key),
                         hint="write the number alone (the unit goes under `unit:`)")
    return value


def _mapping(value: Any, path: Path, line: int, what: str) -> LineDict:
    if not isinstance(value, LineDict):
        raise InputError(path, f"{what} must be a mapping of keys", line=getattr(value, "line", line))
    return value


def _list(value: Any, path: Path, line: int, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(path, f"{what} must be a list (`- …` items or `[a, b]`)", line=line)
    return value


def load_programme(path: Path | str) -> Programme:
    """Read and validate ``programme.yml``; every error names the line."""
    path = Path(path)
    raw = _mapping(load_yaml(path), path, 1, "programme.yml")
    head = _mapping(_need(raw, "programme", path, "programme.yml"), path, raw.line_of("programme"),
                    "programme:")
    period = _list(_need(head, "period", path, "programme:"), path, head.line_of("period"), "period")
    if len(period) != 2 or not all(isinstance(y, int) and not isinstance(y, bool) for y in period) \
            or period[0] > period[1]:
        raise InputError(path, f"period must be two years [first, last], found {period!r}",
                         line=head.line_of("period"), hint="e.g. `period: [2024, 2028]`")

    themes, seen = [], {}
    for item in _list(_need(raw, "themes", path, "programme.yml"), path, raw.line_of("themes"), "themes"):
        item = _mapping(item, path, raw.line_of("themes"), "each theme")
        theme_id = str(_need(item, "id", path, "each theme"))
        goals = []
        for g in _list(item.get("goals"), path, item.line_of("goals"), f"goals of {theme_id}"):
            g = _mapping(g, path, item.line_of("goals"), f"each goal of {theme_id}")
            gid = str(_need(g, "id", path, f"each goal of {theme_id}"))
            what = f"goal {gid}"
            if not gid.startswith(theme_id + "."):
                raise InputError(path, f"goal id {gid!r} does not start with its theme id {theme_id!r}",
                                 line=g.line_of("id"), hint=f"name it {theme_id}.G1, {theme_id}.G2 …")
            measurable = g.get("measurable", True)
            if not isinstance(measurable, bool):
                raise InputError(path, f"{what}: measurable must be true or false, found {measurable!r}",
                                 line=g.line_of("measurable"))
            years = {}
            for key in ("baseline_year", "target_year"):
                year = _number(g, key, path, what)
                if year is not None and year != int(year):
                    raise InputError(path, f"{what}: {key} must be a year", line=g.line_of(key))
                years[key] = None if year is None else int(year)
            goals.append(Goal(
                id=gid, theme=theme_id, text=_text(_need(g, "text", path, what)), measurable=measurable,
                indicator=_text(_need(g, "indicator", path, what)), unit=_text(g.get("unit")),
                baseline=_number(g, "baseline", path, what), target=_number(g, "target", path, what),
                data_source=_text(g.get("data_source")), frequency=_text(g.get("frequency")),
                owner=_text(g.get("owner")),
                lexicon=tuple(str(w).casefold() for w in g.get("lexicon") or ()), **years))
        actions = []
        for a in _list(item.get("actions"), path, item.line_of("actions"), f"actions of {theme_id}"):
            a = _mapping(a, path, item.line_of("actions"), f"each action of {theme_id}")
            aid = str(_need(a, "id", path, f"each action of {theme_id}"))
            actions.append(Action(
                id=aid, theme=theme_id, text=_text(_need(a, "text", path, f"action {aid}")),
                owner=_text(a.get("owner")),
                partners=tuple(str(p) for p in _list(a.get("partners"), path, a.line_of("partners"),
                                                     f"partners of {aid}")),
                schedule=_text(a.get("schedule"))))
        for ident, line in [(theme_id, item.line_of("id"))] + [(x.id, item.line) for x in goals + actions]:
            if ident in seen:
                raise InputError(path, f"id {ident!r} repeats the one on line {seen[ident]}", line=line,
                                 hint="every theme, goal and action needs its own id")
            seen[ident] = line
        themes.append(Theme(theme_id, _text(_need(item, "title", path, f"theme {theme_id}")),
                            _text(item.get("description")) or "", tuple(goals), tuple(actions)))

    communication = raw.get("communication") or {}
    measurement = raw.get("measurement") or {}
    audiences = [str(a) for a in communication.get("audiences") or []]
    messages = []
    for m in _list(communication.get("messages"), path, raw.line_of("communication"), "communication: messages"):
        m = _mapping(m, path, raw.line_of("communication"), "each message")
        audience = str(_need(m, "audience", path, "each message"))
        if audiences and audience not in audiences:
            raise InputError(path, f"message for an unknown audience {audience!r}", line=m.line_of("audience"),
                             hint=f"use one of communication: audiences ({', '.join(audiences)})")
        messages.append(Message(audience, _text(_need(m, "message", path, "each message")), _text(m.get("timing")),
                                _text(m.get("channel")), _text(m.get("owner"))))
    changes = []
    for c in _list(raw.get("changes"), path, raw.line_of("changes"), "changes"):
        c = _mapping(c, path, raw.line_of("changes"), "each change")
        cid = str(_need(c, "id", path, "each change"))
        target = str(_need(c, "target", path, f"change {cid}"))
        if target not in seen and target not in SECTIONS:
            raise InputError(path, f"change {cid} targets {target!r}, which is no theme, goal or action id",
                             line=c.line_of("target"), hint=f"use an id of this file or one of {', '.join(SECTIONS)}")
        changes.append(Change(cid, target, _text(_need(c, "change", path, f"change {cid}")), _text(c.get("reason")),
                              tuple(str(n) for n in _list(c.get("comments"), path, c.line_of("comments"),
                                                          f"comments of change {cid}"))))
    return Programme(
        title=_text(_need(head, "title", path, "programme:")), period=(period[0], period[1]),
        vision=_text(head.get("vision")) or "", themes=themes, audiences=audiences,
        channels=[str(c) for c in communication.get("channels") or []],
        reporting=_text(measurement.get("reporting")), path=path, status=_text(head.get("status")),
        approved=_text(head.get("approved")), messages=messages, changes=changes)


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
