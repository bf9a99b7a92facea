"""The parameters of the analytics: every threshold a verdict depends on, with its documented default.

Defaults are overridden by ``project.yml`` ``report:`` (same names) and then by the command line
(``codesign analyse -p name value``). Unknown names and values of the wrong type are input errors.
"""
from __future__ import annotations

import dataclasses
import difflib
import logging
from dataclasses import dataclass, fields
from typing import Any

from codesign.core.errors import InputError

log = logging.getLogger(__name__)

#: Settings under project.yml ``report:`` that belong to the report notebooks, not to the analytics
#: (papermill parameters); any other unknown key there is reported as a probable typo.
NOTEBOOK_PARAMETERS = ("project", "title", "language", "themes", "groups", "stages", "seed")

#: Words and lemma sequences that call a theme a catch-all (too broad). Matched on lemmas and Voikko
#: base forms of the segments coded with the theme.
DEFAULT_SCOPE_SIGNALS = (
    "kaatoluokka", "sekalainen", "hajanainen", "sillisalaatti", "epämääräinen", "kahtia",
    "liian laaja", "kaksi osa", "jakaa kaksi", "ei mahtua", "kaikki mahdollinen",
)
#: Stance words on a goal: it is doubted …
DEFAULT_QUESTION_SIGNALS = (
    "epärealistinen", "mahdoton", "väärä", "liian kova", "liian kunnianhimoinen", "kunnianhimoinen",
    "ei realistinen", "ei uskoa", "ei toteutua", "ei tulla", "toiveajattelu", "utopia",
    "optimistinen", "epätodennäköinen", "ylimitoitettu", "haihattelu", "pelkkä toive",
)
#: … endorsed …
DEFAULT_SUPPORT_SIGNALS = (
    "realistinen", "kannattaa", "hyvä tavoite", "tärkeä", "oikea", "tarpeellinen", "saavutettava",
    "uskoa",
)
#: … or proposed to be changed (a different target, a different measure).
DEFAULT_REFINE_SIGNALS = (
    "tarkentaa", "täsmentää", "sijaan", "porrastaa", "välitavoite", "tavoitteeksi", "muotoilla",
)
#: Words that never label a topic (spoken fillers and verbs that carry no topic).
DEFAULT_EXTRA_STOP_WORDS = (
    "olla", "tehdä", "saada", "pitää", "tulla", "mennä", "sanoa", "ajatella", "tietää", "nähdä",
    "niinku", "joo", "juttu", "asia", "kyllä", "vähän", "aika", "oikeastaan", "varmaan", "hyvä",
    "paljon", "iso", "tosi", "ihan", "just", "kolari", "kunta", "ihminen", "vuosi", "sellainen",
    "naurahtaa", "nauraa", "tauko", "huokaista", "miettiä", "puhua", "haluta", "kertoa", "lukea",
)


@dataclass(frozen=True)
class AnalysisParams:
    """Thresholds and settings of ``codesign analyse`` (see docs/schema.md for what each rule does)."""

    seed: int = 0                             # every random step (UMAP, bootstrap) uses it
    # --- survey
    bootstrap: int = 1000                     # bootstrap resamples for the confidence intervals
    ci_level: float = 0.95
    small_n: int = 10                         # a group with fewer respondents is flagged small_n
    top_k: int = 3                            # "share in top k"
    # --- topics (BERTopic)
    min_words: int = 3                        # sentences with fewer content words are not topic-modelled
    umap_neighbors: int = 10                  # UMAP n_neighbors (at least; grows with the topic size below)
    umap_components: int = 5
    min_topic_share: float = 0.0025           # HDBSCAN min_cluster_size as a share of the modelled sentences …
    min_topic_size: int = 5                   # … and its floor (small corpora)
    min_samples: int = 3                      # HDBSCAN min_samples (floor; scaled with min_cluster_size)
    cluster_selection: str = "leaf"           # HDBSCAN cluster_selection_method: leaf (small data) or eom
    top_terms: int = 8
    label_candidates: int = 20                # c-TF-IDF words re-ranked into the top terms …
    label_diversity: float = 0.3              # … by MMR: 0 = closest to the topic, 1 = most diverse
    emergent_min_participant_share: float = 0.03  # distinct known participants of a topic, as a share of the
                                                  # known participants in the modelled segments …
    emergent_min_participants: int = 3        # … and its floor
    emergent_max_overlap: float = 0.35        # best theme's share of the topic's segments must be below
    emergent_min_uncovered: float = 0.5       # share of the topic's segments with no theme code at all
    emergent_min_coherence: float = 0.55      # mean cosine of a topic's segments to its centroid
    emergent_min_coded: float = 0.5           # share of the topic's segments carrying any code (small talk: none)
    topic_runs: int = 5                       # fits (seeds seed … seed + runs − 1) of the no-theme sentences …
    emergent_min_persistence: float = 0.6     # … in which an emergent topic must appear (share of the fits)
    emergent_max_topics: int = 5              # the emergent list: this many candidates, by novelty (topics.py)
    # --- triangulation
    stage_min_segments: int = 2               # a theme counts as voiced in a stage / group from this many
    group_min_participants: int = 2           # … and from this many distinct participants of a group
    strong_min_stages: int = 3
    strong_min_groups: int = 3
    # --- theme validation (interviews first)
    confirm_coverage: float = 0.5             # share of interviewees discussing the theme to confirm it
    min_coverage: float = 0.3                 # below this share the theme is not supported
    subcode_min_participants: int = 2         # a subcode voiced by fewer distinct participants is silent
    scope_min_participants: int = 2           # participants calling the theme a catch-all → needs refinement …
    scope_min_share: float = 0.1              # … and at least this share of the participants voicing the theme
    scope_signals: tuple[str, ...] = DEFAULT_SCOPE_SIGNALS
    emergent_near_similarity: float = 0.8     # an emergent topic this similar to a theme sits near it
    perspective_min_n: int = 4                # groups with fewer interviewees are described, not tested
    perspective_gap: float = 0.5              # share difference between a group and the rest to flag
    perspective_rank_gap: int = 3             # survey position difference between groups to flag
    alpha: float = 0.05
    # --- goal validation
    goal_similarity: float = 0.6              # content-vector cosine to the goal's text + indicator that makes a
                                              # segment evidence on the goal without a goal-lexicon word
    goal_window: int = 8                      # stance words count within this many words of the goal's words
    goal_min_voices: int = 3                  # fewer distinct participants with a stance → insufficient_evidence
    goal_unsupported_question_share: float = 0.6  # questioning share of the voices at or above …
    goal_max_support_share: float = 0.2       # … and supporting share at or below → not_supported
    goal_refine_question_share: float = 0.34  # questioning share at or above (more than a third) → needs_refinement
    goal_refine_share: float = 0.34           # share of voices proposing another target/measure → needs_refinement
    question_signals: tuple[str, ...] = DEFAULT_QUESTION_SIGNALS
    support_signals: tuple[str, ...] = DEFAULT_SUPPORT_SIGNALS
    refine_signals: tuple[str, ...] = DEFAULT_REFINE_SIGNALS
    stop_words: tuple[str, ...] = DEFAULT_EXTRA_STOP_WORDS
    quote_chars: int = 300                    # quotes in the evidence ledger are trimmed to this length

    def replace(self, **changes: Any) -> "AnalysisParams":
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}


