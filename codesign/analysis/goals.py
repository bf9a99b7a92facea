"""Goal evidence as measured models: which goals of the programme each participant unit speaks to (a *link*),
its *stance* on each (support, question, refine — another target, measure, scope or wording — or none), and
the sentence(s) that carry it; each with its evidence, a confidence and a flag for a person to check.

Both models are logistic regressions over features that are relative to the programme's own words, so they
carry over to any programme:

* **link** (one row per unit × goal): how strongly the unit's words, its sentences, the interviewer's question
  it answers (and the last question before it that presented a goal), and the frame, survey question or draft
  section it answers, match the goal — the goal's lexicon and the content words of its text and indicator
  (lemmas, Voikko base forms and compound parts; each word weighted by how few goals it belongs to), the
  numbers it names (*250*, *kakskytkaheksan*), the cosine of their vectors — in absolute terms and against the
  programme's other goals; whether the unit is coded with the goal's theme;
* **stance** (one row per link): the Finnish stance cues of the sentences that speak to the goal and of the
  whole unit (``codesign.nlp.stance``: endorsement, doubt, negation with its scope — *en usko*, *ei se oo
  realistinen* —, hedging — *tuskin*, *vaikea sanoa*, *en osaa sanoa* —, *kyllä mutta*, proposals — *ennemmin*,
  *rinnalle*, a first-person conditional, another number than the goal's), what kind of question it answers
  (does it ask for an evaluation — *miltä kuulostaa*, *onko realistinen* — or how to do it — *kuka*, *miten*).

The weights are learned from a goal-evidence coding (``segment_id,goal_id,stance,sentence``): a project's own
(``goal_evidence:`` in project.yml) where it has one, else the default weights shipped in
``goal_model.json`` (learned from the demo's coding, measured on independent material: docs/goals.md).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from codesign.analysis.columns import GOAL_LINK_COLUMNS
from codesign.core.text import sentence_spans
from codesign.nlp.stance import CUE_KINDS, cues, numbers  # noqa: F401  (CUE_KINDS: feature names)

STANCES = ("support", "question", "refine", "none")
#: Lemmas that present a goal in an interviewer's question, a frame or a draft section.
GOAL_WORDS = frozenset({"tavoite", "tavoitella", "tavoitteena", "mittari", "ohjelma", "luonnos", "tavote",
                        "tavoittelu", "tavoitetaso", "tavoiteltava"})
#: Words of goal texts that say nothing about which goal it is.
GENERIC = frozenset("""
olla kunta kolari vuosi osuus määrä uusi kaikki tulla vähintään nousta kasvaa saada tehdä pitää jokin yli
lähtötaso kumulatiivinen lisäksi seurata rinnalla mukaan muu sekä eri oma koko henkilö kerta
""".split())
#: Evaluative questions ask for a stance; how-questions ask for means (whose answers seldom take one).
EVALUATIVE = frozenset("""miltä kuulostaa realistinen ajatella mieltä mielestä kannattaa hyvä oikea uskoa
tuntua näyttää arvioida mieli""".split())
HOW = frozenset("kuka miten mikä mitä millainen missä mistä kenen mihin milloin keiden".split())
CONTENT_POS = ("NOUN", "PROPN", "ADJ", "VERB", "NUM", "X")


# --- what the models read -----------------------------------------------------------------------------------

@dataclass
class TextView:
    """A text as the models read it: its lemmas (with compound parts), numbers, content vector and the vectors
    of its content words' base forms (for soft matching: *kaivoshaave* is near *kaivos*)."""
    lemmas: frozenset
    numbers: frozenset
    vector: np.ndarray | None
    word_vectors: np.ndarray | None = None


@dataclass
class UnitView:
    """One participant unit: its words, sentences and the context it answers."""
    segment_id: str
    text: str
    words: list
    spans: list[tuple[int, int]]
    sentence_words: list[list[int]]         # word indices of each sentence
    view: TextView
    sentences: list[TextView]
    questions: list[tuple[str, TextView]]   # the interviewer's preceding turns, nearest first
    prompt: TextView | None
    codes: frozenset
    transcript: bool


@dataclass
class GoalView:
    """A goal in the programme's own words."""
    id: str
    theme: str
    weights: dict[str, float]      # lemma -> weight (lexicon and content words of its text and indicator)
    keyword_vectors: np.ndarray | None  # unit vectors of the weighted words, in the order of ``weights``
    lexicon: frozenset
    numbers: frozenset
    vector: np.ndarray | None
    theme_vector: np.ndarray | None
    theme_words: frozenset


def _unit_vector(tokens) -> np.ndarray | None:
    vectors = [t.vector for t in tokens if t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and t.has_vector]
    if not vectors:
        return None
    vec = np.mean(vectors, axis=0)
    norm = np.linalg.norm(vec)
    return vec / norm if norm else None


_VECTORS: dict[str, np.ndarray] = {}


def word_vector(vocab, word: str) -> np.ndarray:
    """The unit floret vector of a base form (remembered: the same words recur)."""
    if word not in _VECTORS:
        vec = np.asarray(vocab.get_vector(word), dtype=np.float32)
        norm = np.linalg.norm(vec)
        _VECTORS[word] = vec / norm if norm else vec
    return _VECTORS[word]


def _word_vectors(ws, vocab) -> np.ndarray | None:
    lemmas = sorted({w.lemma for w in ws if w.pos in ("NOUN", "PROPN", "ADJ", "VERB") and len(w.lemma) > 2})
    return np.vstack([word_vector(vocab, lem) for lem in lemmas]) if lemmas else None


