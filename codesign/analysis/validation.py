"""Validation of each theme's scope, perspective and goals, with verdicts from explicit rules.

Every rule reads a threshold of ``AnalysisParams`` (defaults documented in docs/schema.md), and every
verdict carries its reasons and the segment ids of its evidence (the evidence ledger).

Themes (interviews first, other stages as support):
* ``not_supported`` — coverage (share of interviewees discussing it) below ``min_coverage``;
* ``needs_refinement`` — coverage below ``confirm_coverage``, or at least ``scope_min_participants``
  participants call it a catch-all (``scope_signals`` in segments coded with the theme);
* ``confirmed`` — otherwise. Silent subcodes, nearby emergent topics and perspective differences are
  reported as flags and reasons; they do not change the verdict on their own.

Goals: a segment is evidence on a goal when it is coded with the goal's theme, matches the goal's lexicon
or is similar to the goal's text, and takes a stance: *question* (doubt words outweigh endorsement
words; on a tie, HAASTE without VAHVUUS), *support* (the reverse), *refine* (a tie with a suggestion — EHDOTUS — or
words proposing another target or measure). Only segments coded TAVOITE (they comment on a goal,
target or measure) are evidence on a goal. Voices are distinct participants (each anonymous note or
comment counts once). ``not_supported`` — at least ``goal_unsupported_min_question`` (and ``goal_min_question``) questioning voices and a
support share (support / (support + question)) at or below ``goal_max_support_share``;
``needs_refinement`` — questioned by ``goal_min_question`` voices with more support than that, refined
by ``goal_min_refine`` voices, or fewer than ``goal_min_evidence`` voices in all; ``confirmed`` otherwise.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .inputs import AnalysisInputs, signal_hits
from .params import AnalysisParams

THEME_COLUMNS = ["theme", "label", "verdict", "coverage", "subcodes_voiced", "subcodes_silent", "scope_flags",
                 "perspective_flags", "reasons"]
THEME_EXTRA = ["n_interviewees", "n_discussing", "n_scope_critics", "scope_segments", "near_emergent_topics"]
SUBCODE_COLUMNS = ["theme", "subcode", "label", "n_segments", "n_participants", "n_interviewees", "silent"]
PERSPECTIVE_COLUMNS = ["theme", "group", "n_interviewees", "n_discussing", "share", "test", "p_value", "note"]
PERSPECTIVE_EXTRA = ["share_rest", "challenge_share", "small_n", "flag"]
GOAL_COLUMNS = ["goal_id", "theme", "goal", "verdict", "n_support", "n_question", "n_refine", "n_participants",
                "reasons"]
GOAL_EXTRA = ["voices_support", "voices_question", "voices_refine", "support_share", "segment_ids"]
LEDGER_COLUMNS = ["subject", "subject_type", "verdict", "stance", "segment_id", "participant", "group", "stage",
                  "score", "quote"]


def _voice(row) -> str:
    return str(row["participant"]) if pd.notna(row["participant"]) else f"anon:{row['segment_id']}"


def _quote(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Ledger:
    def __init__(self, params: AnalysisParams) -> None:
        self.rows: list[dict] = []
        self.params = params

    def add(self, subject, subject_type, verdict, stance, seg_row, score=np.nan) -> None:
        self.rows.append({"subject": subject, "subject_type": subject_type, "verdict": verdict, "stance": stance,
                          "segment_id": seg_row["segment_id"], "participant": seg_row["participant"],
                          "group": seg_row["group"], "stage": seg_row["stage"],
                          "score": float(score) if score is not None else np.nan,
                          "quote": _quote(seg_row["text"], self.params.quote_chars)})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=LEDGER_COLUMNS)


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
    return pd.DataFrame(rows, columns=SUBCODE_COLUMNS)


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
                note = f"{a}/{len(members)} vs {c}/{len(rest)} of the other interviewees"
            else:
                test, p = "descriptive", np.nan
                note = f"n={len(members)}: too few interviewees to test; {a}/{len(members)} discuss it"
            gap = abs(share - share_rest) if members and rest else 0.0
            flag = bool((not np.isnan(p) and p < params.alpha) or gap >= params.perspective_gap)
            rows.append({"theme": theme, "group": group, "n_interviewees": len(members), "n_discussing": a,
                         "share": share, "test": test, "p_value": p, "note": note, "share_rest": share_rest,
                         "challenge_share": challenge, "small_n": len(members) < params.perspective_min_n,
                         "flag": flag})
    return pd.DataFrame(rows, columns=PERSPECTIVE_COLUMNS + PERSPECTIVE_EXTRA)


def _survey_flags(theme: str, priorities: pd.DataFrame | None, params: AnalysisParams) -> list[str]:
    """Groups that rank the theme's alternatives far apart in the survey."""
    if priorities is None or priorities.empty:
        return []
    flags = []
    part = priorities[(priorities["theme"] == theme) & (priorities["group"] != "all")]
    for alt, rows in part.groupby("alternative"):
        hi, lo = rows.loc[rows["position"].idxmin()], rows.loc[rows["position"].idxmax()]
        if lo["position"] - hi["position"] >= params.perspective_rank_gap:
            def who(r):
                return f"{r['group']} (n={r['n_respondents']}{', small n' if r['small_n'] else ''})"
            flags.append(f"survey {alt}: position {hi['position']} for {who(hi)} vs {lo['position']} for {who(lo)}")
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
        near = []
        if topics is not None and not topics.empty:
            em = topics[topics["emergent"]]
            near = [f"{int(r.topic_id)} ({r.label})" for r in em.itertuples()
                    if r.nearest_theme == theme and r.nearest_theme_similarity >= params.emergent_near_similarity]
        scope_flags = []
        if len(known_critics) >= params.scope_min_participants:
            scope_flags.append(f"catch_all: {len(known_critics)} participants")
        if silent:
            scope_flags.append("silent_subcodes: " + ",".join(silent))
        if near:
            scope_flags.append("near_emergent: " + ", ".join(near))
        p = persp[(persp["theme"] == theme) & persp["flag"]]
        persp_flags = [f"{r.group}: {r.n_discussing}/{r.n_interviewees} interviewees vs {r.share_rest:.0%} of others"
                       f" ({'p=%.3f' % r.p_value if r.test == 'fisher_exact' else 'descriptive'})" for r in p.itertuples()]
        persp_flags += _survey_flags(theme, priorities, params)

        reasons = [f"coverage {len(discussing)}/{len(interviewees)} interviewees ({coverage:.0%})"]
        if coverage < params.min_coverage:
            verdict = "not_supported"
            reasons.append(f"coverage below min_coverage {params.min_coverage:.0%}")
        elif coverage < params.confirm_coverage or len(known_critics) >= params.scope_min_participants:
            verdict = "needs_refinement"
            if coverage < params.confirm_coverage:
                reasons.append(f"coverage below confirm_coverage {params.confirm_coverage:.0%}")
            if len(known_critics) >= params.scope_min_participants:
                reasons.append(f"{len(known_critics)} participants call the scope a catch-all or propose splitting it "
                               f"(≥ scope_min_participants {params.scope_min_participants})")
        else:
            verdict = "confirmed"
            reasons.append(f"coverage ≥ confirm_coverage {params.confirm_coverage:.0%}, no scope challenge")
        if silent:
            reasons.append("subcodes voiced by fewer than %d participants: %s" % (params.subcode_min_participants,
                                                                                   ", ".join(silent)))
        if near:
            reasons.append("emergent topics close to the theme: " + ", ".join(near))
        # evidence: each interviewee's first segment on the theme, and every scope challenge
        first = theme_seg[theme_seg["stage"] == "interview"].dropna(subset=["participant"]).groupby("participant").head(1)
        for _, r in first.iterrows():
            ledger.add(theme, "theme", verdict, "support", r, 1.0)
        for i, hits in scope_rows:
            ledger.add(theme, "theme", verdict, "scope", seg.iloc[i], len(hits))
        flagged_groups = set(p["group"])
        for _, r in theme_seg[(theme_seg["stage"] == "interview") & theme_seg["group"].isin(flagged_groups)].iterrows():
            ledger.add(theme, "theme", verdict, "perspective", r, 1.0)
        rows.append({"theme": theme, "label": labels.get(theme, inputs.codebook[theme].label), "verdict": verdict,
                     "coverage": round(coverage, 4), "subcodes_voiced": ";".join(voiced),
                     "subcodes_silent": ";".join(silent), "scope_flags": "; ".join(scope_flags),
                     "perspective_flags": "; ".join(persp_flags), "reasons": "; ".join(reasons),
                     "n_interviewees": len(interviewees), "n_discussing": len(discussing),
                     "n_scope_critics": len(known_critics), "scope_segments": ";".join(seg.iloc[i]["segment_id"]
                                                                                       for i, _ in scope_rows),
                     "near_emergent_topics": "; ".join(near)})
    return pd.DataFrame(rows, columns=THEME_COLUMNS + THEME_EXTRA)


