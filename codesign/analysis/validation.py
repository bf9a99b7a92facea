"""Validation of each theme's scope, perspective and goals, with verdicts from explicit rules.

Every rule reads a threshold of ``AnalysisParams`` (defaults documented in docs/schema.md), and every
verdict carries its reasons and the segment ids of its evidence (the evidence ledger).

Themes (interviews first, other stages as support):
* ``not_supported`` — coverage (share of interviewees discussing it) below ``min_coverage``;
* ``needs_refinement`` — coverage below ``confirm_coverage``, or at least ``scope_min_participants``
  participants call it a catch-all (``scope_signals`` in segments coded with the theme);
* ``confirmed`` — otherwise. Silent subcodes, nearby emergent topics and perspective differences are
  reported as flags and reasons; they do not change the verdict on their own.

Goals (``validate_goals``, ``goal_verdict``): the inputs are the goal links with their stances measured by
``codesign.analysis.goals`` (``build/goal_links.csv``; docs/goal_evidence.md). Where there is no language
pipeline, and as the benchmark's baseline, the word rules decide them (``rule_links``): a segment is evidence on
a goal when it is
specific to that goal — it names the goal id, answers an interviewer's question presenting the goal, or is
coded with the theme and TAVOITE and matches the goal's lexicon or is ``goal_similarity`` similar to the
goal's text and indicator (and the goal is the most relevant one of the programme) — and its words take a
stance: *question* (doubt words outnumber endorsement words), *support* (the reverse) or *refine* (another
target or measure is proposed). The statement codes (HAASTE, VAHVUUS, EHDOTUS) describe the theme and never
make a stance. Voices are distinct participants (each anonymous note or comment counts once); a participant
supports when they endorse more often than they doubt, otherwise they question. With n voices:
``insufficient_evidence`` — n < ``goal_min_voices``; ``not_supported`` — questioning share ≥
``goal_unsupported_question_share`` and supporting share ≤ ``goal_max_support_share``; ``needs_refinement``
— questioning share ≥ ``goal_refine_question_share`` or refining share ≥ ``goal_refine_share``;
``confirmed`` otherwise.
"""
from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
from scipy import stats

from codesign.analysis.columns import (
    GOAL_COLUMNS,
    LEDGER_COLUMNS,
    PERSPECTIVE_COLUMNS,
    REASON_CODE_COLUMNS,
    SUBCODE_COLUMNS,
    THEME_COLUMNS,
)
from codesign.analysis.inputs import AnalysisInputs, signal_hits
from codesign.analysis.params import AnalysisParams
from codesign.core.i18n import reason, render_reasons
from codesign.core.text import excerpt

THEME_CODES = list(REASON_CODE_COLUMNS["theme_validation"].values())
GOAL_CODES = list(REASON_CODE_COLUMNS["goal_validation"].values())
THEME_EXTRA = ["n_interviewees", "n_discussing", "n_scope_critics", "scope_segments", "near_emergent_topics"]
SUBCODE_EXTRA = ["silent"]
PERSPECTIVE_CODES = list(REASON_CODE_COLUMNS["perspective"].values())
PERSPECTIVE_EXTRA = ["share_rest", "challenge_share", "small_n", "flag"]
GOAL_EXTRA = ["voices_support", "voices_question", "voices_refine", "support_share", "segment_ids", "voices",
              "links_review", "evidence_source"]
#: Added ledger columns (after ``LEDGER_COLUMNS``): where each quote is (``build/sources/<source_id>.txt[start:end]``:
#: the sentence of a topic, else the segment), the interviewer's question a goal quote answers, the stance's
#: confidence and whether a person should check the link.
LEDGER_EXTRA = ["source_id", "start", "end", "question", "confidence", "review"]


def _reason_columns(table: str, **reasons: list[dict]) -> dict[str, str]:
    """The text column (English, rendered) and the JSON column of each structured reason list of a row."""
    out = {}
    for text_column, reasons_list in reasons.items():
        out[text_column] = render_reasons(reasons_list, "en")
        out[REASON_CODE_COLUMNS[table][text_column]] = json.dumps(reasons_list, ensure_ascii=False)
    return out