def _lemma_set(ws) -> frozenset:
    return frozenset().union(*(w.lemmas | {w.lemma} | w.parts for w in ws)) if ws else frozenset()


def text_view(doc, ws=None) -> TextView:
    from codesign.nlp.finnish import words

    ws = words(doc) if ws is None else ws
    return TextView(_lemma_set(ws), frozenset(numbers(ws)), _unit_vector(doc), _word_vectors(ws, doc.vocab))


def goal_views(themes, process) -> list[GoalView]:
    """Every goal of the programme as weighted words, numbers and vectors (``process``: texts -> docs)."""
    from codesign.nlp.finnish import compound_parts, words

    goals = [g for t in themes for g in t.goals]
    docs = process([f"{g.text} {g.indicator or ''}" for g in goals])
    theme_docs = dict(zip([t.id for t in themes], process([f"{t.title}" for t in themes])))
    raw = []
    for g, doc in zip(goals, docs):
        ws = words(doc)
        own = {lem for w in ws if w.pos in CONTENT_POS for lem in (w.lemmas | w.parts | {w.lemma})}
        own = {w for w in own if len(w) > 2 and not w.isdigit() and w not in GENERIC}
        lexicon = frozenset(x.casefold() for x in g.lexicon)
        # the parts of the lexicon's compounds (kesäkausi → kesä) at a lower weight: "kesä ja syksy" speaks of
        # the summer-season goal
        parts = {p for x in lexicon for p in compound_parts(x) if len(p) > 3 and p not in GENERIC} - lexicon - own
        nums = set(numbers(ws))
        for value in (g.baseline, g.target):
            if value is not None and float(value).is_integer():
                nums.add(int(value))
        nums |= {n % 100 for n in nums if 2000 <= n <= 2100}     # "kakskytkaheksan" for 2028
        raw.append((g, own | lexicon | parts, lexicon, frozenset(nums), parts))
    df: dict[str, int] = {}
    for _, vocab, _, _, _ in raw:
        for w in vocab:
            df[w] = df.get(w, 0) + 1
    n = max(len(goals), 2)
    out = []
    for (g, vocab, lexicon, nums, parts), doc in zip(raw, docs):
        weights = {w: math.log(n / df[w]) / math.log(n) * (1.0 if w in lexicon else 0.5 if w in parts else 0.7)
                   for w in sorted(vocab)}
        weights = {w: v for w, v in weights.items() if v > 0}
        theme_doc = theme_docs[g.theme]
        keyword_vectors = np.vstack([word_vector(doc.vocab, w) for w in weights]) if weights else None
        out.append(GoalView(g.id, g.theme, weights, keyword_vectors, lexicon, nums,
                            _unit_vector(doc), _unit_vector(theme_doc),
                            frozenset(w for w in _lemma_set(words(theme_doc)) if len(w) > 3 and w not in GENERIC)))
    return out


def unit_views(segments: pd.DataFrame, questions: list[tuple[str, ...]], process) -> list[UnitView]:
    """The participant units of ``segments`` (with ``codes``) as the models read them; ``questions``: per unit,
    the interviewer's preceding turns, nearest first (``codesign.sources.segments.interviewer_questions``)."""
    from codesign.nlp.finnish import words

    texts = list(segments["text"].astype(str))
    docs = process(texts)
    context = sorted({q for qs in questions for q in qs} | {str(p) for p in segments["prompt"].dropna()})
    context_views = dict(zip(context, (text_view(d) for d in process(context)))) if context else {}
    out = []
    for i, (text, doc) in enumerate(zip(texts, docs)):
        ws = words(doc)
        spans = sentence_spans(text)
        owner = []
        for w in ws:
            owner.append(next((k for k, (a, b) in enumerate(spans) if a <= w.start < b), max(len(spans) - 1, 0)))
        sentence_words = [[j for j, o in enumerate(owner) if o == k] for k in range(len(spans))]
        sentence_views = []
        for k, (a, b) in enumerate(spans):
            sw = [ws[j] for j in sentence_words[k]]
            tokens = [t for t in doc if a <= t.idx < b]
            sentence_views.append(TextView(_lemma_set(sw), frozenset(numbers(sw)), _unit_vector(tokens), None))
        prompt = segments["prompt"].iloc[i]
        out.append(UnitView(
            str(segments["segment_id"].iloc[i]), text, ws, spans, sentence_words,
            TextView(_lemma_set(ws), frozenset(numbers(ws)), _unit_vector(doc), _word_vectors(ws, doc.vocab)),
            sentence_views,
            [(q, context_views[q]) for q in questions[i]],
            context_views.get(str(prompt)) if isinstance(prompt, str) and prompt.strip() else None,
            frozenset(segments["codes"].iloc[i]) if "codes" in segments.columns else frozenset(),
            bool(questions[i])))
    return out


# --- features -------------------------------------------------------------------------------------------------

