"""What each analysis report shows, as tables with names and sentences in the report's language: the logic
behind the notebooks 02 (survey), 04 (interviews), 05 (synthesis) and 06 (monitoring), so each notebook cell
only calls and shows (``codesign.outputs.report.Report``). The analysis tables are read through their
documented columns with ``codesign.analysis.tables.read_table`` (booleans as booleans)."""
from __future__ import annotations

import pandas as pd

from codesign.analysis.tables import interval, read_report, read_table, read_tables, with_reasons_in
from codesign.core.i18n import number, p_value
from codesign.core.text import excerpt
from codesign.outputs import explore, findings
from codesign.outputs.report import Report

#: The validation thresholds report 04 declares as parameters (fields of ``AnalysisParams``).
THRESHOLDS = ("min_coverage", "confirm_coverage", "subcode_min_participants", "scope_min_participants",
              "scope_min_share", "perspective_min_n", "perspective_gap", "alpha", "goal_min_voices",
              "goal_unsupported_question_share", "goal_max_support_share", "goal_refine_question_share",
              "goal_refine_share")


def _text(value) -> str:
    return "" if value is None or value != value else str(value)


def _yes(value, r: Report) -> str:
    return r.t("word.yes") if bool(value) else r.t("word.no")


# ---------------------------------------------------------------------------------------------------------
class SurveyView:
    """Report 02: the survey's priorities, the groups' split, ratings, agreement, the programme's choice."""

    def __init__(self, r: Report, groups=None) -> None:
        self.r = r
        tables = read_tables(r.project.build_dir, ["survey_priorities", "survey_likert", "survey_agreement",
                                                   "programme_choice"], str(r.project.root))
        self.used = read_report(r.project.build_dir, str(r.project.root))["parameters"]
        self.priorities, self.agreement = tables["survey_priorities"], tables["survey_agreement"]
        self.likert, self.choice = tables["survey_likert"], tables["programme_choice"]
        self.small_n = self.used.get("small_n", 10)
        self.rank_gap = int(self.used.get("perspective_rank_gap", 3))
        self.everyone = self.priorities[self.priorities["group"] == "all"].sort_values("position")
        respondents = self.priorities.groupby("group")["n_respondents"].max()
        small = self.priorities.groupby("group")["small_n"].any()
        self.group_ids = [g for g in self.priorities["group"].drop_duplicates()
                          if g != "all" and (not groups or g in groups)]
        self.group_names = {}
        for g in ["all"] + self.group_ids:
            name = r.t("word.all") if g == "all" else r.group_name(g)
            flag = f", {r.t('word.small_n')}" if bool(small.get(g, False)) else ""
            self.group_names[g] = f"{name} (n = {respondents.get(g, 0)}{flag})"
        self.shown = self.priorities[self.priorities["group"].isin(["all"] + self.group_ids)]
        self.split = findings.survey_split(self.shown, self.rank_gap)
        self.split_label = self.split["label"] if self.split else None
        self.answer_names = {"dont_know": r.t("likert.dont_know"), "missing": r.t("likert.missing")}
        self.numeric = [r.t(k) for k in ("col.position", "col.n", "col.mean_rank", "col.top3", "col.borda",
                                         "col.value", "col.p_value", "col.n_a", "col.n_b")]

    def ranked_table(self) -> pd.DataFrame:
        r, e = self.r, self.everyone
        lang = r.language
        return pd.DataFrame({
            r.t("col.position"): e["position"], r.t("col.alternative"): e["label"],
            r.t("col.theme"): e["theme"].map(r.theme_name), r.t("col.n"): e["n_respondents"],
            r.t("col.mean_rank"): [interval(*v, language=lang)
                                   for v in e[["mean_rank", "mean_rank_low", "mean_rank_high"]].itertuples(
                                       index=False)],
            r.t("col.top3"): [interval(*v, percent=True, language=lang)
                              for v in e[["top3_share", "top3_low", "top3_high"]].itertuples(index=False)],
            r.t("col.borda"): e["borda"].map(lambda v: number(v, lang))})

    def ranked_alt(self) -> str:
        top = ", ".join(f"{row.label} ({self.r.pct(row.top3_share)})" for row in self.everyone.head(3).itertuples())
        return self.r.t("nb02.ranked_alt", top=top)

    def split_alt(self) -> str:
        return findings.split_sentence(self.split, self.r.language) if self.split else self.r.t("nb02.rank_heatmap")

    def likert_all(self) -> pd.DataFrame:
        labels = dict(zip(self.everyone["alternative"], self.everyone["label"]))
        return self.likert[self.likert["group"] == "all"].assign(label=lambda d: d["alternative"].map(labels))

    def likert_alt(self) -> str:
        data = self.likert_all()
        fives = data[data["answer"].astype(str) == "5"]
        if fives.empty:
            return self.r.t("nb02.likert")
        best = fives.loc[fives["share"].idxmax()]
        return self.r.t("nb02.likert_alt", label=best["label"], share=self.r.pct(best["share"]))

    def agreement_table(self) -> pd.DataFrame:
        r, a = self.r, self.agreement
        name = lambda g: r.t("word.all") if g == "all" else r.group_name(g)   # noqa: E731
        return pd.DataFrame({
            r.t("col.group") + " A": a["group_a"].map(name), r.t("col.group") + " B": a["group_b"].map(name),
            r.t("col.n_a"): a["n_a"], r.t("col.n_b"): a["n_b"],
            r.t("col.statistic"): a["statistic"].map(lambda s: r.t(f"statistic.{s}") if s in ("kendall_w", "spearman")
                                                    else s),
            r.t("col.value"): a["value"].map(lambda v: number(v, r.language, 2)),
            r.t("col.p_value"): a["p_value"].map(lambda p: p_value(p, r.language))})

    def choice_table(self) -> pd.DataFrame:
        r, c = self.r, self.choice.sort_values("position_all")
        top_k, n = int(self.used.get("top_k", 3)), len(c)
        reasons = [r.t("nb02.choice_reason_chosen" if row.chosen else "nb02.choice_reason_not",
                       theme=r.theme_name(row.theme), position=int(row.position_all), of=n, k=top_k)
                   for row in c.itertuples()]
        return pd.DataFrame({r.t("col.position"): c["position_all"], r.t("col.alternative"): c["label"],
                             r.t("col.theme"): c["theme"].map(r.theme_name),
                             r.t("col.chosen"): c["chosen"].map(lambda v: _yes(v, r)),
                             r.t("col.supported"): c["supported"].map(lambda v: _yes(v, r)),
                             r.t("col.reason"): reasons})