def goal_stance(codes: frozenset, seq: list[frozenset], params: AnalysisParams) -> tuple[str | None, bool, dict]:
    """(primary stance or None, proposes a refinement, signal hits) of one segment on a goal."""
    question = signal_hits(seq, params.question_signals)
    support = signal_hits(seq, params.support_signals)
    refine = signal_hits(seq, params.refine_signals)
    # a doubt phrase that contains an endorsement word ("ei realistinen") cancels that endorsement
    support = [s for s in support if not any(s in q.split() for q in question)]
    # stance words decide; the statement codes break a tie (HAASTE alone describes a problem, which may be
    # the very need a goal answers, so it only tips the balance)
    q, s = len(question), len(support)
    if q == s:
        q, s = q + ("HAASTE" in codes), s + ("VAHVUUS" in codes)
    if q > s:
        stance = "question"
    elif s > q:
        stance = "support"
    elif refine or "EHDOTUS" in codes:
        stance = "refine"
    else:
        stance = None
    return stance, bool(refine), {"question": question, "support": support,
                                                                          "refine": refine}


def validate_goals(inputs: AnalysisInputs, params: AnalysisParams, ledger: Ledger) -> pd.DataFrame:
    seg = inputs.segments
    rows = []
    for theme in inputs.themes:
        for goal in theme.goals:
            goal_vec = inputs.vectorise(goal.text) if inputs.vectorise is not None else None
            evidence = []
            for i in np.flatnonzero([theme.id in c for c in seg["codes"]]):
                lex = [w for w in goal.lexicon if w in inputs.lemma_sets[i]]
                sim = float(inputs.vectors[i] @ goal_vec) if goal_vec is not None else 0.0
                if not lex and sim < params.goal_similarity:
                    continue
                codes = seg.iloc[i]["codes"]
                stance, refines, _ = goal_stance(codes, inputs.lemma_seqs[i], params)
                directed = "TAVOITE" in codes
                if stance is None or not directed:
                    continue
                evidence.append((i, stance, refines, len(lex) + sim))
            voices = {k: set() for k in ("support", "question", "refine")}
            counts = {k: 0 for k in voices}
            for i, stance, refines, _ in evidence:
                voices[stance].add(_voice(seg.iloc[i]))
                counts[stance] += 1
                if refines and stance != "refine":
                    voices["refine"].add(_voice(seg.iloc[i]))
            s, q, r = (len(voices[k]) for k in ("support", "question", "refine"))
            all_voices = set().union(*voices.values())
            share = s / (s + q) if s + q else np.nan
            reasons = [f"{s} supporting, {q} questioning, {r} refining voices"]
            if q >= max(params.goal_min_question, params.goal_unsupported_min_question) \
                    and share <= params.goal_max_support_share:
                verdict = "not_supported"
                reasons.append(f"questioned by {q} ≥ {params.goal_unsupported_min_question} voices and support share {share:.0%} "
                               f"≤ goal_max_support_share {params.goal_max_support_share:.0%}")
            elif q >= params.goal_min_question or r >= params.goal_min_refine or len(all_voices) < params.goal_min_evidence:
                verdict = "needs_refinement"
                if q >= params.goal_min_question:
                    reasons.append(f"questioned by {q} voices but supported by {s} (support share {share:.0%})")
                if r >= params.goal_min_refine:
                    reasons.append(f"{r} voices propose a different target or measure")
                if len(all_voices) < params.goal_min_evidence:
                    reasons.append(f"thin evidence: fewer than goal_min_evidence {params.goal_min_evidence} voices")
            else:
                verdict = "confirmed"
                reasons.append("supported and not questioned by enough voices to doubt it")
            for i, stance, _, score in evidence:
                ledger.add(goal.id, "goal", verdict, stance, seg.iloc[i], round(score, 4))
            ids = [seg.iloc[i]["segment_id"] for i, *_ in evidence]
            rows.append({"goal_id": goal.id, "theme": theme.id, "goal": goal.text, "verdict": verdict,
                         "n_support": counts["support"], "n_question": counts["question"],
                         "n_refine": counts["refine"],
                         "n_participants": len({v for v in all_voices if not v.startswith("anon:")}),
                         "reasons": "; ".join(reasons), "voices_support": s, "voices_question": q,
                         "voices_refine": r, "support_share": share, "segment_ids": ";".join(ids)})
    return pd.DataFrame(rows, columns=GOAL_COLUMNS + GOAL_EXTRA)


def emergent_ledger(inputs: AnalysisInputs, topics: pd.DataFrame, assignments: pd.DataFrame, ledger: Ledger,
                    per_topic: int = 10) -> None:
    if topics is None or topics.empty:
        return
    seg = inputs.segments.set_index("segment_id", drop=False)
    for r in topics[topics["emergent"]].itertuples():
        a = assignments[assignments["topic_id"] == r.topic_id].sort_values(["probability", "segment_id"],
                                                                           ascending=[False, True])
        for row in a.head(per_topic).itertuples():
            ledger.add(f"topic {r.topic_id}", "topic", "emergent", "emergent", seg.loc[row.segment_id], row.probability)