def _voice(row) -> str:
    return str(row["participant"]) if pd.notna(row["participant"]) else f"anon:{row['segment_id']}"


def _quote(text: str, limit: int) -> str:
    return excerpt(text, limit)


class Ledger:
    def __init__(self, params: AnalysisParams) -> None:
        self.rows: list[dict] = []
        self.params = params

    def add(self, subject, subject_type, verdict, stance, seg_row, score=np.nan, sentence=None,
            quote: str | None = None, question: str = "", confidence=np.nan, review: bool = False) -> None:
        """One piece of evidence: the segment ``seg_row``; quoted by ``quote`` (the sentences that speak to a
        goal), or only ``sentence`` (a row of ``topic_sentences``: its text and its offsets in the source), else
        the segment's opening sentences."""
        where = sentence if sentence is not None else seg_row
        text = sentence["sentence"] if sentence is not None else seg_row["text"]
        self.rows.append({"subject": subject, "subject_type": subject_type, "verdict": verdict, "stance": stance,
                          "segment_id": seg_row["segment_id"], "participant": seg_row["participant"],
                          "group": seg_row["group"], "stage": seg_row["stage"],
                          "score": float(score) if score is not None else np.nan,
                          "quote": quote if quote else _quote(text, self.params.quote_chars),
                          "source_id": where.get("source_id"), "start": where.get("start"), "end": where.get("end"),
                          "question": question, "confidence": confidence, "review": review})

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=LEDGER_COLUMNS + LEDGER_EXTRA)
        return frame.astype({"start": "Int64", "end": "Int64"})


def subcode_coverage(inputs: AnalysisInputs, params: AnalysisParams) -> pd.DataFrame:
    seg = inputs.segments
    rows = []
    for theme in inputs.theme_ids:
        for sub in inputs.subcodes(theme):
            part = seg[[sub.id in c for c in seg["codes"]]]
            n_p = part["participant"].dropna().nunique()
            rows.append({"theme": theme, "subcode": sub.id, "label": sub.label, "n_segments": len(part),
                         "n_participants": n_p,
                         "n_interviewees": part.loc[part["stage"] == "interview", "participant"].dropna().nunique(),
                         "silent": n_p < params.subcode_min_participants})
    return pd.DataFrame(rows, columns=SUBCODE_COLUMNS + SUBCODE_EXTRA)


def perspective(inputs: AnalysisInputs, params: AnalysisParams) -> pd.DataFrame:
    """Per theme and group of interviewees: who discusses it; Fisher's exact test of the group against the
    other interviewees where both have at least ``perspective_min_n`` people, else descriptive only."""
    seg = inputs.segments
    iv = seg[(seg["stage"] == "interview") & seg["participant"].notna()]
    people = iv.groupby("participant")["group"].first()
    rows = []
    for theme in inputs.theme_ids:
        has = iv[[theme in c for c in iv["codes"]]]
        discussing = set(has["participant"])
        for group in sorted(people.dropna().unique()):
            members = set(people[people == group].index)
            rest = set(people.index) - members
            a, b = len(members & discussing), len(members - discussing)
            c, d = len(rest & discussing), len(rest - discussing)
            share = a / len(members) if members else np.nan
            share_rest = c / len(rest) if rest else np.nan
            g_seg = has[has["group"] == group]
            challenge = float(np.mean(["HAASTE" in x for x in g_seg["codes"]])) if len(g_seg) else np.nan
            if len(members) >= params.perspective_min_n and len(rest) >= params.perspective_min_n:
                test, p = "fisher_exact", float(stats.fisher_exact([[a, b], [c, d]])[1])
                note = [reason("perspective_tested", n=a, of=len(members), n_rest=c, of_rest=len(rest))]
            else:
                test, p = "descriptive", np.nan
                note = [reason("perspective_descriptive", n=a, of=len(members))]
            gap = abs(share - share_rest) if members and rest else 0.0
            flag = bool((not np.isnan(p) and p < params.alpha) or gap >= params.perspective_gap)
            rows.append({"theme": theme, "group": group, "n_interviewees": len(members), "n_discussing": a,
                         "share": share, "test": test, "p_value": p, **_reason_columns("perspective", note=note),
                         "share_rest": share_rest,
                         "challenge_share": challenge, "small_n": len(members) < params.perspective_min_n,
                         "flag": flag})
    return pd.DataFrame(rows, columns=PERSPECTIVE_COLUMNS + PERSPECTIVE_CODES + PERSPECTIVE_EXTRA)


