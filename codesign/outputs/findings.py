"""What the process found, in the words a decision-maker reads: headline findings, the verdict matrix of themes
and goals, proposals for the committee ("what should we change in the programme?"), the committee's changes
between the draft and the approved programme set against the evidence, and a snapshot of all this that the
next build compares itself with ("what changed since the last build").

Computed only from the analysis tables (docs/schema.md, read with ``codesign.analysis.tables.read_table``) and
the programme model (``codesign.core.programme``), so the landing page, the committee summary and the reports
say the same. Every text is rendered in the report's language from ``codesign.core.i18n``.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from codesign.analysis.tables import read_report, read_table
from codesign.core.i18n import group_label, number, percent, t, verdict_label
from codesign.core.project import Project, load_project

#: The verdicts in reading order: what needs a decision first.
VERDICT_ORDER = ("not_supported", "needs_refinement", "insufficient_evidence", "confirmed")
#: Where each kind of evidence is shown (report file and section anchor), for the links of the landing page.
LINKS = {
    "goals": "04_interviews.html#tavoitteet", "themes": "04_interviews.html#teemat",
    "scope": "04_interviews.html#rajaus", "emergent": "05_synthesis.html#uudet-aiheet",
    "survey_groups": "02_survey.html#ryhmat", "ledger": "05_synthesis.html#naytto",
}
#: The snapshot the next build compares with (written into each report folder).
SNAPSHOT_FILE = "findings.json"


def emergent_order(topics: pd.DataFrame) -> pd.DataFrame:
    """The emergent topics in the order the analysis ranks them (``emergent_rank``: most novel first); most
    participants first in a build from before the ranking."""
    emergent = topics[topics["emergent"].astype(bool)]
    if "emergent_rank" in emergent.columns:
        return emergent.sort_values(["emergent_rank", "topic_id"], kind="stable")
    return emergent.sort_values("n_participants", ascending=False)


def short_name(text, limit: int = 60) -> str:
    """A goal's or action's text as a short name beside its id: cut at a word boundary, ``…`` where cut."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-") + " …"


def _codes(value) -> list[dict]:
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        return json.loads(value)
    except ValueError:
        return []


@dataclass
class Finding:
    """One headline: a sentence, the report section that shows its evidence, and what kind it is."""
    kind: str
    text: str
    link: str
    subject: str = ""


@dataclass
class Proposal:
    """What the evidence suggests the committee change, why, and whether the approved programme did."""
    kind: str                   # reframe_goal, refine_goal, add_measure, split_theme, cover_topic, fill_evidence
    targets: list[str]
    title: str
    why: str
    link: str
    segments: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)     # ids of the approved programme's changes that act on it
    theme_changes: list[str] = field(default_factory=list)   # changes elsewhere in the same theme


@dataclass
class ChangeReview:
    """One change of the approved programme's change log and what the evidence said about its target."""
    id: str
    target: str
    target_name: str
    change: str
    reason: str
    verdict: str                # the evidence's verdict on the target ("" when it has none)
    match: str                  # follows_evidence, not_assessed, target_confirmed
    comments: int = 0           # the draft comments the change log names as its basis