def _scores(view: TextView | None, goals: list[GoalView]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(word match, lexicon words, numbers named, cosine) of a text against every goal."""
    k = len(goals)
    if view is None:
        return np.zeros(k), np.zeros(k), np.zeros(k), np.zeros(k)
    match = np.array([sum(w for lem, w in g.weights.items() if lem in view.lemmas) for g in goals])
    lex = np.array([len(g.lexicon & view.lemmas) for g in goals], dtype=float)
    num = np.array([len(g.numbers & view.numbers) for g in goals], dtype=float)
    cos = np.array([float(view.vector @ g.vector) if view.vector is not None and g.vector is not None else 0.0
                    for g in goals])
    return match, lex, num, cos


#: Below this cosine a word is not near a goal's word at all (soft matching).
SOFT_FLOOR = 0.55


def soft_match(view: TextView | None, goals: list[GoalView]) -> np.ndarray:
    """Per goal: its words' weights, each times how near the text's nearest word is (cosine above
    ``SOFT_FLOOR``, scaled to 0..1; an exact base form is 1)."""
    out = np.zeros(len(goals))
    if view is None or view.word_vectors is None:
        return out
    for j, g in enumerate(goals):
        if g.keyword_vectors is None:
            continue
        nearest = (view.word_vectors @ g.keyword_vectors.T).max(axis=0)
        closeness = np.clip((nearest - SOFT_FLOOR) / (1 - SOFT_FLOOR), 0, 1)
        exact = np.array([1.0 if w in view.lemmas else 0.0 for w in g.weights])
        out[j] = float(np.maximum(closeness, exact) @ np.array(list(g.weights.values())))
    return out


def _margin(values: np.ndarray) -> np.ndarray:
    """Each goal's value minus the best other goal's value."""
    if len(values) < 2:
        return values.copy()
    order = np.sort(values)
    best, second = order[-1], order[-2]
    return values - np.where(values == best, second, best)


def _best(values: np.ndarray) -> np.ndarray:
    top = values.max() if len(values) else 0
    return ((values == top) & (values > 0)).astype(float)


LINK_FEATURES = (
    "unit_match", "unit_match_margin", "unit_match_best", "unit_lexicon", "unit_numbers", "unit_cosine",
    "unit_cosine_margin", "sentence_match", "sentence_match_margin", "named",
    "question_match", "question_match_margin", "question_best", "question_numbers", "question_cosine_margin",
    "question_presents", "presented", "presented_distance", "presented_other",
    "prompt_match", "prompt_match_margin", "prompt_cosine_margin", "prompt_theme", "prompt_measures",
    "theme_coded", "goal_coded", "transcript", "words",
    "transcript_x_question_best", "table_x_unit_best", "table_x_prompt_theme",
    "coded_x_unit_match", "coded_x_unit_lexicon", "coded_x_question_match", "coded_x_presented",
    "unit_soft", "unit_soft_margin", "question_soft_margin", "coded_x_unit_soft",
    "table_x_unit_soft", "table_x_unit_lexicon", "table_x_unit_soft_margin", "table_x_coded",
    "unit_density", "table_x_unit_density",
)


def link_features(unit: UnitView, goals: list[GoalView]) -> tuple[np.ndarray, list[dict]]:
    """The link features of one unit against every goal (rows: goals, columns: ``LINK_FEATURES``) and, per goal,
    what matched (the evidence of a link)."""
    k = len(goals)
    u_match, u_lex, u_num, u_cos = _scores(unit.view, goals)
    u_soft = soft_match(unit.view, goals)
    # how much of what the unit says is about the goal: "Kaivos" is all about it, one mention in a long
    # answer about housing is not
    content = sum(1 for w in unit.words if w.pos in ("NOUN", "PROPN", "ADJ", "VERB"))
    density = u_soft / math.sqrt(max(content, 1))
    q_soft = soft_match(unit.questions[0][1], goals) if unit.questions else np.zeros(k)
    s_scores = [_scores(s, goals)[0] for s in unit.sentences] or [np.zeros(k)]
    s_best = np.max(np.vstack(s_scores), axis=0)
    named = np.array([1.0 if re.search(rf"\b{re.escape(g.id)}\b", unit.text) else 0.0 for g in goals])
    q_match = q_num = q_cosm = np.zeros(k)
    q_best = np.zeros(k)
    q_presents = 0.0
    presented, distance, presented_other = np.zeros(k), 0.0, 0.0
    if unit.questions:
        q_view = unit.questions[0][1]
        q_match, _, q_num, q_cos = _scores(q_view, goals)
        q_best = _best(q_match + q_num)
        q_cosm = _margin(q_cos)
        q_presents = float(bool(q_view.lemmas & GOAL_WORDS))
        # the last question before this answer that presented a goal: follow-ups ("who would build them?",
        # "is the mine in conflict with tourism?") go on speaking to it until a question about another goal
        between = []
        for d, (_, view) in enumerate(unit.questions, start=1):
            m, _, n, _ = _scores(view, goals)
            strength = m + n
            if (view.lemmas & GOAL_WORDS or n.max() > 0) and strength.max() >= 0.5:
                presented = _best(strength)
                distance = 1.0 / d
                presented_other = float(any(b.max() >= 1.0 and not (_best(b) @ presented) for b in between))
                if presented_other:
                    presented = np.zeros(k)
                break
            between.append(strength)
    p_match, _, _, p_cos = _scores(unit.prompt, goals)
    prompt_theme = np.zeros(k)
    prompt_measures = 0.0
    if unit.prompt is not None:
        theme_hits = np.array([len(g.theme_words & unit.prompt.lemmas) for g in goals], dtype=float)
        theme_cos = np.array([float(unit.prompt.vector @ g.theme_vector)
                              if unit.prompt.vector is not None and g.theme_vector is not None else 0.0 for g in goals])
        prompt_theme = np.maximum(_best(theme_hits), (theme_cos >= theme_cos.max() - 1e-9) * (theme_cos > 0.6))
        prompt_measures = float(bool(unit.prompt.lemmas & {"mittari", "mitata", "seuranta", "tavoite"}))
    theme_coded = np.array([1.0 if g.theme in unit.codes else 0.0 for g in goals])
    goal_coded = float("TAVOITE" in unit.codes)
    transcript = float(unit.transcript)
    n_words = math.log1p(len(unit.words))
    u_best = _best(u_match + u_num)
    columns = [
        u_match, _margin(u_match), u_best, u_lex, np.minimum(u_num, 2), u_cos, _margin(u_cos),
        s_best, _margin(s_best), named,
        q_match, _margin(q_match), q_best, np.minimum(q_num, 2), q_cosm,
        np.full(k, q_presents), presented, presented * distance, np.full(k, presented_other),
        p_match, _margin(p_match), _margin(p_cos), prompt_theme, np.full(k, prompt_measures) * prompt_theme,
        theme_coded, np.full(k, goal_coded) * theme_coded, np.full(k, transcript), np.full(k, n_words),
        transcript * q_best, (1 - transcript) * u_best, (1 - transcript) * prompt_theme,
        theme_coded * u_match, theme_coded * u_lex, theme_coded * _margin(q_match), theme_coded * presented,
        u_soft, _margin(u_soft), _margin(q_soft), theme_coded * u_soft,
        (1 - transcript) * u_soft, (1 - transcript) * u_lex, (1 - transcript) * _margin(u_soft),
        (1 - transcript) * theme_coded,
        density, (1 - transcript) * density,
    ]
    matrix = np.column_stack(columns)
    evidence = []
    for j, g in enumerate(goals):
        matched = sorted(lem for lem in g.weights if lem in unit.view.lemmas)
        asked = sorted(lem for lem in g.weights if unit.questions and lem in unit.questions[0][1].lemmas)
        # counts, not the words: a goal word may be part of a firm's name (Sustainable Travel Finland), and the
        # table is an output the leak gate reads; the quote and the cues show the words in context
        evidence.append({"goal_words": len(matched), "numbers": sorted(g.numbers & unit.view.numbers),
                         "question_goal_words": len(asked), "presented": bool(presented[j]),
                         "cosine": round(float(u_cos[j]), 3)})
    return matrix, evidence


SENTENCE_CUES = ("support", "negated_support", "doubt", "negated_doubt", "negated_realisation", "hedge",
                 "dont_know", "refine", "conditional_first_person", "yes_but", "necessive", "starts_no",
                 "starts_yes", "negated_measure", "question_mark", "condition", "past")
SENTENCE_FEATURES = ("match", "match_best", "numbers", "cosine", "first", "last", "position", "only",
                     "answers_question", "first_x_answers", "short", "after_short", "refers", "words") + tuple(
                         f"cue_{c}" for c in SENTENCE_CUES) + ("cues_total", "cue_best")
#: Words that refer back to the goal just presented (*se on hyvä*, *tuo tavoite*, *siihen en usko*).
REFERRING = frozenset("se tuo tämä tavoite tavote luku määrä mittari siinä siihen sitä".split())


def sentence_cues(unit: UnitView) -> list:
    """The stance cues of each sentence of a unit (remembered on the unit)."""
    cached = unit.__dict__.get("_sentence_cues")
    if cached is None:
        cached = [cues(unit.text, [unit.words[j] for j in unit.sentence_words[k]]) for k in range(len(unit.spans))]
        unit.__dict__["_sentence_cues"] = cached
    return cached


def sentence_features(unit: UnitView, goal: GoalView) -> np.ndarray:
    """One row per sentence of the unit (columns ``SENTENCE_FEATURES``): how much it speaks to the goal and
    whether it takes a stance — what makes a coder quote it as the sentence that carries the link."""
    n = len(unit.sentences)
    matches = [_scores(s, [goal]) for s in unit.sentences]
    match = np.array([m[0][0] + m[2][0] for m in matches])
    per = sentence_cues(unit)
    totals = np.array([sum(c[x] for x in SENTENCE_CUES if x not in ("past", "condition", "question_mark"))
                       for c in per])
    rows = []
    for k in range(n):
        m, _, num, cos = matches[k]
        length = len(unit.sentence_words[k])
        said = {unit.words[j].text.casefold() for j in unit.sentence_words[k]}
        rows.append([m[0], float(match[k] == match.max() and match[k] > 0), num[0], cos[0],
                     float(k == 0), float(k == n - 1), k / max(n - 1, 1), float(n == 1),
                     float(unit.transcript), float(k == 0 and unit.transcript), float(length <= 3),
                     float(k > 0 and len(unit.sentence_words[k - 1]) <= 3), float(bool(said & REFERRING)),
                     math.log1p(length)]
                    + [per[k][x] for x in SENTENCE_CUES] + [totals[k], float(totals[k] == totals.max() > 0)])
    return np.array(rows, dtype=float).reshape(n, len(SENTENCE_FEATURES))


def choose_sentences(unit: UnitView, goal: GoalView, sentence_model=None) -> list[int]:
    """The sentences of a unit that speak to a goal: the one the sentence model rates highest, any other it
    rates at least 0.5 (three at most), and after a bare verdict (*Olisi.*, *Hyvä.*) the sentence it leads
    into. Without a model: the sentence that matches the goal's words and takes a stance the most."""
    n = len(unit.sentences)
    if n <= 1:
        return [0] if n else []
    x = sentence_features(unit, goal)
    if sentence_model is not None:
        p = sentence_model.predict_proba(x)[:, 1]
    else:
        cols = {name: i for i, name in enumerate(SENTENCE_FEATURES)}
        p = x[:, cols["match"]] + 0.5 * x[:, cols["cues_total"]] + 0.5 * x[:, cols["first_x_answers"]]
        p = p / max(p.max(), 1e-9) * 0.6
    chosen = {int(np.argmax(p))} | set(np.flatnonzero(p >= 0.5).tolist())
    if len(chosen) > 3:
        chosen = set(np.argsort(-p)[:3].tolist())
    for k in sorted(chosen):
        if len(unit.sentence_words[k]) <= 3 and k + 1 < n:
            chosen.add(k + 1)
    return sorted(chosen)


STANCE_FEATURES = tuple(f"focus_{c}" for c in CUE_KINDS) + tuple(f"unit_{c}" for c in CUE_KINDS) + (
    "other_number", "goal_number", "question_evaluative", "question_how", "question_yes_no", "transcript",
    "focus_share", "words", "coded_tavoite", "coded_ehdotus", "coded_haaste", "coded_vahvuus", "prompt_measures",
)


def stance_features(unit: UnitView, goal: GoalView, chosen: list[int]) -> tuple[np.ndarray, list[str]]:
    """The stance features of a link (columns ``STANCE_FEATURES``) and the cue words found in the sentences
    that speak to the goal (its evidence)."""
    focus_ws = [unit.words[j] for k in chosen for j in unit.sentence_words[k]]
    focus = cues(unit.text, focus_ws)          # the words keep their offsets in the unit's text
    whole = cues(unit.text, unit.words)
    said = set(numbers(focus_ws))
    other = {n for n in said if n not in goal.numbers and n < 100000 and not (1900 <= n <= 2100)}
    q_lemmas = unit.questions[0][1].lemmas if unit.questions else frozenset()
    q_text = unit.questions[0][0].casefold() if unit.questions else ""
    yes_no = float(bool(re.search(r"\w+(ko|kö)\b", q_text)))
    row = [focus[c] for c in CUE_KINDS] + [whole[c] for c in CUE_KINDS] + [
        float(bool(other)), float(bool(said & goal.numbers)),
        float(bool(q_lemmas & EVALUATIVE)), float(bool(q_lemmas & HOW) and not (q_lemmas & EVALUATIVE)),
        yes_no, float(unit.transcript), len(focus_ws) / max(len(unit.words), 1), math.log1p(len(unit.words)),
        float("TAVOITE" in unit.codes), float("EHDOTUS" in unit.codes), float("HAASTE" in unit.codes),
        float("VAHVUUS" in unit.codes),
        float(bool(unit.prompt is not None and unit.prompt.lemmas & {"mittari", "mitata", "seuranta"})),
    ]
    return np.array(row, dtype=float), list(dict.fromkeys(focus.words))


# --- the models -----------------------------------------------------------------------------------------------

def _regression(c: float, balanced: bool = False):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=3000,
                                                              class_weight="balanced" if balanced else None))