# ---------------------------------------------------------------------------------------------------------
class InterviewView:
    """Report 04: verdicts on themes and goals with their reasons and the material behind them."""

    def __init__(self, r: Report, groups=None, requested: dict | None = None) -> None:
        self.r, self.groups = r, groups
        build, label = r.project.build_dir, str(r.project.root)
        tables = read_tables(build, ["theme_validation", "subcode_coverage", "perspective", "goal_validation",
                                     "evidence_ledger"], label)
        self.used = read_report(build, label)["parameters"]
        self.requested = {k: v for k, v in (requested or {}).items() if v is not None}
        self.evidence = r.evidence
        names = self.evidence.reason_names() if self.evidence is not None else {}
        themes = tables["theme_validation"]
        self.theme_ids = list(r._themes) if r._themes else themes["theme"].tolist()
        self.validation = with_reasons_in(themes[themes["theme"].isin(self.theme_ids)], "theme_validation",
                                          r.language, names)
        goals = tables["goal_validation"]
        self.goals = with_reasons_in(goals[goals["theme"].isin(self.theme_ids)], "goal_validation", r.language, names)
        persp = tables["perspective"]
        persp = persp[persp["theme"].isin(self.theme_ids) & (persp["group"].isin(groups) if groups else True)]
        self.perspective = with_reasons_in(persp, "perspective", r.language, names)
        sizes = self.perspective.groupby("group")["n_interviewees"].max()
        self.group_names = {g: f"{r.group_name(g)} (n = {sizes[g]})" for g in sizes.index}
        subcodes = tables["subcode_coverage"]
        self.subcodes = subcodes[subcodes["theme"].isin(self.theme_ids)]
        ledger = tables["evidence_ledger"]
        ledger = ledger[ledger["subject_type"].isin(["theme", "goal"])
                        & ledger["subject"].isin(set(self.theme_ids) | set(self.goals["goal_id"]))]
        self.ledger = ledger[ledger["group"].isin(groups)] if groups else ledger
        self._corpus = None

    @property
    def corpus(self) -> pd.DataFrame:
        if self._corpus is None:
            self._corpus = explore.corpus(self.r.project, codebook=self.r.codebook)
        return self._corpus

    def key_findings(self) -> list:
        if self.evidence is None:
            return []
        kinds = ("goal_not_supported", "theme_needs_refinement", "theme_not_supported", "goals_refine",
                 "evidence_gap", "themes_confirmed")
        return [f for f in self.evidence.headlines(limit=20) if f.kind in kinds][:5]

    def warn_stale(self) -> None:
        stale = [n for n, v in self.requested.items() if n in self.used and float(v) != float(self.used[n])]
        if stale:
            self.r.text("⚠ " + self.r.t("nb04.stale"))

    def goal_name(self, goal_id: str) -> str:
        return self.evidence.goal_name(goal_id, 70) if self.evidence is not None else goal_id

    def theme_table(self) -> pd.DataFrame:
        r, v = self.r, self.validation
        if {"n_discussing", "n_interviewees"} <= set(v.columns):
            coverage = [f"{int(n)}/{int(of)} ({r.pct(c)})" for n, of, c in
                        zip(v["n_discussing"], v["n_interviewees"], v["coverage"])]
        else:
            coverage = v["coverage"].map(r.pct)
        return pd.DataFrame({r.t("col.theme"): v["theme"].map(r.theme_name), r.t("col.verdict"): v["verdict"],
                             r.t("col.coverage"): coverage, r.t("col.reasons"): v["reasons"].map(_text)})

    def coverage_shares(self) -> pd.DataFrame:
        p = self.perspective
        return p.assign(theme=p["theme"].map(self.r.theme_name), group=p["group"].map(self.group_names))

    def coverage_alt(self) -> str:
        shares = self.coverage_shares()
        if shares.empty:
            return self.r.t("nb04.coverage")
        low = shares.loc[shares["share"].idxmin()]
        return self.r.t("nb04.coverage_alt", group=low["group"], theme=low["theme"], share=self.r.pct(low["share"]))

    def subcode_table(self) -> pd.DataFrame:
        r, s = self.r, self.subcodes
        silent = s["silent"] if "silent" in s.columns \
            else s["n_participants"] < self.used.get("subcode_min_participants", 2)
        return pd.DataFrame({r.t("col.theme"): s["theme"], r.t("col.part"): s["subcode"] + " " + s["label"].map(_text),
                             r.t("col.participants"): s["n_participants"], r.t("stage.interview"): s["n_interviewees"],
                             r.t("col.silent"): silent.map(lambda x: r.t("word.silent") if bool(x) else "")})

    @property
    def has_scope_flags(self) -> bool:
        return bool(self.validation["scope_flags"].map(_text).str.len().gt(0).any())

    def scope_quotes(self, seed: int = 0):
        """(heading, flags, quotes) for each theme whose scope was flagged."""
        by_id = self.corpus.set_index("segment_id", drop=False)
        for row in self.validation[self.validation["scope_flags"].map(_text).str.len() > 0].itertuples():
            ids = [s for s in _text(getattr(row, "scope_segments", "")).split(";") if s in by_id.index]
            quoted = explore.quotes(by_id.loc[ids].reset_index(drop=True), n=3, seed=seed) if ids else None
            yield f"{self.r.theme_name(row.theme)} — {self.r.verdict(row.verdict)}", row.scope_flags, quoted

    def perspective_table(self) -> pd.DataFrame:
        r, p = self.r, self.perspective
        return pd.DataFrame({
            r.t("col.theme"): p["theme"].map(r.theme_name), r.t("col.group"): p["group"].map(self.group_names),
            r.t("col.share"): p["n_discussing"].astype(int).astype(str) + "/"
            + p["n_interviewees"].astype(int).astype(str),
            r.t("col.test"): p["test"].map(lambda v: r.t("word.descriptive" if v == "descriptive" else "word.fisher")),
            r.t("col.p_value"): p["p_value"].map(lambda x: p_value(x, r.language)),
            r.t("col.note"): p["note"].map(_text)})

    def perspective_flags(self) -> list[str]:
        flags = self.validation[self.validation["perspective_flags"].map(_text).str.len() > 0]
        return [f"{self.r.theme_name(row.theme)}: {row.perspective_flags}" for row in flags.itertuples()]

    def _voices(self, kind: str) -> pd.Series:
        column = f"voices_{kind}" if f"voices_{kind}" in self.goals.columns else f"n_{kind}"
        return self.goals[column].astype(int)

    def _goal_label(self, row) -> str:
        return f"{row.goal_id} ({self.r.verdict(row.verdict)})"

    def goal_order(self) -> list[str]:
        return [self._goal_label(row) for row in self.goals.itertuples()]

    def stance_order(self) -> list[str]:
        return [self.r.t(f"col.{s}") for s in ("support", "question", "refine")]

    def goal_evidence(self) -> pd.DataFrame:
        r = self.r
        frame = pd.DataFrame({"goal": self.goal_order(), r.t("col.support"): self._voices("support").values,
                              r.t("col.question"): self._voices("question").values,
                              r.t("col.refine"): self._voices("refine").values})
        return frame.melt(id_vars="goal", var_name="stance", value_name="n")

    def goal_alt(self) -> str:
        questions = self._voices("question")
        if questions.empty or questions.max() == 0:
            return self.r.t("nb04.goal_evidence")
        row = self.goals.loc[questions.idxmax()]
        return self.r.t("nb04.goal_alt", goal=self.goal_name(row["goal_id"]), n=int(questions.max()),
                        verdict=self.r.verdict(row["verdict"]))

    def goal_numeric(self) -> list[str]:
        return [self.r.t(f"col.{s}") for s in ("support", "question", "refine")]

    def goal_table(self) -> pd.DataFrame:
        r, g = self.r, self.goals
        return pd.DataFrame({r.t("col.goal"): g["goal_id"].map(self.goal_name), r.t("col.verdict"): g["verdict"],
                             r.t("col.support"): self._voices("support").values,
                             r.t("col.question"): self._voices("question").values,
                             r.t("col.refine"): self._voices("refine").values,
                             r.t("col.reasons"): g["reasons"].map(_text)})

    def ledger_by_verdict(self, per_subject: int = 2, seed: int = 0):
        """(verdict, [(subject name, quotes)]) in the reading order of verdicts."""
        r = self.r
        verdicts = {**dict(zip(self.validation["theme"], self.validation["verdict"])),
                    **dict(zip(self.goals["goal_id"], self.goals["verdict"]))}
        for verdict in findings.VERDICT_ORDER:
            subjects = [s for s, v in verdicts.items() if v == verdict]
            if not subjects:
                continue
            out = []
            for subject in subjects:
                rows = self.ledger[self.ledger["subject"] == subject]
                if "review" in rows.columns:    # goal links a person should still check are not shown as evidence
                    rows = rows[~rows["review"].astype(str).str.lower().eq("true")]
                rows = rows.sample(min(len(rows), per_subject), random_state=seed).sort_values("segment_id")
                rows = rows.assign(note=rows["stance"].map(r.verdict_word))
                name = r.theme_name(subject) if subject in set(self.validation["theme"]) else self.goal_name(subject)
                out.append((name, rows))
            yield verdict, out


