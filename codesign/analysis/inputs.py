"""What the analytics read: the participants' segments with their final codes, the codebook, the
programme's themes and goals, the survey tables, and each segment's lemmas and content-word vector."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from codesign.coding.codebook import Codebook, load_codebook
from codesign.core.errors import InputError
from codesign.core.programme import Theme, load_programme
from codesign.core.project import Project
from codesign.sources.segments import interviewer_questions

#: Parts of speech whose lemmas describe a topic.
TOPIC_POS = {"NOUN", "PROPN", "ADJ", "VERB"}
_WORD = re.compile(r"^[a-zåäö][a-zåäö-]*[a-zåäö]$")
#: Pseudonymisation placeholders ([HENKILÖ-3]) are not words of a topic.
PLACEHOLDER_WORDS = {"henkilö", "yritys", "puhelin", "sähköposti", "hetu"}


@dataclass
class AnalysisInputs:
    """Plain data for every analysis step; ``segments`` holds only participants' segments."""
    segments: pd.DataFrame            # segments.parquet rows (participants) + `codes` (frozenset of final codes)
    codebook: Codebook
    themes: list[Theme]               # the programme's themes with their goals (codesign.core.programme)
    alternatives: list
    rankings: pd.DataFrame | None = None
    likert: pd.DataFrame | None = None
    respondents: pd.DataFrame | None = None
    lemmas: list[list[str]] | None = None     # per segment: content lemmas (topic vocabulary)
    lemma_sets: list[frozenset] | None = None  # per segment: every lemma / base form (signal matching)
    lemma_seqs: list[list[frozenset]] | None = None  # per segment: each word's lemma set, in order
    vectors: np.ndarray | None = None          # per segment: unit content-word vector
    questions: list | None = None              # per segment: (lemma set, vector) of the interviewer's preceding
                                               # questions, nearest first (interviews; empty elsewhere)
    vectorise: object = None                   # text -> unit vector (for goal texts)
    topic_vectors: np.ndarray | None = None    # per segment: rarity-weighted content vector (topic embedding)
    describe: object = None                    # texts -> [(content lemmas, unit vector)] (sentence units)

    @property
    def theme_ids(self) -> list[str]:
        return self.codebook.themes

    def subcodes(self, theme: str) -> list:
        return [c for c in self.codebook.children(theme) if c.kind == "subcode"]


def human_coded_ids(project: Project, codings: pd.DataFrame) -> set[str]:
    """The segments with a human coding: those the reference coding covers (also where it gives no code) and
    those with human rows in the codings."""
    ids = set(codings.loc[codings["source"] == "human", "segment_id"].astype(str))
    if project.reference_coding_path is not None and project.reference_coding_path.is_file():
        from codesign.coding.agreement import read_coding

        ids |= set(read_coding(project.reference_coding_path)["segment_id"].astype(str))
    return ids


def read_inputs(project: Project, with_nlp: bool = True) -> AnalysisInputs:
    """Read ``build/`` (segments, codings, survey tables), the codebook and the programme."""
    build = project.build_dir
    needed = {"segments.parquet": "codesign ingest", "codings.parquet": "codesign code"}
    for name, command in needed.items():
        if not (build / name).is_file():
            raise InputError(build / name, "not found: the analytics read the ingested and coded segments",
                             hint=f"run `codesign ingest {project.root}` and then `codesign code {project.root}` first"
                             if name == "segments.parquet" else f"run `{command} {project.root}` first")
    if project.codebook_path is None or project.programme_path is None:
        raise InputError(project.config_path, "the analytics need `codebook:` and `programme:` in project.yml",
                         hint="name the codebook and the programme files (see docs/project.md)")
    segments = pd.read_parquet(build / "segments.parquet")
    codings = pd.read_parquet(build / "codings.parquet")
    segments["questions"] = interviewer_questions(segments)
    segments = segments[segments["speaker_role"] == "participant"].reset_index(drop=True)
    from codesign.coding.step import final_code_sets  # here: the coder imports scikit-learn (slow to load)

    codes = final_code_sets(codings)
    segments["codes"] = [codes.get(s, frozenset()) for s in segments["segment_id"]]
    segments["human_coded"] = segments["segment_id"].isin(human_coded_ids(project, codings))
    survey = {}
    for name in ("survey_rankings", "survey_likert", "respondents"):
        path = build / f"{name}.parquet"
        survey[name] = pd.read_parquet(path) if path.is_file() else None
    programme = load_programme(project.validated_programme_path)
    inputs = AnalysisInputs(segments, load_codebook(project.codebook_path), programme.themes,
                            list(project.alternatives), survey["survey_rankings"], survey["survey_likert"],
                            survey["respondents"])
    if with_nlp:
        add_nlp(inputs, project)
    return inputs


