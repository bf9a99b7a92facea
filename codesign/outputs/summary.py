"""The committee summary: a Word document that opens with what the committee should decide.

Generated only from the analysis tables of ``codesign analyse`` (the same tables the HTML reports show) and the
programme: first the proposals the evidence makes (reframe a goal, refine a goal or its measure, split a theme,
cover an emergent topic, gather evidence where too few spoke) with whether the approved programme acted on
each; then the committee's changes between the draft and the approved programme set against the evidence; the
key findings with the survey's priorities and its group split; each theme with its goals and pseudonymised
quotes; the tables in a landscape appendix; the method with the thresholds in plain words. Finnish by default,
English with ``language="en"``.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from codesign.analysis.tables import read_tables, with_reasons_in
from codesign.core.errors import InputError
from codesign.core.i18n import LANGUAGES, t, verdict_label
from codesign.core.project import Project, load_project
from codesign.core.text import excerpt
from codesign.outputs.report import badge_text, method_lines
from codesign.outputs.style import verdict_style
from codesign.privacy.leakcheck import guard

TABLES = ["theme_validation", "goal_validation", "survey_priorities", "triangulation_stage", "evidence_ledger"]
#: Column headers of the theme and goal tables (labels ``summary.theme_table.*``, ``summary.goal_table.*``).
THEME_TABLE = ("theme", "name", "verdict", "coverage", "reasons")
GOAL_TABLE = ("goal", "content", "verdict", "stances", "reasons")
QUOTES_PER_THEME = 3
QUOTE_CHARS = 300



def default_path(project: Project, language: str) -> Path:
    return project.build_dir / ("committee_summary.docx" if language == "fi" else f"committee_summary_{language}.docx")


def _has_machine_codes(project: Project) -> bool:
    """Whether the analysis wrote what rests on machine codes (``analysis_report.json`` ``machine_codes``)."""
    import json

    from codesign.analysis import REPORT

    path = project.build_dir / REPORT
    return path.is_file() and "machine_codes" in json.loads(path.read_text(encoding="utf-8"))


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _str(value) -> str:
    return "" if _blank(value) else str(value)


def _counts(frame: pd.DataFrame) -> dict:
    counts = frame["verdict"].value_counts()
    return {"confirmed": int(counts.get("confirmed", 0) + counts.get("supported", 0)),
            "needs_refinement": int(counts.get("needs_refinement", 0)),
            "not_supported": int(counts.get("not_supported", 0)),
            "insufficient_evidence": int(counts.get("insufficient_evidence", 0)), "total": len(frame)}


def _figure(doc: Document, fig, caption: str) -> None:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    plt.close(fig)
    buffer.seek(0)
    doc.add_picture(buffer, width=Cm(16))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para = doc.add_paragraph(caption)
    para.runs[0].italic = True
    para.runs[0].font.size = Pt(9)


def _row_property(row, name: str) -> None:
    """A table row property (``w:tblHeader``: repeat on every page; ``w:cantSplit``: keep on one page)."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement(f"w:{name}")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _table(doc: Document, header: list[str], rows: list[list], widths: list[float], verdict_column: int | None,
           verdicts: list[str] | None = None) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    _row_property(table.rows[0], "tblHeader")
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        cell.paragraphs[0].runs[0].font.size = Pt(9)
    for index, values in enumerate(rows):
        row = table.add_row()
        _row_property(row, "cantSplit")
        cells = row.cells
        for column, (cell, value) in enumerate(zip(cells, values)):
            cell.text = _str(value)
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(9)
                    if column == verdict_column and verdicts:
                        run.bold = True
                        run.font.color.rgb = RGBColor.from_string(verdict_style(verdicts[index]).text)
    # Word reads the cell widths, LibreOffice the grid columns: set both.
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)


def _stance_counts(g) -> str:
    """Participants supporting / questioning / refining a goal, its segments in brackets (one unit throughout:
    the reasons count the same participants)."""
    voices = [getattr(g, f"voices_{k}", None) for k in ("support", "question", "refine")]
    segments = f"{int(g.n_support)} / {int(g.n_question)} / {int(g.n_refine)}"
    if any(_blank(v) for v in voices):       # a table of an older build: its segment counts as they were
        return segments
    return f"{int(voices[0])} / {int(voices[1])} / {int(voices[2])} ({segments})"


def _quotes(ledger: pd.DataFrame, subjects: list[str]) -> pd.DataFrame:
    """Up to QUOTES_PER_THEME quotes about a theme or its goals, one per stance first, then by score; goal
    quotes a person should still check (``review``) are not shown."""
    rows = ledger[ledger["subject"].isin(subjects) & ledger["quote"].notna() & ledger["segment_id"].notna()]
    if "review" in rows.columns:
        rows = rows[~rows["review"].astype(str).str.lower().eq("true")]
    rows = rows.sort_values(["score", "segment_id"], ascending=[False, True]).drop_duplicates("segment_id")
    first = rows.drop_duplicates("stance")
    rest = rows.drop(first.index)
    return pd.concat([first, rest]).head(QUOTES_PER_THEME)


