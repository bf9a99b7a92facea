"""Errors that tell a user which file, where, what was expected and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class CodesignError(Exception):
    """Base class of every error codesign raises on purpose."""


@dataclass
class InputError(CodesignError):
    """A problem in a user's input file, located as precisely as the format allows.

    ``line`` is 1-based for text files; ``row`` is the spreadsheet row number a person sees (the header
    is row 1); ``column`` is a column header or letter.
    """

    path: Path | str
    message: str
    line: int | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    @property
    def location(self) -> str:
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"\n  how to fix: {self.hint}"
        return text


class SetupError(CodesignError):
    """The machine lacks something codesign needs (a system library, a model); says what to install."""


class LeakError(CodesignError):
    """Personal data was found in an output that must be pseudonymised."""

    def __init__(self, findings: list) -> None:
        self.findings = findings
        lines = [f"privacy leak check FAILED: {len(findings)} finding(s) in outputs"]
        lines += [f"  {f}" for f in findings[:50]]
        if len(findings) > 50:
            lines.append(f"  … and {len(findings) - 50} more")
        lines.append("  how to fix: add the missing names to the register or the pseudonymisation "
                     "settings in project.yml, then re-run; do not share the outputs listed above.")
        super().__init__("\n".join(lines))
