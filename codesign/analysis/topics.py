"""Emergent topics: topics of sentences, not of whole turns, judged against the codebook sentence by sentence.

A concern the programme does not cover is often an aside of one sentence in a long interview answer about
something else. So the unit is the sentence (``codesign.core.text.sentence_spans``, offsets kept so every quote points
into ``build/sources/<source>.txt``):

1. **Sentence units.** Each participant segment is cut into sentences; a sentence with fewer than
   ``min_words`` content words is not modelled. Its embedding is the mean of its content words' *base-form*
   floret vectors (one vector per lemma, so inflected forms do not scatter it), each weighted by its rarity in
   the corpus (smooth inverse frequency a / (a + p), a = ``SENTENCE_SIF``).
2. **Which sentences carry a theme.** A sentence carries theme T when the project's trained coder gives it T
   (probability at T's threshold) *and* a word of T's lexicon (or of one of its subcodes) is in it; without a
   trained coder (no reference coding), the lexicon alone decides. A turn coded T2 may hold one sentence on
   something no theme covers: that sentence carries no theme.
3. **Topics in two pools.** Sentences that carry a theme and sentences that carry none are clustered apart
   (BERTopic: UMAP + HDBSCAN on the precomputed embeddings, c-TF-IDF over base forms), so an aside meets the
   same aside of other people instead of the talk around it.
4. **Stability.** The pool of sentences carrying no theme is fitted with ``topic_runs`` seeds (``seed``,
   ``seed`` + 1, …); the topics reported are those of the first fit, each with ``persistence``: the share of the
   fits in which a matching cluster appears (one that holds at least half of the topic's sentences, and at
   least half of whose sentences are the topic's). Same inputs and parameters → same tables.
5. **Emergent candidate** = a topic of the no-theme pool, voiced by at least ``emergent_min_participants`` (scaled)
   known participants — or by as many voices in at least two stages, each anonymous note or answer one voice —
   with ``persistence ≥ emergent_min_persistence``, coherent, and not small talk (``emergent_min_coded``).
   The candidates are ranked by :func:`novelty` (new words shared by several voices) and the first
   ``emergent_max_topics`` are **emergent**: a handful to read, not dozens.
6. **Labels a person reads**: the topic's most representative noun phrases in base form (Voikko), e.g.
   "vanha perinne, oma kulttuuri", and its most typical sentence (nearest the topic's centroid).

A segment belongs to every topic one of its sentences belongs to (``segment_ids``); ``topic_assignments``
keeps one row per segment with the topic most of its sentences belong to (what the turn is about).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from codesign.analysis.columns import ASSIGNMENT_COLUMNS, SENTENCE_COLUMNS, TOPIC_COLUMNS
from codesign.analysis.inputs import AnalysisInputs
from codesign.analysis.params import AnalysisParams

EXTRA_COLUMNS = ["best_theme", "best_theme_overlap", "nearest_theme", "nearest_theme_similarity", "coherence",
                 "n_interviewees", "stages", "no_theme_share", "coded_share",
                 "n_sentences", "n_voices", "pool", "persistence", "label_phrases", "typical_sentence",
                 "typical_segment_id", "typical_source_id", "typical_start", "typical_end",
                 "novelty", "new_words", "emergent_candidate", "emergent_rank"]
#: Added after the contract columns of ``topic_sentences``.
SENTENCE_EXTRA = ["goal_talk", "contact"]
#: Smooth-inverse-frequency constant of the sentence embeddings (a / (a + p(lemma))). Chosen among 1e-3, 3e-3,
#: 1e-2 and 3e-2 on the independent test material (docs/topics.md), so its figure there is optimistic.
SENTENCE_SIF = 1e-2
#: Parts of speech whose words make a sentence's embedding and its topic words.
CONTENT_POS = ("NOUN", "PROPN", "ADJ", "VERB")
POOLS = ("theme", "no_theme")


def stop_words(params: AnalysisParams) -> list[str]:
    from spacy.lang.fi.stop_words import STOP_WORDS

    return sorted(set(STOP_WORDS) | set(params.stop_words))


def scaled_sizes(n_docs: int, n_participants: int, params: AnalysisParams) -> dict[str, int]:
    """The size thresholds for a corpus of this size: each a share of the corpus with an absolute floor, so
    that ten times the material does not give ten times the topics."""
    min_cluster = max(params.min_topic_size, round(params.min_topic_share * n_docs))
    return {"min_cluster_size": min_cluster,
            "min_samples": max(params.min_samples, round(min_cluster * params.min_samples / params.min_topic_size)),
            "umap_neighbors": max(params.umap_neighbors, min_cluster),
            "emergent_min_participants": max(params.emergent_min_participants,
                                             round(params.emergent_min_participant_share * n_participants))}


@functools.lru_cache(maxsize=1)
def _umap_class():
    """UMAP, with numba's on-disk cache turned on for its compiled functions that do not ask for it.

    UMAP declares most of its numba functions without ``cache=True``, so every process compiled them again:
    about 15 s of each analysis here (the fit itself takes under a second). With the cache, the first process
    on a machine compiles and writes them beside UMAP's code (``__pycache__``), the next ones load them."""
    import umap.layouts
    import umap.umap_
    import umap.utils
    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    for module in (umap.umap_, umap.utils, umap.layouts):
        for value in list(vars(module).values()):
            if isinstance(value, Dispatcher) and isinstance(value._cache, NullCache):
                value.enable_caching()
    return umap.UMAP


