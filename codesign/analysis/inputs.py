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
    docs: list | None = None                   # per segment: its spaCy doc (the coder's cached pipeline)
    sentence_vectors: object = None            # (sentence spans, their frame) -> embeddings (topics.py)
    word_vector: object = None                 # base form -> unit floret vector (topic words, no NLP pass)
    lemmatise: object = None                   # texts -> their lemmas, base forms and compound parts
    coder: object = None                       # the project's trained theme coder (None: no reference coding)
    redact: object = None                      # text -> text with every name the leak gate would find replaced
    process: object = None                     # texts -> spaCy docs (the coder's cached pipeline)
    goal_coding: pd.DataFrame | None = None    # a human goal-evidence coding (project.yml goal_evidence:)
    goal_coding_path: str | None = None
    goal_links: pd.DataFrame | None = None     # measured goal links (codesign.analysis.goals.measure_links)

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


def read_inputs(project: Project, with_nlp: bool = True, with_coder: bool = True) -> AnalysisInputs:
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
    # the goal models follow a chain of follow-up questions back to the one that presented a goal
    segments["context_questions"] = interviewer_questions(segments, depth=4)
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
    from codesign.privacy.leakcheck import redactor

    inputs.redact = redactor(project)
    if project.goal_evidence_path is not None:
        from codesign.analysis.goals import read_goal_coding

        inputs.goal_coding = read_goal_coding(project.goal_evidence_path, [g.id for g in programme.goals],
                                              set(segments["segment_id"]))
        inputs.goal_coding_path = str(project.goal_evidence_path)
    if with_nlp:
        add_nlp(inputs, project)
        if with_coder and project.reference_coding_path is not None:
            from codesign.coding.step import doc_cache, trained_coder

            # the coder `codesign code` trained on every human-coded segment (cached on disk): it says which
            # sentences of a turn carry a theme (codesign.analysis.topics)
            inputs.coder = trained_coder(project, doc_cache(project))
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
    inputs.process = cache.process
    lemma_counts: dict[str, int] = {}
    for doc in docs:
        for t in doc:
            if t.pos_ in CONTENT_POS and t.has_vector:
                lemma = topic_base(t)
                lemma_counts[lemma] = lemma_counts.get(lemma, 0) + 1
    lemma_total = max(1, sum(lemma_counts.values()))
    vocab = cache.nlp.vocab

    def sentence_vectors(spans, frame=None) -> np.ndarray:
        """Sentence embeddings: the content words' base-form vectors, weighted by rarity (topics.py)."""
        from codesign.analysis.topics import SENTENCE_SIF

        out = [base_form_vector(span, vocab, lemma_counts, lemma_total, SENTENCE_SIF) for span in spans]
        return np.vstack(out) if out else np.zeros((0, vocab.vectors_length))

    def word_vector(word: str) -> np.ndarray:
        """A base form's floret vector (the vectors the sentence embeddings are made of), unit length."""
        vec = np.asarray(vocab.get_vector(word), dtype=float)
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def lemmatise(texts: list[str]) -> list[frozenset]:
        """Every lemma, base form and compound part of texts that are not the corpus (the codebook's, the
        programme's): ``luontomatkailu`` also gives ``luonto`` and ``matkailu``."""
        return [_lemma_set(words(doc)) for doc in cache.process(list(texts), remember=False)]

    inputs.docs = docs
    inputs.sentence_vectors = sentence_vectors
    inputs.word_vector = word_vector
    inputs.lemmatise = lemmatise
    return inputs


CONTENT_POS = ("NOUN", "PROPN", "ADJ", "VERB")


def base_form_vector(span, vocab, counts: dict[str, int], total: int, a: float) -> np.ndarray:
    """Unit mean of the vectors of a span's content words in base form, each weighted a / (a + p(base form))."""
    pairs = [(vocab[b].vector, a / (a + counts.get(b, 0) / total)) for t in span
             if t.pos_ in CONTENT_POS and t.has_vector and (b := topic_base(t))]
    if not pairs:
        vec = span.vector
    else:
        vec = np.average(np.vstack([v for v, _ in pairs]), axis=0, weights=[w for _, w in pairs])
    norm = np.linalg.norm(vec)
    return vec / norm if norm else vec


def topic_base(token) -> str:
    """A token's base form for embedding: Voikko's first base form, else the pipeline's lemma (casefolded)."""
    from codesign.nlp.finnish import base_forms

    bases = base_forms(token.text)
    lemma = token.lemma_.casefold()
    return lemma if lemma in bases or not bases else bases[0]


def phrase_word(token, base: bool) -> str | None:
    """A word of a noun phrase: its base form (``base``) or its written form, casefolded (a proper noun keeps its
    capital); None for a word Voikko does not know (a spoken filler) or that is not a word."""
    from codesign.nlp.finnish import base_forms

    if not base_forms(token.text) and token.pos_ != "PROPN":
        return None
    text = topic_base(token) if base else token.text.casefold()
    if not _WORD.match(text.casefold()):
        return None
    return text[0].upper() + text[1:] if token.pos_ == "PROPN" else text


def content_lemmas(ws) -> list[str]:
    """The topic vocabulary of a text's words (``words``): base forms of nouns, adjectives and verbs."""
    return _content_lemmas(ws)


def _content_lemmas(ws) -> list[str]:
    return [lem for w in ws if w.pos in TOPIC_POS and (lem := topic_lemma(w)) and _WORD.match(lem)
            and lem not in PLACEHOLDER_WORDS]


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
