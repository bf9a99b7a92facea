"""Readers turn one source file into SourceDocuments; ``READERS`` maps a project format to its reader."""
from __future__ import annotations

from codesign.sources.readers.context import ReadContext
from codesign.sources.readers.survey import read_survey
from codesign.sources.readers.table import read_rows
from codesign.sources.readers.transcript import read_transcript

READERS = {"transcript": read_transcript, "table": read_rows, "survey": read_survey}

__all__ = ["READERS", "ReadContext"]