class Evidence:
    """The analysis tables of a build and the programme, read once, with names for every id."""

    def __init__(self, project: Project, language: str = "fi") -> None:
        from codesign.core.programme import project_programme, project_programme_draft, redacted
        from codesign.outputs.explore import project_codebook
        from codesign.privacy.leakcheck import keys_path, redactor
        from codesign.privacy.pseudonymise import KeyTable

        self.project, self.language = project, language
        label = str(project.root)
        build = project.build_dir
        self.themes = read_table(build, "theme_validation", label)
        self.goals = read_table(build, "goal_validation", label)
        self.topics = read_table(build, "topics", label, required=False)
        self.priorities = read_table(build, "survey_priorities", label, required=False)
        self.ledger = read_table(build, "evidence_ledger", label, required=False)
        self.params = read_report(build, label).get("parameters", {}) if (build / "analysis_report.json").is_file() \
            else {}
        # the codebook gives the themes' names; without one (a project that only has the tables) the tables do
        self.codebook = project_codebook(project) if project.codebook_path and project.codebook_path.is_file() \
            else None
        # text that never went through the pseudonymiser (programme, labels, reasons) loses every name the leak
        # gate would find; quotes went through it, and only the key table's names are replaced in them
        redact = redactor(project)
        self.redact = redact
        self.redact_quote = KeyTable.load(keys_path(project)).redact
        self.programme = redacted(project_programme(project), redact) if project.programme_path else None
        draft = project_programme_draft(project)
        self.draft = redacted(draft, redact) if draft is not None else None

    @classmethod
    def load(cls, project, language: str = "fi") -> Evidence | None:
        """The evidence of ``project``'s build, or None when the analysis has not written its tables."""
        project = load_project(project)
        if not all((project.build_dir / f"{n}.csv").is_file() for n in ("theme_validation", "goal_validation")):
            return None
        return cls(project, language)

    # -- names ---------------------------------------------------------------------------------------------
    def tr(self, key: str, **values) -> str:
        text = t(key, self.language)
        return text.format(**values) if values else text

    def theme_name(self, theme_id: str, with_id: bool = True) -> str:
        from codesign.core.i18n import code_label

        if self.codebook is not None and theme_id in self.codebook.codes:
            return self.redact(code_label(self.codebook, theme_id, self.language, with_id))
        row = self.themes[self.themes["theme"] == theme_id]
        name = self.redact(str(row["label"].iloc[0])) if len(row) else ""
        return f"{theme_id} {name}".strip() if with_id else name

    def goal_text(self, goal_id: str) -> str:
        for programme in (self.draft, self.programme):
            for goal in programme.goals if programme else []:
                if goal.id == goal_id:
                    return goal.text
        row = self.goals[self.goals["goal_id"] == goal_id]
        return self.redact(str(row["goal"].iloc[0])) if len(row) else ""

    def goal_name(self, goal_id: str, limit: int = 60) -> str:
        """``T4.G1 Hannukaisen kaivoshanke saa luvat …``: the id with the start of the goal's text."""
        return f"{goal_id} {short_name(self.goal_text(goal_id), limit).rstrip('.')}".strip()

    def target_name(self, target: str, limit: int = 60) -> str:
        """A change target (theme, goal or action id, or a section) with its name."""
        for programme in (self.programme, self.draft):
            if programme is None:
                continue
            for theme in programme.themes:
                if theme.id == target:
                    return f"{target} {theme.title}"
                for item in theme.goals + theme.actions:
                    if item.id == target:
                        return f"{target} {short_name(item.text, limit)}"
        key = f"section.{target}"
        from codesign.core.i18n import LABELS

        return LABELS[key][self.language] if key in LABELS else target

    def verdict(self, verdict) -> str:
        return verdict_label(verdict, self.language)

    def alternative_names(self) -> dict[str, str]:
        return {a.id: a.label for a in self.project.alternatives}

    def reason_names(self) -> dict[str, str]:
        """Names beside the ids in reasons: survey alternatives and subcodes."""
        names = self.alternative_names()
        if self.codebook is not None:
            from codesign.core.i18n import code_label

            names.update({c.id: code_label(self.codebook, c.id, self.language, with_id=False)
                          for c in self.codebook.of_kind("subcode")})
        return names

    def emergent(self) -> pd.DataFrame:
        if self.topics is None or self.topics.empty:
            return pd.DataFrame(columns=["topic_id", "label", "n_segments", "n_participants"])
        return emergent_order(self.topics)

    # -- the verdict matrix -------------------------------------------------------------------------------
    def matrix(self) -> list[dict]:
        """One row per theme: its verdict and coverage, and its goals with their verdicts (programme order)."""
        rows = []
        for theme in self.themes.itertuples():
            goals = self.goals[self.goals["theme"].astype(str) == str(theme.theme)]
            rows.append({
                "id": theme.theme, "name": self.theme_name(theme.theme, with_id=False), "verdict": theme.verdict,
                "coverage": theme.coverage,
                "goals": [{"id": g.goal_id, "name": short_name(self.goal_text(g.goal_id), 70),
                           "verdict": g.verdict, "voices": int(g.n_participants)} for g in goals.itertuples()]})
        return rows

    def counts(self) -> dict:
        themes = self.themes["verdict"].value_counts().to_dict()
        goals = self.goals["verdict"].value_counts().to_dict()
        return {"themes": themes, "goals": goals, "n_themes": len(self.themes), "n_goals": len(self.goals)}

    # -- headline findings --------------------------------------------------------------------------------
    def _goal_sentence(self, row) -> str:
        # one unit: voices (each known participant, anonymous note or comment is one voice); a voice can hold
        # more than one stance in different segments, so the stances may add up to more than the voices
        fields = row._fields
        if "voices_question" in fields and "voices_support" in fields:
            question, support = int(row.voices_question), int(row.voices_support)
            refine = int(row.voices_refine) if "voices_refine" in fields else 0
        else:
            question, support, refine = int(row.n_question), int(row.n_support), int(row.n_refine)
        n = int(row.voices) if "voices" in fields and row.voices == row.voices else question + support + refine
        return self.tr("finding.goal_voices", n=n, question=question, support=support, refine=refine)

    def survey_split(self) -> dict | None:
        """The alternative the survey's groups rank furthest apart (``survey_split``)."""
        return survey_split(self.priorities, int(self.params.get("perspective_rank_gap", 3)))

    def headlines(self, limit: int = 5) -> list[Finding]:
        """Four or five findings in plain words, most decision-relevant first, each linked to its evidence."""
        out: list[Finding] = []
        goals = self.goals
        for row in goals[goals["verdict"] == "not_supported"].itertuples():
            out.append(Finding("goal_not_supported", self.tr(
                "finding.goal_not_supported", goal=self.goal_name(row.goal_id, 70), voices=self._goal_sentence(row)),
                LINKS["goals"], row.goal_id))
        for row in self.themes[self.themes["verdict"] != "confirmed"].itertuples():
            catch_all = next((c for c in _codes(getattr(row, "scope_flag_codes", "")) if c["key"] == "flag_catch_all"),
                             None)
            if catch_all:
                text = self.tr("finding.theme_catch_all", theme=self.theme_name(row.theme), n=catch_all["n"],
                               of=catch_all["of"], verdict=self.verdict(row.verdict))
            else:
                text = self.tr("finding.theme_verdict", theme=self.theme_name(row.theme),
                               verdict=self.verdict(row.verdict), coverage=percent(row.coverage, self.language))
            out.append(Finding("theme_" + str(row.verdict), text, LINKS["scope"], row.theme))
        refine = goals[goals["verdict"] == "needs_refinement"]
        if len(refine):
            named = "; ".join(f"{self.goal_name(r.goal_id, 45)} ({self._goal_sentence(r)})"
                              for r in refine.itertuples())
            key = "finding.goals_refine" if len(refine) > 1 else "finding.goal_refine"
            out.append(Finding("goals_refine", self.tr(key, n=len(refine), goals=named),
                               LINKS["goals"], ";".join(refine["goal_id"])))
        for row in self.emergent().head(2).itertuples():
            out.append(Finding("emergent", self.tr("finding.emergent", label=row.label, n=int(row.n_participants),
                                                   segments=int(row.n_segments)), LINKS["emergent"],
                               f"topic {row.topic_id}"))
        split = self.survey_split()
        if split:
            out.append(Finding("survey_split", self.survey_split_sentence(split), LINKS["survey_groups"],
                               split["alternative"]))
        thin = goals[goals["verdict"] == "insufficient_evidence"]
        if len(thin):
            out.append(Finding("evidence_gap", self.tr("finding.evidence_gap", n=len(thin), of=len(goals),
                                                       min=int(self.params.get("goal_min_voices", 3))),
                               LINKS["goals"], ";".join(thin["goal_id"])))
        confirmed = self.themes[self.themes["verdict"] == "confirmed"]
        if len(confirmed):
            out.append(Finding("themes_confirmed", self.tr(
                "finding.themes_confirmed", n=len(confirmed), of=len(self.themes),
                low=number(100 * confirmed["coverage"].min(), self.language),
                high=percent(confirmed["coverage"].max(), self.language)), LINKS["themes"],
                ";".join(confirmed["theme"])))
        # variety first: one finding of each kind before a second of any
        seen, first, rest = set(), [], []
        for finding in out:
            (rest if finding.kind in seen else first).append(finding)
            seen.add(finding.kind)
        return (first + rest)[:limit]

    def survey_split_sentence(self, split: dict) -> str:
        return split_sentence(split, self.language)

    # -- proposals ----------------------------------------------------------------------------------------
    def _segments(self, subjects: list[str], stances: tuple[str, ...] = (), n: int = 3) -> list[str]:
        if self.ledger is None or self.ledger.empty:
            return []
        rows = self.ledger[self.ledger["subject"].isin(subjects)]
        if stances:
            rows = rows[rows["stance"].isin(stances)]
        rows = rows.sort_values(["score", "segment_id"], ascending=[False, True])
        return list(dict.fromkeys(rows["segment_id"].dropna()))[:n]

    def proposals(self) -> list[Proposal]:
        """What the evidence suggests changing, most decisive first: reframe a goal the material does not
        support, sharpen a questioned goal or its measure, split a theme called a catch-all, cover an emergent
        topic, gather evidence where too few spoke; each marked with the approved programme's changes that act
        on it."""
        out: list[Proposal] = []
        goals = self.goals
        for row in goals[goals["verdict"] == "not_supported"].itertuples():
            out.append(Proposal("reframe_goal", [row.goal_id], self.tr("proposal.reframe_goal",
                                                                       goal=self.goal_name(row.goal_id, 70)),
                                self._goal_sentence(row), LINKS["goals"],
                                self._segments([row.goal_id], ("question",))))
        for row in goals[goals["verdict"] == "needs_refinement"].itertuples():
            refines = int(getattr(row, "voices_refine", row.n_refine))
            questions = int(getattr(row, "voices_question", row.n_question))
            kind = "add_measure" if refines > questions else "refine_goal"
            out.append(Proposal(kind, [row.goal_id], self.tr(f"proposal.{kind}", goal=self.goal_name(row.goal_id, 70)),
                                self._goal_sentence(row), LINKS["goals"],
                                self._segments([row.goal_id], ("question", "refine"))))
        for row in self.themes.itertuples():
            codes = {c["key"]: c for c in _codes(getattr(row, "scope_flag_codes", ""))}
            if "flag_catch_all" in codes:
                flag = codes["flag_catch_all"]
                out.append(Proposal("split_theme", [row.theme], self.tr("proposal.split_theme",
                                                                        theme=self.theme_name(row.theme)),
                                    self.tr("proposal.split_theme_why", n=flag["n"], of=flag["of"]), LINKS["scope"],
                                    self._segments([row.theme], ("scope",))))
            elif row.verdict in ("not_supported", "needs_refinement"):
                out.append(Proposal("sharpen_theme", [row.theme], self.tr("proposal.sharpen_theme",
                                                                          theme=self.theme_name(row.theme)),
                                    self.tr("finding.theme_verdict", theme=self.theme_name(row.theme),
                                            verdict=self.verdict(row.verdict),
                                            coverage=percent(row.coverage, self.language)), LINKS["themes"]))
        for row in self.emergent().itertuples():
            nearest = getattr(row, "nearest_theme", None) or getattr(row, "best_code", None)
            out.append(Proposal("cover_topic", [f"topic {row.topic_id}"], self.tr("proposal.cover_topic",
                                                                                  label=row.label),
                                self.tr("proposal.cover_topic_why", n=int(row.n_participants),
                                        segments=int(row.n_segments),
                                        nearest=self.theme_name(nearest) if isinstance(nearest, str) else "–"),
                                LINKS["emergent"], self._segments([f"topic {row.topic_id}"])))
        thin = goals[goals["verdict"] == "insufficient_evidence"]
        if len(thin):
            out.append(Proposal("fill_evidence", list(thin["goal_id"]), self.tr("proposal.fill_evidence",
                                                                                n=len(thin)),
                                self.tr("proposal.fill_evidence_why", goals=", ".join(thin["goal_id"]),
                                        min=int(self.params.get("goal_min_voices", 3))), LINKS["goals"]))
        changes = self.programme.changes if self.programme is not None else []
        for proposal in out:
            related = set(proposal.targets)
            for target in proposal.targets:           # a theme's change may target one of its goals or actions
                if self.programme is not None and any(th.id == target for th in self.programme.themes):
                    theme = self.programme.theme(target)
                    related |= {g.id for g in theme.goals} | {a.id for a in theme.actions}
            proposal.changes = [c.id for c in changes if c.target in related]
            themes = {target.split(".")[0] for target in proposal.targets if not target.startswith("topic")}
            proposal.theme_changes = [c.id for c in changes if c.id not in proposal.changes
                                      and c.target.split(".")[0] in themes and len(proposal.targets) == 1]
        return out

    # -- draft → approved ---------------------------------------------------------------------------------
    def change_reviews(self) -> list[ChangeReview]:
        """Each change the committee made between the draft and the approved programme, with the evidence's
        verdict on its target: it follows the evidence (the target was not supported or needs refinement),
        was not assessed by the evidence (an action, a section, or a goal too few spoke to) or goes against it
        (the target was confirmed: the change adds to what the material supported)."""
        if self.programme is None:
            return []
        themes = dict(zip(self.themes["theme"], self.themes["verdict"]))
        goals = dict(zip(self.goals["goal_id"], self.goals["verdict"]))
        out = []
        for change in self.programme.changes:
            verdict = goals.get(change.target) or themes.get(change.target) or ""
            if verdict in ("not_supported", "needs_refinement"):
                match = "follows_evidence"
            elif verdict == "confirmed":
                match = "target_confirmed"
            else:
                match = "not_assessed"
            out.append(ChangeReview(change.id, change.target, self.target_name(change.target), change.change or "",
                                    change.reason or "", verdict, match, len(change.comments)))
        return out

    def unaddressed(self) -> list[Proposal]:
        """Proposals the approved programme's change log does not act on."""
        return [p for p in self.proposals() if not p.changes]

    # -- snapshot for "what changed since the last build" -------------------------------------------------
    def snapshot(self) -> dict:
        from codesign.analysis.tables import reasons_text

        themes = self.themes.assign(text=reasons_text(self.themes, "theme_validation", "reasons", "fi"))
        goals = self.goals.assign(text=reasons_text(self.goals, "goal_validation", "reasons", "fi"))
        emergent = self.emergent()
        top = {}
        if self.priorities is not None:
            for row in self.priorities.itertuples():
                top[f"{row.group}|{row.alternative}"] = {"share": round(float(row.top3_share), 4),
                                                         "position": int(row.position), "label": str(row.label),
                                                         "n": int(row.n_respondents)}
        return {
            "themes": {r.theme: {"verdict": r.verdict, "reasons": r.text, "name": self.theme_name(r.theme)}
                       for r in themes.itertuples()},
            "goals": {r.goal_id: {"verdict": r.verdict, "reasons": r.text, "name": self.goal_name(r.goal_id, 50)}
                      for r in goals.itertuples()},
            "emergent": {str(r.label): {"participants": int(r.n_participants), "segments": int(r.n_segments)}
                         for r in emergent.itertuples()},
            "survey": top,
        }