#: Regularisation of the three regressions (scikit-learn's C; smaller is stronger), chosen on the demo's
#: leave-one-interview-out folds.
C_LINK, C_SENTENCE, C_STANCE = 0.3, 0.3, 0.1


@dataclass
class GoalModel:
    """The link, sentence and stance models: scikit-learn logistic regressions on standardised features."""
    link: object = None
    sentence: object = None
    stance: object = None
    threshold: float = 0.5
    trained_on: str = ""
    figures: dict = field(default_factory=dict)

    def link_probability(self, x: np.ndarray) -> np.ndarray:
        return self.link.predict_proba(x)[:, 1]

    def stance_probabilities(self, x: np.ndarray) -> pd.DataFrame:
        frame = pd.DataFrame(self.stance.predict_proba(np.atleast_2d(x)), columns=list(self.stance.classes_))
        return frame.reindex(columns=list(STANCES), fill_value=0.0)

    def link_reasons(self, x: np.ndarray, top: int = 3) -> list[str]:
        """The features that raised a link's probability most (coefficient × standardised value)."""
        scaler, lr = self.link.steps[0][1], self.link.steps[1][1]
        contribution = (x - scaler.mean_) / scaler.scale_ * lr.coef_[0]
        order = np.argsort(-contribution)[:top]
        return [LINK_FEATURES[i] for i in order if contribution[i] > 0]

    def to_json(self) -> dict:
        """The numbers of the standardisers and regressions (nothing of the texts they were learned from)."""
        def part(pipe, names):
            scaler, lr = pipe.steps[0][1], pipe.steps[1][1]
            return {"features": list(names), "mean": scaler.mean_.round(8).tolist(),
                    "scale": scaler.scale_.round(8).tolist(), "classes": [str(c) for c in lr.classes_],
                    "coef": lr.coef_.round(8).tolist(), "intercept": lr.intercept_.round(8).tolist()}
        return {"link": part(self.link, LINK_FEATURES), "sentence": part(self.sentence, SENTENCE_FEATURES),
                "stance": part(self.stance, STANCE_FEATURES), "threshold": self.threshold,
                "trained_on": self.trained_on, "figures": self.figures}

    @classmethod
    def from_json(cls, data: dict, where: str = "goal model") -> "GoalModel":
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        from codesign.core.errors import InputError

        def part(name, names):
            d = data[name]
            if list(d["features"]) != list(names):
                raise InputError(where, f"the {name} model's features differ from this version of codesign",
                                 hint="re-fit it: benchmarks/bench_goals.py --write-default")
            scaler = StandardScaler()
            scaler.mean_, scaler.scale_ = np.array(d["mean"]), np.array(d["scale"])
            scaler.var_, scaler.n_features_in_ = scaler.scale_ ** 2, len(names)
            lr = LogisticRegression()
            classes = d["classes"]
            lr.classes_ = np.array([c == "True" for c in classes] if set(classes) <= {"True", "False"} else classes)
            lr.coef_, lr.intercept_, lr.n_features_in_ = np.array(d["coef"]), np.array(d["intercept"]), len(names)
            return make_pipeline(scaler, lr)
        return cls(part("link", LINK_FEATURES), part("sentence", SENTENCE_FEATURES), part("stance", STANCE_FEATURES),
                   float(data.get("threshold", 0.5)), str(data.get("trained_on", "")), dict(data.get("figures", {})))


