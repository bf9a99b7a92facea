"""The parameters of the analytics: every threshold a verdict depends on, with its documented default.

Defaults are overridden by ``project.yml`` ``report:`` (same names) and then by the command line
(``codesign analyse -p name value``). Each field's annotation says its type and range; pydantic checks the
values a user gives (``codesign.core.settings``). Unknown names on the command line and values of the wrong
type or out of range are input errors; an unknown name under ``report:`` is warned about.
"""
from __future__ import annotations

import dataclasses
import difflib
import logging
from dataclasses import dataclass, fields
from typing import Annotated, Any, Literal

from pydantic import Field

from codesign.core.settings import NotBool, Share, Words, validate_settings

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


# The fields' types and ranges, checked when a user sets them (project.yml report:, the command line).
Seed = Annotated[int, NotBool]
Count = Annotated[int, NotBool, Field(ge=0)]
Positive = Annotated[int, NotBool, Field(ge=1)]
Size = Annotated[int, NotBool, Field(ge=2)]
Cosine = Annotated[float, NotBool, Field(ge=-1, le=1)]
Clustering = Literal["leaf", "eom"]


@dataclass(frozen=True)
class AnalysisParams:
    """Thresholds and settings of ``codesign analyse`` (see docs/schema.md for what each rule does)."""

    seed: Seed = 0                            # every random step (UMAP, bootstrap) uses it
    # --- survey
    bootstrap: Count = 1000                   # bootstrap resamples for the confidence intervals
    ci_level: Share = 0.95
    small_n: Count = 10                       # a group with fewer respondents is flagged small_n
    top_k: Positive = 3                       # "share in top k"
    # --- topics (BERTopic)
    min_words: Count = 3                      # sentences with fewer content words are not topic-modelled
    umap_neighbors: Size = 10                 # UMAP n_neighbors (at least; grows with the topic size below)
    umap_components: Positive = 5
    min_topic_share: Share = 0.0025           # HDBSCAN min_cluster_size as a share of the modelled sentences …
    min_topic_size: Size = 5                  # … and its floor (small corpora)
    min_samples: Positive = 3                 # HDBSCAN min_samples (floor; scaled with min_cluster_size)
    cluster_selection: Clustering = "leaf"    # HDBSCAN cluster_selection_method: leaf (small data) or eom
    top_terms: Positive = 8
    label_candidates: Positive = 20           # c-TF-IDF words re-ranked into the top terms …
    label_diversity: Share = 0.3              # … by MMR: 0 = closest to the topic, 1 = most diverse
    emergent_min_participant_share: Share = 0.03  # distinct known participants of a topic, as a share of the
                                              # known participants in the modelled segments …
    emergent_min_participants: Count = 3      # … and its floor
    emergent_max_overlap: Share = 0.35        # best theme's share of the topic's segments must be below
    emergent_min_uncovered: Share = 0.5       # share of the topic's segments with no theme code at all
    emergent_min_coherence: Cosine = 0.55     # mean cosine of a topic's segments to its centroid
    emergent_min_coded: Share = 0.5           # share of the topic's segments carrying any code (small talk: none)
    topic_runs: Positive = 5                  # fits (seeds seed … seed + runs − 1) of the no-theme sentences …
    emergent_min_persistence: Share = 0.6     # … in which an emergent topic must appear (share of the fits)
    emergent_max_topics: Count = 5            # the emergent list: this many candidates, by novelty (topics.py)
    # --- triangulation
    stage_min_segments: Count = 2             # a theme counts as voiced in a stage / group from this many
    group_min_participants: Count = 2         # … and from this many distinct participants of a group
    strong_min_stages: Count = 3
    strong_min_groups: Count = 3
    # --- theme validation (interviews first)
    confirm_coverage: Share = 0.5             # share of interviewees discussing the theme to confirm it
    min_coverage: Share = 0.3                 # below this share the theme is not supported
    subcode_min_participants: Count = 2       # a subcode voiced by fewer distinct participants is silent
    scope_min_participants: Count = 2         # participants calling the theme a catch-all → needs refinement …
    scope_min_share: Share = 0.1              # … and at least this share of the participants voicing the theme
    scope_signals: Words = DEFAULT_SCOPE_SIGNALS
    emergent_near_similarity: Cosine = 0.8    # an emergent topic this similar to a theme sits near it
    perspective_min_n: Count = 4              # groups with fewer interviewees are described, not tested
    perspective_gap: Share = 0.5              # share difference between a group and the rest to flag
    perspective_rank_gap: Count = 3           # survey position difference between groups to flag
    alpha: Share = 0.05
    # --- goal validation
    goal_similarity: Cosine = 0.6             # content-vector cosine to the goal's text + indicator that makes a
                                              # segment evidence on the goal without a goal-lexicon word
    goal_window: Positive = 8                 # stance words count within this many words of the goal's words
    goal_min_voices: Count = 3                # fewer distinct participants with a stance → insufficient_evidence
    goal_unsupported_question_share: Share = 0.6  # questioning share of the voices at or above …
    goal_max_support_share: Share = 0.2       # … and supporting share at or below → not_supported
    goal_refine_question_share: Share = 0.34  # questioning share at or above (more than a third) → needs_refinement
    goal_refine_share: Share = 0.34           # share of voices proposing another target/measure → needs_refinement
    question_signals: Words = DEFAULT_QUESTION_SIGNALS
    support_signals: Words = DEFAULT_SUPPORT_SIGNALS
    refine_signals: Words = DEFAULT_REFINE_SIGNALS
    stop_words: Words = DEFAULT_EXTRA_STOP_WORDS
    quote_chars: Positive = 300               # quotes in the evidence ledger are trimmed to this length

    def __post_init__(self) -> None:
        if self.min_coverage > self.confirm_coverage:
            raise ValueError(f"min_coverage ({self.min_coverage}) must not exceed confirm_coverage "
                             f"({self.confirm_coverage}): a theme voiced by fewer interviewees than min_coverage "
                             "is not supported, by confirm_coverage or more it is confirmed")

    def replace(self, **changes: Any) -> "AnalysisParams":
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}


def resolve_params(report: dict | None = None, overrides: dict | None = None, where: str = "project.yml",
                   base: AnalysisParams | None = None) -> AnalysisParams:
    """Defaults ← ``report`` (project.yml ``report:``) ← ``overrides`` (command line), each value checked.

    Raises
    ------
    InputError
        A value of the wrong type or out of range (with its line in project.yml), or an unknown name on the
        command line. An unknown name under ``report:`` is warned about (it may be a notebook's setting).
    """
    report = report or {}
    known = [f.name for f in fields(AnalysisParams)]
    for name in report:
        if name not in known and name not in NOTEBOOK_PARAMETERS:
            _warn_unknown(name, report, where, known + list(NOTEBOOK_PARAMETERS))
    params = validate_settings(AnalysisParams, report, where, what="report parameter", base=base,
                              docs="docs/schema.md", unknown="skip")
    return validate_settings(AnalysisParams, overrides or {}, "command line", what="analysis parameter",
                             base=params, docs="docs/schema.md")


def _warn_unknown(name: str, values: dict, where: str, known: list[str]) -> None:
    """A key nobody reads is most likely a typo: say where it is and what it may have meant."""
    line = values.line_of(name) if hasattr(values, "line_of") else None
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    log.warning("%s%s: unknown report parameter %r is ignored%s", where, f", line {line}" if line else "", name,
                f"; did you mean {close[0]!r}?" if close else " (neither an analysis nor a notebook parameter)")
