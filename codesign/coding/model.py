"""The theme coder: codes segments into the codebook's codes as a careful human coder would.

A pipeline of swappable parts, each measured on its own (``codesign.coding.evaluate``):

1. ``LexiconMatcher`` (deductive): the codebook lexicon matched on lemmas, Voikko compound parts and
   multiword lemma sequences, also in spoken Finnish.
2. ``SemanticMatcher``: similarity of a segment to each code's definition, examples and coded reference
   segments in the pipeline's floret vector space — useful for codes with few training examples.
3. ``FinnishFeaturizer`` (a scikit-learn transformer): lemma, compound-part and lemma-bigram TF-IDF features of
   the segment and lemma features of its context (the interviewer's question, the workshop frame, the survey
   question), plus the segment's vector.

``ThemeCoder`` (a scikit-learn estimator) combines them: the lexicon counts and semantic similarities are
features beside the featuriser's, one logistic regression per code gives one probability per code, with
evidence (matched words, nearest coded reference segments, component scores) for every code given. It learns
from whatever there is: the codebook itself (its definitions, include and exclude rules and examples as
labelled texts, and its lexicon's clear cases among the project's own uncoded segments as weak labels) and
any number of human codes, from none up.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from codesign.coding.codebook import Codebook
from codesign.nlp.finnish import Word, words
from codesign.sources.segments import interviewer_questions

#: Units that are coded: what participants said (interviewer turns are context, not data).
CODED_ROLE = "participant"
#: In a label matrix: the unit has no human coding (the coder may learn from it without codes).
UNLABELLED = -1


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
    ``codesign.sources.segments.interviewer_questions``), else its prompt (a frame, a survey question)."""
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


def label_matrix(coding: pd.DataFrame, segment_ids: list[str], codes: list[str],
                 missing: int = 0) -> np.ndarray:
    """The one 0/1 matrix (segments × codes) of a coding table (``segment_id``, ``codes`` ``;``-separated).

    A segment the coding does not cover gets ``missing`` in every column: 0 (not coded as anything), or
    ``UNLABELLED`` (-1) for the coder, which learns from uncoded segments differently."""
    from sklearn.preprocessing import MultiLabelBinarizer

    wanted = set(codes)        # other codes (subcodes, another kind) are not columns
    sets = {str(row.segment_id): [c for c in str(row.codes).split(";") if c in wanted] for row in coding.itertuples()}
    matrix = MultiLabelBinarizer(classes=list(codes)).fit_transform([sets.get(str(s), []) for s in segment_ids])
    matrix = np.asarray(matrix, dtype=int)
    if missing != 0:
        matrix[[str(s) not in sets for s in segment_ids]] = missing
    return matrix.reshape(len(segment_ids), len(codes))


# --- what the codebook says -----------------------------------------------------------------------------

_ARROW = "→"
_CODE_REF = re.compile(r"(?<![\w.])([A-ZÅÄÖ][A-Za-zÅÄÖåäö0-9_]*(?:\.[0-9A-Za-z_]+)*)(?![\w])")


def top_code(codebook: Codebook, code_id: str) -> str:
    """The theme (or statement type) a code belongs to: itself, or its top-level ancestor."""
    code = codebook[code_id]
    while code.parent is not None:
        code = codebook[code.parent]
    return code.id


def codebook_examples(codebook: Codebook, codes: list[str]) -> tuple[list[str], np.ndarray]:
    """The codebook's own texts as labelled examples: (texts, labels texts × codes of 1, 0 or -1).

    A code's definition, include rules and examples — and those of its subcodes — are examples of its theme
    (1) and not of the other codes of the same kind (0); an exclude rule's text is not of its code, and of
    the codes it points to (``… → T2``) where it names them. Codes of another kind are left open (-1): an
    example of a theme says nothing about statement types."""
    kind = {c: codebook[c].kind for c in codes}
    texts, rows = [], []

    def row(positive: set[str], negative: set[str], of_kind: str) -> np.ndarray:
        return np.array([1 if c in positive else 0 if c in negative or kind[c] == of_kind else UNLABELLED
                         for c in codes])

    for code in codebook:
        top = top_code(codebook, code.id)
        if top not in codes:
            continue
        for text in (code.definition, *code.include, *code.examples):
            texts.append(text)
            rows.append(row({top}, set(), kind[top]))
        for rule in code.exclude:
            text, _, target = rule.partition(_ARROW)
            named = {top_code(codebook, ref) for ref in _CODE_REF.findall(target) if ref in codebook.codes}
            named &= set(codes)
            if not text.strip():
                continue
            # the rule may point back into the same theme (T1.1 → T1.3): then it is an example of the theme
            texts.append(text.strip())
            rows.append(row(named, set() if top in named else {top}, kind[top]))
    return texts, np.array(rows, dtype=int).reshape(len(texts), len(codes))