# ---------------------------------------------------------------------------------------------------------
class SynthesisView:
    """Report 05: triangulation across stages and groups, support, emergent topics, the evidence ledger."""

    def __init__(self, r: Report, groups=None) -> None:
        self.r, self.groups = r, groups
        build, label = r.project.build_dir, str(r.project.root)
        self.tables = read_tables(build, ["triangulation_stage", "triangulation_group", "theme_cooccurrence",
                                          "theme_support", "topics", "evidence_ledger"], label)
        self.used = read_report(build, label)["parameters"] if (build / "analysis_report.json").is_file() else {}
        self.stage_names = {s.id: r.stage_name(s.id) for s in r.project.stages}
        topics = self.tables["topics"]
        self.topics = findings.emergent_order(topics)

    def key_findings(self) -> list[str]:
        return findings.synthesis_findings(self.topics, self.tables["triangulation_stage"], self.stage_names,
                                           self.r.language)

    def by_stage(self) -> pd.DataFrame:
        s = self.tables["triangulation_stage"]
        s = s[s["theme"].isin(self.r.theme_ids)]
        return s.assign(theme=s["theme"].map(self.r.theme_name))

    def stage_alt(self) -> str:
        return " ".join(self.key_findings()[:2])

    def by_group(self) -> pd.DataFrame:
        from codesign.outputs.plots import known_shares

        g = self.tables["triangulation_group"]
        g = g[g["theme"].isin(self.r.theme_ids) & (g["group"].isin(self.groups) if self.groups else True)]
        g = known_shares(g, "group")
        return g.assign(theme=g["theme"].map(self.r.theme_name), group=g["group"].map(self.r.group_name))

    def group_alt(self) -> str:
        shares = self.by_group().dropna(subset=["share_participants"])
        if shares.empty:
            return self.r.t("nb05.by_group")
        low = shares.loc[shares["share_participants"].idxmin()]
        return self.r.t("nb05.group_alt", group=low["group"], theme=low["theme"],
                        share=self.r.pct(low["share_participants"]))

    def cooccurrence(self) -> pd.DataFrame:
        pairs = self.tables["theme_cooccurrence"]
        pairs = pairs[pairs["theme_a"].isin(self.r.theme_ids) & pairs["theme_b"].isin(self.r.theme_ids)]
        return pd.concat([pairs, pairs.rename(columns={"theme_a": "theme_b", "theme_b": "theme_a"})])

    def support_table(self) -> pd.DataFrame:
        r, s = self.r, self.tables["theme_support"]
        s = s[s["theme"].isin(r.theme_ids)]
        return pd.DataFrame({r.t("col.theme"): s["theme"].map(r.theme_name), r.t("col.stages"): s["n_stages"],
                             r.t("col.groups"): s["n_groups"], r.t("col.strength"): s["strength"].map(r.verdict_word)})

    def emergent(self, per_topic: int = 2, seed: int = 0):
        """(name, facts, quotes) of each emergent topic, most novel first (:func:`emergent_topics`)."""
        yield from emergent_topics(self.r, per_topic, groups=self.groups, seed=seed)

    def ledger_table(self, rows: int = 300) -> pd.DataFrame:
        r, ledger = self.r, self.tables["evidence_ledger"]
        keep = ledger["subject_type"].eq("topic") \
            | ledger["subject"].map(lambda s: str(s).split(".")[0]).isin(r.theme_ids)
        if self.groups:
            keep &= ledger["group"].isin(self.groups)
        ledger = ledger[keep].sort_values(["subject_type", "subject", "stance", "segment_id"]).head(rows)
        topics = self.tables["topics"]
        topic_names = dict(zip(topics["topic_id"].map(lambda i: f"topic {i}"), topics["label"]))

        def subject(value):
            value = str(value)
            if value in topic_names:
                return f"”{topic_names[value]}”"
            return r.theme_name(value) if "." not in value else r.goal_name(value, 50)
        return pd.DataFrame({
            r.t("col.subject"): ledger["subject"].map(subject), r.t("col.verdict"): ledger["verdict"],
            r.t("col.stance"): ledger["stance"].map(r.verdict_word), r.t("col.segment"): ledger["segment_id"],
            r.t("col.group"): ledger["group"].map(r.group_name), r.t("col.stage"): ledger["stage"].map(r.stage_name),
            r.t("col.quote"): ledger["quote"].map(r.material),
            # a goal quote is the sentence(s) that speak to the goal; the interviewer's question it answers beside
            r.t("col.question_asked"): (ledger["question"] if "question" in ledger.columns
                                        else pd.Series("", index=ledger.index)).map(
                                            lambda q: " ".join(str(q).split()) if q == q and q else "")})


