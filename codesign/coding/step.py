"""``codesign code``: code a whole project and write ``build/codings.parquet``.

Columns (docs/schema.md): ``segment_id``, ``code``, ``source`` (``human`` or ``machine``), ``confidence``
(1.0 for human codes; the calibrated probability for machine codes), ``evidence`` (JSON: matched words,
nearest coded reference segments, component scores), ``final`` (True for the rows that make the decision:
human codes where a segment has a human coding — they always win — machine codes elsewhere).

Machine codes for human-coded segments are cross-fitted (predicted by a model that did not see the
source they come from), so the table also shows honestly where the machine would have disagreed.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from codesign.coding.agreement import read_coding
from codesign.coding.codebook import Codebook, load_codebook
from codesign.coding.model import CODED_ROLE, ThemeCoder, codings_table, context_texts, label_matrix, prepare_units
from codesign.core.errors import CodesignError
from codesign.core.project import Project, load_project
from codesign.ingest.step import read_segments
from codesign.nlp.finnish import DocCache
from codesign.nlp.pipeline import load_pipeline

#: Components the coder needs: lemmas and morphology; no parser, no NER.
CODER_EXCLUDE = ("parser", "ner")
CODINGS_COLUMNS = ["segment_id", "code", "source", "confidence", "evidence", "final"]
#: Part of the cached model's key: raise it when the coder's training changes, so stale models retrain.
MODEL_FORMAT = 3


def coding_codes(codebook: Codebook) -> list[str]:
    """The codes the machine assigns: themes and statement types (subcodes follow their theme)."""
    return codebook.themes + codebook.statements


def coded_segments(project: Project, coding: pd.DataFrame | None = None) -> pd.DataFrame:
    """The segments the coder codes (participants'), limited to those ``coding`` covers when given, with a
    ``context`` column (``codesign.coding.model.context_texts``: the interviewer's question, else the prompt)."""
    segments = read_segments(project)
    # context (what the segment answers) comes from the whole table: the interviewer's turns are dropped below
    segments["context"] = context_texts(segments)
    keep = segments["speaker_role"] == CODED_ROLE
    if coding is not None:
        keep &= segments["segment_id"].isin(set(coding["segment_id"]))
    return segments[keep].reset_index(drop=True)


def doc_cache(project: Project) -> DocCache:
    return DocCache(load_pipeline(CODER_EXCLUDE), project.cache_dir / "nlp")


@dataclass
class CodingResult:
    """What :func:`code` wrote to ``build/codings.parquet`` and how it was made.

    Attributes
    ----------
    codings : DataFrame
        One row per (segment, code, source): the columns of docs/schema.md.
    n_segments : int
        Participant segments coded.
    timings : dict
        Seconds spent on NLP and on coding, and the NLP cache's hits and misses.
    """
    codings: pd.DataFrame
    n_segments: int
    timings: dict = field(default_factory=dict)

    def final(self) -> pd.DataFrame:
        """One row per segment with its ``;``-joined final codes (see :func:`final_codes`)."""
        return final_codes(self.codings)


def code(project: Project | str | None = None, folds: int = 5, seed: int = 0) -> CodingResult:
    """Code every participant segment of a project and write ``build/codings.parquet``.

    Parameters
    ----------
    project : Project, path or None
        The project (folder or loaded); None is the default project.
    folds : int
        Groups of sources for the cross-fitted machine opinions on human-coded segments.
    seed : int
        Random seed of the coder.

    Returns
    -------
    CodingResult
    """
    project = load_project(project)
    if project.codebook_path is None:
        raise CodesignError(f"{project.config_path}: no `codebook:` — the coder needs a codebook")
    codebook = load_codebook(project.codebook_path)
    codes = coding_codes(codebook)
    t0 = time.perf_counter()
    segments = coded_segments(project)
    cache = doc_cache(project)
    units = prepare_units(segments, cache)
    human = read_coding(project.reference_coding_path) if project.reference_coding_path else None
    coded_ids = set(human["segment_id"]) if human is not None else set()
    is_coded = np.array([u.segment_id in coded_ids for u in units])
    if is_coded.sum() < 20:
        raise CodesignError("the coder learns from a human coding of at least 20 segments: set "
                            "`reference_coding:` in project.yml (a CSV segment_id,codes)")
    y = label_matrix(human, [u.segment_id for u in units], codes)
    t1 = time.perf_counter()

    tables = []
    human_subcoded: set[str] = set()
    if human is not None:
        # every code of the human coding wins, subcodes included (the machine gives them only where the human
        # coding gave none: e.g. a reference coding with subcodes for the interviews alone)
        known = {c.id for c in codebook}
        given = {row.segment_id: [c for c in str(row.codes).split(";") if c in known]
                 for row in human.itertuples()}
        rows = [{"segment_id": u.segment_id, "code": code, "source": "human", "confidence": 1.0,
                 "evidence": json.dumps({"coder": "reference"}), "final": True}
                for i, u in enumerate(units) if is_coded[i] for code in given.get(u.segment_id, [])]
        tables.append(pd.DataFrame(rows, columns=CODINGS_COLUMNS))
        human_subcoded = {sid for sid, cs in given.items() if any(codebook[c].kind == "subcode" for c in cs)}
    coded_idx = np.flatnonzero(is_coded)
    groups = segments.loc[coded_idx, "source_id"].to_numpy()
    for fold_sources in np.array_split(np.array(sorted(set(groups))), min(folds, len(set(groups)))):
        test = coded_idx[np.isin(groups, fold_sources)]
        train = coded_idx[~np.isin(groups, fold_sources)]
        tables.append(_machine(codebook, codes, cache, units, y, train, test, seed, final=False))
    uncoded = np.flatnonzero(~is_coded)
    if len(uncoded):
        # the coder of the uncoded segments is trained on every human-coded segment: the one trained_coder
        # gives, so it is kept for `codesign analyse` (which reads sentences with it) and classify
        tables.append(_machine(codebook, codes, cache, units, y, coded_idx, uncoded, seed, final=True,
                               keep=lambda coder: _save_coder(project, coder, seed)))
    elif project.reference_coding_path is not None:
        trained_coder(project, cache, seed)       # every segment is human-coded: trained for analyse here
    tables.append(_subcodes(codebook, units, pd.concat(tables, ignore_index=True), human_subcoded))
    codings = pd.concat(tables, ignore_index=True)[CODINGS_COLUMNS]
    codings = codings.sort_values(["segment_id", "source", "code"], kind="stable").reset_index(drop=True)
    timings = {"nlp_s": t1 - t0, "coding_s": time.perf_counter() - t1,
               "cache_hits": cache.hits, "cache_misses": cache.misses}
    _write(project, codings)
    return CodingResult(codings, len(units), timings)


def _machine(codebook, codes, cache, units, y, train, test, seed, final, keep=None):
    coder = ThemeCoder(codebook, codes, cache, seed=seed).fit([units[i] for i in train], y[train])
    if keep is not None:
        keep(coder)
    test_units = [units[i] for i in test]
    probabilities = coder.predict_proba(test_units)
    table = codings_table(test_units, probabilities, (probabilities >= coder.supervised.thresholds).astype(int),
                          coder)
    table["final"] = final
    return table


def _subcodes(codebook: Codebook, units, codings: pd.DataFrame, skip: set[str] = frozenset()) -> pd.DataFrame:
    """Subcodes by their lexicon, within the themes a segment finally has (deductive, source machine).

    Subcodes say which parts of a theme's scope are voiced; they follow the final theme decision.
    """
    from codesign.coding.model import LexiconMatcher

    themes = codings[codings["final"] & codings["code"].isin(codebook.themes)]
    by_segment = themes.groupby("segment_id")["code"].apply(set).to_dict()
    subcodes = [c.id for c in codebook.of_kind("subcode")]
    matcher = LexiconMatcher(codebook, subcodes)
    rows = []
    for unit in units:
        given = by_segment.get(unit.segment_id, set())
        if not given or unit.segment_id in skip:      # skip: segments whose human coding has its own subcodes
            continue
        for code, hits in zip(subcodes, matcher.matches(unit.words)):
            if hits and codebook[code].parent in given:
                rows.append({"segment_id": unit.segment_id, "code": code, "source": "machine",
                             "confidence": min(1.0, 0.5 + 0.1 * len(hits)),
                             "evidence": json.dumps({"matched": hits, "rule": "lexicon within final theme"},
                                                    ensure_ascii=False), "final": True})
    return pd.DataFrame(rows, columns=CODINGS_COLUMNS)


def _write(project: Project, codings: pd.DataFrame) -> None:
    from codesign.privacy.leakcheck import guard

    path = project.build_dir / "codings.parquet"
    tmp = path.with_name("codings.tmp.parquet")
    codings.to_parquet(tmp, index=False)
    guard(project, [tmp])
    tmp.replace(path)


def final_code_sets(codings: pd.DataFrame) -> dict[str, frozenset]:
    """Segment id → its final codes (the decision downstream stages use: human codes where a segment has
    any, machine codes elsewhere)."""
    final = codings[codings["final"]]
    return {k: frozenset(v) for k, v in final.groupby("segment_id")["code"]}


def final_codes(codings: pd.DataFrame) -> pd.DataFrame:
    """One row per segment: its ``;``-joined final codes, the ``segment_id,codes`` form of a coding file."""
    sets = final_code_sets(codings)
    return pd.DataFrame({"segment_id": list(sets), "codes": [";".join(sorted(c)) for c in sets.values()]})


def trained_coder(project: Project, cache: DocCache | None = None, seed: int = 0) -> ThemeCoder:
    """A coder trained on all of the project's human-coded segments, cached on disk.

    The cache key is the hash of the segment table, the reference coding, the codebook, the codesign
    version and ``MODEL_FORMAT``, so a changed input retrains and an unchanged one loads in a moment;
    ``code`` keeps the one it trains (or trains it when every segment is human-coded), so ``analyse`` loads it.
    """
    import pickle

    cache = cache or doc_cache(project)
    model_path = _coder_path(project, seed)
    if model_path.is_file():
        with model_path.open("rb") as handle:
            coder = pickle.load(handle)
        coder.cache = cache
        return coder
    codebook = load_codebook(project.codebook_path)
    codes = coding_codes(codebook)
    human = read_coding(project.reference_coding_path)
    segments = coded_segments(project, human)
    units = prepare_units(segments, cache)
    y = label_matrix(human, list(segments["segment_id"]), codes)
    coder = ThemeCoder(codebook, codes, cache, seed=seed).fit(units, y)
    _save_coder(project, coder, seed)
    return coder


def _coder_path(project: Project, seed: int):
    """Where the coder trained on all of the project's human-coded segments is cached: the key is the hash of
    the segment table, the reference coding, the codebook, the codesign version and ``MODEL_FORMAT``."""
    import hashlib

    from codesign._version import __version__

    segments_path = project.build_dir / "segments.parquet"
    if not segments_path.is_file():
        raise CodesignError(f"{segments_path} not found: run `codesign ingest {project.root}` first")
    if project.reference_coding_path is None or project.codebook_path is None:
        raise CodesignError(f"{project.config_path}: the coder needs `codebook:` and `reference_coding:`")
    digest = hashlib.sha256(f"{__version__}/{MODEL_FORMAT}".encode())
    for path in (segments_path, project.reference_coding_path, project.codebook_path):
        digest.update(path.read_bytes())
    return project.cache_dir / "models" / f"coder-{digest.hexdigest()[:16]}-{seed}.pickle"


def _save_coder(project: Project, coder: ThemeCoder, seed: int) -> None:
    import pickle

    model_path = _coder_path(project, seed)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    cache, coder.cache = coder.cache, None
    with model_path.open("wb") as handle:
        pickle.dump(coder, handle)
    coder.cache = cache


def classify(project: Project | str | None, items: list[tuple[str, str]], themes_only: bool = True
             ) -> list[tuple[str, list[str]]]:
    """Codes for free texts from the project's trained coder (the texts are not kept anywhere).

    Parameters
    ----------
    project : Project, path or None
        An ingested project with a codebook and a reference coding.
    items : list of (id, text)
    themes_only : bool
        Only the themes (default), or every code the coder gives.

    Returns
    -------
    list of (id, list of codes), in the order of ``items``
    """
    project = load_project(project)
    cache = doc_cache(project)
    coder = trained_coder(project, cache)
    frame = pd.DataFrame({"segment_id": [i for i, _ in items], "text": [t for _, t in items], "prompt": None,
                          "source_id": "input", "turn": range(len(items)), "speaker_role": CODED_ROLE})
    if not items:
        return []
    units = prepare_units(frame, cache, remember=False)   # input text is never written to the cache
    decisions = coder.predict(units)
    keep = set(coder.codebook.themes) if themes_only else set(coder.codes)
    return [(i, [c for c, v in zip(coder.codes, row) if v and c in keep]) for (i, _), row in zip(items, decisions)]