@dataclass
class CodebookSignals:
    """What a coder knows before any human coding: the codebook, the codes it assigns, the codebook's own texts
    as units (``examples`` with ``example_labels``: 1, 0 or -1 per code), and each code's described vector
    (definition, include rules and examples; the semantic part's starting prototype)."""
    codebook: Codebook
    codes: list[str]
    examples: list[Unit]
    example_labels: np.ndarray
    described: np.ndarray


def codebook_signals(codebook: Codebook, codes: list[str], cache) -> CodebookSignals:
    """Prepare a codebook for the coder (its texts through the Finnish pipeline, via the DocCache ``cache``)."""
    texts, labels = codebook_examples(codebook, codes)
    descriptions = [" ".join([codebook[c].definition, *codebook[c].examples, *codebook[c].include]) for c in codes]
    docs = cache.process(texts + descriptions)
    examples = [Unit(f"codebook-{i + 1}", text, words(doc), [], content_vector(doc))
                for i, (text, doc) in enumerate(zip(texts, docs))]
    described = np.vstack([content_vector(d) for d in docs[len(texts):]])
    return CodebookSignals(codebook, list(codes), examples, labels, described)


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
                hit = np.array([entry in f for f in found], dtype=bool)
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


def rule_labels(text_hits: np.ndarray, context_hits: np.ndarray) -> np.ndarray:
    """The codebook's clear cases (units × codes): 1 where the lexicon signals a code at least twice in the unit
    or at least once in what it answers (an interviewer's question, a workshop frame usually names the theme);
    0 where it signals the code nowhere; -1 (open) for a single passing hit."""
    return np.where((text_hits >= 2) | (context_hits >= 1), 1,
                    np.where((text_hits == 0) & (context_hits == 0), 0, UNLABELLED))


# --- 2. semantic --------------------------------------------------------------------------------------

class SemanticMatcher:
    """Cosine similarity to a prototype per code: its definition and examples (``described``, codes × dims),
    plus the coded segments it is fitted on."""

    def __init__(self, described: np.ndarray) -> None:
        self.described = described
        self.prototypes = described
        self.thresholds = np.full(len(described), 0.5)

    def fit(self, units: list[Unit], y: np.ndarray) -> "SemanticMatcher":
        if not units:
            return self
        vectors = np.vstack([u.vector for u in units])
        protos = []
        for k in range(len(self.described)):
            positives = vectors[y[:, k] == 1]
            proto = self.described[k] + (positives.mean(axis=0) if len(positives) else 0)
            protos.append(proto / (np.linalg.norm(proto) or 1))
        self.prototypes = np.vstack(protos)
        sims = self.scores(units)
        self.thresholds = np.array([_best_threshold(sims[:, k], y[:, k], np.linspace(0.05, 0.9, 35))
                                    for k in range(len(self.described))])
        return self

    def scores(self, units: list[Unit]) -> np.ndarray:
        return np.vstack([u.vector for u in units]).reshape(len(units), -1) @ self.prototypes.T

    def predict(self, units: list[Unit]) -> np.ndarray:
        return (self.scores(units) >= self.thresholds).astype(int)


# --- 3. features --------------------------------------------------------------------------------------

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


def _given_terms(terms: list[str]) -> list[str]:
    """The analyzer of the TF-IDF step: units arrive as term lists already (a named function pickles)."""
    return terms


class FinnishFeaturizer(TransformerMixin, BaseEstimator):
    """Units → sparse features: TF-IDF of lemmas, compound parts and lemma bigrams of the text and of lemmas of
    its context (``unit_terms``), beside the standardised segment vector scaled by ``vector_weight``.

    Parameters
    ----------
    min_df : int
        A term counts when it is found in at least this many fitted units.
    vector_weight : float
        Weight of the 300-d floret segment vector (many weak signals) beside the terms.
    """

    def __init__(self, min_df: int = 2, vector_weight: float = 0.1) -> None:
        self.min_df = min_df
        self.vector_weight = vector_weight

    def fit(self, X: list[Unit], y=None) -> "FinnishFeaturizer":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import StandardScaler

        units = list(X)
        self.tfidf_ = TfidfVectorizer(analyzer=_given_terms, min_df=min(self.min_df, len(units)), sublinear_tf=True)
        self.tfidf_.fit([unit_terms(u) for u in units])
        self.vector_scaler_ = StandardScaler().fit(np.vstack([u.vector for u in units]))
        return self

    def transform(self, X: list[Unit]):
        units = list(X)
        terms = self.tfidf_.transform([unit_terms(u) for u in units])
        vectors = self.vector_scaler_.transform(np.vstack([u.vector for u in units]).reshape(len(units), -1))
        return sparse.hstack([terms, sparse.csr_matrix(vectors * self.vector_weight)]).tocsr()