class CosineUMAP:
    """UMAP with cosine distances computed once by numpy and given as a precomputed matrix.

    The pools are small (at most a few thousand sentences), where UMAP computes every pairwise distance; with
    ``metric="cosine"`` it does so through a Python-level callable (half a minute for 1,000 sentences on the
    shared machine), the same matrix numpy gives in milliseconds. ``transform`` is not needed (no new documents
    are assigned after the fit)."""

    def __init__(self, **kwargs) -> None:
        self.model = _umap_class()(metric="precomputed", **kwargs)

    @staticmethod
    def distances(embeddings: np.ndarray) -> np.ndarray:
        x = np.asarray(embeddings, dtype=np.float64)
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        x = x / np.where(norms > 0, norms, 1.0)
        d = np.clip(1.0 - x @ x.T, 0.0, 2.0)
        np.fill_diagonal(d, 0.0)
        return d

    def fit(self, embeddings: np.ndarray, y=None) -> "CosineUMAP":
        self.embedding_ = self.model.fit_transform(self.distances(embeddings))
        return self

    def fit_transform(self, embeddings: np.ndarray, y=None) -> np.ndarray:
        return self.fit(embeddings).embedding_

    def transform(self, embeddings: np.ndarray) -> np.ndarray:
        if len(embeddings) == len(self.embedding_):
            return self.embedding_       # BERTopic asks for the fitted documents' reduction after the fit
        raise NotImplementedError("topics are fitted once; new sentences are not reduced")


def _models(n: int, params: AnalysisParams, sizes: dict, seed: int):
    from hdbscan import HDBSCAN

    umap_model = CosineUMAP(n_neighbors=max(2, min(sizes["umap_neighbors"], n - 1)),
                            n_components=max(2, min(params.umap_components, n - 2)), min_dist=0.0,
                            random_state=seed, init="random" if n < 50 else "spectral", n_jobs=1)
    hdbscan_model = HDBSCAN(min_cluster_size=sizes["min_cluster_size"], min_samples=sizes["min_samples"],
                            metric="euclidean", cluster_selection_method=params.cluster_selection,
                            prediction_data=False)
    return umap_model, hdbscan_model


def fit_topics(lemma_docs: list[str], embeddings: np.ndarray, params: AnalysisParams, sizes: dict | None = None,
               seed: int | None = None):
    """BERTopic on lemma strings with precomputed embeddings → (topic per doc, probability per doc, model)."""
    try:
        from bertopic import BERTopic
    except ImportError as exc:
        from codesign.core.errors import SetupError

        raise SetupError(f"BERTopic is not installed ({exc}).\n  Install it without its unused torch stack: "
                         "pip install --no-deps -c requirements/constraints.txt bertopic   "
                         "(`make env` does it for you)") from exc
    from sklearn.feature_extraction.text import CountVectorizer

    n = len(lemma_docs)
    sizes = sizes or scaled_sizes(n, 0, params)
    umap_model, hdbscan_model = _models(n, params, sizes, params.seed if seed is None else seed)
    vectorizer = CountVectorizer(token_pattern=r"[^\s]+", stop_words=stop_words(params), min_df=1,
                                 lowercase=False)
    model = BERTopic(embedding_model=None, umap_model=umap_model, hdbscan_model=hdbscan_model,
                     vectorizer_model=vectorizer, language="multilingual", top_n_words=params.label_candidates,
                     calculate_probabilities=False, verbose=False)
    topics, probabilities = model.fit_transform(lemma_docs, embeddings=embeddings)
    probabilities = np.asarray(probabilities if probabilities is not None else np.ones(n), dtype=float)
    return np.asarray(topics), probabilities, model