DEFAULT_MODEL = Path(__file__).with_name("goal_model.json")


def default_model() -> GoalModel | None:
    """The shipped weights (learned from the demo's goal-evidence coding; docs/goals.md), None if absent."""
    if not DEFAULT_MODEL.is_file():
        return None
    return GoalModel.from_json(json.loads(DEFAULT_MODEL.read_text(encoding="utf-8")), str(DEFAULT_MODEL))


# --- a goal-evidence coding -----------------------------------------------------------------------------------

CODING_COLUMNS = ("segment_id", "goal_id", "stance", "sentence")


def read_goal_coding(path: Path, goal_ids: list[str], unit_ids: set[str] | None = None) -> pd.DataFrame:
    """A goal-evidence coding (CSV ``segment_id,goal_id,stance,sentence``; one row per link, ``sentence``
    optional) with its rows checked: a known goal, a known stance, a participant unit of the build. A row
    with an empty ``goal_id`` records a unit coded without a link."""
    from codesign.core.errors import InputError

    path = Path(path)
    if not path.is_file():
        raise InputError(path, "the goal-evidence coding named in project.yml (goal_evidence:) is missing",
                         hint="give the path of a CSV segment_id,goal_id,stance,sentence, or remove the key")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InputError(path, f"not a readable UTF-8 CSV file ({error})",
                         hint="save it as CSV (UTF-8) with the columns segment_id,goal_id,stance,sentence") from None
    missing = [c for c in CODING_COLUMNS[:3] if c not in frame.columns]
    if missing:
        raise InputError(path, f"the column(s) {', '.join(missing)} are missing", row=1,
                         hint="the header must be segment_id,goal_id,stance[,sentence]")
    if "sentence" not in frame.columns:
        frame["sentence"] = ""
    known = set(goal_ids)
    for row, r in enumerate(frame.itertuples(index=False), start=2):
        if r.goal_id and r.goal_id not in known:
            raise InputError(path, f"unknown goal {r.goal_id!r}", row=row, column="goal_id",
                             hint="use a goal id of the programme the material reacted to: " + ", ".join(goal_ids))
        if r.goal_id and r.stance not in STANCES:
            raise InputError(path, f"unknown stance {r.stance!r}", row=row, column="stance",
                             hint="use one of " + ", ".join(STANCES))
        if unit_ids is not None and r.segment_id not in unit_ids:
            raise InputError(path, f"{r.segment_id!r} is not a participant segment of the build", row=row,
                             column="segment_id", hint="use the segment ids of build/segments.parquet "
                                                       "(docs/schema.md); interviewer turns are not coded")
    return frame[list(CODING_COLUMNS)]