# --- the coder ----------------------------------------------------------------------------------------

class ThemeCoder(BaseEstimator):
    """The theme coder as a scikit-learn estimator: ``fit(X, y)``, ``predict_proba``, ``predict``, ``score``.

    ``X`` is a list of :class:`Unit`; ``y`` a matrix units × codes of 1 (coded), 0 (not) and -1 (no human
    coding: the unit is still read, see below). The coder learns from whatever there is, pooled in one
    logistic regression per code:

    - every human-coded unit (weight 1);
    - the codebook's clear cases among the units without a human coding: weak labels from the lexicon
      (:func:`rule_labels`: at least two hits in the unit or one in the question it answers → the code; no hit
      anywhere → not; one passing hit → left to the model), weight ``weak_weight``;
    - the codebook's own texts (definitions, include and exclude rules, examples; :func:`codebook_examples`),
      weight ``codebook_weight``.

    With no human code at all the coder therefore codes from the codebook alone; each human code adds to it,
    and the human codes also prune the lexicon (``lexicon_min_precision``) and shape the semantic prototypes.
    Features: the featuriser's terms and vector (:class:`FinnishFeaturizer`), the lexicon counts of the unit and
    of its context, the semantic similarities. Classes are balanced, so 0.5 is the cut for every code.

    Parameters
    ----------
    signals : CodebookSignals
        The prepared codebook (:func:`codebook_signals`); its ``codes`` are the coder's outputs.
    use_lexicon, use_semantic : bool
        Swap the parts in or out (the lexicon counts and the semantic similarities as features).
    use_codebook : bool
        Learn from the codebook's texts and the lexicon's clear cases among uncoded units.
    lexicon_min_precision : float or None
        Lexicon entries found in at least 3 human-coded units of which fewer than this share carry the code
        are dropped (None: keep the codebook's lexicon as written); fixed a priori, not tuned.
    C : float
        Inverse regularisation strength of the logistic regressions.
    vector_weight, dense_weight : float
        Weights of the segment vector and of the lexicon/semantic features beside the terms.
    weak_weight, codebook_weight : float
        Weight of a weakly labelled unit and of a codebook text, against 1 for a human-coded unit.
    """

    def __init__(self, signals: CodebookSignals | None = None, use_lexicon: bool = True, use_semantic: bool = True,
                 use_codebook: bool = True, lexicon_min_precision: float | None = 0.5, C: float = 1.0,
                 vector_weight: float = 0.1, dense_weight: float = 0.1, weak_weight: float = 0.25,
                 codebook_weight: float = 0.25) -> None:
        self.signals = signals
        self.use_lexicon = use_lexicon
        self.use_semantic = use_semantic
        self.use_codebook = use_codebook
        self.lexicon_min_precision = lexicon_min_precision
        self.C = C
        self.vector_weight = vector_weight
        self.dense_weight = dense_weight
        self.weak_weight = weak_weight
        self.codebook_weight = codebook_weight

    # -- fitting ----------------------------------------------------------------------------------------
    @property
    def codes(self) -> list[str]:
        return list(self.signals.codes)

    def _dense(self, units: list[Unit]) -> np.ndarray:
        parts = [np.zeros((len(units), 0))]
        if self.lexicon_ is not None:
            parts += [np.log1p(self.lexicon_.counts(units)), np.log1p(self.lexicon_.counts(units, context=True))]
        if self.semantic_ is not None:
            parts.append(self.semantic_.scores(units))
        return np.hstack(parts)

    def _design(self, units: list[Unit], dense: np.ndarray | None = None):
        blocks = [self.featurizer_.transform(units)]
        dense = self._dense(units) if dense is None else dense
        if dense.shape[1]:
            blocks.append(sparse.csr_matrix(self.dense_scaler_.transform(dense) * self.dense_weight))
        return sparse.hstack(blocks).tocsr()

    def fit(self, X: list[Unit], y) -> "ThemeCoder":
        """Learn from ``X`` (units) and ``y`` (units × codes: 1, 0, or -1 for a unit without human codes)."""
        from sklearn.preprocessing import StandardScaler

        if self.signals is None:
            raise ValueError("ThemeCoder needs signals=codebook_signals(codebook, codes, cache)")
        units = list(X)
        y = np.asarray(y, dtype=int).reshape(len(units), len(self.codes))
        codebook, codes = self.signals.codebook, self.codes
        human = (y != UNLABELLED).all(axis=1)
        human_units = [u for u, h in zip(units, human) if h]
        self.n_human_ = int(human.sum())
        self.lexicon_ = LexiconMatcher(codebook, codes) if self.use_lexicon else None
        if self.lexicon_ is not None and self.lexicon_min_precision is not None and self.n_human_:
            self.lexicon_.prune(human_units, y[human], self.lexicon_min_precision)
        self.semantic_ = SemanticMatcher(self.signals.described).fit(human_units, y[human]) \
            if self.use_semantic else None

        rows, labels, weights = human_units, [y[human]], [np.ones(self.n_human_)]
        if self.use_codebook:
            uncoded = [u for u, h in zip(units, human) if not h]
            if uncoded and self.lexicon_ is not None:
                rows = rows + uncoded
                labels.append(rule_labels(self.lexicon_.counts(uncoded), self.lexicon_.counts(uncoded, context=True)))
                weights.append(np.full(len(uncoded), self.weak_weight))
            rows = rows + self.signals.examples
            labels.append(self.signals.example_labels)
            weights.append(np.full(len(self.signals.examples), self.codebook_weight))
        target = np.vstack(labels).reshape(len(rows), len(codes))
        weight = np.concatenate(weights)

        self.featurizer_ = FinnishFeaturizer(vector_weight=self.vector_weight).fit(
            units + self.signals.examples if self.use_codebook else units)
        dense = self._dense(rows)
        self.dense_scaler_ = StandardScaler().fit(dense) if dense.shape[1] and len(rows) else None
        design = self._design(rows, dense) if rows else None
        self.models_, self.base_rates_ = [], []
        for k in range(len(codes)):
            known = target[:, k] != UNLABELLED
            t = target[known, k]
            self.base_rates_.append(float(t.mean()) if len(t) else 0.0)
            if len(set(t.tolist())) < 2:
                self.models_.append(None)       # nothing to tell apart: the code always (or never) applies
            else:
                self.models_.append(_logistic(self.C).fit(design[known], t, sample_weight=weight[known]))
        self.thresholds_ = np.full(len(codes), 0.5)
        self.train_ids_ = [u.segment_id for u in human_units]
        self.train_vectors_ = np.vstack([u.vector for u in human_units]) if human_units else np.zeros((0, 1))
        self.train_y_ = y[human]
        return self

    # -- predicting -------------------------------------------------------------------------------------
    def predict_proba(self, X: list[Unit]) -> np.ndarray:
        """Units × codes: the probability that each code applies (class-balanced: 0.5 is the cut)."""
        units = list(X)
        out = np.zeros((len(units), len(self.codes)))
        if not units:
            return out
        design = self._design(units)
        for k, model in enumerate(self.models_):
            out[:, k] = model.predict_proba(design)[:, 1] if model is not None else self.base_rates_[k]
        return out

    def predict(self, X: list[Unit]) -> np.ndarray:
        """Units × codes of 0/1."""
        return (self.predict_proba(X) >= self.thresholds_).astype(int)

    def score(self, X: list[Unit], y) -> float:
        """Mean Cohen's κ over the codes, on the units of ``y`` with a human coding (scikit-learn's default
        score for ``cross_val_score`` and ``GridSearchCV``)."""
        from sklearn.metrics import cohen_kappa_score

        y = np.asarray(y, dtype=int)
        known = (y != UNLABELLED).all(axis=1)
        predicted = self.predict([u for u, k in zip(X, known) if k])
        kappas = [cohen_kappa_score(y[known, k], predicted[:, k]) for k in range(y.shape[1])]
        return float(np.nanmean(kappas)) if kappas else float("nan")

    def explain(self, unit: Unit, code: str, probability: float) -> dict:
        """Why ``code`` was given to ``unit``: matched words, nearest coded reference segments, scores."""
        k = self.codes.index(code)
        evidence = {"score": round(float(probability), 3), "threshold": round(float(self.thresholds_[k]), 3)}
        if self.lexicon_ is not None:
            evidence["matched"] = self.lexicon_.matches(unit.words)[k]
            evidence["context_matched"] = self.lexicon_.matches(unit.context_words)[k]
        if self.semantic_ is not None:
            evidence["similarity"] = round(float(unit.vector @ self.semantic_.prototypes[k]), 3)
        positives = np.flatnonzero(self.train_y_[:, k] == 1) if len(self.train_y_) else np.array([], dtype=int)
        if len(positives):
            sims = self.train_vectors_[positives] @ unit.vector
            order = positives[np.argsort(-sims)]
            evidence["nearest"] = [self.train_ids_[i] for i in order if self.train_ids_[i] != unit.segment_id][:2]
        else:
            evidence["nearest"] = []
        if self.n_human_ == 0:
            evidence["learned_from"] = "codebook"
        return evidence


def _logistic(C: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=2000, random_state=0)


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