def refit_labels(embeddings: np.ndarray, params: AnalysisParams, sizes: dict, seed: int) -> np.ndarray:
    """The cluster labels of one more fit of the same models with another seed (for ``persistence``)."""
    umap_model, hdbscan_model = _models(len(embeddings), params, sizes, seed)
    return np.asarray(hdbscan_model.fit_predict(umap_model.fit_transform(embeddings)))


def persistence(labels: np.ndarray, runs: list[np.ndarray]) -> dict[int, float]:
    """Per cluster of ``labels``: the share of ``runs`` with a matching cluster — one holding at least half of
    the cluster's members, at least half of whose own members are the cluster's."""
    out = {}
    for topic in sorted(set(labels) - {-1}):
        members = labels == topic
        found = 0
        for run in runs:
            values, counts = np.unique(run[members & (run >= 0)], return_counts=True)
            if len(values):
                best = values[np.argmax(counts)]
                shared = counts.max()
                found += shared >= members.sum() / 2 and shared >= (run == best).sum() / 2
        out[int(topic)] = found / len(runs) if runs else 1.0
    return out


# --- sentence units ------------------------------------------------------------------------------------

@dataclass
class SentenceUnits:
    """The modelled sentences: ``frame`` (one row each: ``row`` of the segment in ``inputs.segments``,
    ``segment_id``, ``source_id``, ``start``/``end`` in the source text, ``sentence``, ``lemmas``, ``themes``
    (frozenset) and ``phrases``) and their embeddings."""
    frame: pd.DataFrame
    vectors: np.ndarray


def sentence_units(inputs: AnalysisInputs, params: AnalysisParams) -> SentenceUnits:
    """Cut every segment into sentences, describe and embed them, and mark the themes each carries."""
    from codesign.analysis.inputs import content_lemmas
    from codesign.core.text import sentence_spans
    from codesign.nlp.finnish import words

    seg = inputs.segments
    texts = seg["text"].astype(str).tolist()
    docs = inputs.docs if inputs.docs is not None else [None] * len(texts)
    starts = seg["start"].tolist() if "start" in seg.columns else [None] * len(texts)
    sources = seg["source_id"].tolist() if "source_id" in seg.columns else [None] * len(texts)
    rows, spans = [], []
    for i, (text, doc) in enumerate(zip(texts, docs)):
        for k, (a, b) in enumerate(sentence_spans(text), start=1):
            span = doc.char_span(a, b, alignment_mode="expand") if doc is not None else None
            lemmas = content_lemmas(words(span)) if span is not None else text[a:b].split()
            if len(lemmas) < params.min_words:
                continue
            offset = starts[i]
            rows.append({"row": i, "sentence_id": f"{seg['segment_id'].iloc[i]}:{k}",
                         "segment_id": seg["segment_id"].iloc[i], "source_id": sources[i],
                         "start": (int(offset) + a) if offset is not None and offset == offset else a,
                         "end": (int(offset) + b) if offset is not None and offset == offset else b,
                         "sentence": text[a:b], "lemmas": lemmas})
            spans.append(span)
    frame = pd.DataFrame(rows, columns=["row", "sentence_id", "segment_id", "source_id", "start", "end", "sentence",
                                        "lemmas"])
    if inputs.sentence_vectors is not None:
        vectors = inputs.sentence_vectors(spans, frame)
    else:   # plain data (tests): the segment's vector
        vectors = np.vstack([inputs.vectors[i] for i in frame["row"]]) if len(frame) else np.zeros((0, 1))
    frame["themes"], frame["goal_talk"] = sentence_codes(inputs, spans, frame)
    frame["contact"] = frame["sentence"].map(gives_contact)
    frame["phrases"] = [noun_phrases(s) if s is not None else [] for s in spans]
    return SentenceUnits(frame, vectors)