def covered_units(coding: pd.DataFrame, units: list[UnitView], sources: dict[str, str]) -> set[str]:
    """The units a goal-evidence coding decides: every participant unit of each source it has a row in (a
    coder reads whole sources; units without a row have no link)."""
    coded_sources = {sources[s] for s in coding["segment_id"] if s in sources}
    return {u.segment_id for u in units if sources.get(u.segment_id) in coded_sources}


def gold_sentences(unit: UnitView, sentence: str) -> list[int]:
    """The sentences of a unit that a coding's ``sentence`` quotes."""
    from codesign.core.text import sentences

    quoted = " ".join(str(sentence).split())
    if not quoted:
        return []
    return [k for k, s in enumerate(sentences(unit.text)) if s and (s in quoted or quoted in s)]


# --- training, prediction, cross-fitting ----------------------------------------------------------------------

@dataclass
class Features:
    """What the models read for a set of units: every unit × goal pair and its evidence."""
    units: list[UnitView]
    goals: list[GoalView]
    link: np.ndarray                  # (units × goals, LINK_FEATURES), unit-major
    evidence: list[dict]

    def row(self, unit_index: int, goal_index: int) -> int:
        return unit_index * len(self.goals) + goal_index


def project_features(inputs) -> Features:
    """Every participant unit of the analysis inputs against every goal of the programme they validate."""
    # the programme's texts are not the project's pseudonymised material: processed, not kept in the cache
    goals = goal_views(inputs.themes, lambda texts: inputs.process(texts, remember=False))
    segments = inputs.segments
    questions = list(segments["context_questions"]) if "context_questions" in segments.columns else [()] * len(segments)
    questions = [tuple(q) if isinstance(q, (list, tuple, np.ndarray)) else () for q in questions]
    return features(unit_views(segments, questions, inputs.process), goals)


def features(units: list[UnitView], goals: list[GoalView]) -> Features:
    rows, evidence = [], []
    for unit in units:
        matrix, ev = link_features(unit, goals)
        rows.append(matrix)
        evidence += ev
    link = np.vstack(rows) if rows else np.zeros((0, len(LINK_FEATURES)))
    return Features(units, goals, link, evidence)


