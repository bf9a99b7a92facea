"""Readers turn one source file into SourceDocuments; ``READERS`` maps a project format to its reader."""
from __future__ import annotations

from .context import ReadContext
from .survey import read_survey
from .table import read_rows
from .transcript import read_transcript

READERS = {"transcript": read_transcript, "table": read_rows, "survey": read_survey}

__all__ = ["READERS", "ReadContext"]