def _survey_flags(theme: str, priorities: pd.DataFrame | None, params: AnalysisParams) -> list[dict]:
    """Groups that rank the theme's alternatives far apart in the survey."""
    if priorities is None or priorities.empty:
        return []
    flags = []
    part = priorities[(priorities["theme"] == theme) & (priorities["group"] != "all")]
    for alt, rows in part.groupby("alternative"):
        hi, lo = rows.loc[rows["position"].idxmin()], rows.loc[rows["position"].idxmax()]
        if lo["position"] - hi["position"] >= params.perspective_rank_gap:
            flags.append(reason("flag_survey_rank_gap", alternative=alt,
                                high_position=int(hi["position"]), high_group=hi["group"],
                                high_n=int(hi["n_respondents"]), high_small=bool(hi["small_n"]),
                                low_position=int(lo["position"]), low_group=lo["group"],
                                low_n=int(lo["n_respondents"]), low_small=bool(lo["small_n"])))
    return flags


def validate_themes(inputs: AnalysisInputs, params: AnalysisParams, topics: pd.DataFrame | None,
                    priorities: pd.DataFrame | None, persp: pd.DataFrame, subcodes: pd.DataFrame, ledger: Ledger
                    ) -> pd.DataFrame:
    seg = inputs.segments
    iv = seg[(seg["stage"] == "interview") & seg["participant"].notna()]
    interviewees = set(iv["participant"])
    labels = {t.id: t.title for t in inputs.themes}
    rows = []
    for theme in inputs.theme_ids:
        has = [theme in c for c in seg["codes"]]
        theme_seg = seg[has]
        discussing = set(theme_seg.loc[theme_seg["stage"] == "interview", "participant"].dropna())
        coverage = len(discussing) / len(interviewees) if interviewees else 0.0
        subs = subcodes[subcodes["theme"] == theme]
        voiced, silent = list(subs.loc[~subs["silent"], "subcode"]), list(subs.loc[subs["silent"], "subcode"])
        scope_rows = [(i, hits) for i, hits in ((i, signal_hits(inputs.lemma_seqs[i], params.scope_signals))
                                                for i in np.flatnonzero(has)) if hits]
        critics = {_voice(seg.iloc[i]) for i, _ in scope_rows}
        known_critics = {c for c in critics if not c.startswith("anon:")}
        # A share as well as a floor, so that a corpus ten times larger does not flag a theme for the same
        # proportion of critics.
        voicing = {v for v in (_voice(r) for _, r in theme_seg.iterrows()) if not v.startswith("anon:")}
        critics_needed = max(params.scope_min_participants, math.ceil(params.scope_min_share * len(voicing)))
        scope_challenged = len(known_critics) >= critics_needed
        near = []
        if topics is not None and not topics.empty:
            em = topics[topics["emergent"]]
            near = [{"id": int(r.topic_id), "label": str(r.label)} for r in em.itertuples()
                    if r.nearest_theme == theme and r.nearest_theme_similarity >= params.emergent_near_similarity]
        scope_flags = []
        if scope_challenged:
            scope_flags.append(reason("flag_catch_all", n=len(known_critics), of=len(voicing)))
        if silent:
            scope_flags.append(reason("flag_silent_subcodes", subcodes=silent))
        if near:
            scope_flags.append(reason("flag_near_emergent", topics=near))
        p = persp[(persp["theme"] == theme) & persp["flag"]]
        persp_flags = [reason("flag_perspective_tested", group=r.group, n=r.n_discussing, of=r.n_interviewees,
                              share_rest=r.share_rest, p=r.p_value) if r.test == "fisher_exact" else
                       reason("flag_perspective_descriptive", group=r.group, n=r.n_discussing, of=r.n_interviewees,
                              share_rest=r.share_rest) for r in p.itertuples()]
        persp_flags += _survey_flags(theme, priorities, params)

        reasons = [reason("coverage", n=len(discussing), of=len(interviewees), share=coverage)]
        if coverage < params.min_coverage:
            verdict = "not_supported"
            reasons.append(reason("below_min_coverage", threshold=params.min_coverage))
        elif coverage < params.confirm_coverage or scope_challenged:
            verdict = "needs_refinement"
            if coverage < params.confirm_coverage:
                reasons.append(reason("below_confirm_coverage", threshold=params.confirm_coverage))
            if scope_challenged:
                reasons.append(reason("scope_challenged", n=len(known_critics), of=len(voicing),
                                      needed=critics_needed, min_participants=params.scope_min_participants,
                                      min_share=params.scope_min_share))
        else:
            verdict = "confirmed"
            reasons.append(reason("coverage_confirmed", threshold=params.confirm_coverage))
        if silent:
            reasons.append(reason("silent_subcodes", min_participants=params.subcode_min_participants,
                                  subcodes=silent))
        if near:
            reasons.append(reason("near_emergent", topics=near))
        # evidence: each interviewee's first segment on the theme, and every scope challenge
        interviews = theme_seg[theme_seg["stage"] == "interview"].dropna(subset=["participant"])
        first = interviews.groupby("participant").head(1)
        for _, r in first.iterrows():
            ledger.add(theme, "theme", verdict, "support", r, 1.0)
        for i, hits in scope_rows:
            ledger.add(theme, "theme", verdict, "scope", seg.iloc[i], len(hits))
        flagged_groups = set(p["group"])
        for _, r in theme_seg[(theme_seg["stage"] == "interview") & theme_seg["group"].isin(flagged_groups)].iterrows():
            ledger.add(theme, "theme", verdict, "perspective", r, 1.0)
        rows.append({"theme": theme, "label": labels.get(theme, inputs.codebook[theme].label), "verdict": verdict,
                     "coverage": round(coverage, 4), "subcodes_voiced": ";".join(voiced),
                     "subcodes_silent": ";".join(silent),
                     **_reason_columns("theme_validation", scope_flags=scope_flags, perspective_flags=persp_flags,
                                       reasons=reasons),
                     "n_interviewees": len(interviewees), "n_discussing": len(discussing),
                     "n_scope_critics": len(known_critics), "scope_segments": ";".join(seg.iloc[i]["segment_id"]
                                                                                       for i, _ in scope_rows),
                     "near_emergent_topics": "; ".join(f"{t['id']} ({t['label']})" for t in near)})
    return pd.DataFrame(rows, columns=THEME_COLUMNS + THEME_CODES + THEME_EXTRA)


