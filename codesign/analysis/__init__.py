"""``codesign analyse``: synthesis analytics over the coded segments (issue 5).

One module per job — ``topics`` (emergent topics, BERTopic), ``survey`` (priorities), ``triangulation``
and ``validation`` (scope, perspective and goals, with the evidence ledger) — each taking plain data and
returning DataFrames. ``analyse`` runs them all and writes the tidy tables of docs/schema.md to ``build/``.
"""
from __future__ import annotations

import hashlib
import json
import platform
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from codesign._version import __version__
from codesign.analysis.inputs import AnalysisInputs, read_inputs
from codesign.analysis.params import AnalysisParams, resolve_params
from codesign.core.project import Project, load_project
from codesign.core.safety import write_csv

__all__ = ["analyse", "AnalysisResult", "run_analyses", "AnalysisParams", "resolve_params", "read_inputs",
           "ARTIFACTS", "REPORT"]

#: File name of every table ``analyse`` writes, in the order of docs/schema.md.
ARTIFACTS = ["topics", "emergent_topics", "topic_assignments", "topic_sentences", "survey_priorities",
             "survey_likert", "survey_agreement", "programme_choice", "triangulation_stage", "triangulation_group",
             "theme_cooccurrence", "theme_support", "theme_validation", "subcode_coverage", "perspective",
             "goal_validation", "evidence_ledger", "verdict_stability", "goal_links"]
REPORT = "analysis_report.json"