def sentence_codes(inputs: AnalysisInputs, spans: list, frame: pd.DataFrame) -> tuple[list, list]:
    """The themes each sentence carries, and whether it talks about the programme's goals.

    A theme: given by the coder *and* signalled by a word of the theme's (or its subcodes') lexicon; the lexicon
    alone without a trained coder; the segment's final themes for plain data. Goal talk: the sentence names a
    goal (``T4.G1``), or carries the goal-talk code (``GOAL_CODE``: a goal, target or measure) by the same rule —
    the codebook covers such talk, so it is no emergent concern."""
    from codesign.analysis.validation import GOAL_CODE, GOAL_ID

    themes = inputs.theme_ids
    if not len(frame):
        return [], []
    named = [bool(GOAL_ID.search(text)) for text in frame["sentence"]]
    if all(s is None for s in spans):
        return ([frozenset(inputs.segments["codes"].iloc[i]) & set(themes) for i in frame["row"]],
                [n or GOAL_CODE in inputs.segments["codes"].iloc[i] for n, i in zip(named, frame["row"])])
    from codesign.coding.model import LexiconMatcher, Unit, content_vector
    from codesign.nlp.finnish import words

    subcodes = {c: t for t in themes for c in [s.id for s in inputs.subcodes(t)]}
    goal = [GOAL_CODE] if GOAL_CODE in inputs.codebook.codes else []
    codes = themes + list(subcodes) + goal
    matcher = LexiconMatcher(inputs.codebook, codes)
    units = [Unit(sid, text, words(span), [], content_vector(span))
             for sid, text, span in zip(frame["sentence_id"], frame["sentence"], spans)]
    lexical = [{subcodes.get(c, c) for c, h in zip(codes, matcher.matches(unit.words)) if h} for unit in units]
    coder = inputs.coder
    if coder is not None:
        given = coder.predict(units)
        by_code = {c: k for k, c in enumerate(coder.codes)}
        lexical = [{t for t in lex if t in by_code and given[i, by_code[t]]} for i, lex in enumerate(lexical)]
    return ([frozenset(lex) - set(goal) for lex in lexical],
            [n or bool(set(goal) & lex) for n, lex in zip(named, lexical)])


def gives_contact(sentence: str) -> bool:
    """The sentence gives a phone number or an e-mail address (pseudonymised: ``[PUHELIN]``, ``[SÄHKÖPOSTI]``):
    how to reach someone, which closes many an interview and is no concern."""
    from codesign.privacy.pseudonymise import KINDS

    return any(f"[{KINDS[kind]}" in sentence for kind in ("phone", "email"))


def noun_phrases(span) -> list[str]:
    """Noun phrases of a sentence in base form: a noun (or proper noun) with the adjectives and genitive
    attributes before it, at most three words — the head and agreeing adjectives in Voikko's base form, a
    genitive attribute as it is (``kirkonkylän vanha rakennuskanta``, ``paikallisen kulttuuriperinnön
    vaaliminen``)."""
    from codesign.analysis.inputs import PLACEHOLDER_WORDS, phrase_word

    out, run = [], []
    tokens = [t for t in span if not t.is_space]
    for k, token in enumerate(tokens + [None]):
        if token is not None and token.pos_ in ("ADJ", "NOUN", "PROPN") and not token.is_punct:
            run.append(token)
            continue
        while run and run[-1].pos_ == "ADJ":
            run.pop()
        if run:
            head = run[-1]
            for size in range(1, min(3, len(run)) + 1):
                part = run[-size:]
                case = head.morph.get("Case")
                forms = []
                for t in part:
                    agree = t is head or (t.pos_ == "ADJ" and t.morph.get("Case") == case)
                    forms.append(phrase_word(t, base=agree))
                if all(forms) and not (set(forms) & PLACEHOLDER_WORDS) and len(forms[-1]) > 2:
                    out.append(" ".join(forms))
        run = []
    return list(dict.fromkeys(out))


# --- topics --------------------------------------------------------------------------------------------

def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v)
    return v / norm if norm else v


def code_centroids(inputs: AnalysisInputs, codes: list[str]) -> dict[str, np.ndarray]:
    """Mean content vector of the segments finally coded with each code (the code's definition if none)."""
    out = {}
    for code in codes:
        mask = np.array([code in c for c in inputs.segments["codes"]])
        if mask.any():
            out[code] = _unit(inputs.vectors[mask].mean(0))
        elif inputs.vectorise is not None:
            out[code] = inputs.vectorise(inputs.codebook[code].definition)
    return out