# ---------------------------------------------------------------------------------------------------------
class MonitoringView:
    """Report 06: goals and actions, follow-up from the filled-in workbook, what each group spoke of."""

    def __init__(self, r: Report, groups=None) -> None:
        from codesign.core.programme import project_programme, redacted
        from codesign.outputs.followup import FOLLOWUP_DIR, followup_workbook, indicator_progress
        from codesign.outputs.templates import group_voices, read_decisions, read_monitoring
        from codesign.privacy.leakcheck import redactor
        from codesign.sources.ingest import read_segments

        self.r = r
        project = r.project
        self.programme = redacted(project_programme(project), redactor(project))
        self.theme_ids = list(r._themes) if r._themes else [th.id for th in self.programme.themes]
        verdicts = read_table(project.build_dir, "goal_validation", str(project.root), required=False)
        self.goal_verdict = {} if verdicts is None else dict(zip(verdicts["goal_id"], verdicts["verdict"]))
        self.folder = FOLLOWUP_DIR
        self.workbook = followup_workbook(project)
        self.follow_up = read_monitoring(self.workbook, project) if self.workbook is not None else None
        if self.follow_up is not None:
            self.follow_up = self.follow_up[self.follow_up["theme"].isin(self.theme_ids)]
        self.decisions = read_decisions(self.workbook, project) if self.workbook is not None else None
        self.progress = indicator_progress(self.programme, self.follow_up, self.decisions) \
            if self.follow_up is not None else None
        self.has_progress = self.progress is not None and len(self.progress) > 0
        voices = group_voices(read_segments(project), explore.read_codings(project), self.theme_ids)
        self.voices = voices[voices["group"].isin(groups)] if groups else voices
        sizes = self.voices.groupby("group")["group_participants"].max()
        self.group_names = {g: f"{r.group_name(g)} (n = {sizes[g]})" for g in sizes.index}
        self.numeric = [r.t(k) for k in ("col.year", "col.latest", "col.baseline", "col.target", "col.progress",
                                         "col.expected")]

    def key_findings(self) -> list[str]:
        out = findings.followup_findings(self.progress, self.r.language)
        top = self.voices[self.voices["rank"] == 1].sort_values("group")
        if len(top):
            out.append(self.r.t("kf.communication", top="; ".join(
                f"{self.r.group_name(v.group)}: {self.r.theme_name(v.theme)}" for v in top.itertuples())))
        return out

    def _number(self, value, unit=None, year=None) -> str:
        if value is None:
            return ""
        text = self.r.num(value, 0 if float(value).is_integer() else 1)
        return " ".join(x for x in (text, _text(unit), f"({year})" if year else "") if x)

    def goal_table(self) -> pd.DataFrame:
        r = self.r
        goals = [g for g in self.programme.goals if g.theme in self.theme_ids]
        # the verdicts concern the draft the material reacted to: say where the approved goal was changed since
        changed = {}
        for change in self.programme.changes:
            changed.setdefault(change.target, []).append(change.id)
        note = {g.id: " " + r.t("nb06.changed", changes=", ".join(changed[g.id])) if g.id in changed else ""
                for g in goals}
        return pd.DataFrame([{
            r.t("col.goal"): f"{g.id} {g.text}{note[g.id]}", r.t("col.indicator"): g.indicator,
            r.t("col.baseline"): self._number(g.baseline, g.unit, g.baseline_year),
            r.t("col.target"): self._number(g.target, g.unit, g.target_year), r.t("col.owner"): _text(g.owner),
            r.t("col.verdict"): self.goal_verdict.get(g.id, "")} for g in goals])

    def action_table(self) -> pd.DataFrame:
        r = self.r
        return pd.DataFrame([{r.t("col.action"): f"{a.id} {a.text}", r.t("col.owner"): _text(a.owner),
                              r.t("col.schedule"): _text(a.schedule)}
                             for a in self.programme.actions if a.theme in self.theme_ids])

    def followup_note(self) -> str:
        if self.follow_up is None:
            return self.r.t("nb06.no_followup", folder=self.folder)
        return self.r.t("nb06.followup_source", file=f"{self.folder}/{self.workbook.name}", n=len(self.follow_up))

    def progress_alt(self) -> str:
        return " ".join(findings.followup_findings(self.progress, self.r.language))

    def latest_table(self) -> pd.DataFrame:
        r = self.r
        latest = self.progress.sort_values("year").groupby("goal_id").tail(1).sort_values("goal_id")
        goals = {g.id: g for g in self.programme.goals}
        return pd.DataFrame({
            r.t("col.goal"): latest["goal_id"].map(lambda i: f"{i} {findings.short_name(goals[i].text, 50)}"),
            r.t("col.year"): latest["year"].astype(str), r.t("col.latest"): latest["value"].map(self._number),
            r.t("col.baseline"): latest["baseline"].map(self._number),
            r.t("col.target"): latest["target"].map(self._number),
            r.t("col.progress"): latest["progress"].map(r.pct), r.t("col.expected"): latest["expected"].map(r.pct),
            r.t("col.on_track"): latest["on_track"].map(lambda v: _yes(v, r))})

    def status_tables(self):
        if self.follow_up is None:
            return
        statuses = self.follow_up[self.follow_up["status"].notna()]
        for kind, heading in (("indicator", "nb06.qualitative"), ("action", "nb06.action_status")):
            part = statuses[statuses["kind"] == kind]
            if len(part):
                table = part.pivot(index="id", columns="year", values="status").fillna("").reset_index()
                table.columns = [self.r.t("col.segment") if c == "id" else str(c) for c in table.columns]
                yield self.r.t(heading), table

    def voice_shares(self) -> pd.DataFrame:
        v = self.voices
        return v.assign(theme=v["theme"].map(self.r.theme_name), group=v["group"].map(self.group_names))

    def voices_alt(self) -> str:
        top = self.voices[self.voices["rank"] == 1]
        return self.r.t("kf.communication", top="; ".join(f"{self.r.group_name(v.group)}: {self.r.theme_name(v.theme)}"
                                                          for v in top.itertuples()))

    def top_themes_table(self) -> pd.DataFrame:
        r = self.r
        top = self.voices[self.voices["rank"] <= 3].sort_values(["group", "rank"])
        return pd.DataFrame({r.t("col.group"): top["group"].map(self.group_names), r.t("col.rank"): top["rank"],
                             r.t("col.theme"): top["theme"].map(r.theme_name),
                             r.t("col.participants"): top["n_participants"].astype(str) + "/"
                             + top["group_participants"].astype(str),
                             r.t("col.examples"): top["segment_ids"].str.replace(";", ", ")})


