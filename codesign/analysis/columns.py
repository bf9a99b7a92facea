"""The analysis artifacts contract (docs/schema.md): the columns every table written to ``build/`` has,
defined once. The analysis modules write these columns first (some tables add extra columns after them);
the deliverables' readers (``codesign.analysis.tables``) check them."""
from __future__ import annotations

TOPIC_COLUMNS = ["topic_id", "label", "top_terms", "n_segments", "n_participants", "best_code", "best_code_overlap",
                 "best_code_similarity", "emergent", "segment_ids"]
ASSIGNMENT_COLUMNS = ["segment_id", "topic_id", "probability"]
SENTENCE_COLUMNS = ["sentence_id", "segment_id", "source_id", "start", "end", "topic_id", "probability", "themes",
                    "sentence"]
PRIORITY_COLUMNS = ["group", "alternative", "label", "theme", "n_respondents", "mean_rank", "mean_rank_low",
                    "mean_rank_high", "borda", "top3_share", "top3_low", "top3_high", "position", "small_n"]
LIKERT_COLUMNS = ["group", "alternative", "answer", "count", "share"]
AGREEMENT_COLUMNS = ["group_a", "group_b", "n_a", "n_b", "statistic", "value", "p_value"]
CHOICE_COLUMNS = ["alternative", "label", "theme", "position_all", "chosen", "supported", "reason"]
STAGE_COLUMNS = ["theme", "stage", "n_segments", "n_participants", "share_segments", "share_participants"]
GROUP_COLUMNS = ["theme", "group", "n_segments", "n_participants", "share_segments", "share_participants"]
COOCCURRENCE_COLUMNS = ["theme_a", "theme_b", "n_segments", "jaccard"]
SUPPORT_COLUMNS = ["theme", "n_stages", "n_groups", "strength"]
THEME_COLUMNS = ["theme", "label", "verdict", "coverage", "subcodes_voiced", "subcodes_silent", "scope_flags",
                 "perspective_flags", "reasons"]
SUBCODE_COLUMNS = ["theme", "subcode", "label", "n_segments", "n_participants", "n_interviewees"]
PERSPECTIVE_COLUMNS = ["theme", "group", "n_interviewees", "n_discussing", "share", "test", "p_value", "note"]
GOAL_COLUMNS = ["goal_id", "theme", "goal", "verdict", "n_support", "n_question", "n_refine", "n_participants",
                "reasons"]
LEDGER_COLUMNS = ["subject", "subject_type", "verdict", "stance", "segment_id", "participant", "group", "stage",
                  "score", "quote"]
STABILITY_COLUMNS = ["subject_type", "subject", "verdict", "verdict_human_only", "same"]
GOAL_LINK_COLUMNS = ["segment_id", "goal_id", "linked", "stance", "link_confidence", "stance_confidence", "review",
                     "source", "sentences", "quote", "question", "cues", "evidence"]

#: The verdicts' reasons and flags (and the perspective notes) as structured data (JSON lists of
#: ``codesign.core.i18n.reason`` dicts), by table: text column → its JSON column. The analysis writes them
#: after the contract columns; the English text
#: columns are rendered from them (``codesign.core.i18n.render_reasons``). They are not required, so tables of an
#: older build (text only) still read: ``codesign.analysis.tables.reasons_text`` falls back to the text.
REASON_CODE_COLUMNS: dict[str, dict[str, str]] = {
    "theme_validation": {"scope_flags": "scope_flag_codes", "perspective_flags": "perspective_flag_codes",
                         "reasons": "reason_codes"},
    "goal_validation": {"reasons": "reason_codes"},
    "perspective": {"note": "note_codes"},
}

#: Contract columns of each artifact, by artifact name (``build/<name>.csv``).
CONTRACT: dict[str, list[str]] = {
    "topics": TOPIC_COLUMNS, "emergent_topics": TOPIC_COLUMNS, "topic_assignments": ASSIGNMENT_COLUMNS,
    "topic_sentences": SENTENCE_COLUMNS,
    "survey_priorities": PRIORITY_COLUMNS, "survey_likert": LIKERT_COLUMNS, "survey_agreement": AGREEMENT_COLUMNS,
    "programme_choice": CHOICE_COLUMNS, "triangulation_stage": STAGE_COLUMNS, "triangulation_group": GROUP_COLUMNS,
    "theme_cooccurrence": COOCCURRENCE_COLUMNS, "theme_support": SUPPORT_COLUMNS,
    "theme_validation": THEME_COLUMNS, "subcode_coverage": SUBCODE_COLUMNS, "perspective": PERSPECTIVE_COLUMNS,
    "goal_validation": GOAL_COLUMNS, "evidence_ledger": LEDGER_COLUMNS, "verdict_stability": STABILITY_COLUMNS,
    "goal_links": GOAL_LINK_COLUMNS,
}

#: Columns that hold True/False (CSV writes them as text; ``codesign.analysis.tables.read_table`` gives them
#: back as pandas' nullable "boolean").
BOOLEAN_COLUMNS = {"small_n", "chosen", "supported", "emergent", "silent", "flag", "same", "linked", "review"}
#: Columns that hold ids or codes, read as strings even when they look like numbers.
STRING_COLUMNS = {"segment_id", "participant", "goal_id", "theme", "subcode", "alternative", "group", "stage",
                  "subject", "code", "best_code", "best_theme", "nearest_theme", "sentence_id", "source_id",
                  "themes", "typical_segment_id", "typical_source_id"}

#: Verdict values. Themes: confirmed / needs_refinement / not_supported; goals may also be
#: insufficient_evidence (too few participants spoke to the goal for any other verdict).
THEME_VERDICTS = ("confirmed", "needs_refinement", "not_supported")
GOAL_VERDICTS = THEME_VERDICTS + ("insufficient_evidence",)
