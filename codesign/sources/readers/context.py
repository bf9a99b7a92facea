"""What every reader needs besides the file: the project and its register."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codesign.core.project import Project
from codesign.core.register import Register


@dataclass
class ReadContext:
    project: Project
    register: Register

    @property
    def interviewers(self) -> set[str]:
        """Register codes of the interviewers (project.yml ``interviewers:``)."""
        return set(self.project.interviewers)

    def relative(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.project.root.resolve()))
        except ValueError:
            return str(path)
