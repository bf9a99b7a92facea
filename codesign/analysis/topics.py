"""Emergent topics: BERTopic over the participants' segments, matched to the codebook.

Fully offline and deterministic: the embeddings are the Finnish pipeline's floret vectors averaged over
content words (precomputed, so BERTopic loads no model), ``language="multilingual"`` (the English default
would strip ä and ö), a CountVectorizer over lemmas with a Finnish stop list, small-data UMAP/HDBSCAN
settings and a fixed UMAP seed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from codesign.analysis.columns import ASSIGNMENT_COLUMNS, TOPIC_COLUMNS
from codesign.analysis.inputs import AnalysisInputs
from codesign.analysis.params import AnalysisParams

EXTRA_COLUMNS = ["best_theme", "best_theme_overlap", "nearest_theme", "nearest_theme_similarity", "coherence",
                 "n_interviewees", "stages", "no_theme_share", "coded_share"]


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


def fit_topics(lemma_docs: list[str], embeddings: np.ndarray, params: AnalysisParams, sizes: dict | None = None):
    """BERTopic on lemma strings with precomputed embeddings → (topic per doc, probability per doc, model)."""
    try:
        from bertopic import BERTopic
    except ImportError as exc:
        from codesign.core.errors import SetupError

        raise SetupError(f"BERTopic is not installed ({exc}).\n  Install it without its unused torch stack: "
                         "pip install --no-deps -c requirements/constraints.txt bertopic   "
                         "(`make env` does it for you)") from exc
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    n = len(lemma_docs)
    sizes = sizes or scaled_sizes(n, 0, params)
    umap_model = UMAP(n_neighbors=max(2, min(sizes["umap_neighbors"], n - 1)),
                      n_components=max(2, min(params.umap_components, n - 2)), min_dist=0.0, metric="cosine",
                      random_state=params.seed, init="random" if n < 50 else "spectral", n_jobs=1)
    hdbscan_model = HDBSCAN(min_cluster_size=sizes["min_cluster_size"], min_samples=sizes["min_samples"],
                            metric="euclidean", cluster_selection_method=params.cluster_selection,
                            prediction_data=False)
    vectorizer = CountVectorizer(token_pattern=r"[^\s]+", stop_words=stop_words(params), min_df=1,
                                 lowercase=False)
    model = BERTopic(embedding_model=None, umap_model=umap_model, hdbscan_model=hdbscan_model,
                     vectorizer_model=vectorizer, language="multilingual", top_n_words=params.label_candidates,
                     calculate_probabilities=False, verbose=False)
    topics, probabilities = model.fit_transform(lemma_docs, embeddings=embeddings)
    probabilities = np.asarray(probabilities if probabilities is not None else np.ones(n), dtype=float)
    return np.asarray(topics), probabilities, model


def topic_units(inputs: AnalysisInputs, idx: np.ndarray, params: AnalysisParams
                ) -> tuple[np.ndarray, list[list[str]], np.ndarray]:
    """What is clustered: each segment, or for a long turn its sentence units (``unit_words``), so that a
    concern raised in passing in a long interview answer can meet the same concern in a short note.
    Returns (segment row of each unit, its content lemmas, its content vectors)."""
    from codesign.analysis.inputs import sentence_units

    rows, lemmas, vectors = [], [], []
    split = {}
    if params.unit_words > 0 and inputs.describe is not None:
        texts = inputs.segments["text"].astype(str)
        split = {i: u for i in idx if len(u := sentence_units(texts.iloc[i], params.unit_words)) > 1}
        described = iter(inputs.describe([t for i in idx if i in split for t in split[i]]))
        split = {i: [next(described) for _ in split[i]] for i in idx if i in split}
    for i in idx:
        parts = [(lem, vec) for lem, vec in split.get(i, []) if len(lem) >= params.min_words]
        whole = inputs.topic_vectors if inputs.topic_vectors is not None else inputs.vectors
        for lem, vec in parts or [(inputs.lemmas[i], whole[i])]:
            rows.append(i)
            lemmas.append(lem)
            vectors.append(vec)
    return np.asarray(rows, dtype=int), lemmas, np.vstack(vectors)


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


def topics(inputs: AnalysisInputs, params: AnalysisParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``topics`` (one row per topic, outliers as topic −1) and ``topic_assignments`` (one row per segment)."""
    seg = inputs.segments
    keep = np.array([len(lem) >= params.min_words for lem in inputs.lemmas])
    idx = np.flatnonzero(keep)
    if len(idx) < max(params.min_topic_size * 2, 10):
        return pd.DataFrame(columns=TOPIC_COLUMNS + EXTRA_COLUMNS), pd.DataFrame(columns=ASSIGNMENT_COLUMNS)
    unit_seg, unit_lemmas, unit_vectors = topic_units(inputs, idx, params)
    docs = [" ".join(lem) for lem in unit_lemmas]
    sizes = scaled_sizes(len(docs), seg["participant"].iloc[idx].dropna().nunique(), params)
    unit_topic, unit_probability, model = fit_topics(docs, unit_vectors, params, sizes)
    topic_of, probability = segment_topics(unit_seg, unit_topic, unit_probability, idx)
    assignments = pd.DataFrame({"segment_id": seg["segment_id"].to_numpy()[idx], "topic_id": topic_of.astype(int),
                                "probability": np.round(probability, 6)}, columns=ASSIGNMENT_COLUMNS)

    word_vectors: dict[str, np.ndarray] = {}

    def word_vector(word: str) -> np.ndarray:
        if word not in word_vectors:
            word_vectors[word] = inputs.vectorise(word)
        return word_vectors[word]

    themes = inputs.theme_ids
    matchable = themes + [c.id for t in themes for c in inputs.subcodes(t)]
    centroids = code_centroids(inputs, matchable)
    # The coders mark what a segment says (strength, challenge, suggestion…) even where no theme fits; small
    # talk at the start and end of an interview carries no code at all. Only a coding with such codes can
    # tell the two apart, so without them the rule is skipped.
    statement_codes = any(s - set(matchable) for s in seg["codes"])
    rows = []
    for topic_id in sorted(set(topic_of)):
        members = idx[topic_of == topic_id]
        part = seg.iloc[members]
        code_sets = list(part["codes"])
        overlap = {c: float(np.mean([c in s for s in code_sets])) for c in matchable}
        centroid = _unit(inputs.vectors[members].mean(0))
        similarity = {c: float(centroid @ v) for c, v in centroids.items()}
        best = max(matchable, key=lambda c: (round(overlap[c], 9), c in themes, similarity.get(c, 0)))
        best_theme = max(themes, key=lambda c: (overlap[c], similarity.get(c, 0)))
        nearest = max(themes, key=lambda c: similarity.get(c, -1))
        coherence = float((inputs.vectors[members] @ centroid).mean())
        candidates = [w for w, _ in (model.get_topic(int(topic_id)) or [])]
        words = (rerank_terms(candidates, _unit(unit_vectors[unit_topic == topic_id].mean(0)), word_vector, params)
                 if topic_id >= 0 and inputs.vectorise is not None else candidates[: params.top_terms])
        n_participants = part["participant"].dropna().nunique()
        coded_share = float(np.mean([bool(s) for s in code_sets]))
        no_theme_share = float(np.mean([not (s & set(themes)) for s in code_sets]))
        emergent = bool(topic_id >= 0 and n_participants >= sizes["emergent_min_participants"]
                        and overlap[best_theme] < params.emergent_max_overlap
                        and no_theme_share >= params.emergent_min_uncovered
                        and coherence >= params.emergent_min_coherence
                        and (not statement_codes or coded_share >= params.emergent_min_coded))
        rows.append({
            "topic_id": int(topic_id), "label": "(outliers)" if topic_id < 0 else ", ".join(words[:3]),
            "top_terms": ";".join(words), "n_segments": len(members), "n_participants": int(n_participants),
            "best_code": best, "best_code_overlap": round(overlap[best], 4),
            "best_code_similarity": round(similarity.get(best, np.nan), 4), "emergent": emergent,
            "segment_ids": ";".join(part["segment_id"]), "best_theme": best_theme,
            "best_theme_overlap": round(overlap[best_theme], 4), "nearest_theme": nearest,
            "nearest_theme_similarity": round(similarity.get(nearest, np.nan), 4), "coherence": round(coherence, 4),
            "n_interviewees": int(part.loc[part["stage"] == "interview", "participant"].dropna().nunique()),
            "stages": ";".join(sorted(part["stage"].unique())),
            "no_theme_share": round(no_theme_share, 4),
            "coded_share": round(coded_share, 4),
        })
    table = pd.DataFrame(rows, columns=TOPIC_COLUMNS + EXTRA_COLUMNS)
    table.attrs["sizes"] = sizes
    return table, assignments


def theme_recovery(table: pd.DataFrame, themes: list[str], min_overlap: float = 0.5) -> dict[str, list[int]]:
    """For each theme, the topics that are mostly that theme (the theme recovered as a topic or several)."""
    real = table[table["topic_id"] >= 0]
    return {t: [int(i) for i in real.loc[(real["best_theme"] == t) & (real["best_theme_overlap"] >= min_overlap),
                                          "topic_id"]] for t in themes}