def sources_snapshot(project: Project) -> dict:
    """Source id → number of segments, from ``build/ingest_report.json`` (empty when there is none)."""
    path = project.build_dir / "ingest_report.json"
    if not path.is_file():
        return {}
    report = json.loads(path.read_text(encoding="utf-8"))
    return {str(s.get("source_id", s.get("id"))): int(s.get("segments", 0)) for s in report.get("sources", [])}


def snapshot(project: Project, evidence: Evidence | None = None) -> dict:
    """Everything the next build compares with: sources, verdicts with reasons, emergent topics, survey.
    ``evidence``: the build's evidence in Finnish when the caller has read it already."""
    evidence = evidence if evidence is not None else Evidence.load(project, "fi")
    out = evidence.snapshot() if evidence is not None else {}
    out["sources"] = sources_snapshot(project)
    return out


SURVEY_SHIFT = 0.05        # a top-three share that moved at least this much is reported


@dataclass
class Change:
    """One difference between this build's findings and the previous build's."""
    kind: str                   # new_source, grown_source, verdict, new_topic, grown_topic, survey
    subject: str
    text: str
    link: str = ""


def compare(previous: dict | None, current: dict, language: str = "fi") -> list[Change]:
    """What the new material changed since the previous build's snapshot (``findings.json``): new or grown
    sources, verdicts that moved (with the new reasons), new or grown emergent topics, survey shares that
    shifted by five points or more, or an alternative that changed position."""
    if not previous:
        return []
    tr = lambda key, **v: t(key, language).format(**v)   # noqa: E731
    out: list[Change] = []
    old_sources = previous.get("sources", {})
    for source, n in current.get("sources", {}).items():
        if source not in old_sources:
            out.append(Change("new_source", source, tr("change.new_source", source=source, n=n)))
        elif n > old_sources[source]:
            out.append(Change("grown_source", source, tr("change.grown_source", source=source,
                                                         n=n - old_sources[source])))
    for kind, link in (("themes", LINKS["themes"]), ("goals", LINKS["goals"])):
        old = previous.get(kind, {})
        for subject, now in current.get(kind, {}).items():
            before = old.get(subject)
            if before is None or before["verdict"] == now["verdict"]:
                continue
            out.append(Change("verdict", subject, tr(
                "change.verdict", subject=now.get("name") or subject, old=verdict_label(before["verdict"], language),
                new=verdict_label(now["verdict"], language), reasons=now["reasons"] if language == "fi" else ""
            ).rstrip(": "), link))
    old_topics = previous.get("emergent", {})
    for label, now in current.get("emergent", {}).items():
        before = old_topics.get(label)
        if before is None:
            out.append(Change("new_topic", label, tr("change.new_topic", label=label, n=now["participants"]),
                              LINKS["emergent"]))
        elif now["participants"] > before["participants"]:
            out.append(Change("grown_topic", label, tr("change.grown_topic", label=label, old=before["participants"],
                                                       new=now["participants"]), LINKS["emergent"]))
    old_survey = previous.get("survey", {})
    for key, now in current.get("survey", {}).items():
        before = old_survey.get(key)
        if before is None:
            continue
        group = key.split("|", 1)[0]
        if abs(now["share"] - before["share"]) >= SURVEY_SHIFT or now["position"] != before["position"]:
            who = t("word.all", language) if group == "all" else group_label(group, language)
            out.append(Change("survey", key, tr("change.survey", label=now["label"], group=who,
                                                old=percent(before["share"], language),
                                                new=percent(now["share"], language),
                                                old_position=before["position"], new_position=now["position"]),
                              LINKS["survey_groups"]))
    return out


