"""``codesign code``: code a whole project and write ``build/codings.parquet``.

Columns (docs/schema.md): ``segment_id``, ``code``, ``source`` (``human`` or ``machine``), ``confidence``
(1.0 for human codes; the calibrated probability for machine codes), ``evidence`` (JSON: matched words,
nearest coded reference segments, component scores), ``final`` (True for the rows that make the decision:
human codes where a segment has a human coding — they always win — machine codes elsewhere).

Machine codes for human-coded segments are cross-fitted (predicted by a model that did not see the
source they come from), so the table also shows honestly where the machine would have disagreed.
"""
from __future__ import annotations

import functools
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from codesign.coding.agreement import read_coding
from codesign.coding.codebook import Codebook, load_codebook
from codesign.core.errors import CodesignError
from codesign.core.project import Project, load_project
from codesign.nlp.finnish import DocCache
from codesign.nlp.pipeline import load_pipeline
from codesign.sources.ingest import read_segments

if TYPE_CHECKING:
    from codesign.coding.model import CodebookSignals, ThemeCoder
# The model (scikit-learn, SciPy: about 2 s to import) is imported where it is used: the reports import this
# module for its light helpers (coding_codes, final_code_sets, doc_cache) and never train a coder.

#: Components the coder needs: lemmas and morphology; no parser, no NER.
CODER_EXCLUDE = ("parser", "ner")
CODINGS_COLUMNS = ["segment_id", "code", "source", "confidence", "evidence", "final"]
#: Part of the cached model's key (beside the coder's own source): raise it when what is cached changes shape.
MODEL_FORMAT = 4


def coding_codes(codebook: Codebook) -> list[str]:
    """The codes the machine assigns: themes and statement types (subcodes follow their theme)."""
    return codebook.themes + codebook.statements


def coded_segments(project: Project, coding: pd.DataFrame | None = None) -> pd.DataFrame:
    """The segments the coder codes (participants'), limited to those ``coding`` covers when given, with a
    ``context`` column (``codesign.coding.model.context_texts``: the interviewer's question, else the prompt)."""
    from codesign.coding.model import CODED_ROLE, context_texts

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
    n_human : int
        Of those, the segments with a human coding (``reference_coding:``); their codes are final.
    timings : dict
        Seconds spent on NLP and on coding, and the NLP cache's hits and misses.
    """
    codings: pd.DataFrame
    n_segments: int
    n_human: int = 0
    timings: dict = field(default_factory=dict)

    def final(self) -> pd.DataFrame:
        """One row per segment with its ``;``-joined final codes (see :func:`final_codes`)."""
        return final_codes(self.codings)

    def summary(self) -> str:
        """One line: how many segments, how many human-coded, how many final codes from each source."""
        final = self.codings[self.codings["final"]]
        human = int((final["source"] == "human").sum())
        basis = ("no human codes: every code is a machine code, learned from the codebook alone"
                 if self.n_human == 0 else f"{self.n_human} of them human-coded")
        return (f"coded {self.n_segments} segments ({basis}): {len(final)} final codes "
                f"({human} human, {len(final) - human} machine)")


def human_coding(project: Project) -> pd.DataFrame | None:
    """The project's human coding (``reference_coding:``), or None when it names none."""
    if project.reference_coding_path is None:
        return None
    return read_coding(project.reference_coding_path)


def project_labels(project: Project, units: list, codes: list[str]) -> np.ndarray:
    """Units × codes of 1/0 where the reference coding covers a unit, -1 (``UNLABELLED``) elsewhere."""
    from codesign.coding.model import UNLABELLED, label_matrix

    human = human_coding(project)
    ids = [u.segment_id for u in units]
    if human is None:
        return np.full((len(units), len(codes)), UNLABELLED, dtype=int)
    return label_matrix(human, ids, codes, missing=UNLABELLED)