def _coerce(name: str, kind: Any, value: Any, where: str) -> Any:
    hint = f"give {name} as {getattr(kind, '__name__', str(kind))}"
    if isinstance(value, str) and kind is not str and not str(kind).startswith("tuple"):
        text = value.strip()
        try:
            if kind is bool:
                if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError
                return text.lower() in ("true", "1", "yes")
            return kind(text)
        except ValueError:
            raise InputError(where, f"parameter {name!r}: {value!r} is not a {kind.__name__}", hint=hint) from None
    if str(kind).startswith("tuple"):
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)):
            raise InputError(where, f"parameter {name!r} must be a list of words", hint="e.g. [a, b, c]")
        return tuple(str(i).strip() for i in items if str(i).strip())
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, kind):
        return value
    raise InputError(where, f"parameter {name!r}: {value!r} is not a {kind.__name__}", hint=hint)


def resolve_params(report: dict | None = None, overrides: dict | None = None, where: str = "project.yml",
                   base: AnalysisParams | None = None) -> AnalysisParams:
    """Defaults ← ``report`` (project.yml ``report:``) ← ``overrides`` (command line)."""
    import typing

    hints = typing.get_type_hints(AnalysisParams)
    params = base or AnalysisParams()
    for source, values, strict in ((where, report or {}, False), ("command line", overrides or {}, True)):
        changes = {}
        for name, value in values.items():
            if name not in hints:
                if not strict:
                    if name not in NOTEBOOK_PARAMETERS:
                        _warn_unknown(name, values, where, sorted(hints) + list(NOTEBOOK_PARAMETERS))
                    continue  # report: also holds the notebooks' settings (language, …)
                raise InputError(source, f"unknown analysis parameter {name!r}",
                                 hint="one of: " + ", ".join(sorted(hints)))
            changes[name] = _coerce(name, hints[name], value, source)
        params = params.replace(**changes)
    _check(params)
    return params


def _warn_unknown(name: str, values: dict, where: str, known: list[str]) -> None:
    """A key nobody reads is most likely a typo: say where it is and what it may have meant."""
    line = values.line_of(name) if hasattr(values, "line_of") else None
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    log.warning("%s%s: unknown report parameter %r is ignored%s", where, f", line {line}" if line else "", name,
                f"; did you mean {close[0]!r}?" if close else " (neither an analysis nor a notebook parameter)")


def _check(params: AnalysisParams) -> None:
    for name in ("ci_level", "label_diversity", "min_topic_share", "emergent_min_participant_share",
                 "emergent_max_overlap", "emergent_min_coded", "emergent_min_persistence", "confirm_coverage",
                 "min_coverage",
                 "goal_max_support_share", "goal_unsupported_question_share", "goal_refine_question_share",
                 "goal_refine_share", "alpha"):
        if not 0 <= getattr(params, name) <= 1:
            raise InputError("parameters", f"{name} must be between 0 and 1, not {getattr(params, name)}")
    if params.min_coverage > params.confirm_coverage:
        raise InputError("parameters", "min_coverage must not exceed confirm_coverage")
    if params.bootstrap < 0 or params.min_topic_size < 2 or params.umap_neighbors < 2 or params.topic_runs < 1 \
            or params.emergent_max_topics < 0:
        raise InputError("parameters", "bootstrap ≥ 0, min_topic_size ≥ 2, umap_neighbors ≥ 2, topic_runs ≥ 1 "
                                       "and emergent_max_topics ≥ 0 are required")
