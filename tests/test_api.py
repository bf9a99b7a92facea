"""The public API: the verbs stay the verbs, whatever has been imported, and results are typed."""
from __future__ import annotations

import importlib

import codesign

VERBS = ("ingest", "code", "classify", "analyse", "build", "make_templates", "write_summary", "export_qdpx",
         "import_qdpx", "review_queue", "write_review", "apply_review")


def test_every_public_name_resolves_and_the_verbs_are_callable_after_every_stage_is_imported():
    # a subpackage named like a verb would replace the verb on `codesign` as soon as it is imported
    for module in ("codesign.sources.ingest", "codesign.sources.readers", "codesign.coding.step",
                   "codesign.analysis", "codesign.pipeline.build", "codesign.outputs.qdpx"):
        importlib.import_module(module)
    for name in codesign.__all__:
        assert getattr(codesign, name) is not None, name
    for verb in VERBS:
        assert callable(getattr(codesign, verb)) and not isinstance(getattr(codesign, verb), type(codesign)), verb
    assert {"IngestResult", "CodingResult", "AnalysisResult", "BuildResult", "QdpxImport"} <= set(codesign.__all__)


def test_load_project_takes_a_folder_or_a_project(tiny_project):
    project = codesign.load_project(tiny_project)
    assert codesign.load_project(project) is project and project.name == "tiny"