def fit(feats: Features, coding: pd.DataFrame, unit_indices: list[int] | None = None,
        trained_on: str = "") -> GoalModel:
    """The three models learned from a goal-evidence coding of the units ``unit_indices`` (default: all)."""
    idx = list(range(len(feats.units))) if unit_indices is None else list(unit_indices)
    gold = {(r.segment_id, r.goal_id): (r.stance, r.sentence) for r in coding.itertuples() if r.goal_id}
    goal_index = {g.id: j for j, g in enumerate(feats.goals)}
    rows = [feats.row(i, j) for i in idx for j in range(len(feats.goals))]
    y = np.array([(feats.units[i].segment_id, g.id) in gold for i in idx for g in feats.goals])
    link = _regression(C_LINK).fit(feats.link[rows], y)
    links = []
    by_unit: dict[str, list] = {}
    for (sid, gid), value in gold.items():
        by_unit.setdefault(sid, []).append((gid, value))
    for i in idx:
        for gid, (st, sent) in by_unit.get(feats.units[i].segment_id, []):
            links.append((i, goal_index[gid], st, sent))
    sx, sy = [], []
    for i, j, _, sent in links:
        unit = feats.units[i]
        if len(unit.spans) > 1:
            marked = gold_sentences(unit, sent)
            if marked:
                sx.append(sentence_features(unit, feats.goals[j]))
                sy += [k in marked for k in range(len(unit.spans))]
    sentence = _regression(C_SENTENCE).fit(np.vstack(sx), np.array(sy))
    tx, ty = [], []
    for i, j, st, _ in links:
        chosen = choose_sentences(feats.units[i], feats.goals[j], sentence)
        tx.append(stance_features(feats.units[i], feats.goals[j], chosen)[0])
        ty.append(st)
    stance = _regression(C_STANCE, balanced=True).fit(np.vstack(tx), np.array(ty))
    return GoalModel(link, sentence, stance, 0.5, trained_on)


LINK_COLUMNS = ["segment_id", "goal_id", "linked", "stance", "link_confidence", "stance_confidence", "review",
                "source", "sentences", "cues", "evidence"]


def predict(feats: Features, model: GoalModel, unit_indices: list[int] | None = None,
            review_floor: float = 0.35) -> pd.DataFrame:
    """The links the model decides for the units ``unit_indices`` (default: all) with their stance, and the
    near misses (probability at least ``review_floor`` but below the model's threshold, ``linked`` False)."""
    idx = list(range(len(feats.units))) if unit_indices is None else list(unit_indices)
    rows = []
    k = len(feats.goals)
    for i in idx:
        unit = feats.units[i]
        x = feats.link[i * k:(i + 1) * k]
        p = model.link_probability(x)
        for j in np.flatnonzero(p >= min(review_floor, model.threshold)):
            goal = feats.goals[j]
            chosen = choose_sentences(unit, goal, model.sentence)
            sx, cue_words = stance_features(unit, goal, chosen)
            probs = model.stance_probabilities(sx).iloc[0]
            stance = str(probs.idxmax())
            evidence = dict(feats.evidence[feats.row(i, j)])
            evidence["why"] = model.link_reasons(x[j])
            evidence["stance_probabilities"] = {s: round(float(v), 3) for s, v in probs.items()}
            rows.append({"segment_id": unit.segment_id, "goal_id": goal.id, "linked": bool(p[j] >= model.threshold),
                         "stance": stance, "link_confidence": round(float(p[j]), 4),
                         "stance_confidence": round(float(probs.max()), 4), "review": False, "source": "machine",
                         "sentences": chosen, "cues": cue_words,
                         "evidence": evidence})
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def human_links(feats: Features, coding: pd.DataFrame, covered: set[str]) -> pd.DataFrame:
    """The links of a goal-evidence coding as link rows (confidence 1, ``source`` human); the sentences shown
    are the coder's where the coding quotes one."""
    index = {u.segment_id: u for u in feats.units}
    goal_index = {g.id: g for g in feats.goals}
    rows = []
    for r in coding.itertuples():
        if not r.goal_id or r.segment_id not in covered:
            continue
        unit = index[r.segment_id]
        chosen = gold_sentences(unit, r.sentence) or choose_sentences(unit, goal_index[r.goal_id])
        cue_words = stance_features(unit, goal_index[r.goal_id], chosen)[1]
        rows.append({"segment_id": r.segment_id, "goal_id": r.goal_id, "linked": True, "stance": r.stance,
                     "link_confidence": 1.0, "stance_confidence": 1.0, "review": False, "source": "human",
                     "sentences": chosen, "cues": cue_words, "evidence": {"coded": True}})
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def fold_of(segment_id: str, source_id: str, transcript: bool, folds: int = 5) -> str:
    """The cross-validation group of a unit: its interview (leave one interview out); the units of notes,
    answers and comments in ``folds`` groups per source (by a hash of the id, reproducibly)."""
    import zlib

    return source_id if transcript else f"{source_id}:{zlib.crc32(segment_id.encode()) % folds}"


def cross_fit(feats: Features, coding: pd.DataFrame, groups: list[str], review_floor: float = 0.35
              ) -> tuple[pd.DataFrame, dict]:
    """Out-of-fold predictions for every unit (each group predicted by models learned without it) and the
    figures against the coding: link precision, recall and F1, stance macro-F1 and Cohen's κ on the coded
    links (their stance predicted from the sentences the model chose), the sentence hit rate."""
    groups = np.asarray(groups)
    parts = []
    stance_true, stance_pred, sentence_hits, sentence_n = [], [], 0, 0
    gold = {(r.segment_id, r.goal_id): (r.stance, r.sentence) for r in coding.itertuples() if r.goal_id}
    goal_index = {g.id: j for j, g in enumerate(feats.goals)}
    unit_index = {u.segment_id: i for i, u in enumerate(feats.units)}
    for group in sorted(set(groups)):
        test = np.flatnonzero(groups == group).tolist()
        train = np.flatnonzero(groups != group).tolist()
        model = fit(feats, coding, train)
        parts.append(predict(feats, model, test, review_floor))
        for i in test:
            sid = feats.units[i].segment_id
            for gid in [g.id for g in feats.goals]:
                if (sid, gid) not in gold:
                    continue
                st, sent = gold[(sid, gid)]
                unit, goal = feats.units[i], feats.goals[goal_index[gid]]
                chosen = choose_sentences(unit, goal, model.sentence)
                probs = model.stance_probabilities(stance_features(unit, goal, chosen)[0]).iloc[0]
                stance_true.append(st)
                stance_pred.append(str(probs.idxmax()))
                marked = gold_sentences(unit, sent)
                if len(unit.spans) > 1 and marked:
                    sentence_n += 1
                    sentence_hits += bool(set(marked) & set(chosen))
    links = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=LINK_COLUMNS)
    decided = links[links["linked"]]
    predicted = set(zip(decided["segment_id"], decided["goal_id"]))
    covered = {u.segment_id for u in feats.units}
    true = {k for k in gold if k[0] in covered and k[1] in goal_index and k[0] in unit_index}
    figures = link_figures(predicted, true) | stance_figures(stance_true, stance_pred)
    figures["sentence_hit_rate"] = round(sentence_hits / sentence_n, 4) if sentence_n else None
    figures["units"], figures["folds"] = len(feats.units), len(set(groups))
    return links, figures