def write_snapshot(project: Project, folder: Path, evidence: Evidence | None = None) -> dict:
    data = snapshot(project, evidence)
    (Path(folder) / SNAPSHOT_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return data


def read_snapshot(folder: Path | None) -> dict | None:
    path = Path(folder) / SNAPSHOT_FILE if folder is not None else None
    return json.loads(path.read_text(encoding="utf-8")) if path is not None and path.is_file() else None


__all__ = ["Change", "ChangeReview", "Evidence", "Finding", "Proposal", "VERDICT_ORDER", "compare", "number",
           "read_snapshot", "short_name", "snapshot", "write_snapshot", "asdict"]


# ---------------------------------------------------------------------------------------------------------
# The "key findings" box of each report: a few sentences from what the report shows

def _tr(language: str, key: str, **values) -> str:
    return t(key, language).format(**values)


def notes_findings(notes: pd.DataFrame, theme_name, language: str = "fi", by: str = "prompt") -> list[str]:
    """Workshop notes (``explore.corpus`` rows of one stage): how many, where most were written, the theme
    most written about, and how many notes carry no author (whose group is therefore unknown)."""
    if notes.empty:
        return [t("caption.empty", language)]
    out = [_tr(language, "kf.notes", n=len(notes), frames=notes[by].nunique())]
    top = notes[by].fillna("").value_counts()
    if len(top):
        out.append(_tr(language, "kf.top_frame", frame=top.index[0], n=int(top.iloc[0])))
    themes = notes["themes"].explode().dropna().value_counts()
    if len(themes):
        out.append(_tr(language, "kf.top_theme", theme=theme_name(themes.index[0]), n=int(themes.iloc[0]),
                       share=percent(themes.iloc[0] / len(notes), language)))
    anonymous = int(notes["group"].isna().sum())
    if anonymous:
        out.append(_tr(language, "kf.anonymous", n=anonymous, share=percent(anonymous / len(notes), language)))
    return out


def survey_findings(priorities: pd.DataFrame, agreement: pd.DataFrame | None, language: str = "fi",
                    min_gap: int = 3) -> list[str]:
    """The survey: respondents, the top three of all respondents, and the alternative the groups rank
    furthest apart."""
    everyone = priorities[priorities["group"] == "all"].sort_values("position")
    out = []
    if len(everyone):
        top = ", ".join(f"{r.label} ({percent(r.top3_share, language)})" for r in everyone.head(3).itertuples())
        out.append(_tr(language, "kf.survey_top", n=int(everyone["n_respondents"].max()), top=top))
    split = survey_split(priorities, min_gap)
    if split:
        out.append(split_sentence(split, language))
    if agreement is not None and len(agreement):
        between = agreement[(agreement["statistic"] == "spearman") & agreement["value"].notna()]
        if len(between):
            low = between.loc[between["value"].idxmin()]
            out.append(_tr(language, "kf.survey_least_alike", a=group_label(low["group_a"], language),
                           b=group_label(low["group_b"], language), value=number(low["value"], language, 2)))
    return out


def survey_split(priorities: pd.DataFrame | None, min_gap: int = 3) -> dict | None:
    """The alternative the survey's groups rank furthest apart (largest gap in position), or None."""
    if priorities is None or priorities.empty:
        return None
    groups = priorities[priorities["group"] != "all"]
    alternatives = max(priorities["alternative"].nunique(), int(priorities["position"].max()))
    best = None
    for alternative, rows in groups.groupby("alternative"):
        hi = rows.loc[rows["position"].idxmin()]
        lo = rows.loc[rows["position"].idxmax()]
        gap = int(lo["position"] - hi["position"])
        if best is None or gap > best["gap"]:
            best = {"alternative": alternative, "label": str(hi["label"]), "gap": gap,
                    "high_group": hi["group"], "high_position": int(hi["position"]),
                    "high_n": int(hi["n_respondents"]), "high_small": bool(hi["small_n"]),
                    "low_group": lo["group"], "low_position": int(lo["position"]),
                    "low_n": int(lo["n_respondents"]), "low_small": bool(lo["small_n"]), "of": alternatives}
    return best if best and best["gap"] >= min_gap else None


def split_sentence(split: dict, language: str = "fi") -> str:
    small = f", {t('word.small_n', language)}"
    return _tr(language, "finding.survey_split", label=split["label"], of=split["of"],
               high_group=group_label(split["high_group"], language), high_position=split["high_position"],
               high_n=split["high_n"], high_small=small if split["high_small"] else "",
               low_group=group_label(split["low_group"], language), low_position=split["low_position"],
               low_n=split["low_n"], low_small=small if split["low_small"] else "")


def synthesis_findings(emergent: pd.DataFrame, stages: pd.DataFrame, stage_names: dict, language: str = "fi"
                       ) -> list[str]:
    """Triangulation and emergent topics: in how many stages each theme was voiced, stages whose participants
    are unknown, the emergent topics (rows of ``topics.csv`` with ``emergent``)."""
    out = []
    voiced = stages[stages["n_segments"] > 0].groupby("theme")["stage"].nunique()
    if len(voiced):
        out.append(_tr(language, "kf.stages", low=int(voiced.min()), high=int(voiced.max()),
                       of=stages["stage"].nunique()))
    unknown = stages.groupby("stage")["n_participants"].max()
    for stage in unknown[unknown == 0].index:
        out.append(_tr(language, "kf.anonymous_stage", stage=stage_names.get(stage, stage)))
    if emergent.empty:
        out.append(t("nb05.no_emergent", language))
    for row in emergent.head(3).itertuples():
        out.append(_tr(language, "finding.emergent", label=row.label, n=int(row.n_participants),
                       segments=int(row.n_segments)))
    return out


def explore_findings(data: pd.DataFrame, hits: pd.DataFrame, phrase: str, language: str = "fi") -> list[str]:
    """The explore report: the size of the material and what the default search finds."""
    out = [_tr(language, "kf.corpus", n=len(data), stages=data["stage"].nunique())]
    if phrase:
        forms = sorted({m.casefold() for matched in hits.get("matched", []) for m in matched})[:4]
        out.append(_tr(language, "kf.phrase", phrase=phrase, n=len(hits), forms=", ".join(forms) or "–"))
    return out


def followup_findings(progress: pd.DataFrame | None, language: str = "fi") -> list[str]:
    """Monitoring: which years were reported and how many indicators are at least on the straight path from
    baseline to target (``on_track``)."""
    if progress is None or progress.empty:
        return [t("kf.no_followup", language)]
    latest = progress.sort_values("year").groupby("goal_id").tail(1)
    ahead = int(latest["on_track"].sum()) if "on_track" in latest.columns else 0
    years = "–".join(sorted({str(y) for y in (progress["year"].min(), progress["year"].max())}))
    return [_tr(language, "kf.goal_followup", years=years, n=len(latest), ahead=ahead)]