def emergent_topics(r: Report, per_topic: int = 2, groups=None, stages=None, seed: int = 0):
    """(name, facts, quotes) of each emergent topic, most novel first. The quotes are the topic's sentences
    (one per segment, most typical first) with the segment they come from; ``stages``/``groups`` keep only the
    sentences of those stages or groups (report 04 shows the interviews'). A build from before the
    sentence-level topics is shown by whole segments (``seed`` picks them)."""
    build, label = r.project.build_dir, str(r.project.root)
    topics = findings.emergent_order(read_table(build, "topics", label))
    if topics.empty:
        yield r.t("nb05.no_emergent"), "", None
        return
    data = explore.corpus(r.project, codebook=r.codebook)
    sentences = read_table(build, "topic_sentences", label, required=False)
    if sentences is not None:
        shown = explore.emergent_topics(topics, sentences, data, n=per_topic, stages=stages, groups=groups)
        if not shown:
            yield r.t("nb05.no_emergent"), "", None
        for topic in shown:
            persistence, nearest = topic["persistence"], topic["nearest_theme"]
            facts = r.t("nb05.sentence_facts", typical=excerpt(topic["typical"], 200), n=topic["n_participants"],
                        sentences=topic["n_sentences"],
                        persistence=r.pct(float(persistence)) if persistence is not None and persistence == persistence
                        else "–", nearest=r.theme_name(nearest) if isinstance(nearest, str) else "–")
            yield f"”{topic['label']}”", facts, topic["quotes"].rename(columns={"sentence": "quote"})
        return
    by_id = data.set_index("segment_id", drop=False)
    for row in topics.itertuples():
        ids = [s for s in _text(row.segment_ids).split(";") if s in by_id.index]
        chosen = explore.select(by_id.loc[ids].reset_index(drop=True), groups=groups, stages=stages)
        nearest = getattr(row, "nearest_theme", None) or row.best_code
        facts = r.t("nb05.topic_facts", terms=", ".join(_text(row.top_terms).split(";")[:6]),
                    n=int(row.n_participants), segments=int(row.n_segments),
                    nearest=r.theme_name(nearest) if isinstance(nearest, str) else "–")
        yield f"”{row.label}”", facts, explore.quotes(chosen, n=per_topic, seed=seed)