def _landscape(doc: Document) -> None:
    """A new landscape section (A4): the appendix tables get the width they need."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    width, height = section.page_width, section.page_height
    if width < height:
        section.page_width, section.page_height = height, width


def _caption(doc: Document, text: str) -> None:
    para = doc.add_paragraph(text)
    para.runs[0].italic = True
    para.runs[0].font.size = Pt(9)


def _quote_paragraphs(doc: Document, quotes: pd.DataFrame, text, stage_labels: dict, redact,
                      language: str = "fi") -> None:
    for q in quotes.itertuples():
        quote = excerpt(" ".join(str(q.quote).split()), QUOTE_CHARS)
        para = doc.add_paragraph(style="Quote")
        para.add_run(f"”{redact(quote)}”")
        group = _str(q.group) or text("unknown_group")
        source = text("quote_source").format(segment=q.segment_id, group=group,
                                             stage=stage_labels.get(_str(q.stage), _str(q.stage)))
        if str(getattr(q, "subject_type", "")) == "goal":    # what the quote is shown for
            source += f"; {q.subject}: {verdict_label(str(q.stance), language)}"
        para.add_run(f" — {source}").italic = False


def write_summary(project: Project | Path | str | None = None, out: Path | str | None = None,
                  language: str = "fi") -> Path:
    """Write the committee summary (.docx) and leak-check it; returns its path."""
    from codesign.core.i18n import date as date_text
    from codesign.core.i18n import group_label, percent
    from codesign.outputs import plots
    from codesign.outputs.findings import Evidence

    if language not in LANGUAGES:
        raise InputError("language", f"unknown language {language!r}", hint=f"use one of {', '.join(LANGUAGES)}")
    plots.set_language(language)
    project = load_project(project)

    def text(key: str) -> str:
        return t(f"summary.{key}", language)

    tables = read_tables(project.build_dir, TABLES, str(project.root))
    evidence = Evidence(project, language)
    names = evidence.reason_names()
    themes = with_reasons_in(tables["theme_validation"], "theme_validation", language, names)
    goals = with_reasons_in(tables["goal_validation"], "goal_validation", language, names)
    priorities, ledger = tables["survey_priorities"], tables["evidence_ledger"]
    # Text that did not pass the pseudonymiser (labels, goals, reasons) loses every name the leak gate would
    # find. Quotes did pass it: a name found in one is a leak to report (the gate stops the summary), not to
    # hide; only the key table's firms are replaced.
    redact, redact_quote = evidence.redact, evidence.redact_quote
    stage_labels = {s.id: (s.label if language == "fi" else s.id) for s in project.stages}

    doc = Document()
    doc.core_properties.author = "codesign"
    doc.core_properties.title = text("title")
    doc.add_heading(text("title"), level=0)
    doc.add_paragraph(redact(project.title)).runs[0].bold = True
    doc.add_paragraph(text("intro"))
    doc.add_paragraph(text("generated").format(date=date_text(dt.date.today(), language))).runs[0].italic = True

    # 1. what to decide
    doc.add_heading(text("proposals_heading"), level=1)
    doc.add_paragraph(text("decide"))
    proposals = evidence.proposals()
    has_changes = bool(evidence.programme and evidence.programme.changes)
    if not proposals:
        doc.add_paragraph(text("no_proposals"))
    for proposal in proposals:
        para = doc.add_paragraph(style="List Number")
        para.add_run(redact(proposal.title)).bold = True
        para.add_run(f" — {redact(proposal.why)}.")
        details = []
        if proposal.segments:
            details.append(text("evidence_ids").format(ids=", ".join(proposal.segments)))
        if proposal.changes:
            details.append(text("acted").format(changes=", ".join(proposal.changes)))
        elif proposal.theme_changes:
            details.append(text("theme_acted").format(changes=", ".join(proposal.theme_changes)))
        elif has_changes:
            details.append(text("not_acted"))
        if details:
            para.add_run(" " + " ".join(details)).italic = True

    # 2. draft → approved: what the committee changed and whether it matches the evidence
    reviews = evidence.change_reviews()
    if reviews:
        doc.add_heading(text("changes_heading"), level=1)
        doc.add_paragraph(text("changes_intro").format(n=len(reviews)))
        rows = [[r.id, redact(r.target_name), redact(excerpt(r.change, 240)), badge_text(r.verdict, language) or "–",
                 t(f"match.{r.match}", language)] for r in reviews]
        _table(doc, [text(f"change_table.{c}") for c in ("id", "target", "change", "verdict", "match")], rows,
               [1.9, 3.4, 5.6, 2.9, 2.7], 3, [r.verdict for r in reviews])
        open_items = [redact(p.title) for p in proposals if not p.changes and not p.theme_changes]
        if open_items:
            doc.add_paragraph(text("unaddressed").format(items="; ".join(open_items)))

    # 3. key findings
    doc.add_heading(text("findings_heading"), level=1)
    for finding in evidence.headlines(limit=6):
        doc.add_paragraph(redact(finding.text), style="List Bullet")
    doc.add_paragraph(text("themes_count").format(**_counts(themes)), style="List Bullet")
    doc.add_paragraph(text("goals_count").format(**_counts(goals)), style="List Bullet")
    everyone = priorities[priorities["group"] == "all"].sort_values("position")
    if len(everyone):
        top = ", ".join(f"{redact(_str(r.label))} {percent(r.top3_share, language)}"
                        for r in everyone.head(3).itertuples())
        doc.add_paragraph(text("survey_n").format(n=int(everyone["n_respondents"].max()), top=top),
                          style="List Bullet")
        _figure(doc, plots.survey_priorities(everyone.assign(label=everyone["label"].map(lambda v: redact(_str(v)))),
                                             text("fig_survey_title"), text("fig_survey_x")), text("fig_survey"))
        groups = [g for g in priorities["group"].drop_duplicates() if g != "all"]
        if groups:
            sizes = priorities.groupby("group")["n_respondents"].max()
            small = priorities.groupby("group")["small_n"].any()
            group_names = {g: (t("word.all", language) if g == "all" else group_label(g, language))
                           + f" (n = {sizes[g]}" + (f", {t('word.small_n', language)})" if small[g] else ")")
                           for g in ["all"] + groups}
            split = evidence.survey_split()
            _figure(doc, plots.rank_heatmap(priorities.assign(label=priorities["label"].map(lambda v: redact(_str(v)))),
                                            group_names, title=t("nb02.rank_heatmap", language),
                                            highlight=redact(split["label"]) if split else None), text("fig_split"))

    # 4. theme by theme: verdict and reasons, goals, quotes
    doc.add_heading(text("themes_section"), level=1)
    for theme in themes.itertuples():
        doc.add_heading(text("theme_heading").format(theme=theme.theme, label=redact(_str(theme.label)),
                                                     verdict=badge_text(theme.verdict, language)), level=2)
        if not _blank(theme.reasons):
            doc.add_paragraph(redact(str(theme.reasons)))
        flags = [(text("scope"), _str(theme.scope_flags)), (text("perspective"), _str(theme.perspective_flags))]
        flags = [f"{name}: {value}" for name, value in flags if value]
        if flags:
            doc.add_paragraph(f"{text('flags')}: " + "; ".join(redact(f) for f in flags)).runs[0].italic = True
        theme_goals = goals[goals["theme"].astype(str) == str(theme.theme)]
        for g in theme_goals.itertuples():
            doc.add_paragraph(text("goals_line").format(goal=redact(evidence.goal_name(g.goal_id, 70)),
                                                        verdict=badge_text(g.verdict, language),
                                                        reasons=redact(_str(g.reasons))), style="List Bullet")
        if not len(theme_goals):
            doc.add_paragraph(text("no_goals")).runs[0].italic = True
        quotes = _quotes(ledger, [str(theme.theme)] + list(theme_goals["goal_id"].astype(str)))
        if len(quotes):
            doc.add_heading(text("quotes"), level=3)
            _quote_paragraphs(doc, quotes, text, stage_labels, redact_quote, language)

    # 5. the tables, landscape
    _landscape(doc)
    doc.add_heading(text("appendix"), level=1)
    _caption(doc, text("appendix_themes"))
    rows = [[r.theme, redact(_str(r.label)), badge_text(r.verdict, language),
             "" if _blank(r.coverage) else percent(float(r.coverage), language), redact(_str(r.reasons))]
            for r in themes.itertuples()]
    _table(doc, [text(f"theme_table.{c}") for c in THEME_TABLE], rows, [1.6, 5.0, 3.2, 2.2, 13.0], 2,
           list(themes["verdict"].astype(str)))
    _caption(doc, text("appendix_goals"))
    rows = [[g.goal_id, redact(evidence.goal_text(g.goal_id) or _str(g.goal)), badge_text(g.verdict, language),
             _stance_counts(g), redact(_str(g.reasons))]
            for g in goals.itertuples()]
    _table(doc, [text(f"goal_table.{c}") for c in GOAL_TABLE], rows, [1.7, 7.5, 3.2, 3.0, 9.6], 2,
           list(goals["verdict"].astype(str)))

    # 6. method
    doc.add_heading(text("method_heading"), level=1)
    doc.add_paragraph(text("method"))
    from codesign.core.i18n import t as translate
    from codesign.outputs.explore import goal_evidence_note

    doc.add_paragraph(translate("goal.counts_caption", language))
    if note := goal_evidence_note(project, language):
        doc.add_paragraph(note)
    used = evidence.params
    rules = method_lines(used, language)
    if rules:
        doc.add_heading(text("rules"), level=2)
        for line in rules:
            doc.add_paragraph(line, style="List Bullet")
    if _has_machine_codes(project):     # what rests on machine codes
        from codesign.outputs.explore import machine_code_note

        doc.add_paragraph(machine_code_note(project, language).replace("**", ""))

    out = Path(out) if out is not None else default_path(project, language)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.stem + ".tmp.docx")
    doc.save(tmp)
    guard(project, [tmp])
    tmp.replace(out)
    return out