def goal_stance(codes: frozenset, seq: list[frozenset], params: AnalysisParams,
                anchors: frozenset | None = None) -> tuple[str | None, bool, dict]:
    """(stance or None, proposes a refinement, signal hits) of one segment on a goal.

    Only words take a stance: *question* when doubt words outnumber endorsement words, *support* for the
    reverse, *refine* on a tie when words propose another target or measure (``refine_signals``). The
    statement codes describe the theme (HAASTE a problem, VAHVUUS a strength, EHDOTUS any suggestion, mostly
    actions), not a position on the goal, so they never make a stance on their own. With ``anchors`` (the
    goal's lexicon and goal words), only stance words within ``goal_window`` words of an anchor count.
    """
    question = signal_hits(seq, params.question_signals, anchors, params.goal_window)
    support = signal_hits(seq, params.support_signals, anchors, params.goal_window)
    refine = signal_hits(seq, params.refine_signals, anchors, params.goal_window)
    # a doubt phrase that contains an endorsement word ("ei realistinen") cancels that endorsement
    support = [s for s in support if not any(s in q.split() for q in question)]
    q, s = len(question), len(support)
    if q > s:
        stance = "question"
    elif s > q:
        stance = "support"
    elif refine:
        stance = "refine"
    else:
        stance = None
    return stance, bool(refine), {"question": question, "support": support, "refine": refine}