class _Timer:
    """Wall time and (optionally) peak traced memory of each part."""

    def __init__(self, memory: bool = False) -> None:
        self.memory = memory
        self.parts: dict[str, dict] = {}

    def run(self, name: str, fn, *args):
        if self.memory:
            tracemalloc.start()
        t0 = time.perf_counter()
        result = fn(*args)
        entry = {"seconds": round(time.perf_counter() - t0, 3)}
        if self.memory:
            entry["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2 ** 20, 1)
            tracemalloc.stop()
        self.parts[name] = entry
        return result


def run_analyses(inputs: AnalysisInputs, params: AnalysisParams, stage_order: list[str],
                 timer: _Timer | None = None) -> dict[str, pd.DataFrame]:
    """Every analysis on already-read inputs; returns the tables by artifact name (nothing is written)."""
    from codesign.analysis import survey, topics, triangulation, validation

    timer = timer or _Timer()
    out: dict[str, pd.DataFrame] = {}

    topic_table, assignments, sentences = timer.run("topics", topics.topics, inputs, params)
    out["topics"] = topic_table
    emergent = topic_table[topic_table["emergent"].astype(bool)]
    if "emergent_rank" in emergent.columns:           # the list a designer reads, most novel first
        emergent = emergent.sort_values(["emergent_rank", "topic_id"])
    out["emergent_topics"] = emergent.reset_index(drop=True)
    out["topic_assignments"] = assignments
    out["topic_sentences"] = sentences

    def _survey():
        if inputs.rankings is None or inputs.respondents is None or not inputs.alternatives:
            return {name: pd.DataFrame(columns=cols) for name, cols in (
                ("survey_priorities", survey.PRIORITY_COLUMNS), ("survey_likert", survey.LIKERT_COLUMNS),
                ("survey_agreement", survey.AGREEMENT_COLUMNS), ("programme_choice", survey.CHOICE_COLUMNS))}
        pri = survey.priorities(inputs.rankings, inputs.respondents, inputs.alternatives, params)
        lik = (survey.likert(inputs.likert, inputs.respondents, inputs.alternatives)
               if inputs.likert is not None else pd.DataFrame(columns=survey.LIKERT_COLUMNS))
        return {"survey_priorities": pri, "survey_likert": lik,
                "survey_agreement": survey.agreement(inputs.rankings, inputs.respondents, inputs.alternatives, pri),
                "programme_choice": survey.programme_choice(pri)}

    out.update(timer.run("survey", _survey))
    out.update(timer.run("triangulation", triangulation.triangulate, inputs, params, stage_order))

    def _goal_links():
        # measured links need the language pipeline; inputs without it keep the word rules
        if inputs.process is None:
            return validation.rule_links(inputs, params), {"model": "rules"}
        from codesign.analysis.goals import measure_links

        return measure_links(inputs, quote_chars=params.quote_chars)

    links, link_info = timer.run("goal_links", _goal_links)
    inputs.goal_links = links
    out["goal_links"] = links
    out["goal_links"].attrs["info"] = link_info

    def _validation():
        ledger = validation.Ledger(params)
        subcodes = validation.subcode_coverage(inputs, params)
        persp = validation.perspective(inputs, params)
        themes = validation.validate_themes(inputs, params, topic_table, out["survey_priorities"], persp, subcodes,
                                            ledger)
        goals = validation.validate_goals(inputs, params, ledger)
        validation.emergent_ledger(inputs, topic_table, sentences, ledger)
        return {"theme_validation": themes, "subcode_coverage": subcodes, "perspective": persp,
                "goal_validation": goals, "evidence_ledger": ledger.frame()}

    out.update(timer.run("validation", _validation))
    from codesign.analysis.machine_codes import verdict_stability

    out["verdict_stability"] = timer.run("verdict_stability", verdict_stability, inputs, params, out)
    return {name: out[name] for name in ARTIFACTS}


def _sha(path: Path | None) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None and path.is_file() else None


@dataclass
class AnalysisResult:
    """What :func:`analyse` wrote: every table (``build/<name>.csv``) and ``analysis_report.json``.

    Attributes
    ----------
    tables : dict of str to DataFrame
        The artifacts by name (``theme_validation``, ``goal_validation``, ``topics`` …; docs/schema.md).
    report : dict
        The content of ``analysis_report.json``: parameters, inputs, counts, verdicts, durations.
    """
    tables: dict[str, pd.DataFrame]
    report: dict = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def analyse(project: Project | str | Path | None = None, params: AnalysisParams | dict | None = None,
            measure_memory: bool = False) -> AnalysisResult:
    """Run the analytics on a coded project; write ``build/<artifact>.csv`` and ``analysis_report.json``.

    Parameters
    ----------
    project : Project, path or None
        A project that has been ingested and coded.
    params : AnalysisParams or dict, optional
        An ``AnalysisParams`` (used as is) or a dict of overrides on top of project.yml's ``report:``.
    measure_memory : bool
        Also trace peak memory per part (slower; for benchmarks).

    Returns
    -------
    AnalysisResult
    """
    project = load_project(project)
    if not isinstance(params, AnalysisParams):
        params = resolve_params(project.report, params or {}, where=str(project.config_path))
    timer = _Timer(memory=measure_memory)
    t0 = time.perf_counter()
    inputs = timer.run("inputs", read_inputs, project)
    tables = run_analyses(inputs, params, [s.id for s in project.stages], timer)
    build = project.build_dir
    for name, table in tables.items():
        write_csv(table, build / f"{name}.csv")      # formula-like text written as text (docs/security.md)
    _leak_check(project, [build / f"{name}.csv" for name in tables])
    versions: dict[str, str | None] = {"codesign": __version__, "python": platform.python_version()}
    for module in ("pandas", "numpy", "scipy", "sklearn", "bertopic", "umap", "hdbscan", "spacy"):
        try:
            versions[module] = __import__(module).__version__
        except Exception:  # noqa: BLE001 - a version we cannot read is reported as unknown
            versions[module] = None
    themes = inputs.theme_ids
    from codesign.analysis.topics import theme_recovery
    report = {
        "parameters": params.as_dict(),
        "inputs": {name: _sha(build / name) for name in ("segments.parquet", "codings.parquet",
                                                         "survey_rankings.parquet", "survey_likert.parquet",
                                                         "respondents.parquet")}
        | {"codebook": _sha(project.codebook_path), "programme": _sha(project.validated_programme_path)},
        "versions": versions,
        "counts": {"segments": len(inputs.segments), **{name: len(t) for name, t in tables.items()},
                   "emergent": int(tables["topics"]["emergent"].astype(bool).sum()) if len(tables["topics"]) else 0},
        "topic_sizes": tables["topics"].attrs.get("sizes", {}),
        "theme_recovery": theme_recovery(tables["topics"], themes) if len(tables["topics"]) else {},
        "verdicts": {"themes": dict(zip(tables["theme_validation"]["theme"], tables["theme_validation"]["verdict"])),
                     "goals": dict(zip(tables["goal_validation"]["goal_id"], tables["goal_validation"]["verdict"]))},
        "machine_codes": _machine_codes(project, inputs, tables["verdict_stability"]),
        "goal_links": tables["goal_links"].attrs.get("info", {}),
        "durations": timer.parts | {"total_seconds": round(time.perf_counter() - t0, 3)},
    }
    (build / REPORT).write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return AnalysisResult(tables, report)


def _machine_codes(project: Project, inputs: AnalysisInputs, stability: pd.DataFrame) -> dict:
    """What rests on machine codes (docs/schema.md#machine-codes): their share of the final codes, their
    cross-fitted agreement with the human codes, and the verdict-stability summary."""
    from codesign.analysis.machine_codes import stability_summary
    from codesign.coding.reliability import machine_code_summary, measured_reliability

    codings = pd.read_parquet(project.build_dir / "codings.parquet")
    codebook = inputs.codebook
    human = set(inputs.segments.loc[inputs.segments["human_coded"], "segment_id"].astype(str))
    summary = machine_code_summary(codings, human, codebook.themes + codebook.statements, codebook.themes,
                                   len(inputs.segments))
    summary["verdict_stability"] = stability_summary(stability)
    if not human:
        summary["measured_without_human_codes"] = measured_reliability()
    return summary


def _leak_check(project: Project, paths: list[Path]) -> None:
    """The tables quote pseudonymised segments only; check them like every other output."""
    from codesign.privacy.leakcheck import guard

    guard(project, paths, delete=False)
