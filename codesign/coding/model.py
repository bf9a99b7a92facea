"""The theme coder: codes segments into the codebook's codes as a careful human coder would.

A pipeline of swappable parts, each measured on its own (``codesign.coding.evaluate``):

1. ``LexiconMatcher`` (deductive): the codebook lexicon matched on lemmas, Voikko compound parts and
   multiword lemma sequences, also in spoken Finnish.
2. ``SemanticMatcher``: similarity of a segment to each code's definition, examples and coded reference
   segments in the pipeline's floret vector space — useful for codes with few training examples.
3. ``SupervisedModel``: per-code logistic regression over lemma and compound-part n-grams (of the segment
   and of its context: the interviewer's question, the workshop frame, the survey question) plus the
   segment's vector, Platt-calibrated on out-of-fold scores.

``ThemeCoder`` combines them: the lexicon counts and semantic similarities are features of the supervised
model, so one calibrated probability per code comes out, with evidence (matched words, nearest coded
reference segments, component scores) for every code given.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import sparse

from codesign.coding.codebook import Codebook
from codesign.ingest.segments import interviewer_questions
from codesign.nlp.finnish import Word, words

#: Units that are coded: what participants said (interviewer turns are context, not data).
CODED_ROLE = "participant"


@dataclass
class Unit:
    """A segment prepared for coding."""
    segment_id: str
    text: str
    words: list[Word]
    context_words: list[Word]
    vector: np.ndarray


def content_vector(doc) -> np.ndarray:
    """Mean floret vector of the content words (falls back to the whole doc)."""
    vectors = [t.vector for t in doc if t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and t.has_vector]
    vec = np.mean(vectors, axis=0) if vectors else doc.vector
    norm = np.linalg.norm(vec)
    return vec / norm if norm else vec


def context_texts(segments: pd.DataFrame) -> pd.Series:
    """What each segment answers: the interviewer's question just before it (the one rule of
    ``codesign.ingest.segments.interviewer_questions``), else its prompt (a frame, a survey question)."""
    context = segments["prompt"].fillna("").astype(str).copy()
    for position, questions in enumerate(interviewer_questions(segments, depth=1)):
        if questions:
            context.iloc[position] = questions[0]
    return context


def prepare_units(segments: pd.DataFrame, cache, remember: bool = True) -> list[Unit]:
    """Units for the segments (in their order), with NLP from the DocCache ``cache`` (``remember=False``:
    do not keep these texts in the cache)."""
    # a ``context`` column (coded_segments: computed before the interviewer's turns were dropped) wins
    context = segments["context"].fillna("").astype(str) if "context" in segments else context_texts(segments)
    texts = list(segments["text"].astype(str))
    contexts = list(context.loc[segments.index])
    docs = cache.process(texts + [c for c in contexts if c], remember=remember)
    text_docs, context_docs = docs[: len(texts)], iter(docs[len(texts):])
    units = []
    for seg_id, text, ctx, doc in zip(segments["segment_id"], texts, contexts, text_docs):
        context_words = words(next(context_docs)) if ctx else []
        units.append(Unit(str(seg_id), text, words(doc), context_words, content_vector(doc)))
    return units


# --- 1. deductive -------------------------------------------------------------------------------------

class LexiconMatcher:
    """Counts codebook-lexicon hits per code: lemmas, compound parts and phrases (lemma sequences)."""

    def __init__(self, codebook: Codebook, codes: list[str]) -> None:
        self.codes = codes
        self.lexicons = [codebook[c].lexicon for c in codes]

    def matches(self, unit_words: list[Word]) -> list[list[str]]:
        """For each code, the words (as written) that signal it."""
        out = []
        for lex in self.lexicons:
            # a compound part also signals on its own: "kämppä" as well as "vuokrakämppä"
            hits = [w.text for w in unit_words if w.lemmas & lex.lemmas or (w.parts | w.lemmas) & lex.compound_parts]
            for phrase in lex.phrases:
                n = len(phrase)
                for i in range(len(unit_words) - n + 1):
                    # the first lemma alone rules out almost every position: test it before the rest
                    if phrase[0] in unit_words[i].lemmas and all(
                            phrase[j] in unit_words[i + j].lemmas for j in range(1, n)):
                        hits.append(" ".join(w.text for w in unit_words[i:i + n]))
            out.append(hits)
        return out

    def entry_hits(self, unit_words: list[Word], k: int) -> set:
        """The lexicon entries of code ``k`` found in the words: lemmas, ("part", compound part), phrases."""
        lex = self.lexicons[k]
        found = set()
        for w in unit_words:
            found |= w.lemmas & lex.lemmas
            found |= {("part", p) for p in (w.parts | w.lemmas) & lex.compound_parts}
        for phrase in lex.phrases:
            if any(phrase[0] in unit_words[i].lemmas and all(phrase[j] in unit_words[i + j].lemmas
                                                             for j in range(1, len(phrase)))
                   for i in range(len(unit_words) - len(phrase) + 1)):
                found.add(phrase)
        return found

    def prune(self, units: list[Unit], y: np.ndarray, min_precision: float, min_support: int = 3) -> "LexiconMatcher":
        """Drop the entries that signal their code poorly in the training ``units`` (``y``: units × codes):
        found in at least ``min_support`` units, of which fewer than ``min_precision`` carry the code. A
        codebook written before the material lists words coders did not count as the theme."""
        pruned = []
        for k, lex in enumerate(self.lexicons):
            found = [self.entry_hits(u.words, k) for u in units]

            def keep(entry) -> bool:
                hit = np.array([entry in f for f in found])
                return hit.sum() < min_support or y[hit, k].mean() >= min_precision

            pruned.append(replace(lex, lemmas=frozenset(e for e in lex.lemmas if keep(e)),
                                  compound_parts=frozenset(p for p in lex.compound_parts if keep(("part", p))),
                                  phrases=tuple(p for p in lex.phrases if keep(p))))
        self.lexicons = pruned
        return self

    def counts(self, units: list[Unit], context: bool = False) -> np.ndarray:
        return np.array([[len(h) for h in self.matches(u.context_words if context else u.words)] for u in units],
                        dtype=float).reshape(len(units), len(self.codes))

    def predict(self, units: list[Unit]) -> np.ndarray:
        return (self.counts(units) > 0).astype(int)


# --- 2. semantic --------------------------------------------------------------------------------------

class SemanticMatcher:
    """Cosine similarity to a prototype per code: its definition and examples, plus coded segments."""

    def __init__(self, codebook: Codebook, codes: list[str], cache) -> None:
        self.codes = codes
        texts = [" ".join([codebook[c].definition, *codebook[c].examples, *codebook[c].include]) for c in codes]
        self.described = np.vstack([content_vector(d) for d in cache.process(texts)])
        self.prototypes = self.described
        self.thresholds = np.full(len(codes), 0.5)

    def fit(self, units: list[Unit], y: np.ndarray) -> "SemanticMatcher":
        vectors = np.vstack([u.vector for u in units])
        protos = []
        for k in range(len(self.codes)):
            positives = vectors[y[:, k] == 1]
            proto = self.described[k] + (positives.mean(axis=0) if len(positives) else 0)
            protos.append(proto / (np.linalg.norm(proto) or 1))
        self.prototypes = np.vstack(protos)
        sims = self.scores(units)
        self.thresholds = np.array([_best_threshold(sims[:, k], y[:, k], np.linspace(0.05, 0.9, 35))
                                    for k in range(len(self.codes))])
        return self

    def scores(self, units: list[Unit]) -> np.ndarray:
        return np.vstack([u.vector for u in units]) @ self.prototypes.T

    def predict(self, units: list[Unit]) -> np.ndarray:
        return (self.scores(units) >= self.thresholds).astype(int)


# --- 3. supervised ------------------------------------------------------------------------------------

def unit_terms(unit: Unit) -> list[str]:
    """Sparse features: lemmas, compound parts, lemma bigrams of the text; lemmas of the context."""
    terms = []
    content = [w for w in unit.words if w.is_content]
    for w in content:
        terms += [f"L:{lemma}" for lemma in w.lemmas]
        terms += [f"C:{part}" for part in w.parts]
    for a, b in zip(content, content[1:]):
        terms.append(f"B:{min(a.lemmas)}_{min(b.lemmas)}")
    for w in unit.context_words:
        if w.is_content:
            terms += [f"Q:{lemma}" for lemma in w.lemmas]
    return terms or ["<empty>"]


@dataclass
class SupervisedModel:
    """Per-code logistic regression, Platt-calibrated on out-of-fold scores, threshold tuned for F1, the
    regularisation chosen per code on the same out-of-fold scores (nested: training data only)."""
    codes: list[str]
    #: regularisation candidates; one is chosen per code on out-of-fold scores of the training data
    C: float | tuple[float, ...] = (0.5, 2.0)
    vector_weight: float = 0.1   # the 300-d segment vector: many weak signals
    dense_weight: float = 0.1    # lexicon counts and semantic similarities
    folds: int = 5
    seed: int = 0
    models: list = field(default_factory=list)
    calibrators: list = field(default_factory=list)
    chosen_C: list = field(default_factory=list)
    thresholds: np.ndarray | None = None

    def _design(self, units: list[Unit], dense: np.ndarray | None, fit: bool):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import StandardScaler

        docs = [unit_terms(u) for u in units]
        vectors = np.vstack([u.vector for u in units])
        if fit:
            self._tfidf = TfidfVectorizer(analyzer=_given_terms, min_df=2, sublinear_tf=True)
            self._vector_scaler = StandardScaler().fit(vectors)
            self._dense_scaler = StandardScaler().fit(dense) if dense is not None else None
            terms = self._tfidf.fit_transform(docs)
        else:
            terms = self._tfidf.transform(docs)
        blocks = [terms, sparse.csr_matrix(self._vector_scaler.transform(vectors) * self.vector_weight)]
        if dense is not None:
            blocks.append(sparse.csr_matrix(self._dense_scaler.transform(dense) * self.dense_weight))
        return sparse.hstack(blocks).tocsr()

    def fit(self, units: list[Unit], y: np.ndarray, dense: np.ndarray | None = None) -> "SupervisedModel":
        from sklearn.linear_model import LogisticRegression

        X = self._design(units, dense, fit=True)
        self.models, self.calibrators, self.chosen_C, thresholds = [], [], [], []
        for k in range(len(self.codes)):
            target = y[:, k]
            if target.sum() < 2 or target.sum() > len(target) - 2:
                self.models.append(None)
                self.calibrators.append(float(target.mean()))
                self.chosen_C.append(None)
                thresholds.append(0.5)
                continue
            C, oof = self._choose_C(X, target)
            calibrator = LogisticRegression(C=1e4).fit(oof.reshape(-1, 1), target)
            probs = calibrator.predict_proba(oof.reshape(-1, 1))[:, 1]
            thresholds.append(_best_threshold(probs, target, np.linspace(0.15, 0.85, 29)))
            self.models.append(self._model(C).fit(X, target))
            self.calibrators.append(calibrator)
            self.chosen_C.append(C)
        self.thresholds = np.array(thresholds)
        return self

    def _model(self, C: float):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=2000)

    def _choose_C(self, X, target: np.ndarray) -> tuple[float, np.ndarray]:
        """The candidate ``C`` whose out-of-fold scores on the training data rank best (average precision),
        and those scores: the choice is nested inside whatever data ``fit`` is given, never the test data."""
        from sklearn.metrics import average_precision_score
        from sklearn.model_selection import StratifiedKFold

        splits = min(self.folds, int(target.sum()), int(len(target) - target.sum()))
        folds = list(StratifiedKFold(splits, shuffle=True, random_state=self.seed).split(X, target))
        best = (-1.0, None, None)
        for C in np.atleast_1d(self.C):
            oof = np.zeros(len(target))
            for train, test in folds:
                oof[test] = self._model(C).fit(X[train], target[train]).decision_function(X[test])
            quality = average_precision_score(target, oof)
            if quality > best[0] + 1e-9:
                best = (quality, float(C), oof)
        return best[1], best[2]

    def predict_proba(self, units: list[Unit], dense: np.ndarray | None = None) -> np.ndarray:
        X = self._design(units, dense, fit=False)
        out = np.zeros((len(units), len(self.codes)))
        for k, (model, calibrator) in enumerate(zip(self.models, self.calibrators)):
            if model is None:
                out[:, k] = calibrator
            else:
                out[:, k] = calibrator.predict_proba(model.decision_function(X).reshape(-1, 1))[:, 1]
        return out

    def predict(self, units: list[Unit], dense: np.ndarray | None = None) -> np.ndarray:
        return (self.predict_proba(units, dense) >= self.thresholds).astype(int)


def _given_terms(terms: list[str]) -> list[str]:
    """The analyzer of the TF-IDF step: units arrive as term lists already (a named function pickles)."""
    return terms


def _best_threshold(scores: np.ndarray, target: np.ndarray, grid: np.ndarray) -> float:
    """The threshold of ``grid`` with the best F1 (ties: the one closest to the middle of the grid)."""
    best, best_f1 = float(np.median(grid)), -1.0
    for t in grid:
        pred = scores >= t
        tp = float((pred & (target == 1)).sum())
        f1 = 2 * tp / (pred.sum() + target.sum()) if pred.sum() + target.sum() else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(t), f1
    return best


# --- the hybrid ---------------------------------------------------------------------------------------

class ThemeCoder:
    """Lexicon + semantic + supervised, one calibrated probability per code, with evidence.

    ``fit(units, y)`` with ``y`` a 0/1 matrix (units × codes); ``predict_proba``, ``predict`` and
    ``explain`` as in scikit-learn. Parts can be swapped (``use_lexicon``, ``use_semantic``).
    """

    def __init__(self, codebook: Codebook, codes: list[str], cache, use_lexicon: bool = True,
                 use_semantic: bool = True, seed: int = 0, lexicon_min_precision: float | None = 0.5,
                 **supervised) -> None:
        self.codebook, self.codes, self.cache = codebook, codes, cache
        #: lexicon entries carrying their code in fewer of the training units they are found in are dropped
        #: (None: keep the codebook's lexicon as written); fixed a priori, not tuned on held-out data
        self.lexicon_min_precision = lexicon_min_precision
        self.lexicon = LexiconMatcher(codebook, codes) if use_lexicon else None
        self.semantic = SemanticMatcher(codebook, codes, cache) if use_semantic else None
        self.supervised = SupervisedModel(codes, seed=seed, **supervised)
        self._train_vectors: np.ndarray | None = None

    def _dense(self, units: list[Unit]) -> np.ndarray | None:
        parts = []
        if self.lexicon is not None:
            parts += [np.log1p(self.lexicon.counts(units)), np.log1p(self.lexicon.counts(units, context=True))]
        if self.semantic is not None:
            parts.append(self.semantic.scores(units))
        return np.hstack(parts) if parts else None

    def fit(self, units: list[Unit], y: np.ndarray) -> "ThemeCoder":
        if self.lexicon is not None and self.lexicon_min_precision is not None:
            self.lexicon = LexiconMatcher(self.codebook, self.codes).prune(units, y, self.lexicon_min_precision)
        if self.semantic is not None:
            self.semantic.fit(units, y)
        self.supervised.fit(units, y, self._dense(units))
        self._train_ids = [u.segment_id for u in units]
        self._train_vectors = np.vstack([u.vector for u in units])
        self._train_y = y
        return self

    def predict_proba(self, units: list[Unit]) -> np.ndarray:
        return self.supervised.predict_proba(units, self._dense(units))

    def predict(self, units: list[Unit]) -> np.ndarray:
        return (self.predict_proba(units) >= self.supervised.thresholds).astype(int)

    def explain(self, unit: Unit, code: str, probability: float) -> dict:
        """Why ``code`` was given to ``unit``: matched words, nearest coded reference segments, scores."""
        k = self.codes.index(code)
        evidence = {"score": round(float(probability), 3),
                    "threshold": round(float(self.supervised.thresholds[k]), 3)}
        if self.lexicon is not None:
            evidence["matched"] = self.lexicon.matches(unit.words)[k]
            evidence["context_matched"] = self.lexicon.matches(unit.context_words)[k]
        if self.semantic is not None:
            evidence["similarity"] = round(float(unit.vector @ self.semantic.prototypes[k]), 3)
        positives = np.flatnonzero(self._train_y[:, k] == 1)
        if len(positives):
            sims = self._train_vectors[positives] @ unit.vector
            order = positives[np.argsort(-sims)]
            evidence["nearest"] = [self._train_ids[i] for i in order if self._train_ids[i] != unit.segment_id][:2]
        return evidence


def label_matrix(coding: pd.DataFrame, segment_ids: list[str], codes: list[str]) -> np.ndarray:
    """0/1 matrix (segments × codes) from a coding table (segment_id, codes ';'-separated)."""
    sets = {row.segment_id: set(filter(None, str(row.codes).split(";"))) for row in coding.itertuples()}
    return np.array([[int(c in sets.get(s, set())) for c in codes] for s in segment_ids], dtype=int)


def codings_table(units: list[Unit], probabilities: np.ndarray, decisions: np.ndarray, coder: ThemeCoder,
                  source: str = "machine") -> pd.DataFrame:
    """Tidy rows (segment_id, code, source, confidence, evidence) for every code given."""
    rows = []
    for i, unit in enumerate(units):
        for k in np.flatnonzero(decisions[i]):
            code = coder.codes[k]
            rows.append({"segment_id": unit.segment_id, "code": code, "source": source,
                         "confidence": float(probabilities[i, k]),
                         "evidence": json.dumps(coder.explain(unit, code, probabilities[i, k]), ensure_ascii=False)})
    return pd.DataFrame(rows, columns=["segment_id", "code", "source", "confidence", "evidence"])