GOAL_ID = re.compile(r"\b[A-Z]\w*\d+\.G\d+\b")
#: The statement code of talk about a goal, target or measure of the programme (the codebook's TAVOITE).
GOAL_CODE = "TAVOITE"
#: Lemmas of an interviewer's question that presents a goal ("Luonnoksessa on tavoite, että …").
GOAL_WORDS = frozenset({"tavoite", "tavoitella", "mittari", "tavoitteena"})


def _goal_vector(inputs: AnalysisInputs, goal) -> np.ndarray | None:
    if inputs.vectorise is None:
        return None
    cache = inputs.__dict__.setdefault("_goal_vectors", {})
    if goal.id not in cache:
        cache[goal.id] = inputs.vectorise(f"{goal.text} {goal.indicator}")
    return cache[goal.id]


def goal_evidence(inputs: AnalysisInputs, params: AnalysisParams, theme
                  ) -> dict[str, list[tuple[int, float, bool]]]:
    """The segments specific to each goal of a theme: (row, relevance, anchored) per goal id.

    A segment naming goal ids ("T2.G3") is evidence on those goals. An interview answer is evidence on the goal its
    interviewer's question presents (the nearest of the two preceding questions that has a goal word — tavoite,
    mittari — and is specific to a goal as below, compared with every goal of the programme). Otherwise it must be
    coded with the theme and TAVOITE (it speaks of a goal, target or measure) and be specific to one goal: it
    contains a word of the goal's lexicon or its content vector is at least ``goal_similarity`` similar to the
    goal's text and indicator; of the programme's goals it counts for the most relevant one only (relevance =
    lexicon words found + similarity), so a segment on one goal is not counted on its siblings. Such a segment may
    also speak of other things, so its stance words count only near the goal's words (``anchored``); a segment
    naming the goal or answering a question about it speaks to the goal as a whole.
    """
    seg = inputs.segments
    goals = theme.goals
    if not goals:
        return {}
    all_goals = [g for t in inputs.themes for g in t.goals]
    all_vectors = [_goal_vector(inputs, g) for g in all_goals]
    own = {g.id for g in goals}
    out: dict[str, list[tuple[int, float, bool]]] = {g.id: [] for g in goals}

    def most_relevant(lemma_set, vector) -> dict[str, float]:
        scores = {}
        for g, v in zip(all_goals, all_vectors):
            lex = sum(w in lemma_set for w in g.lexicon)
            sim = float(vector @ v) if v is not None else 0.0
            if lex or sim >= params.goal_similarity:
                scores[g.id] = lex + sim
        best = max(scores.values(), default=None)
        return {gid: score for gid, score in scores.items() if score == best}

    for i, (text, codes) in enumerate(zip(seg["text"].astype(str), seg["codes"])):
        named = set(GOAL_ID.findall(text))
        if named:
            for gid in named & own:
                out[gid].append((i, 2.0, False))
            continue
        asked = {}
        for lemma_set, vector in (inputs.questions[i] if inputs.questions else []):
            if GOAL_WORDS & lemma_set and (asked := most_relevant(lemma_set, vector)):
                break  # the nearest question that presents a goal is what this answer speaks to
        if asked:
            for gid in set(asked) & own:
                out[gid].append((i, asked[gid], False))
            continue
        if theme.id not in codes or GOAL_CODE not in codes:
            continue
        for gid, score in most_relevant(inputs.lemma_sets[i], inputs.vectors[i]).items():  # own goals only
            if gid in own:
                out[gid].append((i, score, True))
    return out


