"""One build at a time per project: an exclusive lock (filelock) that a second run waits for, then gives up."""
from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager

from codesign.core.errors import CodesignError
from codesign.core.project import Project


class BuildBusy(CodesignError):
    """Another build of the same project holds the lock."""


@contextmanager
def build_lock(project: Project, wait_s: float = 10.0):
    """An exclusive lock per project (``PROJECT/.cache/build.lock``); waits ``wait_s`` seconds, then raises
    BuildBusy naming the holder. The operating system releases it when the holder exits, even on kill -9."""
    from filelock import FileLock, Timeout

    path = project.cache_dir / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    # who holds it, in a file of its own: filelock truncates the lock file when it tries to take the lock
    holder = path.with_name("build.lock.holder")
    lock = FileLock(path, timeout=wait_s)
    try:
        lock.acquire(poll_interval=0.2)
    except Timeout:
        who = holder.read_text(encoding="utf-8").strip() if holder.is_file() else "unknown"
        raise BuildBusy(f"another `codesign build` of {project.name} is running ({who}); waited {wait_s:.0f} s. "
                        f"Nothing was changed; run again when it has finished (lock: {path})") from None
    try:
        holder.write_text(f"pid {os.getpid()} since {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC\n",
                          encoding="utf-8")
        yield path
    finally:
        lock.release()