def code(project: Project | str | None = None, folds: int = 5, seed: int = 0) -> CodingResult:
    """Code every participant segment of a project and write ``build/codings.parquet``.

    Works with any number of human codes, none included: the coder learns from the codebook and from every
    human code there is (see :class:`codesign.coding.model.ThemeCoder`). Human codes are final; every other
    segment gets machine codes. The human-coded segments also get cross-fitted machine codes (not final): each
    group of sources coded by a coder that did not see their codes, which measures the machine codes.

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
    from codesign.coding.model import UNLABELLED, codebook_signals, prepare_units

    project = load_project(project)
    if project.codebook_path is None:
        raise CodesignError(f"{project.config_path}: no `codebook:` — the coder needs a codebook")
    codebook = load_codebook(project.codebook_path)
    codes = coding_codes(codebook)
    t0 = time.perf_counter()
    segments = coded_segments(project)
    cache = doc_cache(project)
    units = prepare_units(segments, cache)
    y = project_labels(project, units, codes)
    signals = codebook_signals(codebook, codes, cache)
    is_coded = (y != UNLABELLED).all(axis=1)
    t1 = time.perf_counter()

    # every code of the human coding wins, subcodes included (the machine gives subcodes only where the human
    # coding gave none: e.g. a reference coding with subcodes for the interviews alone)
    human = human_coding(project)
    known = {c.id for c in codebook}
    given = {} if human is None else {row.segment_id: [c for c in str(row.codes).split(";") if c in known]
                                      for row in human.itertuples()}
    rows = [{"segment_id": u.segment_id, "code": code, "source": "human", "confidence": 1.0,
             "evidence": json.dumps({"coder": "reference"}), "final": True}
            for i, u in enumerate(units) if is_coded[i] for code in given.get(u.segment_id, [])]
    tables = [pd.DataFrame(rows, columns=CODINGS_COLUMNS)]
    human_subcoded = {sid for sid, cs in given.items() if any(codebook[c].kind == "subcode" for c in cs)}
    coded_idx = np.flatnonzero(is_coded)
    for test in cross_fit_folds(segments.loc[coded_idx, "source_id"].to_numpy(), folds, seed):
        held = y.copy()
        held[coded_idx[test]] = UNLABELLED          # read like the uncoded segments: the text, not the codes
        tables.append(_machine(signals, units, held, coded_idx[test], seed, final=False))
    uncoded = np.flatnonzero(~is_coded)
    if len(uncoded):
        # the coder of the uncoded segments learns from every human code: the one trained_coder gives, so it is
        # kept for `codesign analyse` (which reads sentences with it) and classify
        tables.append(_machine(signals, units, y, uncoded, seed, final=True,
                               keep=lambda coder: _save_coder(project, coder, seed)))
    elif project.reference_coding_path is not None:
        trained_coder(project, cache, seed)       # every segment is human-coded: trained for analyse here
    tables.append(_subcodes(codebook, units, pd.concat(tables, ignore_index=True), human_subcoded))
    codings = pd.concat([t for t in tables if len(t)], ignore_index=True).reindex(columns=CODINGS_COLUMNS)
    codings["final"] = codings["final"].astype(bool)
    codings["confidence"] = codings["confidence"].astype(float)
    codings = codings.sort_values(["segment_id", "source", "code"], kind="stable").reset_index(drop=True)
    timings = {"nlp_s": t1 - t0, "coding_s": time.perf_counter() - t1,
               "cache_hits": cache.hits, "cache_misses": cache.misses}
    _write(project, codings)
    return CodingResult(codings, len(units), int(is_coded.sum()), timings)


def cross_fit_folds(groups: np.ndarray, folds: int = 5, seed: int = 0) -> list[np.ndarray]:
    """Test positions of the cross-fitting: whole sources per fold (scikit-learn's ``GroupKFold``); the units
    themselves when they come from a single source; none for fewer than two units."""
    from sklearn.model_selection import GroupKFold, KFold

    if len(groups) < 2:
        return []
    n_groups = len(set(groups))
    if n_groups >= 2:
        splitter = GroupKFold(min(folds, n_groups))
        return [test for _, test in splitter.split(groups, groups=groups)]
    return [test for _, test in KFold(min(folds, len(groups)), shuffle=True, random_state=seed).split(groups)]


def _machine(signals: CodebookSignals, units, y, test, seed, final, keep=None):
    from codesign.coding.model import ThemeCoder, codings_table

    coder = ThemeCoder(signals).fit(units, y)
    if keep is not None:
        keep(coder)
    test_units = [units[i] for i in test]
    probabilities = coder.predict_proba(test_units)
    table = codings_table(test_units, probabilities, (probabilities >= coder.thresholds_).astype(int), coder)
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


@functools.lru_cache(maxsize=1)
def coder_source_digest() -> str:
    """A digest of the coder's own source (``codesign/coding/`` and ``codesign/nlp/``): part of the cached
    model's key, so a changed coder never serves a model trained by an older one."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted([*(package / "coding").glob("*.py"), *(package / "nlp").glob("*.py")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def model_key(project: Project, seed: int = 0) -> str:
    """The cached model's key: codesign's version, ``MODEL_FORMAT``, the coder's source, the segment table,
    the codebook and the reference coding (when there is one)."""
    from codesign._version import __version__

    digest = hashlib.sha256(f"{__version__}/{MODEL_FORMAT}/{coder_source_digest()}/{seed}".encode())
    for path in (project.build_dir / "segments.parquet", project.codebook_path, project.reference_coding_path):
        digest.update(path.read_bytes() if path is not None and path.is_file() else b"-")
    return digest.hexdigest()[:16]


def trained_coder(project: Project, cache: DocCache | None = None, seed: int = 0) -> ThemeCoder:
    """A coder trained on the project (its codebook, its segments and every human code there is), cached on disk.

    The cache key (:func:`model_key`) covers the inputs and the coder's own source, so a changed input or coder
    retrains and an unchanged one loads in a moment."""
    import pickle

    from codesign.coding.model import ThemeCoder, codebook_signals, prepare_units

    cache = cache or doc_cache(project)
    segments_path = project.build_dir / "segments.parquet"
    if not segments_path.is_file():
        raise CodesignError(f"{segments_path} not found: run `codesign ingest {project.root}` first")
    if project.codebook_path is None:
        raise CodesignError(f"{project.config_path}: the coder needs `codebook:`")
    model_path = _coder_path(project, seed)
    if model_path.is_file():
        with model_path.open("rb") as handle:
            return pickle.load(handle)
    codebook = load_codebook(project.codebook_path)
    codes = coding_codes(codebook)
    units = prepare_units(coded_segments(project), cache)
    coder = ThemeCoder(codebook_signals(codebook, codes, cache)).fit(units, project_labels(project, units,
                                                                                                      codes))
    _save_coder(project, coder, seed)
    return coder


def _coder_path(project: Project, seed: int = 0) -> Path:
    return project.cache_dir / "models" / f"coder-{model_key(project, seed)}.pickle"


def _save_coder(project: Project, coder: ThemeCoder, seed: int = 0) -> None:
    """Cache ``coder`` where :func:`trained_coder` looks for it (written whole, then renamed)."""
    import pickle

    model_path = _coder_path(project, seed)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = model_path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        pickle.dump(coder, handle)
    tmp.replace(model_path)


def classify(project: Project | str | None, items: list[tuple[str, str]], themes_only: bool = True
             ) -> list[tuple[str, list[str]]]:
    """Codes for free texts from the project's trained coder (the texts are not kept anywhere).

    Parameters
    ----------
    project : Project, path or None
        An ingested project with a codebook; its human codes, if any, train the coder too.
    items : list of (id, text)
    themes_only : bool
        Only the themes (default), or every code the coder gives.

    Returns
    -------
    list of (id, list of codes), in the order of ``items``
    """
    from codesign.coding.model import CODED_ROLE, prepare_units

    project = load_project(project)
    cache = doc_cache(project)
    coder = trained_coder(project, cache)
    frame = pd.DataFrame({"segment_id": [i for i, _ in items], "text": [t for _, t in items], "prompt": None,
                          "source_id": "input", "turn": range(len(items)), "speaker_role": CODED_ROLE})
    if not items:
        return []
    units = prepare_units(frame, cache, remember=False)   # input text is never written to the cache
    decisions = coder.predict(units)
    keep = set(coder.signals.codebook.themes) if themes_only else set(coder.codes)
    return [(i, [c for c, v in zip(coder.codes, row) if v and c in keep]) for (i, _), row in zip(items, decisions)]