def goal_verdict(s: int, q: int, r: int, n: int, params: AnalysisParams) -> tuple[str, list[dict]]:
    """Verdict and its structured reasons from the distinct voices supporting (s), questioning (q) and refining
    (r) a goal, of n voices."""
    reasons = [reason("goal_voices", n=n, support=s, question=q, refine=r)]
    if n < params.goal_min_voices:
        return "insufficient_evidence", reasons + [reason("goal_too_few_voices", threshold=params.goal_min_voices)]
    qs, ss, rs = q / n, s / n, r / n
    if qs >= params.goal_unsupported_question_share and ss <= params.goal_max_support_share:
        return "not_supported", reasons + [reason(
            "goal_unsupported", question_share=qs, question_threshold=params.goal_unsupported_question_share,
            support_share=ss, support_threshold=params.goal_max_support_share)]
    why = []
    if qs >= params.goal_refine_question_share:
        why.append(reason("goal_questioned", question_share=qs, threshold=params.goal_refine_question_share,
                          support_share=ss))
    if rs >= params.goal_refine_share:
        why.append(reason("goal_refined", refine_share=rs, threshold=params.goal_refine_share))
    if why:
        return "needs_refinement", reasons + why
    return "confirmed", reasons + [reason("goal_confirmed", support_share=ss)]


def rule_links(inputs: AnalysisInputs, params: AnalysisParams) -> pd.DataFrame:
    """The goal links of the word rules (``goal_evidence`` and ``goal_stance``; the baseline the measured models of
    ``codesign.analysis.goals`` are compared with, and what is used where there is no language pipeline): one
    row per segment and goal with a stance, in the columns of ``build/goal_links.csv``."""
    from codesign.analysis.goals import GOAL_LINK_COLUMNS

    seg = inputs.segments
    rows = []
    for theme in inputs.themes:
        for goal in theme.goals:
            anchors = frozenset(goal.lexicon) | GOAL_WORDS
            for i, relevance, anchored in goal_evidence(inputs, params, theme).get(goal.id, []):
                stance, refines, hits = goal_stance(seg.iloc[i]["codes"], inputs.lemma_seqs[i], params,
                                                    anchors if anchored else None)
                if stance is None:
                    continue
                rows.append({"segment_id": seg.iloc[i]["segment_id"], "goal_id": goal.id, "linked": True,
                             "stance": stance, "link_confidence": round(float(relevance), 4),
                             "stance_confidence": np.nan, "review": False, "source": "rules", "sentences": "",
                             "quote": excerpt(str(seg.iloc[i]["text"]), params.quote_chars), "question": "",
                             "cues": "; ".join(h for k in ("question", "support", "refine") for h in hits[k]),
                             "evidence": json.dumps({"refines": bool(refines)})})
    return pd.DataFrame(rows, columns=GOAL_LINK_COLUMNS)


def _refines(link) -> bool:
    """A rule link may propose another target besides its stance (its evidence says so)."""
    if link.stance == "refine":
        return True
    if link.source != "rules":
        return False
    try:
        return bool(json.loads(link.evidence).get("refines"))
    except (TypeError, ValueError):
        return False


