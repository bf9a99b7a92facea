"""What the build remembers between runs: content hashes of inputs, the code version, and the steps' state
file (``build/pipeline_state.json``): a step whose key did not change is not run again."""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from codesign._version import __version__

STATE_FILE = "pipeline_state.json"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digest_paths(paths: list[Path], root: Path) -> dict[str, str]:
    """Relative path → sha256 (``missing`` for a file that is not there); folders are walked."""
    out: dict[str, str] = {}
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                name = str(file.resolve().relative_to(root.resolve()))
            except ValueError:
                name = str(file)
            out[name] = file_digest(file) if file.is_file() else "missing"
    return dict(sorted(out.items()))


def digest_of(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The codesign version plus a digest of the package's source, so that a changed coder, analysis or
    figure re-runs the steps and reports it affects even when the version number did not change."""
    package = Path(__file__).resolve().parents[1]
    sources = {str(p.relative_to(package)): file_digest(p) for p in sorted(package.rglob("*.py"))}
    return f"{__version__}+{digest_of(sources)[:12]}"