def rerank_terms(candidates: list[str], centroid: np.ndarray, word_vector, params: AnalysisParams) -> list[str]:
    """The topic's words: the c-TF-IDF candidates re-ranked by Maximal Marginal Relevance — close to the
    topic's centroid (KeyBERT-like), yet unlike the words already chosen (``label_diversity``), so a label
    is not three near-synonyms nor a frequent word that says nothing of the topic."""
    if not candidates:
        return []
    vectors = np.vstack([word_vector(w) for w in candidates])
    relevance = vectors @ centroid
    chosen = [int(np.argmax(relevance))]
    while len(chosen) < min(params.top_terms, len(candidates)):
        rest = [k for k in range(len(candidates)) if k not in chosen]
        redundancy = (vectors[rest] @ vectors[chosen].T).max(axis=1)
        score = (1 - params.label_diversity) * relevance[rest] - params.label_diversity * redundancy
        chosen.append(rest[int(np.argmax(score))])
    return [candidates[k] for k in chosen]


def label_phrases(phrase_lists: list[list[str]], all_counts: dict[str, int], n_all: int, limit: int = 3,
                  prefer: set[str] | None = None) -> list[str]:
    """The topic's most representative noun phrases: said in most of its sentences and rarely elsewhere
    (sentence frequency × log(sentences / sentences with the phrase)), longer phrases first on a tie; a
    phrase whose words an earlier pick already holds is skipped. Phrases holding a word of ``prefer`` (the
    topic's new shared words, :func:`novelty`: what the codebook does not name) come first, so the label says
    what is new rather than the setting it was said in."""
    from codesign.nlp.finnish import compound_parts

    prefer = prefer or set()
    counts: dict[str, int] = {}
    for phrases in phrase_lists:
        for p in set(phrases):
            counts[p] = counts.get(p, 0) + 1
    shared = {p: c for p, c in counts.items() if c >= 2} or counts

    def new(phrase: str) -> bool:
        return any(w in prefer or set(compound_parts(w)) & prefer for w in phrase.casefold().split())

    scored = sorted(shared, key=lambda p: (not new(p), -shared[p] * np.log(n_all / all_counts.get(p, 1)),
                                           -len(p.split()), p))
    chosen: list[str] = []
    for phrase in scored:
        words = set(phrase.split())
        if any(words & set(c.split()) for c in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == limit:
            break
    return chosen


def readable_label(phrases: list[str], terms: list[str]) -> str:
    """``Vanha perinne, oma kulttuuri ja meänkieli`` (the phrases; the top terms when there are none)."""
    parts = phrases or terms[:3]
    if not parts:
        return ""
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " ja " + parts[-1]
    return text[0].upper() + text[1:]


def topics(inputs: AnalysisInputs, params: AnalysisParams
           ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``topics`` (one row per topic, outliers as topic −1), ``topic_assignments`` (one row per segment: the
    topic most of its sentences belong to) and ``topic_sentences`` (one row per modelled sentence)."""
    seg = inputs.segments
    empty = (pd.DataFrame(columns=TOPIC_COLUMNS + EXTRA_COLUMNS), pd.DataFrame(columns=ASSIGNMENT_COLUMNS),
             pd.DataFrame(columns=SENTENCE_COLUMNS + SENTENCE_EXTRA))
    units = sentence_units(inputs, params)
    frame, vectors = units.frame, units.vectors
    if len(frame) < max(params.min_topic_size * 2, 10):
        return empty
    # covered: a theme, talk about the programme's goals (the codebook's goal-talk code) or contact details
    covered = (frame["themes"].map(bool) | frame["goal_talk"].astype(bool) | frame["contact"].astype(bool)).to_numpy()
    sizes = {}
    unit_topic = np.full(len(frame), -1)
    unit_probability = np.ones(len(frame))
    pool_of: dict[int, str] = {}
    terms_of: dict[int, list[str]] = {}
    persist: dict[int, float] = {}
    next_id = 0
    for pool, mask in (("theme", covered), ("no_theme", ~covered)):
        idx = np.flatnonzero(mask)
        if len(idx) < max(params.min_topic_size * 2, 10):
            continue
        participants = seg["participant"].iloc[frame["row"].to_numpy()[idx]].dropna().nunique()
        pool_sizes = scaled_sizes(len(idx), participants, params)
        sizes[pool] = pool_sizes
        docs = [" ".join(lem) for lem in frame["lemmas"].iloc[idx]]
        labels, probability, model = fit_topics(docs, vectors[idx], params, pool_sizes)
        ids = {t: next_id + k for k, t in enumerate(sorted(set(labels) - {-1}))}
        next_id += len(ids)
        unit_topic[idx] = [ids.get(t, -1) for t in labels]
        unit_probability[idx] = probability
        for t, new in ids.items():
            pool_of[new] = pool
            terms_of[new] = [w for w, _ in (model.get_topic(int(t)) or [])]
        if pool == "no_theme":
            runs = [labels] + [refit_labels(vectors[idx], params, pool_sizes, params.seed + k)
                               for k in range(1, params.topic_runs)]
            persist.update({ids[t]: share for t, share in persistence(np.asarray(labels), runs).items()})

    frame["topic_id"] = unit_topic
    frame["probability"] = np.round(unit_probability, 6)
    table = _topic_table(inputs, params, frame, vectors, pool_of, terms_of, persist, sizes)
    table.attrs["sizes"] = sizes
    seg_rows = frame["row"].to_numpy()
    modelled = np.array(sorted(set(seg_rows)))
    topic_of, probability = segment_topics(seg_rows, unit_topic, unit_probability, modelled)
    assignments = pd.DataFrame({"segment_id": seg["segment_id"].to_numpy()[modelled], "topic_id": topic_of.astype(int),
                                "probability": np.round(probability, 6)}, columns=ASSIGNMENT_COLUMNS)
    sentences = frame.assign(themes=frame["themes"].map(lambda s: ";".join(sorted(s))),
                             goal_talk=frame["goal_talk"].astype(bool),
                             contact=frame["contact"].astype(bool))[SENTENCE_COLUMNS + SENTENCE_EXTRA]
    return table, assignments, sentences.reset_index(drop=True)


def known_vocabulary(inputs: AnalysisInputs) -> frozenset:
    """The words the codebook and the programme use: the lemmas, base forms and compound parts of every
    code's label, definition, include and exclude rules and examples, and of the programme's theme titles,
    descriptions, goals, indicators and actions, with every lexicon's lemmas, compound parts and phrase words
    and the goals' lexicons (and their compound parts). A concern the programme does not cover is spoken of
    in other words."""
    lexical: set[str] = set()
    texts: list[str] = []
    for code in inputs.codebook:
        lexical |= set(code.lexicon.lemmas) | set(code.lexicon.compound_parts)
        lexical |= {w for phrase in code.lexicon.phrases for w in phrase}
        texts += [code.label_fi, code.definition, *code.include, *code.exclude, *code.examples]
    for theme in inputs.themes:
        texts += [theme.title, theme.description]
        for goal in theme.goals:
            texts += [goal.text, goal.indicator]
            lexical |= set(goal.lexicon)
        texts += [action.text for action in theme.actions]
    texts = [t for t in texts if t]
    if inputs.lemmatise is None:   # plain data (tests): the texts' words
        return frozenset(w.casefold() for w in lexical | {w.strip(".,:;!?()\"'") for t in texts for w in t.split()})
    from codesign.nlp.finnish import compound_parts

    lexical = {w.casefold() for w in lexical}
    lexical |= {p for w in lexical for p in compound_parts(w)}
    return frozenset(lexical.union(*inputs.lemmatise(texts)))


def novelty(frame: pd.DataFrame, members: np.ndarray, voice: list[str], known: frozenset, stop: set,
            sentence_frequency: dict[str, int]) -> tuple[float, list[str]]:
    """How much a topic speaks of something the codebook and the programme do not name: over its *new shared
    words* — words outside ``known`` and the stop words that at least two voices of the topic use — the sum of
    (voices using the word in the topic) × (share of the word's sentences in the corpus that are in the topic).
    Returns the score and the new shared words, most weight first."""
    voices: dict[str, set] = {}
    count: dict[str, int] = {}
    for i in members:
        for w in set(frame["lemmas"].iloc[i]):
            if w in known or w in stop:
                continue
            voices.setdefault(w, set()).add(voice[i])
            count[w] = count.get(w, 0) + 1
    weight = {w: len(v) * count[w] / sentence_frequency[w] for w, v in voices.items() if len(v) >= 2}
    ranked = sorted(weight, key=lambda w: (-weight[w], w))
    return float(sum(weight.values())), ranked


def _topic_table(inputs, params, frame, vectors, pool_of, terms_of, persist, sizes) -> pd.DataFrame:
    seg = inputs.segments
    themes = inputs.theme_ids
    matchable = themes + [c.id for t in themes for c in inputs.subcodes(t)]
    centroids = code_centroids(inputs, matchable) if inputs.vectors is not None else {}
    statement_codes = any(s - set(matchable) for s in seg["codes"])
    all_phrase_counts: dict[str, int] = {}
    for phrases in frame["phrases"]:
        for p in set(phrases):
            all_phrase_counts[p] = all_phrase_counts.get(p, 0) + 1
    word_vectors: dict[str, np.ndarray] = {}
    known_words = known_vocabulary(inputs)
    stop = set(stop_words(params))
    sentence_frequency: dict[str, int] = {}
    for lemmas in frame["lemmas"]:
        for w in set(lemmas):
            sentence_frequency[w] = sentence_frequency.get(w, 0) + 1
    participants = seg["participant"].to_numpy()
    voice = [p if isinstance(p, str) and p else f"anon:{s}"
             for p, s in zip(participants[frame["row"].to_numpy()], frame["segment_id"])]

    shown_cache: dict[str, bool] = {}

    def shown(text: str) -> bool:
        """A topic word or phrase the leak gate would read as a name (a place's base form ``heta`` is also a
        first name) is left out of the labels and word lists; the quoted sentences stay as pseudonymised."""
        if text not in shown_cache:
            shown_cache[text] = inputs.redact is None or inputs.redact(text) == text
        return shown_cache[text]

    def word_vector(word: str) -> np.ndarray:
        if word not in word_vectors:
            word_vectors[word] = (inputs.word_vector or inputs.vectorise)(word)
        return word_vectors[word]

    rows = []
    for topic_id in sorted(set(frame["topic_id"])):
        members = np.flatnonzero(frame["topic_id"].to_numpy() == topic_id)
        part_units = frame.iloc[members]
        seg_rows = sorted(set(part_units["row"]))
        part = seg.iloc[seg_rows]
        code_sets = list(part["codes"])
        overlap = {c: float(np.mean([c in s for s in code_sets])) for c in matchable}
        sentence_overlap = {t: float(np.mean([t in s for s in part_units["themes"]])) for t in themes}
        centroid = _unit(vectors[members].mean(0))
        segment_centroid = _unit(inputs.vectors[seg_rows].mean(0)) if inputs.vectors is not None else centroid
        similarity = {c: float(segment_centroid @ v) for c, v in centroids.items()}
        best = max(matchable, key=lambda c: (round(overlap[c], 9), c in themes, similarity.get(c, 0)))
        best_theme = max(themes, key=lambda c: (sentence_overlap[c], similarity.get(c, 0)))
        nearest = max(themes, key=lambda c: similarity.get(c, -1))
        closeness = vectors[members] @ centroid
        coherence = float(closeness.mean())
        pool = pool_of.get(int(topic_id), "")
        candidates = [w for w in terms_of.get(int(topic_id), []) if shown(w)]
        words = (rerank_terms(candidates, centroid, word_vector, params)
                 if topic_id >= 0 and inputs.vectorise is not None else candidates[: params.top_terms])
        new_score, new_words = novelty(frame, members, voice, known_words, stop, sentence_frequency) \
            if topic_id >= 0 else (0.0, [])
        new_words = [w for w in new_words if shown(w)]
        phrases = label_phrases([[p for p in ps if shown(p)] for ps in part_units["phrases"]], all_phrase_counts,
                                len(frame), prefer=set(new_words)) if topic_id >= 0 else []
        typical = part_units.iloc[int(np.lexsort((part_units["sentence_id"].to_numpy(), -closeness))[0])]
        known = part_units["row"].map(lambda r: seg["participant"].iloc[r]).dropna()
        voices = set(known) | {f"anon:{s}" for s, r in zip(part_units["segment_id"], part_units["row"])
                               if pd.isna(seg["participant"].iloc[r])}
        n_participants = known.nunique()
        stages = sorted(part["stage"].unique())
        coded_share = float(np.mean([bool(s) for s in code_sets]))
        no_theme_share = float(np.mean([not s for s in part_units["themes"]]))
        floor = sizes.get(pool, {}).get("emergent_min_participants", params.emergent_min_participants)
        voiced = n_participants >= floor or (len(stages) >= 2 and len(voices) >= floor)
        stability = persist.get(int(topic_id), np.nan)
        candidate = bool(topic_id >= 0 and pool == "no_theme" and voiced
                        and sentence_overlap[best_theme] < params.emergent_max_overlap
                        and no_theme_share >= params.emergent_min_uncovered
                        and coherence >= params.emergent_min_coherence
                        and stability >= params.emergent_min_persistence
                        and (not statement_codes or coded_share >= params.emergent_min_coded))
        rows.append({
            "topic_id": int(topic_id),
            "label": "(outliers)" if topic_id < 0 else readable_label(phrases, words),
            "top_terms": ";".join(words), "n_segments": len(seg_rows), "n_participants": int(n_participants),
            "best_code": best, "best_code_overlap": round(overlap[best], 4),
            "best_code_similarity": round(similarity.get(best, np.nan), 4), "emergent": candidate,
            "segment_ids": ";".join(part["segment_id"]), "best_theme": best_theme,
            "best_theme_overlap": round(sentence_overlap[best_theme], 4), "nearest_theme": nearest,
            "nearest_theme_similarity": round(similarity.get(nearest, np.nan), 4), "coherence": round(coherence, 4),
            "n_interviewees": int(part.loc[part["stage"] == "interview", "participant"].dropna().nunique()),
            "stages": ";".join(stages), "no_theme_share": round(no_theme_share, 4),
            "coded_share": round(coded_share, 4), "n_sentences": len(members), "n_voices": len(voices),
            "pool": pool, "persistence": round(stability, 4) if stability == stability else np.nan,
            "label_phrases": ";".join(phrases),
            "typical_sentence": "" if topic_id < 0 else typical["sentence"],
            "typical_segment_id": "" if topic_id < 0 else typical["segment_id"],
            "typical_source_id": "" if topic_id < 0 else typical["source_id"],
            "typical_start": typical["start"] if topic_id >= 0 else np.nan,
            "typical_end": typical["end"] if topic_id >= 0 else np.nan,
            "novelty": round(new_score, 4), "new_words": ";".join(new_words[: params.top_terms]),
            "emergent_candidate": candidate,
        })
    table = pd.DataFrame(rows, columns=TOPIC_COLUMNS + EXTRA_COLUMNS)
    return rank_emergent(table, params)


def rank_emergent(table: pd.DataFrame, params: AnalysisParams) -> pd.DataFrame:
    """The emergent list a designer reads: the candidates (topics passing the rules) that speak in new shared
    words (``novelty`` > 0), ranked by novelty (then voices, then id); the first ``emergent_max_topics`` are
    ``emergent``. ``emergent_rank`` ranks every candidate, so the rest stay readable in topics.csv."""
    table = table.copy()
    ranked = table[table["emergent_candidate"].astype(bool) & (table["novelty"] > 0)]
    ranked = ranked.sort_values(["novelty", "n_voices", "topic_id"], ascending=[False, False, True])
    table["emergent_rank"] = pd.Series(range(1, len(ranked) + 1), index=ranked.index, dtype="Int64")
    table["emergent"] = table["emergent_rank"].notna() & (table["emergent_rank"] <= params.emergent_max_topics)
    table["emergent"] = table["emergent"].astype(bool)
    return table


def segment_topics(unit_seg: np.ndarray, unit_topic: np.ndarray, unit_probability: np.ndarray, idx: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's topic: the one most of its units belong to (outliers only when all units are; a tie
    goes to the larger summed probability, then the lower topic id), with its units' mean probability."""
    topic_of, probability = np.full(len(idx), -1), np.ones(len(idx))
    position = {i: k for k, i in enumerate(idx)}
    frame = pd.DataFrame({"seg": unit_seg, "topic": unit_topic, "p": unit_probability})
    for i, part in frame.groupby("seg", sort=False):
        real = part[part["topic"] >= 0]
        if real.empty:
            probability[position[i]] = float(part["p"].mean())
            continue
        votes = real.groupby("topic")["p"].agg(["size", "sum", "mean"]).reset_index()
        best = votes.sort_values(["size", "sum", "topic"], ascending=[False, False, True]).iloc[0]
        topic_of[position[i]], probability[position[i]] = int(best["topic"]), float(best["mean"])
    return topic_of, probability


def theme_recovery(table: pd.DataFrame, themes: list[str], min_overlap: float = 0.5) -> dict[str, list[int]]:
    """For each theme, the topics that are mostly that theme (the theme recovered as a topic or several)."""
    real = table[table["topic_id"] >= 0]
    return {t: [int(i) for i in real.loc[(real["best_theme"] == t) & (real["best_theme_overlap"] >= min_overlap),
                                          "topic_id"]] for t in themes}