def validate_goals(inputs: AnalysisInputs, params: AnalysisParams, ledger: Ledger,
                   links: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per goal: distinct participants per stance and the verdict (rules in the module docstring).

    ``links``: the goal links to count (``build/goal_links.csv``; default ``inputs.goal_links``, the measured
    links, else the word rules' :func:`rule_links`); only links of the segments in ``inputs`` count.
    """
    seg = inputs.segments
    if links is None:
        links = inputs.goal_links if getattr(inputs, "goal_links", None) is not None else rule_links(inputs, params)
    row_of = {sid: i for i, sid in enumerate(seg["segment_id"])}
    links = links[links["linked"].astype(bool) & links["segment_id"].isin(row_of)
                  & links["stance"].isin(["support", "question", "refine"])]
    by_goal = {gid: part for gid, part in links.groupby("goal_id")}
    rows = []
    for theme in inputs.themes:
        for goal in theme.goals:
            evidence = by_goal.get(goal.id, links.iloc[:0]).sort_values("segment_id")
            # each participant (each anonymous note or comment) is one voice: supporting when their segments
            # endorse the goal more often than they question it, else questioning ("I back the mine, but not by
            # 2028" is a doubt about the goal); refining — proposing another target, measure or wording — is
            # counted besides. Every count shown (table, chart, reasons) is of these voices.
            per_voice: dict[str, dict[str, int]] = {}
            counts = {k: 0 for k in ("support", "question", "refine")}
            for link in evidence.itertuples():
                tally = per_voice.setdefault(_voice(seg.iloc[row_of[link.segment_id]]),
                                             {"support": 0, "question": 0, "refine": 0})
                tally[link.stance] += 1
                tally["refine"] += int(link.stance != "refine" and _refines(link))
                counts[link.stance] += 1
            s = sum(t["support"] > t["question"] for t in per_voice.values())
            q = sum(t["question"] > 0 and t["question"] >= t["support"] for t in per_voice.values())
            r = sum(t["refine"] > 0 for t in per_voice.values())
            n = len(per_voice)
            verdict, reasons = goal_verdict(s, q, r, n, params)
            for link in evidence.itertuples():
                ledger.add(goal.id, "goal", verdict, link.stance, seg.iloc[row_of[link.segment_id]],
                           round(float(link.link_confidence), 4), quote=link.quote,
                           question=link.question, confidence=link.stance_confidence, review=bool(link.review))
            rows.append({"goal_id": goal.id, "theme": theme.id, "goal": goal.text, "verdict": verdict,
                         "n_support": counts["support"], "n_question": counts["question"],
                         "n_refine": counts["refine"],
                         "n_participants": len({v for v in per_voice if not v.startswith("anon:")}),
                         **_reason_columns("goal_validation", reasons=reasons),
                         "voices_support": s, "voices_question": q,
                         "voices_refine": r, "support_share": s / n if n else np.nan,
                         "segment_ids": ";".join(evidence["segment_id"]),
                         "voices": n, "links_review": int(evidence["review"].astype(bool).sum()),
                         "evidence_source": ";".join(sorted(set(evidence["source"].astype(str))))})
    return pd.DataFrame(rows, columns=GOAL_COLUMNS + GOAL_CODES + GOAL_EXTRA)


def emergent_ledger(inputs: AnalysisInputs, topics: pd.DataFrame, sentences: pd.DataFrame, ledger: Ledger,
                    per_topic: int = 10) -> None:
    """Each emergent topic's sentences as evidence, most typical first (nearest the topic's centroid: ``score``
    is the HDBSCAN membership), at most one per segment and ``per_topic`` in all; the quote is the sentence."""
    if topics is None or topics.empty or sentences is None or sentences.empty:
        return
    seg = inputs.segments.set_index("segment_id", drop=False)
    for r in topics[topics["emergent"]].itertuples():
        part = sentences[sentences["topic_id"] == r.topic_id]
        part = part.assign(typical=part["sentence_id"].eq(getattr(r, "typical_sentence_id", None))
                           | (part["sentence"].eq(getattr(r, "typical_sentence", None))
                              & part["segment_id"].eq(getattr(r, "typical_segment_id", None))))
        part = part.sort_values(["typical", "probability", "sentence_id"], ascending=[False, False, True])
        for row in part.drop_duplicates("segment_id").head(per_topic).to_dict("records"):
            ledger.add(f"topic {r.topic_id}", "topic", "emergent", "emergent", seg.loc[row["segment_id"]],
                       row["probability"], sentence=row)
