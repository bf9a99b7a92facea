"""codesign: turn what people said in a co-design process into evidence a decision-maker can trust.

The verbs take a project (its folder, or a :class:`Project` from :func:`load_project`) and return typed
results; each writes its documented artifacts into ``PROJECT/build/`` (docs/schema.md)::

    import codesign
    project = codesign.load_project("data/kolari")
    codesign.ingest(project)            # IngestResult: sources read, pseudonymised, leak-checked
    codesign.code(project)              # CodingResult: build/codings.parquet (from 0 human codes up)
    codesign.review_queue(project)      # the segments whose human coding would help most (DataFrame)
    codesign.apply_review(project, q)   # the filled queue (or workbook) into the reference coding
    codesign.analyse(project)           # AnalysisResult: the analysis tables
    codesign.pipeline(project)             # BuildResult: all of the above as needed, then the reports
    project.segments()                  # tidy data back: one row per segment
    project.codings(final=True)         # the final codes, one row per (segment, code)
    project.table("theme_validation")   # an analysis table with its dtypes

The stages live in subpackages (``codesign.core``, ``nlp``, ``privacy``, ``sources``, ``coding``,
``analysis``, ``outputs``, ``pipeline``; docs/architecture.md). Importing ``codesign`` is light: a verb's
stage is imported when the verb is first used.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from codesign._version import __version__
from codesign.core.errors import CodesignError, InputError, LeakError, SetupError
from codesign.core.project import Project, load_project

#: public name → the module that defines it (imported on first use, PEP 562)
_LAZY = {
    "ingest": "codesign.sources.ingest", "IngestResult": "codesign.sources.ingest",
    "code": "codesign.coding.step", "CodingResult": "codesign.coding.step",
    "classify": "codesign.coding.step",
    "review_queue": "codesign.coding.review", "write_review": "codesign.coding.review",
    "apply_review": "codesign.coding.review", "ReviewApplied": "codesign.coding.review",
    "evaluate_codings": "codesign.coding.evaluate", "sample_coding": "codesign.coding.sample",
    "analyse": "codesign.analysis", "AnalysisResult": "codesign.analysis", "AnalysisParams": "codesign.analysis",
    "build": "codesign.pipeline.build", "BuildResult": "codesign.pipeline.build",
    "make_templates": "codesign.outputs.templates", "write_summary": "codesign.outputs.summary",
    "export_qdpx": "codesign.outputs.qdpx", "import_qdpx": "codesign.outputs.qdpx",
    "QdpxImport": "codesign.outputs.qdpx",
}

__all__ = [
    "__version__", "CodesignError", "InputError", "LeakError", "SetupError", "Project", "load_project",
    "ingest", "IngestResult", "code", "CodingResult", "classify", "review_queue", "write_review", "apply_review",
    "ReviewApplied", "evaluate_codings", "sample_coding", "analyse", "AnalysisResult", "AnalysisParams",
    "build", "BuildResult", "make_templates", "write_summary", "export_qdpx", "import_qdpx", "QdpxImport",
]
assert set(__all__) >= set(_LAZY)

if TYPE_CHECKING:   # for type checkers and IDEs: the same names, imported eagerly
    from codesign.analysis import AnalysisParams, AnalysisResult, analyse
    from codesign.coding.evaluate import evaluate_codings
    from codesign.coding.review import ReviewApplied, apply_review, review_queue, write_review
    from codesign.coding.sample import sample_coding
    from codesign.coding.step import CodingResult, classify, code
    from codesign.outputs.qdpx import QdpxImport, export_qdpx, import_qdpx
    from codesign.outputs.summary import write_summary
    from codesign.outputs.templates import make_templates
    from codesign.pipeline.build import BuildResult, build
    from codesign.sources.ingest import IngestResult, ingest


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'codesign' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
