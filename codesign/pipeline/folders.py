"""A project's report folders: one timestamped folder per build, ``latest`` pointing at the newest complete
one, and outputs carried over from the previous build."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from codesign.core.errors import CodesignError
from codesign.core.project import Project
from codesign.core.safety import inside

BUILD_FILE = "build.json"


def project_reports_dir(project: Project, reports_dir: Path | str | None) -> Path:
    base = Path(reports_dir) if reports_dir is not None else Path(os.environ.get("CODESIGN_REPORTS", "reports"))
    # absolute: notebooks run two at a time, and papermill moves the working directory while one runs
    return inside(base.resolve(), project.name)  # the name is an id: checked again as a path


def previous_build(project_dir: Path) -> dict | None:
    """build.json of the newest finished build (failed notebooks included: their good siblings carry)."""
    if not project_dir.is_dir():
        return None
    for folder in sorted((p for p in project_dir.iterdir() if p.is_dir() and not p.is_symlink()), reverse=True):
        meta = folder / BUILD_FILE
        if meta.is_file():
            data = json.loads(meta.read_text(encoding="utf-8"))
            data["_dir"] = str(folder)
            return data
    return None


def new_build_dir(project_dir: Path) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate, n = project_dir / stamp, 1
    while candidate.exists():
        n += 1
        candidate = project_dir / f"{stamp}-{n}"
    candidate.mkdir(parents=True)
    return candidate


def update_latest(project_dir: Path, build_dir: Path) -> None:
    """Point ``latest`` at ``build_dir``: a relative symlink swapped in atomically, else a small text file."""
    latest = project_dir / "latest"
    tmp = project_dir / ".latest.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    try:
        os.symlink(build_dir.name, tmp, target_is_directory=True)
    except (OSError, NotImplementedError):
        tmp.write_text(build_dir.name + "\n", encoding="utf-8")
    if latest.is_dir() and not latest.is_symlink():
        raise CodesignError(f"{latest} is a folder; remove it so codesign can keep the `latest` link there")
    os.replace(tmp, latest)


def resolve_latest(project_dir: Path) -> Path | None:
    latest = project_dir / "latest"
    if latest.is_symlink():
        return (project_dir / os.readlink(latest)).resolve()
    if latest.is_file():
        return project_dir / latest.read_text(encoding="utf-8").strip()
    return None



def carry_over(src: Path, dst: Path) -> None:
    """A previous build's output into this build's folder: a hard link, else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
