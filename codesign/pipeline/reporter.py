"""Progress lines of a build on stdout, errors on stderr."""
from __future__ import annotations

import sys


class Reporter:
    """Progress lines on stdout (unless quiet); errors always on stderr."""

    def __init__(self, quiet: bool = False, out=None, err=None) -> None:
        self.quiet = quiet
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def progress(self, message: str) -> None:
        if not self.quiet:
            print(message, file=self.out, flush=True)

    def error(self, message: str) -> None:
        print(f"error: {message}", file=self.err, flush=True)
