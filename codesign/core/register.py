"""The participant register: who took part, under which code, and the names that must never leak."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from codesign.core.errors import InputError

REQUIRED_COLUMNS = ("code", "name", "aliases", "group", "sector")


@dataclass(frozen=True)
class Participant:
    code: str
    name: str
    aliases: tuple[str, ...]
    group: str | None
    sector: str | None
    village: str | None = None
    role: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling under which this person may appear: full name and aliases."""
        return (self.name, *self.aliases)


class Register:
    """Participants by code, with lookup by any of their names (case-insensitive)."""

    def __init__(self, participants: list[Participant], path: Path | None = None) -> None:
        self.path = path
        self.participants = {p.code: p for p in participants}
        self._by_name: dict[str, str] = {}
        for p in participants:
            for n in p.names:
                self._by_name.setdefault(n.casefold(), p.code)

    def __contains__(self, code: str) -> bool:
        return code in self.participants

    def __getitem__(self, code: str) -> Participant:
        return self.participants[code]

    def __iter__(self):
        return iter(self.participants.values())

    def code_for_name(self, name: str) -> str | None:
        """The participant code whose name or alias is exactly ``name`` (case-insensitive), else None."""
        return self._by_name.get(name.strip().casefold())

    def name_parts(self) -> dict[str, str]:
        """Every name token (first names, surnames, aliases' words) → the code it belongs to.

        Used by the pseudonymiser to find inflected names (``Keinäsen``) by their base form.
        """
        parts: dict[str, str] = {}
        for p in self:
            for n in p.names:
                for word in n.replace(".", " ").split():
                    if len(word) > 1 and word[0].isupper():
                        parts.setdefault(word, p.code)
        return parts


def load_register(path: Path, groups: dict[str, str]) -> Register:
    """Read the register CSV (UTF-8): ``code,name,aliases,group,sector[,village,role]``.

    ``aliases`` are separated by ``|``. ``groups`` maps any spelling (casefolded) to a canonical group.
    """
    if not path.is_file():
        raise InputError(path, "participant register not found",
                         hint="create it (columns: code,name,aliases,group,sector,village,role) "
                              "or set `register:` in project.yml")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})", hint="save the register as UTF-8") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise InputError(path, "the register is empty", hint="add a header row and one row per participant")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}", line=1,
                         hint=f"the header must contain {', '.join(REQUIRED_COLUMNS)}")
    participants, seen = [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(path, f"expected {len(header)} fields, found {len(row)}", line=line,
                             hint="quote fields that contain a comma")
        rec = {h: cell.strip() for h, cell in zip(header, row)}
        code = rec["code"]
        if not code:
            raise InputError(path, "empty participant code", line=line, column="code")
        if code in seen:
            raise InputError(path, f"duplicate participant code {code!r} (first on line {seen[code]})",
                             line=line, column="code", hint="give every participant a unique code")
        seen[code] = line
        group = rec["group"] or None
        if group is not None:
            if group.casefold() not in groups:
                raise InputError(path, f"unknown group {group!r}", line=line, column="group",
                                 hint=f"use one of {sorted(set(groups.values()))} or add it under "
                                      "`groups:` in project.yml")
            group = groups[group.casefold()]
        if not rec["name"]:
            raise InputError(path, "empty name", line=line, column="name")
        aliases = tuple(a.strip() for a in rec["aliases"].split("|") if a.strip())
        participants.append(Participant(code, rec["name"], aliases, group, rec["sector"] or None,
                                        rec.get("village") or None, rec.get("role") or None))
    return Register(participants, path)