def add_nlp(inputs: AnalysisInputs, project: Project | None = None, nlp_cache=None) -> AnalysisInputs:
    """Lemmas and content-word vectors of every segment, from the coder's cached Finnish pipeline."""
    from codesign.coding.model import content_vector
    from codesign.coding.step import CODER_EXCLUDE, doc_cache
    from codesign.nlp.finnish import DocCache, words
    from codesign.nlp.pipeline import load_pipeline

    cache = nlp_cache or (doc_cache(project) if project is not None else DocCache(load_pipeline(CODER_EXCLUDE), None))
    docs = cache.process(list(inputs.segments["text"].astype(str)))
    lemmas, sets, seqs, vectors = [], [], [], []
    for doc in docs:
        ws = words(doc)
        seqs.append([w.lemmas | {w.lemma} for w in ws])
        sets.append(_lemma_set(ws))
        lemmas.append(_content_lemmas(ws))
        vectors.append(content_vector(doc))
    inputs.lemmas, inputs.lemma_sets, inputs.lemma_seqs = lemmas, sets, seqs
    inputs.vectors = np.vstack(vectors) if vectors else np.zeros((0, 300))
    if "questions" in inputs.segments.columns:
        questions = [list(q) if isinstance(q, (list, tuple, np.ndarray)) else [] for q in inputs.segments["questions"]]
        unique = sorted({t for qs in questions for t in qs})
        qdocs = dict(zip(unique, cache.process(unique))) if unique else {}
        qinfo = {t: (_lemma_set(words(d)), content_vector(d)) for t, d in qdocs.items()}
        inputs.questions = [[qinfo[t] for t in qs] for qs in questions]

    def vectorise(text: str) -> np.ndarray:
        return content_vector(cache.process([text], remember=False)[0])

    inputs.vectorise = vectorise
    # topic embeddings: content words weighted by their rarity in the corpus (smooth inverse frequency,
    # Arora et al. 2017), so a segment's distinctive words — sähkökatko, varavoima — are not drowned by the
    # words every segment shares
    counts: dict[str, int] = {}
    for doc in docs:
        for t in doc:
            if t.pos_ in CONTENT_POS and t.has_vector:
                counts[t.lemma_] = counts.get(t.lemma_, 0) + 1
    total = max(1, sum(counts.values()))
    inputs.topic_vectors = np.vstack([rarity_vector(d, counts, total) for d in docs]) if docs else inputs.vectors

    def describe(texts: list[str]) -> list[tuple[list[str], np.ndarray]]:
        """(content lemmas, topic vector) of each text, like the segments' (remembered in the doc cache)."""
        return [(_content_lemmas(words(doc)), rarity_vector(doc, counts, total)) for doc in cache.process(texts)]

    inputs.describe = describe
    return inputs


CONTENT_POS = ("NOUN", "PROPN", "ADJ", "VERB")
SIF_A = 1e-3


def rarity_vector(doc, counts: dict[str, int], total: int) -> np.ndarray:
    """Unit mean of the content words' vectors, each weighted a / (a + p(lemma)) (p: corpus frequency)."""
    pairs = [(t.vector, SIF_A / (SIF_A + counts.get(t.lemma_, 0) / total)) for t in doc
             if t.pos_ in CONTENT_POS and t.has_vector]
    if not pairs:
        vec = doc.vector
    else:
        vec = np.average(np.vstack([v for v, _ in pairs]), axis=0, weights=[w for _, w in pairs])
    norm = np.linalg.norm(vec)
    return vec / norm if norm else vec


def _content_lemmas(ws) -> list[str]:
    return [lem for w in ws if w.pos in TOPIC_POS and (lem := topic_lemma(w)) and _WORD.match(lem)
            and lem not in PLACEHOLDER_WORDS]


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentence_units(text: str, unit_words: int) -> list[str]:
    """A long text cut at sentence ends into consecutive units of at least ``unit_words`` words (the last
    short remainder joins the unit before it); a text under twice that length stays whole."""
    if len(text.split()) < 2 * unit_words:
        return [text]
    units, current = [], []
    for sentence in _SENTENCE_END.split(text.strip()):
        current.append(sentence)
        if len(" ".join(current).split()) >= unit_words:
            units.append(" ".join(current))
            current = []
    if current:
        if units and len(" ".join(current).split()) < unit_words:
            units[-1] = units[-1] + " " + " ".join(current)
        else:
            units.append(" ".join(current))
    return units


def _lemma_set(ws) -> frozenset:
    """Every lemma, Voikko base form and compound part of a text's words (what signals are matched on)."""
    return frozenset().union(*(w.lemmas | {w.lemma} for w in ws), *(w.parts for w in ws)) if ws else frozenset()


def topic_lemma(word) -> str | None:
    """The base form a topic is described by: Voikko's (through the written form of a spoken word), the
    pipeline's lemma where Voikko agrees or for proper nouns; None for words Voikko does not know (spoken
    fillers such as ``tiiä`` would otherwise label topics)."""
    from codesign.nlp.finnish import base_forms

    bases = base_forms(word.text)
    if word.lemma in bases or (not bases and word.pos == "PROPN"):
        return word.lemma
    return bases[0] if bases else None


def signal_hits(seq: list[frozenset], signals, anchors: frozenset | None = None, window: int = 8) -> list[str]:
    """The signals (single lemmas or space-separated lemma sequences) found in a segment's lemma sequence.

    A sequence matches consecutive words; ``ei X`` also matches with one word between (``ei ole realistinen``).
    With ``anchors``, a signal counts only within ``window`` words of a word with one of those lemmas (a
    stance word about the goal, not about something else the segment mentions).
    """
    near = None
    if anchors is not None:
        near = [i for i, w in enumerate(seq) if w & anchors]
    found = []
    for signal in signals:
        parts = signal.split()
        for i, w in enumerate(seq):
            if parts[0] not in w:
                continue
            gap = 2 if parts[0] == "ei" else 1
            j, ok = i, True
            for part in parts[1:]:
                window_words = seq[j + 1: j + 1 + gap]
                hit = next((k for k, x in enumerate(window_words) if part in x), None)
                if hit is None:
                    ok = False
                    break
                j = j + 1 + hit
            if ok and (near is None or any(i - window <= a <= j + window for a in near)):
                found.append(signal)
                break
    return found