def link_figures(predicted: set, true: set) -> dict:
    tp = len(predicted & true)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(true) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"link_precision": round(precision, 4), "link_recall": round(recall, 4), "link_f1": round(f1, 4),
            "links_predicted": len(predicted), "links_coded": len(true)}


def stance_figures(true: list[str], predicted: list[str]) -> dict:
    from sklearn.metrics import cohen_kappa_score, f1_score

    if not true:
        return {"stance_macro_f1": None, "stance_kappa": None, "stance_n": 0}
    labels = [s for s in STANCES if s in set(true) | set(predicted)]
    return {"stance_macro_f1": round(float(f1_score(true, predicted, labels=labels, average="macro",
                                                    zero_division=0)), 4),
            "stance_kappa": round(float(cohen_kappa_score(true, predicted)), 4), "stance_n": len(true),
            "stance_f1": {s: round(float(v), 4) for s, v in zip(labels, f1_score(
                true, predicted, labels=labels, average=None, zero_division=0))}}


# --- the links a build uses -------------------------------------------------------------------------------------

#: A decided link below this probability, or a stance below ``REVIEW_STANCE``, is marked for a person to check;
#: so is every near miss (probability between the model's ``review_floor`` and its threshold).
REVIEW_LINK, REVIEW_STANCE = 0.65, 0.5


def _mark_review(links: pd.DataFrame) -> pd.DataFrame:
    machine = links["source"] == "machine"
    doubtful = (~links["linked"]) | (links["link_confidence"] < REVIEW_LINK) \
        | (links["stance_confidence"] < REVIEW_STANCE)
    links["review"] = machine & doubtful
    return links


def measure_links(inputs, model: GoalModel | None = None, quote_chars: int = 300) -> tuple[pd.DataFrame, dict]:
    """The goal links of a project's participant units, as ``build/goal_links.csv`` holds them, and how they
    were made (``{"model": ..., "trained_on": ..., "figures": ...}``).

    With a goal-evidence coding (``inputs.goal_coding``) the coded sources keep the coder's links and the
    models learned from it decide the rest; without one, ``model`` (default: the shipped weights) decides
    every unit. Each link carries the sentences that speak to the goal (``sentences``: their numbers; ``quote``:
    them cut at sentence boundaries with "[…]"), the interviewer's question the unit answers, the stance cue
    words, what matched (``evidence``, JSON), the two confidences and ``review`` (a person should check it)."""
    from codesign.core.text import excerpt, quote_sentences

    feats = project_features(inputs)
    info: dict = {}
    coding = inputs.goal_coding
    parts = []
    if coding is not None and len(coding):
        sources = dict(zip(inputs.segments["segment_id"].astype(str), inputs.segments["source_id"].astype(str)))
        covered = covered_units(coding, feats.units, sources)
        model = fit(feats, coding, trained_on=str(inputs.goal_coding_path or "goal_evidence"))
        parts.append(human_links(feats, coding, covered))
        rest = [i for i, u in enumerate(feats.units) if u.segment_id not in covered]
        parts.append(predict(feats, model, rest))
        info = {"model": "project", "trained_on": model.trained_on, "coded_units": len(covered)}
    else:
        model = model or default_model()
        if model is None:
            raise FileNotFoundError(DEFAULT_MODEL)
        parts.append(predict(feats, model))
        info = {"model": "default", "trained_on": model.trained_on, "figures": model.figures}
    links = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else \
        pd.DataFrame(columns=LINK_COLUMNS)
    links = _mark_review(links)
    units = {u.segment_id: u for u in feats.units}
    links["quote"] = [quote_sentences(units[s].text, list(k), quote_chars) for s, k in
                      zip(links["segment_id"], links["sentences"])]
    links["question"] = [excerpt(units[s].questions[0][0], quote_chars) if units[s].questions else ""
                         for s in links["segment_id"]]
    links["sentences"] = [";".join(str(k) for k in ks) for ks in links["sentences"]]
    links["cues"] = ["; ".join(c) for c in links["cues"]]
    links["evidence"] = [json.dumps(e, ensure_ascii=False, default=_plain) for e in links["evidence"]]
    info["links"] = int(links["linked"].sum()) if len(links) else 0
    info["review"] = int(links["review"].sum()) if len(links) else 0
    return links[GOAL_LINK_COLUMNS].sort_values(["goal_id", "segment_id"]).reset_index(drop=True), info


def _plain(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (set, frozenset, np.ndarray)):
        return sorted(value.tolist() if isinstance(value, np.ndarray) else value)
    return str(value)
